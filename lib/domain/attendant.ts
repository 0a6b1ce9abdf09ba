// The attendant state machine: one pure function from (record, event, now) to the next record.
// An attendant is the operator position: a console plus a SIP set that carries the audio.
import type { AttendantRecord, AttendantState } from './model.ts';
import { DomainError } from './errors.ts';

/**
 * What can happen to an attendant. The console sends `action` for every key press
 * (it is what brings an absent attendant back) before the key's own event.
 */
export type AttendantEvent =
  /** log in to serve `groups` (unplugged → idle; stays unplugged while the device is offline) */
  | { type: 'login'; groups: readonly string[]; user?: string }
  /** log out (any → unplugged); idempotent */
  | { type: 'logout' }
  /** a call is presented: the set rings (idle → ringing) */
  | { type: 'present'; callId: string; leg: string }
  /** the presented call was picked up on `leg` (ringing → busy) */
  | { type: 'answer'; callId: string; leg: string }
  /** the presentation timed out or was refused (ringing → idle; its ring time counts towards absent) */
  | { type: 'noAnswer'; callId: string }
  /** the absent timer ran out while a presentation rang (ringing → absent); `absentAfterMs` is timer 76, 80 s by default */
  | { type: 'markAbsent'; absentAfterMs: number }
  /** any key pressed (absent → idle; otherwise only stops the absent timer) */
  | { type: 'action' }
  /** the call or operation ended (busy → idle), or the caller hung up while ringing (ringing → idle) */
  | { type: 'callEnded'; callId?: string }
  /** the attendant starts an outgoing call or another operation (idle → busy) */
  | { type: 'busyOperation'; callId?: string; leg?: string; operation?: string }
  /** do not disturb: logged in but refusing presentations (idle ↔ dnd) */
  | { type: 'dnd'; on: boolean }
  /** the device unregistered (any → unplugged, the login is kept) */
  | { type: 'offline' }
  /** the device registered again (unplugged → idle when still logged in) */
  | { type: 'online' };

export type AttendantEventType = AttendantEvent['type'];

export interface AttendantTransition {
  from: AttendantState;
  to: AttendantState;
  at: number;
  reason: string;
}

export interface AttendantOutcome {
  /** the next record; the very input object when nothing changed */
  attendant: AttendantRecord;
  /** present only when the state changed */
  transition?: AttendantTransition;
}

/** Custom device state published as `Stasis:<attendant>` so a BLF key (busy lamp field) can show the attendant. */
export type AttendantDeviceState = 'NOT_INUSE' | 'RINGING' | 'INUSE' | 'UNAVAILABLE' | 'BUSY';

const DEVICE_STATES: Readonly<Record<AttendantState, AttendantDeviceState>> = {
  idle: 'NOT_INUSE',
  ringing: 'RINGING',
  busy: 'INUSE',
  absent: 'UNAVAILABLE',
  unplugged: 'UNAVAILABLE',
  dnd: 'BUSY',
};

export function deviceStateFor(state: AttendantState): AttendantDeviceState {
  return DEVICE_STATES[state];
}

/** A configured attendant before anyone logs in. */
export function newAttendant(init: { id: string; device: string }, now: number): AttendantRecord {
  return { id: init.id, device: init.device, state: 'unplugged', since: now, reason: 'not logged in', groups: [], idleSince: 0, callsTaken: 0 };
}

/** Logged in, even when the device is offline. Records without `loggedInAt` count by their state. */
export function isLoggedIn(att: AttendantRecord): boolean {
  return att.loggedInAt !== undefined || att.state !== 'unplugged';
}

/** Only an idle attendant may be presented a call. */
export function canBePresented(att: AttendantRecord): boolean {
  return att.state === 'idle';
}

/**
 * Timer 76 (absent): it runs only while a presented call rings at the position unanswered. The ring
 * time of presentations left unanswered adds up (`unansweredMs`) until the attendant answers or
 * presses a key; time with nothing ringing does not count. This is that sum, now.
 */
export function unansweredRingMs(att: AttendantRecord, now: number): number {
  return (att.unansweredMs ?? 0) + (att.state === 'ringing' ? Math.max(0, now - att.since) : 0);
}

/** When markAbsent becomes valid (schedule the check then), or undefined when no absent timer runs (nothing rings). */
export function absentDue(att: AttendantRecord, absentAfterMs: number): number | undefined {
  if (att.state !== 'ringing') return undefined;
  return att.since + Math.max(0, absentAfterMs - (att.unansweredMs ?? 0));
}

type OptionalKey = 'currentCall' | 'currentLeg' | 'loginUser' | 'loggedInAt' | 'offline' | 'unansweredMs';
const CALL: readonly OptionalKey[] = ['currentCall', 'currentLeg'];

function build(att: AttendantRecord, patch: Partial<AttendantRecord>, clear: readonly OptionalKey[]): AttendantRecord {
  const next: AttendantRecord = { ...att, groups: [...att.groups], ...patch };
  for (const key of clear) delete next[key];
  return next;
}

function sameRecord(a: AttendantRecord, b: AttendantRecord): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as Array<keyof AttendantRecord>);
  for (const key of keys) {
    if (key === 'groups') {
      if (a.groups.length !== b.groups.length || a.groups.some((g, i) => g !== b.groups[i])) return false;
    } else if (a[key] !== b[key]) return false;
  }
  return true;
}

/** Same state: the record may still change (a cleared timer), but no transition is reported. */
function stay(att: AttendantRecord, patch: Partial<AttendantRecord>, clear: readonly OptionalKey[] = []): AttendantOutcome {
  const next = build(att, patch, clear);
  return { attendant: sameRecord(att, next) ? att : next };
}

function moveTo(
  att: AttendantRecord, to: AttendantState, now: number, reason: string,
  patch: Partial<AttendantRecord>, clear: readonly OptionalKey[] = [],
): AttendantOutcome {
  if (to === att.state) return stay(att, patch, clear);
  const next = build(att, { ...patch, state: to, since: now, reason }, clear);
  return { attendant: next, transition: { from: att.state, to, at: now, reason } };
}

function invalid(att: AttendantRecord, ev: AttendantEvent): DomainError {
  return new DomainError('invalid_transition', `attendant ${att.id}: ${ev.type} is not allowed while ${att.state}`, {
    attendant: att.id, state: att.state, event: ev.type,
  });
}

function wrongCall(att: AttendantRecord, ev: AttendantEvent, callId: string): DomainError {
  return new DomainError('wrong_call', `attendant ${att.id}: ${ev.type} names call ${callId} but the attendant has ${att.currentCall ?? 'none'}`, {
    attendant: att.id, state: att.state, event: ev.type, call: callId, currentCall: att.currentCall ?? '',
  });
}

/** An idle timer that survived a presentation; a record without one starts it now rather than jumping to the front. */
function keptIdleSince(att: AttendantRecord, now: number): number {
  return att.idleSince > 0 ? att.idleSince : now;
}

/**
 * Apply one event. Never mutates `att` and never throws for a bad event: an event that does not
 * fit the state comes back as a DomainError, and the caller keeps the record it had.
 */
export function applyAttendantEvent(att: AttendantRecord, ev: AttendantEvent, now: number): AttendantOutcome | DomainError {
  switch (ev.type) {
    case 'login': {
      if (isLoggedIn(att)) {
        return new DomainError('already_logged_in', `attendant ${att.id} is already logged in`, { attendant: att.id, state: att.state });
      }
      const patch: Partial<AttendantRecord> = { groups: [...ev.groups], loggedInAt: now, callsTaken: 0, idleSince: 0 };
      const clear: OptionalKey[] = [...CALL, 'unansweredMs'];
      if (ev.user !== undefined) patch.loginUser = ev.user;
      else clear.push('loginUser');
      // the login holds while the set is unregistered; `online` makes the attendant idle
      if (att.offline) return stay(att, patch, clear);
      return moveTo(att, 'idle', now, 'login', { ...patch, idleSince: now }, clear);
    }

    case 'logout': {
      if (!isLoggedIn(att)) return { attendant: att };
      return moveTo(att, 'unplugged', now, 'logout', { groups: [], idleSince: 0 },
        [...CALL, 'unansweredMs', 'loginUser', 'loggedInAt']);
    }

    case 'present': {
      if (att.state !== 'idle') return invalid(att, ev);
      // idleSince is kept: a presentation that is not answered must not reset the idle timer
      return moveTo(att, 'ringing', now, 'call presented', { currentCall: ev.callId, currentLeg: ev.leg });
    }

    case 'answer': {
      if (att.state !== 'ringing') return invalid(att, ev);
      if (ev.callId !== att.currentCall) return wrongCall(att, ev, ev.callId);
      return moveTo(att, 'busy', now, 'answered',
        { currentLeg: ev.leg, callsTaken: att.callsTaken + 1, idleSince: 0 }, ['unansweredMs']);
    }

    case 'noAnswer': {
      if (att.state !== 'ringing') return invalid(att, ev);
      if (ev.callId !== att.currentCall) return wrongCall(att, ev, ev.callId);
      // this presentation's ring time (from `since`) adds to the absent timer's
      return moveTo(att, 'idle', now, 'no answer',
        { unansweredMs: unansweredRingMs(att, now), idleSince: keptIdleSince(att, now) }, CALL);
    }

    case 'markAbsent': {
      if (att.state !== 'idle' && att.state !== 'ringing') return invalid(att, ev);
      const rung = unansweredRingMs(att, now);
      if (att.state !== 'ringing' || !(rung >= ev.absentAfterMs)) {
        return new DomainError('not_due', `attendant ${att.id}: the absent timer has not run out`, {
          attendant: att.id, state: att.state, due: absentDue(att, ev.absentAfterMs) ?? 'never',
        });
      }
      const seconds = Math.round(ev.absentAfterMs / 1000);
      return moveTo(att, 'absent', now, `no answer for ${seconds} s`, { unansweredMs: rung, idleSince: 0 }, CALL);
    }

    case 'action': {
      if (att.state === 'absent') return moveTo(att, 'idle', now, 'key pressed', { idleSince: now }, ['unansweredMs']);
      return stay(att, {}, ['unansweredMs']);
    }

    case 'callEnded': {
      if (att.state !== 'busy' && att.state !== 'ringing') return invalid(att, ev);
      if (ev.callId !== undefined && att.currentCall !== undefined && ev.callId !== att.currentCall) return wrongCall(att, ev, ev.callId);
      if (att.state === 'busy') return moveTo(att, 'idle', now, 'call ended', { idleSince: now }, CALL);
      // the caller gave up while the set rang: not the attendant's doing, so neither the idle nor the absent timer moves
      return moveTo(att, 'idle', now, 'caller hung up before answer', { idleSince: keptIdleSince(att, now) }, CALL);
    }

    case 'busyOperation': {
      if (att.state !== 'idle') return invalid(att, ev);
      const patch: Partial<AttendantRecord> = { idleSince: 0 };
      const clear: OptionalKey[] = ['unansweredMs'];
      if (ev.callId !== undefined) patch.currentCall = ev.callId;
      else clear.push('currentCall');
      if (ev.leg !== undefined) patch.currentLeg = ev.leg;
      else clear.push('currentLeg');
      return moveTo(att, 'busy', now, ev.operation ?? 'operation', patch, clear);
    }

    case 'dnd': {
      if (!ev.on) return att.state === 'dnd' ? moveTo(att, 'idle', now, 'do not disturb off', { idleSince: now }) : { attendant: att };
      if (att.state === 'dnd') return { attendant: att };
      if (att.state !== 'idle') return invalid(att, ev);
      return moveTo(att, 'dnd', now, 'do not disturb', { idleSince: 0 }, ['unansweredMs']);
    }

    case 'offline': {
      // the login is kept so that `online` can put the attendant back to work
      return moveTo(att, 'unplugged', now, 'offline', { offline: true, idleSince: 0 }, [...CALL, 'unansweredMs']);
    }

    case 'online': {
      if (!att.offline) return { attendant: att };
      if (att.state === 'unplugged' && att.loggedInAt !== undefined) {
        return moveTo(att, 'idle', now, 'online', { idleSince: now }, ['offline']);
      }
      return stay(att, {}, ['offline']);
    }
  }
}

/** Apply an event and throw its DomainError: for callers (tests, scripts) that treat a bad event as a bug. */
export function applyAttendantEventOrThrow(att: AttendantRecord, ev: AttendantEvent, now: number): AttendantOutcome {
  const out = applyAttendantEvent(att, ev, now);
  if (out instanceof DomainError) throw out;
  return out;
}

/**
 * What must hold for every record the machine produces; empty when consistent.
 * The controller can run it on records read back from the store after a restart.
 */
export function attendantInconsistencies(att: AttendantRecord): string[] {
  const problems: string[] = [];
  const loggedIn = att.loggedInAt !== undefined;
  if (att.state === 'ringing' && (att.currentCall === undefined || att.currentLeg === undefined)) problems.push('ringing without a call and leg');
  if (['idle', 'absent', 'dnd', 'unplugged'].includes(att.state) && (att.currentCall !== undefined || att.currentLeg !== undefined)) {
    problems.push(`${att.state} with a current call`);
  }
  if ((att.state === 'idle' || att.state === 'ringing') && att.idleSince <= 0) problems.push(`${att.state} without an idle timer`);
  if ((att.state === 'busy' || att.state === 'absent' || att.state === 'dnd' || att.state === 'unplugged') && att.idleSince !== 0) {
    problems.push(`${att.state} with an idle timer`);
  }
  if (att.unansweredMs !== undefined && !['idle', 'ringing', 'absent'].includes(att.state)) problems.push(`${att.state} with an absent timer`);
  if (att.state === 'absent' && att.unansweredMs === undefined) problems.push('absent without an unanswered presentation');
  if (att.unansweredMs !== undefined && !(att.unansweredMs >= 0)) problems.push('negative unanswered ring time');
  if ((att.state === 'unplugged') !== (!loggedIn || att.offline === true)) problems.push(`${att.state} does not match logged in=${loggedIn} offline=${att.offline === true}`);
  if (!loggedIn && (att.groups.length > 0 || att.loginUser !== undefined)) problems.push('logged out but still in groups');
  if (att.callsTaken < 0) problems.push('negative calls taken');
  return problems;
}
