import assert from 'node:assert/strict';
import {
  answer, backToSlot, bridged, callerLeftConsult, callInconsistencies, consultAnswered, consultEnded, end, handedOver, hold,
  isValidCall, join, newCall, normalizeCall, overflow, park, present, presentationEnded, requeue, split, startConsult,
  startThreeWay, startTransfer, swap, transferOnRinging, withAttention, withdraw,
  type Call, type TalkingCall,
} from '../../../lib/domain/call.ts';
import { DomainError } from '../../../lib/domain/errors.ts';
import { CALL_STATES } from '../../../lib/domain/model.ts';
import { SECOND, T0, frozen } from './fixtures.ts';

function waiting() {
  return frozen(newCall({ id: 'c1', callClass: 'external', priority: 5, group: 'reception', callerNumber: '0612', callerName: 'Zoë', target: '100', arrivedAt: T0, waitBridge: 'attendant-wait-reception' }));
}

function talking(): TalkingCall {
  const r = present(waiting(), { legs: ['c1-p1'], attendant: 'att1' }, T0 + SECOND);
  return frozen(bridged(answer(r, 'att1', 'c1-p1', T0 + 2 * SECOND), 'call-c1-b1'));
}

function throwsInvalid(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DomainError, String(err));
    assert.equal(err.code, 'invalid_transition');
    return err;
  }
  assert.fail('expected an invalid_transition');
}

function valid<C extends Call>(c: C): C {
  assert.deepEqual(callInconsistencies(c), [], JSON.stringify(c));
  return c;
}

describe('call state (lib/domain/call.ts)', () => {
  describe('from the queue to a conversation', () => {
    it('given a waiting call, when it is presented to one set, then it rings with that attendant, presentedAt and the leg', () => {
      const r = valid(present(waiting(), { legs: ['c1-p1'], attendant: 'att1' }, T0 + SECOND));
      assert.equal(r.state, 'ringing');
      assert.deepEqual(r.ringingLegs, ['c1-p1']);
      assert.equal(r.attendant, 'att1');
      assert.equal(r.presentedAt, T0 + SECOND);
      assert.equal(r.waitBridge, 'attendant-wait-reception');
    });

    it('given a ringing call, when it is answered, then it talks with the attendant on its leg, the first answer kept, refusals and legs cleared', () => {
      const r = present(waiting(), { legs: ['c1-p1', 'c1-p2'] }, T0 + SECOND);
      const t = valid(answer({ ...r, refusedBy: ['att9'] }, 'att2', 'c1-p2', T0 + 3 * SECOND));
      assert.equal(t.state, 'talking');
      assert.equal(t.attendant, 'att2');
      assert.equal(t.leg, 'c1-p2');
      assert.equal(t.answeredAt, T0 + 3 * SECOND);
      assert.equal(t.firstAnsweredAt, T0 + 3 * SECOND);
      assert.deepEqual(t.ringingLegs, []);
      assert.deepEqual(t.refusedBy, []);
      const b = valid(bridged(t, 'call-c1-b1'));
      assert.equal(b.state === 'talking' && b.talkBridge, 'call-c1-b1');
      assert.equal('waitBridge' in b, false);
    });

    it('given ring-all, when one leg ends unanswered, then the call still rings on the other; when the last ends, it waits with the attendants skipped', () => {
      const r = present(waiting(), { legs: ['c1-p1', 'c1-p2'] }, T0 + SECOND);
      const one = presentationEnded(r, 'c1-p1', 'att1');
      assert.equal(one.state, 'ringing');
      assert.deepEqual(one.ringingLegs, ['c1-p2']);
      assert.equal(one.state === 'ringing' && one.presentedAt, T0 + SECOND);
      const none = valid(presentationEnded(one as typeof r, 'c1-p2', 'att2'));
      assert.equal(none.state, 'waiting');
      assert.deepEqual(none.refusedBy, ['att1', 'att2']);
      assert.equal('attendant' in none, false);
      assert.equal(none.presentedAt, T0 + SECOND, 'the first presentation stays');
    });

    it('given a waiting call, when it overflows without mutual help, then it waits in the other group; with mutual help a ringing call keeps ringing', () => {
      const moved = valid(overflow(waiting(), 'night', false));
      assert.equal(moved.group, 'night');
      assert.equal(moved.overflowedFrom, 'reception');
      const r = present(waiting(), { legs: ['c1-p1'], attendant: 'att1' }, T0);
      const helped = valid(overflow(r, 'sales', true));
      assert.equal(helped.state, 'ringing');
      assert.deepEqual(helped.alsoGroups, ['sales']);
      const away = valid(overflow(r, 'sales', false));
      assert.equal(away.state, 'waiting');
      assert.deepEqual(away.ringingLegs, []);
    });
  });

  describe('hold, park and back', () => {
    it('given a talking call, when it is held, then it keeps the attendant and its slot, and names no leg or call bridge', () => {
      const h = valid(hold(talking(), { slot: 2, holdBridge: 'hold-c1-b2' }, T0 + 10 * SECOND));
      assert.deepEqual({ state: h.state, attendant: h.attendant, slot: h.slot, heldAt: h.heldAt, holdBridge: h.holdBridge }, {
        state: 'held', attendant: 'att1', slot: 2, heldAt: T0 + 10 * SECOND, holdBridge: 'hold-c1-b2',
      });
      assert.equal('leg' in h, false);
      assert.equal('talkBridge' in h, false);
    });

    it('given a held call rung back, when it is not answered, then it is back in the holder\'s slot; answered, it leaves the slot', () => {
      const h = hold(talking(), { slot: 2, holdBridge: 'hold-c1-b2' }, T0 + 10 * SECOND);
      const r = valid(present(h, { legs: ['c1-p2'], attendant: 'att1' }, T0 + 20 * SECOND));
      assert.equal(r.state === 'ringing' && r.slot, 2);
      assert.equal(r.presentedAt, T0 + SECOND, 'the first presentation stays');
      const back = valid(backToSlot(r, 'att1'));
      assert.equal(back.state, 'held');
      assert.deepEqual(back.ringingLegs, []);
      const t = valid(answer(r, 'att1', 'c1-p2', T0 + 21 * SECOND));
      assert.equal(t.state === 'talking' && t.holdBridge, 'hold-c1-b2', 'the caller is still in its holding bridge until bridged');
      assert.equal('slot' in t || 'heldAt' in t, false);
      assert.equal(t.firstAnsweredAt, T0 + 2 * SECOND);
      const b = bridged(t, 'call-c1-b3');
      assert.equal('holdBridge' in b, false);
    });

    it('given a parked call picked up by another position and not answered, then it is parked again under who parked it', () => {
      const p = valid(park(talking(), { parkSlot: 7, holdBridge: 'hold-c1-b2' }, T0 + 10 * SECOND));
      assert.equal(p.state === 'parked' && p.attendant, 'att1');
      const r = present(p, { legs: ['c1-p2'], attendant: 'att2' }, T0 + 20 * SECOND);
      const back = valid(backToSlot(r, 'att1'));
      assert.deepEqual([back.state, back.attendant, back.state === 'parked' && back.parkSlot], ['parked', 'att1', 7]);
    });

    it('given presentations of a previous run withdrawn, then a call rung back from its slot is back there and any other waits, nobody counted as refusing', () => {
      const h = hold(talking(), { slot: 4, holdBridge: 'hold-c1-b2' }, T0 + 10 * SECOND);
      const back = valid(withdraw(present(h, { legs: ['c1-p2'], attendant: 'att1' }, T0 + 20 * SECOND)));
      assert.deepEqual([back.state, back.state === 'held' && back.slot, back.state === 'held' && back.attendant], ['held', 4, 'att1']);
      const p = park(talking(), { parkSlot: 2, holdBridge: 'hold-c1-b2' }, T0 + 10 * SECOND);
      assert.equal(valid(withdraw(present(p, { legs: ['c1-p2'], attendant: 'att2' }, T0))).state, 'parked');
      const w = valid(withdraw(present(waiting(), { legs: ['c1-p1'], attendant: 'att1' }, T0)));
      assert.deepEqual([w.state, w.refusedBy, 'attendant' in w], ['waiting', [], false]);
    });

    it('given a parked call whose park time ran out, when it is requeued, then it waits as a recall in its holding bridge, with no slot or attendant', () => {
      const p = park(talking(), { parkSlot: 7, holdBridge: 'hold-c1-b2' }, T0 + 10 * SECOND);
      const w = valid(requeue(p, { id: 'recall', priority: 8 }));
      assert.deepEqual([w.state, w.callClass, w.priority, w.state === 'waiting' && w.holdBridge], ['waiting', 'recall', 8, 'hold-c1-b2']);
      for (const k of ['parkSlot', 'heldAt', 'attendant']) assert.equal(k in w, false, k);
    });
  });

  describe('transfers', () => {
    it('given a talking call, when it is transferred, then it names the target and the leg, not the attendant\'s leg', () => {
      const x = valid(startTransfer(talking(), { transferTarget: '201', transferLeg: 'c1-t1', holdBridge: 'hold-c1-b2' }));
      assert.deepEqual([x.state, x.transferTarget, x.transferLeg, x.attendant], ['transferring', '201', 'c1-t1', 'att1']);
      assert.equal('leg' in x || 'talkBridge' in x, false);
      const done = valid(handedOver(x));
      assert.equal('transferLeg' in done, false);
      assert.equal(done.transferTarget, '201');
    });

    it('given a refused transfer, when it comes back to the attendant, then the ringing record has no transfer fields', () => {
      const x = startTransfer(talking(), { transferTarget: '201', transferLeg: 'c1-t1', holdBridge: 'hold-c1-b2' });
      const r = valid(present(x, { legs: ['c1-p2'], attendant: 'att1' }, T0 + 30 * SECOND));
      for (const k of ['transferTarget', 'transferLeg']) assert.equal(k in r, false, k);
      const w = valid(requeue(x, { id: 'recall', priority: 8 }));
      for (const k of ['transferTarget', 'transferLeg', 'attendant']) assert.equal(k in w, false, k);
    });
  });

  describe('consultation and three-way', () => {
    const consult = () => startConsult(talking(), { consultTarget: '202', consultLeg: 'c1-c1', holdBridge: 'hold-c1-b2' });

    it('given a talking call, when the attendant consults, then the caller waits and the third party rings; answered, they can swap, join and split', () => {
      const c = valid(consult());
      assert.deepEqual([c.state, c.talkingTo, c.consultAnswered, c.leg, c.talkBridge], ['consulting', 'target', false, 'c1-p1', 'call-c1-b1']);
      throwsInvalid(() => swap(c));
      const a = valid(consultAnswered(c));
      assert.equal(a.state, 'consulting');
      const s = valid(swap(a as typeof c));
      assert.equal(s.talkingTo, 'caller');
      const conf = valid(join(s));
      assert.equal(conf.state, 'conference');
      for (const k of ['talkingTo', 'holdBridge', 'joinOnAnswer']) assert.equal(k in conf, false, k);
      const again = valid(split(conf, { talkingTo: 'target', holdBridge: 'hold-c1-b3' }));
      assert.deepEqual([again.state, again.talkingTo, again.holdBridge], ['consulting', 'target', 'hold-c1-b3']);
    });

    it('given a consultation, when the third party is gone, then the attendant talks with the caller and no consultation field is left', () => {
      const t = valid(consultEnded(consult()));
      assert.equal(t.state, 'talking');
      for (const k of ['consultTarget', 'consultLeg', 'consultAnswered', 'talkingTo', 'joinOnAnswer', 'callerGone', 'holdBridge']) assert.equal(k in t, false, k);
      assert.equal(t.leg, 'c1-p1');
      const kept = consultEnded(consult(), { keepHoldBridge: 'hold-c1-b2' });
      assert.equal(kept.holdBridge, 'hold-c1-b2');
    });

    it('given a three-way being set up, when the third party answers, then it is a conference', () => {
      const c = valid(startThreeWay(talking(), { consultTarget: '202', consultLeg: 'c1-c1' }));
      assert.deepEqual([c.talkingTo, c.joinOnAnswer, 'holdBridge' in c], ['caller', true, false]);
      const conf = valid(consultAnswered(c));
      assert.equal(conf.state, 'conference');
      assert.equal(conf.consultAnswered, true);
    });

    it('given an answered consultation, when the caller leaves, then the attendant goes on with the third party', () => {
      const g = valid(callerLeftConsult(consultAnswered(consult())));
      assert.deepEqual([g.state, g.talkingTo, g.callerGone, 'holdBridge' in g], ['consulting', 'target', true, false]);
      throwsInvalid(() => consultEnded(g));
      throwsInvalid(() => callerLeftConsult(consult()));
    });

    it('given a consultation still ringing, when the attendant completes, then it is a transfer on ringing with the consultation leg', () => {
      const x = valid(transferOnRinging(consult()));
      assert.deepEqual([x.state, x.transferTarget, x.transferLeg, x.holdBridge], ['transferring', '202', 'c1-c1', 'hold-c1-b2']);
      for (const k of ['consultLeg', 'leg', 'talkBridge', 'talkingTo']) assert.equal(k in x, false, k);
      throwsInvalid(() => transferOnRinging(consultAnswered(consult()) as ReturnType<typeof consult>));
    });

    it('given an answered consultation, when it is handed over, then the record names neither leg nor bridges and ends as a transfer', () => {
      const done = valid(handedOver(consultAnswered(consult())));
      assert.deepEqual([done.state, done.transferTarget], ['transferring', '202']);
      for (const k of ['leg', 'talkBridge', 'holdBridge', 'consultLeg', 'transferLeg']) assert.equal(k in done, false, k);
      const e = valid(end(done, 'completed-transfer', T0 + 60 * SECOND));
      assert.deepEqual([e.state, e.endReason, e.endedAt, e.attendant], ['ended', 'completed-transfer', T0 + 60 * SECOND, 'att1']);
    });
  });

  describe('impossible transitions', () => {
    it('given a call in the wrong state, when a transition is applied, then it throws invalid_transition and leaves the record as it was', () => {
      const w = waiting();
      const err = throwsInvalid(() => hold(w as unknown as TalkingCall, { slot: 1, holdBridge: 'h' }, T0));
      assert.deepEqual(err.details, { call: 'c1', state: 'waiting', event: 'hold' });
      throwsInvalid(() => answer(w as never, 'att1', 'l', T0));
      throwsInvalid(() => present(talking(), { legs: ['x'] }, T0));
      throwsInvalid(() => present(w, { legs: [] }, T0));
      throwsInvalid(() => end(end(w, 'abandoned', T0), 'abandoned', T0));
      throwsInvalid(() => startConsult(answer(present(w, { legs: ['l'] }, T0), 'att1', 'l', T0), { consultTarget: '2', consultLeg: 'c', holdBridge: 'h' }));
      assert.equal(w.state, 'waiting');
    });

    it('given any call, when attention is set and cleared, then only that field changes', () => {
      const t = talking();
      const flagged = withAttention(t, 'bridge lost');
      assert.equal(flagged.attention, 'bridge lost');
      assert.deepEqual(withAttention(flagged, undefined), t);
    });
  });

  describe('records of the previous version (normalizeCall)', () => {
    it('given a bag-shaped talking record with fields of states it left, when normalised, then those fields are dropped and it is valid', () => {
      const old = {
        ...talking(), transferTarget: '201', slot: 3, heldAt: T0, consultLeg: 'c1-c9', endReason: 'x', ringingLegs: ['c1-p1'], waitBridge: 'attendant-wait-reception',
      };
      const { call, dropped, problems } = normalizeCall(old);
      assert.deepEqual(problems, []);
      assert.deepEqual(dropped.sort(), ['consultLeg', 'endReason', 'heldAt', 'ringingLegs', 'slot', 'transferTarget']);
      assert.ok(isValidCall(call), JSON.stringify(call));
      assert.equal(call.state, 'talking');
      assert.deepEqual(call.ringingLegs, []);
    });

    it('given a record without firstAnsweredAt (older still), when normalised, then the latest answer stands for it', () => {
      const t = { ...talking() } as Record<string, unknown>;
      delete t.firstAnsweredAt;
      const { call } = normalizeCall(t);
      assert.equal(call.state === 'talking' && call.firstAnsweredAt, call.answeredAt);
    });

    it('given a record that cannot be valid in its state, when normalised, then it is kept as a waiting call needing attention, saying why', () => {
      const { id, callClass, priority, group, alsoGroups, callerNumber, callerName, target, arrivedAt } = waiting();
      const broken = { id, callClass, priority, group, alsoGroups, callerNumber, callerName, target, arrivedAt, state: 'held', attendant: 'att1', ringingLegs: [], refusedBy: [], holdBridge: 'hold-c1-b1' };
      const out = normalizeCall(broken);
      assert.deepEqual(out.problems, ['held without slot', 'held without heldAt']);
      assert.equal(out.call.state, 'waiting');
      assert.match(out.call.attention ?? '', /stored as held but held without slot/);
      assert.equal(out.call.state === 'waiting' && out.call.holdBridge, 'hold-c1-b1', 'where the caller is stays known');
      assert.ok(isValidCall(out.call), JSON.stringify(out.call));
      const unknown = normalizeCall({ ...broken, state: 'lingering' });
      assert.equal(unknown.call.state, 'waiting');
      assert.match(unknown.call.attention ?? '', /unknown state lingering/);
    });

    it('given every state, when a valid record is normalised, then it comes back equal', () => {
      const t = talking();
      const c = startConsult(t, { consultTarget: '202', consultLeg: 'c1-c1', holdBridge: 'hold-c1-b2' });
      const samples: Call[] = [
        waiting(), present(waiting(), { legs: ['l'] }, T0), t, hold(t, { slot: 1, holdBridge: 'h' }, T0), park(t, { parkSlot: 1, holdBridge: 'h' }, T0),
        startTransfer(t, { transferTarget: '2', transferLeg: 'x', holdBridge: 'h' }), c, join(consultAnswered(c) as typeof c), end(t, 'completed', T0),
      ];
      assert.deepEqual(new Set(samples.map((s) => s.state)), new Set(CALL_STATES));
      for (const s of samples) assert.deepEqual(normalizeCall(s), { call: s, dropped: [], problems: [] }, s.state);
    });
  });
});
