// The AMI wire (lib/asterisk/ami-socket.ts) on a real TCP socket: the recorded session of a real
// Asterisk 23.4.1 (../shared/ami-fixtures/session.jsonl) written back in arbitrary chunks comes out as
// the same messages, answers reach their actions, and an action's fields never break the protocol.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { AmiSocket, formatAction, parseMessage, type AmiMessage } from '../../lib/asterisk/ami-socket.ts';

const FIXTURE = new URL('../../../shared/ami-fixtures/session.jsonl', import.meta.url);

type Rec = { kind: 'in'; greeting?: string; msg?: Record<string, string | string[]> } | { kind: 'out' | 'note' };

/** a message as Asterisk writes it: `Key: value` lines (a list: the key once per value), a blank line */
function wire(msg: Record<string, string | string[]>): string {
  let out = '';
  for (const [k, v] of Object.entries(msg)) for (const one of Array.isArray(v) ? v : [v]) out += `${k}: ${one}\r\n`;
  return `${out}\r\n`;
}
const lower = (msg: Record<string, string | string[]>): AmiMessage => Object.fromEntries(Object.entries(msg).map(([k, v]) => [k.replace(/\s+/g, '').toLowerCase(), v]));

async function serve(write: (socket: net.Socket) => void): Promise<{ port: number; close(): void }> {
  const server = net.createServer((s) => write(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => server.close() };
}

describe('the AMI wire', () => {
  it('given the recorded session written in 7-byte chunks, then every event and answer comes out as recorded', async function () {
    if (!existsSync(FIXTURE)) this.skip();
    const recs = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rec);
    const greeting = recs.find((r): r is Rec & { kind: 'in'; greeting: string } => r.kind === 'in' && typeof (r as { greeting?: string }).greeting === 'string')!.greeting;
    const msgs = recs.flatMap((r) => (r.kind === 'in' && 'msg' in r && r.msg ? [r.msg] : []));
    const events = msgs.filter((m) => m.Event !== undefined && m.Response === undefined);
    assert.ok(events.length > 10, `the recording has events: ${events.length}`);
    const text = `${greeting}\r\n${events.map(wire).join('')}`;
    const srv = await serve((s) => {
      let i = 0;
      const next = () => { if (i < text.length) { s.write(text.slice(i, i += 7)); setImmediate(next); } };
      next();
    });
    const got: AmiMessage[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const sock = new AmiSocket('127.0.0.1', srv.port, {
          onEvent: (m) => { got.push(m); if (got.length === events.length) { sock.disconnect(); resolve(); } },
          onError: reject,
          onClose: () => reject(new Error(`closed after ${got.length} of ${events.length}`)),
        }, () => undefined);
      });
    } finally {
      srv.close();
    }
    assert.deepEqual(got, events.map(lower));
  });

  it('given an action, then its answer (or its error) reaches its callback by ActionID, and events go to onEvent', async () => {
    const srv = await serve((s) => {
      s.write('Asterisk Call Manager/12.0.0\r\n');
      s.on('data', (d) => {
        const id = /ActionID: (\S+)/.exec(String(d))?.[1] ?? '';
        s.write(`Event: FullyBooted\r\nStatus: Fully Booted\r\n\r\nResponse: ${id === 'b' ? 'Error' : 'Success'}\r\nActionID: ${id}\r\nMessage: said ${id}\r\n\r\n`);
      });
    });
    const events: AmiMessage[] = [];
    try {
      const answers = await new Promise<Array<[boolean, AmiMessage]>>((resolve, reject) => {
        const out: Array<[boolean, AmiMessage]> = [];
        const sock = new AmiSocket('127.0.0.1', srv.port, { onEvent: (m) => events.push(m), onError: reject, onClose: () => undefined }, () => {
          sock.action({ action: 'Ping' }, 'a', (err, res) => {
            out.push([err !== undefined, res]);
            sock.action({ action: 'Ping' }, 'b', (err2, res2) => { out.push([err2 !== undefined, res2]); sock.disconnect(); resolve(out); });
          });
        });
      });
      assert.deepEqual(answers.map(([failed, m]) => [failed, m.message]), [[false, 'said a'], [true, 'said b']]);
      assert.deepEqual(events.map((e) => e.status), ['Fully Booted', 'Fully Booted']);
    } finally {
      srv.close();
    }
  });

  it('given a message with a key twice and spaces in a key, then the key holds a list and the spaces go', () => {
    const t = 'Response: Error\r\nMessage: one\r\nMessage: two\r\nCause - Txt: x\r\nNoColon\r\nEmpty:\r\n\r\n';
    assert.deepEqual(parseMessage(t, 0, t.length - 4), { response: 'Error', message: ['one', 'two'], 'cause-txt': 'x', empty: '' });
    assert.equal(parseMessage('\r\n', 0, 0), undefined);
  });

  it('given fields with line breaks or a map, then the action stays one block of one line per field', () => {
    const a = formatAction({ action: 'PJSIPNotify', endpoint: 'att1\r\nAction: Logoff', variable: { 'Event': 'check-sync', 'X\n': 'y\r\n' } }, 'att-1');
    assert.equal(a, 'ActionID: att-1\r\nAction: PJSIPNotify\r\nEndpoint: att1 Action: Logoff\r\nVariable: Event=check-sync\r\nVariable: X =y \r\n\r\n');
  });
});
