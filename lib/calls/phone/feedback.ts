// What the set hears: a confirmation or an error sound on its channel; a feature call is then hung
// up when the sound has played (PlaybackFinished), or after `phone.toneSeconds` if that never comes.
import { bestEffort, type CallContext } from '../context.ts';
import { DueTimers } from '../services/docs.ts';

export class Feedback {
  /** feature calls waiting for their sound to end */
  private readonly hangups: DueTimers;

  constructor(private readonly ctx: CallContext) {
    this.hangups = new DueTimers(ctx);
  }

  /** a sound on a channel that stays up (the attendant's leg during a call) */
  tone(channelId: string, ok: boolean): void {
    const { sounds } = this.ctx.config.phone;
    bestEffort(this.ctx, ok ? 'confirmation tone' : 'error tone', this.ctx.ari.play(channelId, ok ? sounds.ok : sounds.error), { channel: channelId });
  }

  /** the end of a feature call: its sound, then hang up */
  finish(channelId: string, ok: boolean): void {
    const { ctx } = this;
    this.tone(channelId, ok);
    this.hangups.at(channelId, ctx.time.now() + ctx.config.phone.toneSeconds * 1000, () => this.hangUp(channelId));
  }

  /** PlaybackFinished on a channel: a feature call that heard its sound is hung up */
  played(channelId: string): void {
    if (this.hangups.has(channelId)) this.hangUp(channelId);
  }

  /** the channel left: nothing more to hang up */
  forget(channelId: string): void {
    this.hangups.cancel(channelId);
  }

  stop(): void {
    this.hangups.stop();
  }

  private hangUp(channelId: string): void {
    this.hangups.cancel(channelId);
    bestEffort(this.ctx, 'hang up feature call', this.ctx.ari.hangup(channelId), { channel: channelId });
  }
}
