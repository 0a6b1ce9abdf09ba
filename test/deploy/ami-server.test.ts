// The AMI stand-in replays the recorded Asterisk 23.4.1 session (shared/ami-fixtures/session.jsonl)
// with a raw TCP client: same greeting, same blocks, same field names in the same order, the
// ActionID echoed. Only values that change with every run (times, session ids, addresses) differ.
import assert from 'node:assert/strict';
import net from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { AmiServerStandIn } from '../support/ami-server.ts';

type Block = Array<[string, string]>;
interface FixtureRecord { t: number; kind: 'in' | 'out' | 'note'; greeting?: string; msg?: Record<string, string | string[]>; text?: string }

const FIXTURE = new URL('../../../shared/ami-fixtures/session.jsonl', import.meta.url);
const fixtureAvailable = existsSync(FIXTURE);
const records: FixtureRecord[] = fixtureAvailable
  ? readFileSync(FIXTURE, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as FixtureRecord)
  : [];

/** values that differ on every run */
const VOLATILE = new Set(['EventTV', 'SessionTV', 'SessionID', 'LocalAddress', 'RemoteAddress', 'Uptime', 'LastReload']);

/** A raw AMI client: the greeting line, then blank-line-terminated blocks. */
class RawClient {
  greeting: Promise<string>;
  closed: Promise<void>;
  private readonly socket: net.Socket;
  private buffer = '';
  private gotGreeting = false;
  private lines: string[] = [];
  private readonly blocks: Block[] = [];
  private waiting: (() => void) | undefined;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.setEncoding('utf8');
    let greet: (g: string) => void = () => undefined;
    this.greeting = new Promise((r) => { greet = r; });
    this.closed = new Promise((r) => this.socket.on('close', () => r()));
    this.socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let i: number;
      while ((i = this.buffer.indexOf('\r\n')) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 2);
        if (!this.gotGreeting) { this.gotGreeting = true; greet(line); continue; }
        if (line === '') {
          if (this.lines.length) this.blocks.push(this.lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
          this.lines = [];
          this.waiting?.();
        } else {
          this.lines.push(line);
        }
      }
    });
  }

  send(msg: Record<string, string | string[]>): void {
    const lines = Object.entries(msg).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${k}: ${x}\r\n`));
    this.socket.write(lines.join('') + '\r\n');
  }

  /** the next n blocks, within a bounded time */
  async take(n: number, timeoutMs = 2000): Promise<Block[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.blocks.length < n) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${n} AMI blocks (got ${this.blocks.length})`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiting = () => { clearTimeout(t); resolve(); };
      });
    }
    return this.blocks.splice(0, n);
  }

  end(): void { this.socket.destroy(); }
}

/** the `in` messages between an `out` with this ActionID and the next `out` or note */
function answerTo(actionId: string): Array<Record<string, string>> {
  const start = records.findIndex((r) => r.kind === 'out' && r.msg?.ActionID === actionId);
  const out: Array<Record<string, string>> = [];
  for (const r of records.slice(start + 1)) {
    if (r.kind !== 'in') break;
    if (r.msg) out.push(r.msg as Record<string, string>);
  }
  return out;
}

function actionOf(actionId: string): Record<string, string> {
  return records.find((r) => r.kind === 'out' && r.msg?.ActionID === actionId)!.msg as Record<string, string>;
}

function assertSameBlocks(actual: Block[], expected: Array<Record<string, string>>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: number of blocks`);
  actual.forEach((block, i) => {
    const exp = Object.entries(expected[i]!);
    assert.deepEqual(block.map(([k]) => k), exp.map(([k]) => k), `${what}: fields of block ${i} (${exp[0]?.join(': ')})`);
    for (const [j, [k, v]] of block.entries()) {
      if (!VOLATILE.has(k)) assert.equal(v, exp[j]![1], `${what}: ${k} of block ${i}`);
    }
  });
}

/** a stand-in holding the state Asterisk had when the session was recorded */
async function recordedAsterisk(): Promise<AmiServerStandIn> {
  const srv = await AmiServerStandIn.start({ users: { admin: { secret: 'amp111' } }, pjsipNotify: false });
  for (const m of answerTo('a6').filter((x) => x.Event === 'DeviceStateChange')) srv.setDevice(m.Device!, m.State as 'NOT_INUSE');
  for (const m of answerTo('a3').filter((x) => x.Event === 'ExtensionStatus')) srv.addHint(m.Exten!, m.Context!, m.Hint!, Number(m.Status));
  for (const m of answerTo('a4').filter((x) => x.Event === 'EndpointList')) {
    srv.addEndpoint(m.ObjectName!, 'NOT_INUSE', { aor: m.Aor!, staticContacts: m.Contacts!.split(',').filter(Boolean).map((c) => c.slice(c.indexOf('/') + 1)) });
  }
  return srv;
}

describe('AMI stand-in speaks the recorded Asterisk 23.4.1 protocol', () => {
  let srv: AmiServerStandIn | undefined;
  let client: RawClient | undefined;
  beforeEach(function () {
    if (!fixtureAvailable) {
      console.log('  (AMI conformance skipped: ../shared/ami-fixtures/session.jsonl not found next to the repository)');
      this.skip();
    }
  });
  afterEach(async () => {
    client?.end();
    await srv?.close();
  });

  it('given a wrong secret, then the greeting, "Authentication failed" and a closed connection, as recorded', async () => {
    srv = await recordedAsterisk();
    client = new RawClient(srv.port);
    assert.equal(await client.greeting, records.find((r) => r.greeting)!.greeting);
    client.send(actionOf('a1'));
    assertSameBlocks(await client.take(1), answerTo('a1'), 'a1 Login (wrong secret)');
    await client.closed;
  });

  it('given the recorded session, then login, the four lists, an unknown action and Logoff answer block for block', async () => {
    srv = await recordedAsterisk();
    client = new RawClient(srv.port);
    assert.equal(await client.greeting, 'Asterisk Call Manager/12.0.0');
    for (const id of ['a2', 'a3', 'a4', 'a5', 'a6', 'a9', 'a10', 'a11']) {
      const expected = answerTo(id);
      client.send(actionOf(id));
      assertSameBlocks(await client.take(expected.length), expected, `${id} ${actionOf(id).Action}`);
    }
    await client.closed;
  });

  it('given pushed state changes, then the events carry the recorded fields', async () => {
    srv = await recordedAsterisk();
    client = new RawClient(srv.port);
    client.send(actionOf('a2'));
    await client.take(answerTo('a2').length);
    const recorded = records.filter((r) => r.kind === 'in' && r.msg && (r.msg.Event === 'ExtensionStatus' || r.msg.Event === 'DeviceStateChange') && !r.msg.ActionID)
      .map((r) => r.msg as Record<string, string>);
    const ringing = recorded.find((m) => m.Event === 'ExtensionStatus' && m.Status === '8')!;
    const deviceRinging = recorded.find((m) => m.Event === 'DeviceStateChange' && m.State === 'RINGING')!;
    const stasisBusy = recorded.find((m) => m.Event === 'ExtensionStatus' && m.Hint === 'Stasis:att1' && m.Status === '2')!;
    srv.deviceStateChange('PJSIP/att2', 'RINGING');
    srv.extensionStatus('201', 'hints', 8);
    srv.extensionStatus('att1', 'hints', 2);
    assertSameBlocks(await client.take(3), [deviceRinging, ringing, stasisBusy], 'pushed events');
  });
});
