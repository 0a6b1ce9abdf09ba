// The SIP set as the attendant set: feature codes, in-call keypad commands, the set's own transfer
// key and the lamps of its programmable keys. The switchboard routes ARI events here; everything
// runs through the switchboard's own keys and operations, so the console, the statistics and the
// action log see it exactly as if it had been keyed on the console.
import type { ChannelInfo, ChannelTransferEvent } from '../../asterisk/port.ts';
import type { CallContext } from '../context.ts';
import type { Change } from '../ledger.ts';
import type { Presenter } from '../presenter.ts';
import type { PhoneDesk, PhoneOperations } from './deps.ts';
import { FeatureCodes } from './features.ts';
import { Feedback } from './feedback.ts';
import { InCallKeys } from './in-call.ts';
import { KeyLamps } from './lamps.ts';
import { AttendantSets } from './sets.ts';
import { TransferKey } from './transfer-key.ts';
import { siteNumbering, type SiteNumbering } from '../numbering.ts';

export { FEATURE_ARG } from './features.ts';

export class AttendantPhone {
  private readonly feedback: Feedback;
  private readonly features: FeatureCodes;
  private readonly keys: InCallKeys;
  private readonly transferKey: TransferKey;
  private readonly lamps: KeyLamps;
  private readonly numbering: SiteNumbering;

  constructor(private readonly deps: { ctx: CallContext; ops: PhoneOperations; presenter: Presenter; desk: PhoneDesk }) {
    const { ctx } = deps;
    this.numbering = siteNumbering(ctx.config);
    this.feedback = new Feedback(ctx);
    const d = { ...deps, sets: new AttendantSets(ctx.config), feedback: this.feedback };
    this.features = new FeatureCodes(d);
    this.keys = new InCallKeys(d);
    this.transferKey = new TransferKey(d);
    this.lamps = new KeyLamps(ctx);
    ctx.ledger.on('change', (c) => this.changed(c));
  }

  /**
   * StasisStart `feature,<name>,...`: false when the name is not an attendant set's feature, or when
   * the channel is not one of the site's phones (numbering.phoneContexts: the switchboard refuses it)
   */
  featureCall(channel: ChannelInfo, args: string[]): boolean {
    if (!this.numbering.isPhone(channel)) return false;
    // the set's side (taken first: a pick-up makes this very channel the call's leg at once)
    const { routes } = this.deps.ctx;
    routes.takeChannel(channel.id, { owner: 'attendant' });
    if (this.features.arrive(channel, args)) return true;
    routes.dropChannel(channel.id);
    return false;
  }

  /** ChannelDtmfReceived: only an attendant's leg has commands */
  dtmf(channelId: string, digit: string): void {
    this.keys.key(channelId, digit);
  }

  /** ChannelTransfer: the set's transfer key */
  transferRequested(e: ChannelTransferEvent): void {
    this.transferKey.requested(e);
  }

  /** PlaybackFinished on a channel */
  playbackFinished(channelId: string): void {
    this.feedback.played(channelId);
  }

  /** StasisEnd of any channel: forget what was kept for it */
  channelLeft(channelId: string): void {
    this.feedback.forget(channelId);
    this.keys.forget(channelId);
    this.transferKey.forget(channelId);
    this.features.left(channelId);
    // a pick-up's feature call that hangs up before its hand-over: that presentation ends with it
    const { presenter } = this.deps;
    if (presenter.isPresentationLeg(channelId)) presenter.legEnded(channelId, 'failed');
  }

  /** after a start or a reconnect */
  republishAll(): void {
    this.lamps.republishAll();
  }

  private changed(c: Change): void {
    this.lamps.changed(c);
    if (c.kind !== 'call') return;
    this.features.noteCall(c.call);
    if (c.call.state === 'talking' && c.call.leg && c.call.attendant) this.transferKey.legAnswered(c.call.leg);
  }

  stop(): void {
    this.feedback.stop();
    this.keys.stop();
    this.lamps.stop();
  }
}
