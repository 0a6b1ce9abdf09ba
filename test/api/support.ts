// API test support: the harness (controller + ARI simulator + Redis over real sockets) with users
// and API keys, and a small fetch client that keeps status, headers and the parsed body.
import { createHash } from 'node:crypto';
import { hashPassword } from '../../lib/api/auth/passwords.ts';
import { Harness, type HarnessOptions } from '../support/harness.ts';
import { registerSecret } from '../support/log-audit.ts';

export const PASSWORDS = {
  alice: 'alice-at-the-desk',
  bob: 'bob-on-the-late-shift',
  sam: 'sam-supervises',
  root: 'root-administers',
  nopos: 'no-position-here',
} as const;
export type UserName = keyof typeof PASSWORDS;
for (const [name, password] of Object.entries(PASSWORDS)) registerSecret(`the password of ${name}`, password);

export const KEYS = { integration: 'int-key-7f3a9c1e5b2d4068', reader: 'reader-key-0a1b2c3d4e5f6789' } as const;
for (const [name, key] of Object.entries(KEYS)) registerSecret(`the API key ${name}`, key);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

// scrypt is slow on purpose: hash once per test run
let hashes: Record<UserName, string> | undefined;
function userHashes(): Record<UserName, string> {
  hashes ??= Object.fromEntries(Object.entries(PASSWORDS).map(([n, p]) => [n, hashPassword(p)])) as Record<UserName, string>;
  return hashes;
}

export function apiConfig(extra: Partial<HarnessOptions['config']> = {}): HarnessOptions['config'] {
  const h = userHashes();
  return {
    attendants: [
      { id: 'att1', name: 'Alice', device: 'PJSIP/att1', extension: '101' },
      { id: 'att2', name: 'Bob', device: 'PJSIP/att2', extension: '102' },
      { id: 'att3', name: 'Sam', device: 'PJSIP/att3', extension: '103' },
    ],
    groups: [
      {
        id: 'operators', name: 'Operators', members: ['att1', 'att2'], strategy: 'linear', ringTimeout: 15,
        table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' }, mode1: { type: 'extension', number: '3000' } },
      },
      { id: 'backup', name: 'Backup desk', members: ['att3'], strategy: 'linear', ringTimeout: 15 },
    ],
    users: [
      { name: 'alice', role: 'operator', passwordHash: h.alice, attendant: 'att1' },
      { name: 'bob', role: 'operator', passwordHash: h.bob, attendant: 'att2' },
      { name: 'sam', role: 'supervisor', passwordHash: h.sam, attendant: 'att3' },
      { name: 'root', role: 'admin', passwordHash: h.root },
      { name: 'nopos', role: 'operator', passwordHash: h.nopos },
    ],
    apiKeys: [
      { name: 'integration', role: 'supervisor', sha256: sha256(KEYS.integration) },
      { name: 'reader', role: 'operator', sha256: sha256(KEYS.reader) },
    ],
    directory: {
      entries: [
        { name: 'Reception', number: '200', shortCode: '9', department: 'Front desk' },
        { name: 'Accounts', number: '201', department: 'Finance', location: 'Building B' },
        { name: 'Night porter', number: '2000', department: 'Front desk' },
      ],
    },
    supervision: {
      extensions: [{ number: '200', name: 'Reception' }, { number: '201', name: 'Accounts' }],
      trunks: [{ id: 'pstn', name: 'PSTN', endpoint: 'PJSIP/pstn' }],
    },
    ...extra,
  };
}

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface ErrorReply { error: { code: string; message: string; field?: string; details?: Array<{ field: string; message: string }> } }

export interface RequestOptions {
  token?: string;
  apiKey?: string;
  body?: unknown;
  /** sent as it is (with content-type application/json unless headers say otherwise) */
  raw?: string;
  headers?: Record<string, string>;
}

export class Api {
  readonly tokens = new Map<string, string>();

  constructor(readonly base: string) {}

  static of(h: Harness): Api {
    return new Api(`http://127.0.0.1:${h.controller.httpPort}`);
  }

  async request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.apiKey) headers['x-api-key'] = opts.apiKey;
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const res = await fetch(this.base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    let parsed: unknown = undefined;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  async login(name: UserName): Promise<string> {
    const cached = this.tokens.get(name);
    if (cached) return cached;
    const r = await this.request<{ token: string }>('POST', '/api/session/login', { body: { name, password: PASSWORDS[name] } });
    if (r.status !== 200) throw new Error(`login ${name}: ${r.status} ${r.text}`);
    this.tokens.set(name, r.body.token);
    return r.body.token;
  }

  async as<T = unknown>(user: UserName, method: string, path: string, body?: unknown): Promise<Reply<T>> {
    return this.request<T>(method, path, { token: await this.login(user), ...(body !== undefined ? { body } : {}) });
  }
}

export async function startApiHarness(opts: Partial<HarnessOptions> = {}): Promise<{ h: Harness; api: Api }> {
  const h = await Harness.start({ config: apiConfig(), ...opts });
  return { h, api: Api.of(h) };
}
