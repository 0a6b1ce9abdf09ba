// The two time sources: the real one for production, a manual one that tests and simulations advance.
import type { TimeSource, TimerHandle } from './domain/clock.ts';

export const realTime: TimeSource = {
  now: () => Date.now(),
  schedule(delayMs, fn) {
    const t = setTimeout(fn, Math.max(0, delayMs));
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

interface Pending { at: number; seq: number; fn: () => void; cancelled: boolean }

/** Time that moves only when told: timers fire in order of due time, then of scheduling. */
export class ManualTime implements TimeSource {
  private current: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start = Date.UTC(2026, 0, 5, 9, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, fn: () => void): TimerHandle {
    const p: Pending = { at: this.current + Math.max(0, delayMs), seq: this.seq++, fn, cancelled: false };
    this.pending.push(p);
    return { cancel: () => { p.cancelled = true; } };
  }

  /** Move time forward, firing every timer that falls due on the way (including ones they schedule). */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      this.pending = this.pending.filter((p) => !p.cancelled);
      let next: Pending | undefined;
      for (const p of this.pending) if (p.at <= end && (!next || p.at < next.at || (p.at === next.at && p.seq < next.seq))) next = p;
      if (!next) break;
      this.pending.splice(this.pending.indexOf(next), 1);
      this.current = Math.max(this.current, next.at);
      next.fn();
    }
    this.current = end;
  }

  /** timers still waiting */
  get pendingCount(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }
}
