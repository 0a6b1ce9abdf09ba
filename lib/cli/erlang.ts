// `erlang` command: Erlang B / C dimensioning from the command line.
// A pure function of argv so it can be tested without spawning a process;
// the caller prints `stdout` and exits with `exitCode`.
import { Command } from 'commander';
import {
  agentOccupancy,
  agentsForServiceLevel,
  averageSpeedOfAnswer,
  erlangB,
  erlangC,
  linesForBlocking,
  serviceLevel,
} from '../domain/erlang.ts';
import { toCsv, toJson } from './stats-format.ts';
import { isResult, parseCommand, USAGE_EXIT, type CommandResult } from './command.ts';

export type { CommandResult } from './command.ts';

const EXAMPLES = `
Examples:
  erlang b --traffic <E> --lines <N>                 blocking probability of N lines
  erlang b --traffic <E> --blocking <P>              lines needed for blocking <= P
  erlang c --traffic <E> --agents <N> --aht <s> --target-seconds <s>
                                                     P(wait), ASA, service level, occupancy
  erlang c --traffic <E> --aht <s> --target-seconds <s> --target-level <L> [--max-occupancy <O>]
                                                     agents needed for service level >= L
Erlang B: blocked calls are cleared (lines, trunks). Erlang C: blocked calls wait (attendants).`;

/** `attendant erlang`: its options and help (commander) */
export function erlangCommand(): Command {
  return new Command('erlang')
    .description('Erlang B / C dimensioning: lines for a blocking target, attendants for a service level')
    .argument('[model]', 'b (blocked calls cleared) or c (blocked calls wait)')
    .option('--traffic <E>', 'offered traffic, Erlangs')
    .option('--lines <N>', 'B: lines')
    .option('--blocking <P>', 'B: target blocking probability (gives the lines needed)')
    .option('--agents <N>', 'C: attendants')
    .option('--aht <s>', 'C: average handling time, seconds')
    .option('--target-seconds <s>', 'C: answer within, seconds')
    .option('--target-level <L>', 'C: target service level (gives the attendants needed)')
    .option('--max-occupancy <O>', 'C: with --target-level, the highest occupancy allowed')
    .option('--format <format>', 'text, json or csv', 'text')
    .addHelpText('after', EXAMPLES);
}

/** A usage error: reported as one line with exit code 2. */
class UsageError extends Error {}

const FLAGS = ['traffic', 'lines', 'blocking', 'agents', 'aht', 'target-seconds', 'target-level', 'max-occupancy', 'format'] as const;
type Values = { [K in (typeof FLAGS)[number]]?: string };

const B_FLAGS: ReadonlyArray<keyof Values> = ['traffic', 'lines', 'blocking', 'format'];
const C_FLAGS: ReadonlyArray<keyof Values> = [
  'traffic', 'agents', 'aht', 'target-seconds', 'target-level', 'max-occupancy', 'format',
];

/** commander's camelCase option values, by their flag names */
function byFlag(opts: Record<string, unknown>): Values {
  const values: Values = {};
  for (const flag of FLAGS) {
    const v = opts[flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())];
    if (typeof v === 'string') values[flag] = v;
  }
  return values;
}

type Format = 'text' | 'json' | 'csv';
type Kind = 'erlangs' | 'count' | 'probability' | 'seconds';

interface Field {
  key: string;
  label: string;
  kind: Kind;
  value: number;
}

const DECIMAL = /^\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function numberFlag(values: Values, flag: keyof Values, what: string, ok: (n: number) => boolean): number {
  const raw = values[flag];
  if (raw === undefined) throw new UsageError(`--${flag} is required`);
  if (typeof raw !== 'string') throw new UsageError(`--${flag} takes a value`);
  const n = DECIMAL.test(raw.trim()) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n) || !ok(n)) throw new UsageError(`--${flag} must be ${what}, got '${raw}'`);
  return n;
}

const nonNegative = (n: number): boolean => n >= 0;
const positive = (n: number): boolean => n > 0;
const count = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

function checkFlags(model: 'b' | 'c', values: Values): void {
  const allowed = model === 'b' ? B_FLAGS : C_FLAGS;
  for (const key of Object.keys(values) as Array<keyof Values>) {
    if (values[key] !== undefined && !allowed.includes(key) && !(key === 'format' && values.format === 'text')) {
      throw new UsageError(`--${key} does not apply to erlang ${model}`);
    }
  }
}

function runB(values: Values): Field[] {
  const traffic = numberFlag(values, 'traffic', 'a number >= 0 (Erlangs)', nonNegative);
  const hasLines = values.lines !== undefined;
  const hasBlocking = values.blocking !== undefined;
  if (hasLines === hasBlocking) throw new UsageError('give exactly one of --lines or --blocking');
  if (hasLines) {
    const lines = numberFlag(values, 'lines', 'a whole number >= 0', count);
    return [
      { key: 'traffic', label: 'offered traffic (E)', kind: 'erlangs', value: traffic },
      { key: 'lines', label: 'lines', kind: 'count', value: lines },
      { key: 'blocking', label: 'blocking probability', kind: 'probability', value: erlangB(traffic, lines) },
    ];
  }
  const target = numberFlag(values, 'blocking', 'a probability in (0, 1]', (n) => n > 0 && n <= 1);
  const lines = linesForBlocking(traffic, target);
  return [
    { key: 'traffic', label: 'offered traffic (E)', kind: 'erlangs', value: traffic },
    { key: 'targetBlocking', label: 'target blocking', kind: 'probability', value: target },
    { key: 'lines', label: 'lines needed', kind: 'count', value: lines },
    { key: 'blocking', label: 'blocking probability', kind: 'probability', value: erlangB(traffic, lines) },
  ];
}

function runC(values: Values): Field[] {
  const traffic = numberFlag(values, 'traffic', 'a number >= 0 (Erlangs)', nonNegative);
  const aht = numberFlag(values, 'aht', 'a number of seconds > 0', positive);
  const targetSeconds = numberFlag(values, 'target-seconds', 'a number of seconds >= 0', nonNegative);
  const hasAgents = values.agents !== undefined;
  const hasLevel = values['target-level'] !== undefined;
  if (hasAgents === hasLevel) throw new UsageError('give exactly one of --agents or --target-level');
  const head: Field[] = [
    { key: 'traffic', label: 'offered traffic (E)', kind: 'erlangs', value: traffic },
    { key: 'ahtSeconds', label: 'average handling time (s)', kind: 'seconds', value: aht },
    { key: 'targetSeconds', label: 'answer within (s)', kind: 'seconds', value: targetSeconds },
  ];
  if (hasAgents) {
    if (values['max-occupancy'] !== undefined) throw new UsageError('--max-occupancy applies only with --target-level');
    const agents = numberFlag(values, 'agents', 'a whole number >= 1', (n) => count(n) && n >= 1);
    return [
      ...head,
      { key: 'agents', label: 'agents', kind: 'count', value: agents },
      { key: 'probabilityOfWaiting', label: 'probability of waiting', kind: 'probability', value: erlangC(traffic, agents) },
      { key: 'averageSpeedOfAnswer', label: 'average speed of answer (s)', kind: 'seconds', value: averageSpeedOfAnswer(traffic, agents, aht) },
      { key: 'serviceLevel', label: 'service level', kind: 'probability', value: serviceLevel(traffic, agents, aht, targetSeconds) },
      { key: 'occupancy', label: 'occupancy', kind: 'probability', value: agentOccupancy(traffic, agents) },
    ];
  }
  const targetLevel = numberFlag(values, 'target-level', 'a fraction in [0, 1)', (n) => n >= 0 && n < 1);
  const maxOccupancy = values['max-occupancy'] === undefined
    ? undefined
    : numberFlag(values, 'max-occupancy', 'a fraction in (0, 1]', (n) => n > 0 && n <= 1);
  const report = agentsForServiceLevel({
    traffic, ahtSeconds: aht, targetSeconds, targetLevel, ...(maxOccupancy === undefined ? {} : { maxOccupancy }),
  });
  return [
    ...head,
    { key: 'targetLevel', label: 'target service level', kind: 'probability', value: targetLevel },
    ...(maxOccupancy === undefined ? [] : [{ key: 'maxOccupancy', label: 'max occupancy', kind: 'probability' as const, value: maxOccupancy }]),
    { key: 'agents', label: 'agents needed', kind: 'count', value: report.agents },
    { key: 'probabilityOfWaiting', label: 'probability of waiting', kind: 'probability', value: report.probabilityOfWaiting },
    { key: 'averageSpeedOfAnswer', label: 'average speed of answer (s)', kind: 'seconds', value: report.averageSpeedOfAnswer },
    { key: 'serviceLevel', label: 'service level', kind: 'probability', value: report.serviceLevel },
    { key: 'occupancy', label: 'occupancy', kind: 'probability', value: report.occupancy },
  ];
}

/** Six significant digits, without trailing zeros. */
function sig(n: number): string {
  return String(Number(n.toPrecision(6)));
}

function textValue(f: Field): string {
  if (!Number.isFinite(f.value)) return 'infinite (traffic >= agents: the queue never empties)';
  if (f.kind === 'probability') return `${sig(f.value)} (${(f.value * 100).toFixed(2)} %)`;
  if (f.kind === 'count') return String(f.value);
  return sig(f.value);
}

function render(fields: Field[], format: Format): string {
  if (format === 'json') return toJson(Object.fromEntries(fields.map((f) => [f.key, f.value])));
  if (format === 'csv') return toCsv([Object.fromEntries(fields.map((f) => [f.key, f.value]))]);
  const width = Math.max(...fields.map((f) => f.label.length));
  return fields.map((f) => `${f.label.padEnd(width)}  ${textValue(f)}\n`).join('');
}

function parseFormat(values: Values): Format {
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'csv') {
    throw new UsageError(`--format must be text, json or csv, got '${String(format)}'`);
  }
  return format;
}

/**
 * Run `erlang <b|c> [options]`. argv is what follows the command word (a
 * leading 'erlang' is tolerated). Bad arguments give exit code 2 and one line
 * naming the flag; --help gives the usage and 0.
 */
export function runErlangCommand(argv: readonly string[]): CommandResult {
  const parsed = parseCommand<Record<string, unknown>>(erlangCommand(), argv[0] === 'erlang' ? argv.slice(1) : argv);
  if (isResult(parsed)) return parsed;
  return runErlang(parsed.args, byFlag(parsed.opts));
}

/** the figures for parsed arguments (the model) and options */
export function runErlang(positionals: readonly string[], values: Values): CommandResult {
  try {
    const [model, ...extra] = positionals;
    if (model !== 'b' && model !== 'c') {
      throw new UsageError(model === undefined ? 'give a model: b or c (see --help)' : `unknown model '${model}': use b or c`);
    }
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0] ?? ''}'`);
    checkFlags(model, values);
    const format = parseFormat(values);
    const fields = model === 'b' ? runB(values) : runC(values);
    return { stdout: render(fields, format), exitCode: 0 };
  } catch (err) {
    if (err instanceof UsageError || err instanceof RangeError) {
      return { stdout: `erlang: ${err.message}\n`, exitCode: USAGE_EXIT };
    }
    throw err;
  }
}

export { byFlag as erlangValues };
