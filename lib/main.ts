// Entry point: `node dist/lib/main.js --config file` (Docker) or `tsx lib/main.ts` (development).
import { main } from './cli/main.ts';
import { ConfigError } from './config.ts';

main(process.argv.slice(2)).catch((err: unknown) => {
  // a configuration refused after it was read (a controller started from code paths of its own) is still exit 2
  if (err instanceof ConfigError) {
    process.stderr.write(`attendant: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`attendant: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
