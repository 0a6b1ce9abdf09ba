// The typed port the supervision code uses to talk to AMI (the Asterisk Manager Interface).
// Only lib/asterisk/ami.ts implements it (over ami-socket.ts); everything else sees these types.
import type { DeviceState } from '../asterisk/port.ts';

export type { DeviceState };

/** How a contact (a registered or static SIP address of an AOR) is doing, from ContactStatus events. */
export type ContactStatusName = 'Created' | 'Removed' | 'Reachable' | 'Unreachable' | 'Updated' | 'Unknown' | 'NonQualified' | 'Unqualified';

/** AMI events after parsing at the edge; anything supervision does not use is dropped there. */
export type AmiEvent =
  // a hint changed state: Status is a bit mask (0 idle, 1 in use, 2 busy, 4 unavailable, 8 ringing, 16 on hold)
  | { type: 'ExtensionStatus'; exten: string; context: string; hint: string; status: number; statusText: string }
  | { type: 'DeviceStateChange'; device: string; state: DeviceState }
  | { type: 'ContactStatus'; aor: string; endpointName: string; contactStatus: ContactStatusName; uri: string; roundtripUsec?: number }
  // a PJSIP endpoint became reachable (a contact answers) or unreachable (none does)
  | { type: 'PeerStatus'; channelType: string; peer: string; peerStatus: string }
  | { type: 'FullyBooted'; status: string };

export type AmiEventType = AmiEvent['type'];

/** One hint as ExtensionStateList reports it. */
export interface ExtensionStateItem { exten: string; context: string; hint: string; status: number; statusText: string }
/** One device as DeviceStateList reports it. */
export interface DeviceStateItem { device: string; state: DeviceState }
/** One PJSIP endpoint as PJSIPShowEndpoints reports it (DeviceState turned into the DeviceStateChange vocabulary). */
export interface EndpointItem { name: string; aor: string; contacts: string[]; deviceState: DeviceState; activeChannels: number }
/** One PJSIP contact as PJSIPShowContacts reports it. */
export interface ContactItem { id: string; aor: string; endpoint: string; uri: string; status: string }

export type AmiErrorCode =
  | 'ami_auth_failed' // Asterisk refused the user or secret: retrying cannot help
  | 'ami_not_connected' // no logged-in session right now
  | 'ami_disconnected' // the session ended while the action was waiting for its answer
  | 'ami_timeout' // no answer within the action timeout
  | 'ami_permission_denied' // the AMI user lacks the write class the action needs (manager.conf)
  | 'ami_action_unsupported' // this Asterisk does not know the action (module not loaded)
  | 'ami_action_failed' // any other `Response: Error`
  | 'ami_closed'; // close() was called

/** A failed AMI exchange: `code` is stable, `message` carries Asterisk's own words. */
export class AmiError extends Error {
  constructor(readonly code: AmiErrorCode, message: string, readonly action?: string) {
    super(message);
    this.name = 'AmiError';
  }
}

export interface AmiPortEvents {
  /** logged in (first connection or after a reconnect): a consumer resynchronises its state now */
  up: [];
  /** the session ended; the port reconnects by itself unless it was closed or the login is refused */
  down: [reason: string];
  event: [AmiEvent];
  /** the port gave up for good (a reconnect was refused: wrong secret) */
  failed: [AmiError];
}

export type Unsubscribe = () => void;

export interface AmiPort {
  on<K extends keyof AmiPortEvents>(name: K, listener: (...args: AmiPortEvents[K]) => void): Unsubscribe;
  isConnected(): boolean;

  extensionStateList(): Promise<ExtensionStateItem[]>;
  deviceStateList(): Promise<DeviceStateItem[]>;
  pjsipShowEndpoints(): Promise<EndpointItem[]>;
  pjsipShowContacts(): Promise<ContactItem[]>;
  /** send a SIP NOTIFY to an endpoint: `variable` as `{ Event: 'check-sync' }` or `'Event=check-sync'` */
  pjsipNotify(endpoint: string, variable: Record<string, string> | string): Promise<void>;
  ping(): Promise<void>;

  /** log off, stop reconnecting; pending actions fail with ami_closed */
  close(): Promise<void>;
}

/** ast_devstate2str() words, as PJSIPShowEndpoints `DeviceState` shows them, by ast_devstate_str() token. */
const DEVICE_STATE_WORDS: Record<DeviceState, string> = {
  NOT_INUSE: 'Not in use',
  INUSE: 'In use',
  BUSY: 'Busy',
  INVALID: 'Invalid',
  UNAVAILABLE: 'Unavailable',
  RINGING: 'Ringing',
  RINGINUSE: 'Ring+Inuse',
  ONHOLD: 'On Hold',
  UNKNOWN: 'Unknown',
};

const TOKEN_BY_WORDS = new Map<string, DeviceState>(
  (Object.entries(DEVICE_STATE_WORDS) as Array<[DeviceState, string]>).flatMap(([token, words]) => [[words.toLowerCase(), token], [token.toLowerCase(), token]]),
);

/** `NOT_INUSE` (DeviceStateChange) or `Not in use` (EndpointList) to the token; anything else is UNKNOWN. */
export function normaliseDeviceState(text: string): DeviceState {
  return TOKEN_BY_WORDS.get(text.trim().toLowerCase()) ?? 'UNKNOWN';
}

/** The reverse, for the AMI stand-in and for logs: `NOT_INUSE` to `Not in use`. */
export function deviceStateWords(state: DeviceState): string {
  return DEVICE_STATE_WORDS[state];
}
