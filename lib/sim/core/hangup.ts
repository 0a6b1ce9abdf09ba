// Hanging channels up, in the order the recording shows: RTCP figures, ChannelHangupRequest,
// out of the bridge, StasisEnd, STASISSTATUS=SUCCESS, ChannelDestroyed.
import { leaveBridge } from './bridging.ts';
import { destroyChannel, emitPhoneDial, emitRtpQos, hangupRequest } from './channel-state.ts';
import type { SimChannel } from './channel.ts';
import type { SimCore } from './core.ts';
import { exitStasis } from './stasis.ts';

/** AST_SOFTHANGUP_EXPLICIT: the "cause" a soft hangup request reports is this flag, not the hangup cause */
const SOFTHANGUP_EXPLICIT = 32;
const NORMAL_CLEARING = 16;

/**
 * DELETE /channels/{id}: the request is published at once; the channel thread then leaves the
 * bridge and Stasis and the channel is destroyed with `cause`, just after the HTTP answer.
 */
export function ariHangup(core: SimCore, ch: SimChannel, cause: number): void {
  emitRtpQos(core, ch);
  hangupRequest(core, ch, { cause: SOFTHANGUP_EXPLICIT, soft: true });
  ch.hangupCause = cause;
  ch.dial?.timer?.cancel();
  ch.dial?.answerTimer?.cancel();
  core.scheduler.soon(() => teardown(core, ch));
}

/** the phone ended the call (BYE, CANCEL, reject): a hard hangup request carrying the cause */
export function phoneHangup(core: SimCore, ch: SimChannel, fields: { cause: number; tech_cause?: number }): void {
  if (ch.hungUp) return;
  if (ch.state === 'Up') emitRtpQos(core, ch);
  hangupRequest(core, ch, fields);
  ch.hangupCause = fields.cause;
  teardown(core, ch);
}

/** the channel goes away: bridge, Stasis, snoops on it, then ChannelDestroyed; its Local other half, and the phone a ;2 half rang, go with it */
export function teardown(core: SimCore, ch: SimChannel): void {
  if (ch.hungUp || !core.channels.has(ch.id)) return;
  ch.hungUp = true;
  if (ch.bridge) leaveBridge(core, ch);
  exitStasis(core, ch);
  for (const snoop of [...ch.snoops]) endSnoop(core, snoop);
  destroyChannel(core, ch);
  // a ;2 half's Dial() ends with it: a phone still ringing is cancelled
  const phone = ch.dialled;
  if (phone && !phone.hungUp) {
    if (phone.state !== 'Up') emitPhoneDial(core, phone, 'CANCEL');
    ch.dialled = undefined;
    phone.dialledBy = undefined;
    phone.hangupCause ||= ch.hangupCause;
    destroyChannel(core, phone);
  }
  // the phone a ;2 half rang hung up: Dial() returns and the dialplan hangs the pair up (cause 16)
  const dialler = ch.dialledBy;
  if (dialler && !dialler.hungUp) {
    ch.dialledBy = undefined;
    dialler.dialled = undefined;
    dialler.hangupCause = NORMAL_CLEARING;
    hangupRequest(core, dialler, { cause: NORMAL_CLEARING });
    teardown(core, dialler);
  }
  const peer = ch.localPeer;
  if (peer && !peer.hungUp) {
    peer.hangupCause ||= ch.hangupCause;
    hangupRequest(core, peer, { cause: peer.hangupCause });
    teardown(core, peer);
  }
}

/** a snoop whose target went away just stops reading: StasisEnd without a hangup request */
function endSnoop(core: SimCore, snoop: SimChannel): void {
  if (snoop.hungUp) return;
  snoop.hangupCause = 16;
  snoop.hungUp = true;
  exitStasis(core, snoop);
  destroyChannel(core, snoop);
}
