// ARI's REST requests, sent straight over Node's HTTP with one keep-alive pool per controller.
//
// Why not ari-client's generated resources: they drop the HTTP status of a refusal (the body's text
// was all that was left to tell a 404 from a 409), and every concurrent request opens its own HTTP
// session on Asterisk's global agent, so a burst of calls went past Asterisk's session limit ("HTTP
// session count exceeded 100") and each request paid a TCP handshake and an authentication. Here a
// bounded pool of kept-alive sockets carries every request, one at a time per socket (originates in
// a lane of their own), and each refusal keeps the status Asterisk sent (AriError.status).
import http from 'node:http';
import https from 'node:https';
import type { TimeSource } from '../domain/clock.ts';
import { AriError } from './port.ts';
import { ConnectGate } from './connect-gate.ts';

/** TCP connects in flight per lane: two lanes stay below Asterisk's listen backlog of 10 */
const CONNECTS_IN_FLIGHT = 4;

export interface AriRestOptions {
  /** ARI's base URL, as in the configuration (`http://127.0.0.1:8088`, with or without `/ari`) */
  url: string;
  user: string;
  password: string;
  /** a request without an answer after this long fails with 504; default 5000 */
  timeoutMs?: number;
  /** sockets kept open to Asterisk in each lane (originates, the rest); default 32, 64 in all (Asterisk's own limit is sessionlimit=100 in http.conf) */
  maxSockets?: number;
  /** the clock of timeouts (tests share a manual one with the simulator); default real time */
  time?: TimeSource;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface AriRest {
  /** the decoded JSON answer (undefined for 204), or an AriError with Asterisk's status and message */
  request<T = unknown>(operation: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query?: Query, body?: unknown): Promise<T>;
  /** open a socket of the originates' lane ahead of the first call (a cold lane lost the race to a warm one) */
  warm(): Promise<void>;
  close(): void;
}

/** the base path of ARI under the URL given: `/ari` unless the URL already ends with it */
export function ariBasePath(url: URL): string {
  const path = url.pathname.replace(/\/+$/, '');
  return path.endsWith('/ari') ? path : `${path}/ari`;
}

/** Asterisk's error bodies: `{"message": "..."}`, and `{"error": "..."}` for a few (originate's "Allocation failed") */
export function refusalMessage(text: string, fallback: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const said = body.message ?? body.error;
    if (typeof said === 'string' && said) return said;
  } catch { /* not JSON */ }
  return text.trim() || fallback;
}

export function createAriRest(opts: AriRestOptions): AriRest {
  const url = new URL(opts.url);
  const secure = url.protocol === 'https:';
  const transport = secure ? https : http;
  const sockets = opts.maxSockets ?? 32;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  // originates have a lane of their own: a presentation never queues behind the follow-up requests
  // (answer, bridge, device states) of the calls already taken. In one shared pool, at 500 calls/s on
  // the simulator, presentation p50 was 0.9 s and no call was presented within 50 ms
  const originates = new transport.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  // each lane opens at most CONNECTS_IN_FLIGHT sockets at a time: past Asterisk's listen backlog of 10
  // a new connection waits a second for its SYN to be sent again (connect-gate.ts)
  new ConnectGate(CONNECTS_IN_FLIGHT).attach(agent);
  new ConnectGate(CONNECTS_IN_FLIGHT).attach(originates);
  const base = ariBasePath(url);
  const authorization = `Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}`;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const port = url.port || (secure ? 443 : 80);

  return {
    warm(): Promise<void> {
      // the lane is chosen by operation: a cheap GET sent as an originate opens (and keeps) one of its sockets
      return this.request('channels.originate', 'GET', '/asterisk/info', { only: 'status' }).then(() => undefined, () => undefined);
    },
    request<T>(operation: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query: Query = {}, body?: unknown): Promise<T> {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) search.append(k, String(v));
      const qs = search.toString();
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers: http.OutgoingHttpHeaders = { authorization, accept: 'application/json' };
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(payload);
      } else if (method !== 'GET') {
        headers['content-length'] = 0;
      }
      const send = (retried: boolean): Promise<T> => new Promise<T>((resolve, reject) => {
        let settled = false;
        const finish = (fn: () => void) => { if (settled) return; settled = true; timer?.cancel(); if (real) clearTimeout(real); fn(); };
        const req = transport.request({ agent: operation === 'channels.originate' ? originates : agent, host: url.hostname, port, method, path: `${base}${path}${qs ? `?${qs}` : ''}`, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (err) => finish(() => reject(new AriError(503, err.message, operation))));
          res.on('end', () => finish(() => {
            const status = res.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            if (status >= 200 && status < 300) {
              if (!text) { resolve(undefined as T); return; }
              try { resolve(JSON.parse(text) as T); } catch { reject(new AriError(502, `unreadable answer: ${text.slice(0, 80)}`, operation)); }
              return;
            }
            reject(new AriError(status, refusalMessage(text, res.statusMessage ?? ''), operation));
          }));
        });
        const fail = () => finish(() => { req.destroy(); reject(new AriError(504, `no answer within ${timeoutMs} ms`, operation)); });
        const timer = opts.time ? opts.time.schedule(timeoutMs, fail) : undefined;
        const real = opts.time ? undefined : setTimeout(fail, timeoutMs);
        real?.unref();
        req.on('error', (err: NodeJS.ErrnoException) => finish(() => {
          // a kept-alive socket Asterisk closed while idle (http.conf session_keep_alive) fails at once,
          // before Asterisk read anything: sent again once on a new socket
          if (!retried && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
            send(true).then(resolve, reject);
            return;
          }
          reject(new AriError(503, err.message, operation));
        }));
        if (payload !== undefined) req.write(payload);
        req.end();
      });
      return send(false);
    },
    close() { agent.destroy(); originates.destroy(); },
  };
}
