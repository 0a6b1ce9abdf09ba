// Time as a parameter: the domain never reads the real clock or sets real timers.

export interface Clock {
  /** ms since the epoch */
  now(): number;
}

export interface TimerHandle {
  cancel(): void;
}

export interface Scheduler {
  /** run fn once after delayMs (0 allowed) */
  schedule(delayMs: number, fn: () => void): TimerHandle;
}

export type TimeSource = Clock & Scheduler;
