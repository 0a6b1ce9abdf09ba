// Acceptance 1: the controller process is killed (SIGKILL: no stop path, no lease release, nothing
// flushed) while calls wait, ring and talk, and another process starts on the same store. A real
// child process is used rather than an in-process controller left unstopped: an abandoned in-process
// controller would keep its timers and sockets and go on reacting to events, which a killed one cannot.
import assert from 'node:assert/strict';
import { ChildController, until } from '../support/child-controller.ts';
import { assertEachCallEndedOnce, live, placeCall, ringingLegsOf, siteConfig, useChildSite } from './support.ts';
import { isCallBridge } from '../support/sim-helpers.ts';
import { attendantLegOf, talkBridgeOf as bridgeOfCall } from '../../lib/domain/call.ts';
import type { CallRecord } from '../../lib/domain/model.ts';

const talkBridgeOf = (c: CallRecord | null | undefined) => (c ? bridgeOfCall(c) : undefined);
const legOfCall = (c: CallRecord | null | undefined) => (c ? attendantLegOf(c) : undefined);

const REDIS_URL = process.env.REDIS_URL;

describe('resilience: the controller is killed in the middle of traffic and started again', function () {
  this.timeout(120_000);
  const site = useChildSite(REDIS_URL, 11);
  const { children } = site;

  const ringingLegs = (callId: string) => ringingLegsOf(site.sim, callId);
  const deviceOf = (leg: string) => site.sim.channels().find((c) => c.id === leg)?.endpoint;
  const stored = async (callId: string) => site.store.getCall(callId);

  async function ringingLeg(callId: string): Promise<string> {
    await until(`${callId} rings`, () => ringingLegs(callId).length > 0);
    const legs = ringingLegs(callId);
    assert.equal(legs.length, 1, `${callId} rings once`);
    return legs[0]!;
  }

  async function answered(callId: string): Promise<string> {
    const leg = await ringingLeg(callId);
    site.sim.answerChannel(leg);
    await until(`${callId} talking`, async () => talkBridgeOf(await stored(callId)) !== undefined);
    return leg;
  }

  it('given calls waiting, ringing and talking, when the controller is killed and restarted, then order, conversations and presentations hold and every call ends exactly once', async () => {
    const config = siteConfig({ ariUrl: site.sim.url, redisUrl: REDIS_URL!, prefix: site.prefix, nodeId: 'node-a' });
    const first = await ChildController.start('first', config);
    children.push(first);
    await first.waitRole('active');

    const c1 = placeCall(site.sim, '0100000001');
    const leg1 = await answered(c1);
    const c2 = placeCall(site.sim, '0100000002');
    const leg2 = await answered(c2);
    const c3 = placeCall(site.sim, '0100000003');
    const oldLeg3 = await ringingLeg(c3);
    const waiting: string[] = [];
    for (const n of ['4', '5', '6']) {
      const id = placeCall(site.sim, `010000000${n}`);
      waiting.push(id);
      await until(`${id} queued`, async () => (await site.store.queue('operators')).includes(id));
    }
    await until('c3 ringing in the store', async () => (await stored(c3))?.state === 'ringing');
    const [c4, c5, c6] = waiting as [string, string, string];
    const bridgesBefore = site.sim.bridges().filter((b) => isCallBridge(b, 'call', c1) || isCallBridge(b, 'call', c2)).map((b) => ({ id: b.id, channels: [...b.channels].sort() }));
    assert.equal(bridgesBefore.length, 2);

    // killed just as one more caller arrives: its arrival may or may not have reached the site.store
    const c7 = placeCall(site.sim, '0100000007');
    await first.kill();
    const ringStops = () => site.sim.requests().byRoute['DELETE /channels/{channelId}/ring'] ?? 0;
    const ringStopsBefore = ringStops();
    // while nobody listens, a waiting caller gives up: its StasisEnd is never seen
    site.sim.hangupCaller(c5);

    const second = await ChildController.start('second', config);
    children.push(second);
    await second.waitRole('active');

    // the ringing presentation is given up and made again, to the attendant now free
    const newLeg3 = await ringingLeg(c3);
    assert.notEqual(newLeg3, oldLeg3);
    assert.equal(live(site.sim, oldLeg3), false, 'the old leg was hung up');
    assert.equal(deviceOf(newLeg3), deviceOf(oldLeg3));
    // talking calls are untouched: same bridges, same members, both sides still up
    const bridgesAfter = site.sim.bridges().filter((b) => isCallBridge(b, 'call', c1) || isCallBridge(b, 'call', c2)).map((b) => ({ id: b.id, channels: [...b.channels].sort() }));
    assert.deepEqual(bridgesAfter, bridgesBefore);
    for (const ch of [c1, leg1, c2, leg2]) assert.equal(live(site.sim, ch), true, `${ch} still up`);
    assert.deepEqual([(await stored(c1))?.state, (await stored(c2))?.state], ['talking', 'talking']);
    // the caller who left meanwhile is accounted; the others wait in arrival order (the last one adopted if it was never stored)
    await until('the queue is reconciled', async () => (await site.store.queue('operators')).join() === [c3, c4, c6, c7].join());

    // serve the rest: each freed attendant gets the next call in arrival order
    site.sim.answerChannel(newLeg3);
    await until('c3 talking', async () => talkBridgeOf(await stored(c3)) !== undefined);
    const servedAfterRestart = [c3];
    for (const [done, next] of [[c1, c4], [c2, c6], [c3, c7]] as const) {
      site.sim.hangupCaller(done);
      await answered(next);
      servedAfterRestart.push(next);
    }
    assert.deepEqual(servedAfterRestart, [c3, c4, c6, c7]);
    // c4 and c6 were answered into music by the first run, c7 by whichever run took it: their channels are up, so
    // their connect stops no ring and answers nobody twice; c3 may have heard ringback until its connect (or waited
    // with music, if its set was not free yet when its old leg was given up)
    assert.ok(ringStops() - ringStopsBefore <= 1, `at most c3's ring stopped after the restart (${ringStops() - ringStopsBefore})`);
    for (const id of [c4, c6, c7]) site.sim.hangupCaller(id);
    await until('every call ended', async () => (await site.store.listCalls()).length === 0);

    assert.deepEqual(await site.watcher.presentedTwice(), [], `no call rang at two sets at once: ${site.watcher.timeline(c3).join('; ')}`);
    const ends = await assertEachCallEndedOnce(site.store, [c1, c2, c3, c4, c5, c6, c7]);
    assert.deepEqual(ends, { [c1]: 'completed', [c2]: 'completed', [c3]: 'completed', [c4]: 'completed', [c5]: 'abandoned', [c6]: 'completed', [c7]: 'completed' });
    for (const a of await site.store.listAttendants()) assert.equal(a.state, 'idle', `${a.id} idle at the end`);
  });

  it('given a set ringing, when the set answers as the controller dies (its presentation maybe never stored, the StasisStart never handled), then the restarted controller adopts that leg from its appArgs and connects it to the caller', async () => {
    const config = siteConfig({ ariUrl: site.sim.url, redisUrl: REDIS_URL!, prefix: site.prefix, nodeId: 'node-a' });
    const first = await ChildController.start('first', config);
    children.push(first);
    await first.waitRole('active');

    const c1 = placeCall(site.sim, '0100000011');
    // frozen the moment the set rings (the originate goes out before the presentation's store write), then
    // the set answers: the leg enters Stasis with [@present, call, attendant], a StasisStart nobody handles
    await until('c1 rings', () => ringingLegs(c1).length > 0);
    process.kill(first.pid, 'SIGSTOP');
    const leg = ringingLegs(c1)[0]!;
    const device = deviceOf(leg);
    site.sim.answerChannel(leg);
    await until('the answered leg in Stasis', () => site.sim.channels().some((c) => c.id === leg && c.inStasis));
    await first.kill();

    const second = await ChildController.start('second', config);
    children.push(second);
    await second.waitRole('active');
    await until('c1 talking with the leg that rang', async () => legOfCall(await stored(c1)) === leg && talkBridgeOf(await stored(c1)) !== undefined)
      .catch((err: Error) => { throw new Error(`${err.message}\n${JSON.stringify(site.sim.channels().map((c) => [c.id, c.state, c.inStasis, c.bridgeId]))}\n${second.logs.split('\n').filter((l) => /c1|adopt|reconcil|leg|present|answer/i.test(l) || l.includes(c1)).slice(-40).join('\n')}`); });
    const bridge = site.sim.bridges().find((b) => isCallBridge(b, 'call', c1));
    assert.deepEqual([...bridge!.channels].sort(), [c1, leg].sort());
    assert.equal(live(site.sim, leg), true, 'the answered leg was adopted, not hung up');
    assert.equal(site.sim.channels().filter((c) => c.endpoint === device && !c.hungUp).length, 1, 'the set was not rung again');

    site.sim.hangupCaller(c1);
    await until('the call ended', async () => (await site.store.listCalls()).length === 0);
    const ends = await assertEachCallEndedOnce(site.store, [c1]);
    assert.deepEqual(ends, { [c1]: 'completed' });
  });
});
