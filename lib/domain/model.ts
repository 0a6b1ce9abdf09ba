// The records Attendant keeps about attendants, groups and calls. Plain data:
// the domain decides on them, the store persists them, the API shows them.
import type { Mode } from '../config.ts';
import type { Call } from './call.ts';

type AllKeys<U> = U extends unknown ? keyof U : never;
type BagOf<U> = { [K in AllKeys<U>]?: U extends unknown ? (K extends keyof U ? U[K] : never) : never };

export type { Mode };

/**
 * idle: logged in and free; ringing: a call is being presented to the set;
 * busy: on a call or doing an operation; unplugged: logged out or set offline;
 * absent: did not answer a presentation within `absentAfter` (any action brings it back);
 * dnd: logged in but refuses presentations.
 */
export const ATTENDANT_STATES = ['idle', 'ringing', 'busy', 'unplugged', 'absent', 'dnd'] as const;
export type AttendantState = (typeof ATTENDANT_STATES)[number];

export interface AttendantRecord {
  id: string;
  state: AttendantState;
  /** ms epoch of the last state change */
  since: number;
  reason: string;
  /** groups the attendant is logged into (members it may serve) */
  groups: string[];
  device: string;
  /** ms epoch since when the attendant is idle (longest-idle hunting); 0 when not idle, but kept while ringing so a no-answer does not reset the idle timer */
  idleSince: number;
  /** caller channel id of the call being presented or handled */
  currentCall?: string;
  /** the attendant's own leg (channel id) for the current call */
  currentLeg?: string;
  loginUser?: string;
  /** ms epoch of the login; undefined when logged out (an attendant stays logged in while its device is offline) */
  loggedInAt?: number;
  /** the device is unregistered: the attendant is unplugged until it comes back online */
  offline?: boolean;
  /** calls answered since login (fewest-calls hunting) */
  callsTaken: number;
  /** ms of ring time of presentations left unanswered since the last answer or key press (absent timer 76; see unansweredRingMs) */
  unansweredMs?: number;
}

/** in service: at least one member idle or busy; absent: the last working member went absent; unplugged: all unplugged. */
export const GROUP_STATES = ['in-service', 'absent', 'unplugged'] as const;
export type GroupState = (typeof GROUP_STATES)[number];

export interface GroupRecord {
  id: string;
  /** mode in force, from the schedule or the override */
  mode: Mode;
  /** manual override by a supervisor; wins over the schedule until cleared */
  override?: Mode;
  state: GroupState;
  /** round-robin: index in the member list of the last attendant presented */
  rrCursor: number;
}

/**
 * consulting: the attendant calls a third party (consultation) while the caller waits on hold, or
 * alternates between them; conference: caller, attendant and third party talk together (three-way).
 */
export const CALL_STATES = ['waiting', 'ringing', 'talking', 'held', 'parked', 'transferring', 'consulting', 'conference', 'ended'] as const;
export type CallState = (typeof CALL_STATES)[number];

/** talk: the caller in a mixing bridge with an attendant; held: in its own holding bridge (stays.ts) */
export type StayKind = 'talk' | 'held';

/** One stay of the caller in a bridge, from ChannelEnteredBridge to ChannelLeftBridge (ms epoch). */
export interface BridgeStay {
  kind: StayKind;
  bridge: string;
  start: number;
  /** undefined while the caller is still there */
  end?: number;
  /** talk: the attendant the caller talked with */
  attendant?: string;
}

/** The call: a discriminated union on `state`, each variant with exactly its fields (lib/domain/call.ts). */
export type CallRecord = Call;
/** The previous version's call record: every field of every state, optional (what old stores may hold). */
export type CallRecordBag = BagOf<Call>;

/** One line of the operator action log. */
export interface LogEntry {
  /** stream id, set by the store */
  id: string;
  time: number;
  /** who acted: an attendant id, a user, or `system` */
  operator: string;
  action: string;
  callId?: string;
  /** numbers involved (caller, target) to query by number */
  numbers: string[];
  result: string;
  detail?: Record<string, string>;
}
export type LogEntryInput = Omit<LogEntry, 'id'>;

export interface LogQuery {
  from?: number;
  to?: number;
  operator?: string;
  number?: string;
  limit?: number;
}
