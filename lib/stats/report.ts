// One traffic report for a scope and a window, read from the store's 15-minute counters: what the
// API, the `attendant stats` command and the console show. Every interval of the window is listed
// (empty ones with zero counters, so series have no gaps), with totals and the busy hour of each day.
// An attendant's current state is counted only when it ends; the report adds that open stretch up
// to `now`, so occupancy is live.
import { countersForAttendantStretch } from '../domain/attendant-time.ts';
import type { AttendantRecord } from '../domain/model.ts';
import {
  INTERVAL_MS, dailyBusyHours, emptyCounters, figuresFromCounters, intervalOf, mergeCounters,
  type DailyBusyHour, type TrafficCounters, type TrafficFigures,
} from '../domain/traffic.ts';
import type { Store } from '../store/store.ts';

export const SCOPE_KINDS = ['group', 'class', 'attendant'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export interface TrafficReportOptions {
  /** `group:<id>`, `class:<id>` or `attendant:<id>` */
  scope: string;
  /** window [from, to), ms epoch; from is rounded down to its interval */
  from: number;
  to: number;
  /** the time open attendant stretches are counted to */
  now: number;
  /** zone the days of the busy hours are counted in */
  timeZone: string;
  serviceTargetSeconds: number;
}

export interface ReportInterval {
  intervalStart: number;
  intervalEnd: number;
  counters: TrafficCounters;
  figures: TrafficFigures;
}

export interface TrafficReport {
  scope: string;
  from: number;
  to: number;
  intervalMs: number;
  serviceTargetSeconds: number;
  timezone: string;
  intervals: ReportInterval[];
  /** the whole window; its Erlangs are means over the window */
  totals: { counters: TrafficCounters; figures: TrafficFigures };
  /** the busy hour of each local day of the window */
  busyHours: DailyBusyHour[];
}

/** The attendants whose current state counts in `scope`. */
async function attendantsOf(store: Store, scope: string): Promise<AttendantRecord[]> {
  const [kind, id = ''] = scope.split(':');
  if (kind === 'attendant') {
    const a = await store.getAttendant(id);
    return a ? [a] : [];
  }
  if (kind === 'group') return (await store.listAttendants()).filter((a) => a.groups.includes(id));
  return [];
}

export async function trafficReport(store: Store, o: TrafficReportOptions): Promise<TrafficReport> {
  const first = intervalOf(o.from);
  const byStart = new Map<number, TrafficCounters>();
  for (let start = first; start < o.to; start += INTERVAL_MS) byStart.set(start, emptyCounters());
  if (o.to > first) {
    for (const stored of await store.stats(o.scope, first, o.to - 1)) {
      const c = byStart.get(stored.intervalStart);
      if (c) mergeCounters(c, stored.counters);
    }
  }
  for (const a of await attendantsOf(store, o.scope)) {
    const open = { attendant: a.id, groups: a.groups, state: a.state, from: a.since, to: o.now };
    for (const d of countersForAttendantStretch(open)) {
      const c = d.scope === o.scope ? byStart.get(d.intervalStart) : undefined;
      if (c) mergeCounters(c, d.add);
    }
  }
  const totals = emptyCounters();
  const intervals: ReportInterval[] = [];
  for (const [start, counters] of byStart) {
    mergeCounters(totals, counters);
    intervals.push({ intervalStart: start, intervalEnd: start + INTERVAL_MS, counters, figures: figuresFromCounters(counters) });
  }
  return {
    scope: o.scope, from: first, to: o.to, intervalMs: INTERVAL_MS, serviceTargetSeconds: o.serviceTargetSeconds, timezone: o.timeZone,
    intervals,
    totals: { counters: totals, figures: figuresFromCounters(totals, Math.max(1, intervals.length) * INTERVAL_MS) },
    busyHours: dailyBusyHours(intervals.map((iv) => ({ intervalStart: iv.intervalStart, carriedErlangs: iv.figures.carriedErlangs })), o.timeZone),
  };
}
