// Traffic measurement from live calls: when a call's visit to a group ends, its counters (offered,
// answered, abandoned, waits, holding and held time from its bridge stays...) go into the store's
// 15-minute intervals, in the same atomic batch as the call's end, so a retried batch can never
// count a call twice. Attendant time (occupancy) is added the same way with each state change.
import { countersForCallEnd, type CallHistory, type CallOutcome, type TalkSegment } from '../domain/traffic.ts';
import { countersForAttendantStretch } from '../domain/attendant-time.ts';
import type { AttendantRecord, CallRecord } from '../domain/model.ts';
import { attendantOf } from '../domain/call.ts';
import { staysAt } from '../domain/stays.ts';
import type { Batch } from './ledger.ts';

export function outcomeOf(call: CallRecord): CallOutcome {
  const reason = call.state === 'ended' ? call.endReason : '';
  if (call.answeredAt !== undefined) return 'answered';
  if (reason.startsWith('divert:night') || reason.startsWith('divert:mode') || reason.startsWith('divert:all-unplugged')) return 'night';
  if (reason === 'abandoned') return 'abandoned';
  if (reason === 'overflowed') return 'overflowed';
  return 'lost';
}

/** The ended visit as the statistics see it; a record without stays (stored before they existed) talks from answer to end. */
export function historyOf(call: CallRecord): CallHistory {
  const endedAt = call.state === 'ended' ? call.endedAt : call.arrivedAt;
  const outcome = outcomeOf(call);
  const answeredAt = call.firstAnsweredAt ?? call.answeredAt;
  const answered = outcome === 'answered' && answeredAt !== undefined;
  let talk: TalkSegment[] = [];
  let held: TalkSegment[] | undefined;
  if (answered && call.stays === undefined) talk = [{ start: answeredAt, end: Math.max(answeredAt, endedAt) }];
  else if (answered) {
    const stays = staysAt(call, endedAt);
    talk = stays.filter((s) => s.kind === 'talk').map((s) => ({ start: s.start, end: s.end!, ...(s.attendant ? { attendant: s.attendant } : {}) }));
    held = stays.filter((s) => s.kind === 'held').map((s) => ({ start: s.start, end: s.end! }));
  }
  return {
    id: call.id, arrivedAt: call.arrivedAt, group: call.group, callClass: call.callClass, endedAt, outcome,
    ...(attendantOf(call) && outcome === 'answered' ? { attendant: attendantOf(call)! } : {}),
    ...(answeredAt !== undefined ? { answeredAt } : {}),
    // mutual help leaves the call in its own group (overflowedFrom is that group): the helpers are alsoGroups
    ...(call.overflowedFrom && call.overflowedFrom !== call.group ? { overflowedFrom: call.overflowedFrom } : {}),
    ...(call.overflowedFrom === call.group && call.alsoGroups.length > 0 ? { helpedBy: [...call.alsoGroups] } : {}),
    talk,
    ...(held ? { held } : {}),
  };
}

/** Add an ended visit's counters to the batch that ends it. */
export function recordCallEnd(call: CallRecord, b: Batch, serviceTargetSeconds: number): void {
  for (const d of countersForCallEnd(historyOf(call), { serviceTargetSeconds })) {
    b.stats(d.scope, d.intervalStart, definedOnly(d.add), d.max && definedOnly(d.max));
  }
}

/**
 * An attendant leaves the state it was in since `before.since`: that stretch's logged-in and busy
 * time goes to its scope and its groups' (occupancy), in the batch that changes the state.
 */
export function recordAttendantStretch(before: AttendantRecord, until: number, b: Batch): void {
  const stretch = { attendant: before.id, groups: before.groups, state: before.state, from: before.since, to: until };
  for (const d of countersForAttendantStretch(stretch)) b.stats(d.scope, d.intervalStart, definedOnly(d.add));
}

function definedOnly(counters: Partial<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counters)) if (v !== undefined) out[k] = v;
  return out;
}
