// The set's own transfer key. Every attendant leg has PJSIP_TRANSFER_HANDLING(ari-only)
// (Asterisk 20.13 / 21.8 / 22.3+): the legs the controller originates get it with the originate
// (presenter.ts setVariables), a set's own call picked up by a feature code when it becomes the call's
// leg. So a SIP REFER arrives as ChannelTransfer instead of Asterisk transferring by itself. A blind REFER becomes the console's blind transfer (recall, statistics
// and the log apply); the set is told with transfer_progress: progress at once, answered once the
// transfer is decided (before its leg is released), declined when refused. During a consultation,
// a REFER that names it (Replaces the consultation leg, or is addressed to the party consulted)
// completes it (leaves a three-way call); another attended REFER is declined and the call goes on.
import { isChannelGone, type ChannelTransferEvent, type TransferProgress } from '../../asterisk/port.ts';
import type { ConferenceCall, ConsultingCall } from '../../domain/call.ts';
import { bestEffort } from '../context.ts';
import { TRANSFER_HANDLING } from '../presenter.ts';
import { callOfLeg, type PhoneDeps } from './deps.ts';

export { TRANSFER_HANDLING };

export class TransferKey {
  /** legs already set to ari-only */
  private readonly armed = new Set<string>();
  private warned = false;

  constructor(private readonly d: PhoneDeps) {}

  /** an attendant leg was answered: a set's own call (a feature-code pick-up) gets ari-only now */
  legAnswered(leg: string): void {
    const { ctx } = this.d;
    // legs the controller originated were given it with the originate
    if (!ctx.config.phone.transferKey || ctx.routes.channel(leg)?.originated === true || this.armed.has(leg)) return;
    this.armed.add(leg);
    // bounded: ids never repeat, the oldest are long gone
    if (this.armed.size > 1000) this.armed.delete(this.armed.values().next().value!);
    ctx.ari.setVariable(leg, TRANSFER_HANDLING, 'ari-only').catch((err: Error & { status?: number }) => {
      if (isChannelGone(err)) return;
      // older Asterisk has no such function: the transfer key is then Asterisk's own (see README)
      if (!this.warned) ctx.log.warn({ leg, err: err.message }, 'cannot set PJSIP_TRANSFER_HANDLING(ari-only): the set\'s transfer key needs Asterisk 20.13 / 21.8 / 22.3 or later');
      this.warned = true;
    });
  }

  /** ChannelTransfer: a REFER from a set (no state), or the echo of our own progress (ignored) */
  requested(e: ChannelTransferEvent): void {
    if (e.state !== undefined) return;
    const { ctx } = this.d;
    const leg = e.source.id;
    const call = callOfLeg(ctx, leg);
    if (!call) {
      ctx.log.info({ leg, destination: e.destination }, 'transfer key on a channel that is not an attendant\'s call: declined');
      void this.progress(leg, 'channel_declined');
      return;
    }
    // a REFER that names the consultation (Replaces it, or the party consulted) completes it
    const consulted = call.state !== 'talking' && (e.replaces
      ? [e.replaces.channel?.id, e.replaces.peer?.id].includes(call.consultLeg)
      : userPart(e.destination ?? '') === call.consultTarget);
    if (consulted) void this.complete(leg, call);
    else if (e.replaces) {
      ctx.log.info({ leg, callId: call.id, replaces: e.replaces.channel?.id }, 'transfer key: attended transfer to a call the controller does not handle: declined');
      void this.progress(leg, 'channel_declined');
    } else void this.blind(leg, call.attendant, call.id, e.destination ?? '');
  }

  // The operation starts in this very turn: a set that hangs up right after its 202 Accepted must
  // find the call already handed to the transfer, not release the caller. The reports stay in order.
  private async blind(leg: string, attendantId: string, callId: string, destination: string): Promise<void> {
    const { ctx, ops } = this.d;
    const target = userPart(destination);
    const progressing = this.progress(leg, 'channel_progress');
    let told = false;
    try {
      await ops.blindTransfer(attendantId, callId, target, async () => {
        told = true;
        await progressing;
        await this.progress(leg, 'channel_answered');
      });
      ctx.log.info({ leg, callId, attendant: attendantId, target }, 'transfer key: blind transfer');
    } catch (err) {
      ctx.log.info({ leg, callId, attendant: attendantId, target, err: (err as Error).message }, 'transfer key: blind transfer refused');
      if (!told) await progressing.then(() => this.progress(leg, 'channel_declined'));
    }
  }

  // The set is told before the operation: on "answered" it hangs up, and a set hanging up during a
  // consultation completes it too (Consults.attendantLeft), so whichever comes first hands over.
  private async complete(leg: string, call: ConsultingCall | ConferenceCall): Promise<void> {
    const { ctx, ops } = this.d;
    if (call.callerGone || (call.state === 'consulting' && call.joinOnAnswer && !call.consultAnswered)) {
      ctx.log.info({ leg, callId: call.id }, 'transfer key: nothing to hand over yet: declined');
      await this.progress(leg, 'channel_declined');
      return;
    }
    await this.progress(leg, 'channel_progress');
    await this.progress(leg, 'channel_answered');
    try {
      if (call.state === 'conference') await ops.leaveConference(call.attendant, call.id);
      else await ops.completeTransfer(call.attendant, call.id);
      ctx.log.info({ leg, callId: call.id, attendant: call.attendant }, 'transfer key: consultation completed');
    } catch (err) {
      // the set hung up first and its leaving completed the consultation
      ctx.log.info({ leg, callId: call.id, attendant: call.attendant, err: (err as Error).message }, 'transfer key: completion already done or refused');
    }
  }

  private tell(leg: string, state: TransferProgress): Promise<void> {
    return this.d.ctx.ari.transferProgress(leg, state);
  }

  /** never rejects: a set that is gone cannot be told */
  private progress(leg: string, state: TransferProgress): Promise<void> {
    const p = this.tell(leg, state);
    bestEffort(this.d.ctx, `transfer progress ${state}`, p, { leg });
    return p.catch(() => undefined);
  }

  forget(channelId: string): void {
    this.armed.delete(channelId);
  }
}

/** Refer-To carries the user part; tolerate a whole SIP URI */
function userPart(destination: string): string {
  return destination.trim().replace(/^sips?:/i, '').replace(/[@;].*$/, '');
}
