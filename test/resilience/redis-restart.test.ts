// Acceptance 4: Redis restarts. The test runs its own redis-server on a free port (the machine's
// Redis is never touched) and kills it. Calls the controller knows go on from memory, writes wait
// and are retried, the store is resynchronised from memory; a batch is never applied twice, even
// when Redis applied it and the reply was lost (the writer's sequence in the guarded commit).
import assert from 'node:assert/strict';
import { hashPassword } from '../../lib/api/auth/passwords.ts';
import { ManualTime } from '../../lib/clock.ts';
import { Ledger } from '../../lib/calls/ledger.ts';
import { silentLogger } from '../../lib/log.ts';
import { RedisStore } from '../../lib/store/redis.ts';
import { Harness, type HarnessOptions } from '../support/harness.ts';
import { RedisServer } from '../support/redis-server.ts';
import { Relay } from '../support/relay.ts';
import { until } from '../support/child-controller.ts';
import { answerRinging, assertEachCallEndedOnce, ringingLegsOf, testPrefix } from './support.ts';

function config(): HarnessOptions['config'] {
  return {
    attendants: [1, 2].map((i) => ({ id: `att${i}`, name: `Attendant ${i}`, device: `PJSIP/att${i}` })),
    classes: [{ id: 'external', priority: 5, delayedRing: 0 }],
    timers: { absentAfter: 600, recall: 300, park: 600, leaseTtl: 5 },
    groups: [{ id: 'operators', name: 'Operators', members: ['att1', 'att2'], strategy: 'longest-idle', ringTimeout: 120, table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' } } }],
  };
}

describe('resilience: Redis restarts', function () {
  this.timeout(60_000);
  let redis: RedisServer | undefined;
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
    await redis?.stop();
    redis = undefined;
  });

  /** our own redis-server and a controller on it, with one call talking and one ringing */
  async function talkingAndRinging(persistent: boolean): Promise<{ hh: Harness; c1: string; c2: string }> {
    redis = await RedisServer.start({ persistent });
    h = await Harness.start({ config: config(), redisUrl: redis.url });
    const c1 = h.call({ number: '0100000001' });
    await answerRinging(h, c1);
    const c2 = h.call({ number: '0100000002' });
    const hh = h;
    await hh.until('c2 rings', () => ringingLegsOf(hh.sim, c2).length === 1);
    return { hh, c1, c2 };
  }

  /** the ledger retries on the manual clock: move it on (1 s steps, no timer of the test is that short) until written */
  async function untilWritten(hh: Harness): Promise<void> {
    for (let i = 0; i < 120 && (hh.storeBacklog() > 0 || !(await hh.store.ping())); i++) {
      hh.time.advance(1000);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(hh.storeBacklog(), 0, 'every batch written');
  }

  /** the store says what memory says: attendants, calls and the queue */
  async function assertStoreMatchesMemory(hh: Harness): Promise<void> {
    const snap = await hh.store.snapshot();
    assert.deepEqual(snap.calls.map((c) => [c.id, c.state]), hh.callRecords().sort((a, b) => (a.id < b.id ? -1 : 1)).map((c) => [c.id, c.state]));
    assert.deepEqual(snap.attendants.map((a) => [a.id, a.state]), [...hh.view.attendants()].map((a) => [a.id, a.state]));
    assert.deepEqual(snap.queues.operators ?? [], hh.queue('operators'));
  }

  it('given calls in progress, when Redis is killed and comes back with its append-only file, then calls go on, writes are retried, and each call is counted once', async () => {
    const { hh, c1, c2 } = await talkingAndRinging(true);
    const c3 = hh.call({ number: '0100000003' });
    await hh.until('c3 waits', () => hh.waitsWithMusic(c3));
    await hh.settle();

    await redis!.kill();
    // the controller keeps serving what it knows: an answer, a hang-up, a new caller presented and answered
    hh.sim.answerChannel(ringingLegsOf(hh.sim, c2)[0]!);
    await hh.until('c2 talking', () => hh.callRecord(c2)?.talkBridge !== undefined);
    hh.sim.hangupCaller(c1);
    await answerRinging(hh, c3);
    const c4 = hh.call({ number: '0100000004' });
    await hh.until('c4 waits', () => hh.callRecord(c4)?.state === 'waiting');
    assert.ok(hh.storeBacklog() > 0, 'writes wait for Redis');
    const health = await fetch(`http://127.0.0.1:${hh.controller.httpPort}/healthz`).then((r) => r.json()) as { status: string; storeBacklog: number };
    assert.equal(health.status, 'degraded');
    assert.ok(health.storeBacklog > 0, 'health.storeBacklog > 0');

    await redis!.restart();
    await untilWritten(hh);
    await assertStoreMatchesMemory(hh);

    for (const id of [c2, c3]) hh.sim.hangupCaller(id);
    await answerRinging(hh, c4);
    hh.sim.hangupCaller(c4);
    await hh.until('all ended', () => hh.callCount() === 0);
    await untilWritten(hh);
    assert.deepEqual(await assertEachCallEndedOnce(hh.store, [c1, c2, c3, c4]), { [c1]: 'completed', [c2]: 'completed', [c3]: 'completed', [c4]: 'completed' });
    assert.deepEqual(await hh.store.listCalls(), []);
  });

  it('given a Redis that restarts empty (no persistence), when it is back, then the controller writes its whole working state again', async () => {
    const { hh } = await talkingAndRinging(false);
    await hh.settle();

    await redis!.restart();
    // the reconnect is noticed and memory is written back (a failed first try is retried on the manual clock)
    for (let i = 0; i < 100 && (await hh.store.listCalls().catch(() => [])).length < 2; i++) {
      hh.time.advance(500);
      await new Promise((r) => setTimeout(r, 50));
    }
    await untilWritten(hh);
    await assertStoreMatchesMemory(hh);
    await until('the lease is held again (renewed every ttl/3)', async () => (await hh.store.leaseHolder('controller')) === hh.controller.lease.holder, 5000);
  });

  it('given wake-up calls, a DND, a message and a console session, when Redis restarts empty, then they are written back with the working state', async () => {
    redis = await RedisServer.start({ persistent: false });
    const password = 'resilience-pw-1';
    h = await Harness.start({ config: { ...config(), users: [{ name: 'alice', role: 'operator', passwordHash: hashPassword(password), attendant: 'att1' }] }, redisUrl: redis.url });
    const hh = h;
    const ops = hh.switchboard.operations;
    await ops.scheduleWakeup({ extension: '201', time: '07:30', daily: true }, 'att1');
    await ops.setExtensionDnd('202', true, 'att1');
    await ops.leaveMessage('203', 'call the desk', 'att1');
    const login = await fetch(`http://127.0.0.1:${hh.controller.httpPort}/api/session/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'alice', password }),
    });
    assert.equal(login.status, 200);
    const { token } = await login.json() as { token: string };
    await hh.settle();
    const kinds = ['wakeup', 'dnd', 'message', 'session'];
    const docs = () => Promise.all(kinds.map((k) => hh.store.listDocs(k).catch(() => [])));
    const before = await docs();
    assert.deepEqual(before.map((d) => d.length), [1, 1, 1, 1]);

    await redis!.restart();
    for (let i = 0; i < 100 && (await docs()).some((d) => d.length === 0); i++) {
      hh.time.advance(500);
      await new Promise((r) => setTimeout(r, 50));
    }
    await untilWritten(hh);
    assert.deepEqual(await docs(), before);
    // and a controller started on that store now serves the same token and the same bookings
    await hh.restartController();
    const me = await fetch(`http://127.0.0.1:${hh.controller.httpPort}/api/session`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    assert.equal((await hh.switchboard.operations.listWakeups()).length, 1);
  });

  it('given Redis applied a batch but its reply was lost, when the ledger retries it, then the statistics count it once', async () => {
    redis = await RedisServer.start({ persistent: false });
    const relay = new Relay({ host: '127.0.0.1', port: redis.port });
    await relay.start();
    const prefix = testPrefix();
    const direct = await RedisStore.connect(redis.url, prefix);
    const store = await RedisStore.connect(`redis://127.0.0.1:${relay.port}`, prefix, { maxReconnectDelayMs: 50 });
    const time = new ManualTime();
    const ledger = new Ledger(store, time, silentLogger());
    try {
      const b = ledger.batch()
        .stats('group:operators', 0, { offered: 1, answered: 1 })
        .log({ time: 1, operator: 'system', action: 'end', callId: 'c1', numbers: [], result: 'lost-reply-marker' });
      const lost = relay.loseReplyTo('lost-reply-marker');
      await ledger.commit(b);
      await lost;
      assert.equal(ledger.backlog, 1, 'the ledger cannot know it was applied: it keeps it for a retry');
      assert.equal((await direct.stats('group:operators', 0, 0))[0]?.counters.offered, 1, 'Redis did apply it');
      for (let i = 0; i < 100 && ledger.backlog > 0; i++) {
        time.advance(200);
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(ledger.backlog, 0);
      assert.deepEqual((await direct.stats('group:operators', 0, 0))[0]?.counters, { offered: 1, answered: 1 });
      assert.equal((await direct.queryLog({})).filter((e) => e.result === 'lost-reply-marker').length, 1);
    } finally {
      await store.close();
      await direct.close();
      await relay.cut();
    }
  });
});
