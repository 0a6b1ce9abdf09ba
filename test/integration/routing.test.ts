import assert from 'node:assert/strict';
import { Harness, type HarnessOptions } from '../support/harness.ts';
import { answerRinging, ringingLegsOf } from '../resilience/support.ts';

function config(): HarnessOptions['config'] {
  return {
    attendants: [1, 2].map((i) => ({ id: `att${i}`, name: `Attendant ${i}`, device: `PJSIP/att${i}` })),
    classes: [{ id: 'external', priority: 5, delayedRing: 0 }],
    groups: [{ id: 'operators', name: 'Operators', members: ['att1', 'att2'], strategy: 'longest-idle', ringTimeout: 60, table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' } } }],
  };
}

describe('the routing table on a running switchboard', function () {
  this.timeout(20_000);
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('given a table that sends callers to an announcement, when a caller arrives, then it leaves for [attendant-announcement] with the sound in the variable the dialplan plays', async () => {
    const cfg = config();
    cfg.groups[0]!.table = { day: { type: 'announcement', sound: 'closed-holiday' }, night: { type: 'announcement', sound: 'closed-holiday' } };
    h = await Harness.start({ config: cfg });
    const hh = h;
    const caller = hh.call();
    await hh.until('out of the app', () => hh.sim.channel(caller)?.inStasis === false);
    assert.equal(hh.sim.channel(caller)?.variables.ATT_SOUND, 'closed-holiday');
  });

  it('given a call answered, then its caller, its leg and its bridges have their owners; when it ends, their routes go', async () => {
    h = await Harness.start({ config: config() });
    const hh = h;
    const { routes } = hh.switchboard;
    const caller = hh.call();
    const leg = await answerRinging(hh, caller);
    const bridge = hh.callRecord(caller)!.talkBridge!;
    assert.deepEqual(routes.channel(caller), { owner: 'caller', callId: caller });
    assert.deepEqual(routes.channel(leg), { owner: 'attendant', callId: caller, originated: true });
    assert.deepEqual(routes.bridge(bridge), { role: 'call', callId: caller });
    assert.equal(hh.sim.bridges().find((b) => b.id === bridge)?.name, `attendant:call:${caller}`, 'the bridge is named for what it is');

    hh.sim.hangupCaller(caller);
    await hh.until('ended', () => hh.callCount() === 0);
    await hh.settle();
    await hh.until('routes gone', () => routes.channel(caller) === undefined && routes.channel(leg) === undefined && routes.bridge(bridge) === undefined);
  });

  it('given calls talking and waiting, when the controller restarts, then the new run routes every channel and bridge again from the store and from Asterisk', async () => {
    h = await Harness.start({ config: config() });
    const hh = h;
    const talker = hh.call({ number: '0100000001' });
    const leg = await answerRinging(hh, talker);
    const waiter = hh.call({ number: '0100000002' });
    await hh.until('rings att2', () => ringingLegsOf(hh.sim, waiter).length === 1);
    const talkBridge = hh.callRecord(talker)!.talkBridge!;
    await hh.settle();

    await hh.restartController();
    await hh.settle();
    const { routes } = hh.switchboard;
    assert.deepEqual(routes.channel(talker), { owner: 'caller', callId: talker });
    assert.deepEqual(routes.channel(leg)?.owner, 'attendant');
    assert.deepEqual(routes.bridge(talkBridge), { role: 'call', callId: talker });
    assert.equal(routes.channel(waiter)?.owner, 'caller');
    // the waiting caller's presentation of the previous run was given up and made again: the new leg is this run's
    await hh.until('rings again', () => ringingLegsOf(hh.sim, waiter).length === 1);
    const newLeg = ringingLegsOf(hh.sim, waiter)[0]!;
    assert.deepEqual(routes.channel(newLeg), { owner: 'attendant', callId: waiter, originated: true });

    // and the events go where they belong: the attendant hangs up, the caller is released
    hh.sim.hangupCaller(leg);
    await hh.until('talker ended', () => hh.callRecord(talker) === undefined);
    hh.sim.hangupCaller(waiter);
    await hh.until('all ended', () => hh.callCount() === 0);
  });
});
