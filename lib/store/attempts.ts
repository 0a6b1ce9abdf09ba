// Attempt counters (Store.attemptCounter) on rate-limiter-flexible, a well-kept library that counts
// atomically: in Redis one Lua call per attempt (SET NX with the window's TTL, INCRBY, PTTL), so two
// controllers on one Redis share every count; in process memory its RateLimiterMemory. Keys are kept as
// their sha256: a user name or an address never becomes part of a Redis key as typed.
import { createHash } from 'node:crypto';
import { RateLimiterMemory, type RateLimiterRes } from 'rate-limiter-flexible';
import type { AttemptCount, AttemptCounter, AttemptCounterOptions } from './store.ts';
import { InvalidStoreOpError } from './keys.ts';

// the memory variant expires keys with a Node timer, which overflows past 2^31 ms (24.8 days)
const MAX_WINDOW_MS = 24 * 24 * 3600_000;

/** the library counts in whole seconds */
export function windowSeconds(ms: number): number {
  if (!Number.isFinite(ms) || ms < 1000 || ms > MAX_WINDOW_MS) throw new InvalidStoreOpError(`an attempt window must be 1 s to 24 days, got ${ms} ms`);
  return Math.ceil(ms / 1000);
}

export function checkAttemptOptions(opts: AttemptCounterOptions): void {
  if (!Number.isSafeInteger(opts.limit) || opts.limit < 0) throw new InvalidStoreOpError(`an attempt limit must be a whole number, got ${opts.limit}`);
  windowSeconds(opts.windowMs);
}

const digest = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 40);

function countOf(res: RateLimiterRes | null, limit: number): AttemptCount {
  if (!res) return { count: 0, allowed: true, resetMs: 0 };
  // a give-back racing the window's end may leave -1 behind: nothing was counted
  const count = Math.max(0, res.consumedPoints);
  return { count, allowed: count <= limit, resetMs: Math.max(0, res.msBeforeNext) };
}

/** The one shape both variants have: the library's penalty (count without refusing), reward and get. */
export interface Limiter {
  penalty(key: string, points?: number, options?: { customDuration?: number }): Promise<RateLimiterRes>;
  reward(key: string, points?: number): Promise<RateLimiterRes>;
  get(key: string): Promise<RateLimiterRes | null>;
}

class LibraryCounter implements AttemptCounter {
  constructor(private readonly limiter: Limiter, private readonly limit: number) {}

  async take(key: string, windowMs?: number): Promise<AttemptCount> {
    const opts = windowMs === undefined ? {} : { customDuration: windowSeconds(windowMs) };
    return countOf(await this.limiter.penalty(digest(key), 1, opts), this.limit);
  }

  async giveBack(key: string): Promise<void> {
    await this.limiter.reward(digest(key), 1);
  }

  async peek(key: string): Promise<AttemptCount> {
    return countOf(await this.limiter.get(digest(key)), this.limit);
  }
}

/** In process memory: the memory store's counters (one process, lost on restart). */
export function memoryAttemptCounter(keyPrefix: string, opts: AttemptCounterOptions): AttemptCounter {
  checkAttemptOptions(opts);
  return new LibraryCounter(new RateLimiterMemory({ keyPrefix, points: opts.limit, duration: windowSeconds(opts.windowMs) }), opts.limit);
}

export interface SharedCounterDeps {
  /** the work of one command under the store's deadline: a Redis that does not answer fails it */
  deadline: <T>(work: Promise<T>) => Promise<T>;
  /** Redis refused or did not answer: told once per outage, the counting goes on in memory */
  onFallback?: (err: Error) => void;
}

/**
 * A counter in a shared backend (the Redis store's RateLimiterRedis). While the backend cannot answer
 * (down, or slower than the deadline), attempts are counted in this process's memory instead: logins
 * keep working, limited per controller, rather than all failing or all passing.
 */
export function sharedAttemptCounter(shared: Limiter, keyPrefix: string, opts: AttemptCounterOptions, deps: SharedCounterDeps): AttemptCounter {
  checkAttemptOptions(opts);
  const local = new RateLimiterMemory({ keyPrefix, points: opts.limit, duration: windowSeconds(opts.windowMs) });
  let down = false;
  const run = async <T>(work: (l: Limiter) => Promise<T>): Promise<T> => {
    try {
      const value = await deps.deadline(work(shared));
      down = false;
      return value;
    } catch (err) {
      if (!down) deps.onFallback?.(err instanceof Error ? err : new Error(String(err)));
      down = true;
      return work(local);
    }
  };
  const fallback: Limiter = {
    penalty: (key, points, options) => run((l) => l.penalty(key, points, options)),
    reward: (key, points) => run((l) => l.reward(key, points)),
    get: (key) => run((l) => l.get(key)),
  };
  return new LibraryCounter(fallback, opts.limit);
}
