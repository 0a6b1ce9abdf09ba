// The Stasis app's events WebSocket (`/ari/events?app=<app>`), straight over `ws`.
//
// Why not ari-client's: for every event it looked the type up in the swagger models and built a
// resource instance for each channel or bridge in it, with a closure per generated operation (about
// forty for a channel), before handing the plain JSON on; this port never used the instances (it
// parses the JSON itself, ari.ts). Measured on the real Asterisk 23.4.1 in docs/benchmark.md.
// Reconnecting is the port's job (ari.ts): a socket that closes is reported once and never reopened here.
import WebSocket from 'ws';
import { ariBasePath, refusalMessage } from './ari-rest.ts';

export interface EventSocketOptions {
  /** ARI's base URL, as in the configuration (`http://127.0.0.1:8088`, with or without `/ari`) */
  url: string;
  user: string;
  password: string;
  app: string;
  /** an opening handshake without an answer after this long fails (status 503); default 5000 */
  handshakeTimeoutMs?: number;
  /** each event, decoded (a frame that is not JSON is dropped) */
  onEvent(raw: unknown): void;
  /** the socket closed after it had opened (Asterisk stopped, the network dropped, close()) */
  onClose(): void;
}

/** A refused or failed opening: `status` is the upgrade's HTTP status (401, 403, 404…), 503 when Asterisk did not answer. */
export class EventSocketError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'EventSocketError';
  }
}

export interface EventSocket {
  /** the underlying socket, read by the bench probe only (frames as they arrive) */
  readonly ws: WebSocket;
  close(): void;
}

/** the events URL of an app: ws(s)://host/ari/events?app=<app> (one app, its own channels and bridges only) */
export function eventsUrl(base: string, app: string): string {
  const u = new URL(base);
  const url = new URL(`${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}${ariBasePath(u)}/events`);
  url.searchParams.set('app', app);
  return url.toString();
}

/** Open the app's socket; resolves once it is open (Asterisk registered the app), rejects with an EventSocketError. */
export function openEventSocket(o: EventSocketOptions): Promise<EventSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(eventsUrl(o.url, o.app), {
      headers: { authorization: `Basic ${Buffer.from(`${o.user}:${o.password}`).toString('base64')}` },
      handshakeTimeout: o.handshakeTimeoutMs ?? 5000,
      perMessageDeflate: false,
    });
    let opened = false;
    let settled = false;
    const fail = (err: EventSocketError) => {
      if (settled) return;
      settled = true;
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
      reject(err);
    };
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { if (body.length < 2000) body += chunk; });
      res.on('end', () => fail(new EventSocketError(res.statusCode ?? 0, `${res.statusCode ?? 0} : ${refusalMessage(body, res.statusMessage ?? '')}`)));
      res.on('error', () => fail(new EventSocketError(res.statusCode ?? 0, `${res.statusCode ?? 0} : ${res.statusMessage ?? ''}`)));
    });
    ws.on('error', (err) => {
      // before the opening: Asterisk is not there (refused, reset, timed out); after it, 'close' follows
      if (!opened) fail(new EventSocketError(503, err.message));
    });
    ws.on('open', () => {
      opened = true;
      settled = true;
      resolve({ ws, close: () => ws.terminate() });
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        return;
      }
      o.onEvent(raw);
    });
    ws.on('close', () => {
      if (opened) o.onClose();
    });
  });
}
