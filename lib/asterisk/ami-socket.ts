// One AMI connection over TCP: Asterisk's `Key: value` lines, a blank line ending each message.
// Actions go out with an ActionID; the answer carrying it is handed to the action's callback, every
// message with an `Event:` to `onEvent`. Keys are lower-cased and stripped of spaces, a key seen twice
// in one message gives an array, as lib/asterisk/ami.ts reads them.
//
// Why not asterisk-manager's reader: it split each chunk into a new array of lines and took them one
// by one with Array.shift() (quadratic in the lines a chunk holds), and handed every message on in a
// process.nextTick of its own; on the real Asterisk it was the controller's largest CPU cost per call
// after the store (docs/benchmark.md). Reconnects, logins and timeouts are ami.ts's.
import net from 'node:net';

export type AmiMessage = Record<string, string | string[]>;
export type ActionFields = Record<string, string | Record<string, string>>;
type Answer = (err: AmiMessage | undefined, res: AmiMessage) => void;

const GREETING = 'Asterisk Call Manager';

export interface AmiSocketHandlers {
  /** a message with an `Event:` key (list items carrying an ActionID too) */
  onEvent(msg: AmiMessage): void;
  onError(err: Error): void;
  /** the TCP connection closed (after an error, Asterisk's close, or disconnect()) */
  onClose(): void;
}

export class AmiSocket {
  private readonly socket: net.Socket;
  private buffer = '';
  private greeted = false;
  private readonly answers = new Map<string, Answer>();
  /** disconnect() was called: nothing more is handed on */
  private ended = false;

  constructor(host: string, port: number, private readonly on: AmiSocketHandlers, onConnect: () => void) {
    this.socket = net.connect({ host, port }, onConnect);
    this.socket.setNoDelay(true);
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => { if (!this.ended) this.read(chunk); });
    this.socket.on('error', (err) => { if (!this.ended) this.on.onError(err); });
    this.socket.on('close', () => { if (!this.ended) this.on.onClose(); });
  }

  /** send an action; `done` gets Asterisk's answer (as `err` when it is `Response: Error`) */
  action(fields: ActionFields, actionId: string, done: Answer): void {
    this.answers.set(actionId, done);
    this.socket.write(formatAction(fields, actionId));
  }

  /** forget an action's answer (it timed out or its session ended) */
  forget(actionId: string): void {
    this.answers.delete(actionId);
  }

  /** close the connection; no handler is called after this */
  disconnect(): void {
    this.ended = true;
    this.answers.clear();
    this.socket.destroy();
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    if (!this.greeted) {
      // the greeting is one line of its own, not a message
      const eol = this.buffer.indexOf('\r\n');
      if (eol < 0) return;
      if (this.buffer.startsWith(GREETING)) this.buffer = this.buffer.slice(eol + 2);
      this.greeted = true;
    }
    let start = 0;
    while (!this.ended) {
      const end = this.buffer.indexOf('\r\n\r\n', start);
      if (end < 0) break;
      const msg = parseMessage(this.buffer, start, end);
      start = end + 4;
      if (msg) this.deliver(msg);
    }
    this.buffer = start ? this.buffer.slice(start) : this.buffer;
  }

  private deliver(msg: AmiMessage): void {
    const response = msg.response;
    const id = msg.actionid;
    if (typeof response === 'string' && typeof id === 'string') {
      const done = this.answers.get(id);
      if (done) {
        this.answers.delete(id);
        done(response.toLowerCase() === 'error' ? msg : undefined, msg);
      }
      return;
    }
    if (msg.event !== undefined) this.on.onEvent(msg);
  }
}

/** `Key: value` lines between `start` and `end` of `text`; undefined for an empty message */
export function parseMessage(text: string, start: number, end: number): AmiMessage | undefined {
  const msg: AmiMessage = {};
  let any = false;
  let pos = start;
  while (pos < end) {
    let eol = text.indexOf('\r\n', pos);
    if (eol < 0 || eol > end) eol = end;
    const colon = text.indexOf(':', pos);
    if (colon > pos && colon < eol) {
      const key = text.slice(pos, colon).replace(/\s+/g, '').toLowerCase();
      const value = text.slice(text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1, eol);
      const had = msg[key];
      msg[key] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
      any = true;
    }
    pos = eol + 2;
  }
  return any ? msg : undefined;
}

/** an action's lines: the ActionID, each field, a field given as a map as one `Key: name=value` line per entry */
export function formatAction(fields: ActionFields, actionId: string): string {
  let out = `ActionID: ${actionId}\r\n`;
  for (const [key, value] of Object.entries(fields)) {
    const name = key.charAt(0).toUpperCase() + key.slice(1);
    if (key.toLowerCase() === 'actionid') continue;
    if (typeof value === 'string') out += `${name}: ${clean(value)}\r\n`;
    else for (const [k, v] of Object.entries(value)) out += `${name}: ${clean(k)}=${clean(v)}\r\n`;
  }
  return `${out}\r\n`;
}

/** a value never carries a line break into the protocol (it would end the field, or the action) */
function clean(v: string): string {
  return v.replace(/[\r\n]+/g, ' ');
}
