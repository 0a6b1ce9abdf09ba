// The ledger's write path on real Redis: batches decided in one turn share a write, a claim lands after
// the batches decided before it, a burst is written in slices, and a store that is down never blocks.
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { Ledger } from '../../lib/calls/ledger.ts';
import { LedgerView } from '../../lib/calls/view.ts';
import { ManualTime } from '../../lib/clock.ts';
import { silentLogger } from '../../lib/log.ts';
import { RedisStore } from '../../lib/store/index.ts';
import { attendant, call } from '../contract/store.contract.ts';
import { attendantOf, talkBridgeOf } from '../../lib/domain/call.ts';
import { deletePrefix, testPrefix } from '../contract/redis-keys.ts';

const REDIS_URL = process.env.REDIS_URL;

(REDIS_URL ? describe : describe.skip)('ledger writes on Redis', () => {
  let prefix: string;
  let store: RedisStore;
  let ledger: Ledger;
  /** what the ledger holds, read as the API and the tests read a switchboard */
  let view: LedgerView;
  let time: ManualTime;

  beforeEach(async () => {
    prefix = testPrefix();
    store = await RedisStore.connect(REDIS_URL!, prefix);
    time = new ManualTime();
    ledger = new Ledger(store, time, silentLogger());
    view = new LedgerView(ledger);
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
    const presentation = ledger.commit(ledger.batch().putCall(call(c.id, { ...c, state: 'ringing', ringingLegs: ['c1-p1'], presentedAt: 1 })).putAttendant(attendant('att1', { state: 'ringing', currentCall: 'c1' })));
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
      if (ch.kind === 'call' && ch.call.id === 'c9' && ch.call.state === 'waiting') chained = ledger.commit(ledger.batch().putCall(call(c.id, { ...c, state: 'ringing', ringingLegs: ['c9-p1'], presentedAt: 1 })));
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
    const claim = ledger.claim('c2', 'att1', ledger.batch().putCall(call(c.id, { ...c, state: 'talking', attendant: 'att1', leg: `${c.id}-p1`, answeredAt: 1, firstAnsweredAt: 1 })).dequeue('reception', 'c2'));
    const again = ledger.claim('c2', 'att2', ledger.batch().putCall(call(c.id, { ...c, state: 'talking', attendant: 'att2', leg: `${c.id}-p1`, answeredAt: 1, firstAnsweredAt: 1 })));
    const b2 = ledger.commit(ledger.batch().putCall(call(c.id, { ...c, state: 'talking', attendant: 'att1', talkBridge: 'call-c2', leg: `${c.id}-p1`, answeredAt: 1, firstAnsweredAt: 1 })));
    assert.deepEqual(await Promise.all([claim, again]), [true, false]);
    await Promise.all([b1, b2]);
    const stored = await store.getCall('c2');
    assert.deepEqual([stored && attendantOf(stored), stored && talkBridgeOf(stored)], ['att1', 'call-c2']);
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
    assert.equal(await ledger.claim('c3', 'att1', ledger.batch().putCall(call(c.id, { ...c, state: 'talking', attendant: 'att1', leg: `${c.id}-p1`, answeredAt: 1, firstAnsweredAt: 1 }))), true);
    assert.equal(ledger.storeAvailable, false);
    assert.equal(ledger.backlog, 2);
    const c3 = view.call('c3');
    assert.equal(c3?.state === 'talking' && c3.attendant, 'att1');
  });

  describe('writes held while a set is about to ring', () => {
    const settleIo = () => new Promise((r) => setTimeout(r, 30));

    it('given a hold, when a batch is committed, then memory has it at once and Redis only once the hold ends', async () => {
      let rang!: () => void;
      ledger.holdWritesUntil(new Promise<void>((r) => { rang = r; }));
      const c = call('h1');
      const written = ledger.commit(ledger.batch().putCall(c));
      assert.equal(view.call('h1')?.id, 'h1', 'decided in memory at once');
      await settleIo();
      assert.equal(await store.getCall('h1'), null, 'not written while held');
      rang();
      await written;
      assert.equal((await store.getCall('h1'))?.id, 'h1');
    });

    it('given a hold that never ends, then the write goes after the hold\'s limit', async () => {
      ledger.holdWritesUntil(new Promise<void>(() => undefined));
      const written = ledger.commit(ledger.batch().putCall(call('h2')));
      await settleIo();
      assert.equal(await store.getCall('h2'), null);
      time.advance(10);
      await written;
      assert.equal((await store.getCall('h2'))?.id, 'h2');
    });

    it('given a hold, when a claim is made, then the claim and the batches before it go at once', async () => {
      ledger.holdWritesUntil(new Promise<void>(() => undefined));
      const c = call('h3');
      const arrival = ledger.commit(ledger.batch().putCall(c).enqueue('reception', c));
      const won = await ledger.claim('h3', 'att1', ledger.batch().putCall(call(c.id, { ...c, state: 'talking', attendant: 'att1', leg: `${c.id}-p1`, answeredAt: 1, firstAnsweredAt: 1 })).dequeue('reception', 'h3'));
      await arrival;
      assert.equal(won, true);
      assert.equal(await store.claimOwner('h3'), 'att1');
    });
  });
  describe('an arrival committed after the originates', () => {
    /** what the observers saw, in order: each batch's calls and the state memory held for them then */
    function watch(): string[] {
      const seen: string[] = [];
      ledger.observe((b) => {
        for (const ch of b.changes) if (ch.kind === 'call') seen.push(`${ch.call.id}:${ch.call.state}/${view.call(ch.call.id)?.state}`);
      });
      return seen;
    }

    it('given an arrival, when nothing else is committed in its turn, then memory has it at once and the observers and Redis after a microtask', async () => {
      const seen = watch();
      const c = call('a1');
      const written = ledger.commitAfterOriginates(ledger.batch().putCall(c).enqueue('reception', c));
      assert.deepEqual([view.call('a1')?.state, view.queue('reception'), seen], ['waiting', ['a1'], []], 'memory at once, observers not yet');
      await Promise.resolve();
      assert.deepEqual(seen, ['a1:waiting/waiting'], 'observed in the next microtask');
      await written;
      assert.equal((await store.getCall('a1'))?.state, 'waiting');
    });

    it('given an arrival, when its presentation is committed in the same turn, then the observers see the arrival first, with memory as the arrival left it, and both are written in one round trip', async () => {
      const seen = watch();
      const before = store.commandStats().roundTrips;
      const c = call('a2');
      const arrival = ledger.commitAfterOriginates(ledger.batch().putCall(c).enqueue('reception', c));
      // the presenter reads the arrival from memory and commits (after its originates) in the same turn
      assert.equal(view.call('a2')?.state, 'waiting');
      const presentation = ledger.commit(ledger.batch().putCall(call(c.id, { ...c, state: 'ringing', ringingLegs: ['a2-p1'], presentedAt: 1 })));
      assert.deepEqual(seen, ['a2:waiting/waiting', 'a2:ringing/ringing'], 'in commit order, each with memory of its own time');
      await Promise.all([arrival, presentation]);
      assert.equal(store.commandStats().roundTrips - before, 1);
      assert.equal((await store.getCall('a2'))?.state, 'ringing');
    });

    it('given arrivals of one turn, when a claim comes before their microtask, then they are observed and written before the claim', async () => {
      const seen = watch();
      const c1 = call('a3');
      const c2 = call('a4');
      const arrivals = [c1, c2].map((c) => ledger.commitAfterOriginates(ledger.batch().putCall(c).enqueue('reception', c)));
      const won = await ledger.claim('a3', 'att1', ledger.batch().putCall(call(c1.id, { ...c1, state: 'talking', attendant: 'att1', leg: 'a3-p1', answeredAt: 1, firstAnsweredAt: 1 })).dequeue('reception', 'a3'));
      await Promise.all(arrivals);
      assert.equal(won, true);
      assert.deepEqual(seen, ['a3:waiting/waiting', 'a4:waiting/waiting', 'a3:talking/talking']);
      assert.deepEqual([(await store.getCall('a3'))?.state, await store.queue('reception')], ['talking', ['a4']]);
    });
  });

  describe('a presentation held until its set rings', () => {
    function watch(): string[] {
      const seen: string[] = [];
      ledger.observe((b) => {
        for (const ch of b.changes) if (ch.kind === 'call') seen.push(`${ch.call.id}:${ch.call.state}`);
      });
      return seen;
    }
    const ringing = (id: string) => call(id, { ...call(id), state: 'ringing', ringingLegs: [`${id}-p1`], presentedAt: 1 });

    it('given an arrival and its presentation held, when the set rings, then memory had both at once and the observers and Redis see them only then, in order, in one round trip', async () => {
      const seen = watch();
      let rang!: () => void;
      const c = call('r1');
      const arrival = ledger.commitAfterOriginates(ledger.batch().putCall(c).enqueue('reception', c));
      ledger.holdWritesUntil(new Promise<void>((r) => { rang = r; }));
      const presentation = ledger.commitHeld(ledger.batch().putCall(ringing('r1')));
      assert.equal(view.call('r1')?.state, 'ringing', 'memory at once');
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual([seen, await store.getCall('r1')], [[], null], 'nothing observed nor written before the ring');
      const before = store.commandStats().roundTrips;
      rang();
      await Promise.all([arrival, presentation]);
      assert.deepEqual(seen, ['r1:waiting', 'r1:ringing']);
      assert.equal(store.commandStats().roundTrips - before, 1);
      assert.equal((await store.getCall('r1'))?.state, 'ringing');
    });

    it('given a held presentation whose set never rings, then it is observed and written after the hold\'s limit', async () => {
      const seen = watch();
      ledger.holdWritesUntil(new Promise<void>(() => undefined));
      const written = ledger.commitHeld(ledger.batch().putCall(ringing('r2')));
      await Promise.resolve();
      assert.deepEqual(seen, []);
      time.advance(10);
      await written;
      assert.deepEqual([seen, (await store.getCall('r2'))?.state], [['r2:ringing'], 'ringing']);
    });

    it('given a held presentation, when another batch is committed before the ring, then the held one is observed first, with memory of its own time', async () => {
      const states: string[] = [];
      ledger.observe((b) => { for (const ch of b.changes) if (ch.kind === 'call') states.push(`${ch.call.id}:${ch.call.state}/${view.call('r3')?.state}`); });
      ledger.holdWritesUntil(new Promise<void>(() => undefined));
      const held = ledger.commitHeld(ledger.batch().putCall(ringing('r3')));
      const c4 = call('r4');
      const next = ledger.commit(ledger.batch().putCall(c4));
      assert.deepEqual(states, ['r3:ringing/ringing', 'r4:waiting/ringing']);
      await new Promise((r) => setImmediate(r));
      time.advance(10);
      await Promise.all([held, next]);
    });
  });

  describe('staged batches', () => {
    it('given a batch built and never committed, then memory is as it was and nothing is written', async () => {
      const c = call('s1');
      await ledger.commit(ledger.batch().putAttendant(attendant('att1')).putCall(c).enqueue('reception', c));
      const before = { att: view.attendant('att1'), call: view.call('s1'), queue: [...view.queue('reception')] };
      const b = ledger.batch().putAttendant(attendant('att1', { state: 'ringing', currentCall: 's1' })).putCall(call(c.id, { ...c, state: 'ringing' , ringingLegs: [`${c.id}-p1`], presentedAt: 1 })).dequeue('reception', 's1')
        .putCall(call('s2')).enqueue('reception', call('s2'));
      // the batch reads its own changes; the ledger does not see them
      assert.deepEqual([b.attendant('att1')?.state, b.call('s1')?.state, [...b.queue('reception')], b.call('s2')?.id], ['ringing', 'ringing', ['s2'], 's2']);
      assert.deepEqual({ att: view.attendant('att1'), call: view.call('s1'), queue: [...view.queue('reception')] }, before);
      assert.equal(view.call('s2') !== undefined, false);
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual([(await store.getCall('s1'))?.state, await store.getCall('s2'), await store.queue('reception')], ['waiting', null, ['s1']]);
    });

    it('given a batch committed, then memory takes all of it in the same turn and the store the same', async () => {
      const c = call('s3');
      const b = ledger.batch().putCall(c).enqueue('reception', c).putAttendant(attendant('att2', { state: 'busy', currentCall: 's3' }));
      const committed = ledger.commit(b);
      assert.deepEqual([view.call('s3')?.state, view.attendant('att2')?.state, view.queue('reception')], ['waiting', 'busy', ['s3']]);
      await committed;
      assert.deepEqual([(await store.getCall('s3'))?.state, await store.queue('reception')], ['waiting', ['s3']]);
      const deleted = ledger.batch().dequeue('reception', 's3').deleteCall(c);
      assert.equal(deleted.call('s3'), undefined);
      assert.equal(view.call('s3') !== undefined, true, 'not before the commit');
      await ledger.commit(deleted);
      assert.deepEqual([view.call('s3') !== undefined, await store.getCall('s3')], [false, null]);
    });

    it('given a batch built from a record read earlier, when the bridge stays changed before its commit, then the stays kept are those at commit', async () => {
      const c = call('s4');
      await ledger.commit(ledger.batch().putCall(c));
      const stale = ledger.batch().putCall(call(c.id, { ...c, state: 'talking' , attendant: 'att1', leg: `${c.id}-p1`, answeredAt: 1, firstAnsweredAt: 1 }));
      await ledger.commit(ledger.batch().putCall({ ...c, stays: [{ kind: 'talk', bridge: 'b1', start: 1 }] }, { stays: true }));
      await ledger.commit(stale);
      assert.deepEqual([view.call('s4')?.state, view.call('s4')?.stays?.length, (await store.getCall('s4'))?.stays?.length], ['talking', 1, 1]);
    });
  });
});
