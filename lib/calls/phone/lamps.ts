// The lamps of the sets' programmable keys, as custom device states the dialplan hints watch:
// `Stasis:queue-<group>` RINGING while calls wait that no set is being offered (what the queue key
// picks up; a call presented at once never lights it), `Stasis:park-<n>` INUSE while slot n holds a
// call, `Stasis:night-<group>` INUSE in night mode. Fed by the ledger's changes once they are
// stored; only changes go to Asterisk, and everything again after a reconnect. A schedule changes a
// group's mode with no change in the ledger: a timer looks again at the next scheduled change.
import type { DeviceState } from '../../asterisk/port.ts';
import type { TimerHandle } from '../../domain/clock.ts';
import type { CallRecord, Mode } from '../../domain/model.ts';
import { parkSlotOf } from '../../domain/call.ts';
import { effectiveMode, nextModeChange } from '../../domain/table.ts';
import { bestEffort, type CallContext } from '../context.ts';
import type { Change } from '../ledger.ts';
import { PARK_SLOTS } from '../ops/park.ts';

export class KeyLamps {
  private readonly wanted = new Map<string, DeviceState>();
  private readonly published = new Map<string, DeviceState>();
  /** park slot → the call in it */
  private readonly parked = new Map<number, string>();
  /** the override each group had when the modes were last looked at */
  private readonly overrides = new Map<string, string | undefined>();
  /** groups whose queue lamp is looked at on the next flush */
  private readonly pendingQueues = new Set<string>();
  private flushQueued = false;
  private scheduleTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly ctx: CallContext) {}

  /** a change of the ledger, after it was stored */
  changed(c: Change): void {
    if (this.stopped) return;
    if (c.kind === 'queue') this.queueLamp(c.group);
    else if (c.kind === 'group') {
      // most group changes are hunting cursors: only an override moves the mode
      if (this.overrides.has(c.group.id) && this.overrides.get(c.group.id) === c.group.override) return;
      this.lookAtModes();
    }
    else if (c.kind === 'call') {
      this.park(c.call);
      // a presentation that ends unanswered puts its call back to waiting without touching the queue
      this.queueLamp(c.call.group);
      for (const g of c.call.alsoGroups) this.queueLamp(g);
    }
    else return;
    this.requestFlush();
  }

  /** after a start or a reconnect: Asterisk may have lost the states, send them all */
  republishAll(): void {
    this.stopped = false;
    const { ledger } = this.ctx;
    for (const g of this.ctx.config.groups) this.queueLamp(g.id);
    this.parked.clear();
    for (let slot = 1; slot <= PARK_SLOTS; slot++) this.want(`park-${slot}`, 'NOT_INUSE');
    for (const c of ledger.calls.values()) this.park(c);
    this.lookAtModes();
    this.published.clear();
    this.flush();
  }

  /** read when the lamps are flushed (after the store write): by then a call presented at once rings */
  private queueLamp(group: string): void {
    this.pendingQueues.add(group);
  }

  private want(name: string, state: DeviceState): void {
    this.wanted.set(name, state);
  }

  private park(call: CallRecord): void {
    const parkSlot = parkSlotOf(call);
    for (const [slot, id] of this.parked) {
      if (id === call.id && slot !== parkSlot) {
        this.parked.delete(slot);
        this.want(`park-${slot}`, 'NOT_INUSE');
      }
    }
    if (parkSlot !== undefined) {
      this.parked.set(parkSlot, call.id);
      this.want(`park-${parkSlot}`, 'INUSE');
    }
  }

  /** night lamps from the mode in force, and a timer for the next change a schedule makes */
  private lookAtModes(): void {
    const { ctx } = this;
    const now = ctx.time.now();
    let next: number | undefined;
    for (const g of ctx.config.groups) {
      const rec: { override?: Mode } = ctx.ledger.groups.get(g.id) ?? {};
      this.overrides.set(g.id, rec.override);
      this.want(`night-${g.id}`, effectiveMode(g, rec, now) === 'night' ? 'INUSE' : 'NOT_INUSE');
      if (g.schedule && rec.override === undefined) {
        const at = nextModeChange(g.schedule, now);
        if (next === undefined || at < next) next = at;
      }
    }
    this.scheduleTimer?.cancel();
    this.scheduleTimer = undefined;
    if (next !== undefined) {
      this.scheduleTimer = ctx.time.schedule(Math.max(0, next - now), () => {
        this.scheduleTimer = undefined;
        this.lookAtModes();
        this.flush();
      });
    }
  }

  private requestFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.stopped) return;
    const { ledger } = this.ctx;
    for (const g of this.pendingQueues) {
      const waiting = (ledger.queues.get(g) ?? []).some((id) => ledger.calls.get(id)?.state === 'waiting');
      this.want(`queue-${g}`, waiting ? 'RINGING' : 'NOT_INUSE');
    }
    this.pendingQueues.clear();
    for (const [name, state] of this.wanted) {
      if (this.published.get(name) === state) continue;
      this.published.set(name, state);
      bestEffort(this.ctx, 'key lamp', this.ctx.ari.setDeviceState(`Stasis:${name}`, state), { lamp: name });
    }
  }

  stop(): void {
    this.stopped = true;
    this.scheduleTimer?.cancel();
    this.scheduleTimer = undefined;
  }
}
