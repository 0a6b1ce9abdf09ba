// Choosing the store: Redis when a URL is configured, process memory otherwise.
import type { Clock } from '../domain/clock.ts';
import { MemoryStore } from './memory.ts';
import { RedisStore } from './redis.ts';
import type { RedisStoreOptions } from './redis.ts';
import type { Store } from './store.ts';

export type { CommitGuard, Snapshot, StatsInterval, Store, StoreOp } from './store.ts';
export { queueScore } from './store.ts';
export type { RedisStoreOptions, CommandStats } from './redis.ts';
export { RedisStore } from './redis.ts';
export { MemoryStore } from './memory.ts';
export type { StoreErrorCode, StoreKeys } from './keys.ts';
export {
  CorruptRecordError, DEFAULT_PREFIX, InvalidStoreIdError, InvalidStoreOpError, StoreCommandError, StoreError, StoreFencedError, storeKeys,
  StoreUnavailableError,
} from './keys.ts';

export interface StoreSettings {
  /** redis://host:port/db; without it the state lives in this process only */
  url?: string;
  /** key prefix, default `att:` (config.redis.prefix) */
  prefix: string;
}

/** The clock is for the memory store's leases; Redis expires leases by its own TTL. */
export async function createStore(settings: StoreSettings, clock: Clock, redisOptions?: RedisStoreOptions): Promise<Store> {
  if (settings.url !== undefined && settings.url !== '') return RedisStore.connect(settings.url, settings.prefix, redisOptions);
  return new MemoryStore(clock);
}
