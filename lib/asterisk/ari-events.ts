// ARI events as they come off the socket (JSON) → the port's typed AriEvent, checked once at the
// edge. A hand-written reader rather than a schema library: every event of every call passes here,
// and on the real Asterisk the schema library's parse was the controller's largest single CPU cost
// per event (docs/benchmark.md). Only the fields Attendant reads are kept; an event missing a field it
// needs, or carrying one of the wrong type, is dropped as a whole (undefined), never half-read.
import type { AriEvent, AriEventType, BridgeInfo, ChannelInfo, ChannelStateName } from './port.ts';
import { ARI_EVENT_TYPES } from './port.ts';
import { Malformed, isObject, optStr, readOrDrop, str, strOr, type Raw } from './fields.ts';

function numOr(o: Raw, key: string, fallback: number): number {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || Number.isNaN(v)) throw new Malformed(key);
  return v;
}
function obj(o: Raw, key: string): Raw {
  const v = o[key];
  if (!isObject(v)) throw new Malformed(key);
  return v;
}
function optObj(o: Raw, key: string): Raw | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!isObject(v)) throw new Malformed(key);
  return v;
}
function strings(o: Raw, key: string): string[] {
  const v = o[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new Malformed(key);
  return v as string[];
}

function party(o: Raw, key: string): { name: string; number: string } {
  const p = optObj(o, key);
  return p ? { name: strOr(p, 'name', ''), number: strOr(p, 'number', '') } : { name: '', number: '' };
}

export function readChannel(c: Raw): ChannelInfo {
  const out: ChannelInfo = {
    id: str(c, 'id'), name: str(c, 'name'), state: str(c, 'state') as ChannelStateName,
    caller: party(c, 'caller'), connected: party(c, 'connected'),
  };
  const d = optObj(c, 'dialplan');
  if (d) {
    const priority = d.priority;
    if (typeof priority !== 'number') throw new Malformed('dialplan.priority');
    const appName = optStr(d, 'app_name');
    const appData = optStr(d, 'app_data');
    out.dialplan = { context: str(d, 'context'), exten: str(d, 'exten'), priority, ...(appName !== undefined ? { app_name: appName } : {}), ...(appData !== undefined ? { app_data: appData } : {}) };
  }
  const created = optStr(c, 'creationtime');
  if (created !== undefined) out.creationtime = created;
  return out;
}

function readBridge(b: Raw): BridgeInfo {
  return { id: str(b, 'id'), bridge_type: strOr(b, 'bridge_type', ''), name: strOr(b, 'name', ''), channels: strings(b, 'channels') };
}

const channelOf = (e: Raw, key = 'channel') => readChannel(obj(e, key));
const optChannelOf = (e: Raw, key: string) => {
  const c = optObj(e, key);
  return c ? readChannel(c) : undefined;
};

function readTransfer(e: Raw): AriEvent {
  const state = optStr(e, 'state');
  const to = obj(e, 'refer_to');
  const requested = optObj(to, 'requested_destination') ?? {};
  const destination = optStr(requested, 'destination');
  const protocolId = optStr(requested, 'protocol_id');
  const destinationChannel = optChannelOf(to, 'destination_channel');
  const connectedChannel = optChannelOf(to, 'connected_channel');
  const by = obj(e, 'referred_by');
  const sourcePeer = optChannelOf(by, 'connected_channel');
  const attended = protocolId !== undefined || destinationChannel !== undefined;
  return {
    type: 'ChannelTransfer',
    ...(state !== undefined ? { state } : {}),
    source: channelOf(by, 'source_channel'),
    ...(sourcePeer ? { sourcePeer } : {}),
    ...(destination !== undefined ? { destination } : {}),
    ...(attended ? {
      replaces: {
        ...(protocolId !== undefined ? { protocolId } : {}),
        ...(destinationChannel ? { channel: destinationChannel } : {}),
        ...(connectedChannel ? { peer: connectedChannel } : {}),
      },
    } : {}),
  };
}

const READERS: { [K in AriEventType]: (e: Raw) => AriEvent } = {
  StasisStart: (e) => {
    const replace = optChannelOf(e, 'replace_channel');
    return { type: 'StasisStart', channel: channelOf(e), args: strings(e, 'args'), ...(replace ? { replaceChannel: replace } : {}) };
  },
  StasisEnd: (e) => ({ type: 'StasisEnd', channel: channelOf(e) }),
  ChannelStateChange: (e) => ({ type: 'ChannelStateChange', channel: channelOf(e) }),
  ChannelDestroyed: (e) => ({ type: 'ChannelDestroyed', channel: channelOf(e), cause: numOr(e, 'cause', 0), causeTxt: strOr(e, 'cause_txt', '') }),
  ChannelEnteredBridge: (e) => ({ type: 'ChannelEnteredBridge', channel: channelOf(e), bridge: readBridge(obj(e, 'bridge')) }),
  ChannelLeftBridge: (e) => ({ type: 'ChannelLeftBridge', channel: channelOf(e), bridge: readBridge(obj(e, 'bridge')) }),
  ChannelDtmfReceived: (e) => ({ type: 'ChannelDtmfReceived', channel: channelOf(e), digit: str(e, 'digit'), durationMs: numOr(e, 'duration_ms', 0) }),
  ChannelTransfer: readTransfer,
  PlaybackFinished: (e) => {
    const p = obj(e, 'playback');
    const onChannel = /^channel:(.+)$/.exec(strOr(p, 'target_uri', ''))?.[1];
    return { type: 'PlaybackFinished', playbackId: str(p, 'id'), ...(onChannel ? { channelId: onChannel } : {}) };
  },
  ApplicationReplaced: (e) => ({ type: 'ApplicationReplaced', application: strOr(e, 'application', '') }),
};

const USED: ReadonlySet<string> = new Set(ARI_EVENT_TYPES);

/** Turn a raw ARI event into the port's typed event; undefined for what Attendant does not use or cannot read. */
export function parseAriEvent(raw: unknown): AriEvent | undefined {
  if (!isObject(raw)) return undefined;
  const type = raw.type;
  if (typeof type !== 'string' || !USED.has(type)) return undefined;
  return readOrDrop(READERS[type as AriEventType], raw);
}
