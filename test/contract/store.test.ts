// Runs the one store contract against the memory store, and against Redis when REDIS_URL is set.
import { createClient } from 'redis';
import { ManualTime } from '../../lib/clock.ts';
import { MemoryStore } from '../../lib/store/memory.ts';
import { RedisStore } from '../../lib/store/redis.ts';
import type { Store } from '../../lib/store/store.ts';
import { describeStoreContract } from './store.contract.ts';
import { deletePrefix, testPrefix } from './redis-keys.ts';

describeStoreContract('memory', async () => {
  const time = new ManualTime();
  const store = new MemoryStore(time);
  const others: Store[] = [];
  return {
    store,
    peer: async () => store,
    otherPrefix: async () => {
      const other = new MemoryStore(time);
      others.push(other);
      return other;
    },
    letLeaseTimePass: async (ms) => time.advance(ms),
    cleanup: async () => {
      await Promise.all([store, ...others].map((s) => s.close()));
    },
  };
});

const REDIS_URL = process.env.REDIS_URL;

if (REDIS_URL === undefined || REDIS_URL === '') {
  describe('Store contract: redis', () => {
    it('is skipped: set REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379) to run the contract against Redis');
  });
} else {
  const url = REDIS_URL;
  let admin: ReturnType<typeof createClient>;

  before(async () => {
    admin = createClient({ url });
    await admin.connect();
  });

  after(async () => {
    await admin?.close();
  });

  describeStoreContract('redis', async () => {
    const prefixes = [testPrefix()];
    const stores: Store[] = [];
    const open = async (prefix: string) => {
      const s = await RedisStore.connect(url, prefix);
      stores.push(s);
      return s;
    };
    const store = await open(prefixes[0]!);
    return {
      store,
      peer: () => open(prefixes[0]!),
      otherPrefix: async () => {
        const prefix = testPrefix();
        prefixes.push(prefix);
        return open(prefix);
      },
      letLeaseTimePass: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      cleanup: async () => {
        await Promise.all(stores.map((s) => s.close()));
        for (const prefix of prefixes) await deletePrefix(admin, prefix);
      },
    };
  });
}
