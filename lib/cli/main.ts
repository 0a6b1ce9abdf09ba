// `attendant`: run the controller, check a configuration, or use the traffic tools.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFile, type Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import { createLogger } from '../log.ts';
import { runNode } from '../ha/node.ts';

const USAGE = `usage:
  attendant [run] --config <file>        run the controller (or ATTENDANT_CONFIG)
  attendant check-config --config <file> validate a configuration and exit
  attendant erlang b|c ...               Erlang B / C dimensioning (attendant erlang --help)
  attendant stats --config <file> --group <id>|--class <id>|--attendant <id> [--from T --to T --format text|csv|json]
  attendant queue-log --config <file> [--from T --to T --out <file>]  the stored queue_log lines
  attendant hash-password --stdin        make a scrypt passwordHash for users[] in the configuration
  attendant feature-codes --config <file> print the [attendant-features] dialplan context for phone.featureCodes`;

function configPath(argv: string[]): string | undefined {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' } }, allowPositionals: true, strict: false });
  return (typeof values.config === 'string' ? values.config : undefined) ?? process.env.ATTENDANT_CONFIG;
}

function loadOrExit(argv: string[]) {
  const path = configPath(argv);
  if (!path) {
    process.stderr.write(`attendant: no configuration: pass --config <file> or set ATTENDANT_CONFIG\n${USAGE}\n`);
    process.exit(2);
  }
  try {
    return loadConfigFile(path);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`attendant: ${path}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** a command that reads the configured store: its output printed, its exit code kept, the store closed */
async function withConfiguredStore(name: string, cfg: Config, run: (store: Store) => Promise<{ stdout: string; exitCode: number }>): Promise<void> {
  if (!cfg.redis.url) process.stderr.write(`attendant ${name}: no redis.url configured: the in-memory store of a running controller cannot be read from here\n`);
  const { createStore } = await import('../store/index.ts');
  const store = await createStore({ ...(cfg.redis.url ? { url: cfg.redis.url } : {}), prefix: cfg.redis.prefix }, { now: () => Date.now() });
  try {
    const r = await run(store);
    process.stdout.write(r.stdout);
    process.exitCode = r.exitCode;
  } finally {
    await store.close();
  }
}

export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'erlang': {
      const { runErlangCommand } = await import('./erlang.ts');
      const r = runErlangCommand(rest);
      process.stdout.write(r.stdout);
      process.exitCode = r.exitCode;
      return;
    }
    case 'stats': {
      const cfg = loadOrExit(rest);
      const { runStatsCommand } = await import('./stats.ts');
      await withConfiguredStore('stats', cfg, (store) => runStatsCommand(rest, store, Date.now(), cfg.statistics));
      return;
    }
    case 'queue-log': {
      const cfg = loadOrExit(rest);
      const { runQueueLogCommand } = await import('./queue-log.ts');
      await withConfiguredStore('queue-log', cfg, (store) => runQueueLogCommand(rest, store, Date.now()));
      return;
    }
    case 'hash-password': {
      const { runHashPassword } = await import('./users.ts');
      const r = await runHashPassword(rest);
      process.stdout.write(r.stdout);
      process.exitCode = r.exitCode;
      return;
    }
    case 'feature-codes': {
      const cfg = loadOrExit(rest);
      const { featureContext } = await import('../calls/phone/dialplan.ts');
      process.stdout.write(featureContext(cfg.phone.featureCodes));
      return;
    }
    case 'check-config': {
      const cfg = loadOrExit(rest);
      process.stdout.write(`ok: ${cfg.attendants.length} attendants, ${cfg.groups.length} groups\n`);
      return;
    }
    case '--help':
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return;
    default: {
      const args = cmd === 'run' ? rest : argv;
      const cfg = loadOrExit(args);
      const log = createLogger(cfg.log.level);
      // standby until this process holds the lease, then the active controller (see docs/architecture.md)
      const node = await runNode(cfg, { log });
      const shutdown = async (sig: string) => {
        log.info({ sig }, 'stopping');
        await node.stop();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown('SIGINT'));
      process.once('SIGTERM', () => void shutdown('SIGTERM'));
    }
  }
}
