// The simulator's own timing: delays go through the TimeSource (so ManualTime controls them),
// work that Asterisk does "right after" a request runs on the next event-loop turn, and a restart
// cancels everything that was pending.
import type { TimeSource, TimerHandle } from '../../domain/clock.ts';

export class SimScheduler {
  private epoch = 0;
  private readonly timers = new Set<TimerHandle>();
  private pendingSoon = 0;

  constructor(
    private readonly time: TimeSource,
    private readonly onError: (err: unknown) => void,
  ) {}

  now(): number {
    return this.time.now();
  }

  /** run on the next event-loop turn, unless the simulator restarts first */
  soon(fn: () => void): TimerHandle {
    const epoch = this.epoch;
    let cancelled = false;
    this.pendingSoon++;
    setImmediate(() => {
      this.pendingSoon--;
      if (!cancelled && epoch === this.epoch) this.run(fn);
    });
    return { cancel: () => { cancelled = true; } };
  }

  /** run after `ms` of (possibly manual) time; 0 or less means soon() */
  after(ms: number, fn: () => void): TimerHandle {
    if (ms <= 0) return this.soon(fn);
    const epoch = this.epoch;
    const handle: TimerHandle = this.time.schedule(ms, () => {
      this.timers.delete(handle);
      if (epoch === this.epoch) this.run(fn);
    });
    this.timers.add(handle);
    return { cancel: () => { handle.cancel(); this.timers.delete(handle); } };
  }

  /** true while next-turn work is still queued */
  get busy(): boolean {
    return this.pendingSoon > 0;
  }

  /** resolves once no next-turn work is left (timers on the TimeSource are not waited for) */
  async idle(): Promise<void> {
    for (let i = 0; i < 10_000; i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.pendingSoon === 0) return;
    }
  }

  /** forget all pending work (restart) */
  reset(): void {
    this.epoch++;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private run(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onError(err);
    }
  }
}
