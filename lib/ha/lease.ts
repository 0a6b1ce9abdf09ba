// The controller lease (`<prefix>lease:controller`): only its holder consumes the Stasis app. The
// holder renews it every ttl/3; a standby asks for it every ttl/20 and takes it once it lapses. A store
// that says another holder has it is final (lost: stop at once); a store that does not answer is not
// (the active keeps serving calls through a Redis outage and renews once Redis is back).
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { TimeSource, TimerHandle } from '../domain/clock.ts';
import type { Store } from '../store/store.ts';

export const LEASE_NAME = 'controller';

/** this controller's id in the lease: `ha.nodeId`, else <hostname>-<pid> (a restarted container keeps its hostname) */
export function nodeIdOf(config: { ha: { nodeId?: string | undefined } }): string {
  return config.ha.nodeId ?? `${hostname()}-${process.pid}`.replace(/[\s:\p{Cc}]/gu, '-').slice(0, 200);
}

export interface LeaseOptions {
  store: Store;
  holder: string;
  ttlMs: number;
  /** real time: the lease lapses by the store's own clock (Redis TTL) */
  time: TimeSource;
  log: Logger;
  name?: string;
}

export class LeaseKeeper extends EventEmitter<{ lost: [string | null]; restored: [] }> {
  readonly name: string;
  private isHeld = false;
  private storeFailing = false;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(private readonly opts: LeaseOptions) {
    super();
    this.name = opts.name ?? LEASE_NAME;
  }

  get holder(): string { return this.opts.holder; }
  get held(): boolean { return this.isHeld; }
  get ttlMs(): number { return this.opts.ttlMs; }

  /** Wait (standby) until the lease is ours; then it is renewed until released or lost. False when stopped first. */
  async acquire(): Promise<boolean> {
    this.stopped = false;
    const { store, holder, ttlMs, log } = this.opts;
    let announced = false;
    while (!this.stopped) {
      try {
        if (await store.acquireLease(this.name, holder, ttlMs)) {
          if (this.stopped) break;
          this.isHeld = true;
          this.storeFailing = false;
          log.info({ lease: this.name, holder }, 'lease acquired: active');
          this.scheduleRenewal();
          return true;
        }
        if (!announced) {
          log.info({ lease: this.name, holder, active: await store.leaseHolder(this.name).catch(() => null) }, 'standby: another controller holds the lease');
          announced = true;
        }
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'standby: cannot reach the store for the lease');
      }
      // a short poll: the lease may lapse up to ttl after the active died, the standby follows within ttl/20
      await this.sleep(Math.max(50, Math.round(ttlMs / 20)));
    }
    return false;
  }

  /** Renew now (a write was refused: find out at once whether the lease is really gone). */
  checkNow(): void {
    if (!this.isHeld) return;
    this.timer?.cancel();
    void this.renew();
  }

  /** Give the lease back (graceful stop): a standby takes over at its next try. */
  async release(): Promise<void> {
    this.stop();
    if (!this.isHeld) return;
    this.isHeld = false;
    try {
      await this.opts.store.releaseLease(this.name, this.opts.holder);
      this.opts.log.info({ lease: this.name }, 'lease released');
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'lease not released; it lapses by itself');
    }
  }

  /** Stop renewing or waiting, without releasing (the lease then lapses after its TTL). */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.wake?.();
  }

  private scheduleRenewal(): void {
    if (this.stopped || !this.isHeld) return;
    this.timer = this.opts.time.schedule(Math.max(50, Math.round(this.opts.ttlMs / 3)), () => { void this.renew(); });
  }

  private async renew(): Promise<void> {
    const { store, holder, ttlMs, log } = this.opts;
    try {
      const ok = await store.acquireLease(this.name, holder, ttlMs);
      if (this.stopped || !this.isHeld) return;
      if (!ok) {
        this.isHeld = false;
        const other = await store.leaseHolder(this.name).catch(() => null);
        log.error({ lease: this.name, holder, other }, 'lease lost to another controller');
        this.emit('lost', other);
        return;
      }
      if (this.storeFailing) {
        this.storeFailing = false;
        log.info({ lease: this.name }, 'lease renewed after a store outage');
        this.emit('restored');
      }
    } catch (err) {
      // the store is down: nobody else can take the lease through it either; keep serving
      if (!this.storeFailing) log.warn({ err: (err as Error).message }, 'lease renewal failed; still serving');
      this.storeFailing = true;
    }
    this.scheduleRenewal();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = this.opts.time.schedule(ms, () => { this.wake = undefined; resolve(); });
      this.wake = () => { t.cancel(); this.wake = undefined; resolve(); };
    });
  }
}
