// Admission control (pure): a caller's StasisStart is taken into a bounded backlog of calls not yet
// handled (routed: presented, queued or diverted); past the bound, or once it waited there too long,
// the caller is handed back to the dialplan at once instead of waiting behind work the controller
// cannot do in time. Overload then degrades (the controller keeps presenting at its capacity, the
// excess rings through the fallback) instead of collapsing (every caller waits, nobody rings).
import type { Destination, GroupConfig } from '../config.ts';

export interface AdmissionLimits {
  /** calls received and not yet handled, at most */
  backlog: number;
  /** ms a call may wait in that backlog before it is handed back */
  maxWaitMs: number;
  /** store writes (batches) not yet written while the store answers, at most: past it the calls already
   * taken are not written in time, and every new one adds to them */
  storeBacklog: number;
}

export type ShedReason = 'backlog' | 'late' | 'store';
export const SHED_REASONS: readonly ShedReason[] = ['backlog', 'late', 'store'];

export type AdmissionVerdict = { admit: true } | { admit: false; reason: ShedReason };

const ADMIT: AdmissionVerdict = { admit: true };

/**
 * A caller arrives while `backlog` calls are not yet handled and `storeBacklog` writes wait for a store
 * that answers (undefined while it does not: a store outage is served from memory, never refused for):
 * taken in, or handed back (backlog full, or the store behind).
 */
export function admitArrival(backlog: number, limits: AdmissionLimits, storeBacklog?: number): AdmissionVerdict {
  if (backlog >= limits.backlog) return { admit: false, reason: 'backlog' };
  if (storeBacklog !== undefined && storeBacklog >= limits.storeBacklog) return { admit: false, reason: 'store' };
  return ADMIT;
}

/**
 * A short backlog clears in a turn or two whatever the clock says (a machine that paused the process
 * for a moment is not an overload): a caller is late only with at least this many in the backlog.
 */
export const LATE_MIN_DEPTH = 10;

/**
 * The controller reaches a call that waited in the backlog since `receivedAt`, with `depth` callers in
 * the backlog (this one included): handled now, or handed back (late: it waited too long in a deep one).
 */
export function admitQueued(receivedAt: number, now: number, depth: number, limits: AdmissionLimits): AdmissionVerdict {
  return now - receivedAt <= limits.maxWaitMs || depth < LATE_MIN_DEPTH ? ADMIT : { admit: false, reason: 'late' };
}

/**
 * Where a caller the controller cannot take goes: the group's fallback destination when it has one
 * (an extension, voicemail, an announcement), else that of the group it overflows to; undefined: the
 * dialplan's own fallback (the caller continues after Stasis(), which rings the sets directly).
 */
export function shedDestination(group: GroupConfig | undefined, groupOf: (id: string) => GroupConfig | undefined): Destination | undefined {
  const own = group?.fallback;
  if (own && own.type !== 'group') return own;
  const to = group?.overflow ? groupOf(group.overflow.to)?.fallback : undefined;
  if (to && to.type !== 'group') return to;
  return undefined;
}

/** A log line at most once per interval, saying how many were left out in between. */
export interface LogGate {
  lastAt: number | undefined;
  /** occurrences since the last line */
  suppressed: number;
}

export function newLogGate(): LogGate {
  return { lastAt: undefined, suppressed: 0 };
}

/**
 * An occurrence at `now`: `log` tells whether a line is due, `count` how many occurrences it stands
 * for (this one and the ones left out since the last line); `gate` is the state to keep.
 */
export function passLogGate(gate: LogGate, now: number, intervalMs: number): { log: boolean; count: number; gate: LogGate } {
  if (gate.lastAt === undefined || now - gate.lastAt >= intervalMs) {
    return { log: true, count: gate.suppressed + 1, gate: { lastAt: now, suppressed: 0 } };
  }
  return { log: false, count: 0, gate: { lastAt: gate.lastAt, suppressed: gate.suppressed + 1 } };
}
