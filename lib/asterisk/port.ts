// The typed port the rest of Attendant uses to talk to Asterisk. Only lib/asterisk/ari.ts
// implements it (ari-client's WebSocket, REST over ari-rest.ts); lib/calls and lib/api only see these types.

export type ChannelStateName = 'Down' | 'Rsrvd' | 'OffHook' | 'Dialing' | 'Ring' | 'Ringing' | 'Up' | 'Busy' | 'Dialing Offhook' | 'Pre-ring' | 'Unknown';

export interface ChannelInfo {
  id: string;
  name: string;
  state: ChannelStateName;
  caller: { name: string; number: string };
  connected: { name: string; number: string };
  dialplan?: { context: string; exten: string; priority: number; app_name?: string; app_data?: string };
  creationtime?: string;
  /** the channel's reported variables (an originate's `report_events` ones), as GET /channels lists them */
  channelvars?: Record<string, string>;
}

export interface BridgeInfo {
  id: string;
  bridge_type: string;
  name: string;
  channels: string[];
}

/**
 * The ARI event types Attendant consumes: the one list the port parses (anything else is dropped
 * at the edge) and the allowed list of the app's event filter (PUT /applications/{app}/eventFilter),
 * so Asterisk does not send the rest (ChannelVarset, Dial, ChannelDialplan, ... more than half of a
 * call's events). A type added here must have its shape in AriEvent, and the reverse (below).
 */
export const ARI_EVENT_TYPES = [
  'StasisStart',
  'StasisEnd',
  'ChannelStateChange',
  'ChannelDestroyed',
  'ChannelEnteredBridge',
  'ChannelLeftBridge',
  'ChannelDtmfReceived',
  'ChannelTransfer',
  'PlaybackFinished',
  'ApplicationReplaced',
] as const;

export type AriEventType = (typeof ARI_EVENT_TYPES)[number];

/** Events after parsing at the edge: only the ARI_EVENT_TYPES. */
export type AriEvent =
  | { type: 'StasisStart'; channel: ChannelInfo; args: string[]; replaceChannel?: ChannelInfo }
  | { type: 'StasisEnd'; channel: ChannelInfo }
  /** a channel's state changed (a presentation leg goes `Ringing` when its set rings) */
  | { type: 'ChannelStateChange'; channel: ChannelInfo }
  | { type: 'ChannelDestroyed'; channel: ChannelInfo; cause: number; causeTxt: string }
  | { type: 'ChannelEnteredBridge'; channel: ChannelInfo; bridge: BridgeInfo }
  | { type: 'ChannelLeftBridge'; channel: ChannelInfo; bridge: BridgeInfo }
  | { type: 'ChannelDtmfReceived'; channel: ChannelInfo; digit: string; durationMs: number }
  /** a media playback ended (played out, stopped, or its channel left); channelId when it played on a channel */
  | { type: 'PlaybackFinished'; playbackId: string; channelId?: string }
  /** a newer WebSocket took the app: this connection gets no more of its events */
  | { type: 'ApplicationReplaced'; application: string }
  | ChannelTransferEvent;

/** true when A and B are the same union */
export type SameTypes<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
/**
 * Compile-time: every event the port hands out is of a listed type and every listed type has its
 * event, so a handler (`switch (e.type)`) can only name a type Asterisk is asked to send.
 */
export type _EveryEventTypeListed = Assert<SameTypes<AriEvent['type'], AriEventType>>;

/**
 * A set's SIP REFER on a leg with PJSIP_TRANSFER_HANDLING(ari-only) (Asterisk 20.13 / 21.8 / 22.3+):
 * no `state` when the set asks; each transfer_progress the app sends comes back with its `state`.
 */
export interface ChannelTransferEvent {
  type: 'ChannelTransfer';
  state?: string;
  /** the channel the REFER came in on (the set's leg) and what it is bridged with */
  source: ChannelInfo;
  sourcePeer?: ChannelInfo;
  /** blind transfer: the user part of Refer-To */
  destination?: string;
  /** attended transfer (Replaces): the set's other call, and the party on it */
  replaces?: { protocolId?: string; channel?: ChannelInfo; peer?: ChannelInfo };
}

/** what the app tells the set about a transfer it asked for (a SIP NOTIFY) */
export type TransferProgress = 'channel_progress' | 'channel_answered' | 'channel_unavailable' | 'channel_declined';

export interface OriginateRequest {
  endpoint: string;
  appArgs?: string[];
  callerId?: string;
  /** seconds to ring before giving up (cause 19) */
  timeout?: number;
  variables?: Record<string, string>;
  /** variables Asterisk reports back in the channel's JSON (`report_events`: GET /channels shows them as channelvars) */
  reported?: Record<string, string>;
  /** choose the channel id, so events for it can be matched before the answer arrives */
  channelId?: string;
}

export type DeviceState = 'UNKNOWN' | 'NOT_INUSE' | 'INUSE' | 'BUSY' | 'INVALID' | 'UNAVAILABLE' | 'RINGING' | 'RINGINUSE' | 'ONHOLD';

/** An ARI request that Asterisk refused: status 404 for a channel that is gone, 500 for allocation, ... */
export class AriError extends Error {
  readonly code = 'ari_error';
  constructor(readonly status: number, message: string, readonly operation: string) {
    super(`${operation}: ${status} ${message}`);
  }
}

/**
 * The channel a request named is gone, or no longer in the app, as Asterisk says it (res/ari):
 * channel requests answer 404 (not found) or 409 (not in Stasis); a bridge's addChannel and
 * removeChannel answer 400 for a channel not found and 422 for one not in Stasis (or not in that
 * bridge). Told by status and operation, never by the message's text.
 */
export function isChannelGone(err: unknown): boolean {
  if (!(err instanceof AriError)) return false;
  if (err.operation === 'bridges.addChannel' || err.operation === 'bridges.removeChannel') return err.status === 400 || err.status === 422;
  if (err.operation === 'channels.originate') return false;
  return err.operation.startsWith('channels.') && (err.status === 404 || err.status === 409);
}

/** the bridge a request named is gone (404 on a bridge's own request: its channels answer 400 / 422) */
export function isBridgeGone(err: unknown): boolean {
  return err instanceof AriError && err.operation.startsWith('bridges.') && err.status === 404;
}

/**
 * Asterisk did not answer at all (the connection was refused or broke: status 503 from the port
 * itself): nothing is known of what it did, so the caller is not routed anywhere on this alone.
 */
export function isUnreachable(err: unknown): boolean {
  return err instanceof AriError && err.status === 503;
}

/** what a failed request no longer needs doing: its channel or bridge is gone */
export function isGone(err: unknown): boolean {
  return isChannelGone(err) || isBridgeGone(err);
}

export interface AriPort {
  /** stable app name given to Stasis() */
  readonly app: string;
  onEvent(listener: (event: AriEvent) => void): void;
  onConnection(listener: (up: boolean) => void): void;
  isConnected(): boolean;

  originate(req: OriginateRequest): Promise<ChannelInfo>;
  answer(channelId: string): Promise<void>;
  ring(channelId: string): Promise<void>;
  ringStop(channelId: string): Promise<void>;
  hangup(channelId: string, reason?: 'normal' | 'busy' | 'congestion' | 'no_answer' | 'timeout' | 'rejected' | 'unallocated'): Promise<void>;
  continueInDialplan(channelId: string, to: { context?: string; extension?: string; priority?: number; label?: string }): Promise<void>;
  redirect(channelId: string, endpoint: string): Promise<void>;
  startMoh(channelId: string, mohClass?: string): Promise<void>;
  stopMoh(channelId: string): Promise<void>;
  hold(channelId: string): Promise<void>;
  unhold(channelId: string): Promise<void>;
  /** start playing media (`sound:...`); `playbackId` names the playback its PlaybackFinished carries */
  play(channelId: string, media: string, playbackId?: string): Promise<void>;
  setVariable(channelId: string, variable: string, value: string): Promise<void>;
  getVariable(channelId: string, variable: string): Promise<string>;
  sendDtmf(channelId: string, dtmf: string): Promise<void>;
  /** report the progress of a transfer a set asked for with ChannelTransfer */
  transferProgress(channelId: string, state: TransferProgress): Promise<void>;
  snoop(channelId: string, opts: { spy: 'none' | 'both' | 'out' | 'in'; whisper: 'none' | 'both' | 'out' | 'in'; appArgs?: string[]; snoopId?: string }): Promise<ChannelInfo>;
  getChannel(channelId: string): Promise<ChannelInfo>;
  listChannels(): Promise<ChannelInfo[]>;
  /** when this Asterisk started (`/asterisk/info` status.startup_time): a change means it restarted */
  startupTime(): Promise<string>;

  /** `dtmfEvents`: never bridged natively (RTP straight between two channels), so DTMF keeps reaching the app */
  createBridge(type: 'mixing' | 'holding', name?: string, bridgeId?: string, opts?: { dtmfEvents?: boolean }): Promise<BridgeInfo>;
  destroyBridge(bridgeId: string): Promise<void>;
  addChannel(bridgeId: string, channelIds: string[], role?: string): Promise<void>;
  removeChannel(bridgeId: string, channelIds: string[]): Promise<void>;
  bridgeStartMoh(bridgeId: string, mohClass?: string): Promise<void>;
  bridgeStopMoh(bridgeId: string): Promise<void>;
  listBridges(): Promise<BridgeInfo[]>;

  setDeviceState(name: string, state: DeviceState): Promise<void>;
  /** every custom device state Asterisk keeps (`Stasis:<name>`): they outlive the controller, in Asterisk's astdb */
  listDeviceStates(): Promise<Array<{ name: string; state: string }>>;
  setMailbox(name: string, oldMessages: number, newMessages: number): Promise<void>;

  close(): Promise<void>;
}
