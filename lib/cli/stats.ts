// `attendant stats`: per-interval traffic figures of a group, class or attendant, read from the
// store's counters (lib/stats/report.ts, as the API), as text, CSV or JSON (for spreadsheets and
// reporting tools).
import { Command, Option } from 'commander';
import { ALL_COUNTER_NAMES, type TrafficCounters, type TrafficFigures } from '../domain/traffic.ts';
import { SCOPE_KINDS, trafficReport, type TrafficReport } from '../stats/report.ts';
import type { Store } from '../store/store.ts';
import { toCsv, toJson, type CsvValue } from './stats-format.ts';
import { parseWindow } from './window.ts';
import { configOption, isResult, parseCommand, USAGE_EXIT, type CommandResult } from './command.ts';
import { TIME_ARG_FORMS } from '../time-arg.ts';

export type StatsCommandResult = CommandResult;

/** `attendant stats`: its options and help (commander) */
export function statsCommand(): Command {
  return new Command('stats')
    .description('per-interval traffic figures and the daily busy hour, read from the store (redis.url)')
    .addOption(configOption(false))
    .option('--group <id>', 'a group')
    .option('--class <id>', 'a call class')
    .option('--attendant <id>', 'a position')
    .option('--from <time>', `window start (${TIME_ARG_FORMS}); default: 24 hours before --to`)
    .option('--to <time>', 'window end; default: now')
    .addOption(new Option('--format <format>', 'output').choices(['text', 'csv', 'json']).default('text'))
    .addHelpText('after', '\nIntervals are 15 minutes, one row each (counters, then figures: Erlangs, AHT, ASA, SL, SL2, occupancy...).');
}

export interface StatsOptions { group?: string; class?: string; attendant?: string; from?: string; to?: string; format: string }

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
  const parsed = parseCommand<StatsOptions>(statsCommand(), argv);
  return isResult(parsed) ? parsed : runStats(parsed.opts, store, now, settings);
}

export async function runStats(values: StatsOptions, store: Store, now: number, settings: StatsSettings = DEFAULT_SETTINGS): Promise<StatsCommandResult> {
  const kinds = SCOPE_KINDS.filter((k) => values[k] !== undefined);
  if (kinds.length !== 1) return { stdout: 'attendant stats: give exactly one of --group, --class, --attendant (attendant stats --help)\n', exitCode: USAGE_EXIT };
  const format = values.format;
  const window = parseWindow(values.from, values.to, now);
  if (typeof window === 'string') return { stdout: `attendant stats: ${window}\n`, exitCode: USAGE_EXIT };
  const { from, to } = window;
  if (from >= to) return { stdout: 'attendant stats: --from must be before --to\n', exitCode: USAGE_EXIT };
  if (to - from > 366 * 86_400_000) return { stdout: 'attendant stats: the window is at most 366 days\n', exitCode: USAGE_EXIT };
  const kind = kinds[0]!;
  const id = values[kind]!;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(id)) return { stdout: `attendant stats: --${kind}: not an id: ${id}\n`, exitCode: USAGE_EXIT };
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
