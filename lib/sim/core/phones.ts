// The phone side: callers arriving through the dialplan, phones answering, refusing, hanging up,
// pressing keys, putting the call on hold or pressing their transfer key.
import type { PlaceCallOptions } from '../types.ts';
import { CAUSE, causeToSip } from './causes.ts';
import { about, addChannel } from './channel-state.ts';
import type { SimChannel } from './channel.ts';
import type { SimCore } from './core.ts';
import { answerLeg, failLeg } from './dialing.ts';
import { SimError } from './errors.ts';
import { phoneHangup } from './hangup.ts';
import { enterStasis } from './stasis.ts';
import { emitChannelTransfer } from './transfer.ts';

function live(core: SimCore, id: string): SimChannel {
  const ch = core.channels.get(id);
  if (!ch || ch.hungUp) throw new SimError(404, `no live channel ${id}`);
  return ch;
}

/**
 * A call arrives and the dialplan runs Stasis(app, ...appArgs): the caller's channel (state Ring)
 * gets StasisStart. With no WebSocket holding the app, Stasis() fails at once (STASISSTATUS=FAILED,
 * no event) and the call goes on in the dialplan: it is logged in continued().
 */
export function placeCall(core: SimCore, opts: PlaceCallOptions): string {
  const from = opts.from ?? 'PJSIP/pstn';
  if (!core.endpoints.has(from)) core.setEndpoint(from, { kind: 'answer', afterMs: 0 });
  const resource = from.slice(from.indexOf('/') + 1);
  const app = opts.app ?? 'attendant';
  const context = opts.context ?? 'default';
  const priority = opts.priority ?? 1;
  const ch = addChannel(core, {
    name: `${from.slice(0, from.indexOf('/'))}/${resource}-${core.ids.suffix('PJSIP')}`,
    driver: 'PJSIP',
    state: 'Ring',
    // SIPp-style Call-ID, as the recorded callers had
    protocolId: `${core.rng.int(1, 99999)}-${core.rng.int(1000, 99999)}@127.0.0.1`,
    endpoint: from,
    caller: { name: opts.callerName ?? '', number: opts.callerNumber },
    dialplan: { context, exten: opts.exten, priority, app_name: '', app_data: '' },
  });
  if (!enterStasis(core, ch, app, opts.appArgs)) {
    core.continuedLog.push({
      channelId: ch.id, name: ch.name, how: 'stasis-failed', app, context, extension: opts.exten, priority: priority + 1, at: core.now(),
    });
    ch.dialplan = { context, exten: opts.exten, priority: priority + 1, app_name: '', app_data: '' };
  }
  return ch.id;
}

/**
 * The phone hangs up. Answered: a BYE (cause 16 unless given). Not yet answered: a CANCEL, which
 * chan_pjsip reports as cause 127 with the SIP status 487 as tech_cause (recording, scenario 12).
 */
export function hangupCaller(core: SimCore, id: string, cause?: number): void {
  const ch = live(core, id);
  if (ch.state === 'Up') {
    phoneHangup(core, ch, { cause: cause ?? CAUSE.normal });
    return;
  }
  if (ch.originated) {
    // an unanswered outgoing leg: the phone refuses it
    rejectChannel(core, id, cause ?? CAUSE.rejected);
    return;
  }
  if (cause === undefined) {
    phoneHangup(core, ch, { cause: CAUSE.interworking, tech_cause: 487 });
    return;
  }
  const sip = causeToSip(cause);
  phoneHangup(core, ch, sip ? { cause, tech_cause: sip } : { cause });
}

/** the ringing phone of an originated leg answers */
export function answerChannel(core: SimCore, id: string): void {
  const ch = live(core, id);
  if (!ch.originated || ch.state === 'Up') throw new SimError(409, `channel ${id} is not an outgoing leg waiting for an answer`);
  answerLeg(core, ch);
}

/** the ringing phone refuses (486 Busy Here by default: cause 17) */
export function rejectChannel(core: SimCore, id: string, cause: number = CAUSE.busy): void {
  const ch = live(core, id);
  if (!ch.originated || ch.state === 'Up') throw new SimError(409, `channel ${id} is not an outgoing leg waiting for an answer`);
  failLeg(core, ch, cause, cause === CAUSE.busy ? 'BUSY' : cause === CAUSE.congestion ? 'CONGESTION' : undefined);
}

/** the phone sends DTMF: one ChannelDtmfReceived per digit */
export function sendDtmf(core: SimCore, id: string, digits: string, durationMs = 100): void {
  const ch = live(core, id);
  if (!/^[0-9A-D#*]+$/i.test(digits)) throw new SimError(400, `invalid DTMF digits '${digits}'`);
  // two RTP channels in a mixing bridge that may go native (no dtmf_events) exchange RTP directly:
  // the RFC 4733 events pass through and no channel reports them (as on Asterisk with bridge_native_rtp)
  const b = ch.bridge;
  if (b && b.kind === 'mixing' && !b.noNative && b.size === 2 && [...b.members.values()].every((m) => m.driver === 'PJSIP')) return;
  for (const digit of digits.toUpperCase()) {
    core.emit('ChannelDtmfReceived', () => ({ digit, duration_ms: durationMs, channel: ch.toJson() }), about(ch));
  }
}

/** the phone puts the call on hold / takes it back (re-INVITE sendonly / sendrecv) */
export function phoneHold(core: SimCore, id: string, held: boolean, musicClass?: string): void {
  const ch = live(core, id);
  if (held) core.emit('ChannelHold', () => ({ channel: ch.toJson(), ...(musicClass ? { musicclass: musicClass } : {}) }), about(ch));
  else core.emit('ChannelUnhold', () => ({ channel: ch.toJson() }), about(ch));
}

/**
 * The set presses its transfer key (a SIP REFER). Only the ari-only handling is simulated: the
 * leg must have PJSIP_TRANSFER_HANDLING()=ari-only, as in refer-transfer.jsonl; the app then gets
 * a ChannelTransfer without state and drives the rest with transfer_progress.
 */
export function pressTransfer(core: SimCore, id: string, destination: string, replacesChannelId?: string): void {
  const ch = live(core, id);
  if (ch.driver !== 'PJSIP' || ch.state !== 'Up') throw new SimError(409, `channel ${id} is not an answered SIP call`);
  if (ch.functions.get('PJSIP_TRANSFER_HANDLING()') !== 'ari-only') {
    throw new SimError(409, 'only ari-only transfer handling is simulated: set PJSIP_TRANSFER_HANDLING()=ari-only on the leg first');
  }
  if (replacesChannelId !== undefined) live(core, replacesChannelId);
  ch.pendingTransfer = { destination, ...(replacesChannelId !== undefined ? { replacesChannelId } : {}) };
  emitChannelTransfer(core, ch, ch.pendingTransfer);
}
