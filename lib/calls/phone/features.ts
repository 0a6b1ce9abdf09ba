// Feature codes dialled from an attendant set: the dialplan runs Stasis(attendant,feature,<name>[,<arg>...]).
// The set is known by its endpoint (the configured `device`). A position key (log in / out, DND,
// back from absent, the group's mode) goes through the same switchboard methods as the console's;
// the set hears a confirmation or an error sound and the feature call is hung up. A pick-up (the
// queue, a park slot, a held call) uses the feature call itself as the attendant's answered leg:
// the set talks to the caller at once, on the presenter's usual hand-over.
import type { ChannelInfo } from '../../asterisk/port.ts';
import { FEATURE_NAMES, MODES, type FeatureName, type GroupConfig, type Mode } from '../../config.ts';
import { isLoggedIn } from '../../domain/attendant.ts';
import type { CallRecord } from '../../domain/model.ts';
import { effectiveMode } from '../../domain/table.ts';
import { OperationError } from '../operations-port.ts';
import { HOLD_SLOTS } from '../ops/hold.ts';
import { PARK_SLOTS } from '../ops/park.ts';
import type { PhoneDeps } from './deps.ts';

/** first Stasis argument of a feature call */
export const FEATURE_ARG = 'feature';

/** features only a BLF key dials (its hint extension names the group): no code of their own */
const KEY_FEATURES = ['night-toggle'] as const;
export type PhoneFeature = FeatureName | (typeof KEY_FEATURES)[number];
const PHONE_FEATURES: ReadonlySet<string> = new Set<string>([...FEATURE_NAMES, ...KEY_FEATURES]);

/** the digit after the mode code: 0 back to the schedule, then day, night, mode 1, mode 2 */
const MODE_DIGITS: Readonly<Record<string, Mode | 'schedule'>> = { 0: 'schedule', 1: 'day', 2: 'night', 3: 'mode1', 4: 'mode2' };

/** done: confirm and hang up; taken: the channel went on (an answered leg, the dialplan) */
type Outcome = 'done' | 'taken';

const DIALLABLE = /^[0-9*#+]{1,32}$/;

export class FeatureCodes {
  /** the caller last presented to or answered by each attendant (call back) */
  private readonly lastCaller = new Map<string, string>();
  /** feature calls offered as an answered leg while their operation runs, by channel */
  private readonly offered = new Map<string, string>();

  constructor(private readonly d: PhoneDeps) {}

  /** StasisStart of a feature call; false when the feature is not an attendant set's (room phones' features) */
  arrive(channel: ChannelInfo, args: string[]): boolean {
    // Stasis(attendant,feature,${ARG1},${ARG2}) passes an empty ARG2 when there is none
    const [name, ...rest] = args.filter((a) => a !== '');
    if (name === undefined || !PHONE_FEATURES.has(name)) return false;
    void this.run(channel.id, this.d.sets.attendantOf(channel)?.id, name as PhoneFeature, rest);
    return true;
  }

  /** a call reached an attendant: the one its call-back code dials */
  noteCall(call: CallRecord): void {
    if ((call.state === 'ringing' || call.state === 'talking') && call.attendant) this.lastCaller.set(call.attendant, call.callerNumber);
  }

  private async run(channelId: string, attendantId: string | undefined, name: PhoneFeature, args: string[]): Promise<void> {
    const { ctx, feedback } = this.d;
    try {
      await ctx.ari.answer(channelId);
    } catch (err) {
      ctx.log.info({ channel: channelId, feature: name, err: (err as Error).message }, 'feature call gone before it was answered');
      return;
    }
    let outcome: Outcome;
    try {
      if (!attendantId) throw new OperationError('unknown_attendant', 'the channel is not an attendant set');
      outcome = await this.perform(channelId, attendantId, name, args);
    } catch (err) {
      ctx.log.info({ channel: channelId, attendant: attendantId, feature: name, args, err: (err as Error).message }, 'feature code refused');
      feedback.finish(channelId, false);
      return;
    }
    ctx.log.info({ channel: channelId, attendant: attendantId, feature: name, args, outcome }, 'feature code');
    if (outcome === 'done') feedback.finish(channelId, true);
  }

  private async perform(channelId: string, att: string, name: PhoneFeature, args: string[]): Promise<Outcome> {
    const { desk, ops } = this.d;
    switch (name) {
      case 'login':
        await desk.login(att);
        return 'done';
      case 'logout':
        this.requireFree(att);
        await desk.attendantAction(att, { type: 'logout' });
        return 'done';
      case 'dnd-on':
        await desk.attendantAction(att, { type: 'dnd', on: true });
        return 'done';
      case 'present':
        // DND off; the key press itself brings an absent attendant back
        if (!isLoggedIn(this.attendant(att))) throw new OperationError('invalid_state', `attendant "${att}" is not logged in`);
        await desk.attendantAction(att, { type: 'dnd', on: false });
        return 'done';
      case 'mode':
        await this.switchMode(att, args[0], args[1]);
        return 'done';
      case 'night-toggle':
        await this.toggleNight(att, args[0]);
        return 'done';
      case 'queue-pickup':
        return this.offHook(channelId, att, () => this.pickupQueue(att, args[0]));
      case 'park-retrieve':
        return this.offHook(channelId, att, () => ops.pickupParked(att, slotOf(args[0], PARK_SLOTS)));
      case 'retrieve':
        return this.offHook(channelId, att, () => ops.retrieve(att, args[0] ? slotOf(args[0], HOLD_SLOTS) : this.firstHeldSlot(att)));
      case 'callback':
        await this.callBack(channelId, att);
        return 'taken';
    }
  }

  private attendant(id: string) {
    const a = this.d.ctx.ledger.attendants.get(id);
    if (!a) throw new OperationError('unknown_attendant', `unknown attendant "${id}"`);
    return a;
  }

  /** logging out in the middle of a call would orphan it */
  private requireFree(att: string): void {
    const a = this.attendant(att);
    if (a.state === 'busy' || a.state === 'ringing') throw new OperationError('invalid_state', `attendant "${att}" is ${a.state}`);
  }

  private requireSupervisor(att: string): void {
    if (!this.d.ctx.attendantConfig(att)?.supervisor) throw new OperationError('invalid_state', `"${att}" is not a supervisor's set`);
  }

  /** the group named by the key, else the first group the attendant is a member of */
  private groupFor(att: string, groupId: string | undefined): GroupConfig {
    const { ctx } = this.d;
    const g = groupId !== undefined ? ctx.groupConfig(groupId) : ctx.config.groups.find((x) => x.members.includes(att));
    if (!g) throw new OperationError('invalid_target', groupId !== undefined ? `unknown group "${groupId}"` : `"${att}" is in no group`);
    return g;
  }

  private async switchMode(att: string, key: string | undefined, groupId: string | undefined): Promise<void> {
    this.requireSupervisor(att);
    const mode = key === undefined ? undefined : MODE_DIGITS[key] ?? ((MODES as readonly string[]).includes(key) || key === 'schedule' ? key as Mode | 'schedule' : undefined);
    if (!mode) throw new OperationError('invalid_target', `"${key ?? ''}" is not a mode`);
    const g = this.groupFor(att, groupId);
    if (mode !== 'schedule' && mode !== 'day' && !g.table[mode]) throw new OperationError('invalid_target', `group "${g.id}" has no ${mode} destination`);
    await this.d.desk.setGroupOverride(g.id, mode === 'schedule' ? undefined : mode, att);
  }

  /** the night key: forced night goes back to the schedule; night by the schedule is forced to day; otherwise night */
  private async toggleNight(att: string, groupId: string | undefined): Promise<void> {
    const { ctx, desk } = this.d;
    this.requireSupervisor(att);
    const g = this.groupFor(att, groupId);
    const rec: { override?: Mode } = ctx.ledger.groups.get(g.id) ?? {};
    if (rec.override === 'night') return desk.setGroupOverride(g.id, undefined, att);
    if (effectiveMode(g, rec, ctx.time.now()) === 'night') return desk.setGroupOverride(g.id, 'day', att);
    if (!g.table.night) throw new OperationError('invalid_target', `group "${g.id}" has no night destination`);
    return desk.setGroupOverride(g.id, 'night', att);
  }

  /** the next call of my groups, or the longest-waiting one of the group a BLF key names */
  private pickupQueue(att: string, groupId: string | undefined): Promise<string> {
    const { ctx, ops } = this.d;
    if (groupId === undefined) return ops.answerWaiting(att);
    if (!ctx.groupConfig(groupId)) throw new OperationError('invalid_target', `unknown group "${groupId}"`);
    const first = (ctx.ledger.queues.get(groupId) ?? []).find((id) => ctx.ledger.calls.get(id)?.state === 'waiting');
    if (!first) throw new OperationError('not_found', `no call is waiting for "${groupId}"`);
    return ops.answerWaiting(att, first);
  }

  private firstHeldSlot(att: string): number {
    const slots = [...this.d.ctx.ledger.calls.values()].flatMap((c) => (c.state === 'held' && c.attendant === att ? [c.slot] : []));
    if (!slots.length) throw new OperationError('slot_empty', `"${att}" holds no call`);
    return Math.min(...slots);
  }

  /**
   * Offer the feature call as the answered leg of the presentation the operation makes. Refused and
   * still unused, the error propagates (error tone); used by a presentation anyway, the set talks.
   */
  private async offHook(channelId: string, att: string, op: () => Promise<unknown>): Promise<Outcome> {
    const { presenter } = this.d;
    presenter.offerOffHookLeg(att, channelId);
    this.offered.set(channelId, att);
    try {
      await op();
    } catch (err) {
      if (presenter.withdrawOffHookLeg(att, channelId)) throw err;
      return 'taken';
    } finally {
      this.offered.delete(channelId);
    }
    return presenter.withdrawOffHookLeg(att, channelId) ? 'done' : 'taken';
  }

  /** the feature call left: an offer not taken yet is withdrawn */
  left(channelId: string): void {
    const att = this.offered.get(channelId);
    if (att !== undefined) this.d.presenter.withdrawOffHookLeg(att, channelId);
  }

  /** the set's own call dials the last caller in the sets' context, as if keyed by hand */
  private async callBack(channelId: string, att: string): Promise<void> {
    const { ctx } = this.d;
    this.attendant(att);
    const number = this.lastCaller.get(att);
    if (!number || !DIALLABLE.test(number)) throw new OperationError('not_found', `no caller to call back for "${att}"`);
    await ctx.ari.continueInDialplan(channelId, { context: ctx.config.phone.callbackContext, extension: number, priority: 1 });
    await ctx.ledger.commit(ctx.ledger.batch().log({ time: ctx.time.now(), operator: att, action: 'callback', numbers: [number], result: 'dialled' }));
  }
}

function slotOf(arg: string | undefined, max: number): number {
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new OperationError('invalid_target', `"${arg ?? ''}" is not a slot (1-${max})`);
  return n;
}
