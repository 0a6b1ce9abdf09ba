// Acceptance 2: the ARI WebSocket drops and comes back. Events of the gap are lost for good (the
// simulator, like Asterisk, does not replay them): the controller reconnects with backoff, re-reads
// GET /channels and GET /bridges, and reconciles: what ended unseen is accounted, a call bridge that
// vanished is rebuilt, a bridge or a leg nobody accounts for is cleaned up.
import assert from 'node:assert/strict';
import type { RecoveryReport } from '../../lib/calls/recovery.ts';
import { destroyBridge } from '../../lib/sim/core/bridging.ts';
import { originate } from '../../lib/sim/core/dialing.ts';
import { Harness, ARI_PASSWORD, ARI_USER, type HarnessOptions } from '../support/harness.ts';
import { ariCall } from '../support/sim-helpers.ts';
import { routeVariable } from '../../lib/calls/routes.ts';
import { answerRinging, assertEachCallEndedOnce, live, ringingLeg, ringingLegsOf } from './support.ts';
import { isCallBridge } from '../support/sim-helpers.ts';

/** the originate body's variables a presentation leg of call `callId` carries, reported (report_events) */
function routeVariables(callId: string): Record<string, { value: string; report_events: true }> {
  return Object.fromEntries(Object.entries(routeVariable({ owner: 'attendant', callId })).map(([k, value]) => [k, { value, report_events: true as const }]));
}

function config(): HarnessOptions['config'] {
  return {
    attendants: [1, 2, 3].map((i) => ({ id: `att${i}`, name: `Attendant ${i}`, device: `PJSIP/att${i}` })),
    classes: [{ id: 'external', priority: 5, delayedRing: 0 }],
    groups: [{ id: 'operators', name: 'Operators', members: ['att1', 'att2', 'att3'], strategy: 'longest-idle', ringTimeout: 60, table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' } } }],
  };
}

describe('resilience: the ARI WebSocket drops and comes back', function () {
  this.timeout(30_000);
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('given calls talking, ringing and waiting, when the socket drops and things change unseen, then the controller reconnects, re-reads channels and bridges, and reconciles them', async () => {
    h = await Harness.start({ config: config() });
    const hh = h;
    const reports: RecoveryReport[] = [];
    hh.switchboard.recovery.onReconciled = (r) => reports.push(r);
    const ups: boolean[] = [];
    hh.controller.ari.onConnection((up) => ups.push(up));

    const kept = hh.call({ number: '0100000001' });
    const keptLeg = await answerRinging(hh, kept);
    const leaves = hh.call({ number: '0100000002' });
    const leavesLeg = await answerRinging(hh, leaves);
    const rings = hh.call({ number: '0100000003' });
    const ringLeg = await ringingLeg(hh, rings);
    const gives = hh.call({ number: '0100000004' });
    await hh.until('waits', () => hh.waitsWithMusic(gives));
    // a leg no call accounts for (a previous run's, say, killed before it wrote the presentation): it
    // would ring forever; its route variable (lib/calls/routes.ts) says it is the controller's
    const orphan = await ariCall(hh.sim, 'POST', '/channels?endpoint=PJSIP/att3&app=attendant&channelId=ghost-p7', { variables: routeVariables('ghost') }, `${ARI_USER}:${ARI_PASSWORD}`);
    assert.equal(orphan.status, 200);
    await hh.settle();
    const before = hh.sim.requests().byRoute;

    // the socket drops; meanwhile a waiting caller gives up, a talking caller hangs up, a call bridge vanishes
    assert.equal(hh.sim.dropWebSocket(), 1);
    // and another such leg is answered: Asterisk reports it in the app with the presentation's args
    originate(hh.sim.core, { endpoint: 'PJSIP/att3', app: 'attendant', appArgs: '@present,ghost,att3', channelId: 'ghost-p8' });
    hh.sim.answerChannel('ghost-p8');
    hh.sim.hangupCaller(gives);
    hh.sim.hangupCaller(leaves);
    destroyBridge(hh.sim.core, [...hh.sim.core.bridges.values()].find((b) => isCallBridge(b, 'call', kept))!);

    await hh.until('reconciled after the reconnect', () => reports.some((r) => r.why === 'reconnect'));
    await hh.settle();
    assert.deepEqual(ups, [false, true], 'lost, then connected again');
    const after = hh.sim.requests().byRoute;
    for (const route of ['GET /channels', 'GET /bridges']) assert.ok((after[route] ?? 0) > (before[route] ?? 0), `${route} read again`);
    const report = reports.find((r) => r.why === 'reconnect')!;
    assert.deepEqual([report.asteriskRestarted, report.closed, report.repaired, report.orphans], [false, 2, 1, 2]);

    // the ends nobody saw are accounted as what they were
    assert.equal(hh.callRecord(gives), undefined);
    assert.equal(hh.callRecord(leaves), undefined);
    await hh.until('the lone attendant leg of the ended call is released', () => !live(hh.sim, leavesLeg));
    await hh.until('its bridge is destroyed', () => !hh.sim.bridges().some((b) => isCallBridge(b, 'call', leaves)));
    // the vanished bridge is made again around the same two sides
    await hh.until('call bridge rebuilt', () => hh.sim.bridges().find((b) => isCallBridge(b, 'call', kept))?.channels.length === 2);
    assert.deepEqual(hh.sim.bridges().find((b) => isCallBridge(b, 'call', kept))!.channels.sort(), [kept, keptLeg].sort());
    assert.equal(hh.callRecord(kept)?.state, 'talking');
    // the ringing presentation is this run's own: it keeps ringing
    assert.deepEqual(ringingLegsOf(hh.sim, rings), [ringLeg]);
    await hh.until('orphan legs hung up', () => !live(hh.sim, 'ghost-p7') && !live(hh.sim, 'ghost-p8'));

    // and the calls go on as usual
    hh.sim.answerChannel(ringLeg);
    await hh.until('answered', () => hh.callRecord(rings)?.talkBridge !== undefined);
    hh.sim.hangupCaller(kept);
    hh.sim.hangupCaller(rings);
    await hh.until('all ended', () => hh.callCount() === 0);
    await hh.settle();
    const ends = await assertEachCallEndedOnce(hh.store, [kept, leaves, rings, gives]);
    assert.deepEqual(ends, { [kept]: 'completed', [leaves]: 'completed', [rings]: 'completed', [gives]: 'abandoned' });
    assert.deepEqual(hh.sim.channels().filter((c) => !c.hungUp).map((c) => c.id), [], 'no channel left');
    assert.deepEqual(hh.sim.bridges().filter((b) => !b.id.startsWith('attendant-wait-')).map((b) => b.id), [], 'no bridge left but the waiting music');
    for (const id of ['att1', 'att2', 'att3']) assert.equal(hh.attendant(id).state, 'idle');
  });
});
