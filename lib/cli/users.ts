// `attendant hash-password`: the passwordHash of a users[] entry (scrypt$<salt>$<hash>).
// A pure function of argv (and of stdin with --stdin) so it is tested without spawning a process.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { hashPassword } from '../api/auth/passwords.ts';
import { isResult, parseCommand, USAGE_EXIT, type CommandResult } from './command.ts';

export type { CommandResult } from './command.ts';

/** `attendant hash-password`: its options and help (commander) */
export function hashPasswordCommand(): Command {
  return new Command('hash-password')
    .description('print scrypt$<salt>$<hash> for users[].passwordHash in the configuration')
    .argument('[password]', 'the password (visible in the shell history and in ps: prefer --stdin)')
    .option('--stdin', 'read the password from standard input (one line)');
}

const MIN_LENGTH = 8;
const MAX_LENGTH = 1024;

export function runHashPassword(argv: string[], readStdin: () => string = () => readFileSync(0, 'utf8')): CommandResult {
  const parsed = parseCommand<{ stdin?: boolean }>(hashPasswordCommand(), argv);
  return isResult(parsed) ? parsed : hashFrom(parsed.opts, parsed.args, readStdin);
}

export function hashFrom(values: { stdin?: boolean }, positionals: string[], readStdin: () => string = () => readFileSync(0, 'utf8')): CommandResult {
  const usage = 'hash-password: usage: attendant hash-password --stdin (or hash-password <password>; see --help)\n';
  if (values.stdin && positionals.length > 0) return { stdout: `hash-password: give the password either on stdin or as an argument, not both\n`, exitCode: USAGE_EXIT };
  if (!values.stdin && positionals.length !== 1) return { stdout: usage, exitCode: USAGE_EXIT };
  let password: string;
  if (values.stdin) {
    try {
      // one line: the trailing newline of `echo` or a heredoc is not part of the password
      password = readStdin().replace(/\r?\n$/, '');
    } catch (err) {
      return { stdout: `hash-password: cannot read standard input: ${(err as Error).message}\n`, exitCode: USAGE_EXIT };
    }
  } else {
    password = positionals[0]!;
  }
  if (password.length < MIN_LENGTH) return { stdout: `hash-password: the password must have at least ${MIN_LENGTH} characters\n`, exitCode: USAGE_EXIT };
  if (password.length > MAX_LENGTH) return { stdout: `hash-password: the password must have at most ${MAX_LENGTH} characters\n`, exitCode: USAGE_EXIT };
  return { stdout: `${hashPassword(password)}\n`, exitCode: 0 };
}
