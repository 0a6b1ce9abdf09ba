import assert from 'node:assert/strict';
import {
  absentDue, applyAttendantEvent, applyAttendantEventOrThrow, attendantInconsistencies, canBePresented,
  deviceStateFor, isLoggedIn, newAttendant,
} from '../../../lib/domain/attendant.ts';
import type { AttendantEvent } from '../../../lib/domain/attendant.ts';
import { DomainError } from '../../../lib/domain/errors.ts';
import { ATTENDANT_STATES } from '../../../lib/domain/model.ts';
import type { AttendantRecord, AttendantState } from '../../../lib/domain/model.ts';
import { HOUR, MINUTE, SECOND, T0, busy, fails, frozen, idle, loggedOut, ok, ringing } from './fixtures.ts';

const ABSENT_AFTER = 80 * SECOND; // timer 76

/** One attendant in each state, consistent with the machine's invariants. */
function inState(state: AttendantState): AttendantRecord {
  switch (state) {
    case 'idle': return idle('op1');
    case 'ringing': return ringing('op1', 'c1', T0);
    case 'busy': return busy('op1', 'c1', T0);
    case 'absent': return idle('op1', { state: 'absent', idleSince: 0, unansweredMs: ABSENT_AFTER });
    case 'dnd': return idle('op1', { state: 'dnd', idleSince: 0 });
    case 'unplugged': return loggedOut('op1');
  }
}

describe('attendant state machine', () => {
  describe('login and logout', () => {
    it('given an unplugged attendant, when it logs in, then it is idle with its idle timer started and its calls counted from zero', () => {
      const before = frozen(loggedOut('op1', { callsTaken: 12 }));
      const out = ok(applyAttendantEvent(before, { type: 'login', groups: ['reception', 'vip'], user: 'alice' }, T0 + 5));
      assert.deepEqual(out.transition, { from: 'unplugged', to: 'idle', at: T0 + 5, reason: 'login' });
      assert.equal(out.attendant.state, 'idle');
      assert.equal(out.attendant.idleSince, T0 + 5);
      assert.equal(out.attendant.since, T0 + 5);
      assert.equal(out.attendant.callsTaken, 0);
      assert.equal(out.attendant.loggedInAt, T0 + 5);
      assert.equal(out.attendant.loginUser, 'alice');
      assert.deepEqual(out.attendant.groups, ['reception', 'vip']);
      assert.deepEqual(attendantInconsistencies(out.attendant), []);
    });

    it('given a logged-in attendant, when it logs in again, then the login is refused as already_logged_in', () => {
      for (const state of ['idle', 'busy', 'ringing', 'absent', 'dnd'] as const) {
        fails(applyAttendantEvent(inState(state), { type: 'login', groups: ['reception'] }, T0), 'already_logged_in');
      }
    });

    it('given a busy attendant, when it logs out, then it is unplugged, its call and groups are cleared', () => {
      const out = ok(applyAttendantEvent(frozen(busy('op1', 'c1', T0)), { type: 'logout' }, T0 + MINUTE));
      assert.deepEqual(out.transition, { from: 'busy', to: 'unplugged', at: T0 + MINUTE, reason: 'logout' });
      assert.equal(out.attendant.currentCall, undefined);
      assert.equal(out.attendant.currentLeg, undefined);
      assert.deepEqual(out.attendant.groups, []);
      assert.equal(out.attendant.loggedInAt, undefined);
      assert.equal(out.attendant.idleSince, 0);
      assert.equal(isLoggedIn(out.attendant), false);
      assert.deepEqual(attendantInconsistencies(out.attendant), []);
    });

    it('given a logged-out attendant, when it logs out, then nothing changes and no transition is reported', () => {
      const before = loggedOut('op1');
      const out = ok(applyAttendantEvent(before, { type: 'logout' }, T0 + MINUTE));
      assert.equal(out.attendant, before);
      assert.equal(out.transition, undefined);
    });

    it('given every logged-in state, when the attendant logs out, then it ends unplugged', () => {
      for (const state of ['idle', 'ringing', 'busy', 'absent', 'dnd'] as const) {
        const out = ok(applyAttendantEvent(inState(state), { type: 'logout' }, T0 + MINUTE));
        assert.equal(out.attendant.state, 'unplugged', state);
        assert.equal(out.transition?.from, state);
      }
    });
  });

  describe('presentation', () => {
    it('given an idle attendant, when a call is presented, then it rings with the call and leg and keeps its idle timer', () => {
      const before = frozen(idle('op1', { idleSince: T0 - 20 * SECOND }));
      const out = ok(applyAttendantEvent(before, { type: 'present', callId: 'c1', leg: 'leg-op1' }, T0));
      assert.deepEqual(out.transition, { from: 'idle', to: 'ringing', at: T0, reason: 'call presented' });
      assert.equal(out.attendant.currentCall, 'c1');
      assert.equal(out.attendant.currentLeg, 'leg-op1');
      assert.equal(out.attendant.idleSince, T0 - 20 * SECOND);
    });

    it('given an attendant that is not idle, when a call is presented, then it is refused as invalid_transition', () => {
      for (const state of ['ringing', 'busy', 'absent', 'dnd', 'unplugged'] as const) {
        const err = fails(applyAttendantEvent(inState(state), { type: 'present', callId: 'c9', leg: 'l9' }, T0), 'invalid_transition');
        assert.equal(err.details.state, state);
        assert.equal(err.details.event, 'present');
      }
    });

    it('given a ringing attendant, when it answers, then it is busy on the answering leg, one more call taken, absent timer stopped', () => {
      const before = frozen(ringing('op1', 'c1', T0, { callsTaken: 3, unansweredMs: 30 * SECOND }));
      const out = ok(applyAttendantEvent(before, { type: 'answer', callId: 'c1', leg: 'leg-answered' }, T0 + 4 * SECOND));
      assert.deepEqual(out.transition, { from: 'ringing', to: 'busy', at: T0 + 4 * SECOND, reason: 'answered' });
      assert.equal(out.attendant.callsTaken, 4);
      assert.equal(out.attendant.currentCall, 'c1');
      assert.equal(out.attendant.currentLeg, 'leg-answered');
      assert.equal(out.attendant.unansweredMs, undefined);
      assert.equal(out.attendant.idleSince, 0);
    });

    it('given a ringing attendant, when an answer names another call, then it is refused as wrong_call', () => {
      const err = fails(applyAttendantEvent(ringing('op1', 'c1', T0), { type: 'answer', callId: 'c2', leg: 'l' }, T0), 'wrong_call');
      assert.equal(err.details.call, 'c2');
      assert.equal(err.details.currentCall, 'c1');
    });

    it('given an attendant that is not ringing, when an answer arrives, then it is refused as invalid_transition', () => {
      for (const state of ['idle', 'busy', 'absent', 'dnd', 'unplugged'] as const) {
        fails(applyAttendantEvent(inState(state), { type: 'answer', callId: 'c1', leg: 'l' }, T0), 'invalid_transition');
      }
    });

    it('given a ringing attendant, when the presentation is not answered, then it is idle again with its old idle timer and its ring time counted towards absent', () => {
      const presentedAt = T0 + 10 * SECOND;
      const before = frozen(ringing('op1', 'c1', presentedAt, { idleSince: T0 - 25 * SECOND }));
      const out = ok(applyAttendantEvent(before, { type: 'noAnswer', callId: 'c1' }, presentedAt + 15 * SECOND));
      assert.deepEqual(out.transition, { from: 'ringing', to: 'idle', at: presentedAt + 15 * SECOND, reason: 'no answer' });
      assert.equal(out.attendant.idleSince, T0 - 25 * SECOND, 'the idle timer does not restart');
      assert.equal(out.attendant.unansweredMs, 15 * SECOND);
      assert.equal(out.attendant.currentCall, undefined);
      assert.equal(out.attendant.currentLeg, undefined);
    });

    it('given an attendant that already missed a presentation, when it misses a second one, then the ring times add up', () => {
      const out = ok(applyAttendantEvent(ringing('op1', 'c2', T0, { unansweredMs: 15 * SECOND }), { type: 'noAnswer', callId: 'c2' }, T0 + 12 * SECOND));
      assert.equal(out.attendant.unansweredMs, 27 * SECOND);
    });

    it('given a ringing attendant, when a no-answer names another call or arrives while not ringing, then it is refused', () => {
      fails(applyAttendantEvent(ringing('op1', 'c1', T0), { type: 'noAnswer', callId: 'c2' }, T0), 'wrong_call');
      fails(applyAttendantEvent(idle('op1'), { type: 'noAnswer', callId: 'c1' }, T0), 'invalid_transition');
    });

    it('given a ringing attendant whose record lost its idle timer, when the presentation is not answered, then the idle timer starts now instead of jumping to the front', () => {
      const out = ok(applyAttendantEvent(ringing('op1', 'c1', T0, { idleSince: 0 }), { type: 'noAnswer', callId: 'c1' }, T0 + 15 * SECOND));
      assert.equal(out.attendant.idleSince, T0 + 15 * SECOND);
    });
  });

  describe('absent (timer 76)', () => {
    it('given an attendant that missed presentations, when the ring time of those and of the one ringing reaches 80 s, then the absent check is due and marks it absent', () => {
      const missed = ok(applyAttendantEvent(ringing('op1', 'c1', T0), { type: 'noAnswer', callId: 'c1' }, T0 + 15 * SECOND)).attendant;
      assert.equal(absentDue(missed, ABSENT_AFTER), undefined, 'no timer runs while nothing rings');
      const again = ok(applyAttendantEvent(missed, { type: 'present', callId: 'c2', leg: 'l2' }, T0 + 10 * MINUTE)).attendant;
      const due = absentDue(again, ABSENT_AFTER);
      assert.equal(due, T0 + 10 * MINUTE + 65 * SECOND, 'the 15 s already rung count, the idle 10 minutes do not');
      const out = ok(applyAttendantEvent(again, { type: 'markAbsent', absentAfterMs: ABSENT_AFTER }, due!));
      assert.deepEqual(out.transition, { from: 'ringing', to: 'absent', at: due, reason: 'no answer for 80 s' });
      assert.equal(out.attendant.idleSince, 0);
      assert.equal(out.attendant.unansweredMs, ABSENT_AFTER);
      assert.deepEqual(attendantInconsistencies(out.attendant), []);
    });

    it('given an attendant that missed a presentation long ago and is idle, when the absent check runs, then it is refused as not_due: idle time never makes anyone absent', () => {
      const att = idle('op1', { unansweredMs: 79 * SECOND });
      const err = fails(applyAttendantEvent(att, { type: 'markAbsent', absentAfterMs: ABSENT_AFTER }, T0 + HOUR), 'not_due');
      assert.equal(err.details.due, 'never');
    });

    it('given a ringing attendant that has rung 79 s unanswered in all, when the absent check runs, then it is refused as not_due with the time it is due', () => {
      const att = ringing('op1', 'c1', T0, { unansweredMs: 60 * SECOND });
      const err = fails(applyAttendantEvent(att, { type: 'markAbsent', absentAfterMs: ABSENT_AFTER }, T0 + 19 * SECOND), 'not_due');
      assert.equal(err.details.due, T0 + 20 * SECOND);
    });

    it('given an idle attendant that missed nothing, when the absent check runs, then it is not due and no absent timer runs', () => {
      fails(applyAttendantEvent(idle('op1'), { type: 'markAbsent', absentAfterMs: ABSENT_AFTER }, T0 + 10 * MINUTE), 'not_due');
      assert.equal(absentDue(idle('op1'), ABSENT_AFTER), undefined);
    });

    it('given a set ringing for 80 s on its first presentation, when the absent check runs, then the attendant is absent and the presentation dropped', () => {
      const att = ringing('op1', 'c1', T0);
      assert.equal(absentDue(att, ABSENT_AFTER), T0 + ABSENT_AFTER);
      const out = ok(applyAttendantEvent(att, { type: 'markAbsent', absentAfterMs: ABSENT_AFTER }, T0 + ABSENT_AFTER));
      assert.equal(out.transition?.from, 'ringing');
      assert.equal(out.attendant.state, 'absent');
      assert.equal(out.attendant.currentCall, undefined);
      assert.equal(out.attendant.unansweredMs, ABSENT_AFTER);
    });

    it('given a busy, dnd or unplugged attendant, when the absent check runs, then it is refused and no absent timer runs', () => {
      for (const state of ['busy', 'dnd', 'unplugged', 'absent'] as const) {
        fails(applyAttendantEvent(inState(state), { type: 'markAbsent', absentAfterMs: ABSENT_AFTER }, T0 + 10 * MINUTE), 'invalid_transition');
        assert.equal(absentDue(inState(state), ABSENT_AFTER), undefined, state);
      }
    });

    it('given an absent attendant, when any key is pressed, then it is idle with a fresh idle timer and no absent timer', () => {
      const out = ok(applyAttendantEvent(frozen(inState('absent')), { type: 'action' }, T0 + 5 * MINUTE));
      assert.deepEqual(out.transition, { from: 'absent', to: 'idle', at: T0 + 5 * MINUTE, reason: 'key pressed' });
      assert.equal(out.attendant.idleSince, T0 + 5 * MINUTE);
      assert.equal(out.attendant.unansweredMs, undefined);
    });

    it('given an idle attendant that missed a presentation, when it presses a key, then the absent timer stops without a transition', () => {
      const out = ok(applyAttendantEvent(frozen(idle('op1', { unansweredMs: 15 * SECOND })), { type: 'action' }, T0 + 30 * SECOND));
      assert.equal(out.transition, undefined);
      assert.equal(out.attendant.state, 'idle');
      assert.equal(out.attendant.unansweredMs, undefined);
      assert.equal(absentDue(out.attendant, ABSENT_AFTER), undefined);
    });

    it('given an attendant with no absent timer, when it presses a key, then the very same record comes back', () => {
      for (const state of ['idle', 'busy', 'dnd', 'unplugged'] as const) {
        const before = inState(state);
        const out = ok(applyAttendantEvent(before, { type: 'action' }, T0 + 30 * SECOND));
        assert.equal(out.attendant, before, state);
        assert.equal(out.transition, undefined);
      }
    });
  });

  describe('end of calls and operations', () => {
    it('given a busy attendant, when its call ends, then it is idle with the idle timer starting now', () => {
      const out = ok(applyAttendantEvent(frozen(busy('op1', 'c1', T0)), { type: 'callEnded', callId: 'c1' }, T0 + 3 * MINUTE));
      assert.deepEqual(out.transition, { from: 'busy', to: 'idle', at: T0 + 3 * MINUTE, reason: 'call ended' });
      assert.equal(out.attendant.idleSince, T0 + 3 * MINUTE);
      assert.equal(out.attendant.currentCall, undefined);
      assert.equal(out.attendant.currentLeg, undefined);
    });

    it('given a ringing attendant, when the caller hangs up before the answer, then it is idle with its old idle timer and no absent timer', () => {
      const before = ringing('op1', 'c1', T0, { idleSince: T0 - MINUTE });
      const out = ok(applyAttendantEvent(before, { type: 'callEnded', callId: 'c1' }, T0 + 5 * SECOND));
      assert.deepEqual(out.transition, { from: 'ringing', to: 'idle', at: T0 + 5 * SECOND, reason: 'caller hung up before answer' });
      assert.equal(out.attendant.idleSince, T0 - MINUTE);
      assert.equal(out.attendant.unansweredMs, undefined);
    });

    it('given a busy attendant, when another call ends, then it is refused as wrong_call', () => {
      fails(applyAttendantEvent(busy('op1', 'c1', T0), { type: 'callEnded', callId: 'c2' }, T0), 'wrong_call');
    });

    it('given an attendant that is neither busy nor ringing, when a call ends, then it is refused as invalid_transition', () => {
      for (const state of ['idle', 'absent', 'dnd', 'unplugged'] as const) {
        fails(applyAttendantEvent(inState(state), { type: 'callEnded', callId: 'c1' }, T0), 'invalid_transition');
      }
    });

    it('given an idle attendant, when it starts an outgoing call, then it is busy on it, and idle again when it ends', () => {
      const out = ok(applyAttendantEvent(idle('op1', { unansweredMs: 15 * SECOND }), { type: 'busyOperation', callId: 'out1', leg: 'leg-out', operation: 'outgoing call' }, T0 + SECOND));
      assert.deepEqual(out.transition, { from: 'idle', to: 'busy', at: T0 + SECOND, reason: 'outgoing call' });
      assert.equal(out.attendant.currentCall, 'out1');
      assert.equal(out.attendant.unansweredMs, undefined, 'starting an operation is a key press');
      assert.equal(out.attendant.callsTaken, 0, 'only answered presentations count');
      const back = ok(applyAttendantEvent(out.attendant, { type: 'callEnded' }, T0 + MINUTE));
      assert.equal(back.attendant.state, 'idle');
      assert.equal(back.attendant.idleSince, T0 + MINUTE);
    });

    it('given an idle attendant, when it starts a management operation without a call, then it is busy with reason operation', () => {
      const out = ok(applyAttendantEvent(idle('op1'), { type: 'busyOperation' }, T0));
      assert.equal(out.transition?.reason, 'operation');
      assert.equal(out.attendant.currentCall, undefined);
      assert.deepEqual(attendantInconsistencies(out.attendant), []);
    });

    it('given an attendant that is not idle, when it starts an operation, then it is refused as invalid_transition', () => {
      for (const state of ['ringing', 'busy', 'absent', 'dnd', 'unplugged'] as const) {
        fails(applyAttendantEvent(inState(state), { type: 'busyOperation' }, T0), 'invalid_transition');
      }
    });
  });

  describe('do not disturb', () => {
    it('given an idle attendant, when it sets DND and later clears it, then it refuses presentations meanwhile and restarts its idle timer', () => {
      const on = ok(applyAttendantEvent(idle('op1', { unansweredMs: 15 * SECOND }), { type: 'dnd', on: true }, T0 + SECOND));
      assert.deepEqual(on.transition, { from: 'idle', to: 'dnd', at: T0 + SECOND, reason: 'do not disturb' });
      assert.equal(canBePresented(on.attendant), false);
      assert.equal(on.attendant.unansweredMs, undefined);
      const off = ok(applyAttendantEvent(on.attendant, { type: 'dnd', on: false }, T0 + HOUR));
      assert.deepEqual(off.transition, { from: 'dnd', to: 'idle', at: T0 + HOUR, reason: 'do not disturb off' });
      assert.equal(off.attendant.idleSince, T0 + HOUR);
    });

    it('given an attendant already in the asked DND setting, when DND is set again, then the same record comes back', () => {
      const dnd = inState('dnd');
      assert.equal(ok(applyAttendantEvent(dnd, { type: 'dnd', on: true }, T0)).attendant, dnd);
      const free = idle('op1');
      assert.equal(ok(applyAttendantEvent(free, { type: 'dnd', on: false }, T0)).attendant, free);
    });

    it('given a busy, ringing, absent or unplugged attendant, when DND is set, then it is refused as invalid_transition', () => {
      for (const state of ['busy', 'ringing', 'absent', 'unplugged'] as const) {
        fails(applyAttendantEvent(inState(state), { type: 'dnd', on: true }, T0), 'invalid_transition');
      }
    });
  });

  describe('device offline and online', () => {
    it('given a busy attendant, when its device goes offline, then it is unplugged with reason offline and stays logged in', () => {
      const out = ok(applyAttendantEvent(frozen(busy('op1', 'c1', T0)), { type: 'offline' }, T0 + MINUTE));
      assert.deepEqual(out.transition, { from: 'busy', to: 'unplugged', at: T0 + MINUTE, reason: 'offline' });
      assert.equal(out.attendant.offline, true);
      assert.equal(out.attendant.currentCall, undefined);
      assert.equal(isLoggedIn(out.attendant), true);
      assert.deepEqual(out.attendant.groups, ['reception']);
      assert.deepEqual(attendantInconsistencies(out.attendant), []);
    });

    it('given an attendant unplugged because its device went offline, when the device comes back, then it is idle with a fresh idle timer', () => {
      const off = ok(applyAttendantEvent(idle('op1'), { type: 'offline' }, T0 + MINUTE)).attendant;
      const out = ok(applyAttendantEvent(off, { type: 'online' }, T0 + 2 * MINUTE));
      assert.deepEqual(out.transition, { from: 'unplugged', to: 'idle', at: T0 + 2 * MINUTE, reason: 'online' });
      assert.equal(out.attendant.offline, undefined);
      assert.equal(out.attendant.idleSince, T0 + 2 * MINUTE);
    });

    it('given a logged-out attendant, when its device goes offline then online, then it stays unplugged throughout', () => {
      const off = ok(applyAttendantEvent(loggedOut('op1'), { type: 'offline' }, T0));
      assert.equal(off.transition, undefined);
      assert.equal(off.attendant.offline, true);
      const on = ok(applyAttendantEvent(off.attendant, { type: 'online' }, T0 + MINUTE));
      assert.equal(on.transition, undefined);
      assert.equal(on.attendant.state, 'unplugged');
      assert.equal(on.attendant.offline, undefined);
    });

    it('given a device offline, when the attendant logs in, then the login holds but it stays unplugged until the device is online', () => {
      const device = loggedOut('op1', { offline: true });
      const login = ok(applyAttendantEvent(device, { type: 'login', groups: ['reception'] }, T0));
      assert.equal(login.transition, undefined);
      assert.equal(login.attendant.state, 'unplugged');
      assert.equal(isLoggedIn(login.attendant), true);
      assert.deepEqual(attendantInconsistencies(login.attendant), []);
      const on = ok(applyAttendantEvent(login.attendant, { type: 'online' }, T0 + MINUTE));
      assert.equal(on.attendant.state, 'idle');
    });

    it('given an attendant offline, when it logs out and the device comes back, then it stays unplugged', () => {
      const off = ok(applyAttendantEvent(idle('op1'), { type: 'offline' }, T0)).attendant;
      const out = ok(applyAttendantEvent(off, { type: 'logout' }, T0 + SECOND));
      assert.equal(out.transition, undefined, 'already unplugged');
      assert.equal(out.attendant.loggedInAt, undefined);
      const on = ok(applyAttendantEvent(out.attendant, { type: 'online' }, T0 + MINUTE));
      assert.equal(on.attendant.state, 'unplugged');
    });

    it('given an attendant online, when an online event arrives, then the same record comes back; offline twice changes nothing the second time', () => {
      const att = idle('op1');
      assert.equal(ok(applyAttendantEvent(att, { type: 'online' }, T0)).attendant, att);
      const off = ok(applyAttendantEvent(att, { type: 'offline' }, T0)).attendant;
      const again = ok(applyAttendantEvent(off, { type: 'offline' }, T0 + SECOND));
      assert.equal(again.attendant, off);
      assert.equal(again.transition, undefined);
    });
  });

  describe('device states and helpers', () => {
    it('maps each attendant state to the device state a BLF key shows', () => {
      const shown = Object.fromEntries(ATTENDANT_STATES.map((s) => [s, deviceStateFor(s)]));
      assert.deepEqual(shown, { idle: 'NOT_INUSE', ringing: 'RINGING', busy: 'INUSE', unplugged: 'UNAVAILABLE', absent: 'UNAVAILABLE', dnd: 'BUSY' });
    });

    it('given a configured attendant nobody has logged in as, then it is unplugged, logged out and consistent', () => {
      const att = newAttendant({ id: 'op1', device: 'PJSIP/op1' }, T0);
      assert.equal(att.state, 'unplugged');
      assert.equal(isLoggedIn(att), false);
      assert.deepEqual(attendantInconsistencies(att), []);
    });

    it('given a bad event, when applied through the throwing variant, then the DomainError is thrown', () => {
      assert.throws(() => applyAttendantEventOrThrow(busy('op1', 'c1', T0), { type: 'present', callId: 'c2', leg: 'l' }, T0),
        (err: unknown) => err instanceof DomainError && err.code === 'invalid_transition');
      assert.equal(applyAttendantEventOrThrow(idle('op1'), { type: 'dnd', on: true }, T0).attendant.state, 'dnd');
    });

    it('given records that break the rules, then the consistency check names the problem', () => {
      assert.deepEqual(attendantInconsistencies(idle('op1', { state: 'ringing' })), ['ringing without a call and leg']);
      assert.deepEqual(attendantInconsistencies(idle('op1', { currentCall: 'c1' })), ['idle with a current call']);
      assert.ok(attendantInconsistencies(idle('op1', { loggedInAt: undefined })).length > 0, 'attendantInconsistencies(idle(\'op1\', { loggedInAt: undefined })).length > 0');
    });

    it('given any state and any event, then the input record is never modified', () => {
      const events: AttendantEvent[] = [
        { type: 'login', groups: ['g'] }, { type: 'logout' }, { type: 'present', callId: 'c1', leg: 'l' },
        { type: 'answer', callId: 'c1', leg: 'l' }, { type: 'noAnswer', callId: 'c1' }, { type: 'markAbsent', absentAfterMs: 1 },
        { type: 'action' }, { type: 'callEnded' }, { type: 'busyOperation' }, { type: 'dnd', on: true }, { type: 'dnd', on: false },
        { type: 'offline' }, { type: 'online' },
      ];
      for (const state of ATTENDANT_STATES) {
        for (const ev of events) {
          const before = frozen(inState(state));
          const copy = structuredClone(before);
          applyAttendantEvent(before, ev, T0 + HOUR); // frozen: a write would throw
          assert.deepEqual(before, copy, `${state} + ${ev.type}`);
        }
      }
    });
  });
});
