// Attendant time for occupancy (busy time / logged-in time), measured from the attendant's own
// state transitions: each stretch an attendant spent in one state is added, split by 15-minute
// interval, to its scope and to the groups it was logged in to. Pure.
//
// Logged in: any state but `unplugged` (logged out, or the set offline: nobody can work then).
// Busy: the `busy` state (on a call or an operation). Ringing, idle, absent and DND are logged-in
// time that is not busy, so occupancy = busy / logged in is what Erlang C's A / N predicts.
import type { AttendantState } from './model.ts';
import { intersect, splitByInterval, totalMs, unionClipped, type Range } from './intervals.ts';

/** counters the stretches add to (seconds); summed like every other traffic counter */
export interface AttendantTimeCounters {
  loggedInSeconds: number;
  busySeconds: number;
}

/** One stretch of one state: [from, to) ms epoch. */
export interface AttendantStretch {
  attendant: string;
  /** groups the attendant was logged in to during the stretch */
  groups: readonly string[];
  state: AttendantState;
  from: number;
  to: number;
}

export interface AttendantTimeDelta {
  scope: string;
  intervalStart: number;
  add: Partial<AttendantTimeCounters>;
}

export function isLoggedInState(state: AttendantState): boolean {
  return state !== 'unplugged';
}

/**
 * Counter deltas for one stretch: logged-in and busy seconds per interval, to `attendant:<id>`
 * and each `group:<id>` of `groups`. Nothing for an unplugged or empty stretch.
 */
export function countersForAttendantStretch(s: AttendantStretch): AttendantTimeDelta[] {
  if (!Number.isFinite(s.from) || !Number.isFinite(s.to)) throw new RangeError(`attendant ${s.attendant}: stretch times must be finite ms`);
  if (!isLoggedInState(s.state) || s.to <= s.from) return [];
  const busy = s.state === 'busy';
  const out: AttendantTimeDelta[] = [];
  const scopes = [`attendant:${s.attendant}`, ...[...new Set(s.groups)].map((g) => `group:${g}`)];
  for (const [intervalStart, seconds] of splitByInterval([[s.from, s.to]])) {
    for (const scope of scopes) out.push({ scope, intervalStart, add: busy ? { loggedInSeconds: seconds, busySeconds: seconds } : { loggedInSeconds: seconds } });
  }
  return out;
}

export interface AttendantSession {
  attendant: string;
  /** groups the attendant serves (the batch form adds its time to these group scopes too) */
  groups?: string[];
  /** [start, end) periods logged in, ms epoch */
  loggedIn: Range[];
  /** [start, end) periods busy on calls or operations, ms epoch */
  busy: Range[];
}

/**
 * Attendant occupancy over [from, to): busy time / logged-in time, both
 * clipped to the window, and busy time counted only while logged in.
 * null when the attendant was not logged in during the window.
 */
export function occupancy(session: AttendantSession, from: number, to: number): number | null {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) throw new RangeError('from and to must be finite ms with from <= to');
  const loggedIn = unionClipped(session.loggedIn, from, to);
  const loggedMs = totalMs(loggedIn);
  if (loggedMs === 0) return null;
  const busy = unionClipped(session.busy, from, to);
  return totalMs(intersect(busy, loggedIn)) / loggedMs;
}

/** Logged-in and busy seconds of a session per interval (busy counted only while logged in). */
export function sessionSecondsByInterval(session: AttendantSession): Map<number, AttendantTimeCounters> {
  const loggedIn = unionClipped(session.loggedIn, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  const busy = intersect(unionClipped(session.busy, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY), loggedIn);
  const out = new Map<number, AttendantTimeCounters>();
  const at = (start: number) => {
    let c = out.get(start);
    if (!c) out.set(start, (c = { loggedInSeconds: 0, busySeconds: 0 }));
    return c;
  };
  for (const [start, seconds] of splitByInterval(loggedIn)) at(start).loggedInSeconds += seconds;
  for (const [start, seconds] of splitByInterval(busy)) at(start).busySeconds += seconds;
  return out;
}
