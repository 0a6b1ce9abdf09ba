// Monitoring (监听) for supervisors. The supervisor's set is rung (`<callId>-m<n>`, appArgs
// `@monitor,<callId>,<mode>`); once it answers: listen = a snoop on the attendant's leg with
// spy=both (both sides of the conversation) bridged with the supervisor in a monitoring bridge;
// whisper = the same with whisper=out (the supervisor speaks to the attendant only); barge = the
// supervisor joins the call bridge and all hear each other. A session ends when the supervisor
// stops or hangs up, or when the attendant's leg leaves the conversation (hold, transfer, end).
// The supervisor's position is busy meanwhile, so no call is presented to it.
import { unansweredReason } from '../../domain/causes.ts';
import type { TimerHandle } from '../../domain/clock.ts';
import type { CallRecord } from '../../domain/model.ts';
import { attendantLegOf, talkBridgeOf } from '../../domain/call.ts';
import { bestEffort } from '../context.ts';
import { OperationError, type MonitorMode } from '../operations-port.ts';
import { setVariables } from '../presenter.ts';
import { requireAttendant, requireCall, type OpsDeps } from './common.ts';
import { monitorBridgeId, snoopChannelId } from '../../domain/ids.ts';
import { hangupStep, operationFailed, step, type StepFailed } from './steps.ts';

export const MONITOR_ARG = '@monitor';
export const SNOOP_ARG = '@snoop';

interface Session {
  /** the supervisor's leg, which is also the session id */
  id: string;
  supervisor: string;
  callId: string;
  mode: MonitorMode;
  /** the attendant leg the session watches: when it leaves the conversation, the session ends */
  attendantLeg: string;
  answered: boolean;
  startedAt: number;
  bridge?: string;
  snoop?: string;
  timer?: TimerHandle;
  /** its end is under way (the supervisor's leg being released) */
  ending?: boolean;
  /** releases of the supervisor's leg that failed so far */
  endAttempts: number;
}

/** a supervisor's leg Asterisk did not release is tried again this long after each failure */
const END_RETRY_MS = [1000, 2000, 5000, 10_000, 30_000, 60_000];

const CONVERSATION = new Set<CallRecord['state']>(['talking', 'consulting', 'conference']);

export class Monitors {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly o: OpsDeps) {
    o.ctx.ledger.on('change', (c) => { if (c.kind === 'call') this.callChanged(c.call); });
  }

  async monitor(supervisorId: string, callId: string, mode: MonitorMode): Promise<{ sessionId: string }> {
    const { ctx, desk } = this.o;
    let sup = requireAttendant(this.o, supervisorId);
    const call = requireCall(this.o, callId);
    if ((call.state !== 'talking' && call.state !== 'consulting' && call.state !== 'conference') || !call.talkBridge) throw new OperationError('invalid_state', `call "${callId}" is ${call.state}: only a conversation is monitored`);
    if (call.attendant === supervisorId) throw new OperationError('invalid_target', 'a position does not monitor its own call');
    const b = ctx.ledger.batch();
    if (sup.state === 'absent') desk.apply(b, supervisorId, { type: 'action' });
    const id = ctx.ids.leg('m', callId);
    const res = desk.apply(b, supervisorId, { type: 'busyOperation', callId, leg: id, operation: `monitor ${mode}` });
    if (res instanceof Error) throw new OperationError('invalid_state', `position "${supervisorId}" is ${sup.state}`);
    sup = res;
    const now = ctx.time.now();
    b.log({ time: now, operator: supervisorId, action: 'monitor-start', callId, numbers: [call.callerNumber], result: 'ringing', detail: { mode, attendant: call.attendant } });
    await ctx.ledger.commit(b);
    desk.publishDeviceStates([sup]);
    const s: Session = { id, supervisor: supervisorId, callId, mode, attendantLeg: call.leg, answered: false, startedAt: now, endAttempts: 0 };
    this.sessions.set(id, s);
    s.timer = ctx.time.schedule(ctx.config.timers.recall * 1000, () => {
      if (!s.answered) void this.end(s, 'no-answer');
    });
    const variables = setVariables(ctx.attendantConfig(supervisorId), ctx.config.phone.transferKey);
    ctx.log.info({ callId, supervisor: supervisorId, mode, leg: id }, 'monitor: ringing the supervisor');
    try {
      await step('ring the supervisor\'s set', () => ctx.ari.originate({
        endpoint: sup.device, channelId: id, appArgs: [MONITOR_ARG, callId, mode], callerId: `"Monitor ${call.callerNumber}" <${call.callerNumber}>`,
        timeout: ctx.config.timers.recall + 5, ...(Object.keys(variables).length ? { variables } : {}), reported: ctx.routes.reportedOf(id),
      }));
    } catch (err) {
      ctx.log.warn({ callId, supervisor: supervisorId, err: (err as Error).message }, 'monitor originate failed');
      await this.end(s, 'failed');
      throw operationFailed(this.o, 'monitor', callId, err, 'the call was not touched; try again');
    }
    return { sessionId: id };
  }

  async stop(supervisorId: string, sessionId: string): Promise<void> {
    const s = this.sessions.get(sessionId);
    if (!s) throw new OperationError('not_found', `no monitoring session "${sessionId}"`);
    if (s.supervisor !== supervisorId) throw new OperationError('not_your_call', `session "${sessionId}" is not "${supervisorId}"'s`);
    const failed = await this.end(s, 'stopped');
    if (failed) throw operationFailed(this.o, 'stop monitoring', s.callId, failed, 'the supervisor\'s set is still on the call: it is released as soon as Asterisk lets');
  }

  // ----- ARI events --------------------------------------------------------------------------

  /** StasisStart of the supervisor's leg: it answered */
  answered(leg: string): void {
    const { ctx } = this.o;
    const s = this.sessions.get(leg);
    if (!s || s.answered) {
      bestEffort(ctx, 'hang up late monitor leg', ctx.ari.hangup(leg), { leg });
      return;
    }
    s.answered = true;
    s.timer?.cancel();
    const call = ctx.ledger.calls.get(s.callId);
    const talkBridge = call ? talkBridgeOf(call) : undefined;
    if (!call || !talkBridge || attendantLegOf(call) !== s.attendantLeg) {
      void this.end(s, 'call-ended');
      return;
    }
    void (async () => {
      try {
        if (s.mode === 'barge') {
          await ctx.ari.addChannel(talkBridge, [leg]);
        } else {
          s.bridge = ctx.ids.monitorBridge(leg, s.callId);
          s.snoop = ctx.ids.snoop(leg, s.callId);
          await ctx.ari.createBridge('mixing', ctx.routes.nameOf(s.bridge), s.bridge);
          await ctx.ari.addChannel(s.bridge, [leg]);
          // spy on both directions of the attendant's leg; whisper=out speaks into what the attendant hears
          await ctx.ari.snoop(s.attendantLeg, { spy: 'both', whisper: s.mode === 'whisper' ? 'out' : 'none', appArgs: [SNOOP_ARG, leg], snoopId: s.snoop });
        }
      } catch (err) {
        ctx.log.error({ callId: s.callId, session: s.id, err: (err as Error).message }, 'monitor could not be set up');
        void this.end(s, 'failed');
        return;
      }
      if (!this.sessions.has(s.id)) return;
      ctx.log.info({ callId: s.callId, supervisor: s.supervisor, mode: s.mode }, 'monitoring');
      await this.log(s, 'monitor-start', 'monitoring');
    })();
  }

  /** StasisStart of the snoop channel: it joins the supervisor */
  snoopStarted(snoopId: string, sessionId: string): void {
    const { ctx } = this.o;
    const s = this.sessions.get(sessionId);
    if (!s?.bridge || s.snoop !== snoopId) {
      bestEffort(ctx, 'hang up stray snoop', ctx.ari.hangup(snoopId), { leg: snoopId });
      return;
    }
    ctx.ari.addChannel(s.bridge, [snoopId]).catch((err: Error) => {
      ctx.log.error({ session: s.id, err: err.message }, 'snoop could not be bridged');
      void this.end(s, 'failed');
    });
  }

  /** ChannelDestroyed of a supervisor leg that never answered */
  legDestroyed(leg: string, cause: number): void {
    const s = this.sessions.get(leg);
    if (s && !s.answered) void this.end(s, unansweredReason(cause) === 'busy' ? 'busy' : 'no-answer', leg);
  }

  /** StasisEnd of a supervisor's leg or of the snoop it listens through (the routing table's monitor and snoop channels) */
  channelLeft(id: string): void {
    const s = this.sessions.get(id) ?? [...this.sessions.values()].find((x) => x.snoop === id);
    if (s) void this.end(s, s.id === id ? 'supervisor hung up' : 'call-ended', id);
  }

  /** After a restart: sessions of a previous run are gone; their supervisor legs are released. */
  reconcile(live: ReadonlySet<string>): void {
    const { ctx, desk } = this.o;
    const b = ctx.ledger.batch();
    for (const a of ctx.ledger.attendants.values()) {
      const leg = a.currentLeg;
      if (a.state !== 'busy' || !leg || ctx.routes.channel(leg)?.owner !== 'monitor' || this.sessions.has(leg)) continue;
      for (const id of [leg, snoopChannelId(leg)]) if (live.has(id)) bestEffort(ctx, 'hang up monitor of a previous run', ctx.ari.hangup(id), { leg: id });
      bestEffort(ctx, 'destroy monitor bridge of a previous run', ctx.ari.destroyBridge(monitorBridgeId(leg)).catch(() => undefined));
      desk.apply(b, a.id, { type: 'callEnded' });
    }
    if (b.ops.length) void ctx.ledger.commit(b).then(() => desk.republishAll());
  }

  stopAll(): void {
    for (const s of this.sessions.values()) s.timer?.cancel();
  }

  // ----- ending a session ----------------------------------------------------------------------

  /** the conversation the session watches is over for it (call ended, held, transferred, handed over) */
  private callChanged(call: CallRecord): void {
    for (const s of [...this.sessions.values()]) {
      if (s.callId !== call.id) continue;
      if (!CONVERSATION.has(call.state) || attendantLegOf(call) !== s.attendantLeg) void this.end(s, call.state === 'ended' ? 'call-ended' : `call ${call.state}`);
    }
  }

  /**
   * Resolves once the supervisor is free again and the stop is in the log. The supervisor's leg goes
   * first and for sure: while Asterisk keeps it (in the call bridge, for a barge) the position stays
   * busy, and the release is tried again; resolves with the failed step then.
   */
  private async end(s: Session, why: string, gone?: string): Promise<StepFailed | undefined> {
    const { ctx, desk } = this.o;
    if (s.ending || !this.sessions.has(s.id)) return undefined;
    s.ending = true;
    s.timer?.cancel();
    if (s.id !== gone) {
      try {
        await hangupStep(this.o, 'hang up the supervisor\'s leg', s.id);
      } catch (err) {
        s.ending = false;
        const delay = END_RETRY_MS[s.endAttempts++];
        ctx.log.error({ callId: s.callId, session: s.id, err: (err as Error).message, retryInMs: delay }, 'monitor leg not released; the supervisor stays busy');
        if (delay !== undefined) ctx.time.schedule(delay, () => { if (this.sessions.get(s.id) === s) void this.end(s, why); });
        return err as StepFailed;
      }
    }
    if (!this.sessions.delete(s.id)) return undefined;
    if (s.snoop && s.snoop !== gone) bestEffort(ctx, 'hang up monitor channel', ctx.ari.hangup(s.snoop), { leg: s.snoop });
    if (s.bridge) bestEffort(ctx, 'destroy monitor bridge', ctx.ari.destroyBridge(s.bridge), { bridge: s.bridge });
    const b = ctx.ledger.batch();
    desk.apply(b, s.supervisor, { type: 'callEnded', callId: s.callId }, { callId: s.callId });
    ctx.log.info({ callId: s.callId, supervisor: s.supervisor, why }, 'monitor ended');
    const logged = this.log(s, 'monitor-stop', why);
    await ctx.ledger.commit(b);
    const a = ctx.ledger.attendants.get(s.supervisor);
    if (a) desk.publishDeviceStates([a]);
    ctx.requestDispatch();
    await logged;
    return undefined;
  }

  private async log(s: Session, action: string, result: string): Promise<void> {
    const { ctx } = this.o;
    const b = ctx.ledger.batch().log({
      time: ctx.time.now(), operator: s.supervisor, action, callId: s.callId, numbers: [ctx.ledger.calls.get(s.callId)?.callerNumber ?? ''].filter(Boolean), result,
      detail: { mode: s.mode, session: s.id, ...(action === 'monitor-stop' ? { seconds: String(Math.round((ctx.time.now() - s.startedAt) / 1000)) } : {}) },
    });
    await ctx.ledger.commit(b);
  }
}
