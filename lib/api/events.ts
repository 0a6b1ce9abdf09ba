// The live feed: every published change of calls, queues, attendants, groups and supervised
// devices, numbered, kept for the last `capacity` events so a reconnecting console can catch up
// (fewer when queue events are large: see MAX_KEPT_QUEUE_IDS).
//
// Protocol (WebSocket at /api/events, JSON text frames):
//  authenticate with a first message {type:'auth', token, since?, epoch?} within 5 s, or with
//  x-api-key / Authorization on the upgrade request. Never in the URL (`?token=` is refused with
//  400): a URL ends up in proxy and access logs. One login holds at most MAX_STREAMS_PER_LOGIN
//  streams (more: 429 at the upgrade, or closed 4429 after the auth message).
//  server → client
//   {type:'hello', epoch, seq, now, user}            once authenticated
//   {type:'snapshot', epoch, seq, now, data}         the whole state, on connect or when resuming is impossible
//   {type:'resumed', epoch, since, seq, now}         `since` was still in the buffer: the missed events follow
//   {type:'event', seq, kind, at, data}              one change; seq grows by one per event
//   {type:'pong', now} · {type:'error', error}
//  client → server: {type:'auth', ...} · {type:'ping'} · {type:'snapshot'} (ask for a fresh one)
//  `epoch` names this process's numbering: after a controller restart the epoch differs and
//  a client resuming with the old one gets a snapshot.
import type { IncomingMessage, Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { StateChange, SwitchboardView } from '../calls/view.ts';
import type { TimeSource } from '../domain/clock.ts';
import type { BlfChange } from '../supervision/blf.ts';
import type { Principal, Sessions } from './auth/sessions.ts';
import type { SupervisionSource, Views } from './views.ts';

export const EVENT_KINDS = ['call', 'queue', 'attendant', 'group', 'device'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface ApiEvent {
  seq: number;
  kind: EventKind;
  /** server time of the event (ms epoch): consoles also use it to keep their clock offset */
  at: number;
  data: unknown;
}

export interface SnapshotMessage {
  type: 'snapshot';
  epoch: string;
  seq: number;
  now: number;
  data: {
    attendants: ReturnType<Views['allAttendants']>;
    groups: ReturnType<Views['allGroups']>;
    calls: ReturnType<Views['allCalls']>;
    supervision: ReturnType<Views['supervisionView']>;
    classes: ReturnType<Views['classList']>;
  };
}

/**
 * Queue ids kept in the buffer at most: a queue event carries the whole queue, so 1,000 of them with
 * 10,000 callers waiting held 40 MB (measured by the benchmark). Older events go first; a console
 * resuming from one of them gets a snapshot instead, as for any event no longer kept.
 */
const MAX_KEPT_QUEUE_IDS = 50_000;

/**
 * How long after the last console left its events are still kept for it to resume: past it (or before any
 * console ever connected) a change is numbered but neither turned into its view nor kept, and a console
 * that comes gets a snapshot. A busy controller with no console open no longer builds a view of every change.
 */
const RESUME_WINDOW_MS = 5 * 60_000;

const queueIds = (e: ApiEvent): number => (e.kind === 'queue' ? ((e.data as { callIds?: unknown[] }).callIds?.length ?? 0) : 0);

export class EventHub {
  /** this process's numbering of events */
  readonly epoch = randomUUID().slice(0, 8);
  private seq = 0;
  private readonly buffer: ApiEvent[] = [];
  private keptQueueIds = 0;
  private readonly listeners = new Set<(e: ApiEvent, frame: string) => void>();
  /** when the last listener left; undefined while one is connected or before any came */
  private lastLeftAt: number | undefined;
  private everListened = false;

  constructor(
    private readonly views: Views,
    private readonly time: TimeSource,
    state: SwitchboardView,
    supervision: SupervisionSource | undefined,
    readonly capacity = 1000,
  ) {
    state.onChange((c) => this.fromChange(c));
    supervision?.on('change', (c: BlfChange) => this.publish('device', c));
  }

  get lastSeq(): number {
    return this.seq;
  }

  /** the events after `since`, or undefined when some of them are no longer kept (or `since` is from the future) */
  since(since: number): ApiEvent[] | undefined {
    if (!Number.isSafeInteger(since) || since < 0 || since > this.seq) return undefined;
    if (since === this.seq) return [];
    const first = this.buffer[0];
    if (!first || first.seq > since + 1) return undefined;
    return this.buffer.slice(since + 1 - first.seq);
  }

  snapshot(): SnapshotMessage {
    return {
      type: 'snapshot', epoch: this.epoch, seq: this.seq, now: this.time.now(),
      data: {
        attendants: this.views.allAttendants(),
        groups: this.views.allGroups(),
        calls: this.views.allCalls(),
        supervision: this.views.supervisionView(),
        classes: this.views.classList(),
      },
    };
  }

  subscribe(fn: (e: ApiEvent, frame: string) => void): () => void {
    this.listeners.add(fn);
    this.everListened = true;
    this.lastLeftAt = undefined;
    return () => {
      this.listeners.delete(fn);
      if (!this.listeners.size) this.lastLeftAt = this.time.now();
    };
  }

  /** a console is connected, or one left recently enough to resume */
  private get recording(): boolean {
    if (this.listeners.size) return true;
    return this.everListened && this.lastLeftAt !== undefined && this.time.now() - this.lastLeftAt < RESUME_WINDOW_MS;
  }

  /** a change nobody can ask for: numbered (a console resuming from before it gets a snapshot), nothing kept */
  private skip(): void {
    this.seq++;
    if (this.buffer.length) {
      this.buffer.length = 0;
      this.keptQueueIds = 0;
    }
  }

  publish(kind: EventKind, data: unknown): ApiEvent {
    const e: ApiEvent = { seq: ++this.seq, kind, at: this.time.now(), data };
    this.buffer.push(e);
    this.keptQueueIds += queueIds(e);
    // oldest first, past the capacity or the queue-id budget (the newest event always stays)
    let drop = 0;
    let kept = this.keptQueueIds;
    while (drop < this.buffer.length - 1 && (this.buffer.length - drop > this.capacity || kept > MAX_KEPT_QUEUE_IDS)) {
      kept -= queueIds(this.buffer[drop]!);
      drop++;
    }
    if (drop) {
      this.buffer.splice(0, drop);
      this.keptQueueIds = kept;
    }
    // the frame is only made for someone: with a long queue it is large, and most controllers have no console open
    if (this.listeners.size) {
      const frame = eventFrame(e);
      for (const fn of this.listeners) fn(e, frame);
    }
    return e;
  }

  private fromChange(c: StateChange): void {
    if (!this.recording) {
      this.skip();
      return;
    }
    switch (c.kind) {
      case 'attendant': this.publish('attendant', this.views.attendant(c.attendant)); break;
      case 'group': this.publish('group', this.views.group(c.group)); break;
      case 'call': this.publish('call', this.views.call(c.call)); break;
      case 'queue': this.publish('queue', { group: c.group, callIds: c.callIds }); break;
    }
  }
}

export function eventFrame(e: ApiEvent): string {
  return JSON.stringify({ type: 'event', seq: e.seq, kind: e.kind, at: e.at, data: e.data });
}

export interface EventsDeps {
  hub: EventHub;
  sessions: Sessions;
  time: TimeSource;
  log: Logger;
  /** origins allowed besides the page's own (browsers send Origin on WebSocket upgrades) */
  corsOrigins: readonly string[];
}

export interface EventsHandle {
  /** connected and authenticated clients */
  readonly clients: number;
  close(): void;
}

export const AUTH_TIMEOUT_MS = 5_000;
/** event streams one login (a session, an API key) may hold at once: a console needs one, a reload briefly two */
export const MAX_STREAMS_PER_LOGIN = 8;
/** a client this far behind is cut off; it reconnects with since=<seq> */
const MAX_BUFFERED_BYTES = 1_000_000;

interface Resume { since?: number; epoch?: string }

function parseResume(since: unknown, epoch: unknown): Resume {
  const out: Resume = {};
  const n = typeof since === 'number' ? since : typeof since === 'string' && /^\d{1,15}$/.test(since) ? Number(since) : undefined;
  if (n !== undefined && Number.isSafeInteger(n)) out.since = n;
  if (typeof epoch === 'string' && /^[0-9a-f-]{1,36}$/.test(epoch)) out.epoch = epoch;
  return out;
}

const UPGRADE_REFUSALS: Readonly<Record<number, { reason: string; code: string }>> = {
  400: { reason: 'Bad Request', code: 'bad_request' },
  401: { reason: 'Unauthorized', code: 'unauthorized' },
  403: { reason: 'Forbidden', code: 'forbidden' },
  404: { reason: 'Not Found', code: 'not_found' },
  429: { reason: 'Too Many Requests', code: 'too_many_streams' },
};

function rejectUpgrade(socket: Duplex, status: keyof typeof UPGRADE_REFUSALS & number, message: string, code?: string): void {
  const r = UPGRADE_REFUSALS[status]!;
  const body = JSON.stringify({ error: { code: code ?? r.code, message } });
  socket.end(`HTTP/1.1 ${status} ${r.reason}\r\n`
    + `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** Browsers send Origin: accept the page's own host and configured origins; other clients send none. */
function originAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** Serve the live feed on `server` at /api/events. */
export function attachEvents(server: Server, deps: EventsDeps): EventsHandle {
  const { hub, sessions, time, log } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const live = new Map<WebSocket, Principal>();
  const alive = new WeakMap<WebSocket, boolean>();

  const credentialsOf = (req: IncomingMessage): Principal | undefined | 'bad' => {
    const token = bearer(req.headers.authorization);
    const key = req.headers['x-api-key'];
    if (req.headers.authorization !== undefined) return token !== undefined ? sessions.fromToken(token) ?? 'bad' : 'bad';
    if (key !== undefined) return typeof key === 'string' ? sessions.fromApiKey(key) ?? 'bad' : 'bad';
    return undefined;
  };
  /** the streams a login holds: a session by its id, an API key by its name */
  const loginOf = (p: Principal): string => p.sessionId ?? `key:${p.name}`;
  const streamsOf = (p: Principal): number => {
    let n = 0;
    for (const q of live.values()) if (loginOf(q) === loginOf(p)) n++;
    return n;
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    let url: URL;
    try { url = new URL(req.url ?? '/', 'http://localhost'); } catch { rejectUpgrade(socket, 404, 'no such endpoint'); return; }
    if (url.pathname !== '/api/events') { rejectUpgrade(socket, 404, 'no such endpoint'); return; }
    if (!originAllowed(req, deps.corsOrigins)) { rejectUpgrade(socket, 403, 'origin not allowed'); return; }
    if (url.searchParams.has('token')) {
      rejectUpgrade(socket, 400, 'a token in the URL is refused: send {"type":"auth","token":...} as the first message, or Authorization: Bearer', 'token_in_url');
      return;
    }
    const who = credentialsOf(req);
    if (who === 'bad') { rejectUpgrade(socket, 401, 'invalid or expired credentials'); return; }
    if (who && streamsOf(who) >= MAX_STREAMS_PER_LOGIN) { rejectUpgrade(socket, 429, `this login already holds ${MAX_STREAMS_PER_LOGIN} event streams`); return; }
    const resume = parseResume(url.searchParams.get('since'), url.searchParams.get('epoch'));
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws, who, resume));
  };
  server.on('upgrade', onUpgrade);

  const send = (ws: WebSocket, msg: unknown) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  };

  /** the hub's listener while a client streams: with none, the hub keeps events for the resume window only */
  let unsubscribe: (() => void) | undefined;
  const start = (ws: WebSocket, principal: Principal, resume: Resume) => {
    live.set(ws, principal);
    unsubscribe ??= hub.subscribe((_e, frame) => {
      for (const [client] of live) {
        if (client.bufferedAmount > MAX_BUFFERED_BYTES) { client.close(1013, 'too far behind: reconnect with since'); continue; }
        send(client, frame);
      }
    });
    send(ws, { type: 'hello', epoch: hub.epoch, seq: hub.lastSeq, now: time.now(), user: { name: principal.name, role: principal.role, ...(principal.attendant ? { attendant: principal.attendant } : {}) } });
    const missed = resume.since !== undefined && (resume.epoch === undefined || resume.epoch === hub.epoch) ? hub.since(resume.since) : undefined;
    if (missed) {
      send(ws, { type: 'resumed', epoch: hub.epoch, since: resume.since, seq: hub.lastSeq, now: time.now() });
      for (const e of missed) send(ws, eventFrame(e));
    } else {
      send(ws, hub.snapshot());
    }
    log.debug({ user: principal.name, resumed: missed !== undefined, replayed: missed?.length ?? 0 }, 'event stream opened');
  };

  const accept = (ws: WebSocket, who: Principal | undefined, resume: Resume) => {
    alive.set(ws, true);
    ws.on('pong', () => alive.set(ws, true));
    let authTimer = who ? undefined : time.schedule(AUTH_TIMEOUT_MS, () => { if (!live.has(ws)) ws.close(4401, 'authentication timeout'); });
    ws.on('message', (raw: RawData, isBinary: boolean) => {
      let msg: unknown;
      try { msg = isBinary ? undefined : JSON.parse(raw.toString()); } catch { msg = undefined; }
      const type = typeof msg === 'object' && msg !== null ? (msg as { type?: unknown }).type : undefined;
      if (!live.has(ws)) {
        const m = (msg ?? {}) as { token?: unknown; apiKey?: unknown; since?: unknown; epoch?: unknown };
        const principal = type === 'auth'
          ? typeof m.token === 'string' ? sessions.fromToken(m.token) : typeof m.apiKey === 'string' ? sessions.fromApiKey(m.apiKey) : undefined
          : undefined;
        authTimer?.cancel();
        authTimer = undefined;
        if (!principal) { ws.close(4401, type === 'auth' ? 'invalid or expired token' : 'authenticate first'); return; }
        if (streamsOf(principal) >= MAX_STREAMS_PER_LOGIN) { ws.close(4429, 'too many event streams for this login'); return; }
        start(ws, principal, { ...resume, ...parseResume(m.since, m.epoch) });
        return;
      }
      if (type === 'ping') send(ws, { type: 'pong', now: time.now() });
      else if (type === 'snapshot') send(ws, hub.snapshot());
      else send(ws, { type: 'error', error: { code: 'invalid_message', message: 'expected {"type":"ping"} or {"type":"snapshot"}' } });
    });
    ws.on('close', () => {
      authTimer?.cancel();
      live.delete(ws);
      if (!live.size) { unsubscribe?.(); unsubscribe = undefined; }
    });
    ws.on('error', (err) => log.debug({ err: err.message }, 'event stream error'));
    if (who) start(ws, who, resume);
  };

  const onEnded = (sessionId: string) => {
    for (const [ws, p] of live) if (p.sessionId === sessionId) ws.close(4000, 'session ended');
  };
  sessions.on('ended', onEnded);

  // liveness: a client that does not answer two pings in a row is dropped
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) { ws.terminate(); continue; }
      alive.set(ws, false);
      ws.ping();
    }
  }, 30_000);
  heartbeat.unref();

  return {
    get clients() { return live.size; },
    close() {
      clearInterval(heartbeat);
      unsubscribe?.();
      unsubscribe = undefined;
      sessions.off('ended', onEnded);
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

function bearer(header: string | undefined): string | undefined {
  const m = /^Bearer ([^\s]+)$/i.exec(header ?? '');
  return m?.[1];
}
