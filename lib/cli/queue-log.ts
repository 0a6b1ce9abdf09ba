// `attendant queue-log`: the queue_log lines the controller stored, for a time range, to stdout or
// appended to a file: rebuilds a reporting tool's queue_log from the store.
import { appendFile } from 'node:fs/promises';
import { Command } from 'commander';
import type { Store } from '../store/store.ts';
import { TIME_ARG_FORMS } from '../time-arg.ts';
import { configOption, isResult, parseCommand, USAGE_EXIT, type CommandResult } from './command.ts';
import { parseWindow } from './window.ts';

export type QueueLogCommandResult = CommandResult;

/** `attendant queue-log`: its options and help (commander) */
export function queueLogCommand(): Command {
  return new Command('queue-log')
    .description('the stored queue_log lines of a window, oldest first (time|callid|queue|agent|EVENT|params), read from the store (redis.url)')
    .addOption(configOption(false))
    .option('--from <time>', `window start (${TIME_ARG_FORMS}); default: 24 hours before --to`)
    .option('--to <time>', 'window end; default: now')
    .option('--out <file>', 'append to this file (the queue_log a reporting tool reads) instead of printing');
}

export interface QueueLogOptions { from?: string; to?: string; out?: string }

export async function runQueueLogCommand(argv: readonly string[], store: Store, now: number): Promise<QueueLogCommandResult> {
  const parsed = parseCommand<QueueLogOptions>(queueLogCommand(), argv);
  return isResult(parsed) ? parsed : runQueueLog(parsed.opts, store, now);
}

export async function runQueueLog(values: QueueLogOptions, store: Store, now: number): Promise<QueueLogCommandResult> {
  const window = parseWindow(values.from, values.to, now);
  if (typeof window === 'string') return { stdout: `attendant queue-log: ${window}\n`, exitCode: USAGE_EXIT };
  const { from, to } = window;
  if (from > to) return { stdout: 'attendant queue-log: --from must not be after --to\n', exitCode: USAGE_EXIT };
  const lines = await store.readQueueLog(from, to);
  const text = lines.map((l) => `${l}\n`).join('');
  if (values.out === undefined) return { stdout: text, exitCode: 0 };
  await appendFile(values.out, text);
  return { stdout: `attendant queue-log: ${lines.length} lines appended to ${values.out}\n`, exitCode: 0 };
}
