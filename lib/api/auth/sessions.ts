// Who is calling: a logged-in user (opaque bearer token) or an integration (x-api-key).
// Sessions are decided in memory and written through to the store (documents of kind `session`,
// keyed by the token's sha256, never the token), so a restarted controller or the standby that takes
// over serves the consoles' tokens as they were; a session whose user is no longer configured with
// the same role is not taken back.
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import type { Clock } from '../../domain/clock.ts';
import type { Store, StoreOp } from '../../store/store.ts';
import { sameDigest, sha256Hex, verifyPassword } from './passwords.ts';

export const ROLES = ['operator', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Readonly<Record<Role, number>> = { operator: 1, supervisor: 2, admin: 3 };

/** admin can do what a supervisor can, a supervisor what an operator can */
export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export interface Principal {
  kind: 'user' | 'apiKey';
  /** user or key name */
  name: string;
  role: Role;
  /** the attendant position this session works at (users: from the configuration, or taken over at a shift change) */
  attendant?: string;
  /** sha256 of the token (sessions only): identifies the session without keeping the token around */
  sessionId?: string;
  expiresAt?: number;
}

interface Session {
  principal: Principal;
  expiresAt: number;
}

export interface SessionEvents {
  /** a session ended (logout, shift change, expiry): its WebSockets close */
  ended: [sessionId: string];
}

export const DEFAULT_TOKEN_TTL_MS = 12 * 3600_000;

/** the store's documents that hold the sessions (id: sessionId) */
export const SESSION_DOC_KIND = 'session';
const SESSION_ID = /^[0-9a-f]{64}$/;

/** where sessions outlive the process */
export interface SessionPersistence {
  store: Pick<Store, 'commit' | 'listDocs'>;
  log: Logger;
}

export class Sessions extends EventEmitter<SessionEvents> {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly config: Config,
    private readonly clock: Clock,
    private readonly ttlMs = DEFAULT_TOKEN_TTL_MS,
    private readonly persistence?: SessionPersistence,
  ) {
    super();
  }

  /**
   * Take back the stored sessions (at start): the live ones of users still configured with the same
   * role, at a configured position; expired or stale ones are deleted. How many were taken back.
   */
  async load(): Promise<number> {
    const p = this.persistence;
    if (!p) return 0;
    const now = this.clock.now();
    const stale: StoreOp[] = [];
    for (const { id, doc } of await p.store.listDocs(SESSION_DOC_KIND)) {
      const principal = this.storedPrincipal(id, doc);
      if (!principal || principal.expiresAt! <= now) {
        stale.push({ op: 'deleteDoc', kind: SESSION_DOC_KIND, id });
        continue;
      }
      this.sessions.set(id, { principal, expiresAt: principal.expiresAt! });
    }
    if (stale.length) this.write(stale);
    return this.sessions.size;
  }

  /** the configured user whose name and password match, or undefined (always costs one scrypt) */
  async checkPassword(name: string, password: string): Promise<Config['users'][number] | undefined> {
    const user = this.config.users.find((u) => u.name === name);
    const ok = await verifyPassword(password, user?.passwordHash);
    return ok ? user : undefined;
  }

  /** A new session; the token is returned once and only its digest is kept. */
  open(user: { name: string; role: Role; attendant?: string }): { token: string; principal: Principal } {
    this.sweep();
    const token = randomBytes(32).toString('base64url');
    const sessionId = sha256Hex(token);
    const expiresAt = this.clock.now() + this.ttlMs;
    const principal: Principal = {
      kind: 'user', name: user.name, role: user.role, sessionId, expiresAt,
      ...(user.attendant !== undefined ? { attendant: user.attendant } : {}),
    };
    this.sessions.set(sessionId, { principal, expiresAt });
    this.write([this.doc(principal)]);
    return { token, principal };
  }

  /** After the store came back (maybe emptied): every live session written again. */
  rewrite(): void {
    this.sweep();
    this.write([...this.sessions.values()].map((x) => this.doc(x.principal)));
  }

  /** The principal of a live token, or undefined (unknown, malformed or expired). */
  fromToken(token: string): Principal | undefined {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
    const id = sha256Hex(token);
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.expiresAt <= this.clock.now()) {
      this.end(id);
      return undefined;
    }
    return s.principal;
  }

  fromApiKey(key: string): Principal | undefined {
    if (key.length === 0 || key.length > 512) return undefined;
    const digest = sha256Hex(key);
    // compare with every key (no early exit) so the time does not tell which prefix matched
    let found: Config['apiKeys'][number] | undefined;
    for (const k of this.config.apiKeys) if (sameDigest(digest, k.sha256)) found = k;
    return found ? { kind: 'apiKey', name: found.name, role: found.role } : undefined;
  }

  end(sessionId: string): void {
    if (!this.sessions.delete(sessionId)) return;
    this.write([{ op: 'deleteDoc', kind: SESSION_DOC_KIND, id: sessionId }]);
    this.emit('ended', sessionId);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** what is stored of a session: never the token */
  private doc(p: Principal): StoreOp {
    return {
      op: 'putDoc', kind: SESSION_DOC_KIND, id: p.sessionId!,
      doc: { name: p.name, role: p.role, expiresAt: p.expiresAt!, ...(p.attendant !== undefined ? { attendant: p.attendant } : {}) },
    };
  }

  /** a stored session as a principal, or undefined when it does not fit the configuration now */
  private storedPrincipal(id: string, doc: Record<string, unknown>): Principal | undefined {
    const { name, role, attendant, expiresAt } = doc;
    if (!SESSION_ID.test(id) || typeof name !== 'string' || typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return undefined;
    const user = this.config.users.find((u) => u.name === name);
    if (!user || user.role !== role) return undefined;
    if (attendant !== undefined && (typeof attendant !== 'string' || !this.config.attendants.some((a) => a.id === attendant))) return undefined;
    return { kind: 'user', name, role: user.role, sessionId: id, expiresAt, ...(attendant !== undefined ? { attendant } : {}) };
  }

  /** written through, in order; a failed write is logged (the session still works in this process) */
  private write(ops: StoreOp[]): void {
    const p = this.persistence;
    if (!p || ops.length === 0) return;
    p.store.commit(ops).catch((err: unknown) => p.log.warn({ err }, 'session not written to the store: it ends with this process'));
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [id, s] of this.sessions) if (s.expiresAt <= now) this.end(id);
  }
}
