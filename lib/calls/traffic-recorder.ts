// Traffic measurement from live calls: when a call's visit to a group ends, its additive counters
// (offered, answered, abandoned, waits, holding time...) go into the store's 15-minute intervals,
// in the same atomic batch as the call's end, so a retried batch can never count a call twice.
import { countersForCallEnd, type CallHistory, type CallOutcome } from '../domain/traffic.ts';
import type { CallRecord } from '../domain/model.ts';
import type { Batch } from './ledger.ts';

/** T of the service level (answered within T seconds); 20 s is the usual switchboard target. */
export const SERVICE_TARGET_SECONDS = 20;

export function outcomeOf(call: CallRecord): CallOutcome {
  const reason = call.endReason ?? '';
  if (call.answeredAt !== undefined) return 'answered';
  if (reason.startsWith('divert:night') || reason.startsWith('divert:mode') || reason.startsWith('divert:all-unplugged')) return 'night';
  if (reason === 'abandoned') return 'abandoned';
  if (reason === 'overflowed') return 'overflowed';
  return 'lost';
}

export function historyOf(call: CallRecord): CallHistory {
  const endedAt = call.endedAt ?? call.arrivedAt;
  const outcome = outcomeOf(call);
  return {
    id: call.id, arrivedAt: call.arrivedAt, group: call.group, callClass: call.callClass, endedAt, outcome,
    ...(call.attendant && outcome === 'answered' ? { attendant: call.attendant } : {}),
    ...(call.answeredAt !== undefined ? { answeredAt: call.answeredAt } : {}),
    ...(call.overflowedFrom ? { overflowedFrom: call.overflowedFrom } : {}),
    talk: call.answeredAt !== undefined ? [{ start: call.answeredAt, end: Math.max(call.answeredAt, endedAt) }] : [],
  };
}

export function recordCallEnd(call: CallRecord, b: Batch): void {
  for (const d of countersForCallEnd(historyOf(call), { serviceTargetSeconds: SERVICE_TARGET_SECONDS })) {
    const add: Record<string, number> = {};
    for (const [k, v] of Object.entries(d.add)) if (v !== undefined) add[k] = v;
    b.stats(d.scope, d.intervalStart, add);
  }
}
