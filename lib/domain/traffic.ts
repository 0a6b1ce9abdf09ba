// Traffic statistics from call histories, in 15-minute intervals. Pure: every
// time is a number (ms since the epoch) passed in; nothing reads a clock.
//
// Terms (see erlang.ts for Erlangs and traffic intensity):
// - Queue visit: one CallHistory record is one call's stay in one group's
//   queue. A call that overflows from group G1 to G2 gives two records: the G1
//   record ends with outcome 'overflowed' (overflowedTo: G2), the G2 record
//   starts when the call entered G2's queue (overflowedFrom: G1). With mutual
//   help the call stays in G1's queue and G2's attendants see it too: that is
//   one G1 visit (offered there with its outcome), and G2 counts it as
//   overflowed in (helpedBy: [G2]) without offering it again.
// - Wait: time in this queue, arrivedAt → answeredAt (the first answer) for an
//   answered call, arrivedAt → endedAt for every other outcome.
// - Holding time: the time the call occupies an attendant, i.e. the sum of its
//   talk segments (the caller in a mixing bridge with an attendant, from bridge
//   enter to leave). Time in its holding bridge (hold, park, transfer ringing,
//   consultation) is "held time" and is counted apart: it does not occupy the
//   attendant and is not traffic.
// - Carried traffic: holding time falling inside an interval / interval length,
//   in Erlangs (the mean number of attendants busy on calls). A call talking
//   across an interval boundary contributes to each interval its own part.
// - Offered traffic: offered calls × mean holding time / interval length,
//   A = n·h / T; abandoned and lost calls are assumed to have wanted the same h.
// - Service level (SL): answered within T / answered. SL2 is Asterisk
//   app_queue's "servicelevel2": (answered within T + abandoned within T) /
//   (answered + abandoned), which does not punish short abandons.
//   "Within T" is wait ≤ T, as app_queue counts it.
// - Occupancy: busy / logged-in time of the attendants (attendant-time.ts),
//   measured from their state changes, not from the calls.
//
// Intervals: see intervals.ts (quarter hours from the epoch, UTC).
//
// Counting rules:
// - Counts (offered, answered, …) and waits go to the interval in which the
//   call arrived in the queue, so each interval satisfies, per group,
//   offered = answered + abandoned + overflowOut + night + lost.
// - Carried seconds are split over the intervals the talk segments span.
// - Longest waits are maxima, not sums: merging intervals keeps the largest.
// - Scopes: `group:<id>` counts every queue visit of the group (overflow-in
//   visits are offered to the receiving group). `class:<id>` counts calls, not
//   visits: a visit that came in by overflow is not offered again, so per class
//   offered = answered + abandoned + night + lost once every overflow has ended;
//   its waits are the wait in the queue where the call ended, not the caller's
//   total wait. `attendant:<id>` counts only calls the attendant answered (the
//   last one, for a call handed on): offered/abandoned/overflow/night/lost stay
//   0 there, so completion rate is null and offered traffic 0 in that scope.
//   Carried traffic goes to the attendant of each talk segment, so a parked
//   call picked up by another attendant is carried by both, each its own part.
import { INTERVAL_MS, intervalOf, splitByInterval, totalMs, unionClipped, type Range } from './intervals.ts';
import { sessionSecondsByInterval, type AttendantSession } from './attendant-time.ts';

export { INTERVAL_MS, intervalOf } from './intervals.ts';
export { occupancy, type AttendantSession } from './attendant-time.ts';
export { busyHour, dailyBusyHours, type BusyHour, type DailyBusyHour } from './busy-hour.ts';

export type CallOutcome = 'answered' | 'abandoned' | 'overflowed' | 'night' | 'lost';

/** A bridge stay: entered at `start`, left at `end` (ms epoch). */
export interface TalkSegment {
  start: number;
  end: number;
  /** talk: the attendant the caller talked with (defaults to the call's attendant) */
  attendant?: string;
}

/** One call's visit to one group's queue, as recorded when the visit ended. */
export interface CallHistory {
  /** call id (the caller's channel id); several visits of one call share it */
  id: string;
  /** ms epoch the call entered this group's queue */
  arrivedAt: number;
  group: string;
  callClass: string;
  /** the attendant who answered (answered visits only); the last one when the call was handed on */
  attendant?: string;
  /** the first answer */
  answeredAt?: number;
  endedAt: number;
  /**
   * answered: an attendant took it; abandoned: the caller hung up while waiting;
   * overflowed: moved to another group's queue; night: diverted to night service;
   * lost: rejected without queueing (no attendant, queue full, all lines busy).
   */
  outcome: CallOutcome;
  /** group the call went to (outcome 'overflowed') */
  overflowedTo?: string;
  /** group the call came from when this visit started by overflow */
  overflowedFrom?: string;
  /** groups that saw the call by mutual-help overflow while it stayed in this group's queue */
  helpedBy?: string[];
  /** stays in a mixing bridge with an attendant; answered visits only */
  talk: TalkSegment[];
  /**
   * stays in the call's holding bridge; when given, held time is their union, otherwise
   * everything after the answer that is not talk
   */
  held?: TalkSegment[];
}

/** Additive counters for one scope and one interval. Time sums are in seconds. */
export interface TrafficCounters {
  offered: number;
  answered: number;
  abandoned: number;
  answeredWithinT: number;
  abandonedWithinT: number;
  overflowOut: number;
  overflowIn: number;
  night: number;
  lost: number;
  /** holding time (talk) inside this interval, from any call: carried traffic */
  carriedSeconds: number;
  /** whole holding time of the answered calls that arrived in this interval: AHT */
  holdingSeconds: number;
  /** whole held time of the answered calls that arrived in this interval */
  heldSeconds: number;
  waitSecondsAnswered: number;
  waitSecondsAbandoned: number;
  /** attendant time inside this interval (attendant-time.ts): occupancy */
  loggedInSeconds: number;
  busySeconds: number;
  /** maxima, not sums: longest wait of any visit that arrived in the interval, and of the abandoned ones */
  longestWaitSeconds: number;
  longestAbandonWaitSeconds: number;
}

export type CounterName = keyof TrafficCounters;

/** the counters that add up */
export const COUNTER_NAMES: readonly CounterName[] = [
  'offered', 'answered', 'abandoned', 'answeredWithinT', 'abandonedWithinT', 'overflowOut', 'overflowIn',
  'night', 'lost', 'carriedSeconds', 'holdingSeconds', 'heldSeconds', 'waitSecondsAnswered', 'waitSecondsAbandoned',
  'loggedInSeconds', 'busySeconds',
];

/** the counters that keep their largest value */
export const MAX_COUNTER_NAMES: readonly CounterName[] = ['longestWaitSeconds', 'longestAbandonWaitSeconds'];

export const ALL_COUNTER_NAMES: readonly CounterName[] = [...COUNTER_NAMES, ...MAX_COUNTER_NAMES];

/** Figures derived from counters; null where the denominator is zero. */
export interface TrafficFigures {
  offeredErlangs: number | null;
  carriedErlangs: number;
  /** mean holding time (AHT), seconds */
  averageHoldingSeconds: number | null;
  averageHeldSeconds: number | null;
  /** mean wait of answered calls (ASA), seconds */
  averageSpeedOfAnswerSeconds: number | null;
  averageAbandonWaitSeconds: number | null;
  serviceLevel: number | null;
  serviceLevel2: number | null;
  /** answered / offered */
  completionRate: number | null;
  /** abandoned / offered */
  abandonRate: number | null;
  /** busy / logged-in time of the attendants */
  occupancy: number | null;
}

export interface IntervalFigures extends TrafficCounters, TrafficFigures {
  scope: string;
  intervalStart: number;
  intervalEnd: number;
  /** waits of the answered and abandoned calls, seconds, in arrival order */
  answeredWaits: number[];
  abandonedWaits: number[];
}

export interface AggregateOptions {
  /** window start (ms epoch), rounded down to its interval */
  from: number;
  /** window end (ms epoch), exclusive: intervals starting before it are included */
  to: number;
  /** T of the service level, seconds */
  serviceTargetSeconds: number;
  /** attendant sessions, for logged-in and busy time (occupancy) */
  sessions?: readonly AttendantSession[];
}

export interface CounterDelta {
  scope: string;
  intervalStart: number;
  add: Partial<Record<CounterName, number>>;
  /** counters to raise to at least this value (longest waits) */
  max?: Partial<Record<CounterName, number>>;
}

/** Add `from` into `into`: sums for the additive counters, maxima for the longest waits. Missing counts as 0. */
export function mergeCounters(into: TrafficCounters, from: Readonly<Partial<Record<CounterName, number>>>): TrafficCounters {
  for (const name of COUNTER_NAMES) into[name] += from[name] ?? 0;
  for (const name of MAX_COUNTER_NAMES) into[name] = Math.max(into[name], from[name] ?? 0);
  return into;
}

// ---------------------------------------------------------------------------
// Per-call facts shared by the batch and the incremental forms.

interface CallFacts {
  call: CallHistory;
  arrivalInterval: number;
  waitSeconds: number;
  /** union of talk segments clipped to [answeredAt, endedAt]; empty unless answered */
  talk: Range[];
  /** the same per attendant of the segments */
  talkByAttendant: Map<string, Range[]>;
  holdingSeconds: number;
  heldSeconds: number;
}

function validateCall(call: CallHistory): void {
  const where = `call ${call.id}`;
  for (const [name, v] of [['arrivedAt', call.arrivedAt], ['endedAt', call.endedAt]] as const) {
    if (!Number.isFinite(v)) throw new RangeError(`${where}: ${name} must be a finite ms epoch`);
  }
  if (call.endedAt < call.arrivedAt) throw new RangeError(`${where}: endedAt is before arrivedAt`);
  if (call.outcome === 'answered') {
    const a = call.answeredAt;
    if (a === undefined || !Number.isFinite(a)) throw new RangeError(`${where}: an answered call needs answeredAt`);
    if (a < call.arrivedAt || a > call.endedAt) throw new RangeError(`${where}: answeredAt is outside arrivedAt..endedAt`);
  }
  for (const [what, list] of [['talk', call.talk], ['held', call.held ?? []]] as const) {
    for (const s of list) {
      if (!Number.isFinite(s.start) || !Number.isFinite(s.end) || s.end < s.start) {
        throw new RangeError(`${where}: ${what} segment ${String(s.start)}..${String(s.end)} is invalid`);
      }
    }
  }
}

function factsOf(call: CallHistory): CallFacts {
  validateCall(call);
  const arrivalInterval = intervalOf(call.arrivedAt);
  const answeredAt = call.outcome === 'answered' ? call.answeredAt : undefined;
  if (answeredAt === undefined) {
    return { call, arrivalInterval, waitSeconds: (call.endedAt - call.arrivedAt) / 1000, talk: [], talkByAttendant: new Map(), holdingSeconds: 0, heldSeconds: 0 };
  }
  // Talk outside answeredAt..endedAt cannot be this visit's; overlapping
  // segments (a re-bridge recorded twice) must not count twice.
  const clip = (segments: readonly TalkSegment[]) => unionClipped(segments.map((s): Range => [s.start, s.end]), answeredAt, call.endedAt);
  const talk = clip(call.talk);
  const talkMs = totalMs(talk);
  const byAttendant = new Map<string, TalkSegment[]>();
  for (const s of call.talk) {
    const who = s.attendant ?? call.attendant;
    if (who === undefined) continue;
    let list = byAttendant.get(who);
    if (!list) byAttendant.set(who, (list = []));
    list.push(s);
  }
  const heldMs = call.held !== undefined ? totalMs(clip(call.held)) : call.endedAt - answeredAt - talkMs;
  return {
    call,
    arrivalInterval,
    waitSeconds: (answeredAt - call.arrivedAt) / 1000,
    talk,
    talkByAttendant: new Map([...byAttendant].map(([who, list]) => [who, clip(list)])),
    holdingSeconds: talkMs / 1000,
    heldSeconds: heldMs / 1000,
  };
}

interface ScopeRole {
  scope: string;
  /** whether the visit is offered in this scope (class: not again after overflow) */
  offered: boolean;
  /** attendant scope: only the answered side is counted */
  answeredOnly: boolean;
  /** an attendant who talked with the caller but did not keep the call: only its talk is carried */
  carriedOnly: boolean;
  /** a group that helped by mutual-help overflow: only its overflow-in is counted */
  helpOnly?: boolean;
  /** the talk this scope carries */
  talk: Range[];
}

function scopesOf(f: CallFacts): ScopeRole[] {
  const { call } = f;
  const roles: ScopeRole[] = [
    { scope: `group:${call.group}`, offered: true, answeredOnly: false, carriedOnly: false, talk: f.talk },
    { scope: `class:${call.callClass}`, offered: call.overflowedFrom === undefined, answeredOnly: false, carriedOnly: false, talk: f.talk },
  ];
  const answeredBy = call.outcome === 'answered' ? call.attendant : undefined;
  if (answeredBy !== undefined) {
    roles.push({ scope: `attendant:${answeredBy}`, offered: false, answeredOnly: true, carriedOnly: false, talk: f.talkByAttendant.get(answeredBy) ?? [] });
  }
  for (const [who, talk] of f.talkByAttendant) {
    if (who !== answeredBy && talk.length > 0) roles.push({ scope: `attendant:${who}`, offered: false, answeredOnly: true, carriedOnly: true, talk });
  }
  for (const g of new Set(call.helpedBy ?? [])) {
    if (g !== call.group) roles.push({ scope: `group:${g}`, offered: false, answeredOnly: false, carriedOnly: false, helpOnly: true, talk: [] });
  }
  return roles;
}

// ---------------------------------------------------------------------------
// Incremental form: counter deltas at call end, summed by the store.

/**
 * Counter deltas for one ended queue visit, one entry per (scope, interval)
 * touched. Summing every delta of every call per (scope, interval), and
 * keeping the largest of each `max`, gives the counters `aggregate` reports.
 * The service-level target T is baked in when counting, so SL for another T
 * needs the history.
 */
export function countersForCallEnd(call: CallHistory, options: { serviceTargetSeconds: number }): CounterDelta[] {
  const t = options.serviceTargetSeconds;
  if (!Number.isFinite(t) || t < 0) throw new RangeError(`serviceTargetSeconds must be >= 0, got ${String(t)}`);
  const f = factsOf(call);
  const out: CounterDelta[] = [];
  for (const role of scopesOf(f)) {
    if (role.helpOnly) {
      out.push({ scope: role.scope, intervalStart: f.arrivalInterval, add: { overflowIn: 1 } });
      continue;
    }
    const carried = splitByInterval(role.talk);
    if (!role.carriedOnly) {
      const add: Partial<Record<CounterName, number>> = {};
      const max: Partial<Record<CounterName, number>> = { longestWaitSeconds: f.waitSeconds };
      const within = f.waitSeconds <= t;
      if (role.offered) add.offered = 1;
      switch (call.outcome) {
        case 'answered':
          add.answered = 1;
          if (within) add.answeredWithinT = 1;
          add.waitSecondsAnswered = f.waitSeconds;
          add.holdingSeconds = f.holdingSeconds;
          add.heldSeconds = f.heldSeconds;
          break;
        case 'abandoned':
          add.abandoned = 1;
          if (within) add.abandonedWithinT = 1;
          add.waitSecondsAbandoned = f.waitSeconds;
          max.longestAbandonWaitSeconds = f.waitSeconds;
          break;
        case 'overflowed':
          add.overflowOut = 1;
          break;
        case 'night':
          add.night = 1;
          break;
        case 'lost':
          add.lost = 1;
          break;
      }
      if (call.overflowedFrom !== undefined && !role.answeredOnly) add.overflowIn = 1;
      const arrivalCarried = carried.get(f.arrivalInterval);
      if (arrivalCarried !== undefined) add.carriedSeconds = arrivalCarried;
      out.push({ scope: role.scope, intervalStart: f.arrivalInterval, add, max });
    }
    for (const [start, seconds] of carried) {
      if (role.carriedOnly || start !== f.arrivalInterval) out.push({ scope: role.scope, intervalStart: start, add: { carriedSeconds: seconds } });
    }
  }
  return out;
}

export interface ScopeIntervalCounters {
  scope: string;
  intervalStart: number;
  counters: TrafficCounters;
}

export function emptyCounters(): TrafficCounters {
  return {
    offered: 0, answered: 0, abandoned: 0, answeredWithinT: 0, abandonedWithinT: 0, overflowOut: 0, overflowIn: 0,
    night: 0, lost: 0, carriedSeconds: 0, holdingSeconds: 0, heldSeconds: 0, waitSecondsAnswered: 0, waitSecondsAbandoned: 0,
    loggedInSeconds: 0, busySeconds: 0, longestWaitSeconds: 0, longestAbandonWaitSeconds: 0,
  };
}

/** Sum deltas per (scope, interval), sorted by scope then interval: what a store would hold. */
export function sumCounterDeltas(deltas: Iterable<{ scope: string; intervalStart: number; add: Partial<Record<CounterName, number>>; max?: Partial<Record<CounterName, number>> }>): ScopeIntervalCounters[] {
  const byKey = new Map<string, ScopeIntervalCounters>();
  for (const d of deltas) {
    const key = `${d.scope}\u0000${d.intervalStart}`;
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = { scope: d.scope, intervalStart: d.intervalStart, counters: emptyCounters() };
      byKey.set(key, entry);
    }
    mergeCounters(entry.counters, { ...d.add, ...d.max });
  }
  return [...byKey.values()].sort(byScopeThenInterval);
}

function byScopeThenInterval(a: { scope: string; intervalStart: number }, b: { scope: string; intervalStart: number }): number {
  if (a.scope !== b.scope) return a.scope < b.scope ? -1 : 1;
  return a.intervalStart - b.intervalStart;
}

function ratio(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}

/**
 * Figures from stored counter sums (missing counters count as 0).
 *
 * Exact from counters: offered/carried traffic, AHT, mean held time, ASA, mean
 * abandon wait, SL and SL2 (for the T used when counting), completion and
 * abandon rates, occupancy. Needing the full history: percentiles or medians
 * of waits, SL for a different T, and anything finer than 15 minutes.
 */
export function figuresFromCounters(counters: Readonly<Partial<Record<CounterName, number>>>, intervalMs: number = INTERVAL_MS): TrafficFigures {
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError(`intervalMs must be > 0, got ${String(intervalMs)}`);
  const c = (name: CounterName): number => counters[name] ?? 0;
  const intervalSeconds = intervalMs / 1000;
  const aht = ratio(c('holdingSeconds'), c('answered'));
  return {
    // No offered calls means no offered traffic; offered calls but none
    // answered means no holding time to estimate it from.
    offeredErlangs: c('offered') === 0 ? 0 : aht === null ? null : (c('offered') * aht) / intervalSeconds,
    carriedErlangs: c('carriedSeconds') / intervalSeconds,
    averageHoldingSeconds: aht,
    averageHeldSeconds: ratio(c('heldSeconds'), c('answered')),
    averageSpeedOfAnswerSeconds: ratio(c('waitSecondsAnswered'), c('answered')),
    averageAbandonWaitSeconds: ratio(c('waitSecondsAbandoned'), c('abandoned')),
    serviceLevel: ratio(c('answeredWithinT'), c('answered')),
    serviceLevel2: ratio(c('answeredWithinT') + c('abandonedWithinT'), c('answered') + c('abandoned')),
    completionRate: ratio(c('answered'), c('offered')),
    abandonRate: ratio(c('abandoned'), c('offered')),
    occupancy: ratio(c('busySeconds'), c('loggedInSeconds')),
  };
}

// ---------------------------------------------------------------------------
// Batch form: figures straight from the history, with the lists of waits.

interface Bucket {
  offered: number;
  overflowOut: number;
  overflowIn: number;
  night: number;
  lost: number;
  answeredWaits: number[];
  abandonedWaits: number[];
  holdings: number[];
  helds: number[];
  carriedSeconds: number;
  longestWaitSeconds: number;
  loggedInSeconds: number;
  busySeconds: number;
}

function emptyBucket(): Bucket {
  return {
    offered: 0, overflowOut: 0, overflowIn: 0, night: 0, lost: 0, answeredWaits: [], abandonedWaits: [],
    holdings: [], helds: [], carriedSeconds: 0, longestWaitSeconds: 0, loggedInSeconds: 0, busySeconds: 0,
  };
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const max = (xs: readonly number[]): number => xs.reduce((a, b) => Math.max(a, b), 0);

/**
 * Figures per scope and 15-minute interval for the window [from, to): one row
 * for every interval of the window and every scope that has any activity in it
 * (empty intervals included, so series have no gaps), sorted by scope then time.
 * Calls that arrived before `from` still add the talk they had inside the window.
 */
export function aggregate(calls: readonly CallHistory[], options: AggregateOptions): IntervalFigures[] {
  const { from, to, serviceTargetSeconds: t } = options;
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) throw new RangeError('from and to must be finite ms with from <= to');
  if (!Number.isFinite(t) || t < 0) throw new RangeError(`serviceTargetSeconds must be >= 0, got ${String(t)}`);
  const first = intervalOf(from);
  const inWindow = (start: number): boolean => start >= first && start < to;

  const buckets = new Map<string, Map<number, Bucket>>();
  const bucket = (scope: string, start: number): Bucket => {
    let perScope = buckets.get(scope);
    if (perScope === undefined) {
      perScope = new Map();
      buckets.set(scope, perScope);
    }
    let b = perScope.get(start);
    if (b === undefined) {
      b = emptyBucket();
      perScope.set(start, b);
    }
    return b;
  };

  for (const call of calls) {
    const f = factsOf(call);
    for (const role of scopesOf(f)) {
      for (const [start, seconds] of splitByInterval(role.talk)) {
        if (inWindow(start)) bucket(role.scope, start).carriedSeconds += seconds;
      }
      if (role.carriedOnly || !inWindow(f.arrivalInterval)) continue;
      const b = bucket(role.scope, f.arrivalInterval);
      if (role.helpOnly) {
        b.overflowIn += 1;
        continue;
      }
      if (role.offered) b.offered += 1;
      if (call.overflowedFrom !== undefined && !role.answeredOnly) b.overflowIn += 1;
      b.longestWaitSeconds = Math.max(b.longestWaitSeconds, f.waitSeconds);
      if (call.outcome === 'answered') {
        b.answeredWaits.push(f.waitSeconds);
        b.holdings.push(f.holdingSeconds);
        b.helds.push(f.heldSeconds);
      } else if (call.outcome === 'abandoned') b.abandonedWaits.push(f.waitSeconds);
      else if (call.outcome === 'overflowed') b.overflowOut += 1;
      else if (call.outcome === 'night') b.night += 1;
      else b.lost += 1;
    }
  }
  for (const session of options.sessions ?? []) {
    const scopes = [`attendant:${session.attendant}`, ...[...new Set(session.groups ?? [])].map((g) => `group:${g}`)];
    for (const [start, time] of sessionSecondsByInterval(session)) {
      if (!inWindow(start)) continue;
      for (const scope of scopes) {
        const b = bucket(scope, start);
        b.loggedInSeconds += time.loggedInSeconds;
        b.busySeconds += time.busySeconds;
      }
    }
  }

  const rows: IntervalFigures[] = [];
  const scopes = [...buckets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [scope, perScope] of scopes) {
    for (let start = first; start < to; start += INTERVAL_MS) {
      const b = perScope.get(start) ?? emptyBucket();
      const counters: TrafficCounters = {
        offered: b.offered,
        answered: b.answeredWaits.length,
        abandoned: b.abandonedWaits.length,
        answeredWithinT: b.answeredWaits.filter((w) => w <= t).length,
        abandonedWithinT: b.abandonedWaits.filter((w) => w <= t).length,
        overflowOut: b.overflowOut,
        overflowIn: b.overflowIn,
        night: b.night,
        lost: b.lost,
        carriedSeconds: b.carriedSeconds,
        holdingSeconds: sum(b.holdings),
        heldSeconds: sum(b.helds),
        waitSecondsAnswered: sum(b.answeredWaits),
        waitSecondsAbandoned: sum(b.abandonedWaits),
        loggedInSeconds: b.loggedInSeconds,
        busySeconds: b.busySeconds,
        longestWaitSeconds: b.longestWaitSeconds,
        longestAbandonWaitSeconds: max(b.abandonedWaits),
      };
      rows.push({
        scope,
        intervalStart: start,
        intervalEnd: start + INTERVAL_MS,
        ...counters,
        ...figuresFromCounters(counters),
        answeredWaits: b.answeredWaits,
        abandonedWaits: b.abandonedWaits,
      });
    }
  }
  return rows;
}
