// Small arithmetic of the benchmark: latency summaries and the "is the backlog growing" test.

export interface Latency {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** nearest-rank percentiles in ms, rounded to µs; an empty sample gives zeros */
export function summarise(samples: readonly number[]): Latency {
  if (!samples.length) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return { count: sorted.length, p50: round(at(50)), p90: round(at(90)), p99: round(at(99)), max: round(sorted[sorted.length - 1]!) };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);

/**
 * A backlog (waiting calls + unwritten store batches, sampled during the load) grows when its
 * last third is clearly above its first third: more than 5 items and 20 % more.
 */
export function growing(samples: readonly number[]): boolean {
  if (samples.length < 6) return false;
  const third = Math.floor(samples.length / 3);
  const first = mean(samples.slice(0, third));
  const last = mean(samples.slice(-third));
  return last > first + 5 && last > first * 1.2;
}

export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The highest rate sustained: from the best rate already tried, up by half again (to `cap`) until one
 * fails, then bisection until the gap is within 10 % (or 10 calls/s); at most `steps` more loads.
 * `measure` runs one load and says whether it was sustained.
 */
export async function searchSustained(
  tried: ReadonlyArray<{ rate: number; sustained: boolean }>, steps: number, cap: number, measure: (rate: number) => Promise<boolean>,
): Promise<{ rate: number; below: number | null }> {
  const ok = tried.filter((r) => r.sustained).map((r) => r.rate);
  let lo = ok.length ? Math.max(...ok) : 0;
  const failing = tried.filter((r) => !r.sustained && r.rate > lo).map((r) => r.rate);
  let hi: number | undefined = failing.length ? Math.min(...failing) : undefined;
  for (let step = 0; step < steps; step++) {
    let next: number;
    if (hi === undefined) {
      next = Math.min(cap, Math.round(Math.max(lo, 1) * 1.5));
      if (next <= lo) break;
    } else {
      if (hi - lo <= Math.max(10, lo * 0.1)) break;
      next = Math.round((lo + hi) / 2);
    }
    if (await measure(next)) lo = next; else hi = next;
  }
  return { rate: lo, below: hi ?? null };
}
