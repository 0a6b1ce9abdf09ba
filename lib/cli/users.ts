// `attendant hash-password`: the passwordHash of a users[] entry (scrypt$<salt>$<hash>).
// A pure function of argv (and of stdin with --stdin) so it is tested without spawning a process.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { hashPassword } from '../api/auth/passwords.ts';

export interface CommandResult {
  stdout: string;
  exitCode: number;
}

export const HASH_PASSWORD_USAGE = `usage:
  attendant hash-password --stdin          read the password from standard input (one line)
  attendant hash-password <password>       (visible in the shell history and in ps: prefer --stdin)
prints scrypt$<salt>$<hash> for users[].passwordHash in the configuration.
`;

const MIN_LENGTH = 8;
const MAX_LENGTH = 1024;

export function runHashPassword(argv: string[], readStdin: () => string = () => readFileSync(0, 'utf8')): CommandResult {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { stdin: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    return { stdout: `hash-password: ${(err as Error).message}\n${HASH_PASSWORD_USAGE}`, exitCode: 2 };
  }
  const { values, positionals } = parsed;
  if (values.help) return { stdout: HASH_PASSWORD_USAGE, exitCode: 0 };
  if (values.stdin && positionals.length > 0) return { stdout: `hash-password: give the password either on stdin or as an argument, not both\n${HASH_PASSWORD_USAGE}`, exitCode: 2 };
  if (!values.stdin && positionals.length !== 1) return { stdout: HASH_PASSWORD_USAGE, exitCode: 2 };
  let password: string;
  if (values.stdin) {
    try {
      // one line: the trailing newline of `echo` or a heredoc is not part of the password
      password = readStdin().replace(/\r?\n$/, '');
    } catch (err) {
      return { stdout: `hash-password: cannot read standard input: ${(err as Error).message}\n`, exitCode: 2 };
    }
  } else {
    password = positionals[0]!;
  }
  if (password.length < MIN_LENGTH) return { stdout: `hash-password: the password must have at least ${MIN_LENGTH} characters\n`, exitCode: 2 };
  if (password.length > MAX_LENGTH) return { stdout: `hash-password: the password must have at most ${MAX_LENGTH} characters\n`, exitCode: 2 };
  return { stdout: `${hashPassword(password)}\n`, exitCode: 0 };
}
