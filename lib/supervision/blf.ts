// The BLF grid (busy lamp field: the console's keys showing each extension's and trunk's state),
// as a pure model: facts go in with the time they were learnt, the changes they cause come out.
// No I/O, no clock: the service feeds it from AMI and stamps the time.
import type { Config } from '../config.ts';
import type { ContactItem, ContactStatusName, DeviceState, DeviceStateItem, EndpointItem, ExtensionStateItem } from './ami-port.ts';

export type SupervisionConfig = Config['supervision'];

export const EXTENSION_STATES = ['idle', 'inuse', 'busy', 'ringing', 'onhold', 'unavailable', 'unknown'] as const;
export type ExtensionState = (typeof EXTENSION_STATES)[number];
export const TRUNK_STATES = ['online', 'offline', 'unknown'] as const;
export type TrunkState = (typeof TRUNK_STATES)[number];

export type BlfChange =
  | { kind: 'extension'; id: string; state: ExtensionState; previous: ExtensionState; at: number }
  | { kind: 'trunk'; id: string; state: TrunkState; previous: TrunkState; at: number };

export interface ExtensionView {
  id: string;
  number: string;
  name: string;
  context: string;
  state: ExtensionState;
  /** ms since the epoch of the last state change (or of the grid's creation) */
  since: number;
  /** the raw ExtensionStatus code when the state came from a hint */
  status?: number;
}

export interface TrunkView {
  id: string;
  name: string;
  endpoint: string;
  state: TrunkState;
  since: number;
}

export interface BlfSnapshot {
  extensions: ExtensionView[];
  trunks: TrunkView[];
}

export interface ResyncLists {
  /** ExtensionStateList; undefined when the action failed (the hint facts are kept) */
  hints?: ExtensionStateItem[];
  devices?: DeviceStateItem[];
  endpoints?: EndpointItem[];
  contacts?: ContactItem[];
}

export interface ResyncOutcome {
  changes: BlfChange[];
  /** supervised extensions with no hint (at number@context) and no device state: they stay unknown */
  missingHints: string[];
  /** supervised trunks whose endpoint Asterisk does not report */
  missingTrunks: string[];
}

/**
 * ExtensionStatus `Status` is a bit mask: 1 in use, 2 busy, 4 unavailable, 8 ringing, 16 on hold
 * (9 = in use and ringing: a second call rings). Negative values mean the hint was removed.
 * The lamp shows the most telling bit: unavailable, then ringing (so a call can be picked up), hold, busy, in use.
 */
export function extensionStateFromStatus(status: number): ExtensionState {
  if (!Number.isInteger(status) || status < 0) return 'unknown';
  if (status === 0) return 'idle';
  if (status & 4) return 'unavailable';
  if (status & 8) return 'ringing';
  if (status & 16) return 'onhold';
  if (status & 2) return 'busy';
  if (status & 1) return 'inuse';
  return 'unknown';
}

/** A device state (DeviceStateChange) on the same lamp, for extensions supervised by device instead of hint. */
export function extensionStateFromDevice(state: DeviceState): ExtensionState {
  switch (state) {
    case 'NOT_INUSE': return 'idle';
    case 'INUSE': return 'inuse';
    case 'BUSY': return 'busy';
    case 'RINGING':
    case 'RINGINUSE': return 'ringing';
    case 'ONHOLD': return 'onhold';
    case 'UNAVAILABLE':
    case 'INVALID': return 'unavailable';
    default: return 'unknown';
  }
}

type Reach = 'reachable' | 'unreachable' | 'unknown';

function reachOf(status: ContactStatusName | string): Reach {
  const s = status.toLowerCase();
  if (s === 'reachable') return 'reachable';
  if (s === 'unreachable') return 'unreachable';
  return 'unknown';
}

/** What is known about a trunk; its state is derived from these, strongest signal first. */
interface TrunkFacts {
  contacts: Map<string, Reach>;
  /** a contact existed since the last resync (so none left means the registration is gone) */
  hadContacts: boolean;
  peer?: 'reachable' | 'unreachable';
  device?: DeviceState;
}

export function trunkStateFrom(f: TrunkFacts): TrunkState {
  const reaches = [...f.contacts.values()];
  if (reaches.includes('reachable') || f.peer === 'reachable') return 'online';
  if (reaches.length > 0 && reaches.every((r) => r === 'unreachable')) return 'offline';
  if (f.peer === 'unreachable') return 'offline';
  if (f.device === 'UNAVAILABLE' || f.device === 'INVALID') return 'offline';
  if (f.device !== undefined && f.device !== 'UNKNOWN') return 'online';
  if (f.hadContacts && f.contacts.size === 0) return 'offline';
  return 'unknown';
}

/** `pjsip/pstn` and `PJSIP/pstn` name the same device; a bare `pstn` is a PJSIP endpoint. */
export function normaliseDevice(device: string): string {
  const slash = device.indexOf('/');
  if (slash < 0) return `PJSIP/${device}`;
  return `${device.slice(0, slash).toUpperCase()}/${device.slice(slash + 1)}`;
}

interface ExtensionEntry {
  id: string;
  number: string;
  name: string;
  context: string;
  device?: string;
  state: ExtensionState;
  since: number;
  status?: number;
  /** where the current state came from: a hint wins over the device once one was seen */
  source: 'hint' | 'device' | 'none';
}

interface TrunkEntry {
  id: string;
  name: string;
  /** PJSIP endpoint name (`pstn`) */
  endpoint: string;
  /** device name (`PJSIP/pstn`) */
  device: string;
  aors: Set<string>;
  facts: TrunkFacts;
  state: TrunkState;
  since: number;
}

export class BlfGrid {
  private readonly extensions: ExtensionEntry[];
  private readonly trunks: TrunkEntry[];

  constructor(config: SupervisionConfig, at: number) {
    const count = new Map<string, number>();
    for (const e of config.extensions) count.set(e.number, (count.get(e.number) ?? 0) + 1);
    this.extensions = config.extensions.map((e) => ({
      // the number is the key, unless the same number is supervised in two contexts
      id: (count.get(e.number) ?? 0) > 1 ? `${e.number}@${e.context}` : e.number,
      number: e.number,
      name: e.name,
      context: e.context,
      ...(e.device ? { device: normaliseDevice(e.device) } : {}),
      state: 'unknown',
      since: at,
      source: 'none',
    }));
    this.trunks = config.trunks.map((t) => {
      const device = normaliseDevice(t.endpoint);
      const endpoint = device.slice(device.indexOf('/') + 1);
      return { id: t.id, name: t.name, endpoint, device, aors: new Set([endpoint]), facts: { contacts: new Map(), hadContacts: false }, state: 'unknown', since: at };
    });
  }

  snapshot(): BlfSnapshot {
    return {
      extensions: this.extensions.map((e) => ({
        id: e.id, number: e.number, name: e.name, context: e.context, state: e.state, since: e.since,
        ...(e.status !== undefined ? { status: e.status } : {}),
      })),
      trunks: this.trunks.map((t) => ({ id: t.id, name: t.name, endpoint: t.endpoint, state: t.state, since: t.since })),
    };
  }

  applyExtensionStatus(e: { exten: string; context: string; status: number }, at: number): BlfChange[] {
    const changes: BlfChange[] = [];
    for (const x of this.extensions) {
      if (x.number !== e.exten || x.context !== e.context) continue;
      x.source = 'hint';
      x.status = e.status;
      this.setExtension(x, extensionStateFromStatus(e.status), at, changes);
    }
    return changes;
  }

  applyDeviceState(device: string, state: DeviceState, at: number): BlfChange[] {
    const changes: BlfChange[] = [];
    const name = normaliseDevice(device);
    for (const x of this.extensions) {
      if (x.device !== name || x.source === 'hint') continue;
      x.source = 'device';
      delete x.status;
      this.setExtension(x, extensionStateFromDevice(state), at, changes);
    }
    for (const t of this.trunks) {
      if (t.device !== name) continue;
      t.facts.device = state;
      this.updateTrunk(t, at, changes);
    }
    return changes;
  }

  applyContactStatus(e: { aor: string; endpointName: string; uri: string; contactStatus: ContactStatusName | string }, at: number): BlfChange[] {
    const changes: BlfChange[] = [];
    for (const t of this.trunks) {
      if (e.endpointName !== t.endpoint && !t.aors.has(e.aor)) continue;
      const status = e.contactStatus.toLowerCase();
      if (status === 'removed') {
        t.facts.contacts.delete(e.uri);
      } else {
        const reach = reachOf(e.contactStatus);
        // Created/Updated say nothing about reachability: keep what a qualify already told
        const known = t.facts.contacts.get(e.uri);
        t.facts.contacts.set(e.uri, reach === 'unknown' && (status === 'created' || status === 'updated') && known ? known : reach);
        t.facts.hadContacts = true;
      }
      this.updateTrunk(t, at, changes);
    }
    return changes;
  }

  /** PeerStatus for a PJSIP endpoint: `Peer: PJSIP/pstn`, `PeerStatus: Reachable|Unreachable`. */
  applyPeerStatus(e: { peer: string; peerStatus: string }, at: number): BlfChange[] {
    const changes: BlfChange[] = [];
    const name = normaliseDevice(e.peer);
    const reach = reachOf(e.peerStatus);
    for (const t of this.trunks) {
      if (t.device !== name) continue;
      if (reach === 'unknown') delete t.facts.peer;
      else t.facts.peer = reach;
      this.updateTrunk(t, at, changes);
    }
    return changes;
  }

  /**
   * Replace the facts with what the list actions report after a (re)connect. A list that failed
   * (undefined) keeps the facts it would have replaced; anything the lists do not mention is unknown.
   */
  resync(lists: ResyncLists, at: number): ResyncOutcome {
    const changes: BlfChange[] = [];
    const missingHints: string[] = [];
    const missingTrunks: string[] = [];
    const devices = lists.devices ? new Map(lists.devices.map((d) => [normaliseDevice(d.device), d.state])) : undefined;

    for (const x of this.extensions) {
      const hint = lists.hints?.find((h) => h.exten === x.number && h.context === x.context);
      if (hint) {
        x.source = 'hint';
        x.status = hint.status;
        this.setExtension(x, extensionStateFromStatus(hint.status), at, changes);
        continue;
      }
      const deviceState = x.device ? devices?.get(x.device) : undefined;
      if (deviceState !== undefined) {
        x.source = 'device';
        delete x.status;
        this.setExtension(x, extensionStateFromDevice(deviceState), at, changes);
        continue;
      }
      if (lists.hints === undefined && (x.source === 'hint' || !devices)) continue;
      x.source = 'none';
      delete x.status;
      missingHints.push(`${x.number}@${x.context}`);
      this.setExtension(x, 'unknown', at, changes);
    }

    for (const t of this.trunks) {
      const endpoint = lists.endpoints?.find((ep) => ep.name === t.endpoint);
      if (endpoint) {
        t.aors = new Set([t.endpoint, ...endpoint.aor.split(',').map((a) => a.trim()).filter(Boolean)]);
        t.facts.device = endpoint.deviceState;
      } else if (devices?.has(t.device)) {
        t.facts.device = devices.get(t.device);
      } else if (lists.endpoints !== undefined || devices !== undefined) {
        delete t.facts.device;
        missingTrunks.push(t.device);
      }
      if (lists.contacts) {
        t.facts.contacts = new Map(lists.contacts
          .filter((c) => c.endpoint === t.endpoint || t.aors.has(c.aor))
          .map((c) => [c.uri, reachOf(c.status)]));
        t.facts.hadContacts = t.facts.contacts.size > 0;
      }
      // the lists carry no PeerStatus: the endpoint's device state says the same, and is newer
      if (lists.endpoints !== undefined || devices !== undefined) delete t.facts.peer;
      this.updateTrunk(t, at, changes);
    }
    return { changes, missingHints, missingTrunks };
  }

  private setExtension(x: ExtensionEntry, state: ExtensionState, at: number, changes: BlfChange[]): void {
    if (x.state === state) return;
    changes.push({ kind: 'extension', id: x.id, state, previous: x.state, at });
    x.state = state;
    x.since = at;
  }

  private updateTrunk(t: TrunkEntry, at: number, changes: BlfChange[]): void {
    const state = trunkStateFrom(t.facts);
    if (t.state === state) return;
    changes.push({ kind: 'trunk', id: t.id, state, previous: t.state, at });
    t.state = state;
    t.since = at;
  }
}
