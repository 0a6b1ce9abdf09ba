// Blind transfer: the attendant names a number or a directory short code; the controller rings it
// (`PJSIP/<number>`, appArgs `@transfer,<callId>`) while the caller hears music in a holding bridge,
// and the attendant is free at once. The target answers: caller and target are bridged and the call
// leaves the controller's charge (ended as completed-transfer; the pair is only watched so that
// when one side hangs up the other and the bridge go too). Busy, unreachable or no answer within
// `timers.recall`: the call comes back to the same attendant when idle, else to the group's queue
// as class `recall`.
import type { TimerHandle } from '../../domain/clock.ts';
import type { CallRecord } from '../../domain/model.ts';
import { bestEffort } from '../context.ts';
import type { Batch } from '../ledger.ts';
import { OperationError } from '../operations-port.ts';
import { requireOwnCall, type OpsDeps } from './common.ts';
import { requeueAsRecall } from './common.ts';
import { holdingFailed, toHoldingBridge } from './holding.ts';

export const TRANSFER_ARG = '@transfer';
const CAUSE_BUSY = 17;

/** a transferred pair the controller no longer handles as a call, watched until either side leaves */
interface Handoff {
  peer: string;
  bridge: string;
}

export class Transfers {
  private readonly timers = new Map<string, TimerHandle>();
  private readonly handoffs = new Map<string, Handoff>();
  private seq = 0;

  constructor(private readonly o: OpsDeps) {}

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
    const { ctx, desk } = this.o;
    const call = requireOwnCall(this.o, attendantId, callId);
    if (call.state !== 'talking' || !call.leg) throw new OperationError('invalid_state', `call "${callId}" is ${call.state}`);
    const number = this.resolveTarget(target);
    const now = ctx.time.now();
    const holdBridge = `hold-${callId}`;
    const transferLeg = `${callId}-t${++this.seq}`;
    const next: CallRecord = { ...call, state: 'transferring', holdBridge, transferTarget: number, transferLeg };
    delete next.leg;
    delete next.talkBridge;
    const b = ctx.ledger.batch().putCall(next);
    desk.apply(b, attendantId, { type: 'callEnded', callId }, { callId });
    b.log({ time: now, operator: attendantId, action: 'transfer', callId, numbers: [call.callerNumber, number], result: 'ringing', detail: { target } });
    await ctx.ledger.commit(b);
    desk.publishDeviceStates([ctx.ledger.attendants.get(attendantId)!]);
    await ctx.ledger.release(callId);
    ctx.requestDispatch();
    ctx.log.info({ callId, attendant: attendantId, target: number }, 'blind transfer');
    await accepted?.().catch(() => undefined);

    const failed = await toHoldingBridge(this.o, call, holdBridge);
    if (failed !== undefined) {
      // nothing was rung yet: no transfer leg to hang up
      const cur = ctx.ledger.calls.get(callId);
      if (cur) {
        const clean = { ...cur };
        delete clean.transferLeg;
        await ctx.ledger.commit(ctx.ledger.batch().putCall(clean));
      }
      throw holdingFailed(this.o, callId, 'transfer', failed);
    }
    if (!ctx.ledger.calls.has(callId)) return; // the caller hung up meanwhile

    const waitMs = ctx.config.timers.recall * 1000;
    this.timers.set(callId, ctx.time.schedule(waitMs, () => {
      this.timers.delete(callId);
      const cur = ctx.ledger.calls.get(callId);
      if (cur?.state !== 'transferring' || cur.transferLeg !== transferLeg) return;
      bestEffort(ctx, 'hang up unanswered transfer leg', ctx.ari.hangup(transferLeg, 'no_answer'), { leg: transferLeg });
      this.failed(callId, transferLeg, 'no-answer');
    }));
    const callerId = call.callerName ? `"${call.callerName.replace(/"/g, '')}" <${call.callerNumber}>` : call.callerNumber;
    try {
      await ctx.ari.originate({ endpoint: `PJSIP/${number}`, channelId: transferLeg, appArgs: [TRANSFER_ARG, callId], callerId, timeout: Math.ceil(waitMs / 1000) + 5 });
    } catch (err) {
      ctx.log.warn({ callId, target: number, err: (err as Error).message }, 'transfer originate failed');
      this.failed(callId, transferLeg, 'failed');
    }
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
    const bridge = `xfer-${callId}`;
    void this.o.inbound.serial.run(callId, async () => {
      const cur = ctx.ledger.calls.get(callId);
      if (cur?.state !== 'transferring' || cur.transferLeg !== leg) {
        bestEffort(ctx, 'hang up late transfer leg', ctx.ari.hangup(leg), { leg });
        return;
      }
      try {
        await ctx.ari.createBridge('mixing', bridge, bridge);
        await ctx.ari.addChannel(bridge, [callId, leg]);
      } catch (err) {
        ctx.log.error({ callId, err: (err as Error).message }, 'transfer bridge failed');
        bestEffort(ctx, 'destroy transfer bridge', ctx.ari.destroyBridge(bridge), { callId });
        bestEffort(ctx, 'hang up transfer leg', ctx.ari.hangup(leg), { leg });
        bestEffort(ctx, 'hang up caller', ctx.ari.hangup(callId), { callId });
        this.o.inbound.finish(callId, 'lost', 'transfer bridge failed');
        return;
      }
      // the pair is on its own now: watched only to release the other side
      this.handoffs.set(callId, { peer: leg, bridge });
      this.handoffs.set(leg, { peer: callId, bridge });
      const done: CallRecord = { ...cur };
      delete done.transferLeg;
      const b = ctx.ledger.batch().putCall(done);
      b.log({ time: ctx.time.now(), operator: cur.attendant ?? 'system', action: 'transfer-complete', callId, numbers: [cur.callerNumber, cur.transferTarget ?? ''], result: 'completed-transfer' });
      await ctx.ledger.commit(b);
      this.o.inbound.finish(callId, 'completed-transfer', `transferred to ${cur.transferTarget ?? ''}`);
      ctx.log.info({ callId, target: cur.transferTarget }, 'transfer completed');
    });
  }

  /** ChannelDestroyed of a leg: a transfer leg that never answered (busy, unreachable, declined) */
  legDestroyed(leg: string, cause: number): void {
    const call = [...this.o.ctx.ledger.calls.values()].find((c) => c.transferLeg === leg && c.state === 'transferring');
    if (call) this.failed(call.id, leg, cause === CAUSE_BUSY ? 'busy' : 'no-answer');
  }

  /** StasisEnd of a channel: one side of a transferred pair left, the other goes too. True when handled. */
  channelLeft(id: string): boolean {
    const h = this.handoffs.get(id);
    if (!h) return false;
    this.handoffs.delete(id);
    this.handoffs.delete(h.peer);
    const { ctx } = this.o;
    bestEffort(ctx, 'hang up transfer peer', ctx.ari.hangup(h.peer), { leg: h.peer });
    bestEffort(ctx, 'destroy transfer bridge', ctx.ari.destroyBridge(h.bridge), { bridge: h.bridge });
    return true;
  }

  /** the target did not take the call: back to the same attendant, else to the group as a recall */
  private failed(callId: string, leg: string, why: 'busy' | 'no-answer' | 'failed'): void {
    const { ctx, presenter } = this.o;
    const call = ctx.ledger.calls.get(callId);
    if (call?.state !== 'transferring' || call.transferLeg !== leg) return;
    this.timers.get(callId)?.cancel();
    this.timers.delete(callId);
    const back: CallRecord = { ...call };
    delete back.transferLeg;
    delete back.transferTarget;
    const attendantId = call.attendant;
    const a = attendantId ? ctx.ledger.attendants.get(attendantId) : undefined;
    const b = ctx.ledger.batch().putCall(back);
    const toAttendant = a?.state === 'idle' && a.loggedInAt !== undefined;
    b.log({ time: ctx.time.now(), operator: attendantId ?? 'system', action: 'transfer-failed', callId, numbers: [call.callerNumber, call.transferTarget ?? ''], result: why, detail: { returnTo: toAttendant ? attendantId! : `queue:${call.group}` } });
    if (!toAttendant) this.toQueue(b, back);
    void ctx.ledger.commit(b);
    ctx.log.info({ callId, why, attendant: attendantId, toAttendant }, 'transfer failed, call comes back');
    if (toAttendant && !presenter.presentTo(back, attendantId!, (bb, c) => this.toQueue(bb, c))) {
      const qb = ctx.ledger.batch();
      this.toQueue(qb, ctx.ledger.calls.get(callId) ?? back);
      void ctx.ledger.commit(qb);
    }
    ctx.requestDispatch();
  }

  /** wait in the group's queue as a recall (the caller stays in its holding bridge with music) */
  private toQueue(b: Batch, call: CallRecord): void {
    requeueAsRecall(this.o.ctx.config, b, call, ['transferTarget', 'transferLeg']);
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
