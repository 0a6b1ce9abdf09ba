// What every call flow gets: configuration, the ARI port, the ledger (state + store), time, logging.
import type { Logger } from 'pino';
import { isChannelGone, isGone, type AriPort } from '../asterisk/port.ts';
import type { AttendantConfig, CallClassConfig, Config, GroupConfig } from '../config.ts';
import type { TimeSource } from '../domain/clock.ts';
import { resolveClass } from '../domain/presentation.ts';
import type { IdMaker } from './ids.ts';
import type { Ledger } from './ledger.ts';
import type { Routes } from './routes.ts';

export interface CallContext {
  config: Config;
  ari: AriPort;
  ledger: Ledger;
  time: TimeSource;
  log: Logger;
  /** every channel and bridge id the controller chooses */
  ids: IdMaker;
  /** who owns each channel and bridge (routes.ts): IdMaker registers what it makes, flows what they take */
  routes: Routes;
  /** seeded where runs must repeat (random hunting) */
  random: () => number;
  groupConfig(id: string): GroupConfig | undefined;
  attendantConfig(id: string): AttendantConfig | undefined;
  /** run after every change that may let a waiting call be presented */
  requestDispatch(): void;
}

/**
 * What a caller's Stasis args [class, target group] ask for: the class (an unknown one is external)
 * and the group it starts in (an unknown target is the first configured group).
 */
export function callerTarget(ctx: CallContext, args: readonly string[]): { cls: CallClassConfig; requested: string; group: string } {
  const requested = args[1] ?? '';
  return {
    cls: resolveClass(ctx.config.classes, args[0] ?? 'external'),
    requested,
    group: ctx.groupConfig(requested) ? requested : ctx.config.groups[0]!.id,
  };
}

/** Fire an ARI command whose failure must not stop the flow (the channel may already be gone). */
export function bestEffort(ctx: CallContext, what: string, p: Promise<unknown>, ids: Record<string, string | undefined> = {}): void {
  p.catch((err: Error & { status?: number }) => {
    if (isGone(err)) ctx.log.debug({ ...ids, what }, 'already gone');
    else ctx.log.warn({ ...ids, what, status: err.status, err: err.message }, 'ARI command failed');
  });
}

const RELEASE_RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * Hang up a channel the controller is done with, tried again with back-off while Asterisk fails (a 404
 * is done): a set left off-hook on a dead call would be rung for new ones, a party left up forgotten.
 */
export function releaseChannel(ctx: CallContext, channelId: string, what: string, attempt = 0): void {
  ctx.ari.hangup(channelId).catch((err: Error & { status?: number }) => {
    if (isChannelGone(err)) return;
    const delay = RELEASE_RETRY_MS[attempt];
    ctx.log.warn({ leg: channelId, what, err: err.message, retryInMs: delay }, delay === undefined ? 'channel could not be released' : 'channel not released; trying again');
    if (delay !== undefined) ctx.time.schedule(delay, () => releaseChannel(ctx, channelId, what, attempt + 1));
  });
}

/**
 * Create a bridge with our id, or take the one a previous run (or a lost reply) left: Asterisk
 * refuses to re-create an existing bridge with a type, so an existing one is looked up instead.
 */
export async function ensureBridge(ctx: CallContext, type: 'mixing' | 'holding', id: string, name = ctx.routes.nameOf(id), opts: { dtmfEvents?: boolean } = {}): Promise<string> {
  try {
    return (await ctx.ari.createBridge(type, name, id, opts)).id;
  } catch (err) {
    const found = await ctx.ari.listBridges().then((all) => all.some((b) => b.id === id), () => false);
    if (!found) throw err;
    return id;
  }
}
