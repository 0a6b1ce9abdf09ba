// Channel primitives every flow uses: creating and destroying channels, snapshot updates with the
// events res_stasis derives from them (state, dialplan, caller id, connected line), variables, Dial.
import { causeText } from './causes.ts';
import { SimChannel, type ChannelInit, type Party } from './channel.ts';
import type { SimCore } from './core.ts';

/** the channel list of an event route */
export function about(...channels: SimChannel[]): { channels: SimChannel[] } {
  return { channels };
}

export function addChannel(core: SimCore, init: Omit<ChannelInit, 'id' | 'creationtime'> & { id?: string }): SimChannel {
  const ch = new SimChannel({ ...init, id: init.id ?? core.ids.uniqueId(core.now()), creationtime: core.timestamp() });
  core.channels.set(ch.id, ch);
  // nobody is subscribed to a channel being born: only subscribeAll apps and followers of its endpoint hear this
  core.emit('ChannelCreated', () => ({ channel: ch.toJson() }), about(ch));
  if (ch.endpoint) {
    const ep = core.endpoints.get(ch.endpoint);
    if (ep) {
      ep.channelIds.add(ch.id);
      endpointChanged(core, ep.name);
    }
  }
  return ch;
}

/** an endpoint snapshot changed (state or channel list): EndpointStateChange to whoever follows it */
export function endpointChanged(core: SimCore, name: string): void {
  const ep = core.endpoints.get(name);
  if (!ep || !ep.listed) return;
  core.emit('EndpointStateChange', () => ({ endpoint: ep.toJson() }), { endpoint: name });
}

/** the channel is gone: ChannelDestroyed with its hangup cause, then every subscription to it ends */
export function destroyChannel(core: SimCore, ch: SimChannel): void {
  if (!core.channels.has(ch.id)) return;
  ch.hungUp = true;
  ch.dial?.timer?.cancel();
  ch.dial?.answerTimer?.cancel();
  ch.phoneTimer?.cancel();
  const cause = ch.hangupCause;
  core.emit('ChannelDestroyed', () => ({ cause, cause_txt: causeText(cause), channel: ch.toJson() }), about(ch));
  core.channels.delete(ch.id);
  core.remember(ch);
  core.apps.forget('channels', ch.id);
  if (ch.snoopTarget) ch.snoopTarget.snoops.delete(ch);
  if (ch.endpoint) {
    const ep = core.endpoints.get(ch.endpoint);
    if (ep?.channelIds.delete(ch.id)) endpointChanged(core, ep.name);
  }
}

interface Snapshot {
  state: string;
  context: string;
  exten: string;
  priority: number;
  app: string;
  caller: Party;
  connected: Party;
}

function snapshotOf(ch: SimChannel): Snapshot {
  const d = ch.dialplan;
  return { state: ch.state, context: d.context, exten: d.exten, priority: d.priority, app: d.app_name, caller: { ...ch.caller }, connected: { ...ch.connected } };
}

function sameParty(a: Party, b: Party): boolean {
  return a.name === b.name && a.number === b.number;
}

/**
 * Change a channel and publish what res_stasis' snapshot monitors would: ChannelStateChange,
 * ChannelDialplan (context/exten/priority moved, or an app started where none ran),
 * ChannelCallerId, ChannelConnectedLine — in that order.
 */
export function updateChannel(core: SimCore, ch: SimChannel, change: () => void): void {
  const before = snapshotOf(ch);
  change();
  const after = snapshotOf(ch);
  if (before.state !== after.state) core.emit('ChannelStateChange', () => ({ channel: ch.toJson() }), about(ch));
  const cepMoved = (before.app === '' && after.app !== '')
    || before.context !== after.context || before.exten !== after.exten || before.priority !== after.priority;
  if (after.app !== '' && cepMoved) {
    core.emit('ChannelDialplan', () => ({ channel: ch.toJson(), dialplan_app: ch.dialplan.app_name, dialplan_app_data: ch.dialplan.app_data }), about(ch));
  }
  if (!sameParty(before.caller, after.caller)) {
    core.emit('ChannelCallerId', () => ({ caller_presentation: 0, caller_presentation_txt: 'Presentation Allowed, Not Screened', channel: ch.toJson() }), about(ch));
  }
  if (!sameParty(before.connected, after.connected)) core.emit('ChannelConnectedLine', () => ({ channel: ch.toJson() }), about(ch));
}

/** pbx_builtin_setvar_helper: setting always publishes; unsetting publishes "" only if the variable existed */
export function setVar(core: SimCore, ch: SimChannel, name: string, value: string | undefined): void {
  if (value === undefined) {
    if (!ch.vars.delete(name)) return;
    core.emit('ChannelVarset', () => ({ variable: name, value: '', channel: ch.toJson() }), about(ch));
    return;
  }
  ch.vars.set(name, value);
  core.emit('ChannelVarset', () => ({ variable: name, value, channel: ch.toJson() }), about(ch));
}

/** a Dial event of a Local ;2 half ringing the phone behind a number: delivered for the caller, the phone as peer */
export function emitPhoneDial(core: SimCore, phone: SimChannel, dialstatus: string): void {
  const two = phone.dialledBy;
  if (!two) return;
  const dialstring = dialstatus === '' ? phone.dial?.dialstring ?? '' : '';
  core.emit('Dial', () => ({ dialstatus, forward: '', dialstring, caller: two.toJson(), peer: phone.toJson() }), about(two));
}

/** a Dial event of an originate: no caller, the dialled channel as peer */
export function emitDial(core: SimCore, peer: SimChannel, dialstatus: string): void {
  const dialstring = peer.dial?.dialstring ?? '';
  core.emit('Dial', () => ({ dialstatus, forward: '', dialstring, peer: peer.toJson() }), about(peer));
}

const QOS_TEMPLATES: ReadonlyArray<[string, (ssrc: number, tx: number) => string]> = [
  ['RTPAUDIOQOS', (ssrc, tx) => `ssrc=${ssrc};themssrc=0;lp=0;rxjitter=0.000000;rxcount=0;txjitter=0.000000;txcount=${tx};rlp=0;rtt=0.000000;rxmes=0.000000;txmes=0.000000`],
  ['RTPAUDIOQOSJITTER', () => 'minrxjitter=000.000000;maxrxjitter=000.000000;avgrxjitter=000.000000;stdevrxjitter=000.000000;mintxjitter=000.000000;maxtxjitter=000.000000;avgtxjitter=000.000000;stdevtxjitter=000.000000;'],
  ['RTPAUDIOQOSLOSS', () => '  minrxlost=000.000000;  maxrxlost=000.000000;  avgrxlost=000.000000;  stdevrxlost=000.000000;  mintxlost=000.000000;  maxtxlost=000.000000;  avgtxlost=000.000000;  stdevtxlost=000.000000;'],
  ['RTPAUDIOQOSRTT', () => '     minrtt=000.000000;     maxrtt=000.000000;     avgrtt=000.000000;     stdevrtt=000.000000;'],
  ['RTPAUDIOQOSMES', () => '   minrxmes=000.000000;   maxrxmes=000.000000;   avgrxmes=000.000000;   stdevrxmes=000.000000;   mintxmes=000.000000;   maxtxmes=000.000000;   avgtxmes=000.000000;   stdevtxmes=000.000000;'],
];

/**
 * An RTP channel that had media reports its RTCP figures when it hangs up; its peer in a
 * two-party bridge gets the same figures as *BRIDGED variables, interleaved.
 */
export function emitRtpQos(core: SimCore, ch: SimChannel): void {
  if (ch.driver !== 'PJSIP' || !ch.answered) return;
  const peer = ch.bridge?.peerOf(ch);
  const ssrc = core.rng.int(1, 2 ** 31 - 1);
  const tx = core.rng.int(1, 30);
  for (const [name, make] of QOS_TEMPLATES) {
    const value = make(ssrc, tx);
    setVar(core, ch, name, value);
    if (peer && (peer.driver === 'PJSIP' || peer.driver === 'Local')) setVar(core, peer, `${name}BRIDGED`, value);
  }
}

export function hangupRequest(core: SimCore, ch: SimChannel, fields: { cause: number; tech_cause?: number; soft?: boolean }): void {
  core.emit('ChannelHangupRequest', () => ({ ...fields, channel: ch.toJson() }), about(ch));
}
