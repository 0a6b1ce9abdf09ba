// Entry point: `node dist/lib/main.js --config file` (Docker) or `tsx lib/main.ts` (development).
import { main } from './cli/main.ts';

// `attendant stats ... | head`: the reader left; stop quietly instead of dying on EPIPE
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`attendant: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
