// Retention: the active controller trims what the store keeps for reports (the action log, the
// queue_log lines, the 15-minute statistics) of what is older than the configured number of days, a
// minute after it starts and every hour after, so Redis does not grow for as long as it lives. A
// failing trim is logged and tried again at the next round; it never touches a call.
import type { Logger } from 'pino';
import type { TimeSource, TimerHandle } from '../domain/clock.ts';
import type { Store, TrimKind } from '../store/store.ts';

export interface RetentionDays {
  /** days of the operator action log kept; 0 keeps it all */
  logDays: number;
  queueLogDays: number;
  statsDays: number;
}

const DAY_MS = 86_400_000;
/** between two rounds */
export const RETENTION_ROUND_MS = 3_600_000;
/** the first round waits this long after start: a restarted controller first serves its calls */
export const RETENTION_FIRST_MS = 60_000;

const KINDS: ReadonlyArray<[TrimKind, keyof RetentionDays]> = [['log', 'logDays'], ['queueLog', 'queueLogDays'], ['stats', 'statsDays']];

export class RetentionKeeper {
  private timer: TimerHandle | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;

  constructor(
    private readonly store: Pick<Store, 'trim'>,
    private readonly time: TimeSource,
    private readonly log: Logger,
    private readonly days: RetentionDays,
  ) {}

  /** nothing is scheduled when every kind is kept for ever */
  start(): void {
    if (KINDS.some(([, field]) => this.days[field] > 0)) this.next(RETENTION_FIRST_MS);
  }

  /** one round: each kept-for-a-while kind trimmed in turn; what each removed (a failed one is absent) */
  async round(): Promise<Partial<Record<TrimKind, number>>> {
    const removed: Partial<Record<TrimKind, number>> = {};
    const now = this.time.now();
    for (const [kind, field] of KINDS) {
      const days = this.days[field];
      if (days <= 0 || this.stopped) continue;
      const before = Math.max(0, Math.floor(now - days * DAY_MS));
      try {
        removed[kind] = await this.store.trim(kind, before);
        if (removed[kind]! > 0) this.log.info({ kind, removed: removed[kind], before: new Date(before).toISOString() }, 'retention: trimmed');
      } catch (err) {
        this.log.warn({ err, kind }, 'retention: trim failed; tried again at the next round');
      }
    }
    return removed;
  }

  /** no more rounds; resolves once a round under way has finished */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.running;
  }

  private next(delayMs: number): void {
    this.timer = this.time.schedule(delayMs, () => {
      if (this.stopped) return;
      this.running = this.round().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.next(RETENTION_ROUND_MS);
      });
    });
  }
}
