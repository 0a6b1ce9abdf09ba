// The lease keeper on the memory store: the store's clock decides when a lease lapses, the keeper's
// clock when it renews or asks again; two ManualTimes let a test move either on its own.
import assert from 'node:assert/strict';
import { ManualTime } from '../../lib/clock.ts';
import { LeaseKeeper, nodeIdOf } from '../../lib/ha/lease.ts';
import { silentLogger } from '../../lib/log.ts';
import { MemoryStore } from '../../lib/store/memory.ts';

const TTL = 3000;

/** let the keeper's store calls (promises) finish */
const flush = () => new Promise((r) => setImmediate(r));

describe('lease keeper', () => {
  let storeTime: ManualTime;
  let store: MemoryStore;
  const keepers: LeaseKeeper[] = [];

  beforeEach(() => {
    storeTime = new ManualTime();
    store = new MemoryStore(storeTime);
  });

  afterEach(() => {
    for (const k of keepers.splice(0)) k.stop();
  });

  function keeper(holder: string, time = new ManualTime()): { k: LeaseKeeper; time: ManualTime } {
    const k = new LeaseKeeper({ store, holder, ttlMs: TTL, time, log: silentLogger() });
    keepers.push(k);
    return { k, time };
  }

  /** both clocks move together, in small steps, as they would in real life */
  async function live(ms: number, ...times: ManualTime[]): Promise<void> {
    for (let t = 0; t < ms; t += 100) {
      storeTime.advance(100);
      for (const time of times) time.advance(100);
      await flush();
    }
  }

  it('given a free lease, when acquired, then it is renewed every ttl/3 and outlives many ttls', async () => {
    const { k, time } = keeper('node-a');
    assert.equal(await k.acquire(), true);
    assert.equal(k.held, true);
    await live(4 * TTL, time);
    assert.equal(await store.leaseHolder('controller'), 'node-a');
  });

  it('given a lease held by another, when a standby asks, then it waits and takes the lease once it lapses', async () => {
    const a = keeper('node-a');
    await a.k.acquire();
    const b = keeper('node-b');
    let acquired = false;
    void b.k.acquire().then((ok) => { acquired = ok; });
    await live(2 * TTL, a.time, b.time);
    assert.equal(acquired, false, 'standby while the active renews');
    a.k.stop(); // the active dies: no release, no renewal
    await live(TTL + TTL / 20 + 200, b.time);
    assert.equal(acquired, true);
    assert.equal(await store.leaseHolder('controller'), 'node-b');
  });

  it('given an active whose lease another took (it renewed too late), when it renews, then it is told it lost the lease', async () => {
    const a = keeper('node-a');
    await a.k.acquire();
    const lost: Array<string | null> = [];
    a.k.on('lost', (other) => lost.push(other));
    // the active's clock stalls (a long pause) while the lease lapses and another controller takes it
    storeTime.advance(TTL + 1);
    assert.equal(await store.acquireLease('controller', 'node-b', TTL), true);
    a.time.advance(TTL);
    await flush();
    await flush();
    assert.deepEqual(lost, ['node-b']);
    assert.equal(a.k.held, false);
  });

  it('given a graceful stop, when released, then the lease is free at once', async () => {
    const a = keeper('node-a');
    await a.k.acquire();
    await a.k.release();
    assert.equal(await store.leaseHolder('controller'), null);
  });

  it('given no ha.nodeId, then the node id is <hostname>-<pid> without characters a store id refuses', () => {
    assert.equal(nodeIdOf({ ha: { nodeId: 'node-a' } }), 'node-a');
    assert.match(nodeIdOf({ ha: {} }), new RegExp(`-${process.pid}$`));
    assert.doesNotMatch(nodeIdOf({ ha: {} }), /[\s:]/);
  });
});
