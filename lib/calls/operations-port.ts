// What an operator (or a supervisor) can do with calls: the commands the API and the phone's
// feature codes call. Every command checks that the call belongs to the acting attendant,
// logs itself to the action log, and throws an OperationError with a stable code when refused.

export const OPERATION_ERROR_CODES = [
  'unknown_call', 'unknown_attendant', 'not_your_call', 'invalid_state', 'invalid_target', 'target_busy',
  'no_answer', 'slot_empty', 'slot_taken', 'not_found', 'ari_failed',
  // a value that cannot be used as given: a DND end in the past, a time that is no HH:MM, a message too long
  'invalid_value',
  // the numbering plan: a number no rule takes; one this position may not dial (a higher role may, or nobody)
  'outside_numbering_plan', 'number_not_allowed',
  // a desk service holds as many wake-up calls, messages or DNDs as the quotas allow
  'quota_exceeded',
] as const;
export type OperationErrorCode = (typeof OPERATION_ERROR_CODES)[number];

/** an operation that failed half way: the ARI step that failed, the status Asterisk answered, what became of the call */
export interface OperationFailure {
  operation: string;
  step: string;
  ariStatus?: number;
  outcome: string;
}

export class OperationError extends Error {
  override readonly name = 'OperationError';
  constructor(readonly code: OperationErrorCode, message: string, readonly failure?: OperationFailure) {
    super(message);
  }
}

export type MonitorMode = 'listen' | 'whisper' | 'barge';

export interface DirectoryEntry {
  name: string;
  number: string;
  shortCode?: string;
  department?: string;
  location?: string;
}

export interface ExtensionDnd {
  extension: string;
  by: string;
  since: number;
  until?: number;
}

export interface WakeupCall {
  id: string;
  extension: string;
  /** HH:MM local time of the site */
  time: string;
  daily: boolean;
  /** ms epoch of the next attempt */
  next: number;
  /** ms epoch of this round's wake-up time (retries come after it) */
  slot: number;
  /** attempts made in this round */
  attempts: number;
  status: 'scheduled' | 'ringing' | 'done' | 'failed' | 'cancelled';
  /** who booked it: a console user, or `room-<extension>` from the room phone's *56 */
  by: string;
  createdAt: number;
  /** how the last attempt ended: answered, busy, no-answer, failed, interrupted */
  lastResult?: string;
  /** the room's leg while an attempt rings */
  leg?: string;
}

export interface TextMessage {
  id: string;
  extension: string;
  text: string;
  by: string;
  at: number;
  read: boolean;
}

export interface Operations {
  /** pick up a waiting call (or the next one of the attendant's groups): rings only this attendant's set */
  answerWaiting(attendantId: string, callId?: string): Promise<string>;
  /** release the call the attendant is handling */
  hangup(attendantId: string, callId: string): Promise<void>;
  /** blind transfer to a number or a directory short code; recalls on no answer or busy */
  blindTransfer(attendantId: string, callId: string, target: string): Promise<void>;
  /** consultation: the caller waits with music while the operator talks to the target */
  consult(attendantId: string, callId: string, target: string): Promise<void>;
  completeTransfer(attendantId: string, callId: string): Promise<void>;
  cancelConsult(attendantId: string, callId: string): Promise<void>;
  swap(attendantId: string, callId: string): Promise<void>;
  /** three-way: join the consulted party (or call `target` and join it) */
  conference(attendantId: string, callId: string, target?: string): Promise<void>;
  /** take one party aside again (the other waits on hold) */
  split(attendantId: string, callId: string, party: string): Promise<void>;
  leaveConference(attendantId: string, callId: string): Promise<void>;
  hold(attendantId: string, callId: string): Promise<{ slot: number }>;
  retrieve(attendantId: string, slot: number): Promise<string>;
  park(attendantId: string, callId: string): Promise<{ slot: number }>;
  pickupParked(attendantId: string, slot: number): Promise<string>;
  monitor(supervisorId: string, callId: string, mode: MonitorMode): Promise<{ sessionId: string }>;
  stopMonitor(supervisorId: string, sessionId: string): Promise<void>;
  setExtensionDnd(extension: string, on: boolean, by: string, until?: number): Promise<void>;
  listExtensionDnd(): Promise<ExtensionDnd[]>;
  scheduleWakeup(req: { extension: string; time: string; daily: boolean }, by: string): Promise<WakeupCall>;
  cancelWakeup(id: string, by: string): Promise<void>;
  listWakeups(): Promise<WakeupCall[]>;
  leaveMessage(extension: string, text: string, by: string): Promise<TextMessage>;
  markMessageRead(extension: string, id: string, by: string): Promise<void>;
  listMessages(extension: string): Promise<TextMessage[]>;
  searchDirectory(query: string): DirectoryEntry[];
}
