// Turning recorded and simulated traffic into comparable shapes: ids become roles, events become
// per-role token sequences, answers become key shapes.
//
// Tolerances (each one is variation the real Asterisk shows between otherwise identical steps):
// 1. A run of consecutive BRIDGEPEER / BRIDGEPVTCALLID ChannelVarset events on one channel counts as
//    one "peer variables" step with the set of variable names seen. How many times a bridge re-announces
//    its peers depends on when it re-picks its technology (simple_bridge, native_rtp, softmix): the
//    recording has 2 passes for one join and 3 for an equal one (scenarios 5 and 6). A
//    ChannelConnectedLine inside such a run belongs to it (counted, not placed): the connected-line
//    exchange and the re-announcements interleave differently (session scenario 5 vs refer-transfer).
// 2. `Dial RINGING` and `ChannelStateChange Ringing` of the same leg come from two threads and arrive
//    in either order (scenario 2 vs 5 of the recording): the adjacent pair is compared unordered.
// 3. (siteDialplan) The dialplan a Local ;2 half runs is the site's own (Gosub, Dial and the variables
//    they set): the simulator plays a Dial() of the phone behind the number instead, so ChannelDialplan and
//    ChannelVarset events of ;2 halves are not compared (their peer variables are: that is bridging).
// Everything else — event types, their order per channel, ChannelVarset names, dial statuses, states,
// hangup causes, bridge types — must match exactly.
import type { Json } from './fixture.ts';

interface ChannelLike { id: string; name: string }

function isChannel(v: unknown): v is ChannelLike {
  return !!v && typeof v === 'object' && typeof (v as Json).id === 'string' && typeof (v as Json).name === 'string' && 'protocol_id' in (v as Json);
}

/** every channel an event is about (the ones an app's channel subscription would deliver it for) */
export function channelsIn(e: Json): ChannelLike[] {
  const out: ChannelLike[] = [];
  const push = (v: unknown) => { if (isChannel(v)) out.push(v); };
  push(e.channel);
  push(e.peer);
  push(e.replace_channel);
  for (const part of [e.referred_by, e.refer_to]) {
    if (part && typeof part === 'object') {
      const p = part as Json;
      push(p.source_channel);
      push(p.destination_channel);
      push(p.connected_channel);
    }
  }
  return out;
}

/** stable names for ids on one side: `PJSIP/pstn#1`, `Local/300@sim-ring;2#1`, `Snoop(PJSIP/pstn#1)#1`, `bridge#2` */
export class RoleBook {
  private readonly roles = new Map<string, string>();
  private readonly counts = new Map<string, number>();
  private bridges = 0;

  channel(c: ChannelLike): string {
    const known = this.roles.get(c.id);
    if (known) return known;
    let base = c.name.replace(/-[0-9a-f]{8}(;[12])?$/, (_m, side: string | undefined) => side ?? '');
    const snoop = /^Snoop\/(.+)-[0-9a-f]{8}$/.exec(c.name);
    if (snoop) base = `Snoop(${this.roles.get(snoop[1] ?? '') ?? '?'})`;
    const n = (this.counts.get(base) ?? 0) + 1;
    this.counts.set(base, n);
    const role = `${base}#${n}`;
    this.roles.set(c.id, role);
    return role;
  }

  bridge(id: string): string {
    const known = this.roles.get(id);
    if (known) return known;
    const role = `bridge#${++this.bridges}`;
    this.roles.set(id, role);
    return role;
  }

  /** learn the ids an answer introduces (originate, snoop, bridge create) in the order they appear */
  learn(value: unknown): void {
    if (isChannel(value)) this.channel(value);
    else if (value && typeof value === 'object' && typeof (value as Json).bridge_type === 'string') this.bridge(String((value as Json).id));
  }
}

/** what is compared of one event, relative to a channel */
export function tokenOf(e: Json & { type: string }): string {
  const ch = e.channel as Json | undefined;
  switch (e.type) {
    case 'StasisStart': return `StasisStart(${Array.isArray(e.args) ? e.args.length : 0} args)`;
    case 'ChannelVarset': return `ChannelVarset:${String(e.variable)}`;
    case 'Dial': return `Dial:${String(e.dialstatus)}`;
    case 'ChannelStateChange': return `ChannelStateChange:${String(ch?.state)}`;
    case 'ChannelHangupRequest': return `ChannelHangupRequest:${String(e.cause)}${e.soft ? ':soft' : ''}${e.tech_cause !== undefined ? `:tech=${String(e.tech_cause)}` : ''}`;
    case 'ChannelDestroyed': return `ChannelDestroyed:${String(e.cause)} ${String(e.cause_txt)}`;
    case 'ChannelEnteredBridge':
    case 'ChannelLeftBridge': return `${e.type}:${String((e.bridge as Json | undefined)?.bridge_type)}`;
    case 'ChannelDialplan': return `ChannelDialplan:${String(e.dialplan_app)}(${String(e.dialplan_app_data)})`;
    case 'ChannelTransfer': return `ChannelTransfer:${String(e.state ?? '(refer)')}`;
    case 'DeviceStateChanged': return `DeviceStateChanged:${String((e.device_state as Json | undefined)?.state)}`;
    case 'ChannelDtmfReceived': return `ChannelDtmfReceived:${String(e.digit)}`;
    default: return e.type;
  }
}

/** events grouped by what they are about: a channel role, a bridge, a device, an endpoint */
export function groupEvents(events: ReadonlyArray<Json & { type: string }>, book: RoleBook): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const add = (key: string, token: string) => groups.set(key, [...(groups.get(key) ?? []), token]);
  for (const e of events) {
    const token = tokenOf(e);
    const channels = channelsIn(e);
    if (channels.length > 0) {
      for (const c of channels) add(book.channel(c), token);
      continue;
    }
    const bridge = e.bridge as Json | undefined;
    const device = e.device_state as Json | undefined;
    const endpoint = e.endpoint as Json | undefined;
    if (bridge) add(`bridge:${book.bridge(String(bridge.id))}`, token);
    else if (device) add(`device:${String(device.name)}`, token);
    else if (endpoint) add(`endpoint:${String(endpoint.technology)}/${String(endpoint.resource)}`, token);
    else add('other', token);
  }
  return groups;
}

const PEER_VARS = new Set(['ChannelVarset:BRIDGEPEER', 'ChannelVarset:BRIDGEPVTCALLID']);
const CONNECTED = 'ChannelConnectedLine';
const RACES: ReadonlyArray<readonly [string, string]> = [['Dial:RINGING', 'ChannelStateChange:Ringing']];

/** a Local ;2 half's role (`Local/200@attendant-site;2#1`) */
export function isLocalSecondHalf(role: string): boolean {
  return /^Local\/.*;2#\d+$/.test(role);
}

/** tolerance 3: the site's dialplan applications and their variables on a ;2 half */
export function withoutSiteDialplan(tokens: readonly string[]): string[] {
  return tokens.filter((t) => !t.startsWith('ChannelDialplan:') && !(t.startsWith('ChannelVarset:') && !PEER_VARS.has(t)));
}

/** apply the tolerances described at the top of this file */
export function normaliseSequence(tokens: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    if (PEER_VARS.has(t)) {
      const names = new Set<string>();
      let connected = 0;
      let j = i;
      // a connected-line update is absorbed only when peer variables follow or precede it in the run
      for (; j < tokens.length; j++) {
        const u = tokens[j] ?? '';
        if (PEER_VARS.has(u)) names.add(u.slice('ChannelVarset:'.length));
        else if (u === CONNECTED && (PEER_VARS.has(tokens[j + 1] ?? '') || PEER_VARS.has(tokens[j - 1] ?? ''))) connected++;
        else break;
      }
      i = j - 1;
      out.push(`peer variables {${[...names].sort().join(',')}}${connected ? ` with ${connected} connected line` : ''}`);
      continue;
    }
    out.push(t);
  }
  for (let i = 0; i + 1 < out.length; i++) {
    for (const [a, b] of RACES) {
      if (out[i] === a && out[i + 1] === b) {
        out[i] = b;
        out[i + 1] = a;
      }
    }
  }
  return out;
}

/** the key structure of a JSON answer (values ignored) */
export function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) {
    const shapes = new Map<string, unknown>();
    for (const item of v) {
      const s = shapeOf(item);
      shapes.set(JSON.stringify(s), s);
    }
    return shapes.size === 0 ? [] : [...shapes.values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  if (v && typeof v === 'object') {
    const o = v as Json;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, shapeOf(o[k])]));
  }
  return v === null ? 'null' : typeof v;
}

export type ObjectKind = 'Channel' | 'Bridge' | 'Endpoint';

/** the field names seen on Channel, Bridge and Endpoint objects anywhere in events and answers */
export function fieldNames(values: readonly unknown[]): Record<ObjectKind, string[]> {
  const seen: Record<ObjectKind, Set<string>> = { Channel: new Set(), Bridge: new Set(), Endpoint: new Set() };
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) { v.forEach(visit); return; }
    if (!v || typeof v !== 'object') return;
    const o = v as Json;
    const kind: ObjectKind | undefined = 'protocol_id' in o ? 'Channel' : 'bridge_type' in o ? 'Bridge' : ('technology' in o && 'resource' in o) ? 'Endpoint' : undefined;
    if (kind) for (const k of Object.keys(o)) seen[kind].add(k);
    for (const child of Object.values(o)) visit(child);
  };
  values.forEach(visit);
  return { Channel: [...seen.Channel].sort(), Bridge: [...seen.Bridge].sort(), Endpoint: [...seen.Endpoint].sort() };
}
