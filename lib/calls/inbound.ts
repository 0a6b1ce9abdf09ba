// A call the dialplan hands to Stasis(attendant,<class>,<group>): route it by the group's
// distribution table, let it wait (music in the group's holding bridge, or ringback), overflow it,
// connect it to the attendant who answers, and release both sides when either hangs up.
import { performance } from 'node:perf_hooks';
import { isBridgeGone, isChannelGone, isUnreachable, type ChannelInfo } from '../asterisk/port.ts';
import type { Destination } from '../config.ts';
import { admitArrival, admitQueued, newLogGate, passLogGate, shedDestination, type AdmissionLimits, type ShedReason } from '../domain/admission.ts';
import type { TimerHandle } from '../domain/clock.ts';
import type { CallRecord } from '../domain/model.ts';
import {
  attendantLegOf, attendantOf, bridged, consultLegOf, end, holdBridgeOf, holdSlotOf, newCall, overflow as overflowTo, parkSlotOf,
  talkBridgeOf, transferLegOf, waitBridgeOf, type DndFields, type RingingCall, type WaitingCall,
} from '../domain/call.ts';
import { followRoute, overflowDecision, overflowDue } from '../domain/table.ts';
import { groupMembers } from '../domain/group.ts';
import type { AttendantDesk } from './attendants.ts';
import { bestEffort, callerTarget, ensureBridge, releaseChannel, type CallContext } from './context.ts';
import type { Batch } from './ledger.ts';
import type { CallBridging, Presenter } from './presenter.ts';
import { SerialRunner } from './serial.ts';

/** dialplan contexts the controller sends calls to (dialplan/extensions_attendant.conf defines them) */
export const VOICEMAIL_CONTEXT = 'attendant-voicemail';
export const ANNOUNCEMENT_CONTEXT = 'attendant-announcement';
/** the channel variable [attendant-announcement] plays (dialplan/extensions_attendant.conf) */
export const ANNOUNCEMENT_SOUND_VARIABLE = 'ATT_SOUND';

/** a divert Asterisk refuses is tried this many times, 1 s, 2 s, 4 s apart, before the caller is hung up */
const DIVERT_ATTEMPTS = 4;
const DIVERT_RETRY_MS = 1000;
/** after Asterisk did not answer a step, how long before the link is looked at (a reconnect takes longer) */
const UNREACHABLE_CHECK_MS = 3000;
/** bridging a caller with the attendant who answered is tried this many times (a new bridge each) */
const CONNECT_ATTEMPTS = 3;
/** ms of arrivals handled per event-loop turn: past it the rest wait for the next turn, so the events of calls
 * already taken (answers, hang-ups) are not starved by new ones, and an overload shows as a backlog */
const ARRIVALS_BUDGET_MS = 2;
/** at most one "callers handed back" line in this long (the metric counts each) */
const SHED_LOG_INTERVAL_MS = 10_000;

/** a caller's StasisStart not yet handled */
interface Arrival {
  channel: ChannelInfo;
  args: string[];
  receivedAt: number;
}

export type CallEndReason = 'abandoned' | 'completed' | 'completed-transfer' | 'diverted' | 'fallback' | 'lost';

export class Inbound implements CallBridging {
  readonly serial = new SerialRunner();
  private readonly overflowTimers = new Map<string, TimerHandle>();
  private readonly waitBridges = new Map<string, Promise<string>>();
  /** callers this run answered (waiting with music): the others are answered as they are connected */
  private readonly answered = new Set<string>();
  /** callers hearing ringback while a set rings for them (presented at once): answered into music if they come to wait */
  private readonly rung = new Set<string>();
  /** callers this run ended or is sending away whose channel may still be listed: never adopted again */
  private readonly closing = new Set<string>();
  /** observers of finished calls (statistics) */
  onCallEnded?: (call: CallRecord, b: Batch) => void;
  /** what a service knows about an arriving call from its Stasis args (a dnd call: the extension, who set DND) */
  describeArrival?: (args: string[]) => DndFields;
  /** a caller handed back by admission control (metrics) */
  onShed?: (group: string, reason: ShedReason) => void;
  /** a caller queued on arrival, told as its StasisStart is handled (metrics: the decision latency) */
  onQueued?: (callId: string) => void;
  /** callers handed back by admission control since start */
  shedCount = 0;
  /** the most callers the backlog ever held at once */
  peakBacklog = 0;
  private readonly limits: AdmissionLimits;
  /** the backlog of callers received and not yet handled, oldest first (from `intakeHead`) */
  private intake: Arrival[] = [];
  private intakeHead = 0;
  /** ids in the backlog still to handle (a caller who hangs up meanwhile is taken out) */
  private readonly intakeIds = new Set<string>();
  private drainQueued = false;
  private spentMs = 0;
  private shedGate = newLogGate();

  constructor(private readonly ctx: CallContext, private readonly desk: AttendantDesk, private readonly presenter: Presenter) {
    presenter.bridging = this;
    const a = ctx.config.admission;
    this.limits = { backlog: a.backlog, maxWaitMs: a.maxWait * 1000, storeBacklog: a.storeBacklog };
  }

  /** callers received and not yet handled */
  get backlog(): number {
    return this.intakeIds.size;
  }

  /**
   * StasisStart of a caller from Asterisk: into the backlog of calls not yet handled, which is handled
   * in this turn while the turn's budget lasts; a full backlog hands the caller back at once.
   */
  receive(channel: ChannelInfo, args: string[]): void {
    if (this.ctx.ledger.calls.has(channel.id) || this.intakeIds.has(channel.id)) return;
    this.ctx.routes.takeChannel(channel.id, { owner: 'caller', callId: channel.id });
    const { ledger } = this.ctx;
    const verdict = admitArrival(this.backlog, this.limits, ledger.storeAvailable ? ledger.backlog : undefined);
    if (!verdict.admit) {
      this.shed(channel, args, verdict.reason);
      return;
    }
    this.intake.push({ channel, args, receivedAt: this.ctx.time.now() });
    this.intakeIds.add(channel.id);
    if (this.intakeIds.size > this.peakBacklog) this.peakBacklog = this.intakeIds.size;
    if (!this.drainQueued) {
      this.drainQueued = true;
      queueMicrotask(() => this.drain());
    }
  }

  /** handle the backlog, oldest first, until this turn's budget is spent; the rest in the next turn */
  private drain(): void {
    this.drainQueued = false;
    const { ctx } = this;
    while (this.intakeHead < this.intake.length) {
      if (this.spentMs >= ARRIVALS_BUDGET_MS) {
        this.drainQueued = true;
        setImmediate(() => this.drain());
        return;
      }
      const a = this.intake[this.intakeHead]!;
      this.intake[this.intakeHead++] = undefined as unknown as Arrival;
      if (!this.intakeIds.delete(a.channel.id)) continue; // hung up meanwhile
      const t0 = performance.now();
      if (this.spentMs === 0) setImmediate(() => { this.spentMs = 0; });
      const verdict = admitQueued(a.receivedAt, ctx.time.now(), this.intakeIds.size + 1, this.limits);
      if (verdict.admit) this.arrive(a.channel, a.args);
      else this.shed(a.channel, a.args, verdict.reason);
      this.spentMs += performance.now() - t0 || 0.001;
    }
    this.intake = [];
    this.intakeHead = 0;
  }

  /**
   * Admission control: the caller goes back to its group's fallback destination, else the dialplan's
   * own fallback (after Stasis()), at once; counted, and said in one log line per interval.
   */
  private shed(channel: ChannelInfo, args: string[], reason: ShedReason): void {
    const { ctx } = this;
    const g = ctx.groupConfig(args[1] ?? '') ?? ctx.config.groups[0];
    const group = g?.id ?? 'other';
    const dest = shedDestination(g, ctx.groupConfig);
    this.markClosing(channel.id);
    this.shedCount++;
    this.onShed?.(group, reason);
    const gate = passLogGate(this.shedGate, ctx.time.now(), SHED_LOG_INTERVAL_MS);
    this.shedGate = gate.gate;
    if (gate.log) {
      ctx.log.warn({
        reason, group, callers: gate.count, backlog: this.backlog, limit: this.limits.backlog, maxWaitMs: this.limits.maxWaitMs, storeBacklog: ctx.ledger.backlog,
        destination: dest ?? 'dialplan fallback', total: this.shedCount,
      }, 'overload: callers handed back to the dialplan');
    }
    void this.sendTo(channel.id, dest, `overload:${reason}`, 1, true);
  }

  /** StasisStart of a caller: args are [class, target group]. `arrivedAt` for a caller adopted after a restart. */
  arrive(channel: ChannelInfo, args: string[], arrivedAt?: number): void {
    const { ctx } = this;
    if (ctx.ledger.calls.has(channel.id)) return; // replayed event after a reconnect
    ctx.routes.takeChannel(channel.id, { owner: 'caller', callId: channel.id });
    const now = arrivedAt ?? ctx.time.now();
    const { cls, requested, group: start } = callerTarget(ctx, args);
    if (start !== requested) ctx.log.warn({ callId: channel.id, target: requested, group: start }, 'unknown target group, using the first group');
    const route = followRoute(start, (gid) => {
      const g = ctx.groupConfig(gid);
      const rec = ctx.ledger.groups.get(gid);
      if (!g) return undefined;
      return { group: g, record: rec ?? {}, members: groupMembers(g.members, ctx.ledger.attendants), queueLength: this.stillWaiting(gid) };
    }, now);

    const group = route.kind === 'queue' ? route.group : start;
    const call = newCall({
      id: channel.id, callClass: cls.id, priority: cls.priority, group, callerNumber: channel.caller.number, callerName: channel.caller.name,
      target: requested, arrivedAt: now, ...this.describeArrival?.(args),
      // where it will wait is known now: written with the arrival rather than in a write of its own
      ...(route.kind === 'queue' && ctx.groupConfig(group)?.waiting !== 'ringback' ? { waitBridge: ctx.ids.waitBridge(group) } : {}),
    });
    const b = ctx.ledger.batch();
    b.log({ time: now, operator: 'system', action: 'arrive', callId: call.id, numbers: [call.callerNumber], result: route.kind === 'queue' ? `queue:${route.group}` : `divert:${route.reason}`, detail: { class: cls.id, mode: route.mode } });
    ctx.log.info({ callId: call.id, class: cls.id, group: call.group, route: route.kind, reason: route.reason, mode: route.mode }, 'call arrived');

    if (route.kind === 'divert') {
      this.markClosing(call.id);
      this.onCallEnded?.(end(call, `divert:${route.reason}`, now), b);
      void ctx.ledger.commit(b);
      void this.serial.run(call.id, () => this.sendTo(call.id, route.destination, route.reason));
      return;
    }

    b.putCall(call);
    b.enqueue(call.group, call);
    this.checkOverflowOnArrival(b, call);
    this.onQueued?.(call.id);
    // the presentation first: the dispatch (a microtask queued now, or earlier in this turn) originates to
    // the set, then the arrival's observers and write follow (memory has it at once); the caller's own
    // steps (ringback, or answer and music), queued after it, wait for the set to ring, so they never
    // compete with its INVITE for Asterisk's time
    this.presenter.requestDispatch();
    void ctx.ledger.commitAfterOriginates(b);
    void this.serial.run(call.id, () => this.presenter.rang(call.id).then(() => this.startWaiting(call)));
    this.armOverflowTimer(ctx.ledger.calls.get(call.id)!);
  }

  /** a waiting caller found outside its holding bridge after a restart: back to the music */
  resumeWaiting(call: CallRecord): void {
    void this.serial.run(call.id, () => this.startWaiting(call));
  }

  /** calls of a group's queue no attendant is being presented yet (maxQueue counts these) */
  private stillWaiting(groupId: string): number {
    const { ledger } = this.ctx;
    return (ledger.queues.get(groupId) ?? []).filter((id) => ledger.calls.get(id)?.state !== 'ringing').length;
  }

  /**
   * What the caller hears until an attendant answers. A caller a set is ringing for (presented at once)
   * hears ringback and is not answered yet: as with a PBX attendant, nothing is charged before the
   * attendant answers, and Asterisk's work for the caller (answer, media, music) does not compete with
   * the set's INVITE. A caller who waits in the queue is answered into the group's music (or hears
   * ringback, in a group that waits so).
   */
  private async startWaiting(call: CallRecord): Promise<void> {
    const { ctx } = this;
    const current = ctx.ledger.calls.get(call.id);
    // ended meanwhile, or already taken (a set that answers at once): the connect answers it
    if (!current || (current.state !== 'waiting' && current.state !== 'ringing')) return;
    const g = ctx.groupConfig(current.group);
    try {
      if (g?.waiting === 'ringback') {
        await ctx.ari.ring(call.id);
      } else if (current.state === 'ringing' && !this.answered.has(call.id)) {
        this.rung.add(call.id);
        await ctx.ari.ring(call.id);
      } else {
        this.rung.delete(call.id);
        await ctx.ari.answer(call.id);
        this.answered.add(call.id);
        const bridge = await this.waitBridge(current.group);
        await this.addToWaitBridge(bridge, current);
      }
    } catch (err) {
      this.ariFailed(call.id, 'start waiting', err);
    }
  }

  /**
   * After each presentation pass: a caller that was hearing ringback and is now waiting in the queue
   * (its set did not answer, and nobody else is free) is answered into its group's music.
   */
  presentationsSettled(): void {
    const { ledger } = this.ctx;
    for (const id of this.rung) {
      const call = ledger.calls.get(id);
      if (call?.state === 'ringing') continue;
      this.rung.delete(id);
      if (call?.state === 'waiting') void this.serial.run(id, () => this.startWaiting(call));
    }
  }

  /** a caller whose channel Asterisk lists as up (a restart): answered before, its music or ringback is behind it */
  adoptAnswered(callId: string): void {
    this.answered.add(callId);
    this.rung.delete(callId);
  }

  /** a caller found outside any bridge while a set rings for it (a restart): it hears ringback */
  adoptRung(callId: string): void {
    if (!this.answered.has(callId)) this.rung.add(callId);
  }

  /** this run answered the caller (it waits or waited with music) */
  wasAnswered(callId: string): boolean {
    return this.answered.has(callId);
  }

  private async addToWaitBridge(bridge: string, call: CallRecord): Promise<void> {
    const { ctx } = this;
    try {
      await ctx.ari.addChannel(bridge, [call.id], 'participant');
    } catch (err) {
      // the bridge vanished (Asterisk restarted): make it again once; a caller gone answers 400 / 422
      if (!isBridgeGone(err) || !ctx.ledger.calls.has(call.id)) throw err;
      this.waitBridges.delete(call.group);
      await ctx.ari.addChannel(await this.waitBridge(call.group), [call.id], 'participant');
    }
    const current = ctx.ledger.calls.get(call.id);
    if ((current?.state === 'waiting' || current?.state === 'ringing') && current.waitBridge !== bridge) {
      const b = ctx.ledger.batch().putCall({ ...current, waitBridge: bridge });
      await ctx.ledger.commit(b);
    }
  }

  /** one holding bridge per group, with the group's music, made once */
  private waitBridge(groupId: string): Promise<string> {
    let p = this.waitBridges.get(groupId);
    if (!p) {
      const { ctx } = this;
      const g = ctx.groupConfig(groupId);
      const music = g && g.waiting !== 'ringback' ? g.waiting.music : 'default';
      p = (async () => {
        const bridge = await ensureBridge(ctx, 'holding', ctx.ids.waitBridge(groupId));
        await ctx.ari.bridgeStartMoh(bridge, music);
        return bridge;
      })();
      p.catch(() => this.waitBridges.delete(groupId));
      this.waitBridges.set(groupId, p);
    }
    return p;
  }

  /** ARI steps for this caller are queued or running */
  isBusy(callId: string): boolean {
    return this.serial.has(callId);
  }

  /** the call was ended (or diverted) by this run: its channel, if still listed, is on its way out */
  isClosing(channelId: string): boolean {
    return this.closing.has(channelId);
  }

  /** StasisEnd of a channel: it is gone for good (a caller still in the backlog is not handled) */
  forget(channelId: string): void {
    this.closing.delete(channelId);
    this.intakeIds.delete(channelId);
    this.answered.delete(channelId);
    this.rung.delete(channelId);
  }

  private markClosing(callId: string): void {
    this.closing.add(callId);
    // bounded: an end whose StasisEnd was missed must not leak forever
    if (this.closing.size > 10_000) this.closing.delete(this.closing.values().next().value!);
  }

  /** forget wait bridges (Asterisk restarted or reconnected): they are made again when needed */
  resetBridges(): void {
    this.waitBridges.clear();
  }

  /** The attendant answered: caller and attendant leg into one mixing bridge. */
  connect(call: CallRecord, leg: string): Promise<boolean> {
    const { ctx } = this;
    let ok = false;
    return this.serial.run(call.id, async () => {
      const current = ctx.ledger.calls.get(call.id);
      if (!current || current.state !== 'talking' || current.leg !== leg) {
        bestEffort(ctx, 'hang up leg of a call that ended', ctx.ari.hangup(leg), { leg });
        return;
      }
      const g = ctx.groupConfig(current.group);
      // a refused step is tried again (a new bridge every time) before the caller is given up
      for (let attempt = 1; !ok; attempt++) {
        // a new bridge every time: the one of an earlier conversation may still be on its way out
        const bridgeId = ctx.ids.callBridge('call', call.id);
        try {
          ok = await this.bridgeCall(call, leg, bridgeId, current.holdBridge !== undefined || (g?.waiting !== 'ringback' && this.answered.has(call.id)));
          if (!ok) bestEffort(ctx, 'destroy call bridge of an ended call', ctx.ari.destroyBridge(bridgeId), { callId: call.id });
          return;
        } catch (err) {
          bestEffort(ctx, 'destroy call bridge of a failed connect', ctx.ari.destroyBridge(bridgeId), { callId: call.id });
          // a caller gone, or Asterisk not answering at all, is not helped by another try
          if (isChannelGone(err) || isUnreachable(err) || attempt >= CONNECT_ATTEMPTS || !ctx.ledger.calls.has(call.id)) {
            this.ariFailed(call.id, 'connect', err);
            return;
          }
          ctx.log.warn({ callId: call.id, attempt, err: (err as Error).message }, 'connect failed; trying again');
        }
      }
    }).then(() => ok);
  }

  /** one try at bridging caller and leg in `bridgeId`; false when the call ended meanwhile */
  private async bridgeCall(call: CallRecord, leg: string, bridgeId: string, callerAnswered: boolean): Promise<boolean> {
    const { ctx } = this;
    // the attendant's keypad commands need the set's DTMF: a native RTP bridge would carry it past Asterisk
    const make = ensureBridge(ctx, 'mixing', bridgeId, undefined, { dtmfEvents: ctx.config.phone.keypad.enabled });
    // a caller in a holding bridge (waiting with music, or held) is answered already: adding it to
    // the call bridge moves it there (Asterisk departs the old bridge first), no removeChannel needed
    const freeCaller = callerAnswered ? Promise.resolve() : ctx.ari.ringStop(call.id).then(() => ctx.ari.answer(call.id));
    await Promise.all([make, freeCaller]);
    this.rung.delete(call.id);
    this.answered.add(call.id);
    await ctx.ari.addChannel(bridgeId, [call.id, leg]);
    const now = ctx.ledger.calls.get(call.id);
    if (!now) return false;
    // the bridge it was talking in before (rebuilt after it lost a side) is done
    const oldTalk = talkBridgeOf(now);
    if (oldTalk && oldTalk !== bridgeId) bestEffort(ctx, 'destroy old call bridge', ctx.ari.destroyBridge(oldTalk), { callId: call.id });
    // a retrieved call came from its holding bridge: that bridge is done
    const hold = holdBridgeOf(now);
    if (hold) bestEffort(ctx, 'destroy hold bridge', ctx.ari.destroyBridge(hold), { callId: call.id });
    if (now.state === 'talking') await ctx.ledger.commit(ctx.ledger.batch().putCall(bridged(now, bridgeId)));
    return true;
  }

  /** StasisEnd of the caller. */
  callerLeft(callId: string, detail = 'caller hung up'): void {
    const call = this.ctx.ledger.calls.get(callId);
    if (!call || call.state === 'ended') return;
    const reason: CallEndReason = call.state === 'waiting' || call.state === 'ringing' ? 'abandoned' : 'completed';
    this.ctx.log.info({ callId, state: call.state, reason }, reason === 'abandoned' ? 'caller abandoned' : 'caller hung up');
    this.finish(callId, reason, detail);
  }

  /**
   * The caller's channel is gone and its StasisEnd was never seen (the controller was down or
   * disconnected): it hung up meanwhile, or Asterisk restarted and the call was lost.
   */
  callerGone(callId: string, asteriskRestarted: boolean, why: string): void {
    if (!asteriskRestarted) {
      this.callerLeft(callId, `caller hung up (seen after ${why})`);
      return;
    }
    this.ctx.log.warn({ callId }, 'call lost: Asterisk restarted');
    this.finish(callId, 'lost', `Asterisk restarted (seen after ${why})`);
  }

  /** StasisEnd of an attendant's answered leg: the attendant hung up, the caller is released. */
  attendantLeft(leg: string): void {
    // the routing table names the leg's call; a set's own channel (a pick-up) is looked for
    const owner = this.ctx.routes.channel(leg)?.callId;
    const named = owner !== undefined ? this.ctx.ledger.calls.get(owner) : undefined;
    const call = named && attendantLegOf(named) === leg ? named
      : [...this.ctx.ledger.calls.values()].find((c) => attendantLegOf(c) === leg);
    if (!call) return;
    bestEffort(this.ctx, 'hang up caller after attendant', this.ctx.ari.hangup(call.id), { callId: call.id });
    this.finish(call.id, 'completed', 'attendant hung up');
  }

  /** Close a call: stop presentations, free the attendant, leave the queues, end it in the store. */
  finish(callId: string, reason: CallEndReason, detail: string): void {
    const { ctx } = this;
    const call = ctx.ledger.calls.get(callId);
    if (!call || call.state === 'ended') return;
    this.markClosing(callId);
    const now = ctx.time.now();
    this.overflowTimers.get(callId)?.cancel();
    this.overflowTimers.delete(callId);
    const b = ctx.ledger.batch();
    this.presenter.stopPresentations(b, call, detail);
    const leg = attendantLegOf(call);
    const attendant = attendantOf(call);
    if (leg) {
      if (attendant) this.desk.apply(b, attendant, { type: 'callEnded', callId }, { callId });
      // tried again while Asterisk fails: the position is free now, its set must not stay on a dead call
      if (reason !== 'completed' || detail !== 'attendant hung up') releaseChannel(ctx, leg, 'hang up attendant leg');
    }
    for (const g of [call.group, ...call.alsoGroups]) b.dequeue(g, callId);
    const ended = end(call, reason, now);
    b.log({ time: now, operator: attendant ?? 'system', action: 'end', callId, numbers: [call.callerNumber], result: reason, detail: { detail } });
    ctx.log.info({
      callId, group: call.group, ...(attendant ? { attendant } : {}), class: call.callClass, reason, detail,
      waitedMs: (call.firstAnsweredAt ?? now) - call.arrivedAt, ...(call.firstAnsweredAt !== undefined ? { talkedMs: now - call.firstAnsweredAt } : {}),
    }, 'call ended');
    this.onCallEnded?.(ended, b);
    b.deleteCall(ended);
    const talkBridge = talkBridgeOf(call);
    const holdBridge = holdBridgeOf(call);
    const transferLeg = transferLegOf(call);
    const consultLeg = consultLegOf(call);
    if (talkBridge) bestEffort(ctx, 'destroy call bridge', ctx.ari.destroyBridge(talkBridge), { callId });
    if (holdBridge) bestEffort(ctx, 'destroy hold bridge', ctx.ari.destroyBridge(holdBridge), { callId });
    if (transferLeg) bestEffort(ctx, 'hang up transfer leg', ctx.ari.hangup(transferLeg), { leg: transferLeg });
    if (consultLeg) bestEffort(ctx, 'hang up consulted party', ctx.ari.hangup(consultLeg), { leg: consultLeg });
    void ctx.ledger.commit(b).then(() => {
      const touched = b.changes.flatMap((c) => (c.kind === 'attendant' ? [c.attendant] : []));
      this.desk.publishDeviceStates(touched);
    });
    this.presenter.requestDispatch();
  }

  // ----- overflow --------------------------------------------------------------------------

  private checkOverflowOnArrival(b: Batch, call: WaitingCall): void {
    const g = this.ctx.groupConfig(call.group);
    if (!g?.overflow) return;
    const queue = b.queue(call.group);
    const oldest = queue.length ? b.call(queue[0]!) : undefined;
    const now = this.ctx.time.now();
    const d = overflowDecision({ group: g, queueLength: queue.length, oldestWaitMs: oldest ? now - oldest.arrivedAt : 0, callWaitMs: 0 });
    if (d.overflow && d.to && d.reason === 'queue-length') this.overflow(b, call, d.to, d.mutualHelp ?? false, d.reason);
  }

  private armOverflowTimer(call: CallRecord): void {
    const g = this.ctx.groupConfig(call.group);
    if (!g || call.overflowedFrom) return;
    const due = overflowDue(g, call.arrivedAt);
    if (due === undefined) return;
    this.overflowTimers.set(call.id, this.ctx.time.schedule(Math.max(0, due - this.ctx.time.now()), () => {
      this.overflowTimers.delete(call.id);
      const current = this.ctx.ledger.calls.get(call.id);
      // re-check: it may have been answered or left meanwhile
      if (!current || current.overflowedFrom || holdSlotOf(current) !== undefined || parkSlotOf(current) !== undefined || (current.state !== 'waiting' && current.state !== 'ringing')) return;
      const b = this.ctx.ledger.batch();
      this.overflow(b, current, g.overflow!.to, g.overflow!.mutualHelp, 'wait');
      void this.ctx.ledger.commit(b);
      this.presenter.requestDispatch();
    }));
  }

  /**
   * Move a call to the overflow group. With mutual help it stays in its own queue too, so both
   * groups' attendants see it and whoever is free first takes it.
   */
  private overflow(b: Batch, call: WaitingCall | RingingCall, to: string, mutualHelp: boolean, reason: string): void {
    const { ctx } = this;
    const now = ctx.time.now();
    const moved = overflowTo(call, to, mutualHelp);
    if (!mutualHelp) {
      // the visit to the first group ends here (counted as overflowed out); the next visit starts
      this.onCallEnded?.(end(call, 'overflowed', now), b);
      b.dequeue(call.group, call.id);
      if (call.state === 'ringing') this.presenter.stopPresentations(b, call, 'overflow');
    }
    b.putCall(moved);
    b.enqueue(to, moved);
    b.log({ time: now, operator: 'system', action: 'overflow', callId: call.id, numbers: [call.callerNumber], result: to, detail: { from: call.group, reason, mutualHelp: String(mutualHelp) } });
    ctx.log.info({ callId: call.id, from: call.group, to, reason, mutualHelp }, 'overflow');
  }

  // ----- leaving the attendants ---------------------------------------------------------------

  /**
   * Send a caller out of Stasis to a destination of the table (night service, extension...). Asterisk
   * failing or slow for a while is retried with backoff; hanging up is the last resort.
   */
  private async sendTo(callId: string, dest: Destination | undefined, reason: string, attempt = 1, quiet = false): Promise<void> {
    const { ctx } = this;
    try {
      switch (dest?.type) {
        case undefined:
          // the dialplan's own fallback: on after Stasis() (attendant-enter goes to attendant-fallback)
          await ctx.ari.continueInDialplan(callId, {});
          break;
        case 'extension':
          await ctx.ari.continueInDialplan(callId, { context: dest.context ?? ctx.config.asterisk.context, extension: dest.number, priority: 1 });
          break;
        case 'voicemail':
          await ctx.ari.continueInDialplan(callId, { context: dest.context ?? VOICEMAIL_CONTEXT, extension: dest.mailbox, priority: 1 });
          break;
        case 'announcement':
          await ctx.ari.setVariable(callId, ANNOUNCEMENT_SOUND_VARIABLE, dest.sound);
          await ctx.ari.continueInDialplan(callId, { context: ANNOUNCEMENT_CONTEXT, extension: 's', priority: 1 });
          break;
        case 'dialplan':
          await ctx.ari.continueInDialplan(callId, { context: dest.context, extension: dest.extension, priority: dest.priority });
          break;
        case 'group':
          throw new Error('a group destination is a queue, not a diversion');
      }
      if (!quiet) ctx.log.info({ callId: callId, destination: dest, reason }, 'diverted');
    } catch (err) {
      const e = err as Error & { status?: number };
      // gone, or already out of Stasis (an earlier attempt that timed out went through after all)
      if (isChannelGone(e)) {
        if (!quiet) ctx.log.info({ callId: callId, err: e.message }, 'caller no longer ours to divert');
        return;
      }
      if (attempt < DIVERT_ATTEMPTS) {
        const delayMs = DIVERT_RETRY_MS * 2 ** (attempt - 1);
        ctx.log.warn({ callId: callId, destination: dest, reason, attempt, retryInMs: delayMs, err: e.message }, 'divert failed; retrying');
        ctx.time.schedule(delayMs, () => { void this.serial.run(callId, () => this.sendTo(callId, dest, reason, attempt + 1, quiet)); });
        return;
      }
      ctx.log.error({ callId: callId, destination: dest, reason, err: e.message }, 'divert failed; hanging up is the last resort');
      // tried again with back-off: a caller left up in Asterisk after its call was closed would be forgotten
      releaseChannel(ctx, callId, 'hang up undeliverable caller');
    }
  }

  /** Route a waiting caller to the group's fallback (presentation keeps failing, ARI errors). */
  divertToFallback(call: CallRecord, reason: string): void {
    const { ctx } = this;
    const g = ctx.groupConfig(call.group);
    const dest = g?.fallback ?? g?.table.night;
    if (!dest || dest.type === 'group') {
      ctx.log.error({ callId: call.id, reason }, 'no fallback destination configured; the call keeps waiting');
      return;
    }
    ctx.log.warn({ callId: call.id, reason, destination: dest }, 'sending the caller to the fallback');
    this.finish(call.id, 'fallback', reason);
    void this.serial.run(call.id, async () => {
      const waitBridge = waitBridgeOf(call);
      if (g?.waiting !== 'ringback' && waitBridge && this.answered.has(call.id)) await ctx.ari.removeChannel(waitBridge, [call.id]).catch(() => undefined);
      await this.sendTo(call.id, dest, reason);
    });
  }

  /** An ARI step for this caller failed: log it and route the caller to safety. */
  private ariFailed(callId: string, step: string, err: unknown): void {
    const { ctx } = this;
    const e = err as Error & { status?: number };
    const call = ctx.ledger.calls.get(callId);
    if (!call || call.state === 'ended') return;
    if (isChannelGone(e)) {
      // the caller's channel is gone: it hung up while we worked
      ctx.log.info({ callId, step }, 'caller channel gone');
      this.finish(callId, call.state === 'talking' ? 'completed' : 'abandoned', 'channel gone');
      return;
    }
    if (isUnreachable(e)) {
      // Asterisk went away mid-step (a crash, a restart, a cut link): the reconnect's reconcile finds
      // out what is left of the call. Once the link is checked: if it is up and nothing touched the
      // call since, the step really failed and the caller goes to the fallback after all
      ctx.log.warn({ callId, step, err: e.message }, 'Asterisk did not answer; the call is left as it is until the link is checked');
      ctx.time.schedule(UNREACHABLE_CHECK_MS, () => {
        if (ctx.ledger.calls.get(callId) !== call || !ctx.ari.isConnected()) return;
        ctx.log.error({ callId, step }, 'ARI step failed and the link is up');
        this.divertToFallback(call, `${step} failed`);
      });
      return;
    }
    ctx.log.error({ callId, step, status: e.status, err: e.message }, 'ARI step failed');
    this.divertToFallback(call, `${step} failed`);
  }

  /** overflow timers again after a restart */
  rearm(): void {
    for (const c of this.ctx.ledger.calls.values()) if (c.state === 'waiting' || c.state === 'ringing') this.armOverflowTimer(c);
  }

  stop(): void {
    for (const t of this.overflowTimers.values()) t.cancel();
    this.overflowTimers.clear();
    // callers not yet handled stay in Stasis: the next controller adopts them
    this.intakeIds.clear();
  }
}
