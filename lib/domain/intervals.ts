// 15-minute statistics intervals and the range arithmetic the traffic figures share. Pure.
//
// An interval starts at floor(t / 900000) · 900000, i.e. on quarter hours counted from the Unix
// epoch (UTC). Every time-zone offset in use is a whole number of quarter hours, so these are also
// local quarter hours everywhere; only grouping intervals into days depends on the zone.

export const INTERVAL_MS = 900_000;

/** [start, end) in ms epoch */
export type Range = [number, number];

/** Start (ms epoch) of the 15-minute interval containing t. */
export function intervalOf(t: number): number {
  if (!Number.isFinite(t)) throw new RangeError(`time must be a finite ms epoch, got ${String(t)}`);
  return Math.floor(t / INTERVAL_MS) * INTERVAL_MS;
}

/** Union of [start, end) ranges, clipped to [lo, hi), sorted and disjoint. */
export function unionClipped(ranges: ReadonlyArray<readonly [number, number]>, lo: number, hi: number): Range[] {
  const clipped = ranges
    .map(([s, e]): Range => [Math.max(s, lo), Math.min(e, hi)])
    .filter(([s, e]) => e > s)
    .sort((x, y) => x[0] - y[0]);
  const out: Range[] = [];
  for (const [s, e] of clipped) {
    const last = out[out.length - 1];
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

export function totalMs(ranges: ReadonlyArray<readonly [number, number]>): number {
  return ranges.reduce((sum, [s, e]) => sum + (e - s), 0);
}

/** Pairwise overlaps of two lists of ranges (disjoint lists give disjoint overlaps). */
export function intersect(a: ReadonlyArray<readonly [number, number]>, b: ReadonlyArray<readonly [number, number]>): Range[] {
  const out: Range[] = [];
  for (const [as, ae] of a) {
    for (const [bs, be] of b) {
      const s = Math.max(as, bs);
      const e = Math.min(ae, be);
      if (e > s) out.push([s, e]);
    }
  }
  return out;
}

/** Seconds of the ranges falling in each interval they span. */
export function splitByInterval(ranges: ReadonlyArray<readonly [number, number]>): Map<number, number> {
  const out = new Map<number, number>();
  for (const [s, e] of ranges) {
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
