// Individual hold: each operator has numbered hold slots. The caller goes to a holding bridge with
// music, the attendant's leg is released and the attendant becomes idle. Retrieve rings the
// operator's set again (the presenter's path) and bridges; a call held longer than `timers.recall`
// rings the operator again by itself (recall). An unanswered retrieve or recall leaves it on hold.
import type { TimerHandle } from '../../domain/clock.ts';
import { backToSlot, hold, holdSlotOf, type HeldCall, type RingingCall } from '../../domain/call.ts';
import type { Batch } from '../ledger.ts';
import { OperationError } from '../operations-port.ts';
import { logAction, requireAttendant, requireOwnCall, type OpsDeps } from './common.ts';
import { putAside } from './aside.ts';
import { operationFailed, StepFailed, type InFlight } from './steps.ts';

export const HOLD_SLOTS = 9;

export class HoldSlots {
  private readonly recallTimers = new Map<string, TimerHandle>();

  constructor(private readonly o: OpsDeps, private readonly inFlight: InFlight) {}

  /** calls holding a slot of this attendant (held, or ringing back to it) */
  private slotsOf(attendantId: string): Array<HeldCall | RingingCall> {
    const out: Array<HeldCall | RingingCall> = [];
    for (const c of this.o.ctx.ledger.calls.values()) {
      if ((c.state === 'held' || c.state === 'ringing') && c.attendant === attendantId && c.slot !== undefined) out.push(c);
    }
    return out;
  }

  async hold(attendantId: string, callId: string): Promise<{ slot: number }> {
    const { ctx } = this.o;
    const call = requireOwnCall(this.o, attendantId, callId);
    if (call.state !== 'talking' || !call.leg) throw new OperationError('invalid_state', `call "${callId}" is ${call.state}`);
    const slot = this.freeSlot(attendantId);
    const holdBridge = ctx.ids.callBridge('hold', callId);
    await putAside(this.o, this.inFlight, call, 'hold', holdBridge, (cur, now) => ({ record: hold(cur, { slot, holdBridge }, now), detail: { slot: String(slot) } }));
    this.armRecall(callId);
    return { slot };
  }

  private freeSlot(attendantId: string): number {
    const taken = new Set(this.slotsOf(attendantId).map(holdSlotOf));
    let slot = 1;
    while (taken.has(slot)) slot++;
    if (slot > HOLD_SLOTS) throw new OperationError('slot_taken', `all ${HOLD_SLOTS} hold slots of "${attendantId}" are taken`);
    return slot;
  }

  async retrieve(attendantId: string, slot: number): Promise<string> {
    requireAttendant(this.o, attendantId);
    const call = this.slotsOf(attendantId).find((c) => c.slot === slot);
    if (!call) throw new OperationError('slot_empty', `hold slot ${slot} of "${attendantId}" is empty`);
    if (call.state !== 'held') throw new OperationError('invalid_state', `call "${call.id}" is ${call.state}`);
    await this.wake(attendantId);
    const a = this.o.ctx.ledger.attendants.get(attendantId)!;
    if (a.state !== 'idle') throw new OperationError('invalid_state', `attendant "${attendantId}" is ${a.state}`);
    let told!: (err?: unknown) => void;
    const originated = new Promise<unknown>((resolve) => { told = resolve; });
    if (!this.ringBack(call, told)) throw new OperationError('invalid_state', `cannot present to "${attendantId}"`);
    const failed = await originated;
    if (failed !== undefined) {
      await logAction(this.o, { operator: attendantId, action: 'retrieve', call, result: 'failed', detail: { slot: String(slot) } });
      throw operationFailed(this.o, 'retrieve', call.id, new StepFailed('ring the attendant\'s set', failed), `the call is still on hold in slot ${slot}; try again`);
    }
    await logAction(this.o, { operator: attendantId, action: 'retrieve', call, result: 'presented', detail: { slot: String(slot) } });
    return call.id;
  }

  /** any key brings an absent attendant back */
  private async wake(attendantId: string): Promise<void> {
    const { ctx, desk } = this.o;
    if (ctx.ledger.attendants.get(attendantId)?.state !== 'absent') return;
    const b = ctx.ledger.batch();
    desk.apply(b, attendantId, { type: 'action' });
    await ctx.ledger.commit(b);
  }

  /** ring the holding attendant's set for this held call; unanswered, it stays held and recalls later */
  private ringBack(call: HeldCall, onOriginated?: (err?: unknown) => void): boolean {
    const attendantId = call.attendant;
    this.recallTimers.get(call.id)?.cancel();
    this.recallTimers.delete(call.id);
    return this.o.presenter.presentTo(call, attendantId, (b: Batch, c: RingingCall) => {
      b.putCall(backToSlot(c, attendantId));
      this.armRecall(c.id);
    }, onOriginated);
  }

  private armRecall(callId: string): void {
    const { ctx } = this.o;
    this.recallTimers.get(callId)?.cancel();
    this.recallTimers.set(callId, ctx.time.schedule(ctx.config.timers.recall * 1000, () => {
      this.recallTimers.delete(callId);
      const call = ctx.ledger.calls.get(callId);
      if (!call || call.state !== 'held' || !call.attendant) return;
      const a = ctx.ledger.attendants.get(call.attendant);
      if (a?.state !== 'idle' || !this.ringBack(call)) {
        // the operator is busy (or away): try again after another recall period
        this.armRecall(callId);
        return;
      }
      ctx.log.info({ callId, attendant: call.attendant, slot: call.slot }, 'hold recall');
      void logAction(this.o, { operator: 'system', action: 'recall', call, result: call.attendant, detail: { slot: String(call.slot) } });
    }));
  }

  /** recall timers again after a restart */
  rearm(): void {
    for (const c of this.o.ctx.ledger.calls.values()) if (c.state === 'held' && !this.recallTimers.has(c.id)) this.armRecall(c.id);
  }

  stop(): void {
    for (const t of this.recallTimers.values()) t.cancel();
    this.recallTimers.clear();
  }
}
