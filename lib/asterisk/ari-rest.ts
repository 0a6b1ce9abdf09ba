// ARI's REST requests, written straight on kept-alive sockets (http-pool.ts), two lanes per controller.
//
// Why not ari-client's generated resources: they drop the HTTP status of a refusal (the body's text
// was all that was left to tell a 404 from a 409), and every concurrent request opens its own HTTP
// session on Asterisk's global agent, so a burst of calls went past Asterisk's session limit ("HTTP
// session count exceeded 100") and each request paid a TCP handshake and an authentication. Here a
// bounded pool of kept-alive sockets carries every request, one at a time per socket (originates in
// a lane of their own), and each refusal keeps the status Asterisk sent (AriError.status).
import type { TimeSource } from '../domain/clock.ts';
import { realTime } from '../clock.ts';
import { AriError } from './port.ts';
import { HttpFailure, HttpPool } from './http-pool.ts';
import { ariProbe } from './probe.ts';

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
  const sockets = opts.maxSockets ?? 32;
  const port = Number(url.port || (secure ? 443 : 80));
  // each lane opens at most CONNECTS_IN_FLIGHT sockets at a time: past Asterisk's listen backlog of 10
  // a new connection waits a second for its SYN to be sent again
  const lane = () => new HttpPool({ host: url.hostname.replace(/^\[|\]$/g, ''), port, secure, maxSockets: sockets, connectsInFlight: CONNECTS_IN_FLIGHT });
  // originates have a lane of their own: a presentation never queues behind the follow-up requests
  // (answer, bridge, device states) of the calls already taken. In one shared pool, at 500 calls/s on
  // the simulator, presentation p50 was 0.9 s and no call was presented within 50 ms
  const originates = lane();
  const others = lane();
  const base = ariBasePath(url);
  const fixed = `Host: ${url.host}\r\nAuthorization: Basic ${Buffer.from(`${opts.user}:${opts.password}`).toString('base64')}\r\nAccept: application/json\r\n`;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const time = opts.time ?? realTime;

  return {
    warm(): Promise<void> {
      // the lane is chosen by operation: a cheap GET sent as an originate opens (and keeps) one of its sockets
      return this.request('channels.originate', 'GET', '/asterisk/info', { only: 'status' }).then(() => undefined, () => undefined);
    },
    request<T>(operation: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, query: Query = {}, body?: unknown): Promise<T> {
      let qs = '';
      for (const k in query) {
        const v = query[k];
        if (v !== undefined) qs += `${qs ? '&' : '?'}${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`;
      }
      const target = `${base}${path}${qs}`;
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const head = `${method} ${target} HTTP/1.1\r\n${fixed}${payload ? `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n` : method !== 'GET' ? 'Content-Length: 0\r\n' : ''}\r\n`;
      const isOriginate = operation === 'channels.originate';
      const sent = (isOriginate ? originates : others).request(head, payload, ariProbe && isOriginate ? () => ariProbe!.requestSent(method, target) : undefined);
      const timer = time.schedule(timeoutMs, () => sent.cancel(new HttpFailure(`no answer within ${timeoutMs} ms`, 'ETIMEDOUT')));
      return sent.answer.then((res) => {
        timer.cancel();
        const { status } = res;
        const text = res.body.toString('utf8');
        if (status >= 200 && status < 300) {
          if (!text) return undefined as T;
          try { return JSON.parse(text) as T; } catch { throw new AriError(502, `unreadable answer: ${text.slice(0, 80)}`, operation); }
        }
        throw new AriError(status, refusalMessage(text, res.statusText), operation);
      }, (err: HttpFailure) => {
        timer.cancel();
        throw new AriError(err.code === 'ETIMEDOUT' ? 504 : 503, err.message, operation);
      });
    },
    close() { originates.close(); others.close(); },
  };
}
