// The night bell (夜铃 of the Centrex console): while a group is in night mode and calls wait in its
// queue anyway (its night destination is the group itself, or nobody is logged in and there is
// nowhere else to go), its `nightBell.device` rings (appArgs `@nightbell,<group>`). Whoever lifts
// the bell (the night porter, a guard) is put through to the call first in the queue (the oldest,
// unless a more urgent class waits), which leaves the
// desk as answered at the bell; the bell rings again while more calls wait, and stops when none does.
import { effectiveMode } from '../../domain/table.ts';
import type { CallRecord } from '../../domain/model.ts';
import { waitBridgeOf } from '../../domain/call.ts';
import { bestEffort } from '../context.ts';
import { callerIdOf, type OpsDeps } from '../ops/common.ts';
import { DueTimers } from './docs.ts';

export const NIGHT_BELL_ARG = '@nightbell';
/** after an unanswered or failed ring, the bell waits this long before ringing again */
const BELL_PAUSE_MS = 10_000;

export class NightBell {
  /** group → its bell leg while ringing */
  private readonly ringing = new Map<string, string>();
  private readonly pauses: DueTimers;
  private stopped = false;

  constructor(private readonly o: OpsDeps, private readonly watchPair: (a: string, b: string, bridge: string) => void) {
    this.pauses = new DueTimers(o.ctx);
    // calls queued or gone, a mode switched: the bell may have to ring or stop
    o.ctx.ledger.on('change', (c) => {
      if (c.kind === 'queue') this.check(c.group);
      else if (c.kind === 'group') this.check(c.group.id);
    });
  }

  /** ring or silence a group's bell as its queue and mode say */
  check(group: string): void {
    const { ctx } = this.o;
    const g = ctx.groupConfig(group);
    if (this.stopped || !g?.nightBell) return;
    const leg = this.ringing.get(group);
    const due = effectiveMode(g, ctx.ledger.groups.get(group) ?? {}, ctx.time.now()) === 'night' && this.waiting(group).length > 0;
    if (!due && leg) {
      this.ringing.delete(group);
      bestEffort(ctx, 'silence the night bell', ctx.ari.hangup(leg), { leg });
    } else if (due && !leg && !this.pauses.has(group)) {
      void this.ring(group, g.nightBell.device, g.nightBell.ringSeconds);
    }
  }

  /** StasisStart of `@nightbell,<group>`: whoever lifted the bell takes the call first in the queue */
  answered(leg: string, group: string): void {
    const { ctx, inbound } = this.o;
    const call = this.ringing.get(group) === leg ? this.waiting(group)[0] : undefined;
    this.ringing.delete(group);
    if (!call) {
      bestEffort(ctx, 'hang up a bell nobody waits for', ctx.ari.hangup(leg), { leg });
      this.check(group);
      return;
    }
    const now = ctx.time.now();
    const b = ctx.ledger.batch().putCall({ ...call, answeredAt: now });
    b.log({ time: now, operator: 'system', action: 'night-bell', callId: call.id, numbers: [call.callerNumber], result: 'answered', detail: { group, leg } });
    void ctx.ledger.commit(b);
    inbound.finish(call.id, 'completed-transfer', 'answered at the night bell');
    const bridge = ctx.ids.callBridge('bell', call.id);
    this.watchPair(call.id, leg, bridge);
    ctx.log.info({ callId: call.id, group, leg }, 'night bell answered');
    void inbound.serial.run(call.id, async () => {
      try {
        if (ctx.groupConfig(group)?.waiting === 'ringback' || !inbound.wasAnswered(call.id)) {
          await ctx.ari.ringStop(call.id);
          await ctx.ari.answer(call.id);
        } else if (waitBridgeOf(call)) {
          await ctx.ari.removeChannel(waitBridgeOf(call)!, [call.id]).catch(() => undefined);
        }
        await ctx.ari.createBridge('mixing', ctx.routes.nameOf(bridge), bridge);
        await ctx.ari.addChannel(bridge, [call.id, leg]);
      } catch (err) {
        ctx.log.error({ callId: call.id, leg, err: (err as Error).message }, 'night bell bridge failed; releasing both');
        bestEffort(ctx, 'destroy night bell bridge', ctx.ari.destroyBridge(bridge), { bridge });
        bestEffort(ctx, 'hang up night bell', ctx.ari.hangup(leg), { leg });
        bestEffort(ctx, 'hang up caller', ctx.ari.hangup(call.id), { callId: call.id });
      }
    });
    this.check(group);
  }

  /** ChannelDestroyed: a bell nobody lifted rings again after a pause while calls still wait */
  legDestroyed(leg: string): void {
    for (const [group, l] of this.ringing) {
      if (l !== leg) continue;
      this.ringing.delete(group);
      this.pause(group);
    }
  }

  /** after a start or a reconnect: every group's bell as its queue says */
  rearm(): void {
    for (const g of this.o.ctx.config.groups) this.check(g.id);
  }

  stop(): void {
    this.stopped = true;
    this.pauses.stop();
  }

  private waiting(group: string): CallRecord[] {
    const { ledger } = this.o.ctx;
    return ledger.queueOf(group).flatMap((id) => {
      const c = ledger.calls.get(id);
      return c?.state === 'waiting' ? [c] : [];
    });
  }

  private async ring(group: string, device: string, ringSeconds: number): Promise<void> {
    const { ctx } = this.o;
    const first = this.waiting(group)[0]!;
    const now = ctx.time.now();
    const leg = ctx.ids.channel('night-bell', `bell-${group}`);
    this.ringing.set(group, leg);
    const b = ctx.ledger.batch().log({ time: now, operator: 'system', action: 'night-bell', callId: first.id, numbers: [first.callerNumber], result: 'ringing', detail: { group, device } });
    void ctx.ledger.commit(b);
    try {
      await ctx.ari.originate({ endpoint: device, channelId: leg, appArgs: [NIGHT_BELL_ARG, group], callerId: callerIdOf(first), timeout: ringSeconds, reported: ctx.routes.reportedOf(leg) });
    } catch (err) {
      ctx.log.warn({ group, device, err: (err as Error).message }, 'cannot ring the night bell');
      if (this.ringing.get(group) === leg) {
        this.ringing.delete(group);
        this.pause(group);
      }
    }
  }

  private pause(group: string): void {
    this.pauses.at(group, this.o.ctx.time.now() + BELL_PAUSE_MS, () => this.check(group));
  }
}
