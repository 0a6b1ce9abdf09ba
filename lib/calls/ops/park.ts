// Park: the caller waits with music in a shared numbered slot any position can pick it up from.
// Parked longer than `timers.park`, it recalls: it rings the attendant who parked it when idle,
// else (or unanswered) it waits in the group's queue as class `recall`.
import type { TimerHandle } from '../../domain/clock.ts';
import { backToSlot, park, parkSlotOf, type ParkedCall, type RingingCall } from '../../domain/call.ts';
import type { Batch } from '../ledger.ts';
import { OperationError } from '../operations-port.ts';
import { logAction, requireAttendant, requireOwnCall, type OpsDeps } from './common.ts';
import { requeueAsRecall } from './common.ts';
import { putAside } from './aside.ts';
import { operationFailed, StepFailed, type InFlight } from './steps.ts';

export const PARK_SLOTS = 20;

export class ParkSlots {
  private readonly timers = new Map<string, TimerHandle>();

  constructor(private readonly o: OpsDeps, private readonly inFlight: InFlight) {}

  /** calls holding a park slot (parked, or ringing at whoever picks them up) */
  private parked(): Array<ParkedCall | RingingCall> {
    const out: Array<ParkedCall | RingingCall> = [];
    for (const c of this.o.ctx.ledger.calls.values()) if ((c.state === 'parked' || c.state === 'ringing') && c.parkSlot !== undefined) out.push(c);
    return out;
  }

  async park(attendantId: string, callId: string): Promise<{ slot: number }> {
    const { ctx } = this.o;
    const call = requireOwnCall(this.o, attendantId, callId);
    if (call.state !== 'talking' || !call.leg) throw new OperationError('invalid_state', `call "${callId}" is ${call.state}`);
    const slot = this.freeSlot();
    const holdBridge = ctx.ids.callBridge('hold', callId);
    let slotTaken = slot;
    await putAside(this.o, this.inFlight, call, 'park', holdBridge, (cur, now) => {
      // a slot taken by another park meanwhile: the next free one
      const free = this.parked().some((c) => c.parkSlot === slot) ? this.freeSlot() : slot;
      return { record: park(cur, { parkSlot: free, holdBridge }, now), detail: { slot: String(free) } };
    }).then((rec) => { slotTaken = rec.parkSlot; });
    this.armRecall(callId);
    return { slot: slotTaken };
  }

  private freeSlot(): number {
    const taken = new Set(this.parked().map(parkSlotOf));
    let slot = 1;
    while (taken.has(slot)) slot++;
    if (slot > PARK_SLOTS) throw new OperationError('slot_taken', `all ${PARK_SLOTS} park slots are taken`);
    return slot;
  }

  async pickup(attendantId: string, slot: number): Promise<string> {
    const { ctx, desk } = this.o;
    requireAttendant(this.o, attendantId);
    const call = this.parked().find((c) => c.parkSlot === slot);
    if (!call) throw new OperationError('slot_empty', `park slot ${slot} is empty`);
    if (call.state !== 'parked') throw new OperationError('invalid_state', `call "${call.id}" is ${call.state}`);
    if (ctx.ledger.attendants.get(attendantId)?.state === 'absent') {
      const wb = ctx.ledger.batch();
      desk.apply(wb, attendantId, { type: 'action' });
      await ctx.ledger.commit(wb);
    }
    const a = ctx.ledger.attendants.get(attendantId)!;
    if (a.state !== 'idle') throw new OperationError('invalid_state', `attendant "${attendantId}" is ${a.state}`);
    const parker = call.attendant;
    this.timers.get(call.id)?.cancel();
    this.timers.delete(call.id);
    // unanswered: back in its slot, with a fresh park timer
    let told!: (err?: unknown) => void;
    const originated = new Promise<unknown>((resolve) => { told = resolve; });
    const ok = this.o.presenter.presentTo(call, attendantId, (b: Batch, c: RingingCall) => {
      b.putCall(backToSlot(c, parker));
      this.armRecall(c.id);
    }, told);
    if (!ok) {
      this.armRecall(call.id);
      throw new OperationError('invalid_state', `cannot present to "${attendantId}"`);
    }
    const failed = await originated;
    if (failed !== undefined) {
      await logAction(this.o, { operator: attendantId, action: 'pickup', call, result: 'failed', detail: { slot: String(slot) } });
      throw operationFailed(this.o, 'pickup', call.id, new StepFailed('ring the attendant\'s set', failed), `the call is still parked in slot ${slot}; try again`);
    }
    await logAction(this.o, { operator: attendantId, action: 'pickup', call, result: 'presented', detail: { slot: String(slot) } });
    return call.id;
  }

  private armRecall(callId: string): void {
    const { ctx } = this.o;
    this.timers.get(callId)?.cancel();
    this.timers.set(callId, ctx.time.schedule(ctx.config.timers.park * 1000, () => {
      this.timers.delete(callId);
      const call = ctx.ledger.calls.get(callId);
      if (call?.state !== 'parked') return;
      const parker = call.attendant ? ctx.ledger.attendants.get(call.attendant) : undefined;
      const b = ctx.ledger.batch();
      b.log({ time: ctx.time.now(), operator: 'system', action: 'park-recall', callId, numbers: [call.callerNumber], result: parker?.state === 'idle' ? parker.id : `queue:${call.group}`, detail: { slot: String(call.parkSlot) } });
      ctx.log.info({ callId, slot: call.parkSlot, attendant: call.attendant }, 'park recall');
      if (parker?.state === 'idle') {
        void ctx.ledger.commit(b);
        if (this.o.presenter.presentTo(call, parker.id, (bb, c) => this.toQueue(bb, c))) return;
        const qb = ctx.ledger.batch();
        const cur = ctx.ledger.calls.get(callId);
        this.toQueue(qb, cur?.state === 'parked' || cur?.state === 'ringing' ? cur : call);
        void ctx.ledger.commit(qb);
      } else {
        this.toQueue(b, call);
        void ctx.ledger.commit(b);
      }
      ctx.requestDispatch();
    }));
  }

  /** the slot is given up: the call waits in its group's queue as a recall, with its music */
  private toQueue(b: Batch, call: ParkedCall | RingingCall): void {
    requeueAsRecall(this.o.ctx.config, b, call);
  }

  rearm(): void {
    for (const c of this.o.ctx.ledger.calls.values()) if (c.state === 'parked' && !this.timers.has(c.id)) this.armRecall(c.id);
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
