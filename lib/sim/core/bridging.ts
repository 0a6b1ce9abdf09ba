// Bridges: joining, leaving, destroying, and the BRIDGEPEER / BRIDGEPVTCALLID / connected-line
// traffic a real mixing bridge produces each time it reconfigures.
//
// What the recording shows and this reproduces: members are walked highest id first; two members
// get each other's name and SIP Call-ID, three or more get the comma list of the others' names and
// lose BRIDGEPVTCALLID; a leaving channel has both cleared before ChannelLeftBridge; one member alone
// is never updated. A membership change reconfigures once at once and again when the bridge settles
// (2 members: pass, connected line of the higher id, pass, connected line of the other; 3+: two
// passes). Holding bridges set no peer variables.
import { about, setVar, updateChannel } from './channel-state.ts';
import type { SimChannel } from './channel.ts';
import { SimBridge, type BridgeKind } from './bridge.ts';
import type { SimCore } from './core.ts';
import { AriError } from './errors.ts';

export function createBridge(core: SimCore, kind: BridgeKind, name: string, id?: string): SimBridge {
  const bridge = new SimBridge(id ?? core.rng.uuid(), kind, name, core.timestamp());
  core.bridges.set(bridge.id, bridge);
  // no app is subscribed to a fresh bridge, so only subscribeAll apps hear this
  core.emit('BridgeCreated', () => ({ bridge: bridge.toJson() }), { bridgeId: bridge.id });
  return bridge;
}

/** one reconfiguration: every member gets its peer variables set again */
export function peerPass(core: SimCore, bridge: SimBridge): void {
  if (bridge.kind !== 'mixing' || bridge.size < 2) return;
  const members = bridge.membersDescending();
  if (members.length === 2) {
    const [a, b] = members as [SimChannel, SimChannel];
    // a Local channel has no SIP Call-ID: its peer gets no BRIDGEPVTCALLID at all
    setVar(core, a, 'BRIDGEPEER', b.name);
    if (b.protocolId) setVar(core, a, 'BRIDGEPVTCALLID', b.protocolId);
    setVar(core, b, 'BRIDGEPEER', a.name);
    if (a.protocolId) setVar(core, b, 'BRIDGEPVTCALLID', a.protocolId);
    return;
  }
  for (const c of members) {
    setVar(core, c, 'BRIDGEPEER', members.filter((o) => o !== c).map((o) => o.name).join(','));
    setVar(core, c, 'BRIDGEPVTCALLID', undefined);
  }
}

/** the bridge settles after a membership change: more passes, and in a two-party bridge each side learns who it talks to */
export function settle(core: SimCore, bridge: SimBridge): void {
  if (bridge.kind !== 'mixing' || bridge.size < 2) return;
  if (bridge.size === 2) {
    const [a, b] = bridge.membersDescending() as [SimChannel, SimChannel];
    peerPass(core, bridge);
    connectParties(core, a, b);
    peerPass(core, bridge);
    connectParties(core, b, a);
    return;
  }
  peerPass(core, bridge);
  peerPass(core, bridge);
}

/** `who` now shows `other`'s caller id as connected line (unless `other` joined with inhibitConnectedLineUpdates) */
function connectParties(core: SimCore, who: SimChannel, other: SimChannel): void {
  if (other.inhibitConnectedLine) return;
  updateChannel(core, who, () => { who.connected = { ...other.caller }; });
}

function join(core: SimCore, bridge: SimBridge, ch: SimChannel, role: string | undefined, inhibit: boolean): void {
  bridge.members.set(ch.id, ch);
  ch.bridge = bridge;
  ch.role = role;
  ch.inhibitConnectedLine = inhibit;
  if (ch.stasisApp) core.apps.subscribe(ch.stasisApp, 'bridges', bridge.id);
  core.emit('ChannelEnteredBridge', () => ({ bridge: bridge.toJson(), channel: ch.toJson() }), { ...about(ch), bridgeId: bridge.id });
  peerPass(core, bridge);
}

/** take a channel out of its bridge; the remaining members reconfigure (and settle unless the bridge is going away) */
export function leaveBridge(core: SimCore, ch: SimChannel, settleAfter = true): void {
  const bridge = ch.bridge;
  if (!bridge) return;
  setVar(core, ch, 'BRIDGEPEER', undefined);
  setVar(core, ch, 'BRIDGEPVTCALLID', undefined);
  bridge.members.delete(ch.id);
  ch.bridge = undefined;
  ch.role = undefined;
  core.emit('ChannelLeftBridge', () => ({ bridge: bridge.toJson(), channel: ch.toJson() }), { ...about(ch), bridgeId: bridge.id });
  if (ch.stasisApp) core.apps.unsubscribe(ch.stasisApp, 'bridges', bridge.id);
  if (!settleAfter) return;
  peerPass(core, bridge);
  settle(core, bridge);
}

export function addChannels(core: SimCore, bridge: SimBridge, channels: readonly SimChannel[], opts: { role?: string; inhibitConnectedLine?: boolean }): void {
  let changed = false;
  for (const ch of channels) {
    if (ch.bridge === bridge || ch.hungUp) continue;
    // a channel already in another bridge is moved: it leaves the old one first
    if (ch.bridge) leaveBridge(core, ch);
    join(core, bridge, ch, opts.role, opts.inhibitConnectedLine ?? false);
    changed = true;
  }
  if (changed) settle(core, bridge);
}

export function removeChannels(core: SimCore, bridge: SimBridge, channels: readonly SimChannel[]): void {
  for (const ch of channels) if (ch.bridge !== bridge) throw new AriError(422, 'Channel not in this bridge');
  for (const ch of channels) leaveBridge(core, ch);
}

/** something attached to a member (a snoop, a transfer) made the bridge pick its technology again */
export function reconfigure(core: SimCore, bridge: SimBridge | undefined, passes: number): void {
  if (!bridge) return;
  for (let i = 0; i < passes; i++) peerPass(core, bridge);
}

/** DELETE /bridges/{id}: members are kicked out (they stay in Stasis), then BridgeDestroyed */
export function destroyBridge(core: SimCore, bridge: SimBridge): void {
  const subscribers = core.apps.subscribersOfBridge(bridge.id);
  for (const ch of bridge.membersDescending()) leaveBridge(core, ch, false);
  bridge.destroyed = true;
  core.bridges.delete(bridge.id);
  core.emit('BridgeDestroyed', () => ({ bridge: bridge.toJson() }), { bridgeId: bridge.id, also: subscribers });
  core.apps.forget('bridges', bridge.id);
}
