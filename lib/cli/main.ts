// `attendant`: run the controller, check a configuration, or use the traffic tools. Commands, help,
// unknown commands and exit codes come from commander: 0 done, 1 a read failed (Redis unreachable),
// 2 a usage or configuration error (an unknown command, a bad flag, an invalid configuration).
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfigFile, type Config } from '../config.ts';
import type { Store } from '../store/store.ts';
import { createLogger } from '../log.ts';
import { configOption, USAGE_EXIT, type CommandResult } from './command.ts';
import { erlangCommand, erlangValues, runErlang } from './erlang.ts';
import { runStats, statsCommand, type StatsOptions } from './stats.ts';
import { queueLogCommand, runQueueLog, type QueueLogOptions } from './queue-log.ts';
import { hashFrom, hashPasswordCommand } from './users.ts';

/** a failure to report in one line with its exit code (no stack: the admin needs the reason) */
class CliFailure extends Error {
  constructor(message: string, readonly exitCode: number) { super(message); }
}

function loadConfig(path: string | undefined): Config {
  if (!path) throw new CliFailure('no configuration: pass --config <file> or set ATTENDANT_CONFIG', USAGE_EXIT);
  try {
    return loadConfigFile(path);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliFailure(`${path}: ${err.message}`, USAGE_EXIT);
    throw err;
  }
}

function print(r: CommandResult): void {
  process.stdout.write(r.stdout);
  process.exitCode = r.exitCode;
}

/** a command that reads the configured store: refused without redis.url, exit 1 when Redis cannot be read */
async function withConfiguredStore(name: string, cfg: Config, run: (store: Store) => Promise<CommandResult>): Promise<void> {
  if (!cfg.redis.url) {
    throw new CliFailure(`${name}: no redis.url in the configuration: a controller without Redis keeps its figures in its own memory, which cannot be read from here`, USAGE_EXIT);
  }
  const { createStore } = await import('../store/index.ts');
  let store: Store;
  try {
    store = await createStore({ url: cfg.redis.url, prefix: cfg.redis.prefix }, { now: () => Date.now() }, { connectAttempts: 1 });
  } catch (err) {
    throw new CliFailure(`${name}: cannot read the store: ${(err as Error).message}`, 1);
  }
  try {
    print(await run(store));
  } catch (err) {
    throw new CliFailure(`${name}: cannot read the store: ${(err as Error).message}`, 1);
  } finally {
    await store.close().catch(() => undefined);
  }
}

async function runController(path: string | undefined): Promise<void> {
  const cfg = loadConfig(path);
  const log = createLogger(cfg.log.level);
  const { runNode } = await import('../ha/node.ts');
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

/** the whole command tree */
export function program(): Command {
  const root = new Command('attendant')
    .description('Switchboard operator (attendant console) for Asterisk: the controller and its tools')
    .showSuggestionAfterError()
    .showHelpAfterError('(attendant --help lists the commands)');

  root.command('run', { isDefault: false })
    .description('run the controller (the default when only options are given: attendant --config <file>)')
    .addOption(configOption(false))
    .action((o: { config?: string }) => runController(o.config));

  root.command('check-config')
    .description('validate a configuration: every problem named by its path, exit 2 when any')
    .addOption(configOption(false))
    .action((o: { config?: string }) => {
      const cfg = loadConfig(o.config);
      process.stdout.write(`ok: ${cfg.attendants.length} attendants, ${cfg.groups.length} groups\n`);
    });

  root.addCommand(erlangCommand().action((model: string | undefined, o: Record<string, unknown>) => print(runErlang(model === undefined ? [] : [model], erlangValues(o)))));

  root.addCommand(statsCommand().action(async (o: StatsOptions & { config?: string }) => {
    const cfg = loadConfig(o.config);
    await withConfiguredStore('stats', cfg, (store) => runStats(o, store, Date.now(), cfg.statistics));
  }));

  root.addCommand(queueLogCommand().action(async (o: QueueLogOptions & { config?: string }) => {
    const cfg = loadConfig(o.config);
    await withConfiguredStore('queue-log', cfg, (store) => runQueueLog(o, store, Date.now()));
  }));

  root.addCommand(hashPasswordCommand().action((password: string | undefined, o: { stdin?: boolean }) => print(hashFrom(o, password === undefined ? [] : [password]))));

  root.command('feature-codes')
    .description('print the [attendant-features] dialplan context for phone.featureCodes')
    .addOption(configOption(false))
    .action(async (o: { config?: string }) => {
      const cfg = loadConfig(o.config);
      const { featureContext } = await import('../calls/phone/dialplan.ts');
      process.stdout.write(featureContext(cfg.phone.featureCodes));
    });
  return root;
}

/** `attendant --config x` (options only, or nothing) runs the controller, as before subcommands existed */
function withDefaultCommand(argv: string[]): string[] {
  const first = argv[0];
  if (first === undefined) return ['run'];
  if (first.startsWith('-') && !['-h', '--help'].includes(first)) return ['run', ...argv];
  return argv;
}

export async function main(argv: string[]): Promise<void> {
  const root = program();
  for (const cmd of [root, ...root.commands]) cmd.exitOverride();
  try {
    await root.parseAsync(withDefaultCommand(argv), { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed the error or the help
      process.exitCode = err.exitCode === 0 ? 0 : USAGE_EXIT;
      return;
    }
    if (err instanceof CliFailure) {
      process.stderr.write(`attendant: ${err.message}\n`);
      process.exitCode = err.exitCode;
      return;
    }
    throw err;
  }
}
