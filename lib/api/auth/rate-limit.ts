// Counts failures per key (an IP address, a user name) in a sliding window. Once `max` failures fall
// inside the window the key is refused until the oldest of them leaves it. Time comes from a Clock,
// so tests move it on instead of waiting.
import type { Clock } from '../../domain/clock.ts';

export interface FailureLimiterOptions {
  /** failures allowed inside the window (the next attempt is refused) */
  max: number;
  windowMs: number;
  /** keys remembered at most; the least recently failed are forgotten first (bounded memory) */
  maxKeys?: number;
}

export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly maxKeys: number;

  constructor(private readonly clock: Clock, private readonly opts: FailureLimiterOptions) {
    this.maxKeys = opts.maxKeys ?? 10_000;
  }

  /** ms until the key may try again; 0 when it may try now */
  retryAfter(key: string): number {
    const times = this.recent(key);
    if (times.length < this.opts.max) return 0;
    const oldest = times[times.length - this.opts.max]!;
    return Math.max(1, oldest + this.opts.windowMs - this.clock.now());
  }

  fail(key: string): void {
    const times = this.recent(key);
    times.push(this.clock.now());
    // re-insert so that Map order is least recently failed first
    this.failures.delete(key);
    this.failures.set(key, times.slice(-this.opts.max));
    while (this.failures.size > this.maxKeys) {
      const first = this.failures.keys().next();
      if (first.done) break;
      this.failures.delete(first.value);
    }
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.clock.now() - this.opts.windowMs;
    const times = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (times.length === 0) this.failures.delete(key);
    return times;
  }
}
