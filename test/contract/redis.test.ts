// What only the Redis store has: its stored form, its round trips, and its behaviour when Redis goes away.
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import type { AttendantRecord } from '../../lib/domain/model.ts';
import { CorruptRecordError, StoreUnavailableError } from '../../lib/store/keys.ts';
import { RedisStore } from '../../lib/store/redis.ts';
import { queueScore } from '../../lib/store/store.ts';
import type { StoreOp } from '../../lib/store/store.ts';
import { attendant, call } from './store.contract.ts';
import { deletePrefix, testPrefix } from './redis-keys.ts';
import { Relay } from '../support/relay.ts';

const REDIS_URL = process.env.REDIS_URL;

if (REDIS_URL === undefined || REDIS_URL === '') {
  describe('RedisStore', () => {
    it('is skipped: set REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379) to run the Redis-only cases');
  });
} else {
  const url = REDIS_URL;

  describe('RedisStore', () => {
    let admin: ReturnType<typeof createClient>;
    let prefix: string;
    let store: RedisStore;

    before(async () => {
      admin = createClient({ url });
      await admin.connect();
    });

    after(async () => {
      await admin.close();
    });

    beforeEach(async () => {
      prefix = testPrefix();
      store = await RedisStore.connect(url, prefix);
    });

    afterEach(async () => {
      await store.close();
      await deletePrefix(admin, prefix);
    });

    describe('stored form', () => {
      it('given an idle attendant in two groups, when committed, then its hash holds strings field by field and each idle set scores it by idleSince', async () => {
        await store.commit([{ op: 'putAttendant', attendant: attendant('att1', { groups: ['reception', 'sales'], idleSince: 1234, loginUser: 'alice', offline: true }) }]);
        assert.deepEqual({ ...(await admin.hGetAll(`${prefix}attendant:att1`)) }, {
          id: 'att1', state: 'idle', since: String(Date.UTC(2026, 0, 5, 9)), reason: 'login', groups: '["reception","sales"]',
          device: 'PJSIP/att1', idleSince: '1234', loginUser: 'alice', offline: 'true', callsTaken: '0',
        });
        assert.deepEqual(await admin.sMembers(`${prefix}attendants`), ['att1']);
        assert.equal(await admin.zScore(`${prefix}group:reception:idle`, 'att1'), 1234);
        assert.equal(await admin.zScore(`${prefix}group:sales:idle`, 'att1'), 1234);
      });

      it('given a queued call, a claim, a log entry, stats and a document, when committed, then they sit under the documented keys', async () => {
        const c = call('c1', { priority: 9 });
        await store.commit([
          { op: 'putCall', call: c },
          { op: 'enqueue', group: 'reception', callId: 'c1', score: queueScore(9, c.arrivedAt) },
          { op: 'log', entry: { time: 5000, operator: 'att1', action: 'answer', numbers: ['100'], result: 'ok' } },
          { op: 'stats', scope: 'reception', intervalStart: 900_000, add: { offered: 1 } },
          { op: 'putDoc', kind: 'wakeup', id: 'w1', doc: { at: '07:00' } },
        ]);
        await store.claimCall('c1', 'att1');
        await store.acquireLease('controller', 'node-a', 5000);
        const keys: string[] = [];
        for await (const batch of admin.scanIterator({ MATCH: `${prefix}*` })) keys.push(...batch);
        assert.deepEqual(keys.map((k) => k.slice(prefix.length)).sort(), [
          'call:c1', 'calls', 'claim:c1', 'doc:wakeup:w1', 'docs:wakeup', 'lease:controller', 'log', 'queue:reception', 'queues',
          'stats:reception:900000', 'stats:reception:index',
        ]);
        assert.equal(await admin.get(`${prefix}claim:c1`), 'att1');
        assert.equal(await admin.zScore(`${prefix}queue:reception`, 'c1'), queueScore(9, c.arrivedAt));
        const pttl = await admin.pTTL(`${prefix}lease:controller`);
        assert.ok(pttl > 0 && pttl <= 5000, `lease has a TTL (${pttl})`);
        const [entry] = await admin.xRange(`${prefix}log`, '-', '+');
        assert.match(entry?.id ?? '', /^5000-\d+$/);
      });

      it('given attempts counted for a user name, when stored, then the key holds the sha256 of the name, never the name, with the window as TTL', async () => {
        await store.attemptCounter('login-user', { limit: 5, windowMs: 60_000 }).take('alice@example');
        const keys: string[] = [];
        for await (const batch of admin.scanIterator({ MATCH: `${prefix}attempts:*` })) keys.push(...batch);
        assert.equal(keys.length, 1);
        assert.match(keys[0]!.slice(prefix.length), /^attempts:login-user:[0-9a-f]{40}$/);
        assert.ok(!keys[0]!.includes('alice'), 'the name is not in the key');
        assert.equal(await admin.get(keys[0]!), '1');
        const ttl = await admin.pTTL(keys[0]!);
        assert.ok(ttl > 0 && ttl <= 60_000, `TTL ${ttl}`);
      });

      it('given a call hash written by the previous version (fields of a state it left, a field this version does not know), when loaded, then it is its state\'s variant', async () => {
        await admin.hSet(`${prefix}call:c9`, {
          id: 'c9', callClass: 'external', priority: '5', group: 'reception', alsoGroups: '[]', state: 'held', callerNumber: '0612', callerName: '',
          target: '100', arrivedAt: '1000', ringingLegs: '["c9-p1"]', refusedBy: '[]', attendant: 'att1', slot: '2', heldAt: '2000', holdBridge: 'hold-c9-b1',
          leg: 'c9-p1', talkBridge: 'call-c9-b1', transferTarget: '201', consultAnswered: 'true', recordedBy: 'v0',
        });
        await admin.sAdd(`${prefix}calls`, 'c9');
        const expected = {
          id: 'c9', callClass: 'external', priority: 5, group: 'reception', alsoGroups: [], state: 'held', callerNumber: '0612', callerName: '',
          target: '100', arrivedAt: 1000, ringingLegs: [], refusedBy: [], attendant: 'att1', slot: 2, heldAt: 2000, holdBridge: 'hold-c9-b1',
        };
        assert.deepEqual(await store.getCall('c9'), expected);
        assert.deepEqual((await store.snapshot()).calls, [expected]);
      });

      it('given a foreign value under the prefix, when read, then a CorruptRecordError names the key', async () => {
        await admin.hSet(`${prefix}attendant:att1`, { id: 'att1', state: 'sleeping' });
        await assert.rejects(store.getAttendant('att1'), (err: unknown) => err instanceof CorruptRecordError && err.key === `${prefix}attendant:att1`);
      });
    });

    describe('round trips', () => {
      it('given a batch of many ops, when committed, then it takes one round trip', async () => {
        const ops: StoreOp[] = [
          { op: 'putAttendant', attendant: attendant('att1') },
          { op: 'putCall', call: call('c1') },
          { op: 'enqueue', group: 'reception', callId: 'c1', score: 1 },
          { op: 'log', entry: { time: 1, operator: 'att1', action: 'x', numbers: [], result: 'ok' } },
          { op: 'stats', scope: 'reception', intervalStart: 0, add: { a: 1, b: 2 } },
        ];
        const before = store.commandStats();
        await store.commit(ops);
        const after = store.commandStats();
        // one command too: the batch is one call of the apply script
        assert.deepEqual({ roundTrips: after.roundTrips - before.roundTrips, commands: after.commands - before.commands }, { roundTrips: 1, commands: 1 });
      });

      it('given a claim with ops, when claimed (won or lost), then each attempt takes one round trip', async () => {
        const ops: StoreOp[] = [{ op: 'putAttendant', attendant: attendant('att1', { state: 'ringing', currentCall: 'c1' }) }, { op: 'dequeue', group: 'reception', callId: 'c1' }];
        const before = store.commandStats();
        assert.equal(await store.claimCall('c1', 'att1', ops), true);
        assert.equal(await store.claimCall('c1', 'att2', ops), false);
        const after = store.commandStats();
        assert.deepEqual({ roundTrips: after.roundTrips - before.roundTrips, commands: after.commands - before.commands }, { roundTrips: 2, commands: 2 });
      });
    });

    describe('connection', () => {
      let relay: Relay;
      const target = new URL(url);

      beforeEach(async () => {
        relay = new Relay({ host: target.hostname, port: Number(target.port || 6379) });
        await relay.start();
      });

      afterEach(async () => {
        await relay.cut().catch(() => undefined);
      });

      it('given nothing answering at the URL, when connecting, then StoreUnavailableError after the allowed attempts', async () => {
        await relay.cut();
        await assert.rejects(
          RedisStore.connect(`redis://127.0.0.1:${relay.port}`, prefix, { connectAttempts: 2, maxReconnectDelayMs: 20 }),
          (err: unknown) => err instanceof StoreUnavailableError && err.code === 'store_unavailable',
        );
      });

      it('given the connection drops, then commands fail fast without being queued, ping is false, and all works again once Redis is back', async () => {
        const ups: boolean[] = [];
        let onUp: (() => void) | undefined;
        let onDown: (() => void) | undefined;
        const relayed = await RedisStore.connect(`redis://127.0.0.1:${relay.port}`, prefix, {
          maxReconnectDelayMs: 50,
          onConnection: (up) => { ups.push(up); (up ? onUp : onDown)?.(); },
        });
        try {
          const down = new Promise<void>((resolve) => { onDown = resolve; });
          await relay.cut();
          await down;

          const started = performance.now();
          await assert.rejects(relayed.getAttendant('att1'), StoreUnavailableError);
          await assert.rejects(relayed.commit([{ op: 'putAttendant', attendant: attendant('att1') }]), StoreUnavailableError);
          assert.equal(await relayed.ping(), false);
          assert.ok(performance.now() - started < 500, 'fails fast instead of waiting for a reconnect');

          const up = new Promise<void>((resolve) => { onUp = resolve; });
          await relay.start(relay.port);
          await up;
          assert.equal(await relayed.ping(), true);
          assert.equal(await relayed.getAttendant('att1'), null, 'the refused commit was not replayed on reconnect');
          await relayed.commit([{ op: 'putAttendant', attendant: attendant('att1') }]);
          assert.deepEqual(await store.getAttendant('att1'), attendant('att1') satisfies AttendantRecord);
          assert.deepEqual(ups, [true, false, true]);
        } finally {
          await relayed.close();
        }
      });

      it('given Redis cannot answer, when attempts are counted, then they are counted in this process meanwhile (told once) and in Redis again once it is back', async () => {
        const told: Error[] = [];
        let onUp: (() => void) | undefined;
        let onDown: (() => void) | undefined;
        const relayed = await RedisStore.connect(`redis://127.0.0.1:${relay.port}`, prefix, {
          maxReconnectDelayMs: 50, onError: (err) => { if (err instanceof StoreUnavailableError) told.push(err); },
          onConnection: (up) => (up ? onUp : onDown)?.(),
        });
        try {
          const counter = relayed.attemptCounter('login-ip', { limit: 2, windowMs: 60_000 });
          assert.equal((await counter.take('10.0.0.9')).count, 1);
          const down = new Promise<void>((resolve) => { onDown = resolve; });
          await relay.cut();
          await down;
          const during = [await counter.take('10.0.0.9'), await counter.take('10.0.0.9'), await counter.take('10.0.0.9')];
          assert.deepEqual(during.map((r) => [r.count, r.allowed]), [[1, true], [2, true], [3, false]], 'counted (and limited) in memory');
          assert.equal(told.filter((e) => /attempt counter login-ip/.test(e.message)).length, 1, 'told once per outage');
          const up = new Promise<void>((resolve) => { onUp = resolve; });
          await relay.start(relay.port);
          await up;
          assert.equal((await counter.take('10.0.0.9')).count, 2, 'Redis had kept its own count');
        } finally {
          await relayed.close();
        }
      });
    });
  });
}
