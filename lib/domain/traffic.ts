// Traffic statistics from call histories, in 15-minute intervals. Pure: every
// time is a number (ms since the epoch) passed in; nothing reads a clock.
//
// Terms (see erlang.ts for Erlangs and traffic intensity):
// - Queue visit: one CallHistory record is one call's stay in one group's
//   queue. A call that overflows from group G1 to G2 gives two records: the G1
//   record ends with outcome 'overflowed' (overflowedTo: G2), the G2 record
//   starts when the call entered G2's queue (overflowedFrom: G1).
// - Wait: time in this queue, arrivedAt → answeredAt for an answered call,
//   arrivedAt → endedAt for every other outcome.
// - Holding time: the time the call occupies an attendant, i.e. the sum of its
//   talk segments (the caller in the attendant's bridge). Time on hold between
//   or after segments is "held time" and is counted apart: it does not occupy
//   the attendant and is not traffic.
// - Carried traffic: holding time falling inside an interval / interval length,
//   in Erlangs (the mean number of attendants busy on calls). A call talking
//   across an interval boundary contributes to each interval its own part.
// - Offered traffic: offered calls × mean holding time / interval length,
//   A = n·h / T; abandoned and lost calls are assumed to have wanted the same h.
// - Service level (SL): answered within T / answered. SL2 is Asterisk
//   app_queue's "servicelevel2": (answered within T + abandoned within T) /
//   (answered + abandoned), which does not punish short abandons.
//   "Within T" is wait ≤ T, as app_queue counts it.
//
// Intervals: an interval starts at floor(t / 900000) · 900000, i.e. on
// quarter hours counted from the Unix epoch (UTC). Every time-zone offset in
// use is a whole number of quarter hours, so these are also local quarter hours
// everywhere; only grouping intervals into days depends on the zone.
//
// Counting rules:
// - Counts (offered, answered, …) and waits go to the interval in which the
//   call arrived in the queue, so each interval satisfies, per group,
//   offered = answered + abandoned + overflowOut + night + lost.
// - Carried seconds are split over the intervals the talk segments span.
// - Scopes: `group:<id>` counts every queue visit of the group (overflow-in
//   visits are offered to the receiving group). `class:<id>` counts calls, not
//   visits: a visit that came in by overflow is not offered again, so per class
//   offered = answered + abandoned + night + lost once every overflow has ended;
//   its waits are the wait in the queue where the call ended, not the caller's
//   total wait. `attendant:<id>` counts only calls the attendant answered:
//   offered/abandoned/overflow/night/lost stay 0 there, so completion rate is
//   null and offered traffic 0 in that scope.

export const INTERVAL_MS = 900_000;

export type CallOutcome = 'answered' | 'abandoned' | 'overflowed' | 'night' | 'lost';

/** A bridge stay: entered at `start`, left at `end` (ms epoch). */
export interface TalkSegment {
  start: number;
  end: number;
}

/** One call's visit to one group's queue, as recorded when the visit ended. */
export interface CallHistory {
  /** call id (the caller's channel id); several visits of one call share it */
  id: string;
  /** ms epoch the call entered this group's queue */
  arrivedAt: number;
  group: string;
  callClass: string;
  /** the attendant who answered (answered visits only) */
  attendant?: string;
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
  /** bridge enter/leave times with the attendant; answered visits only */
  talk: TalkSegment[];
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
}

export type CounterName = keyof TrafficCounters;

export const COUNTER_NAMES: readonly CounterName[] = [
  'offered', 'answered', 'abandoned', 'answeredWithinT', 'abandonedWithinT', 'overflowOut', 'overflowIn',
  'night', 'lost', 'carriedSeconds', 'holdingSeconds', 'heldSeconds', 'waitSecondsAnswered', 'waitSecondsAbandoned',
];

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
}

export interface IntervalFigures extends TrafficCounters, TrafficFigures {
  scope: string;
  intervalStart: number;
  intervalEnd: number;
  /** longest wait of any visit that arrived in the interval (any outcome), seconds; 0 if none */
  longestWaitSeconds: number;
  longestAbandonWaitSeconds: number;
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
}

export interface CounterDelta {
  scope: string;
  intervalStart: number;
  add: Partial<Record<CounterName, number>>;
}

export interface AttendantSession {
  attendant: string;
  /** [start, end) periods logged in, ms epoch */
  loggedIn: Array<[number, number]>;
  /** [start, end) periods busy on calls or operations, ms epoch */
  busy: Array<[number, number]>;
}

/** Start (ms epoch) of the 15-minute interval containing t. */
export function intervalOf(t: number): number {
  if (!Number.isFinite(t)) throw new RangeError(`time must be a finite ms epoch, got ${String(t)}`);
  return Math.floor(t / INTERVAL_MS) * INTERVAL_MS;
}

// ---------------------------------------------------------------------------
// Per-call facts shared by the batch and the incremental forms.

interface CallFacts {
  call: CallHistory;
  arrivalInterval: number;
  waitSeconds: number;
  /** union of talk segments clipped to [answeredAt, endedAt]; empty unless answered */
  talk: Array<[number, number]>;
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
  for (const s of call.talk) {
    if (!Number.isFinite(s.start) || !Number.isFinite(s.end) || s.end < s.start) {
      throw new RangeError(`${where}: talk segment ${String(s.start)}..${String(s.end)} is invalid`);
    }
  }
}

/** Union of [start, end) ranges, clipped to [lo, hi), sorted and disjoint. */
function unionClipped(ranges: ReadonlyArray<readonly [number, number]>, lo: number, hi: number): Array<[number, number]> {
  const clipped = ranges
    .map(([s, e]): [number, number] => [Math.max(s, lo), Math.min(e, hi)])
    .filter(([s, e]) => e > s)
    .sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of clipped) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function totalMs(ranges: ReadonlyArray<readonly [number, number]>): number {
  return ranges.reduce((sum, [s, e]) => sum + (e - s), 0);
}

function intersect(a: ReadonlyArray<readonly [number, number]>, b: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [as, ae] of a) {
    for (const [bs, be] of b) {
      const s = Math.max(as, bs);
      const e = Math.min(ae, be);
      if (e > s) out.push([s, e]);
    }
  }
  return out;
}

function factsOf(call: CallHistory): CallFacts {
  validateCall(call);
  const arrivalInterval = intervalOf(call.arrivedAt);
  const answeredAt = call.outcome === 'answered' ? call.answeredAt : undefined;
  if (answeredAt === undefined) {
    return { call, arrivalInterval, waitSeconds: (call.endedAt - call.arrivedAt) / 1000, talk: [], holdingSeconds: 0, heldSeconds: 0 };
  }
  // Talk outside answeredAt..endedAt cannot be this visit's; overlapping
  // segments (a re-bridge recorded twice) must not count twice.
  const talk = unionClipped(call.talk.map((s): [number, number] => [s.start, s.end]), answeredAt, call.endedAt);
  const talkMs = totalMs(talk);
  return {
    call,
    arrivalInterval,
    waitSeconds: (answeredAt - call.arrivedAt) / 1000,
    talk,
    holdingSeconds: talkMs / 1000,
    heldSeconds: (call.endedAt - answeredAt - talkMs) / 1000,
  };
}

/** Seconds of talk in each interval the talk spans. */
function splitByInterval(talk: ReadonlyArray<readonly [number, number]>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [s, e] of talk) {
    let t = s;
    while (t < e) {
      const start = intervalOf(t);
      const stop = Math.min(e, start + INTERVAL_MS);
      out.set(start, (out.get(start) ?? 0) + (stop - t) / 1000);
      t = stop;
    }
  }
  return out;
}

interface ScopeRole {
  scope: string;
  /** whether the visit is offered in this scope (class: not again after overflow) */
  offered: boolean;
  /** attendant scope: only the answered side is counted */
  answeredOnly: boolean;
}

function scopesOf(call: CallHistory): ScopeRole[] {
  const roles: ScopeRole[] = [
    { scope: `group:${call.group}`, offered: true, answeredOnly: false },
    { scope: `class:${call.callClass}`, offered: call.overflowedFrom === undefined, answeredOnly: false },
  ];
  if (call.outcome === 'answered' && call.attendant !== undefined) {
    roles.push({ scope: `attendant:${call.attendant}`, offered: false, answeredOnly: true });
  }
  return roles;
}

// ---------------------------------------------------------------------------
// Incremental form: counter deltas at call end, summed by the store.

/**
 * Additive counter deltas for one ended queue visit, one entry per
 * (scope, interval) touched. Summing every delta of every call per
 * (scope, interval) gives the same counters `aggregate` reports.
 *
 * The longest wait is left out: a maximum does not add up. The service-level
 * target T is baked in when counting, so SL for another T needs the history.
 */
export function countersForCallEnd(call: CallHistory, options: { serviceTargetSeconds: number }): CounterDelta[] {
  const t = options.serviceTargetSeconds;
  if (!Number.isFinite(t) || t < 0) throw new RangeError(`serviceTargetSeconds must be >= 0, got ${String(t)}`);
  const f = factsOf(call);
  const carried = splitByInterval(f.talk);
  const out: CounterDelta[] = [];
  for (const role of scopesOf(call)) {
    const add: Partial<Record<CounterName, number>> = {};
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
    out.push({ scope: role.scope, intervalStart: f.arrivalInterval, add });
    for (const [start, seconds] of carried) {
      if (start !== f.arrivalInterval) out.push({ scope: role.scope, intervalStart: start, add: { carriedSeconds: seconds } });
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
  };
}

/** Sum deltas per (scope, interval), sorted by scope then interval: what a store would hold. */
export function sumCounterDeltas(deltas: Iterable<CounterDelta>): ScopeIntervalCounters[] {
  const byKey = new Map<string, ScopeIntervalCounters>();
  for (const d of deltas) {
    const key = `${d.scope}\u0000${d.intervalStart}`;
    let entry = byKey.get(key);
    if (entry === undefined) {
      entry = { scope: d.scope, intervalStart: d.intervalStart, counters: emptyCounters() };
      byKey.set(key, entry);
    }
    for (const name of COUNTER_NAMES) entry.counters[name] += d.add[name] ?? 0;
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
 * abandon rates. Needing the full history: longest wait, percentiles or
 * medians of waits, SL for a different T, and anything finer than 15 minutes.
 */
export function figuresFromCounters(counters: Readonly<Record<string, number | undefined>>, intervalMs: number = INTERVAL_MS): TrafficFigures {
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
}

function emptyBucket(): Bucket {
  return {
    offered: 0, overflowOut: 0, overflowIn: 0, night: 0, lost: 0, answeredWaits: [], abandonedWaits: [],
    holdings: [], helds: [], carriedSeconds: 0, longestWaitSeconds: 0,
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
    const carried = splitByInterval(f.talk);
    for (const role of scopesOf(call)) {
      for (const [start, seconds] of carried) {
        if (inWindow(start)) bucket(role.scope, start).carriedSeconds += seconds;
      }
      if (!inWindow(f.arrivalInterval)) continue;
      const b = bucket(role.scope, f.arrivalInterval);
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

  const rows: IntervalFigures[] = [];
  const intervalSeconds = INTERVAL_MS / 1000;
  const scopes = [...buckets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [scope, perScope] of scopes) {
    for (let start = first; start < to; start += INTERVAL_MS) {
      const b = perScope.get(start) ?? emptyBucket();
      const answered = b.answeredWaits.length;
      const abandoned = b.abandonedWaits.length;
      const answeredWithinT = b.answeredWaits.filter((w) => w <= t).length;
      const abandonedWithinT = b.abandonedWaits.filter((w) => w <= t).length;
      const aht = answered > 0 ? sum(b.holdings) / answered : null;
      rows.push({
        scope,
        intervalStart: start,
        intervalEnd: start + INTERVAL_MS,
        offered: b.offered,
        answered,
        abandoned,
        answeredWithinT,
        abandonedWithinT,
        overflowOut: b.overflowOut,
        overflowIn: b.overflowIn,
        night: b.night,
        lost: b.lost,
        carriedSeconds: b.carriedSeconds,
        holdingSeconds: sum(b.holdings),
        heldSeconds: sum(b.helds),
        waitSecondsAnswered: sum(b.answeredWaits),
        waitSecondsAbandoned: sum(b.abandonedWaits),
        offeredErlangs: b.offered === 0 ? 0 : aht === null ? null : (b.offered * aht) / intervalSeconds,
        carriedErlangs: b.carriedSeconds / intervalSeconds,
        averageHoldingSeconds: aht,
        averageHeldSeconds: answered > 0 ? sum(b.helds) / answered : null,
        averageSpeedOfAnswerSeconds: answered > 0 ? sum(b.answeredWaits) / answered : null,
        averageAbandonWaitSeconds: abandoned > 0 ? sum(b.abandonedWaits) / abandoned : null,
        serviceLevel: answered > 0 ? answeredWithinT / answered : null,
        serviceLevel2: answered + abandoned > 0 ? (answeredWithinT + abandonedWithinT) / (answered + abandoned) : null,
        completionRate: b.offered > 0 ? answered / b.offered : null,
        abandonRate: b.offered > 0 ? abandoned / b.offered : null,
        longestWaitSeconds: b.longestWaitSeconds,
        longestAbandonWaitSeconds: max(b.abandonedWaits),
        answeredWaits: b.answeredWaits,
        abandonedWaits: b.abandonedWaits,
      });
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Occupancy and busy hour.

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

export interface BusyHour {
  /** ms epoch, on a quarter hour */
  start: number;
  /** start + 1 h */
  end: number;
  /** mean carried traffic over the hour, Erlangs */
  erlangs: number;
}

/**
 * The busy hour: the 60 consecutive minutes, starting on a quarter hour, with
 * the most carried traffic, among the hours that lie within the span of the
 * given intervals (or the one hour from the first interval when the span is
 * shorter). Missing intervals count as zero; several entries for the same
 * interval are added (pass one scope's series). Ties go to the earliest hour.
 * null for no intervals.
 */
export function busyHour(intervals: ReadonlyArray<{ intervalStart: number; carriedErlangs: number }>): BusyHour | null {
  if (intervals.length === 0) return null;
  const byStart = new Map<number, number>();
  for (const { intervalStart, carriedErlangs } of intervals) {
    if (!Number.isFinite(intervalStart) || intervalOf(intervalStart) !== intervalStart) {
      throw new RangeError(`intervalStart ${String(intervalStart)} is not on a 15-minute boundary`);
    }
    if (!Number.isFinite(carriedErlangs) || carriedErlangs < 0) {
      throw new RangeError(`carriedErlangs must be a finite number >= 0, got ${String(carriedErlangs)}`);
    }
    byStart.set(intervalStart, (byStart.get(intervalStart) ?? 0) + carriedErlangs);
  }
  let firstStart = Number.POSITIVE_INFINITY;
  let lastStart = Number.NEGATIVE_INFINITY;
  for (const start of byStart.keys()) {
    firstStart = Math.min(firstStart, start);
    lastStart = Math.max(lastStart, start);
  }
  const lastHourStart = Math.max(firstStart, lastStart - 3 * INTERVAL_MS);
  let best: BusyHour | null = null;
  for (let s = firstStart; s <= lastHourStart; s += INTERVAL_MS) {
    let total = 0;
    for (let k = 0; k < 4; k++) total += byStart.get(s + k * INTERVAL_MS) ?? 0;
    const erlangs = total / 4;
    if (best === null || erlangs > best.erlangs) best = { start: s, end: s + 4 * INTERVAL_MS, erlangs };
  }
  return best;
}
