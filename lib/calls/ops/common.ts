// What every attendant operation needs, and the checks they all make before acting.
import type { AttendantRecord, CallRecord } from '../../domain/model.ts';
import { attendantOf, requeue, type HeldCall, type ParkedCall, type RingingCall, type TransferringCall } from '../../domain/call.ts';
import type { AttendantDesk } from '../attendants.ts';
import type { CallContext } from '../context.ts';
import type { Inbound } from '../inbound.ts';
import { OperationError } from '../operations-port.ts';
import type { Presenter } from '../presenter.ts';
import type { CallClassConfig } from '../../config.ts';
import { resolveClass } from '../../domain/presentation.ts';
import type { Batch } from '../ledger.ts';

export interface OpsDeps {
  ctx: CallContext;
  desk: AttendantDesk;
  presenter: Presenter;
  inbound: Inbound;
}

export function requireAttendant(o: OpsDeps, attendantId: string): AttendantRecord {
  const a = o.ctx.ledger.attendants.get(attendantId);
  if (!a) throw new OperationError('unknown_attendant', `unknown attendant "${attendantId}"`);
  return a;
}

export function requireCall(o: OpsDeps, callId: string): CallRecord {
  const c = o.ctx.ledger.calls.get(callId);
  if (!c || c.state === 'ended') throw new OperationError('unknown_call', `unknown call "${callId}"`);
  return c;
}

/** the call must be the acting attendant's own */
export function requireOwnCall(o: OpsDeps, attendantId: string, callId: string): CallRecord {
  requireAttendant(o, attendantId);
  const c = requireCall(o, callId);
  if (attendantOf(c) !== attendantId) throw new OperationError('not_your_call', `call "${callId}" is not handled by "${attendantId}"`);
  return c;
}

/** the caller as a callerId for a leg the controller rings on its behalf: `"Name" <number>` */
export function callerIdOf(call: CallRecord): string {
  return call.callerName ? `"${call.callerName.replace(/"/g, '')}" <${call.callerNumber}>` : call.callerNumber;
}

/** one action-log line for an operation, in its own batch */
export async function logAction(o: OpsDeps, entry: { operator: string; action: string; call?: CallRecord; numbers?: string[]; result: string; detail?: Record<string, string> }): Promise<void> {
  const { ctx } = o;
  const b = ctx.ledger.batch().log({
    time: ctx.time.now(), operator: entry.operator, action: entry.action,
    ...(entry.call ? { callId: entry.call.id } : {}),
    numbers: entry.numbers ?? (entry.call ? [entry.call.callerNumber] : []),
    result: entry.result,
    ...(entry.detail ? { detail: entry.detail } : {}),
  });
  await ctx.ledger.commit(b);
}

/** the call is given up by whoever should take it: it waits in its group's queue as class recall, with its music */
export function requeueAsRecall(config: { classes: CallClassConfig[] }, b: Batch, call: RingingCall | HeldCall | ParkedCall | TransferringCall): void {
  const next = requeue(call, resolveClass(config.classes, 'recall'));
  b.putCall(next);
  b.enqueue(next.group, next);
}
