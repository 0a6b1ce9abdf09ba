// Presentation: choose who rings for each waiting call (hunting), ring the attendant's set by
// originating a leg into the app, and handle what the set does: answer (the hand-over), no answer
// within the ring timeout, busy, offline; the absent timer stops a presentation too.
import { unansweredReason } from '../domain/causes.ts';
import { anyEligible, huntWithRetry, refusalBackoffMs } from '../domain/group.ts';
import { nextToPresent, presentationDelay, resolveClass, type PresentCandidate } from '../domain/presentation.ts';
import type { TimerHandle } from '../domain/clock.ts';
import type { CallRecord } from '../domain/model.ts';
import { answer, awaitsAttendant, present, presentationEnded, type RingingCall } from '../domain/call.ts';
import type { AttendantConfig } from '../config.ts';
import type { AttendantDesk } from './attendants.ts';
import { bestEffort, type CallContext } from './context.ts';
import type { Batch } from './ledger.ts';

/** first appArgs word of a leg the controller originates to present a call */
export const PRESENT_ARG = '@present';

/** the dialplan function that makes a set's REFER (its transfer key) come to the app (Asterisk 20.13 / 21.8 / 22.3+) */
export const TRANSFER_HANDLING = 'PJSIP_TRANSFER_HANDLING()';

/**
 * Channel variables for a leg ringing an attendant's set, set as it is originated (before the set
 * rings, so there is no window where its transfer key would act on its own): auto-answer headers
 * for sets configured so, and the transfer key's REFER handed to the app (`phone.transferKey`).
 */
export function setVariables(acfg: AttendantConfig | undefined, transferKey: boolean): Record<string, string> {
  return {
    // intercom presentation: the set answers by itself on these headers (Polycom/Yealink/Snom variants)
    ...(acfg?.autoAnswer ? { 'PJSIP_HEADER(add,Call-Info)': ';answer-after=0', 'PJSIP_HEADER(add,Alert-Info)': 'info=alert-autoanswer' } : {}),
    ...(transferKey ? { [TRANSFER_HANDLING]: 'ari-only' } : {}),
  };
}

const NO_ONE: ReadonlySet<string> = new Set();

/**
 * How long the caller's ringback and the lamps wait for the set to ring (a set that only sends
 * 183, or none): past it they go ahead. A set rings within milliseconds of its INVITE.
 */
const RING_WAIT_MS = 2000;

/** until a call's set rings (or answers, or its presentation ends) */
interface RingSignal {
  promise: Promise<void>;
  resolve: () => void;
  timer: TimerHandle;
}


interface Presentation {
  leg: string;
  callId: string;
  attendant: string;
  ringTimer?: TimerHandle;
  /** the controller already hung it up or accounted for it: ignore its late events */
  closed: boolean;
  answered: boolean;
  /** what becomes of the call when this presentation goes unanswered (a retrieve or recall: back on hold) */
  onUnanswered?: (b: Batch, call: RingingCall) => void;
  /** the set is already off-hook on this leg (a pick-up feature code): answered at once, nothing rings */
  offHook?: boolean;
  /** told once Asterisk made the leg (or refused it: the error) */
  onOriginated?: (err?: unknown) => void;
}

export interface CallBridging {
  /** connect the caller with the attendant's answered leg; resolves false when it failed */
  connect(call: CallRecord, leg: string): Promise<boolean>;
  /** originate failed repeatedly or nobody can ever take it: send the caller to the group's fallback */
  divertToFallback(call: CallRecord, reason: string): void;
  /** after a presentation pass: callers hearing ringback whose presentation ended come to wait with music */
  presentationsSettled(): void;
}

export class Presenter {
  private readonly presentations = new Map<string, Presentation>();
  /** hand-overs under way (the store's claim, then the call bridge), by call: operations asked meanwhile wait */
  private readonly handingOver = new Map<string, Promise<unknown>>();
  private readonly originateFailures = new Map<string, number>();
  /** per call, until the set of its latest presentation rings (see `rang`) */
  private readonly ringSignals = new Map<string, RingSignal>();
  /** a channel a set already has up, by attendant: the leg of that attendant's next presentation */
  private readonly offHookLegs = new Map<string, string>();
  /** sets that refused presentations in a row (busy, declined, failed): left alone until `until` */
  private readonly refusals = new Map<string, { inARow: number; until: number }>();
  private dispatchQueued = false;
  private paused = false;
  private recheck: { at: number; timer: TimerHandle } | undefined;
  bridging!: CallBridging;

  constructor(private readonly ctx: CallContext, private readonly desk: AttendantDesk) {
    desk.onAbsentTimer = (id) => this.absentTimerFired(id);
  }

  /** While paused (a reconciliation in progress), requests are remembered and served on resume. */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.requestDispatch();
  }

  /** Coalesce dispatch requests made in one turn into one pass. */
  requestDispatch(): void {
    if (this.dispatchQueued || this.paused) return;
    this.dispatchQueued = true;
    queueMicrotask(() => {
      this.dispatchQueued = false;
      if (!this.paused) this.dispatch();
    });
  }

  /** Present every waiting call that an idle attendant can take, in queue order per group. */
  dispatch(): void {
    const { ctx } = this;
    const { ledger } = ctx;
    const now = ctx.time.now();
    let recheckAt: number | undefined;
    const unavailable = this.backedOff(now);
    for (const group of ctx.config.groups) {
      const queue = ledger.queues.get(group.id);
      if (!queue?.length) continue;
      // a set left alone after a refusal: look again when its back-off ends
      for (const id of unavailable) {
        const until = this.refusals.get(id)!.until;
        if (group.members.includes(id) && (recheckAt === undefined || until < recheckAt)) recheckAt = until;
      }
      // nobody free: skip the walk over the queue (with 10,000 callers waiting it cost every event that much)
      if (!anyEligible({ members: group.members, attendants: ledger.attendants, group: group.id, unavailable })) continue;
      const candidates = new Map<string, PresentCandidate>();
      for (const id of queue) {
        const c = ledger.calls.get(id);
        if (c) candidates.set(id, { arrivedAt: c.arrivedAt, delayMs: presentationDelay(resolveClass(ctx.config.classes, c.callClass)), state: c.state });
      }
      const group_ = ledger.groups.get(group.id);
      let rrCursor = group_?.rrCursor ?? -1;
      for (;;) {
        const next = nextToPresent(queue, candidates, now);
        if (next.recheckAt !== undefined && (recheckAt === undefined || next.recheckAt < recheckAt)) recheckAt = next.recheckAt;
        if (!next.callId) break;
        const call = ledger.calls.get(next.callId)!;
        const result = huntWithRetry({
          strategy: group.strategy, members: group.members, attendants: ledger.attendants, rrCursor,
          exclude: new Set(call.refusedBy), unavailable, random: ctx.random, group: group.id,
        });
        if (!result.targets.length) break;
        rrCursor = result.rrCursor;
        this.present(call, group.id, result.targets, result.exclusionsCleared, rrCursor);
        candidates.set(call.id, { ...candidates.get(call.id)!, state: 'ringing' });
      }
    }
    this.scheduleRecheck(recheckAt);
    this.bridging.presentationsSettled();
  }

  /** the sets in their refusal back-off now (an empty set most of the time: no allocation then) */
  private backedOff(now: number): ReadonlySet<string> {
    if (!this.refusals.size) return NO_ONE;
    const out = new Set<string>();
    for (const [id, r] of this.refusals) if (r.until > now) out.add(id);
    return out;
  }

  /** a set refused a presentation: leave it alone for a while, longer after each refusal in a row */
  private refused(attendantId: string, why: string): void {
    const now = this.ctx.time.now();
    const inARow = (this.refusals.get(attendantId)?.inARow ?? 0) + 1;
    const waitMs = refusalBackoffMs(inARow, this.ctx.config.timers.refusalBackoff * 1000);
    this.refusals.set(attendantId, { inARow, until: now + waitMs });
    this.ctx.log.info({ attendant: attendantId, why, inARow, backoffMs: waitMs }, 'set refused a presentation; left alone for a while');
  }

  private scheduleRecheck(at: number | undefined): void {
    if (at === undefined || (this.recheck && this.recheck.at <= at)) return;
    this.recheck?.timer.cancel();
    const timer = this.ctx.time.schedule(at - this.ctx.time.now(), () => { this.recheck = undefined; this.requestDispatch(); });
    this.recheck = { at, timer };
  }

  /**
   * The operator picked this waiting call on the console: present it to this attendant only, on
   * the same originate/answer path as a hunt. False when the attendant could not be presented to.
   */
  presentTo(call: CallRecord, attendantId: string, onUnanswered?: (b: Batch, call: RingingCall) => void, onOriginated?: (err?: unknown) => void): boolean {
    const rrCursor = this.ctx.ledger.groups.get(call.group)?.rrCursor ?? -1;
    const before = this.ctx.ledger.calls.get(call.id)?.ringingLegs.length ?? 0;
    this.present(call, call.group, [attendantId], false, rrCursor, onUnanswered, onOriginated);
    return (this.ctx.ledger.calls.get(call.id)?.ringingLegs.length ?? 0) > before;
  }

  /**
   * The set dialled a pick-up feature code and is off-hook on `channelId` (answered, in Stasis): the
   * next presentation to this attendant uses that channel as its answered leg instead of ringing.
   */
  offerOffHookLeg(attendantId: string, channelId: string): void {
    this.offHookLegs.set(attendantId, channelId);
  }

  /**
   * A presentation leg found answered in Stasis by a reconciliation (its StasisStart was missed: the
   * controller was down or its socket dropped), its appArgs naming the call and the attendant. A leg of
   * this run is taken as answered now; a leg of a previous run is presented as an off-hook leg (nothing
   * rings). False when the attendant cannot take it: the caller hangs it up.
   */
  adoptAnsweredLeg(leg: string, callId: string, attendantId: string): boolean {
    const call = this.ctx.ledger.calls.get(callId);
    const p = this.presentations.get(leg);
    if (p) {
      if (p.closed || p.answered || p.callId !== callId || !call || call.state !== 'ringing') return false;
      this.legAnswered(leg, callId, attendantId);
      return true;
    }
    if (!call || call.state !== 'waiting') return false;
    this.offerOffHookLeg(attendantId, leg);
    if (this.presentTo(call, attendantId)) return true;
    this.withdrawOffHookLeg(attendantId, leg);
    return false;
  }

  /** Take the offer back; true when no presentation used the channel. */
  withdrawOffHookLeg(attendantId: string, channelId: string): boolean {
    if (this.offHookLegs.get(attendantId) !== channelId) return false;
    this.offHookLegs.delete(attendantId);
    return true;
  }

  /** Decide synchronously (so no other decision sees the attendants idle), then store, then ring. */
  private present(call: CallRecord, groupId: string, targets: string[], clearRefusals: boolean, rrCursor: number, onUnanswered?: (b: Batch, call: RingingCall) => void, onOriginated?: (err?: unknown) => void): void {
    const { ctx } = this;
    const now = ctx.time.now();
    if (!awaitsAttendant(call)) {
      ctx.log.warn({ callId: call.id, state: call.state }, 'not presented: the call is not waiting for an attendant');
      return;
    }
    const b = ctx.ledger.batch();
    const legs: Presentation[] = [];
    for (const attendant of targets) {
      const offHook = this.offHookLegs.get(attendant);
      const leg = offHook ?? ctx.ids.leg('p', call.id);
      const res = this.desk.apply(b, attendant, { type: 'present', callId: call.id, leg }, { callId: call.id });
      if (res instanceof Error) continue;
      if (offHook) {
        this.offHookLegs.delete(attendant);
        ctx.routes.takeChannel(offHook, { owner: 'attendant', callId: call.id });
      }
      legs.push({ leg, callId: call.id, attendant, closed: false, answered: false, ...(onUnanswered ? { onUnanswered } : {}), ...(offHook ? { offHook: true } : {}), ...(onOriginated ? { onOriginated } : {}) });
    }
    if (!legs.length) return;
    // The set rings first: with no off-hook set, the originates go out before anything else is done for the
    // presentation (nothing of it can be read before this turn ends: Asterisk's answers come in later turns);
    // memory takes the batch in this same turn after them, before any answer is read; its observers (metrics,
    // the queue_log) and its write, with the arrival's, wait for the set to ring (Ledger.commitHeld), so
    // that the controller's own work does not share Asterisk's dial. A controller killed before the write
    // finds the caller in Stasis (adopted as a new arrival) and the leg in Stasis, its appArgs naming the
    // call and the attendant, or ringing with its route variable (adopted)
    const ringTimeoutMs = (ctx.groupConfig(groupId)?.ringTimeout ?? 15) * 1000;
    const offHook = legs.filter((p) => p.offHook);
    if (!offHook.length) for (const p of legs) void this.originate(p, call, ringTimeoutMs);
    const next = present(call, { legs: legs.map((l) => l.leg), clearRefusals, ...(legs.length === 1 ? { attendant: legs[0]!.attendant } : {}) }, now);
    b.putCall(next);
    const grec = ctx.ledger.groups.get(groupId);
    if (grec && grec.rrCursor !== rrCursor) b.putGroup({ ...grec, rrCursor });
    b.log({ time: now, operator: 'system', action: 'present', callId: call.id, numbers: [call.callerNumber], result: legs.map((l) => l.attendant).join(','), detail: { group: groupId } });
    for (const p of legs) this.presentations.set(p.leg, p);
    ctx.log.info({ callId: call.id, group: groupId, attendants: legs.map((l) => l.attendant), class: call.callClass }, 'present');
    for (const p of legs) {
      // the controller's own timer decides the ring timeout; Asterisk's originate timeout is only a backstop
      if (!p.offHook) p.ringTimer = ctx.time.schedule(ringTimeoutMs, () => this.ringTimedOut(p.leg));
    }
    const lamps = () => this.desk.publishDeviceStates(legs.map((l) => ctx.ledger.attendants.get(l.attendant)!).filter(Boolean));
    if (!offHook.length) {
      const rang = this.ringSignal(call.id).promise;
      ctx.ledger.holdWritesUntil(rang);
      const written = ctx.ledger.commitHeld(b);
      // the sets' lamps once a set rings: nothing of the controller's own competes with Asterisk's INVITE
      void Promise.all([written, rang]).then(lamps);
      return;
    }
    // an off-hook set answers first, so the other legs of a ring-all are never rung
    const written = ctx.ledger.commit(b);
    void written.then(() => {
      lamps();
      for (const p of offHook) { p.onOriginated?.(); this.legAnswered(p.leg, call.id, p.attendant); }
      for (const p of legs) if (!p.offHook) void this.originate(p, next, ringTimeoutMs);
    });
  }

  /** the call's signal, made for a presentation about to ring (the one still waiting, if any) */
  private ringSignal(callId: string): RingSignal {
    let s = this.ringSignals.get(callId);
    if (!s) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => { resolve = r; });
      const timer = this.ctx.time.schedule(RING_WAIT_MS, () => this.rangOrGone(callId));
      s = { promise, resolve, timer };
      this.ringSignals.set(callId, s);
    }
    return s;
  }

  /** the call's set rings, answered, or its presentation ended: what waited for it goes ahead */
  private rangOrGone(callId: string): void {
    const s = this.ringSignals.get(callId);
    if (!s) return;
    this.ringSignals.delete(callId);
    s.timer.cancel();
    s.resolve();
  }

  /**
   * Resolves once the set of the call's presentation rings (its leg goes `Ringing`), answers, or the
   * presentation ends (at once when none is under way; after RING_WAIT_MS at the latest). The caller's
   * ringback (or answer) waits for it: Asterisk answers the originate before it sends the set's INVITE,
   * and on Asterisk 23.4.1 the caller's requests sent in between delayed that INVITE by ~1 ms.
   */
  rang(callId: string): Promise<void> {
    return this.ringSignals.get(callId)?.promise ?? Promise.resolve();
  }

  /** ChannelStateChange of a presentation leg to Ringing: its set rings */
  legRinging(leg: string): void {
    const p = this.presentations.get(leg);
    if (p && !p.closed) this.rangOrGone(p.callId);
  }

  private async originate(p: Presentation, call: CallRecord, ringTimeoutMs: number): Promise<void> {
    const { ctx } = this;
    const acfg = ctx.attendantConfig(p.attendant);
    const device = ctx.ledger.attendants.get(p.attendant)?.device ?? acfg?.device;
    if (!device || p.closed) {
      p.onOriginated?.(new Error(p.closed ? 'the presentation ended before its set was rung' : `no device for ${p.attendant}`));
      return;
    }
    const variables = setVariables(acfg, ctx.config.phone.transferKey);
    const callerId = call.callerName ? `"${call.callerName.replace(/"/g, '')}" <${call.callerNumber}>` : call.callerNumber;
    let sent: Promise<unknown>;
    try {
      sent = ctx.ari.originate({
        endpoint: device, channelId: p.leg, appArgs: [PRESENT_ARG, call.id, p.attendant], callerId,
        timeout: Math.ceil(ringTimeoutMs / 1000) + 5, ...(Object.keys(variables).length ? { variables } : {}), reported: ctx.routes.reportedOf(p.leg),
      });
    } catch (err) {
      // a port that throws at once: failed like any other, once the presentation this turn makes is in place
      sent = Promise.reject(err);
    }
    try {
      await sent;
      this.originateFailures.delete(call.id);
      p.onOriginated?.();
    } catch (err) {
      p.onOriginated?.(err);
      ctx.log.warn({ callId: call.id, attendant: p.attendant, leg: p.leg, err: (err as Error).message }, 'originate failed');
      // no answer in time: Asterisk may still make the leg; it must not ring for nothing
      if ((err as { status?: number }).status === 504) bestEffort(ctx, 'hang up timed-out leg', ctx.ari.hangup(p.leg), { leg: p.leg });
      const failures = (this.originateFailures.get(call.id) ?? 0) + 1;
      this.originateFailures.set(call.id, failures);
      this.legEnded(p.leg, 'failed');
      // a caller is never left waiting on a broken path: after three failed presentations, the fallback
      const current = ctx.ledger.calls.get(call.id);
      if (failures >= 3 && current && (current.state === 'waiting' || current.state === 'ringing')) {
        this.originateFailures.delete(call.id);
        this.bridging.divertToFallback(current, 'presentation failed');
      }
    }
  }

  private ringTimedOut(leg: string): void {
    const p = this.presentations.get(leg);
    if (!p || p.closed || p.answered) return;
    this.ctx.log.info({ callId: p.callId, attendant: p.attendant, leg }, 'ring timeout');
    bestEffort(this.ctx, 'hang up unanswered leg', this.ctx.ari.hangup(leg, 'no_answer'), { leg });
    this.legEnded(leg, 'no-answer');
  }

  /** The attendant did not answer for absentAfter: stop its ringing presentation too. */
  private absentTimerFired(attendantId: string): void {
    const { ctx } = this;
    const a = ctx.ledger.attendants.get(attendantId);
    if (!a) return;
    const ringingLeg = a.state === 'ringing' ? a.currentLeg : undefined;
    // absent while the set still rings (the timer runs only then), then that presentation ends
    const b = ctx.ledger.batch();
    const res = this.desk.apply(b, attendantId, { type: 'markAbsent', absentAfterMs: ctx.config.timers.absentAfter * 1000 });
    if (res instanceof Error) return;
    void ctx.ledger.commit(b).then(() => this.desk.publishDeviceStates([res]));
    if (ringingLeg) {
      bestEffort(ctx, 'hang up leg of absent attendant', ctx.ari.hangup(ringingLeg, 'no_answer'), { leg: ringingLeg });
      this.legEnded(ringingLeg, 'no-answer');
    }
  }

  /**
   * A presentation ended without being answered (ring timeout, busy, offline, originate failure,
   * or the set declined). The attendant goes back to idle (or unplugged when offline), the call
   * back to waiting, and it is presented again.
   */
  legEnded(leg: string, why: 'no-answer' | 'busy' | 'offline' | 'failed' | 'declined'): void {
    const { ctx } = this;
    const p = this.presentations.get(leg);
    if (!p || p.closed || p.answered) return;
    p.closed = true;
    p.ringTimer?.cancel();
    this.presentations.delete(leg);
    this.rangOrGone(p.callId);
    if (why === 'busy' || why === 'declined' || why === 'failed') this.refused(p.attendant, why);
    const b = ctx.ledger.batch();
    const att = this.desk.apply(b, p.attendant, why === 'no-answer' || why === 'declined' ? { type: 'noAnswer', callId: p.callId } : { type: 'callEnded', callId: p.callId }, { callId: p.callId });
    if (why === 'offline') this.desk.apply(b, p.attendant, { type: 'offline' });
    const call = ctx.ledger.calls.get(p.callId);
    if (call && call.state === 'ringing') {
      const ringingLegs = call.ringingLegs.filter((l) => l !== leg);
      if (!ringingLegs.length && p.onUnanswered) {
        p.onUnanswered(b, { ...call, ringingLegs });
      } else {
        b.putCall(presentationEnded(call, leg, p.attendant));
      }
      b.log({ time: ctx.time.now(), operator: p.attendant, action: 'presentation-ended', callId: p.callId, numbers: [call.callerNumber], result: why });
    }
    ctx.log.info({ callId: p.callId, attendant: p.attendant, leg, why }, 'presentation ended');
    void ctx.ledger.commit(b).then(() => {
      const a = ctx.ledger.attendants.get(p.attendant);
      if (a && !(att instanceof Error)) this.desk.publishDeviceStates([a]);
    });
    this.requestDispatch();
  }

  /** ChannelDestroyed of a leg that never entered Stasis: map the cause. */
  legDestroyed(leg: string, cause: number): void {
    if (!this.presentations.has(leg)) return;
    this.legEnded(leg, unansweredReason(cause));
  }

  isPresentationLeg(leg: string): boolean {
    return this.presentations.has(leg);
  }

  /** a presentation leg Asterisk no longer has (its ChannelDestroyed was missed): the presentation failed */
  legVanished(leg: string): void {
    this.legEnded(leg, 'failed');
  }

  /**
   * StasisStart of a presentation leg: the set answered. First answer wins (the hand-over is
   * atomic in the store too); the other legs of a ring-all stop in this same turn.
   */
  legAnswered(leg: string, callId: string, attendantId: string): void {
    const { ctx } = this;
    const p = this.presentations.get(leg);
    const call = ctx.ledger.calls.get(callId);
    if (!p || p.closed || !call || call.state !== 'ringing') {
      // late answer: the call was taken, abandoned, or this leg was already given up
      ctx.log.info({ callId, attendant: attendantId, leg }, 'late answer, releasing the set');
      bestEffort(ctx, 'hang up late leg', ctx.ari.hangup(leg), { leg });
      if (p) { p.closed = true; p.ringTimer?.cancel(); this.presentations.delete(leg); }
      return;
    }
    p.answered = true;
    p.ringTimer?.cancel();
    this.presentations.delete(leg);
    this.rangOrGone(callId);
    this.refusals.delete(attendantId);
    const now = ctx.time.now();
    const b = ctx.ledger.batch();
    // the others lost the race, they did not refuse: no absent penalty
    for (const other of call.ringingLegs) {
      if (other === leg) continue;
      const op = this.presentations.get(other);
      if (!op) continue;
      op.closed = true;
      op.ringTimer?.cancel();
      this.presentations.delete(other);
      bestEffort(ctx, 'stop other ring-all leg', ctx.ari.hangup(other), { leg: other });
      this.desk.apply(b, op.attendant, { type: 'callEnded', callId }, { callId });
    }
    const att = this.desk.apply(b, attendantId, { type: 'answer', callId, leg }, { callId });
    // a held call that rang again (retrieve, recall) leaves its slot once answered
    const next = answer(call, attendantId, leg, now);
    for (const g of [call.group, ...call.alsoGroups]) b.dequeue(g, callId);
    b.putCall(next);
    b.log({ time: now, operator: attendantId, action: 'answer', callId, numbers: [call.callerNumber], result: 'ok', detail: { waitedMs: String(now - call.arrivedAt) } });
    ctx.log.info({ callId, attendant: attendantId, leg, waitedMs: now - call.arrivedAt }, 'answered');
    const touched = b.changes.flatMap((c) => (c.kind === 'attendant' ? [c.attendant.id] : []));
    const handing = ctx.ledger.claim(callId, attendantId, b).then((won) => {
      this.desk.publishDeviceStates(touched.map((id) => ctx.ledger.attendants.get(id)!).filter(Boolean));
      if (!won) {
        ctx.log.error({ callId, attendant: attendantId }, 'hand-over refused by the store: another controller holds the call');
        bestEffort(ctx, 'hang up refused leg', ctx.ari.hangup(leg), { leg });
        return false;
      }
      return this.bridging.connect(next, leg);
    }).finally(() => { if (this.handingOver.get(callId) === handing) this.handingOver.delete(callId); });
    this.handingOver.set(callId, handing);
    if (att instanceof Error) ctx.log.warn({ callId, attendant: attendantId, err: att.message }, 'answer on an attendant in an unexpected state');
    this.originateFailures.delete(callId);
  }

  /** the hand-over of a call answered a moment ago, while its claim or its call bridge is still being made */
  handOverOf(callId: string): Promise<unknown> | undefined {
    return this.handingOver.get(callId);
  }

  /** Stop every presentation of a call (the caller hung up, or the call left the group). */
  stopPresentations(b: Batch, call: CallRecord, reason: string): void {
    this.rangOrGone(call.id);
    for (const leg of call.ringingLegs) {
      const p = this.presentations.get(leg);
      if (!p) continue;
      p.closed = true;
      p.ringTimer?.cancel();
      this.presentations.delete(leg);
      bestEffort(this.ctx, `hang up leg (${reason})`, this.ctx.ari.hangup(leg), { leg });
      this.desk.apply(b, p.attendant, { type: 'callEnded', callId: call.id }, { callId: call.id });
    }
  }

  stop(): void {
    // nothing waits for a ring any more (the caller's queued steps run out)
    for (const id of [...this.ringSignals.keys()]) this.rangOrGone(id);
    this.offHookLegs.clear();
    for (const p of this.presentations.values()) p.ringTimer?.cancel();
    this.recheck?.timer.cancel();
  }
}
