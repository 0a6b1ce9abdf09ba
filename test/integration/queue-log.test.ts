// The queue_log export over a scripted day: controller + ARI simulator over real sockets + Redis,
// checked line by line against a file written by hand (fixtures/queue-log-day.txt).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChecked } from '../support/orphans.ts';
import { Harness, type HarnessOptions } from '../support/harness.ts';

const EXPECTED = fileURLToPath(new URL('./fixtures/queue-log-day.txt', import.meta.url));
const DAY_START = Date.UTC(2026, 0, 5, 9, 0, 0);

function config(file: string): HarnessOptions['config'] {
  return {
    attendants: [
      { id: 'att1', name: 'Alice', device: 'PJSIP/att1' },
      { id: 'att2', name: 'Bob', device: 'PJSIP/att2' },
      { id: 'att3', name: 'Carol', device: 'PJSIP/att3' },
    ],
    groups: [
      { id: 'operators', name: 'Operators', members: ['att1', 'att2'], strategy: 'linear', ringTimeout: 15, overflow: { to: 'reception', waitSeconds: 60, mutualHelp: false } },
      { id: 'reception', name: 'Reception', members: ['att3'], strategy: 'linear' },
    ],
    queueLog: { file },
    // absent after 15 s of unanswered ringing: att1 goes absent while C2 still rings it
    timers: { absentAfter: 15 },
  };
}

async function expectedLines(): Promise<string[]> {
  return (await readFile(EXPECTED, 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'));
}

describe('queue_log export', function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    if (h) await stopChecked(h);
    h = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('given a scripted day of calls, when it is replayed, then the queue_log lines match the hand-written file event by event, in the store and in the file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'attendant-qlog-'));
    const file = join(dir, 'queue_log');
    h = await Harness.start({ config: config(file), login: false, start: DAY_START, endpoints: { 'PJSIP/201': { kind: 'answer', afterMs: 0 } } });
    const hh = h;
    const labels = new Map<string, string>();
    const at = async (secondsFromStart: number) => {
      const delta = DAY_START + secondsFromStart * 1000 - hh.time.now();
      assert.ok(delta >= 0, `the script goes forward (at +${secondsFromStart} s)`);
      await hh.advance(delta);
    };
    const call = async (label: string, number: string) => {
      const id = hh.call({ number });
      labels.set(id, label);
      await hh.until(`${label} queued`, () => hh.callRecord(id) !== undefined);
      return id;
    };
    const talking = (id: string) => hh.until('talking', () => hh.callRecord(id)?.talkBridge !== undefined);
    const gone = (id: string) => hh.until('ended', () => hh.callRecord(id) === undefined);

    await h.switchboard.login('att1');
    await h.switchboard.login('att2');
    await h.switchboard.login('att3');

    const c1 = await call('C1', '0155500001');
    await at(5);
    await h.answer('PJSIP/att1');
    await talking(c1);
    await at(65);
    h.sim.hangupCaller(c1);
    await gone(c1);

    await at(100);
    const c2 = await call('C2', '0155500002');
    await h.until('att1 rings', () => hh.ringing('PJSIP/att1').length === 1);
    await at(115);
    await h.until('att2 rings', () => hh.ringing('PJSIP/att2').length === 1);
    await at(118);
    await h.answer('PJSIP/att2');
    await talking(c2);
    await at(148);
    await h.switchboard.operations.hangup('att2', c2);
    await gone(c2);

    await at(180);
    await h.until('att1 absent', () => hh.attendant('att1').state === 'absent');
    await at(200);
    await h.switchboard.attendantAction('att1', { type: 'action' });

    await at(210);
    const c3 = await call('C3', '0155500003');
    await h.until('att1 rings', () => hh.ringing('PJSIP/att1').length === 1);
    await at(220);
    h.sim.hangupCaller(c3);
    await gone(c3);

    await at(300);
    const c4 = await call('C4', '0155500004');
    await at(302);
    await h.answer('PJSIP/att1');
    await talking(c4);
    await at(322);
    await h.switchboard.operations.blindTransfer('att1', c4, '201');
    await gone(c4);

    await at(400);
    await h.switchboard.attendantAction('att2', { type: 'dnd', on: true });
    await at(405);
    await h.switchboard.attendantAction('att1', { type: 'logout' });
    await at(410);
    const c5 = await call('C5', '0155500005');
    await at(420);
    const c6 = await call('C6', '0155500006');
    await at(440);
    h.sim.hangupCaller(c6);
    await gone(c6);
    await at(470);
    await h.until('att3 rings', () => hh.ringing('PJSIP/att3').length === 1);
    await at(474);
    const leg5 = await h.answer('PJSIP/att3');
    await talking(c5);
    await at(500);
    h.sim.hangupCaller(leg5);
    await gone(c5);

    await at(510);
    await h.switchboard.attendantAction('att2', { type: 'dnd', on: false });
    await at(520);
    await h.switchboard.attendantAction('att2', { type: 'logout' });
    await h.switchboard.attendantAction('att3', { type: 'logout' });
    await h.settle();

    // the transferred pair is still talking: end it so nothing is left behind
    const xfer = h.sim.channels().filter((c) => !c.hungUp && (c.id === c4 || c.endpoint === 'PJSIP/201'));
    for (const c of xfer) h.sim.hangupCaller(c.id);
    await h.settle();

    const relabel = (line: string): string => {
      let out = line;
      for (const [id, label] of labels) out = out.split(`${id}-p`).join(`${label}-p`).split(`|${id}|`).join(`|${label}|`);
      return out.replace(/\|(C\d)-p\d+\|/g, '|$1-leg|');
    };
    const stored = (await h.store.readQueueLog(0, Infinity)).map(relabel);
    const expected = await expectedLines();
    for (let i = 0; i < Math.max(stored.length, expected.length); i++) {
      assert.equal(stored[i], expected[i], `queue_log line ${i + 1}`);
    }
    const written = (await readFile(file, 'utf8')).split('\n').filter(Boolean).map(relabel);
    assert.deepEqual(written, expected, 'the queue_log file holds the same lines as the store');
  });

  it('given a call waiting and an attendant logged in, when the controller restarts, then neither is entered again and the call ends with its original position', async () => {
    dir = await mkdtemp(join(tmpdir(), 'attendant-qlog-'));
    h = await Harness.start({ config: config(join(dir, 'queue_log')), login: false, start: DAY_START });
    const hh = h;
    await h.switchboard.login('att2');
    await h.switchboard.attendantAction('att2', { type: 'dnd', on: true });
    const first = h.call({ number: '0155500001' });
    await h.until('waiting', () => hh.queue('operators').includes(first));
    await h.advance(2000);
    const second = h.call({ number: '0155500002' });
    await h.until('waiting', () => hh.queue('operators').includes(second));
    await h.restartController();
    await h.advance(3000);
    await h.switchboard.attendantAction('att2', { type: 'dnd', on: false });
    await h.until('att2 rings', () => hh.ringing('PJSIP/att2').length === 1);
    await h.answer('PJSIP/att2');
    await h.until('talking', () => hh.callRecord(first)?.talkBridge !== undefined);
    h.sim.hangupCaller(second);
    await h.until('second gone', () => hh.callRecord(second) === undefined);
    await h.advance(10_000);
    h.sim.hangupCaller(first);
    await h.until('first gone', () => hh.callRecord(first) === undefined);
    await h.settle();
    const events = (await h.store.readQueueLog(0, Infinity)).map((l) => l.split('|')).map((f) => `${f[1] === first ? 'C1' : f[1] === second ? 'C2' : f[1]} ${f[3]} ${f.slice(4).join('|')}`);
    assert.deepEqual(events.map((e) => e.replace(/\|C1-p\d+|\|\d+\.\d+-p\d+/, '|leg')), [
      'NONE att2 ADDMEMBER|', 'NONE att2 PAUSE|dnd',
      'C1 NONE ENTERQUEUE||0155500001|1', 'C2 NONE ENTERQUEUE||0155500002|2',
      'NONE att2 UNPAUSE|', 'C1 att2 CONNECT|5|leg|0',
      'C2 NONE ABANDON|1|2|3', 'C1 att2 COMPLETECALLER|5|10|1',
    ], events.join('\n'));
  });
});
