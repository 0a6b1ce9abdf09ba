// The CLI's parsing comes from commander: options, help, unknown commands and options. A command
// module defines its Command; `parseCommand` runs one on argv without exiting the process, so the
// commands stay pure functions of argv in tests, and usage errors are one line with exit code 2.
import { Command, CommanderError, Option, type OptionValues } from 'commander';

export interface CommandResult {
  stdout: string;
  exitCode: number;
}

/** exit code of a usage error (a wrong flag, a missing argument, an unknown command) */
export const USAGE_EXIT = 2;

/** `-c, --config <file>`, or ATTENDANT_CONFIG */
export function configOption(required = true): Option {
  const o = new Option('-c, --config <file>', 'the configuration file').env('ATTENDANT_CONFIG');
  return required ? o.makeOptionMandatory() : o;
}

/** commander's own errors as `<name>: <problem>` (first line), help as it is */
export function parseCommand<T extends OptionValues>(cmd: Command, argv: readonly string[]): { opts: T; args: string[] } | CommandResult {
  let out = '';
  cmd.exitOverride().configureOutput({ writeOut: (s) => { out += s; }, writeErr: (s) => { out += s; }, outputError: () => undefined });
  try {
    cmd.parse([...argv], { from: 'user' });
    return { opts: cmd.opts<T>(), args: cmd.args };
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.exitCode === 0) return { stdout: out, exitCode: 0 };
    return { stdout: `${cmd.name()}: ${err.message.replace(/^error: /, '').split('\n')[0] ?? ''}\n`, exitCode: USAGE_EXIT };
  }
}

export function isResult(x: unknown): x is CommandResult {
  return typeof x === 'object' && x !== null && 'exitCode' in x && 'stdout' in x;
}
