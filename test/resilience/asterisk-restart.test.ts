// Acceptance 3: the simulated Asterisk restarts: every channel and bridge is gone without an event,
// the WebSocket is cut and refused while it boots. The controller reconnects with backoff, sees a new
// startup time, closes every call it had as lost (counted), returns attendants to their states and
// publishes every device state again.
import assert from 'node:assert/strict';
import type { RecoveryReport } from '../../lib/calls/recovery.ts';
import { Harness, type HarnessOptions } from '../support/harness.ts';
import { accounting, assertEachCallEndedOnce, ringingLegsOf } from './support.ts';

function config(): HarnessOptions['config'] {
  return {
    attendants: [1, 2, 3, 4].map((i) => ({ id: `att${i}`, name: `Attendant ${i}`, device: `PJSIP/att${i}` })),
    classes: [{ id: 'external', priority: 5, delayedRing: 0 }],
    groups: [{ id: 'operators', name: 'Operators', members: ['att1', 'att2', 'att3', 'att4'], strategy: 'longest-idle', ringTimeout: 60, table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' } } }],
  };
}

describe('resilience: the simulated Asterisk restarts', function () {
  this.timeout(30_000);
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('given calls held, talking, ringing and waiting, when Asterisk restarts, then the calls are closed as lost, attendants are back to their states and device states are published again', async () => {
    h = await Harness.start({ config: config() });
    const hh = h;
    const reports: RecoveryReport[] = [];
    hh.switchboard.recovery.onReconciled = (r) => reports.push(r);
    await hh.switchboard.attendantAction('att3', { type: 'dnd', on: true });
    await hh.switchboard.attendantAction('att4', { type: 'logout' });

    const answer = async (callId: string) => {
      await hh.until(`${callId} rings`, () => ringingLegsOf(hh.sim, callId).length === 1);
      hh.sim.answerChannel(ringingLegsOf(hh.sim, callId)[0]!);
      await hh.until(`${callId} talking`, () => hh.callRecord(callId)?.talkBridge !== undefined);
    };
    const held = hh.call({ number: '0100000001' });
    await answer(held);
    const who = hh.callRecord(held)!.attendant!;
    await hh.switchboard.operations.hold(who, held);
    const talking = hh.call({ number: '0100000002' });
    await answer(talking);
    const ringing = hh.call({ number: '0100000003' });
    await hh.until('rings', () => ringingLegsOf(hh.sim, ringing).length === 1);
    const waiting = hh.call({ number: '0100000004' });
    await hh.until('waits', () => hh.waitsWithMusic(waiting));
    await hh.settle();
    assert.deepEqual(['att1', 'att2', 'att3', 'att4'].map((id) => hh.attendant(id).state), ['busy', 'ringing', 'dnd', 'unplugged']);
    const published = () => hh.sim.requests().byRoute['PUT /deviceStates/{deviceName}'] ?? 0;
    const publishedBefore = published();

    // a new startup time, and 2 s of boot during which the socket and every request are refused
    hh.time.advance(1000);
    hh.sim.restart({ bootMs: 2000 });
    await hh.until('socket lost', () => !hh.controller.ari.isConnected());
    hh.time.advance(2000);
    await hh.until('reconciled after the restart', () => reports.some((r) => r.asteriskRestarted), 15_000);
    await hh.settle();

    const report = reports.find((r) => r.asteriskRestarted)!;
    assert.equal(report.closed, 4);
    assert.equal(hh.callCount(), 0);
    assert.deepEqual(await hh.store.listCalls(), []);
    assert.deepEqual(await hh.store.queue('operators'), []);
    const ends = await assertEachCallEndedOnce(hh.store, [held, talking, ringing, waiting]);
    assert.deepEqual(Object.values(ends), ['lost', 'lost', 'lost', 'lost']);
    // answered calls stay answered in the traffic figures; the two never answered are lost
    const { outcomes } = await accounting(hh.store, [held, talking, ringing, waiting]);
    assert.deepEqual([outcomes.answered, outcomes.lost], [2, 2]);

    assert.deepEqual(['att1', 'att2', 'att3', 'att4'].map((id) => hh.attendant(id).state), ['idle', 'idle', 'dnd', 'unplugged']);
    assert.deepEqual((await hh.store.listAttendants()).map((a) => a.state), ['idle', 'idle', 'dnd', 'unplugged'], 'the store agrees');
    assert.ok(published() - publishedBefore >= 4, 'every attendant device state sent again');
    const states = Object.fromEntries(hh.sim.deviceStates().map((d) => [d.name, d.state]));
    assert.deepEqual([states['Stasis:att1'], states['Stasis:att2']], ['NOT_INUSE', 'NOT_INUSE']);

    // calls flow again: a new caller waits in a fresh holding bridge and is answered
    const next = hh.call({ number: '0100000005' });
    await answer(next);
    hh.sim.hangupCaller(next);
    await hh.until('ended', () => hh.callCount() === 0);
  });
});
