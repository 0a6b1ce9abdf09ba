// Consultation (enquiry) and three-way calls. The attendant's leg stays in the call bridge
// call bridge throughout; the caller moves to a holding bridge of its own (music) while the
// attendant calls a third party (`<callId>-c<n>`, appArgs `@consult,<callId>`), who joins the call
// bridge on answer. Swap moves the two parties between the bridges, conference puts all three in the
// call bridge, split takes one aside again; complete and leave hand caller and third party over to
// each other and free the attendant. The third party not answering within `timers.recall`, being
// busy or hanging up brings the attendant back to the caller.
import { unansweredReason } from '../../domain/causes.ts';
import type { TimerHandle } from '../../domain/clock.ts';
import type { CallRecord } from '../../domain/model.ts';
import {
  attendantLegOf, bridged, callerLeftConsult, consultAnswered, consultEnded, handedOver, join, split, startConsult, startThreeWay, swap, withAttention,
  type ConferenceCall, type ConsultingCall, type TalkingCall,
} from '../../domain/call.ts';
import { bestEffort, releaseChannel } from '../context.ts';
import { dialString } from '../dialing.ts';
import { OperationError } from '../operations-port.ts';
import { requireOwnCall, type OpsDeps } from './common.ts';
import type { Handoffs } from './handoff.ts';
import { moveToHolding, openHoldingBridge } from './holding.ts';
import { hangupStep, operationFailed, statusOf, step, type InFlight, type StepFailed } from './steps.ts';
import type { Transfers } from './transfer.ts';

export const CONSULT_ARG = '@consult';

/** a bridge move an operation could not undo is tried again this long after each failure */
const REPAIR_RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

type Why = 'busy' | 'no-answer' | 'failed' | 'hangup' | 'cancelled';

export class Consults {
  private readonly ringTimers = new Map<string, TimerHandle>();

  constructor(private readonly o: OpsDeps, private readonly transfers: Transfers, private readonly handoffs: Handoffs, private readonly inFlight: InFlight) {}

  // ----- commands -----------------------------------------------------------------------------

  /** The caller waits with music while the attendant calls `target`. */
  async consult(attendantId: string, callId: string, target: string): Promise<void> {
    const call = this.talking(attendantId, callId);
    const number = this.transfers.resolveTarget(target);
    await this.inFlight.run(callId, 'consult', undefined, async () => {
      const holdBridge = this.o.ctx.ids.callBridge('hold', callId);
      const leg = this.o.ctx.ids.leg('c', callId);
      // the record first: a caller hanging up during the move finds the consultation and ends it
      const next = startConsult(call, { consultTarget: number, consultLeg: leg, holdBridge });
      await this.store(next, attendantId, 'consult', 'ringing', { target });
      try {
        await moveToHolding(this.o, call, holdBridge);
      } catch (err) {
        // the caller is still with the attendant: the call goes on as it was
        const cur = this.withLeg(callId, leg);
        if (cur && !cur.callerGone) await this.store(consultEnded(cur), attendantId, 'consult-ended', 'failed', { target });
        throw operationFailed(this.o, 'consult', callId, err, 'the call is as it was: the caller is still talking with the attendant; try again');
      }
      if (!this.withLeg(callId, leg)) return; // the caller hung up meanwhile
      await this.ring(next, leg, number, attendantId, 'consult');
    });
  }

  /** Three-way: join the consulted party, or call `target` and join it when it answers. */
  async conference(attendantId: string, callId: string, target?: string): Promise<void> {
    const call = requireOwnCall(this.o, attendantId, callId);
    if (call.state === 'talking') {
      if (target === undefined) throw new OperationError('invalid_target', 'name the party to add to the call');
      const talking = this.talking(attendantId, callId);
      const number = this.transfers.resolveTarget(target);
      await this.inFlight.run(callId, 'conference', undefined, async () => {
        const leg = this.o.ctx.ids.leg('c', callId);
        // the caller stays with the attendant while the third party rings
        const next = startThreeWay(talking, { consultTarget: number, consultLeg: leg });
        await this.store(next, attendantId, 'conference', 'ringing', { target });
        await this.ring(next, leg, number, attendantId, 'conference');
      });
      return;
    }
    if (target !== undefined) throw new OperationError('invalid_state', `call "${callId}" already has a third party`);
    const cur = this.answeredConsultation(attendantId, callId);
    const held = cur.talkingTo === 'target' ? callId : cur.consultLeg;
    const holdBridge = cur.holdBridge!;
    await this.recordThenMove(cur, join(cur), attendantId, 'conference', 'joined', () => step('bring the held party to the call bridge', () => this.o.ctx.ari.addChannel(cur.talkBridge, [held])));
    bestEffort(this.o.ctx, 'destroy holding bridge', this.o.ctx.ari.destroyBridge(holdBridge), { callId });
  }

  /** Alternate between the caller and the consulted party (the other waits with music). */
  async swap(attendantId: string, callId: string): Promise<void> {
    const call = this.answeredConsultation(attendantId, callId);
    const toHold = call.talkingTo === 'target' ? call.consultLeg : callId;
    const toTalk = toHold === callId ? call.consultLeg : callId;
    const next = swap(call);
    const holdBridge = call.holdBridge!;
    await this.recordThenMove(call, next, attendantId, 'swap', next.talkingTo, async () => {
      const { ari } = this.o.ctx;
      // hold first, so the two parties never hear each other
      await step('put the party talking on hold', () => ari.addChannel(holdBridge, [toHold], 'participant'));
      try {
        await step('bring the held party to the call bridge', () => ari.addChannel(call.talkBridge, [toTalk]));
      } catch (err) {
        // undone: the party just held talks with the attendant again
        await ari.addChannel(call.talkBridge, [toHold]).catch((undo: Error) => {
          this.needsAttention(callId, `both parties wait on hold: ${undo.message}`, () => ari.addChannel(call.talkBridge, [toHold]));
        });
        throw err;
      }
    });
  }

  /** Take one party of the three-way call aside: it stays with the attendant, the other waits with music. */
  async split(attendantId: string, callId: string, party: string): Promise<void> {
    const call = requireOwnCall(this.o, attendantId, callId);
    if (call.state !== 'conference') throw new OperationError('invalid_state', `call "${callId}" is ${call.state}`);
    if (party !== callId && party !== call.consultLeg) throw new OperationError('invalid_target', `"${party}" is not a party of call "${callId}"`);
    if (call.callerGone) throw new OperationError('invalid_state', `the caller of "${callId}" has hung up`);
    const aside = party === callId ? call.consultLeg : callId;
    const holdBridge = this.o.ctx.ids.callBridge('hold', callId);
    const next = split(call, { holdBridge, talkingTo: party === callId ? 'caller' : 'target' });
    await this.recordThenMove(call, next, attendantId, 'split', next.talkingTo, async () => {
      try {
        await openHoldingBridge(this.o, call, holdBridge);
        await step('move the other party to the holding bridge', () => this.o.ctx.ari.addChannel(holdBridge, [aside], 'participant'));
      } catch (err) {
        bestEffort(this.o.ctx, 'destroy unused holding bridge', this.o.ctx.ari.destroyBridge(holdBridge), { callId });
        throw err;
      }
    });
  }

  /** Caller and consulted party talk, the attendant leaves; still ringing: transfer on ringing. */
  async complete(attendantId: string, callId: string): Promise<void> {
    const call = requireOwnCall(this.o, attendantId, callId);
    if (call.state !== 'consulting') throw new OperationError('invalid_state', `call "${callId}" is ${call.state}`);
    if (call.callerGone) throw new OperationError('invalid_state', `the caller of "${callId}" has hung up`);
    if (!call.consultAnswered) {
      if (call.joinOnAnswer) throw new OperationError('invalid_state', `the third party of "${callId}" has not answered`);
      this.cancelTimer(callId);
      await this.transfers.takeRinging(attendantId, call);
      return;
    }
    await this.inFlight.run(callId, 'complete', call.leg, (f) => this.handOver(call, 'transfer-complete', false, f));
  }

  /** The attendant leaves the three-way call: the two parties go on talking. */
  async leave(attendantId: string, callId: string): Promise<void> {
    const call = requireOwnCall(this.o, attendantId, callId);
    if (call.state !== 'conference') throw new OperationError('invalid_state', `call "${callId}" is ${call.state}`);
    if (call.callerGone) throw new OperationError('invalid_state', `the caller of "${callId}" has hung up`);
    await this.inFlight.run(callId, 'leave', call.leg, (f) => this.handOver(call, 'conference-leave', false, f));
  }

  /** Drop the third party: the attendant is back with the caller. */
  async cancel(attendantId: string, callId: string): Promise<void> {
    const call = requireOwnCall(this.o, attendantId, callId);
    if (call.state !== 'consulting' && call.state !== 'conference') throw new OperationError('invalid_state', `call "${callId}" is ${call.state}`);
    const leg = call.consultLeg;
    // the third party goes first and for sure: a leg Asterisk kept must never be forgotten by the record
    await this.inFlight.run(callId, 'cancel', leg, async () => {
      try {
        await hangupStep(this.o, 'hang up the consulted party', leg);
      } catch (err) {
        throw operationFailed(this.o, 'cancel', callId, err, 'the call is as it was: the third party is still on the line; try again');
      }
      await this.thirdPartyGone(callId, leg, 'cancelled', attendantId);
    });
  }

  // ----- ARI events of the third party's leg, the caller and the attendant's leg --------------

  /** StasisStart of a consultation leg: the third party answered. */
  answered(leg: string, callId: string): void {
    const { ctx } = this.o;
    const call = ctx.ledger.calls.get(callId);
    if (call?.state === 'transferring' && call.transferLeg === leg) {
      // completed while it rang: it is a transfer now
      this.transfers.answered(leg, callId);
      return;
    }
    if (call?.state !== 'consulting' || call.consultLeg !== leg || call.consultAnswered) {
      bestEffort(ctx, 'hang up late consultation leg', ctx.ari.hangup(leg), { leg });
      return;
    }
    this.cancelTimer(callId);
    void this.o.inbound.serial.run(callId, async () => {
      const cur = ctx.ledger.calls.get(callId);
      if (cur?.state !== 'consulting' || cur.consultLeg !== leg || !cur.talkBridge) {
        bestEffort(ctx, 'hang up late consultation leg', ctx.ari.hangup(leg), { leg });
        return;
      }
      try {
        await ctx.ari.addChannel(cur.talkBridge, [leg]);
      } catch (err) {
        ctx.log.error({ callId, leg, err: (err as Error).message }, 'consulted party could not be bridged');
        releaseChannel(this.o.ctx, leg, 'hang up consultation leg');
        await this.thirdPartyGone(callId, leg, 'failed');
        return;
      }
      // read again: the caller may have hung up while the third party was being bridged
      const now = this.withLeg(callId, leg);
      if (now?.state !== 'consulting') {
        bestEffort(ctx, 'hang up consultation leg of an ended call', ctx.ari.hangup(leg), { leg });
        return;
      }
      const next = consultAnswered(now);
      ctx.log.info({ callId, leg, conference: cur.joinOnAnswer === true }, 'consulted party answered');
      await this.store(next, cur.attendant, cur.joinOnAnswer ? 'conference' : 'consult', 'answered');
    });
  }

  /** ChannelDestroyed of a consultation leg that never answered. */
  legDestroyed(leg: string, cause: number): void {
    if (this.inFlight.hasLeg(leg)) return; // an operation hangs it up and says why
    const call = this.byConsultLeg(leg);
    if (call && !call.consultAnswered) void this.thirdPartyGone(call.id, leg, unansweredReason(cause) === 'busy' ? 'busy' : 'no-answer');
  }

  /** StasisEnd of the third party's leg: it left the consultation or three-way call. */
  thirdPartyLeft(leg: string): void {
    const third = this.byConsultLeg(leg);
    if (third) void this.thirdPartyGone(third.id, leg, 'hangup');
  }

  /** StasisEnd of a caller: true when its call is a consultation or three-way call, which goes on or ends here. */
  callerLeft(callId: string): boolean {
    const own = this.o.ctx.ledger.calls.get(callId);
    if (!own || (own.state !== 'consulting' && own.state !== 'conference')) return false;
    void this.callerGone(own);
    return true;
  }

  /** StasisEnd of an attendant's leg: true when its call is a consultation or three-way call. */
  attendantLegLeft(leg: string): boolean {
    const byLeg = [...this.o.ctx.ledger.calls.values()].find((c): c is ConsultingCall | ConferenceCall => (c.state === 'consulting' || c.state === 'conference') && c.leg === leg);
    if (!byLeg) return false;
    void this.attendantLeft(byLeg);
    return true;
  }

  /** the party gone from a consultation or three-way call during a drop, as its StasisEnd would */
  private vanished(id: string): void {
    if (this.byConsultLeg(id)) this.thirdPartyLeft(id);
    else if (!this.callerLeft(id)) this.attendantLegLeft(id);
  }

  /** After a restart or reconnect: parties that vanished meanwhile are handled as if they had hung up. */
  reconcile(live: ReadonlySet<string>): void {
    for (const c of [...this.o.ctx.ledger.calls.values()]) {
      if (c.state !== 'consulting' && c.state !== 'conference') continue;
      if (c.consultLeg && !live.has(c.consultLeg)) this.vanished(c.consultLeg);
      else if (c.leg && !live.has(c.leg)) this.vanished(c.leg);
      else if (c.consultLeg && !c.consultAnswered && !this.ringTimers.has(c.id)) this.armTimer(c.id, c.consultLeg);
    }
  }

  stop(): void {
    for (const t of this.ringTimers.values()) t.cancel();
    this.ringTimers.clear();
  }

  // ----- what happens when a party leaves ------------------------------------------------------

  /** The third party is gone (hung up, busy, no answer, dropped): the attendant is back with the caller. */
  private async thirdPartyGone(callId: string, leg: string, why: Why, operator?: string): Promise<void> {
    const { ctx } = this.o;
    const call = this.withLeg(callId, leg);
    if (!call) return;
    this.cancelTimer(callId);
    if (call.callerGone) {
      // nobody is left for the attendant
      this.o.inbound.finish(callId, 'completed', 'both parties gone');
      return;
    }
    // the record first: events of the leg that follow find nothing left to do
    const action = call.state === 'conference' || call.joinOnAnswer ? 'conference-ended' : 'consult-ended';
    await this.store(consultEnded(call), operator ?? call.attendant, action, why, { target: call.consultTarget });
    // only a caller waiting on hold comes back; a third party that waited there is gone
    const holdBridge = call.state === 'consulting' ? call.holdBridge : undefined;
    const back = call.state === 'consulting' && call.talkingTo === 'target' && holdBridge ? { hold: holdBridge, talk: call.talkBridge } : undefined;
    if (!back) {
      if (holdBridge) bestEffort(ctx, 'destroy holding bridge', ctx.ari.destroyBridge(holdBridge), { callId });
      return;
    }
    try {
      await this.o.inbound.serial.run(callId, () => step('bring the caller back to the attendant', () => ctx.ari.addChannel(back.talk, [callId])));
      bestEffort(ctx, 'destroy holding bridge', ctx.ari.destroyBridge(back.hold), { callId });
    } catch (err) {
      // the caller is safe with music in its holding bridge: never hung up for this; tried again, flagged meanwhile
      ctx.log.error({ callId, err: (err as Error).message }, 'caller could not be brought back from hold; trying again');
      await this.keepHoldBridge(callId, back.hold);
      this.needsAttention(callId, `the caller waits on hold: bringing it back failed (${(err as Error).message})`, async () => {
        await ctx.ari.addChannel(back.talk, [callId]);
        bestEffort(ctx, 'destroy holding bridge', ctx.ari.destroyBridge(back.hold), { callId });
        const cur = ctx.ledger.calls.get(callId);
        // the caller is in the call bridge again: the record no longer names the holding bridge
        if (cur?.state === 'talking' && cur.holdBridge === back.hold) await ctx.ledger.commit(ctx.ledger.batch().putCall(bridged(cur, back.talk)));
      });
    }
  }

  /** the record keeps naming the holding bridge the caller still waits in (a hang-up destroys it, recovery finds it) */
  private async keepHoldBridge(callId: string, holdBridge: string): Promise<void> {
    const cur = this.o.ctx.ledger.calls.get(callId);
    if (cur?.state === 'talking' && cur.holdBridge !== holdBridge) await this.o.ctx.ledger.commit(this.o.ctx.ledger.batch().putCall({ ...cur, holdBridge }));
  }

  /**
   * A bridge move that could not be undone: the call is flagged as needing attention (the console shows
   * why) while `repair` is tried again with back-off; the flag goes once it succeeds.
   */
  private needsAttention(callId: string, why: string, repair: () => Promise<void>, attempt = 0): void {
    const { ctx } = this.o;
    const cur = ctx.ledger.calls.get(callId);
    if (!cur) return;
    if (cur.attention !== why) void ctx.ledger.commit(ctx.ledger.batch().putCall(withAttention(cur, why)).log({ time: ctx.time.now(), operator: 'system', action: 'needs-attention', callId, numbers: [cur.callerNumber], result: why }));
    const delay = REPAIR_RETRY_MS[attempt];
    if (delay === undefined) return;
    ctx.time.schedule(delay, () => {
      if (!ctx.ledger.calls.get(callId)?.attention) return;
      void this.o.inbound.serial.run(callId, repair).then(async () => {
        const now = ctx.ledger.calls.get(callId);
        if (now?.attention) await ctx.ledger.commit(ctx.ledger.batch().putCall(withAttention(now, undefined)));
        ctx.log.info({ callId }, 'repaired after a failed operation');
      }, () => this.needsAttention(callId, why, repair, attempt + 1));
    });
  }

  /** The caller hung up: the attendant goes on with an answered third party, else the call is over. */
  private async callerGone(call: ConsultingCall | ConferenceCall): Promise<void> {
    const { ctx } = this.o;
    if (!call.consultAnswered) {
      this.cancelTimer(call.id);
      this.o.inbound.callerLeft(call.id);
      return;
    }
    await this.store(callerLeftConsult(call), 'system', 'caller-left', 'attendant with third party');
    const leg = call.consultLeg;
    await this.o.inbound.serial.run(call.id, async () => {
      if (call.state === 'consulting' && call.talkingTo === 'caller') {
        // the third party waited on hold: bring it to the attendant
        await ctx.ari.addChannel(call.talkBridge, [leg]).catch((err: Error) => ctx.log.warn({ leg, err: err.message }, 'third party could not be brought back'));
      }
      if (call.state === 'consulting' && call.holdBridge) bestEffort(ctx, 'destroy holding bridge', ctx.ari.destroyBridge(call.holdBridge), { callId: call.id });
    });
  }

  /** The attendant hung up its set: a transfer by hanging up (three-way: the two go on talking). */
  private async attendantLeft(call: ConsultingCall | ConferenceCall): Promise<void> {
    const attendantId = call.attendant;
    if (call.callerGone) {
      this.o.inbound.attendantLeft(call.leg);
      return;
    }
    if (call.consultAnswered) {
      await this.handOver(call, call.state === 'conference' ? 'conference-leave' : 'transfer-complete', true).catch((err: Error) => {
        this.o.ctx.log.error({ callId: call.id, err: err.message }, 'hand-over after the set hung up failed');
      });
    } else if (call.state === 'consulting' && !call.joinOnAnswer) {
      this.cancelTimer(call.id);
      await this.transfers.takeRinging(attendantId, call);
    } else {
      this.cancelTimer(call.id);
      this.o.inbound.attendantLeft(call.leg);
    }
  }

  /**
   * The attendant leaves caller and third party together in the call bridge: the call ends as a
   * completed transfer and the pair is only watched from now on. The bridge moves and the attendant's
   * leg go first: a step that fails leaves the call as it was (or, once the three are together, a
   * three-way call the attendant may leave again), with the attendant still on it.
   */
  private async handOver(call: ConsultingCall | ConferenceCall, action: string, setHungUp = false, flight?: { legLeft: boolean }): Promise<void> {
    const { ctx, inbound } = this.o;
    const leg = call.consultLeg;
    const bridge = call.talkBridge;
    const attendantLeg = call.leg;
    const holdBridge = call.state === 'consulting' ? call.holdBridge : undefined;
    if (call.state === 'consulting') {
      const held = call.talkingTo === 'target' ? call.id : leg;
      try {
        await inbound.serial.run(call.id, () => step('bring the held party to the call bridge', () => ctx.ari.addChannel(bridge, [held])));
      } catch (err) {
        if (!setHungUp && !flight?.legLeft) throw operationFailed(this.o, action, call.id, err, 'the call is as it was: the caller and the third party are still apart; try again');
        // the attendant is gone: the two are handed over anyway and brought together as soon as Asterisk lets
        ctx.log.error({ callId: call.id, err: (err as Error).message }, 'hand-over bridge failed after the set hung up; trying again');
        this.retryJoin(call.id, bridge, held);
      }
    }
    if (attendantLeg && !setHungUp && !flight?.legLeft) {
      try {
        await hangupStep(this.o, 'hang up the attendant\'s leg', attendantLeg);
      } catch (err) {
        if (call.state === 'consulting') {
          // caller, third party and attendant are together in the call bridge now: that is a three-way call
          const cur = this.withLeg(call.id, leg);
          if (cur?.state === 'consulting') await this.store(join(cur), call.attendant, 'conference', 'joined', { why: `${action} could not release the attendant` });
          if (holdBridge) bestEffort(ctx, 'destroy holding bridge', ctx.ari.destroyBridge(holdBridge), { callId: call.id });
          throw operationFailed(this.o, action, call.id, err, 'the three of you are in a three-way call now: leave it to hand over');
        }
        throw operationFailed(this.o, action, call.id, err, 'the call is as it was: you are still in the three-way call; try again');
      }
    }
    const cur = ctx.ledger.calls.get(call.id);
    const now = this.withLeg(call.id, leg);
    if (!setHungUp && (!now || now.callerGone)) {
      // a party hung up during the steps (its own events changed the call): with the attendant gone as
      // well, whoever is left is released as when the attendant hangs up
      if (now?.callerGone) inbound.finish(call.id, 'completed', 'both parties gone');
      else if (cur && attendantLeg && attendantLegOf(cur) === attendantLeg) inbound.attendantLeft(attendantLeg);
      return;
    }
    // the record no longer names the leg, the bridges or the third party: finishing leaves them alone
    const b = ctx.ledger.batch().putCall(handedOver(now ?? call));
    this.o.desk.apply(b, call.attendant, { type: 'callEnded', callId: call.id }, { callId: call.id });
    b.log({ time: ctx.time.now(), operator: call.attendant, action, callId: call.id, numbers: [call.callerNumber, call.consultTarget], result: 'completed-transfer', ...(setHungUp ? { detail: { by: 'set hung up' } } : {}) });
    await ctx.ledger.commit(b);
    this.handoffs.watch(call.id, leg, bridge);
    if (holdBridge) bestEffort(ctx, 'destroy holding bridge', ctx.ari.destroyBridge(holdBridge), { callId: call.id });
    inbound.finish(call.id, 'completed-transfer', `handed over to ${call.consultTarget}`);
    this.o.desk.publishDeviceStates([ctx.ledger.attendants.get(call.attendant)!]);
    await ctx.ledger.release(call.id);
    ctx.log.info({ callId: call.id, target: call.consultTarget, action }, 'handed over');
  }

  /** a handed-over pair whose bridge move failed: tried again while both are there */
  private retryJoin(callId: string, bridge: string, held: string, attempt = 0): void {
    const { ctx } = this.o;
    const delay = REPAIR_RETRY_MS[attempt];
    if (delay === undefined) return;
    ctx.time.schedule(delay, () => {
      if (!this.handoffs.has(held)) return;
      ctx.ari.addChannel(bridge, [held]).catch(() => this.retryJoin(callId, bridge, held, attempt + 1));
    });
  }

  // ----- helpers ------------------------------------------------------------------------------

  private talking(attendantId: string, callId: string): TalkingCall {
    const call = requireOwnCall(this.o, attendantId, callId);
    if (call.state !== 'talking' || !call.leg || !call.talkBridge) throw new OperationError('invalid_state', `call "${callId}" is ${call.state}`);
    return call;
  }

  private answeredConsultation(attendantId: string, callId: string): ConsultingCall {
    const call = requireOwnCall(this.o, attendantId, callId);
    if (call.state !== 'consulting' || !call.consultAnswered || !call.holdBridge || !call.talkBridge) throw new OperationError('invalid_state', `call "${callId}" is ${call.state}${call.state === 'consulting' ? ' (third party not answered)' : ''}`);
    if (call.callerGone) throw new OperationError('invalid_state', `the caller of "${callId}" has hung up`);
    return call;
  }

  private byConsultLeg(leg: string): ConsultingCall | ConferenceCall | undefined {
    for (const c of this.o.ctx.ledger.calls.values()) if ((c.state === 'consulting' || c.state === 'conference') && c.consultLeg === leg) return c;
    return undefined;
  }

  /** the call, while its third party is still `leg` */
  private withLeg(callId: string, leg: string): ConsultingCall | ConferenceCall | undefined {
    const c = this.o.ctx.ledger.calls.get(callId);
    return (c?.state === 'consulting' || c?.state === 'conference') && c.consultLeg === leg ? c : undefined;
  }

  /**
   * The record first (what the console, the keys and the events show), then the bridge moves; a
   * move that fails puts the record back, unless the call changed meanwhile (a party hung up).
   */
  private async recordThenMove(prev: CallRecord, next: CallRecord, attendantId: string, action: string, result: string, steps: () => Promise<void>): Promise<void> {
    await this.inFlight.run(next.id, action, undefined, async () => {
      await this.store(next, attendantId, action, result);
      const stored = this.o.ctx.ledger.calls.get(next.id);
      try {
        await this.o.inbound.serial.run(next.id, steps);
      } catch (err) {
        if (stored && this.o.ctx.ledger.calls.get(next.id) === stored) await this.store(prev, attendantId, action, 'failed');
        throw operationFailed(this.o, action, next.id, err, 'the call is as it was; try again');
      }
    });
  }

  private async store(next: CallRecord, operator: string, action: string, result: string, detail?: Record<string, string>): Promise<void> {
    const { ctx } = this.o;
    const b = ctx.ledger.batch().putCall(next);
    b.log({ time: ctx.time.now(), operator, action, callId: next.id, numbers: [next.callerNumber, ...(next.state === 'consulting' || next.state === 'conference' ? [next.consultTarget] : detail?.target ? [detail.target] : [])], result, ...(detail ? { detail } : {}) });
    await ctx.ledger.commit(b);
  }

  /**
   * Ring the third party; the attendant's own identity is shown to it. Resolves once Asterisk made the
   * leg; when it refuses, the attendant is back with the caller and the operator is told.
   */
  private async ring(call: ConsultingCall, leg: string, number: string, attendantId: string, op: string): Promise<void> {
    const { ctx } = this.o;
    this.armTimer(call.id, leg);
    const acfg = ctx.attendantConfig(attendantId);
    const callerId = acfg?.extension ? `"${acfg.name.replace(/"/g, '')}" <${acfg.extension}>` : undefined;
    ctx.log.info({ callId: call.id, attendant: attendantId, target: number, leg }, call.joinOnAnswer ? 'three-way: calling third party' : 'consultation');
    try {
      await step('ring the third party', () => ctx.ari.originate({ endpoint: dialString(ctx.config, number), channelId: leg, appArgs: [CONSULT_ARG, call.id], timeout: ctx.config.timers.recall + 5, ...(callerId ? { callerId } : {}), reported: ctx.routes.reportedOf(leg) }));
    } catch (err) {
      ctx.log.warn({ callId: call.id, target: number, err: (err as Error).message }, 'consultation originate failed');
      if (statusOf((err as StepFailed).error) === 504) releaseChannel(this.o.ctx, leg, 'hang up timed-out consultation leg');
      await this.thirdPartyGone(call.id, leg, 'failed');
      const cur = ctx.ledger.calls.get(call.id);
      throw operationFailed(this.o, op, call.id, err, cur?.attention ? `the caller could not be brought back yet: ${cur.attention}` : 'the call is as it was: the caller is talking with the attendant; try again');
    }
  }

  private armTimer(callId: string, leg: string): void {
    const { ctx } = this.o;
    this.cancelTimer(callId);
    this.ringTimers.set(callId, ctx.time.schedule(ctx.config.timers.recall * 1000, () => {
      this.ringTimers.delete(callId);
      const cur = this.withLeg(callId, leg);
      if (!cur || cur.consultAnswered) return;
      bestEffort(ctx, 'hang up unanswered consultation leg', ctx.ari.hangup(leg, 'no_answer'), { leg });
      void this.thirdPartyGone(callId, leg, 'no-answer');
    }));
  }

  private cancelTimer(callId: string): void {
    this.ringTimers.get(callId)?.cancel();
    this.ringTimers.delete(callId);
  }
}

