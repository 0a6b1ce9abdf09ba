// Blind transfer: the attendant names a number or a directory short code; the controller rings it
// through the dialplan (lib/calls/dialing.ts; appArgs `@transfer,<callId>`) while the caller hears music in a holding bridge,
// and the attendant is free at once. The target answers: caller and target are bridged and the call
// leaves the controller's charge (ended as completed-transfer; the pair is only watched so that
// when one side hangs up the other and the bridge go too). Busy, unreachable or no answer within
// `timers.recall`: the call comes back to the same attendant when idle, else to the group's queue
// as class `recall`.
import { unansweredReason } from '../../domain/causes.ts';
import type { TimerHandle } from '../../domain/clock.ts';
import { handedOver, startTransfer, transferOnRinging, type ConsultingCall, type RingingCall, type TransferringCall } from '../../domain/call.ts';
import { bestEffort, ensureBridge } from '../context.ts';
import { dialString } from '../dialing.ts';
import type { Batch } from '../ledger.ts';
import { OperationError } from '../operations-port.ts';
import { callerIdOf, requireOwnCall, type OpsDeps } from './common.ts';
import { requeueAsRecall } from './common.ts';
import type { Handoffs } from './handoff.ts';
import { putAside } from './aside.ts';
import { releaseConversation } from './holding.ts';
import { operationFailed, statusOf, step, type InFlight, type StepFailed } from './steps.ts';

export const TRANSFER_ARG = '@transfer';

export class Transfers {
  private readonly timers = new Map<string, TimerHandle>();

  constructor(private readonly o: OpsDeps, private readonly handoffs: Handoffs, private readonly inFlight: InFlight) {}

  /** a short code of the directory, else the number itself */
  resolveTarget(target: string): string {
    const t = target.trim();
    const entry = this.o.ctx.config.directory.entries.find((e) => e.shortCode === t);
    if (entry) return entry.number;
    if (!/^[0-9*#+]{1,32}$/.test(t)) throw new OperationError('invalid_target', `"${target}" is neither a number nor a short code`);
    return t;
  }

  /** `accepted` runs once the transfer is decided, before the attendant's leg is released (the set's transfer key is told then) */
  async blindTransfer(attendantId: string, callId: string, target: string, accepted?: () => Promise<void>): Promise<void> {
    const { ctx } = this.o;
    const call = requireOwnCall(this.o, attendantId, callId);
    if (call.state !== 'talking' || !call.leg) throw new OperationError('invalid_state', `call "${callId}" is ${call.state}`);
    const number = this.resolveTarget(target);
    const holdBridge = ctx.ids.callBridge('hold', callId);
    const transferLeg = ctx.ids.leg('t', callId);
    // the caller waits with music first: a failed step leaves it talking with the attendant
    await putAside(this.o, this.inFlight, call, 'transfer', holdBridge, (cur) => ({
      record: startTransfer(cur, { transferTarget: number, transferLeg, holdBridge }), result: 'ringing', numbers: [call.callerNumber, number], detail: { target },
    }), accepted);
    ctx.log.info({ callId, attendant: attendantId, target: number }, 'transfer');
    if (!ctx.ledger.calls.has(callId)) return; // the caller hung up meanwhile

    this.armRecall(callId, transferLeg);
    try {
      await step('ring the transfer target', () => ctx.ari.originate({ endpoint: dialString(ctx.config, number), channelId: transferLeg, appArgs: [TRANSFER_ARG, callId], callerId: callerIdOf(call), timeout: ctx.config.timers.recall + 5, reported: ctx.routes.reportedOf(transferLeg) }));
    } catch (err) {
      ctx.log.warn({ callId, target: number, err: (err as Error).message }, 'transfer originate failed');
      // the caller waits with music and comes back to the attendant (or its group) as after a refused transfer
      if (statusOf((err as StepFailed).error) === 504) bestEffort(ctx, 'hang up timed-out transfer leg', ctx.ari.hangup(transferLeg), { leg: transferLeg });
      this.failed(callId, transferLeg, 'failed');
      throw operationFailed(this.o, 'transfer', callId, err, 'the caller waits with music and comes back to you');
    }
  }

  /**
   * Transfer on ringing: the attendant completes a consultation (or hangs up its set) before the
   * consulted party answered. The consultation leg becomes the transfer leg, with its recall; the
   * caller already waits in its holding bridge.
   */
  async takeRinging(attendantId: string, call: ConsultingCall): Promise<void> {
    const leg = call.consultLeg;
    if (call.consultAnswered) throw new OperationError('invalid_state', `call "${call.id}" has no consultation ringing`);
    const next = transferOnRinging(call);
    // the consulted party's leg is the transfer's from now on (its answer, its ChannelDestroyed)
    this.o.ctx.routes.takeChannel(leg, { owner: 'transfer', callId: call.id, originated: true });
    await this.freeAttendant(attendantId, call, next, { target: call.consultTarget, onRing: 'true' });
    releaseConversation(this.o, call);
    this.armRecall(call.id, leg);
  }

  /** the call is the transfer's now: the attendant is free at once and the hand-over claim is given up */
  private async freeAttendant(attendantId: string, call: ConsultingCall, next: TransferringCall, detail: Record<string, string>): Promise<void> {
    const { ctx, desk } = this.o;
    const b = ctx.ledger.batch().putCall(next);
    desk.apply(b, attendantId, { type: 'callEnded', callId: call.id }, { callId: call.id });
    b.log({ time: ctx.time.now(), operator: attendantId, action: 'transfer', callId: call.id, numbers: [call.callerNumber, next.transferTarget], result: 'ringing', detail });
    await ctx.ledger.commit(b);
    desk.publishDeviceStates([ctx.ledger.attendants.get(attendantId)!]);
    await ctx.ledger.release(call.id);
    ctx.requestDispatch();
    ctx.log.info({ callId: call.id, attendant: attendantId, target: next.transferTarget }, 'transfer');
  }

  /** after a restart: transfers still ringing get their no-answer timer again */
  rearm(): void {
    for (const c of this.o.ctx.ledger.calls.values()) {
      if (c.state === 'transferring' && c.transferLeg && !this.timers.has(c.id)) this.armRecall(c.id, c.transferLeg);
    }
  }

  /** no answer within the recall time: the transfer leg is hung up and the call comes back */
  private armRecall(callId: string, transferLeg: string): void {
    const { ctx } = this.o;
    this.timers.set(callId, ctx.time.schedule(ctx.config.timers.recall * 1000, () => {
      this.timers.delete(callId);
      const cur = ctx.ledger.calls.get(callId);
      if (cur?.state !== 'transferring' || cur.transferLeg !== transferLeg) return;
      bestEffort(ctx, 'hang up unanswered transfer leg', ctx.ari.hangup(transferLeg, 'no_answer'), { leg: transferLeg });
      this.failed(callId, transferLeg, 'no-answer');
    }));
  }

  /** StasisStart of a transfer leg: the target answered */
  answered(leg: string, callId: string): void {
    const { ctx } = this.o;
    const call = ctx.ledger.calls.get(callId);
    if (call?.state !== 'transferring' || call.transferLeg !== leg) {
      bestEffort(ctx, 'hang up late transfer leg', ctx.ari.hangup(leg), { leg });
      return;
    }
    this.timers.get(callId)?.cancel();
    this.timers.delete(callId);
    const bridge = ctx.ids.callBridge('xfer', callId);
    void this.o.inbound.serial.run(callId, async () => {
      const cur = ctx.ledger.calls.get(callId);
      if (cur?.state !== 'transferring' || cur.transferLeg !== leg) {
        bestEffort(ctx, 'hang up late transfer leg', ctx.ari.hangup(leg), { leg });
        return;
      }
      try {
        await ensureBridge(ctx, 'mixing', bridge);
        await ctx.ari.addChannel(bridge, [callId, leg]);
      } catch (err) {
        // the caller stays in its holding bridge (put back there if the move went half way) and comes
        // back as after a refused transfer; the target is released
        ctx.log.error({ callId, err: (err as Error).message }, 'transfer bridge failed; the call comes back');
        bestEffort(ctx, 'destroy transfer bridge', ctx.ari.destroyBridge(bridge), { callId });
        bestEffort(ctx, 'hang up transfer leg', ctx.ari.hangup(leg), { leg });
        if (cur.holdBridge) bestEffort(ctx, 'caller back to its holding bridge', ctx.ari.addChannel(cur.holdBridge, [callId], 'participant'), { callId });
        this.failed(callId, leg, 'failed');
        return;
      }
      // the pair is on its own now: watched only to release the other side
      this.handoffs.watch(callId, leg, bridge);
      const b = ctx.ledger.batch().putCall(handedOver(cur));
      b.log({ time: ctx.time.now(), operator: cur.attendant ?? 'system', action: 'transfer-complete', callId, numbers: [cur.callerNumber, cur.transferTarget], result: 'completed-transfer' });
      await ctx.ledger.commit(b);
      this.o.inbound.finish(callId, 'completed-transfer', `transferred to ${cur.transferTarget}`);
      ctx.log.info({ callId, target: cur.transferTarget }, 'transfer completed');
    });
  }

  /** ChannelDestroyed of a leg: a transfer leg that never answered (busy, unreachable, declined) */
  legDestroyed(leg: string, cause: number): void {
    const call = [...this.o.ctx.ledger.calls.values()].find((c) => c.state === 'transferring' && c.transferLeg === leg);
    if (call) this.failed(call.id, leg, unansweredReason(cause) === 'busy' ? 'busy' : 'no-answer');
  }

  /** the target did not take the call: back to the same attendant, else to the group as a recall */
  private failed(callId: string, leg: string, why: 'busy' | 'no-answer' | 'failed'): void {
    const { ctx, presenter } = this.o;
    const call = ctx.ledger.calls.get(callId);
    if (call?.state !== 'transferring' || call.transferLeg !== leg) return;
    this.timers.get(callId)?.cancel();
    this.timers.delete(callId);
    const attendantId = call.attendant;
    const a = attendantId ? ctx.ledger.attendants.get(attendantId) : undefined;
    const b = ctx.ledger.batch();
    const toAttendant = a?.state === 'idle' && a.loggedInAt !== undefined;
    b.log({ time: ctx.time.now(), operator: attendantId ?? 'system', action: 'transfer-failed', callId, numbers: [call.callerNumber, call.transferTarget], result: why, detail: { returnTo: toAttendant ? attendantId! : `queue:${call.group}` } });
    // back to the attendant: presenting it leaves the transfer (lib/domain/call.ts present); else to the queue
    if (!toAttendant) this.toQueue(b, call);
    void ctx.ledger.commit(b);
    ctx.log.info({ callId, why, attendant: attendantId, toAttendant }, 'transfer failed, call comes back');
    if (toAttendant && !presenter.presentTo(call, attendantId!, (bb, c) => this.toQueue(bb, c))) {
      const qb = ctx.ledger.batch();
      const cur = ctx.ledger.calls.get(callId);
      this.toQueue(qb, cur?.state === 'transferring' || cur?.state === 'ringing' ? cur : call);
      void ctx.ledger.commit(qb);
    }
    ctx.requestDispatch();
  }

  /** wait in the group's queue as a recall (the caller stays in its holding bridge with music) */
  private toQueue(b: Batch, call: TransferringCall | RingingCall): void {
    requeueAsRecall(this.o.ctx.config, b, call);
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
