// Entry point: `node dist/lib/main.js --config file` (Docker) or `tsx lib/main.ts` (development).
import { main } from './cli/main.ts';
import { ConfigError } from './config.ts';

// `attendant stats ... | head`: the reader left; stop quietly instead of dying on EPIPE
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2)).catch((err: unknown) => {
  // a configuration refused after it was read (a controller started from code paths of its own) is still exit 2
  if (err instanceof ConfigError) {
    process.stderr.write(`attendant: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`attendant: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
