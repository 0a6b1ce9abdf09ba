// What the set hears: a confirmation or an error sound on its channel; a feature call is then hung
// up when the sound has played (PlaybackFinished), or after `phone.toneSeconds` if that never comes.
import type { TimerHandle } from '../../domain/clock.ts';
import { bestEffort, type CallContext } from '../context.ts';

export class Feedback {
  private readonly hangups = new Map<string, TimerHandle>();

  constructor(private readonly ctx: CallContext) {}

  /** a sound on a channel that stays up (the attendant's leg during a call) */
  tone(channelId: string, ok: boolean): void {
    const { sounds } = this.ctx.config.phone;
    bestEffort(this.ctx, ok ? 'confirmation tone' : 'error tone', this.ctx.ari.play(channelId, ok ? sounds.ok : sounds.error), { channel: channelId });
  }

  /** the end of a feature call: its sound, then hang up */
  finish(channelId: string, ok: boolean): void {
    const { ctx } = this;
    this.tone(channelId, ok);
    this.hangups.get(channelId)?.cancel();
    this.hangups.set(channelId, ctx.time.schedule(ctx.config.phone.toneSeconds * 1000, () => this.hangUp(channelId)));
  }

  /** PlaybackFinished on a channel: a feature call that heard its sound is hung up */
  played(channelId: string): void {
    if (this.hangups.has(channelId)) this.hangUp(channelId);
  }

  private hangUp(channelId: string): void {
    this.forget(channelId);
    bestEffort(this.ctx, 'hang up feature call', this.ctx.ari.hangup(channelId), { channel: channelId });
  }

  /** the channel left: nothing more to hang up */
  forget(channelId: string): void {
    this.hangups.get(channelId)?.cancel();
    this.hangups.delete(channelId);
  }

  stop(): void {
    for (const t of this.hangups.values()) t.cancel();
    this.hangups.clear();
  }
}
