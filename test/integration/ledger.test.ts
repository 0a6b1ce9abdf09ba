// The ledger's write path on real Redis: batches decided in one turn share a write, a claim lands after
// the batches decided before it, a burst is written in slices, and a store that is down never blocks.
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { Ledger } from '../../lib/calls/ledger.ts';
import { ManualTime } from '../../lib/clock.ts';
import { silentLogger } from '../../lib/log.ts';
import { RedisStore } from '../../lib/store/index.ts';
import { attendant, call } from '../contract/store.contract.ts';
import { deletePrefix, testPrefix } from '../contract/redis-keys.ts';

const REDIS_URL = process.env.REDIS_URL;

(REDIS_URL ? describe : describe.skip)('ledger writes on Redis', () => {
  let prefix: string;
  let store: RedisStore;
  let ledger: Ledger;
  let time: ManualTime;

  beforeEach(async () => {
    prefix = testPrefix();
    store = await RedisStore.connect(REDIS_URL!, prefix);
    time = new ManualTime();
    ledger = new Ledger(store, time, silentLogger());
  });

  afterEach(async () => {
    await store.close();
    const admin = createClient({ url: REDIS_URL! });
    await admin.connect();
    await deletePrefix(admin, prefix);
    await admin.close();
  });

  it('given an arrival and its presentation decided in one turn, when committed, then both go to Redis in one round trip', async () => {
    const before = store.commandStats().roundTrips;
    const c = call('c1');
    const arrival = ledger.commit(ledger.batch().putCall(c).enqueue('reception', c));
    const presentation = ledger.commit(ledger.batch().putCall({ ...c, state: 'ringing', ringingLegs: ['c1-p1'] }).putAttendant(attendant('att1', { state: 'ringing', currentCall: 'c1' })));
    await Promise.all([arrival, presentation]);
    assert.equal(store.commandStats().roundTrips - before, 1);
    assert.equal((await store.getCall('c1'))?.state, 'ringing');
    assert.deepEqual(await store.queue('reception'), ['c1']);
  });

  it('given a listener that commits as soon as a change is published, then its write is made too, with nothing else going on', async () => {
    const c = call('c9');
    let chained: Promise<void> | undefined;
    // the changes are published while the drain that wrote them is finishing (as the monitor reacts to a call's end)
    ledger.on('change', (ch) => {
      if (ch.kind === 'call' && ch.call.id === 'c9' && ch.call.state === 'waiting') chained = ledger.commit(ledger.batch().putCall({ ...c, state: 'ringing', ringingLegs: ['c9-p1'] }));
    });
    await ledger.commit(ledger.batch().putCall(c));
    const done = await Promise.race([chained!.then(() => 'written'), new Promise((r) => setTimeout(() => r('stuck'), 2000))]);
    assert.equal(done, 'written', 'the listener\'s commit resolved');
    assert.equal(ledger.backlog, 0, 'nothing left waiting');
    assert.equal((await store.getCall('c9'))?.state, 'ringing', 'the listener\'s write is in Redis');
  });

  it('given batches, a claim and batches after it decided together, when written, then the claim sees the earlier ones and the later ones land after it', async () => {
    const c = call('c2');
    const b1 = ledger.commit(ledger.batch().putCall(c).enqueue('reception', c));
    const claim = ledger.claim('c2', 'att1', ledger.batch().putCall({ ...c, state: 'talking', attendant: 'att1' }).dequeue('reception', 'c2'));
    const again = ledger.claim('c2', 'att2', ledger.batch().putCall({ ...c, state: 'talking', attendant: 'att2' }));
    const b2 = ledger.commit(ledger.batch().putCall({ ...c, state: 'talking', attendant: 'att1', talkBridge: 'call-c2' }));
    assert.deepEqual(await Promise.all([claim, again]), [true, false]);
    await Promise.all([b1, b2]);
    const stored = await store.getCall('c2');
    assert.deepEqual([stored?.attendant, stored?.talkBridge], ['att1', 'call-c2']);
    assert.equal(await store.claimOwner('c2'), 'att1');
    assert.deepEqual(await store.queue('reception'), []);
  });

  it('given a burst of 3,000 callers in one turn, when committed, then every batch is written, in slices and flights rather than one giant write', async () => {
    const before = store.commandStats().roundTrips;
    const all = Array.from({ length: 3000 }, (_, i) => {
      const c = call(`b${i}`, { arrivedAt: 1000 + i });
      return ledger.commit(ledger.batch().putCall(c).enqueue('reception', c));
    });
    await Promise.all(all);
    assert.equal(ledger.backlog, 0);
    assert.equal((await store.queue('reception')).length, 3000);
    assert.ok(store.commandStats().roundTrips - before >= 3, 'more than one write for 6,000 ops');
    assert.ok(ledger.flights >= 2, 'and more than one flight: the answers of one are awaited before the next');
  });

  it('given the store unreachable, when batches and a claim are committed, then each resolves at once from memory and the writes wait for a retry', async () => {
    await store.close();
    const c = call('c3');
    await ledger.commit(ledger.batch().putCall(c));
    assert.equal(await ledger.claim('c3', 'att1', ledger.batch().putCall({ ...c, state: 'talking', attendant: 'att1' })), true);
    assert.equal(ledger.storeAvailable, false);
    assert.equal(ledger.backlog, 2);
    assert.equal(ledger.calls.get('c3')?.attendant, 'att1');
  });
});
