// Hold, park and blind transfer take the caller away from the attendant the same way: the caller moves
// to a holding bridge of its own first (a failed step leaves it talking with the attendant: nothing else
// has changed), then the record changes and the attendant is free, then the attendant's leg goes.
import type { CallRecord } from '../../domain/model.ts';
import type { TalkingCall } from '../../domain/call.ts';
import { bestEffort } from '../context.ts';
import { OperationError } from '../operations-port.ts';
import type { OpsDeps } from './common.ts';
import { moveToHolding, releaseConversation } from './holding.ts';
import { operationFailed, type InFlight } from './steps.ts';

export interface AsideDecision<R extends CallRecord> {
  /** the call's next record, made from `cur`: the call as it is after the move */
  record: R;
  /** the action-log line's result and detail */
  result?: string;
  numbers?: string[];
  detail?: Record<string, string>;
}

/**
 * Move the caller of a talking call to `holdBridge`, then store `decide`'s record with the attendant
 * free. `beforeRelease` runs once that is stored, before the attendant's leg is hung up (a set's
 * transfer key is told then). Refused with the failed step when the caller could not be moved.
 */
export async function putAside<R extends CallRecord>(o: OpsDeps, inFlight: InFlight, call: TalkingCall, op: string, holdBridge: string,
  decide: (cur: TalkingCall, now: number) => AsideDecision<R>, beforeRelease?: () => Promise<void>): Promise<R> {
  const { ctx, desk } = o;
  const attendantId = call.attendant;
  const leg = call.leg;
  return inFlight.run(call.id, op, leg, async (flight) => {
    try {
      await moveToHolding(o, call, holdBridge);
    } catch (err) {
      if (flight.legLeft) {
        // the set hung up while the caller was being moved: the attendant released the call
        o.inbound.attendantLeft(leg);
        throw operationFailed(o, op, call.id, err, 'the attendant\'s set hung up meanwhile, so the call was released');
      }
      throw operationFailed(o, op, call.id, err, 'the call is as it was: the caller is still talking with the attendant; try again');
    }
    const cur = ctx.ledger.calls.get(call.id);
    if (cur?.state !== 'talking' || cur.leg !== leg) {
      // the caller hung up (or the call was released) during the move
      bestEffort(ctx, 'destroy holding bridge of an ended call', ctx.ari.destroyBridge(holdBridge), { callId: call.id });
      throw new OperationError('unknown_call', `call "${call.id}" ended during ${op}`);
    }
    const now = ctx.time.now();
    const d = decide(cur, now);
    const b = ctx.ledger.batch().putCall(d.record);
    desk.apply(b, attendantId, { type: 'callEnded', callId: call.id }, { callId: call.id });
    b.log({ time: now, operator: attendantId, action: op, callId: call.id, numbers: d.numbers ?? [call.callerNumber], result: d.result ?? 'ok', ...(d.detail ? { detail: d.detail } : {}) });
    await ctx.ledger.commit(b);
    const a = ctx.ledger.attendants.get(attendantId);
    if (a) desk.publishDeviceStates([a]);
    await ctx.ledger.release(call.id);
    await beforeRelease?.().catch(() => undefined);
    // the set hung up already when it left during the move
    releaseConversation(o, flight.legLeft ? { ...cur, leg: '' } : cur);
    ctx.requestDispatch();
    return d.record;
  });
}
