// `attendant stats`: per-interval traffic figures of a group, class or attendant, read from the
// store's counters, as text, CSV or JSON (for spreadsheets and reporting tools).
import { parseArgs } from 'node:util';
import { COUNTER_NAMES, INTERVAL_MS, busyHour, figuresFromCounters } from '../domain/traffic.ts';
import type { Store } from '../store/store.ts';
import { toCsv, toJson, type CsvValue } from './stats-format.ts';

export const STATS_USAGE = `usage: attendant stats --config <file> (--group <id> | --class <id> | --attendant <id>)
                       [--from <ISO time>] [--to <ISO time>] [--format text|csv|json]
  default window: the last 24 hours; intervals are 15 minutes`;

export interface StatsCommandResult { stdout: string; exitCode: number }

function parseTime(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new Error(`--${flag}: not a date/time: ${value}`);
  return t;
}

/** The store is passed in (the CLI opens the configured one), so the command is testable on any store. */
export async function runStatsCommand(argv: readonly string[], store: Store, now: number): Promise<StatsCommandResult> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv], allowPositionals: false, strict: true,
      options: {
        config: { type: 'string' }, group: { type: 'string' }, class: { type: 'string' }, attendant: { type: 'string' },
        from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'text' },
      },
    }));
  } catch (err) {
    return { stdout: `attendant stats: ${(err as Error).message}\n${STATS_USAGE}\n`, exitCode: 2 };
  }
  const scopes = (['group', 'class', 'attendant'] as const).filter((k) => values[k] !== undefined);
  if (scopes.length !== 1) return { stdout: `attendant stats: give exactly one of --group, --class, --attendant\n${STATS_USAGE}\n`, exitCode: 2 };
  const format = values.format!;
  if (!['text', 'csv', 'json'].includes(format)) return { stdout: `attendant stats: --format must be text, csv or json\n`, exitCode: 2 };
  let from: number;
  let to: number;
  try {
    to = parseTime('to', values.to, now);
    from = parseTime('from', values.from, to - 86_400_000);
  } catch (err) {
    return { stdout: `attendant stats: ${(err as Error).message}\n`, exitCode: 2 };
  }
  if (from > to) return { stdout: 'attendant stats: --from is after --to\n', exitCode: 2 };
  const scope = `${scopes[0]}:${values[scopes[0]!]!}`;
  const intervals = await store.stats(scope, from - (from % INTERVAL_MS), to);
  const rows = intervals.map((iv) => {
    const f = figuresFromCounters(iv.counters);
    const row: Record<string, CsvValue> = { interval: new Date(iv.intervalStart).toISOString() };
    for (const c of COUNTER_NAMES) row[c] = iv.counters[c] ?? 0;
    for (const [k, v] of Object.entries(f)) row[k] = v === null ? null : Math.round(v * 10_000) / 10_000;
    return row;
  });
  const peak = busyHour(intervals.map((iv) => ({ intervalStart: iv.intervalStart, carriedErlangs: figuresFromCounters(iv.counters).carriedErlangs })));
  if (format === 'csv') return { stdout: toCsv(rows), exitCode: 0 };
  if (format === 'json') return { stdout: toJson({ scope, from: new Date(from).toISOString(), to: new Date(to).toISOString(), intervals: rows, busyHour: peak }), exitCode: 0 };
  const cell = (v: CsvValue | undefined) => (v === null || v === undefined ? '-' : String(v));
  const lines = [`${scope}  ${new Date(from).toISOString()} → ${new Date(to).toISOString()}`,
    'interval                  offered answered abandoned carriedE   AHT s   ASA s     SL',
    ...rows.map((r) => `${cell(r.interval).padEnd(25)} ${cell(r.offered).padStart(7)} ${cell(r.answered).padStart(8)} ${cell(r.abandoned).padStart(9)} ${cell(r.carriedErlangs).padStart(8)} ${cell(r.averageHoldingSeconds).padStart(7)} ${cell(r.averageSpeedOfAnswerSeconds).padStart(7)} ${cell(r.serviceLevel).padStart(6)}`)];
  if (!rows.length) lines.push('(no traffic counted in this window)');
  if (peak) lines.push(`busy hour: ${new Date(peak.start).toISOString()} → ${new Date(peak.end).toISOString()}, ${peak.erlangs.toFixed(3)} E`);
  return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
}
