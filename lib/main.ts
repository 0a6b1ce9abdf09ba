// Entry point: `node dist/lib/main.js --config file` (Docker) or `tsx lib/main.ts` (development).
import { main } from './cli/main.ts';

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`attendant: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
