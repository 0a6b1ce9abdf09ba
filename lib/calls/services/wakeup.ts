// Wake-up calls: booked for a room at HH:MM site time, once or daily. At the time the controller
// rings the room through the dialplan (lib/calls/dialing.ts, appArgs `@wakeup,<id>`); answered, it plays the announcement and
// hangs up. Busy, no answer or a failure: it tries again `wakeup.retryAfter` later, `wakeup.attempts`
// times in all; after the last, the desk is told by a `wakeup-failed` call (a Local channel
// `<ext>@attendant-wakeup-alert` whose ;1 half waits for an operator like any caller, caller id the
// room). Bookings are store documents: a restarted controller rings them all the same.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { siteTimezone, wakeupGroup } from '../../config.ts';
import { unansweredReason } from '../../domain/causes.ts';
import { nextWakeupAt, normaliseWakeupTime } from '../../domain/wakeup.ts';
import { bestEffort, type CallContext } from '../context.ts';
import { dialString } from '../dialing.ts';
import type { Batch } from '../ledger.ts';
import { OperationError, type WakeupCall } from '../operations-port.ts';
import { DocCollection, DueTimers, EXTENSION } from './docs.ts';
import { checkQuota, siteNumbering } from '../numbering.ts';

export const WAKEUP_ARG = '@wakeup';
export const WAKEUP_FAILED_CLASS = 'wakeup-failed';
/** dialplan context of the alert a failed wake-up rings the desk with (dialplan/extensions_attendant.conf) */
export const WAKEUP_ALERT_CONTEXT = 'attendant-wakeup-alert';
/** the controller's own deadline after the originate timeout, should Asterisk's end of the leg never reach it */
const GUARD_MS = 10_000;
/** longest an answered room may take to hear the announcement before it is hung up anyway */
const PLAY_GUARD_MS = 120_000;

type Result = 'answered' | 'busy' | 'no-answer' | 'failed' | 'interrupted';

const wakeupDoc = z.object({
  id: z.string(), extension: z.string(), time: z.string(), daily: z.boolean(), next: z.number(), slot: z.number(), attempts: z.number(),
  status: z.enum(['scheduled', 'ringing', 'done', 'failed', 'cancelled']), by: z.string(), createdAt: z.number(),
  lastResult: z.string().optional(), leg: z.string().optional(),
});

export class WakeupService {
  private readonly docs: DocCollection<WakeupCall>;
  /** the next attempt of each booking, by id */
  private readonly due: DueTimers;
  /** deadlines of legs ringing or playing, by leg */
  private readonly guards: DueTimers;
  /** answered legs hearing the announcement → booking id */
  private readonly playing = new Map<string, string>();

  constructor(private readonly ctx: CallContext) {
    this.docs = new DocCollection(ctx, 'wakeup', wakeupDoc);
    this.due = new DueTimers(ctx);
    this.guards = new DueTimers(ctx);
  }

  load(): Promise<void> {
    return this.docs.load();
  }

  list(): WakeupCall[] {
    return [...this.docs.items.values()].sort((a, b) => a.next - b.next).map((w) => ({ ...w }));
  }

  async schedule(req: { extension: string; time: string; daily: boolean }, by: string): Promise<WakeupCall> {
    const { ctx } = this;
    if (!EXTENSION.test(req.extension)) throw new OperationError('invalid_target', `"${req.extension}" is not an extension number`);
    // the console's and the room phone's bookings alike: an extension of the plan, within the quotas
    siteNumbering(ctx.config).extension(req.extension);
    const quotas = ctx.config.quotas;
    checkQuota(quotas, 'wakeupsPerExtension', [...this.docs.items.values()].filter((w) => w.extension === req.extension).length, `wake-up calls for ${req.extension}`);
    checkQuota(quotas, 'wakeups', this.docs.items.size, 'wake-up calls');
    const time = normaliseWakeupTime(req.time);
    if (!time) throw new OperationError('invalid_value', `"${req.time}" is not a time of day (HH:MM)`);
    const now = ctx.time.now();
    const slot = nextWakeupAt(time, siteTimezone(ctx.config), now);
    const id = `w-${now.toString(36)}-${randomUUID().slice(0, 8)}`;
    const rec: WakeupCall = { id, extension: req.extension, time, daily: req.daily, next: slot, slot, attempts: 0, status: 'scheduled', by, createdAt: now };
    const b = ctx.ledger.batch();
    this.docs.put(b, id, rec);
    b.log({ time: now, operator: by, action: 'wakeup-booked', numbers: [req.extension], result: 'scheduled', detail: { wakeup: id, time, daily: String(req.daily), at: new Date(slot).toISOString() } });
    await ctx.ledger.commit(b);
    this.arm(rec);
    ctx.log.info({ wakeup: id, extension: req.extension, time, daily: req.daily, at: slot, by }, 'wake-up call booked');
    return { ...rec };
  }

  async cancel(id: string, by: string): Promise<void> {
    const { ctx } = this;
    const rec = this.docs.items.get(id);
    if (!rec) throw new OperationError('not_found', `no wake-up call "${id}"`);
    this.due.cancel(id);
    if (rec.leg) {
      this.guards.cancel(rec.leg);
      this.playing.delete(rec.leg);
      bestEffort(ctx, 'hang up cancelled wake-up', ctx.ari.hangup(rec.leg), { leg: rec.leg });
    }
    const b = ctx.ledger.batch();
    this.docs.remove(b, id);
    b.log({ time: ctx.time.now(), operator: by, action: 'wakeup-cancelled', numbers: [rec.extension], result: 'ok', detail: { wakeup: id, time: rec.time } });
    await ctx.ledger.commit(b);
  }

  /** *57 from a room: every booking of that extension; how many there were */
  async cancelAllOf(extension: string, by: string): Promise<number> {
    const mine = [...this.docs.items.values()].filter((w) => w.extension === extension);
    for (const w of mine) await this.cancel(w.id, by);
    return mine.length;
  }

  // ----- ARI events of the room's leg (routed by the switchboard through the operations) -----

  /** StasisStart of `@wakeup,<id>`: the room answered; it hears the announcement */
  answered(leg: string, id: string): void {
    const { ctx } = this;
    const rec = this.docs.items.get(id);
    if (rec?.status !== 'ringing' || rec.leg !== leg) {
      bestEffort(ctx, 'hang up late wake-up leg', ctx.ari.hangup(leg), { leg });
      return;
    }
    this.playing.set(leg, id);
    this.guards.at(leg, ctx.time.now() + PLAY_GUARD_MS, () => this.heard(leg));
    ctx.ari.play(leg, ctx.config.wakeup.sound, `${leg}-play`).catch((err: Error) => {
      ctx.log.warn({ leg, err: err.message }, 'wake-up announcement failed');
      this.heard(leg);
    });
  }

  /** PlaybackFinished on a channel; true when it was a wake-up announcement */
  playbackFinished(channelId: string): boolean {
    if (!this.playing.has(channelId)) return false;
    this.heard(channelId);
    return true;
  }

  /** StasisEnd: a room that hangs up during the announcement was woken all the same */
  channelLeft(channelId: string): boolean {
    const id = this.playing.get(channelId);
    if (id === undefined) return false;
    void this.outcome(id, channelId, 'answered');
    return true;
  }

  /** ChannelDestroyed of a leg that never answered */
  legDestroyed(leg: string, cause: number): void {
    if (this.playing.has(leg)) return;
    const rec = [...this.docs.items.values()].find((w) => w.status === 'ringing' && w.leg === leg);
    if (rec) void this.outcome(rec.id, leg, wakeupOutcome(cause));
  }

  /** after a start or a reconnect: timers for every booking; an attempt a previous run left ringing is over */
  rearm(): void {
    for (const rec of [...this.docs.items.values()]) {
      if (rec.status === 'scheduled' && !this.due.has(rec.id)) this.arm(rec);
      if (rec.status === 'ringing' && rec.leg && !this.guards.has(rec.leg)) {
        bestEffort(this.ctx, 'hang up wake-up leg of a previous run', this.ctx.ari.hangup(rec.leg), { leg: rec.leg });
        void this.outcome(rec.id, rec.leg, 'interrupted');
      }
    }
  }

  stop(): void {
    this.due.stop();
    this.guards.stop();
    this.playing.clear();
  }

  // ----- the attempts ---------------------------------------------------------------------------

  private arm(rec: WakeupCall): void {
    this.due.at(rec.id, rec.next, () => { void this.attempt(rec.id); });
  }

  private async attempt(id: string): Promise<void> {
    const { ctx } = this;
    const rec = this.docs.items.get(id);
    if (rec?.status !== 'scheduled') return;
    const cfg = ctx.config.wakeup;
    const attempt = rec.attempts + 1;
    const now = ctx.time.now();
    // unique across days: a daily booking's attempt 1 comes back every morning
    const leg = ctx.ids.channel('wakeup', `${id}-a${attempt}`);
    const b = ctx.ledger.batch();
    this.docs.put(b, id, { ...rec, status: 'ringing', attempts: attempt, leg });
    b.log({ time: now, operator: 'system', action: 'wakeup-attempt', numbers: [rec.extension], result: 'ringing', detail: { wakeup: id, attempt: String(attempt) } });
    this.guards.at(leg, now + cfg.ringSeconds * 1000 + GUARD_MS, () => {
      bestEffort(ctx, 'hang up unanswered wake-up', ctx.ari.hangup(leg, 'no_answer'), { leg });
      void this.outcome(id, leg, 'no-answer');
    });
    await ctx.ledger.commit(b);
    ctx.log.info({ wakeup: id, extension: rec.extension, attempt }, 'wake-up call ringing');
    try {
      await ctx.ari.originate({ endpoint: dialString(ctx.config, rec.extension), channelId: leg, appArgs: [WAKEUP_ARG, id], callerId: cfg.callerName, timeout: cfg.ringSeconds, reported: ctx.routes.reportedOf(leg) });
    } catch (err) {
      ctx.log.warn({ wakeup: id, extension: rec.extension, err: (err as Error).message }, 'wake-up originate failed');
      await this.outcome(id, leg, 'failed');
    }
  }

  /** the announcement was played (or could not be): the room hangs up, the booking is done */
  private heard(leg: string): void {
    const id = this.playing.get(leg);
    if (id === undefined) return;
    bestEffort(this.ctx, 'hang up woken room', this.ctx.ari.hangup(leg), { leg });
    void this.outcome(id, leg, 'answered');
  }

  /** how an attempt ended: done, tried again later, or (the last one) the desk is told */
  private async outcome(id: string, leg: string, result: Result): Promise<void> {
    const { ctx } = this;
    const rec = this.docs.items.get(id);
    if (rec?.status !== 'ringing' || rec.leg !== leg) return;
    this.guards.cancel(leg);
    this.playing.delete(leg);
    const cfg = ctx.config.wakeup;
    const now = ctx.time.now();
    const b = ctx.ledger.batch();
    b.log({ time: now, operator: 'system', action: 'wakeup-result', numbers: [rec.extension], result, detail: { wakeup: id, attempt: String(rec.attempts) } });
    const failed = result !== 'answered' && rec.attempts >= cfg.attempts;
    if (result !== 'answered' && !failed) {
      // attempts keep their rhythm (07:00, 07:05, ...) however long each one rang
      const retry: WakeupCall = { ...rec, status: 'scheduled', next: Math.max(now, rec.next + cfg.retryAfter * 1000), lastResult: result };
      delete retry.leg;
      this.docs.put(b, id, retry);
      this.arm(retry);
    } else {
      if (failed) b.log({ time: now, operator: 'system', action: 'wakeup-failed', numbers: [rec.extension], result: `queue:${wakeupGroup(ctx.config)}`, detail: { wakeup: id, attempts: String(rec.attempts) } });
      this.endRound(b, rec, result);
    }
    await ctx.ledger.commit(b);
    ctx.log.info({ wakeup: id, extension: rec.extension, attempt: rec.attempts, result }, 'wake-up attempt ended');
    if (failed) await this.alertDesk(rec);
  }

  /** a daily booking waits for tomorrow's time; a single one is over */
  private endRound(b: Batch, rec: WakeupCall, result: Result): void {
    if (!rec.daily) {
      this.docs.remove(b, rec.id);
      this.due.cancel(rec.id);
      return;
    }
    const slot = nextWakeupAt(rec.time, siteTimezone(this.ctx.config), this.ctx.time.now());
    const next: WakeupCall = { ...rec, status: 'scheduled', slot, next: slot, attempts: 0, lastResult: result };
    delete next.leg;
    this.docs.put(b, rec.id, next);
    this.arm(next);
  }

  /** a call to the desk about the room that did not wake: it waits and is presented like any caller */
  private async alertDesk(rec: WakeupCall): Promise<void> {
    const { ctx } = this;
    const group = wakeupGroup(ctx.config);
    // a caller like any other once it is in the app
    const channelId = ctx.ids.channel('caller', `${rec.id}-x`);
    try {
      await ctx.ari.originate({
        endpoint: `Local/${rec.extension}@${WAKEUP_ALERT_CONTEXT}`, channelId, appArgs: [WAKEUP_FAILED_CLASS, group, rec.extension],
        callerId: `"Wake-up ${rec.extension}" <${rec.extension}>`,
      });
    } catch (err) {
      ctx.log.error({ wakeup: rec.id, extension: rec.extension, err: (err as Error).message }, 'cannot present the failed wake-up to the desk');
      const b = ctx.ledger.batch().log({ time: ctx.time.now(), operator: 'system', action: 'wakeup-alert', numbers: [rec.extension], result: 'failed', detail: { wakeup: rec.id } });
      await ctx.ledger.commit(b);
    }
  }
}

/** a room's try that ended unanswered: busy and no answer are retried as such, anything else failed */
function wakeupOutcome(cause: number): 'busy' | 'no-answer' | 'failed' {
  const why = unansweredReason(cause);
  return why === 'busy' || why === 'no-answer' ? why : 'failed';
}
