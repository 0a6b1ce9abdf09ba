// The busy hour: the 60 consecutive minutes, on 15-minute boundaries, with the most carried
// traffic, over a window and day by day in the statistics' time zone. Pure.
import { INTERVAL_MS, intervalOf } from './intervals.ts';
import { localDate } from './table.ts';

export interface BusyHour {
  /** ms epoch, on a quarter hour */
  start: number;
  /** start + 1 h */
  end: number;
  /** mean carried traffic over the hour, Erlangs */
  erlangs: number;
}

export interface DailyBusyHour extends BusyHour {
  /** the local calendar date (YYYY-MM-DD) the hour starts on */
  date: string;
}

type Series = ReadonlyArray<{ intervalStart: number; carriedErlangs: number }>;

/**
 * The busy hour: the 60 consecutive minutes, starting on a quarter hour, with
 * the most carried traffic, among the hours that lie within the span of the
 * given intervals (or the one hour from the first interval when the span is
 * shorter). Missing intervals count as zero; several entries for the same
 * interval are added (pass one scope's series). Ties go to the earliest hour.
 * null for no intervals.
 */
export function busyHour(intervals: Series): BusyHour | null {
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

/**
 * The busy hour of each local day the series touches, in date order: busyHour over that day's
 * intervals, so the hour starts and ends within the day (as far as the series covers it).
 * Pass a gapless series (every interval of the window) so a quiet day still gets its hour.
 */
export function dailyBusyHours(intervals: Series, timeZone: string): DailyBusyHour[] {
  const byDay = new Map<string, Array<{ intervalStart: number; carriedErlangs: number }>>();
  for (const iv of intervals) {
    const date = localDate(timeZone, iv.intervalStart);
    let day = byDay.get(date);
    if (!day) byDay.set(date, (day = []));
    day.push(iv);
  }
  const out: DailyBusyHour[] = [];
  for (const [date, day] of [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const best = busyHour(day);
    if (best) out.push({ date, ...best });
  }
  return out;
}
