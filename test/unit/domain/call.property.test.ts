import assert from 'node:assert/strict';
import * as calls from '../../../lib/domain/call.ts';
import type { Call } from '../../../lib/domain/call.ts';
import { DomainError } from '../../../lib/domain/errors.ts';
import { SECOND, T0, frozen, seeded } from './fixtures.ts';

/**
 * Every transition, tried on any call: it either throws invalid_transition (the call as it was) or
 * gives a record valid for its state. Random walks from a new call reach every state.
 */
function step(rnd: () => number, c: Call, now: number): Call {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const n = Math.floor(rnd() * 1000);
  const att = pick(['att1', 'att2']);
  const any = c as never;
  switch (pick(['present', 'presentationEnded', 'withdraw', 'backToSlot', 'answer', 'bridged', 'hold', 'park', 'startTransfer',
    'transferOnRinging', 'handedOver', 'requeue', 'overflow', 'startConsult', 'startThreeWay', 'consultAnswered', 'swap', 'join',
    'split', 'consultEnded', 'callerLeftConsult', 'end', 'withAttention'] as const)) {
    case 'present': return calls.present(c, { legs: rnd() < 0.7 ? [`${c.id}-p${n}`] : [`${c.id}-p${n}`, `${c.id}-q${n}`], ...(rnd() < 0.7 ? { attendant: att } : {}), clearRefusals: rnd() < 0.2 }, now);
    case 'presentationEnded': return calls.presentationEnded(any, c.ringingLegs[0] ?? 'none', att);
    case 'withdraw': return calls.withdraw(any);
    case 'backToSlot': return calls.backToSlot(any, rnd() < 0.8 ? att : undefined);
    case 'answer': return calls.answer(any, att, `${c.id}-p${n}`, now);
    case 'bridged': return calls.bridged(any, `call-${c.id}-b${n}`);
    case 'hold': return calls.hold(any, { slot: 1 + (n % 9), holdBridge: `hold-${c.id}-b${n}` }, now);
    case 'park': return calls.park(any, { parkSlot: 1 + (n % 20), holdBridge: `hold-${c.id}-b${n}` }, now);
    case 'startTransfer': return calls.startTransfer(any, { transferTarget: '201', transferLeg: `${c.id}-t${n}`, holdBridge: `hold-${c.id}-b${n}` });
    case 'transferOnRinging': return calls.transferOnRinging(any);
    case 'handedOver': return calls.handedOver(any);
    case 'requeue': return calls.requeue(any, { id: 'recall', priority: 8 });
    case 'overflow': return calls.overflow(any, pick(['night', 'backup']), rnd() < 0.5);
    case 'startConsult': return calls.startConsult(any, { consultTarget: '202', consultLeg: `${c.id}-c${n}`, holdBridge: `hold-${c.id}-b${n}` });
    case 'startThreeWay': return calls.startThreeWay(any, { consultTarget: '203', consultLeg: `${c.id}-c${n}` });
    case 'consultAnswered': return calls.consultAnswered(any);
    case 'swap': return calls.swap(any);
    case 'join': return calls.join(any);
    case 'split': return calls.split(any, { talkingTo: pick(['caller', 'target'] as const), holdBridge: `hold-${c.id}-b${n}` });
    case 'consultEnded': return calls.consultEnded(any);
    case 'callerLeftConsult': return calls.callerLeftConsult(any);
    case 'end': return calls.end(c, pick(['completed', 'abandoned']), now);
    case 'withAttention': return calls.withAttention(c, rnd() < 0.5 ? 'check it' : undefined);
  }
}

describe('call state: random walks (lib/domain/call.ts)', () => {
  it('given 300 walks of 60 transitions, then each either is refused with invalid_transition or gives a call valid for its state, and every state is reached', () => {
    const rnd = seeded(18);
    const reached = new Set<string>();
    let refused = 0;
    for (let w = 0; w < 300; w++) {
      let c: Call = frozen(calls.newCall({ id: `c${w}`, callClass: 'external', priority: 5, group: 'reception', callerNumber: '0612', callerName: '', target: '100', arrivedAt: T0, ...(w % 2 ? { waitBridge: 'attendant-wait-reception' } : {}) }));
      for (let i = 0; i < 60 && c.state !== 'ended'; i++) {
        const now = T0 + (i + 1) * SECOND;
        let next: Call;
        try {
          next = step(rnd, c, now);
        } catch (err) {
          assert.ok(err instanceof DomainError && err.code === 'invalid_transition', `walk ${w} step ${i}: ${String(err)}`);
          refused++;
          continue;
        }
        assert.deepEqual(calls.callInconsistencies(next), [], `walk ${w} step ${i}: ${c.state} → ${JSON.stringify(next)}`);
        assert.deepEqual(calls.normalizeCall(next), { call: next, dropped: [], problems: [] }, `walk ${w} step ${i}: a valid call normalises to itself`);
        reached.add(next.state);
        c = frozen(next);
      }
    }
    assert.deepEqual([...reached].sort(), ['conference', 'consulting', 'ended', 'held', 'parked', 'ringing', 'talking', 'transferring', 'waiting']);
    assert.ok(refused > 0, 'impossible transitions were tried');
  });
});
