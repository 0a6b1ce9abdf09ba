// `attendant stats`: per-interval traffic figures of a group, class or attendant, read from the
// store's counters (lib/stats/report.ts, as the API), as text, CSV or JSON (for spreadsheets and
// reporting tools).
import { parseArgs } from 'node:util';
import { ALL_COUNTER_NAMES, type TrafficCounters, type TrafficFigures } from '../domain/traffic.ts';
import { SCOPE_KINDS, trafficReport, type TrafficReport } from '../stats/report.ts';
import type { Store } from '../store/store.ts';
import { toCsv, toJson, type CsvValue } from './stats-format.ts';
import { parseWindow } from './window.ts';

export const STATS_USAGE = `usage: attendant stats --config <file> (--group <id> | --class <id> | --attendant <id>)
                       [--from <ISO time>] [--to <ISO time>] [--format text|csv|json]
  default window: the last 24 hours; intervals are 15 minutes; one row per interval
  (counters, then figures: Erlangs, AHT, ASA, SL, SL2, occupancy...); busy hour per day`;

export interface StatsCommandResult { stdout: string; exitCode: number }

/** statistics settings of the configuration */
export interface StatsSettings { timezone: string; serviceTargetSeconds: number }

const DEFAULT_SETTINGS: StatsSettings = { timezone: 'UTC', serviceTargetSeconds: 20 };

const iso = (t: number): string => new Date(t).toISOString();
/** counters to the millisecond, figures to 4 decimals: no float noise in a spreadsheet */
const round = (v: number, places: number): number => Math.round(v * 10 ** places) / 10 ** places;

function flatRow(label: string, counters: TrafficCounters, figures: TrafficFigures): Record<string, CsvValue> {
  const row: Record<string, CsvValue> = { interval: label };
  for (const c of ALL_COUNTER_NAMES) row[c] = round(counters[c], 3);
  for (const [k, v] of Object.entries(figures)) row[k] = v === null ? null : round(v, 4);
  return row;
}

function asText(r: TrafficReport, rows: Array<Record<string, CsvValue>>, total: Record<string, CsvValue>): string {
  const cols: Array<[key: string, head: string, width: number]> = [
    ['offered', 'offered', 7], ['answered', 'answered', 8], ['abandoned', 'abandoned', 9], ['lost', 'lost', 5],
    ['carriedErlangs', 'carriedE', 8], ['averageHoldingSeconds', 'AHT s', 7], ['averageSpeedOfAnswerSeconds', 'ASA s', 7],
    ['longestWaitSeconds', 'max wait', 8], ['serviceLevel', 'SL', 6], ['occupancy', 'occup.', 6],
  ];
  const cell = (v: CsvValue | undefined) => (v === null || v === undefined ? '-' : String(v));
  const line = (label: string, row: Record<string, CsvValue>) => `${label.padEnd(25)}${cols.map(([k, , w]) => ` ${cell(row[k]).padStart(w)}`).join('')}`;
  const lines = [
    `${r.scope}  ${iso(r.from)} → ${iso(r.to)}  (service level: answered within ${r.serviceTargetSeconds} s)`,
    `${'interval'.padEnd(25)}${cols.map(([, h, w]) => ` ${h.padStart(w)}`).join('')}`,
    ...rows.filter((row) => row.offered !== 0 || row.carriedSeconds !== 0 || row.loggedInSeconds !== 0).map((row) => line(String(row.interval), row)),
    line('total', total),
  ];
  if (total.offered === 0 && total.carriedSeconds === 0 && total.loggedInSeconds === 0) lines.push('(no traffic counted in this window)');
  for (const b of r.busyHours) if (b.erlangs > 0) lines.push(`busy hour ${b.date}: ${iso(b.start)} → ${iso(b.end)}, ${b.erlangs.toFixed(3)} E`);
  return `${lines.join('\n')}\n`;
}

/** The store is passed in (the CLI opens the configured one), so the command is testable on any store. */
export async function runStatsCommand(argv: readonly string[], store: Store, now: number, settings: StatsSettings = DEFAULT_SETTINGS): Promise<StatsCommandResult> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv], allowPositionals: false, strict: true,
      options: {
        config: { type: 'string', short: 'c' }, group: { type: 'string' }, class: { type: 'string' }, attendant: { type: 'string' },
        from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string', default: 'text' },
      },
    }));
  } catch (err) {
    return { stdout: `attendant stats: ${(err as Error).message}\n${STATS_USAGE}\n`, exitCode: 2 };
  }
  const kinds = SCOPE_KINDS.filter((k) => values[k] !== undefined);
  if (kinds.length !== 1) return { stdout: `attendant stats: give exactly one of --group, --class, --attendant\n${STATS_USAGE}\n`, exitCode: 2 };
  const format = values.format!;
  if (!['text', 'csv', 'json'].includes(format)) return { stdout: 'attendant stats: --format must be text, csv or json\n', exitCode: 2 };
  const window = parseWindow(values.from, values.to, now);
  if (typeof window === 'string') return { stdout: `attendant stats: ${window}\n`, exitCode: 2 };
  const { from, to } = window;
  if (from >= to) return { stdout: 'attendant stats: --from must be before --to\n', exitCode: 2 };
  if (to - from > 366 * 86_400_000) return { stdout: 'attendant stats: the window is at most 366 days\n', exitCode: 2 };
  const kind = kinds[0]!;
  const id = values[kind]!;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(id)) return { stdout: `attendant stats: --${kind}: not an id: ${id}\n`, exitCode: 2 };
  const r = await trafficReport(store, { scope: `${kind}:${id}`, from, to, now, timeZone: settings.timezone, serviceTargetSeconds: settings.serviceTargetSeconds });
  const rows = r.intervals.map((iv) => flatRow(iso(iv.intervalStart), iv.counters, iv.figures));
  const total = flatRow('total', r.totals.counters, r.totals.figures);
  if (format === 'csv') return { stdout: toCsv(rows), exitCode: 0 };
  if (format === 'json') {
    return {
      stdout: toJson({
        scope: r.scope, from: iso(r.from), to: iso(r.to), timezone: r.timezone, serviceTargetSeconds: r.serviceTargetSeconds,
        intervals: rows, totals: total,
        busyHours: r.busyHours.map((b) => ({ date: b.date, start: iso(b.start), end: iso(b.end), erlangs: round(b.erlangs, 4) })),
      }),
      exitCode: 0,
    };
  }
  return { stdout: asText(r, rows, total), exitCode: 0 };
}
