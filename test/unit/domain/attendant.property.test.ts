import assert from 'node:assert/strict';
import { applyAttendantEvent, attendantInconsistencies, newAttendant } from '../../../lib/domain/attendant.ts';
import type { AttendantEvent } from '../../../lib/domain/attendant.ts';
import { DOMAIN_ERROR_CODES, DomainError } from '../../../lib/domain/errors.ts';
import type { AttendantRecord } from '../../../lib/domain/model.ts';
import { SECOND, T0, frozen, seeded } from './fixtures.ts';

const ABSENT_AFTER = 80 * SECOND;
const CALLS = ['c1', 'c2', 'c3'];

/** A random event; call ids mostly name the attendant's own call so sequences get past ringing. */
function randomEvent(rnd: () => number, att: AttendantRecord): AttendantEvent {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const callId = att.currentCall !== undefined && rnd() < 0.8 ? att.currentCall : pick(CALLS);
  const kinds = ['login', 'logout', 'present', 'present', 'answer', 'noAnswer', 'markAbsent', 'action',
    'callEnded', 'busyOperation', 'dnd', 'offline', 'online'] as const;
  switch (pick(kinds)) {
    case 'login': return { type: 'login', groups: rnd() < 0.5 ? ['reception'] : ['reception', 'vip'], ...(rnd() < 0.5 ? { user: 'alice' } : {}) };
    case 'logout': return { type: 'logout' };
    case 'present': return { type: 'present', callId: pick(CALLS), leg: `leg-${Math.floor(rnd() * 1000)}` };
    case 'answer': return { type: 'answer', callId, leg: `leg-${Math.floor(rnd() * 1000)}` };
    case 'noAnswer': return { type: 'noAnswer', callId };
    case 'markAbsent': return { type: 'markAbsent', absentAfterMs: ABSENT_AFTER };
    case 'action': return { type: 'action' };
    case 'callEnded': return rnd() < 0.3 ? { type: 'callEnded' } : { type: 'callEnded', callId };
    case 'busyOperation': return rnd() < 0.5 ? { type: 'busyOperation' } : { type: 'busyOperation', callId: 'out', leg: 'leg-out' };
    case 'dnd': return { type: 'dnd', on: rnd() < 0.5 };
    case 'offline': return { type: 'offline' };
    case 'online': return { type: 'online' };
  }
}

describe('attendant state machine, property-style', () => {
  it('given 1,000 seeded random event sequences, then no record is ever inconsistent, the input is never modified, and transitions match state changes', () => {
    const rnd = seeded(20260105);
    const edges = new Set<string>();
    const errors = new Set<string>();
    for (let seq = 0; seq < 1000; seq++) {
      let att = newAttendant({ id: 'op1', device: 'PJSIP/op1' }, T0);
      let now = T0;
      for (let step = 0; step < 40; step++) {
        // mostly short steps, sometimes past the absent timer
        now += rnd() < 0.2 ? Math.floor(rnd() * 120 * SECOND) : Math.floor(rnd() * 5 * SECOND);
        const ev = randomEvent(rnd, att);
        const before = frozen(structuredClone(att));
        const out = applyAttendantEvent(before, ev, now);
        const where = `sequence ${seq} step ${step}: ${ev.type} on ${before.state}`;
        if (out instanceof DomainError) {
          assert.ok(DOMAIN_ERROR_CODES.includes(out.code), where);
          errors.add(out.code);
          continue;
        }
        const next = out.attendant;
        assert.deepEqual(attendantInconsistencies(next), [], `${where} -> ${JSON.stringify(next)}`);
        if (next.state === before.state) {
          assert.equal(out.transition, undefined, where);
          assert.equal(next.since, before.since, where);
        } else {
          assert.deepEqual(out.transition, { from: before.state, to: next.state, at: now, reason: next.reason }, where);
          assert.ok(next.reason.length > 0, where);
          assert.equal(next.since, now, where);
          edges.add(`${before.state}->${next.state}`);
        }
        assert.equal(next.callsTaken, ev.type === 'answer' ? before.callsTaken + 1 : ev.type === 'login' ? 0 : before.callsTaken, where);
        if (next.unansweredMs !== undefined) assert.ok(next.unansweredMs >= 0 && next.unansweredMs <= now - T0 + 1, where);
        att = next;
      }
    }
    // the generator really walked the machine, not only its error paths
    for (const edge of ['unplugged->idle', 'idle->ringing', 'ringing->busy', 'ringing->idle', 'ringing->absent',
      'absent->idle', 'busy->idle', 'idle->busy', 'idle->dnd', 'dnd->idle', 'idle->unplugged', 'ringing->unplugged',
      'busy->unplugged', 'absent->unplugged', 'dnd->unplugged']) {
      assert.ok(edges.has(edge), `never saw ${edge}`);
    }
    for (const code of ['invalid_transition', 'wrong_call', 'not_due', 'already_logged_in']) assert.ok(errors.has(code), `never saw ${code}`);
  });
});
