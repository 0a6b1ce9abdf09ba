// Wake-up booking from a room phone: *56HHMM books a wake-up at HH:MM for the calling extension,
// *57 cancels its bookings. The dialplan enters Stasis(attendant,feature,wakeup-set,HHMM) or
// (…,feature,wakeup-cancel); the room hears a confirmation (or an error tone) and is hung up.
// Only codes from room phones land here: the attendant sets' own feature codes are another flow's.
import type { ChannelInfo } from '../../asterisk/port.ts';
import { bestEffort, type CallContext } from '../context.ts';
import { OperationError } from '../operations-port.ts';
import { DueTimers } from './docs.ts';
import type { WakeupService } from './wakeup.ts';

export const FEATURE_ARG = 'feature';
const ROOM_CODES: ReadonlySet<string> = new Set(['wakeup-set', 'wakeup-cancel']);
/** a confirmation never takes longer than this: the line is freed even if PlaybackFinished is lost */
const CONFIRM_GUARD_MS = 30_000;

export class RoomWakeupCodes {
  /** room channels hearing their confirmation */
  private readonly confirming: DueTimers;

  constructor(private readonly ctx: CallContext, private readonly wakeups: WakeupService) {
    this.confirming = new DueTimers(ctx);
  }

  /** StasisStart with args [feature, wakeup-set|wakeup-cancel, …]; false when the code is not a room's wake-up code */
  handle(channel: ChannelInfo, args: string[]): boolean {
    if (args[0] !== FEATURE_ARG || !ROOM_CODES.has(args[1] ?? '')) return false;
    if (this.ctx.config.attendants.some((a) => channel.name.startsWith(`${a.device}-`))) return false;
    this.ctx.routes.takeChannel(channel.id, { owner: 'room' });
    void this.book(channel, args[1]!, args[2] ?? '');
    return true;
  }

  private async book(channel: ChannelInfo, code: string, argument: string): Promise<void> {
    const { ctx } = this;
    const extension = channel.caller.number;
    const by = `room-${extension}`;
    let ok = false;
    try {
      if (code === 'wakeup-set') {
        await this.wakeups.schedule({ extension, time: argument, daily: false }, by);
        ok = true;
      } else {
        ok = (await this.wakeups.cancelAllOf(extension, by)) > 0;
      }
    } catch (err) {
      if (!(err instanceof OperationError)) ctx.log.error({ channel: channel.id, code, err: (err as Error).message }, 'wake-up code failed');
    }
    ctx.log.info({ channel: channel.id, extension, code, argument, ok }, 'wake-up code from a room');
    this.confirming.at(channel.id, ctx.time.now() + CONFIRM_GUARD_MS, () => this.done(channel.id));
    try {
      await ctx.ari.answer(channel.id);
      await ctx.ari.play(channel.id, ok ? ctx.config.wakeup.bookedSound : ctx.config.wakeup.refusedSound, `${channel.id}-confirm`);
    } catch (err) {
      ctx.log.warn({ channel: channel.id, err: (err as Error).message }, 'cannot confirm the wake-up code');
      this.done(channel.id);
    }
  }

  /** PlaybackFinished: the confirmation was heard; true when the channel was one of ours */
  playbackFinished(channelId: string): boolean {
    if (!this.confirming.has(channelId)) return false;
    this.done(channelId);
    return true;
  }

  /** StasisEnd: the room hung up first */
  channelLeft(channelId: string): boolean {
    if (!this.confirming.has(channelId)) return false;
    this.confirming.cancel(channelId);
    return true;
  }

  stop(): void {
    this.confirming.stop();
  }

  private done(channelId: string): void {
    this.confirming.cancel(channelId);
    bestEffort(this.ctx, 'hang up after wake-up code', this.ctx.ari.hangup(channelId), { channel: channelId });
  }
}
