// `attendant queue-log`: the queue_log lines the controller stored, for a time range, to stdout or
// appended to a file: rebuilds a reporting tool's queue_log from the store.
import { appendFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Store } from '../store/store.ts';
import { parseWindow } from './window.ts';

export const QUEUE_LOG_USAGE = `usage: attendant queue-log --config <file> [--from <ISO time>] [--to <ISO time>] [--out <file>]
  default window: the last 24 hours; lines oldest first (time|callid|queue|agent|EVENT|params);
  --out appends to the file (a queue_log a reporting tool reads) instead of printing`;

export interface QueueLogCommandResult { stdout: string; exitCode: number }

export async function runQueueLogCommand(argv: readonly string[], store: Store, now: number): Promise<QueueLogCommandResult> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv], allowPositionals: false, strict: true,
      options: { config: { type: 'string', short: 'c' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
    }));
  } catch (err) {
    return { stdout: `attendant queue-log: ${(err as Error).message}\n${QUEUE_LOG_USAGE}\n`, exitCode: 2 };
  }
  const window = parseWindow(values.from, values.to, now);
  if (typeof window === 'string') return { stdout: `attendant queue-log: ${window}\n`, exitCode: 2 };
  const { from, to } = window;
  if (from > to) return { stdout: 'attendant queue-log: --from must not be after --to\n', exitCode: 2 };
  const lines = await store.readQueueLog(from, to);
  const text = lines.map((l) => `${l}\n`).join('');
  if (values.out === undefined) return { stdout: text, exitCode: 0 };
  await appendFile(values.out, text);
  return { stdout: `attendant queue-log: ${lines.length} lines appended to ${values.out}\n`, exitCode: 0 };
}
