// The AMI port: one logged-in AMI session at a time over ami-socket.ts, reconnected with backoff,
// every event read once at the edge into the typed AmiPort of lib/supervision.
//
// Why not asterisk-manager (used before): its keepConnected() retried every 10 s (+10 s per try, up
// to 60 s) with console.log, retried a refused login forever, kept the old parser state and never
// failed the actions written to a dead socket, and its reader cost CPU on every event (ami-socket.ts).
// Here each attempt gets a fresh reader, a refused login stops the port with a clear error, and
// waiting actions fail fast.
import type { Logger } from 'pino';
import { silentLogger } from '../log.ts';
import { AmiSocket, type ActionFields } from './ami-socket.ts';
import { Malformed, readOrDrop, str as text, strOr as textOr, type Raw } from './fields.ts';
import {
  AmiError, normaliseDeviceState,
  type AmiEvent, type AmiPort, type AmiPortEvents, type ContactItem, type ContactStatusName, type DeviceStateItem,
  type EndpointItem, type ExtensionStateItem, type Unsubscribe,
} from '../supervision/ami-port.ts';

type RawMessage = Raw;

export interface AmiConnectOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  /** first reconnect delay, doubled after each failed attempt up to maxDelayMs */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** how long an action (and a login) may wait for its answer */
  actionTimeoutMs?: number;
  /** a Ping this often finds a half-open TCP connection; 0 turns it off */
  keepAliveMs?: number;
  /** give up waiting for the first connection */
  signal?: AbortSignal;
}

// ---------------------------------------------------------------- parsing at the edge
// an event missing a field it needs, or with one of the wrong shape (a key given twice is a list), is
// dropped whole (fields.ts)

/** a whole number written in decimal; `fallback` (when given) for one missing or unreadable */
function integer(raw: RawMessage, key: string, fallback?: number): number {
  const v = raw[key];
  const t = typeof v === 'string' ? v.trim() : undefined;
  if (t !== undefined && /^-?\d+$/.test(t)) return Number(t);
  if (fallback !== undefined) return fallback;
  throw new Malformed(key);
}
function optInteger(raw: RawMessage, key: string): number | undefined {
  const v = raw[key];
  const t = typeof v === 'string' ? v.trim() : undefined;
  return t !== undefined && /^-?\d+$/.test(t) ? Number(t) : undefined;
}

const EVENT_READERS: Record<string, (raw: RawMessage) => AmiEvent> = {
  extensionstatus: (r) => ({ type: 'ExtensionStatus', exten: text(r, 'exten'), context: text(r, 'context'), hint: textOr(r, 'hint', ''), status: integer(r, 'status'), statusText: textOr(r, 'statustext', '') }),
  devicestatechange: (r) => ({ type: 'DeviceStateChange', device: text(r, 'device'), state: normaliseDeviceState(text(r, 'state')) }),
  contactstatus: (r) => {
    const roundtripUsec = optInteger(r, 'roundtripusec');
    return {
      type: 'ContactStatus', uri: text(r, 'uri'), contactStatus: text(r, 'contactstatus') as ContactStatusName, aor: textOr(r, 'aor', ''), endpointName: textOr(r, 'endpointname', ''),
      ...(roundtripUsec !== undefined ? { roundtripUsec } : {}),
    };
  },
  peerstatus: (r) => ({ type: 'PeerStatus', channelType: textOr(r, 'channeltype', ''), peer: text(r, 'peer'), peerStatus: text(r, 'peerstatus') }),
  fullybooted: (r) => ({ type: 'FullyBooted', status: textOr(r, 'status', '') }),
};

/** A raw AMI event (lower-cased keys) to the port's typed event; undefined for what supervision does not use. */
export function parseAmiEvent(raw: unknown): AmiEvent | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const name = (raw as RawMessage).event;
  if (typeof name !== 'string') return undefined;
  const key = name.toLowerCase();
  if (!Object.hasOwn(EVENT_READERS, key)) return undefined;
  return readOrDrop(EVENT_READERS[key]!, raw as RawMessage);
}

function parseExtensionItem(raw: RawMessage): ExtensionStateItem | undefined {
  const e = parseAmiEvent(raw);
  return e?.type === 'ExtensionStatus' ? { exten: e.exten, context: e.context, hint: e.hint, status: e.status, statusText: e.statusText } : undefined;
}
function parseDeviceItem(raw: RawMessage): DeviceStateItem | undefined {
  const e = parseAmiEvent(raw);
  return e?.type === 'DeviceStateChange' ? { device: e.device, state: e.state } : undefined;
}
function parseEndpointItem(raw: RawMessage): EndpointItem | undefined {
  return readOrDrop((r) => ({
    name: text(r, 'objectname'), aor: textOr(r, 'aor', ''),
    contacts: textOr(r, 'contacts', '').split(',').map((c) => c.trim()).filter(Boolean),
    deviceState: normaliseDeviceState(textOr(r, 'devicestate', 'Unknown')), activeChannels: integer(r, 'activechannels', 0),
  }), raw);
}
function parseContactItem(raw: RawMessage): ContactItem | undefined {
  return readOrDrop((r) => {
    const id = text(r, 'objectname');
    // contact ids are `<aor>;@<hash>` (registered) or `<aor>@@<hash>` (static)
    const aor = id.split(/;@|@@/)[0] ?? '';
    return { id, aor, endpoint: textOr(r, 'endpoint', ''), uri: text(r, 'uri'), status: textOr(r, 'status', 'Unknown') };
  }, raw);
}

function messageOf(raw: RawMessage | undefined): string {
  const m = raw?.message;
  return (Array.isArray(m) ? m.join(' ') : typeof m === 'string' ? m : 'error').trim();
}

/** An AMI `Response: Error` to a typed error. AMI answers carry no error code: Asterisk's sentence is all there is. */
export function toAmiError(raw: RawMessage | undefined, action: string): AmiError {
  const message = messageOf(raw);
  const code = /^Invalid\/unknown command/i.test(message) ? 'ami_action_unsupported'
    : /^Permission denied/i.test(message) ? 'ami_permission_denied' : 'ami_action_failed';
  return new AmiError(code, `${action}: ${message}`, action);
}

// ---------------------------------------------------------------- the port

interface Waiting { reject(err: AmiError): void }
interface ListCollector { onItem(raw: RawMessage): void }

interface Session {
  sock?: AmiSocket;
  phase: 'connecting' | 'up' | 'ended';
  waiting: Map<string, Waiting>;
  lists: Map<string, ListCollector>;
  keepAlive?: NodeJS.Timeout;
}

class AmiManagerPort implements AmiPort {
  private readonly listeners: { [K in keyof AmiPortEvents]: Set<(...args: AmiPortEvents[K]) => void> } = {
    up: new Set(), down: new Set(), event: new Set(), failed: new Set(),
  };
  private session: Session | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private delay: number;
  private seq = 0;
  private readonly initialDelay: number;
  private readonly maxDelay: number;
  private readonly actionTimeoutMs: number;
  private readonly keepAliveMs: number;
  private readonly where: string;

  constructor(private readonly opts: AmiConnectOptions, private readonly log: Logger) {
    this.initialDelay = opts.reconnect?.initialDelayMs ?? 500;
    this.maxDelay = opts.reconnect?.maxDelayMs ?? 30_000;
    this.delay = this.initialDelay;
    this.actionTimeoutMs = opts.actionTimeoutMs ?? 10_000;
    this.keepAliveMs = opts.keepAliveMs ?? 30_000;
    this.where = `${opts.host}:${opts.port}`;
  }

  on<K extends keyof AmiPortEvents>(name: K, listener: (...args: AmiPortEvents[K]) => void): Unsubscribe {
    const set = this.listeners[name] as Set<(...args: AmiPortEvents[K]) => void>;
    set.add(listener);
    return () => { set.delete(listener); };
  }

  private emit<K extends keyof AmiPortEvents>(name: K, ...args: AmiPortEvents[K]): void {
    for (const l of [...(this.listeners[name] as Set<(...a: AmiPortEvents[K]) => void>)]) {
      try { l(...args); } catch (err) { this.log.error({ err, event: name }, 'AMI listener failed'); }
    }
  }

  isConnected(): boolean { return this.session?.phase === 'up'; }

  /** First connection: retries while Asterisk cannot be reached, fails at once when the login is refused. */
  async open(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw new AmiError('ami_closed', 'AMI port closed');
      try {
        this.sessionUp(await this.openSession());
        return;
      } catch (err) {
        const e = err as AmiError;
        if (e.code === 'ami_auth_failed') {
          this.log.error({ host: this.opts.host, port: this.opts.port, user: this.opts.user }, e.message);
          throw e;
        }
        this.log.warn({ host: this.opts.host, port: this.opts.port, attempt, retryInMs: this.delay, reason: e.message }, 'AMI connection failed');
        await this.pause(this.nextDelay());
      }
    }
  }

  private nextDelay(): number {
    const d = this.delay;
    this.delay = Math.min(this.delay * 2, this.maxDelay);
    return d;
  }

  private pause(ms: number): Promise<void> {
    const signal = this.opts.signal;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) { reject(new AmiError('ami_closed', `gave up connecting to AMI at ${this.where}`)); return; }
      const onAbort = () => { clearTimeout(this.retryTimer); reject(new AmiError('ami_closed', `gave up connecting to AMI at ${this.where}`)); };
      this.retryTimer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** One TCP connection and login, with a fresh reader (no parser state carried over). */
  private openSession(): Promise<Session> {
    const { host, port, user, password } = this.opts;
    const session: Session = { phase: 'connecting', waiting: new Map(), lists: new Map() };

    return new Promise<Session>((resolve, reject) => {
      let lastError = '';
      const timer = setTimeout(() => fail(new AmiError('ami_timeout', `no AMI login answer from ${this.where} within ${this.actionTimeoutMs} ms`)), this.actionTimeoutMs);
      const fail = (err: AmiError) => {
        if (session.phase !== 'connecting') return;
        session.phase = 'ended';
        clearTimeout(timer);
        this.detach(session);
        reject(err);
      };
      const sock = new AmiSocket(host, port, {
        onEvent: (raw) => this.onManagerEvent(session, raw),
        onError: (err) => { lastError = err.message; },
        onClose: () => {
          if (session.phase === 'connecting') fail(new AmiError('ami_not_connected', `AMI connection to ${this.where} closed${lastError ? `: ${lastError}` : ''}`));
          else this.sessionEnded(session, lastError ? `connection closed: ${lastError}` : 'connection closed by Asterisk');
        },
      }, () => {
        sock.action({ action: 'Login', username: user, secret: password, events: 'on' }, this.nextActionId(), (err) => {
          if (err) {
            fail(new AmiError('ami_auth_failed', `AMI login refused for user "${user}" at ${this.where}: ${messageOf(err)} (check the [${user}] secret in manager.conf and ATTENDANT_AMI_PASSWORD)`, 'Login'));
            return;
          }
          if (session.phase !== 'connecting') return;
          clearTimeout(timer);
          session.phase = 'up';
          resolve(session);
        });
      });
      session.sock = sock;
    });
  }

  private detach(session: Session): void {
    if (session.keepAlive) clearInterval(session.keepAlive);
    session.sock?.disconnect();
  }

  private sessionUp(session: Session): void {
    this.session = session;
    this.delay = this.initialDelay;
    if (this.keepAliveMs > 0) {
      session.keepAlive = setInterval(() => {
        this.ping().catch((err: AmiError) => {
          if (err.code === 'ami_timeout') this.sessionEnded(session, 'keep-alive Ping unanswered');
        });
      }, this.keepAliveMs);
      session.keepAlive.unref();
    }
    this.log.info({ host: this.opts.host, port: this.opts.port, user: this.opts.user }, 'AMI logged in');
    this.emit('up');
  }

  private sessionEnded(session: Session, reason: string): void {
    if (session.phase === 'ended') return;
    session.phase = 'ended';
    this.detach(session);
    const code = this.closed ? 'ami_closed' : 'ami_disconnected';
    for (const w of [...session.waiting.values()]) w.reject(new AmiError(code, `AMI session ended before the answer: ${reason}`));
    session.waiting.clear();
    session.lists.clear();
    if (this.session !== session) return;
    this.session = undefined;
    if (this.closed) {
      this.log.info({ host: this.opts.host, port: this.opts.port }, 'AMI closed');
    } else {
      this.log.warn({ host: this.opts.host, port: this.opts.port, reason, retryInMs: this.delay }, 'AMI connection lost');
    }
    this.emit('down', reason);
    if (!this.closed) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.retryTimer = setTimeout(() => { void this.reconnect(); }, this.nextDelay());
    this.retryTimer.unref();
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    try {
      const session = await this.openSession();
      if (this.closed) { this.detach(session); return; }
      this.sessionUp(session);
    } catch (err) {
      const e = err as AmiError;
      if (e.code === 'ami_auth_failed') {
        // the secret changed under us: retrying would only fill Asterisk's security log
        this.log.error({ host: this.opts.host, port: this.opts.port, user: this.opts.user }, `${e.message}; AMI supervision stopped`);
        this.closed = true;
        this.emit('failed', e);
        return;
      }
      this.log.warn({ host: this.opts.host, port: this.opts.port, retryInMs: this.delay, reason: e.message }, 'AMI reconnect failed');
      this.scheduleReconnect();
    }
  }

  private onManagerEvent(session: Session, raw: RawMessage): void {
    if (session.phase !== 'up') return;
    const id = raw.actionid;
    if (typeof id === 'string') {
      const list = session.lists.get(id);
      if (list) { list.onItem(raw); return; }
    }
    const event = parseAmiEvent(raw);
    if (event) this.emit('event', event);
  }

  private nextActionId(): string {
    this.seq += 1;
    return `att-${this.seq}`;
  }

  private currentSession(action: string): Session {
    const s = this.session;
    if (!s || s.phase !== 'up') throw new AmiError('ami_not_connected', `${action}: AMI is not connected (${this.where})`, action);
    return s;
  }

  /** One action, one answer. */
  private request(fields: ActionFields): Promise<RawMessage> {
    const action = String(fields.action);
    const s = this.currentSession(action);
    const id = this.nextActionId();
    return new Promise((resolve, reject) => {
      const done = (err?: AmiError, res?: RawMessage) => {
        if (!s.waiting.delete(id)) return;
        clearTimeout(timer);
        if (err) { s.sock?.forget(id); reject(err); } else resolve(res ?? {});
      };
      const timer = setTimeout(() => done(new AmiError('ami_timeout', `${action}: no answer within ${this.actionTimeoutMs} ms`, action)), this.actionTimeoutMs);
      s.waiting.set(id, { reject: (err) => done(err) });
      s.sock?.action(fields, id, (err, res) => done(err ? toAmiError(err, action) : undefined, res));
    });
  }

  /**
   * A list action: `Response: Success` + `EventList: start`, the items as events carrying our
   * ActionID, then `<Name>Complete` with `EventList: Complete`. `empty` recognises the error
   * some list actions answer instead of an empty list ("No Contacts found").
   */
  private requestList<T>(action: string, parse: (raw: RawMessage) => T | undefined, empty?: RegExp): Promise<T[]> {
    const s = this.currentSession(action);
    const id = this.nextActionId();
    const items: T[] = [];
    return new Promise((resolve, reject) => {
      const finish = (err?: AmiError) => {
        if (!s.waiting.delete(id)) return;
        clearTimeout(timer);
        s.lists.delete(id);
        s.sock?.forget(id);
        if (err) reject(err); else resolve(items);
      };
      const timer = setTimeout(() => finish(new AmiError('ami_timeout', `${action}: list not complete within ${this.actionTimeoutMs} ms`, action)), this.actionTimeoutMs);
      s.waiting.set(id, { reject: (err) => finish(err) });
      s.lists.set(id, {
        onItem: (raw) => {
          if (typeof raw.eventlist === 'string' && raw.eventlist.toLowerCase() === 'complete') { finish(); return; }
          const item = parse(raw);
          if (item !== undefined) items.push(item);
        },
      });
      s.sock?.action({ action }, id, (err) => {
        if (!err) return; // `EventList: start`: the items follow as events
        if (empty && empty.test(messageOf(err))) finish(); else finish(toAmiError(err, action));
      });
    });
  }

  async extensionStateList(): Promise<ExtensionStateItem[]> {
    return this.requestList('ExtensionStateList', parseExtensionItem);
  }

  async deviceStateList(): Promise<DeviceStateItem[]> {
    return this.requestList('DeviceStateList', parseDeviceItem);
  }

  async pjsipShowEndpoints(): Promise<EndpointItem[]> {
    return this.requestList('PJSIPShowEndpoints', parseEndpointItem, /^No endpoints found/i);
  }

  async pjsipShowContacts(): Promise<ContactItem[]> {
    return this.requestList('PJSIPShowContacts', parseContactItem, /^No Contacts found/i);
  }

  async pjsipNotify(endpoint: string, variable: Record<string, string> | string): Promise<void> {
    let vars: Record<string, string>;
    if (typeof variable === 'string') {
      const eq = variable.indexOf('=');
      vars = eq < 0 ? { [variable]: '' } : { [variable.slice(0, eq)]: variable.slice(eq + 1) };
    } else {
      vars = variable;
    }
    await this.request({ action: 'PJSIPNotify', endpoint, variable: vars });
  }

  async ping(): Promise<void> {
    await this.request({ action: 'Ping' });
  }

  async close(): Promise<void> {
    if (this.closed && !this.session) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    const s = this.session;
    if (!s) return;
    try { await this.request({ action: 'Logoff' }); } catch { /* the socket may already be gone */ }
    this.sessionEnded(s, 'closed');
  }
}

/**
 * Log in to AMI and keep the session: resolves at the first accepted login (retrying while
 * Asterisk is unreachable), rejects with AmiError `ami_auth_failed` when the login is refused.
 */
/** The port at once, its first connection under way: the controller does not wait for the lamps. */
export function startAmi(opts: AmiConnectOptions, log: Logger = silentLogger()): { port: AmiPort; opened: Promise<void> } {
  const port = new AmiManagerPort(opts, log);
  return { port, opened: port.open() };
}

export async function connectAmi(opts: AmiConnectOptions, log: Logger = silentLogger()): Promise<AmiPort> {
  const port = new AmiManagerPort(opts, log);
  await port.open();
  return port;
}
