// Traffic statistics measured from live calls: controller + ARI simulator over real sockets + Redis,
// on ManualTime so every holding, held and waiting time below is exact.
import assert from 'node:assert/strict';
import type { TrafficCounters } from '../../lib/domain/traffic.ts';
import { trafficReport } from '../../lib/stats/report.ts';
import { Harness, type HarnessOptions } from '../support/harness.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const ATTENDANTS = [
  { id: 'att1', name: 'Alice', device: 'PJSIP/att1' },
  { id: 'att2', name: 'Bob', device: 'PJSIP/att2' },
];

function config(extra: Record<string, unknown> = {}): HarnessOptions['config'] {
  return {
    attendants: ATTENDANTS,
    groups: [{
      id: 'operators', name: 'Operators', members: ['att1', 'att2'], strategy: 'linear', ringTimeout: 15,
      table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' } }, ...extra,
    }],
  };
}

/** the whole window's counters of a scope, as the API and the CLI report them */
async function totals(h: Harness, scope: string): Promise<TrafficCounters> {
  await h.settle();
  const r = await trafficReport(h.store, { scope, from: T0, to: T0 + 3_600_000, now: h.time.now(), timeZone: 'UTC', serviceTargetSeconds: 20 });
  return r.totals.counters;
}

describe('traffic statistics from live calls', function () {
  this.timeout(20_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  async function answered(hh: Harness, caller: string, device: string): Promise<void> {
    await hh.answer(device);
    await hh.until('in the call bridge', () => hh.callRecord(caller)?.stays?.at(-1)?.kind === 'talk');
  }

  it('given a call answered after 8 s, held 20 s and retrieved, when it ends, then holding time is its 100 s of talk, held time the 20 s apart, and the wait ends at the first answer', async () => {
    h = await Harness.start({ config: config(), start: T0 });
    await h.switchboard.attendantAction('att2', { type: 'dnd', on: true });
    const caller = h.call();
    await h.until('att1 rings', () => h!.attendant('att1').state === 'ringing');
    await h.advance(8_000);
    await answered(h, caller, 'PJSIP/att1');
    // a second caller gives up after 25 s while att1 talks
    await h.advance(12_000);
    const gaveUp = h.call();
    await h.until('queued', () => h!.queue('operators').includes(gaveUp));
    await h.advance(25_000);
    h.sim.hangupCaller(gaveUp);
    await h.until('abandoned', () => !h!.callRecord(gaveUp));
    await h.advance(23_000);
    await h.switchboard.operations.hold('att1', caller);
    await h.until('in the holding bridge', () => h!.callRecord(caller)?.stays?.at(-1)?.kind === 'held');
    await h.advance(20_000); // less than timers.recall: no recall rings meanwhile
    await h.switchboard.operations.retrieve('att1', 1);
    await answered(h, caller, 'PJSIP/att1');
    await h.advance(40_000);
    await h.switchboard.operations.hangup('att1', caller);
    await h.until('ended', () => !h!.callRecord(caller));
    await h.advance(60_000);

    const g = await totals(h, 'group:operators');
    assert.deepEqual([g.offered, g.answered, g.abandoned, g.answeredWithinT, g.abandonedWithinT], [2, 1, 1, 1, 0]);
    assert.equal(g.holdingSeconds, 100);
    assert.equal(g.heldSeconds, 20);
    assert.equal(g.carriedSeconds, 100);
    assert.equal(g.waitSecondsAnswered, 8, 'the retrieve answers again, but the wait ended at the first answer');
    assert.equal(g.longestWaitSeconds, 25);
    assert.equal(g.longestAbandonWaitSeconds, 25);
    const a1 = await totals(h, 'attendant:att1');
    assert.deepEqual([a1.answered, a1.carriedSeconds, a1.busySeconds], [1, 100, 100]);
    // att1 logged in from 09:00 to now, busy only while talking
    const loggedIn = (h.time.now() - T0) / 1000;
    assert.equal(a1.loggedInSeconds, loggedIn);
  });

  it('given a call talked 30 s then blind-transferred to a set answering after 10 s, when the target answers, then 30 s are holding time and the 10 s of ringing are held time', async () => {
    h = await Harness.start({ config: config(), start: T0, endpoints: { 'PJSIP/201': { kind: 'answer', afterMs: 10_000 } } });
    const caller = h.call();
    await h.until('att1 rings', () => h!.attendant('att1').state === 'ringing');
    await h.advance(5_000);
    await answered(h, caller, 'PJSIP/att1');
    await h.advance(30_000);
    await h.switchboard.operations.blindTransfer('att1', caller, '201');
    await h.until('in the holding bridge', () => h!.callRecord(caller)?.stays?.at(-1)?.kind === 'held');
    await h.advance(10_000);
    await h.until('handed over', () => !h!.callRecord(caller));
    const g = await totals(h, 'group:operators');
    assert.deepEqual([g.answered, g.holdingSeconds, g.heldSeconds, g.carriedSeconds, g.waitSecondsAnswered], [1, 30, 10, 30, 5]);
    h.sim.hangupCaller(caller);
  });

  it('given a consultation (caller held 20 s), a swap back to the caller and a three-way call, when it ends, then only the caller\'s time in the holding bridge is held time', async () => {
    h = await Harness.start({ config: config(), start: T0, endpoints: { 'PJSIP/201': { kind: 'answer', afterMs: 5_000 } } });
    await h.switchboard.attendantAction('att2', { type: 'dnd', on: true });
    const caller = h.call();
    await h.until('att1 rings', () => h!.attendant('att1').state === 'ringing');
    await answered(h, caller, 'PJSIP/att1');
    await h.advance(30_000);
    await h.switchboard.operations.consult('att1', caller, '201');
    await h.until('caller on hold', () => h!.callRecord(caller)?.stays?.at(-1)?.kind === 'held');
    await h.until('201 rings', () => h!.sim.originated().some((o) => o.appArgs[0] === '@consult' && o.appArgs[1] === caller));
    await h.advance(5_000);
    await h.until('201 answered', () => h!.callRecord(caller)?.consultAnswered === true);
    await h.advance(15_000);
    await h.switchboard.operations.swap('att1', caller);
    await h.until('caller back', () => h!.callRecord(caller)?.stays?.at(-1)?.kind === 'talk');
    await h.advance(10_000);
    await h.switchboard.operations.conference('att1', caller);
    await h.until('three-way', () => h!.callRecord(caller)?.state === 'conference');
    await h.advance(20_000);
    await h.switchboard.operations.cancelConsult('att1', caller);
    await h.until('back to two', () => h!.callRecord(caller)?.state === 'talking');
    await h.switchboard.operations.hangup('att1', caller);
    await h.until('ended', () => !h!.callRecord(caller));
    const g = await totals(h, 'group:operators');
    assert.deepEqual([g.answered, g.holdingSeconds, g.heldSeconds, g.carriedSeconds], [1, 60, 20, 60]);
  });

  it('given att1 parks a call after 20 s and att2 picks it up 50 s later and talks 25 s, then each attendant carries its own talk and att2 has the answer', async () => {
    h = await Harness.start({ config: config(), start: T0 });
    const caller = h.call();
    await h.until('att1 rings', () => h!.attendant('att1').state === 'ringing');
    await answered(h, caller, 'PJSIP/att1');
    await h.advance(20_000);
    await h.switchboard.operations.park('att1', caller);
    await h.until('in the holding bridge', () => h!.callRecord(caller)?.stays?.at(-1)?.kind === 'held');
    await h.advance(50_000);
    await h.switchboard.operations.pickupParked('att2', 1);
    await answered(h, caller, 'PJSIP/att2');
    await h.advance(25_000);
    await h.switchboard.operations.hangup('att2', caller);
    await h.until('ended', () => !h!.callRecord(caller));

    const a1 = await totals(h, 'attendant:att1');
    const a2 = await totals(h, 'attendant:att2');
    assert.deepEqual([a1.answered, a1.carriedSeconds, a1.busySeconds], [0, 20, 20]);
    assert.deepEqual([a2.answered, a2.carriedSeconds, a2.holdingSeconds, a2.heldSeconds, a2.busySeconds], [1, 25, 45, 50, 25]);
    const g = await totals(h, 'group:operators');
    assert.deepEqual([g.carriedSeconds, g.busySeconds], [45, 45]);
  });

  it('given a call overflowed with mutual help after 30 s and answered by the backup group, then it is one visit of operators and overflowed in at backup', async () => {
    h = await Harness.start({
      start: T0,
      config: {
        attendants: [...ATTENDANTS, { id: 'att3', name: 'Carol', device: 'PJSIP/att3' }],
        groups: [
          { id: 'operators', name: 'Operators', members: ['att1'], overflow: { to: 'backup', waitSeconds: 30, mutualHelp: true } },
          { id: 'backup', name: 'Backup', members: ['att3'] },
        ],
      },
    });
    await h.switchboard.attendantAction('att1', { type: 'dnd', on: true });
    const caller = h.call();
    await h.until('queued', () => h!.queue('operators').includes(caller));
    await h.advance(30_000);
    await h.until('att3 rings', () => h!.attendant('att3').state === 'ringing');
    await answered(h, caller, 'PJSIP/att3');
    await h.advance(45_000);
    h.sim.hangupCaller(caller);
    await h.until('ended', () => !h!.callRecord(caller));
    const ops = await totals(h, 'group:operators');
    const backup = await totals(h, 'group:backup');
    assert.deepEqual([ops.offered, ops.answered, ops.overflowOut, ops.overflowIn, ops.waitSecondsAnswered], [1, 1, 0, 0, 30]);
    assert.deepEqual([backup.offered, backup.overflowIn], [0, 1]);
    assert.deepEqual([(await totals(h, 'class:external')).offered, (await totals(h, 'attendant:att3')).carriedSeconds], [1, 45]);
  });

  it('given a loss group (maxQueue 0) with one attendant busy, when a second call arrives, then it goes to the fallback and counts as lost', async () => {
    h = await Harness.start({ config: config({ members: ['att1'], maxQueue: 0, fallback: { type: 'extension', number: '2000' } }), start: T0 });
    const first = h.call();
    await h.until('att1 rings', () => h!.attendant('att1').state === 'ringing');
    const blocked = h.call();
    await h.until('sent to the fallback', () => h!.sim.continued().some((c) => c.channelId === blocked));
    assert.equal(h.sim.continued().find((c) => c.channelId === blocked)!.extension, '2000');
    assert.equal(h.callRecord(blocked), undefined);
    await answered(h, first, 'PJSIP/att1');
    await h.advance(60_000);
    h.sim.hangupCaller(first);
    await h.until('ended', () => !h!.callRecord(first));
    const g = await totals(h, 'group:operators');
    assert.deepEqual([g.offered, g.answered, g.lost, g.night, g.carriedSeconds], [2, 1, 1, 0, 60]);
  });
});
