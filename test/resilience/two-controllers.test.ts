// Acceptance 5: two controller processes on one store. Only the lease holder consumes the Stasis app
// (the standby opens no ARI WebSocket: Asterisk would give the app to the newest socket); killed, the
// active is replaced within the lease time and its calls are adopted; stopped gracefully, it releases
// the lease and the standby takes over at once; an active that loses the lease stops at once (fenced).
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { ChildController, until } from '../support/child-controller.ts';
import { assertEachCallEndedOnce, live, placeCall, ringingLegsOf, siteConfig, useChildSite } from './support.ts';
import { isCallBridge } from '../support/sim-helpers.ts';
import { talkBridgeOf as bridgeOfCall } from '../../lib/domain/call.ts';
import type { CallRecord } from '../../lib/domain/model.ts';

const talkBridgeOf = (c: CallRecord | null | undefined) => (c ? bridgeOfCall(c) : undefined);

const REDIS_URL = process.env.REDIS_URL;
const LEASE_TTL_MS = 5000;

describe('resilience: two controllers, one lease', function () {
  this.timeout(150_000);
  const site = useChildSite(REDIS_URL, 13);
  const { children } = site;
  const measured: Record<string, number> = {};

  after(() => {
    if (Object.keys(measured).length) process.stdout.write(`      measured: ${JSON.stringify(measured)}\n`);
  });

  async function start(name: string, nodeId: string): Promise<ChildController> {
    const child = await ChildController.start(name, siteConfig({ ariUrl: site.sim.url, redisUrl: REDIS_URL!, prefix: site.prefix, nodeId }));
    children.push(child);
    return child;
  }

  async function ringingLeg(callId: string): Promise<string> {
    await until(`${callId} rings`, () => ringingLegsOf(site.sim, callId).length > 0);
    assert.equal(ringingLegsOf(site.sim, callId).length, 1);
    return ringingLegsOf(site.sim, callId)[0]!;
  }

  async function answered(callId: string): Promise<void> {
    site.sim.answerChannel(await ringingLeg(callId));
    await until(`${callId} talking`, async () => talkBridgeOf(await site.store.getCall(callId)) !== undefined);
  }

  const holder = () => site.store.leaseHolder('controller');
  /** the controller's own socket, not counting the test's watcher */
  const controllerSockets = () => site.sim.openSockets() - 1;

  it('given an active and a standby, when the active is killed, then the standby takes over within the lease time and adopts its calls; stopped gracefully, it hands over at once', async () => {
    const a = await start('a', 'node-a');
    await a.waitRole('active');
    const b = await start('b', 'node-b');
    await b.waitRole('standby');
    assert.deepEqual(await b.health(), { status: 'standby', role: 'standby', ari: false, ami: null, store: true, storeBacklog: 0, links: { ari: 'down', ami: null, store: 'up' } });
    const refused = await fetch(`http://127.0.0.1:${b.port}/api/state`);
    assert.equal(refused.status, 503);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'standby');
    assert.equal(controllerSockets(), 1, 'the standby holds no ARI WebSocket');
    assert.equal(await holder(), 'node-a');

    const c1 = placeCall(site.sim, '0100000001');
    await answered(c1);
    const c2 = placeCall(site.sim, '0100000002');
    const oldLeg2 = await ringingLeg(c2);
    const c3 = placeCall(site.sim, '0100000003');
    const oldLeg3 = await ringingLeg(c3);
    const c4 = placeCall(site.sim, '0100000004');
    await until('c4 queued', async () => (await site.store.queue('operators')).includes(c4));
    await until('c3 ringing in the store', async () => (await site.store.getCall(c3))?.state === 'ringing');
    const bridge1 = site.sim.bridges().find((b) => isCallBridge(b, 'call', c1))!.channels.sort();

    const killedAt = Date.now();
    await a.kill();
    await until('node-b holds the lease', async () => (await holder()) === 'node-b', LEASE_TTL_MS + 5000);
    measured.leaseTakenAfterKillMs = Date.now() - killedAt;
    await b.waitRole('active');
    measured.activeAfterKillMs = Date.now() - killedAt;
    assert.ok(measured.leaseTakenAfterKillMs <= LEASE_TTL_MS + 1500, `lease taken ${measured.leaseTakenAfterKillMs} ms after the kill`);
    assert.equal(controllerSockets(), 1);

    // adopted: the conversation goes on, the ringing calls ring again (anew), the waiting one still waits
    assert.deepEqual(site.sim.bridges().find((x) => isCallBridge(x, 'call', c1))!.channels.sort(), bridge1);
    const newLeg2 = await ringingLeg(c2);
    const newLeg3 = await ringingLeg(c3);
    assert.ok(newLeg2 !== oldLeg2 && newLeg3 !== oldLeg3 && !live(site.sim, oldLeg2) && !live(site.sim, oldLeg3), 'newLeg2 !== oldLeg2 && newLeg3 !== oldLeg3 && !live(site.sim, oldLeg2) && !live(site.si...');
    assert.deepEqual(await site.store.queue('operators'), [c2, c3, c4]);

    // a graceful stop releases the lease: the other takes over without waiting for it to lapse
    const a2 = await start('a2', 'node-a');
    await a2.waitRole('standby');
    const stoppedAt = Date.now();
    await b.stop();
    await until('node-a holds the lease', async () => (await holder()) === 'node-a', LEASE_TTL_MS);
    measured.leaseTakenAfterGracefulStopMs = Date.now() - stoppedAt;
    await a2.waitRole('active');
    assert.ok(measured.leaseTakenAfterGracefulStopMs < LEASE_TTL_MS / 2, `handed over in ${measured.leaseTakenAfterGracefulStopMs} ms`);

    // and the calls are served to the end by the third process
    const c2Leg = await ringingLeg(c2);
    site.sim.answerChannel(c2Leg);
    await until('c2 talking', async () => talkBridgeOf(await site.store.getCall(c2)) !== undefined);
    for (const [done, next] of [[c1, c4]] as const) {
      site.sim.hangupCaller(done);
      await answered(next);
    }
    site.sim.answerChannel(await ringingLeg(c3));
    await until('c3 talking', async () => talkBridgeOf(await site.store.getCall(c3)) !== undefined);
    for (const id of [c2, c3, c4]) site.sim.hangupCaller(id);
    await until('every call ended', async () => (await site.store.listCalls()).length === 0);
    assert.deepEqual(await site.watcher.presentedTwice(), []);
    const ends = await assertEachCallEndedOnce(site.store, [c1, c2, c3, c4]);
    assert.deepEqual(Object.values(ends), ['completed', 'completed', 'completed', 'completed']);
  });

  it('given an active controller, when the store says another holder has the lease, then it stops consuming at once and comes back once the lease is free', async () => {
    const a = await start('a', 'node-a');
    await a.waitRole('active');
    const c1 = placeCall(site.sim, '0100000001');
    const oldLeg = await ringingLeg(c1);

    const admin = createClient({ url: REDIS_URL! });
    await admin.connect();
    try {
      const takenAt = Date.now();
      await admin.set(`${site.prefix}lease:controller`, 'intruder', { PX: 4000 });
      await until('a is fenced', async () => (await a.health())?.role === 'standby', LEASE_TTL_MS);
      measured.fencedAfterLeaseLostMs = Date.now() - takenAt;
      assert.ok(measured.fencedAfterLeaseLostMs <= LEASE_TTL_MS / 3 + 1500, `fenced ${measured.fencedAfterLeaseLostMs} ms after`);
      await until('its socket is closed', () => controllerSockets() === 0, 2000);
      // nobody consumes the app now: a new caller's Stasis() fails and the dialplan takes it
      const unserved = placeCall(site.sim, '0100000002');
      assert.equal(site.sim.continued().find((c) => c.channelId === unserved)?.how, 'stasis-failed');
      site.sim.hangupCaller(unserved);
    } finally {
      await admin.close();
    }

    // the intruder's lease lapses: node-a takes it again, reloads and reconciles
    await a.waitRole('active', LEASE_TTL_MS + 5000);
    assert.equal(await holder(), 'node-a');
    const newLeg = await ringingLeg(c1);
    assert.ok(newLeg !== oldLeg && !live(site.sim, oldLeg), 'newLeg !== oldLeg && !live(site.sim, oldLeg)');
    site.sim.answerChannel(newLeg);
    await until('c1 talking', async () => talkBridgeOf(await site.store.getCall(c1)) !== undefined);
    site.sim.hangupCaller(c1);
    await until('ended', async () => (await site.store.listCalls()).length === 0);
    assert.deepEqual(await assertEachCallEndedOnce(site.store, [c1]), { [c1]: 'completed' });
  });
});
