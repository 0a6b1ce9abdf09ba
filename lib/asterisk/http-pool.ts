// A small HTTP/1.1 client for ARI's REST requests: a bounded pool of kept-alive sockets to one host,
// one request at a time on each, the request written as one string, the answer read by a parser that
// knows what Asterisk's HTTP server sends (a status line, headers, a Content-Length body; chunked and
// close-delimited bodies are read too, for other servers). Why not Node's http.request: profiled on
// Asterisk 23.4.1, its ClientRequest, agent and IncomingMessage were ~30 % of the CPU of presenting a
// call (the originate), and every call makes ten requests; this writes the same bytes for a fraction.
// What it does not do: redirects, pipelining, compression, proxies, 100-continue. None is used by ARI.
import net from 'node:net';
import tls from 'node:tls';

export interface HttpPoolOptions {
  host: string;
  port: number;
  secure: boolean;
  /** sockets kept open at most */
  maxSockets: number;
  /** TCP connects in flight at once (Asterisk listens with a backlog of 10: past it a SYN waits a second) */
  connectsInFlight: number;
}

export interface HttpAnswer {
  status: number;
  statusText: string;
  body: Buffer;
}

/** a transport failure: `code` is the socket's (ECONNREFUSED, ECONNRESET, ...) or 'ETIMEDOUT' */
export class HttpFailure extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

interface Pending {
  head: string;
  body: Buffer | undefined;
  resolve: (a: HttpAnswer) => void;
  reject: (e: HttpFailure) => void;
  /** told once the request's bytes were handed to the socket */
  written: (() => void) | undefined;
  /** sent once already on a kept socket that turned out closed: not sent again */
  retried: boolean;
  done: boolean;
}

const CRLF2 = Buffer.from('\r\n\r\n');
const MAX_HEAD = 64 * 1024;

/** one socket and the answer being read on it */
class Conn {
  socket: net.Socket;
  connected = false;
  /** lost or dropped: its later events are ignored */
  private gone = false;
  /** requests it carried (0: a fresh socket, whose failure is not the kept-socket race) */
  used = 0;
  current: Pending | undefined;
  /** any byte of the current answer arrived */
  private started = false;
  private buf: Buffer = Buffer.alloc(0);
  private status = 0;
  private statusText = '';
  /** body bytes still due, -1 chunked, -2 until close; undefined while reading the head */
  private remaining: number | undefined;
  private bodyParts: Buffer[] = [];
  private closeAfter = false;

  constructor(private readonly pool: HttpPool, opts: HttpPoolOptions) {
    const onConnect = () => { this.connected = true; pool.connectDone(); pool.connReady(this); };
    this.socket = opts.secure
      ? tls.connect({ host: opts.host, port: opts.port, servername: net.isIP(opts.host) ? undefined : opts.host }, onConnect)
      : net.connect({ host: opts.host, port: opts.port }, onConnect);
    this.socket.setNoDelay(true);
    this.socket.on('data', (d: Buffer) => { if (!this.gone) this.read(d); });
    this.socket.on('error', (err: NodeJS.ErrnoException) => this.lost(err.code ?? 'ECONNRESET', err.message));
    this.socket.on('close', () => this.lost('ECONNRESET', 'socket closed'));
  }

  send(p: Pending): void {
    this.current = p;
    this.used++;
    this.started = false;
    this.remaining = undefined;
    this.bodyParts = [];
    this.closeAfter = false;
    if (p.body) {
      this.socket.cork();
      this.socket.write(p.head);
      this.socket.write(p.body);
      this.socket.uncork();
    } else {
      this.socket.write(p.head);
    }
    p.written?.();
  }

  private lost(code: string, message: string): void {
    if (this.gone) return;
    this.gone = true;
    const neverConnected = !this.connected;
    if (neverConnected) this.pool.connectDone();
    this.connected = false;
    const p = this.current;
    this.current = undefined;
    this.socket.destroy();
    this.pool.connLost(this, p, p !== undefined && !this.started && this.used > 1, code, message, neverConnected);
  }

  private read(d: Buffer): void {
    if (!this.current) {
      // nothing asked: the server is out of step; this socket is not used again
      this.lost('EPROTO', 'unexpected data from the server');
      return;
    }
    this.started = true;
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    for (;;) {
      if (this.remaining === undefined) {
        const end = this.buf.indexOf(CRLF2);
        if (end < 0) {
          if (this.buf.length > MAX_HEAD) this.lost('EPROTO', 'answer head too long');
          return;
        }
        if (!this.parseHead(this.buf.toString('latin1', 0, end))) return;
        this.buf = this.buf.subarray(end + 4);
      }
      if (this.remaining === -2) {
        if (this.buf.length) this.bodyParts.push(this.buf);
        this.buf = Buffer.alloc(0);
        return; // the close ends it (lost() sees `closeAfter`)
      }
      if (this.remaining === -1) {
        const r = this.readChunk();
        if (r === 'more') return;
        if (r === 'bad') { this.lost('EPROTO', 'bad chunked body'); return; }
        if (r === 'chunk') continue;
        this.complete();
        return;
      }
      const due = this.remaining as number;
      const take = Math.min(due, this.buf.length);
      if (take) this.bodyParts.push(this.buf.subarray(0, take));
      this.buf = this.buf.subarray(take);
      this.remaining = due - take;
      if (due > take) return;
      this.complete();
      return;
    }
  }

  /** the status line and the headers this client needs; false when the socket was given up */
  private parseHead(head: string): boolean {
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0] ?? '');
    if (!m) { this.lost('EPROTO', `not an HTTP answer: ${(lines[0] ?? '').slice(0, 40)}`); return false; }
    this.status = Number(m[1]);
    this.statusText = m[2] ?? '';
    let length: number | undefined;
    let chunked = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') chunked = value.toLowerCase().includes('chunked');
      else if (name === 'connection') this.closeAfter = value.toLowerCase() === 'close';
    }
    if (this.status === 204 || this.status === 304 || (this.status >= 100 && this.status < 200)) this.remaining = 0;
    else if (chunked) this.remaining = -1;
    else if (length !== undefined && Number.isInteger(length) && length >= 0) this.remaining = length;
    else { this.remaining = -2; this.closeAfter = true; }
    return true;
  }

  /** one chunk of a chunked body: 'chunk' read, 'last' the end, 'more' bytes missing, 'bad' */
  private readChunk(): 'chunk' | 'last' | 'more' | 'bad' {
    const eol = this.buf.indexOf('\r\n');
    if (eol < 0) return this.buf.length > 1024 ? 'bad' : 'more';
    const size = parseInt(this.buf.toString('latin1', 0, eol).split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size < 0) return 'bad';
    if (size === 0) {
      // trailers (none expected) end with an empty line
      const end = this.buf.indexOf(CRLF2, eol - 2 < 0 ? 0 : eol - 2);
      if (end < 0) return 'more';
      this.buf = this.buf.subarray(end + 4);
      return 'last';
    }
    if (this.buf.length < eol + 2 + size + 2) return 'more';
    this.bodyParts.push(this.buf.subarray(eol + 2, eol + 2 + size));
    this.buf = this.buf.subarray(eol + 2 + size + 2);
    return 'chunk';
  }

  private complete(): void {
    const p = this.current!;
    this.current = undefined;
    const body = this.bodyParts.length === 1 ? this.bodyParts[0]! : Buffer.concat(this.bodyParts);
    this.bodyParts = [];
    const answer = { status: this.status, statusText: this.statusText, body };
    if (this.closeAfter || this.buf.length) {
      // the server closes it, or sent more than was asked: not kept
      this.buf = Buffer.alloc(0);
      this.gone = true;
      this.socket.destroy();
      this.pool.connLost(this, undefined, false, 'ECONNRESET', 'closed after the answer', false);
    } else {
      this.pool.connReady(this);
    }
    this.pool.answered(p, answer);
  }

  /** a close-delimited body ends with the socket */
  endsWithClose(): HttpAnswer | undefined {
    if (this.remaining !== -2) return undefined;
    if (this.buf.length) this.bodyParts.push(this.buf);
    return { status: this.status, statusText: this.statusText, body: Buffer.concat(this.bodyParts) };
  }

  /** the request timed out or the pool closed: this socket is not used again */
  drop(): void {
    if (!this.gone && !this.connected) this.pool.connectDone();
    this.gone = true;
    this.current = undefined;
    this.socket.destroy();
  }
}

export class HttpPool {
  private readonly idle: Conn[] = [];
  private readonly conns = new Set<Conn>();
  private readonly waiting: Pending[] = [];
  private connecting = 0;
  private closed = false;
  /** the most connects seen in flight at once (the tests read it) */
  peakConnecting = 0;
  /** sockets opened since start (the tests read it) */
  opened = 0;

  constructor(private readonly opts: HttpPoolOptions) {}

  /**
   * Send `head` (request line and headers, ending with an empty line) and `body`; resolves with the
   * answer, rejects with an HttpFailure when the socket failed. `written` is told when the bytes left.
   */
  request(head: string, body: Buffer | undefined, written?: () => void): { answer: Promise<HttpAnswer>; cancel: (why: HttpFailure) => void } {
    let pending!: Pending;
    const answer = new Promise<HttpAnswer>((resolve, reject) => {
      pending = { head, body, resolve, reject, written, retried: false, done: false };
    });
    if (this.closed) {
      pending.done = true;
      pending.reject(new HttpFailure('the pool is closed', 'ECONNABORTED'));
    } else {
      this.dispatch(pending);
    }
    return { answer, cancel: (why) => this.cancel(pending, why) };
  }

  private dispatch(p: Pending): void {
    const conn = this.idle.pop();
    if (conn) { conn.send(p); return; }
    this.waiting.push(p);
    this.grow();
  }

  /** open sockets for the requests waiting, within the pool's and the connects' limits */
  private grow(): void {
    while (!this.closed && this.waiting.length > this.connecting && this.conns.size < this.opts.maxSockets && this.connecting < this.opts.connectsInFlight) {
      this.connecting++;
      if (this.connecting > this.peakConnecting) this.peakConnecting = this.connecting;
      this.opened++;
      this.conns.add(new Conn(this, this.opts));
    }
  }

  /** @internal a connect ended (made or failed) */
  connectDone(): void {
    this.connecting--;
  }

  /** @internal the socket is free: the next request waiting, else kept */
  connReady(conn: Conn): void {
    if (this.closed) { conn.drop(); this.conns.delete(conn); return; }
    const next = this.waiting.shift();
    if (next) conn.send(next);
    else this.idle.push(conn);
    this.grow();
  }

  /**
   * @internal the socket is gone; `p` was on it. `mayRetry`: sent on a kept socket and no byte came back;
   * `failedConnect`: it never connected
   */
  connLost(conn: Conn, p: Pending | undefined, mayRetry: boolean, code: string, message: string, failedConnect: boolean): void {
    if (!this.conns.delete(conn)) return;
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    if (p && !p.done) {
      const closeBody = conn.endsWithClose();
      if (closeBody && code === 'ECONNRESET') this.answered(p, closeBody);
      // a kept-alive socket the server closed while idle fails at once, before it read anything: sent again once
      else if (mayRetry && !p.retried && (code === 'ECONNRESET' || code === 'EPIPE')) { p.retried = true; this.dispatch(p); }
      else { p.done = true; p.reject(new HttpFailure(message, code)); }
    } else if (failedConnect && this.waiting.length) {
      // a connect that failed: the oldest request waiting is told (each request learns the refusal, none waits forever)
      const w = this.waiting.shift()!;
      w.done = true;
      w.reject(new HttpFailure(message, code));
    }
    this.grow();
  }

  /** @internal */
  answered(p: Pending, a: HttpAnswer): void {
    if (p.done) return;
    p.done = true;
    p.resolve(a);
  }

  private cancel(p: Pending, why: HttpFailure): void {
    if (p.done) return;
    p.done = true;
    const w = this.waiting.indexOf(p);
    if (w >= 0) this.waiting.splice(w, 1);
    for (const c of this.conns) {
      if (c.current !== p) continue;
      // the answer may still come: this socket cannot be reused
      c.drop();
      this.conns.delete(c);
      break;
    }
    p.reject(why);
    this.grow();
  }

  close(): void {
    this.closed = true;
    for (const c of this.conns) c.drop();
    this.conns.clear();
    this.idle.length = 0;
    for (const p of this.waiting.splice(0)) { p.done = true; p.reject(new HttpFailure('the pool is closed', 'ECONNABORTED')); }
  }
}
