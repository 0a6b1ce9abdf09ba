// Calls: the waiting, active, held and parked calls, and every operation an attendant can do on
// them (answer, transfer, consult, three-way, hold, park, monitor). The operations themselves are
// the switchboard's (lib/calls/operations-port.ts); these routes check who may act and parse input.
import { z } from 'zod';
import type { Operations } from '../../calls/operations-port.ts';
import { CALL_STATES } from '../../domain/model.ts';
import { actingAttendant } from '../acting.ts';
import { notFound } from '../errors.ts';
import { route, type ApiRoute, type Resource } from '../route.ts';
import { actingAs, callId, callParams, callSchema, dialTarget, emptyActing, id, slotParams } from '../schemas.ts';

const callIdAnswer = z.object({ callId: z.string() });
const slotAnswer = z.object({ slot: z.number() });

/** a POST /api/calls/{id}/<op> that acts at the caller's position and answers 204 */
function simpleOperation(op: string, summary: string, run: (ops: Operations, attendant: string, call: string) => Promise<void>): ApiRoute {
  return route({
    method: 'post', path: `/api/calls/{id}/${op}`, access: 'operator', summary,
    params: callParams,
    body: emptyActing,
    ok: { status: 204, description: 'done' },
    errors: [403, 404, 409, 422, 502],
    async handler({ principal, params, body, deps }) {
      await run(deps.operations, actingAttendant(deps, principal, body.attendant), params.id);
    },
  });
}

/** a POST /api/calls/{id}/<op> that puts the call in a slot (hold, park) and answers the slot */
function toSlot(op: string, summary: string, done: string, run: (ops: Operations, attendant: string, call: string) => Promise<{ slot: number }>): ApiRoute {
  return route({
    method: 'post', path: `/api/calls/{id}/${op}`, access: 'operator', summary,
    params: callParams,
    body: emptyActing,
    ok: { status: 200, description: done, schema: slotAnswer },
    errors: [403, 404, 409, 502],
    handler({ principal, params, body, deps }) {
      return run(deps.operations, actingAttendant(deps, principal, body.attendant), params.id);
    },
  });
}

/** a POST /api/<where>/{slot}/<op> that takes the call out of a slot (retrieve, pick up) and answers its id */
function fromSlot(where: 'hold' | 'park', op: string, summary: string, done: string, run: (ops: Operations, attendant: string, slot: number) => Promise<string>): ApiRoute {
  return route({
    method: 'post', path: `/api/${where}/{slot}/${op}`, access: 'operator', summary,
    params: slotParams,
    body: emptyActing,
    ok: { status: 200, description: done, schema: callIdAnswer },
    errors: [403, 404, 409, 502],
    async handler({ principal, params, body, deps }) {
      return { callId: await run(deps.operations, actingAttendant(deps, principal, body.attendant), params.slot) };
    },
  });
}

/** a POST /api/calls/{id}/<op> naming one more party (a number to dial, a party of the call); answers 204 */
function withParty(op: string, summary: string, done: string, field: 'target' | 'party', schema: z.ZodType<string | undefined>, run: (ops: Operations, attendant: string, call: string, party: string | undefined) => Promise<void>): ApiRoute {
  return route({
    method: 'post', path: `/api/calls/{id}/${op}`, access: 'operator', summary,
    params: callParams,
    body: z.object({ [field]: schema, ...actingAs }).strict(),
    ok: { status: 204, description: done },
    errors: [403, 404, 409, 422, 502],
    async handler({ principal, params, body, deps }) {
      await run(deps.operations, actingAttendant(deps, principal, body.attendant), params.id, (body as Record<string, string | undefined>)[field]);
    },
  });
}

export const callsResource: Resource = {
  name: 'calls',
  description: 'Calls and the attendant operations on them',
  routes: [
    route({
      method: 'get', path: '/api/calls', access: 'operator',
      summary: 'Calls in the switchboard (waiting, ringing, talking, held, parked, transferring), oldest first',
      query: z.object({
        state: z.enum(CALL_STATES).optional(),
        group: id.optional(),
      }).strict(),
      ok: { status: 200, description: 'the calls', schema: z.object({ calls: z.array(callSchema) }) },
      handler({ query, deps }) {
        const calls = deps.views.allCalls().filter((c) => (query.state === undefined || c.state === query.state)
          && (query.group === undefined || c.group === query.group || c.alsoGroups.includes(query.group)));
        return { calls };
      },
    }),
    route({
      method: 'get', path: '/api/calls/{id}', access: 'operator',
      summary: 'One call',
      params: callParams,
      ok: { status: 200, description: 'the call', schema: callSchema },
      errors: [404],
      handler({ params, deps }) {
        const c = deps.switchboard.view.call(params.id);
        if (!c) throw notFound(`call "${params.id}"`);
        return deps.views.call(c);
      },
    }),
    route({
      method: 'post', path: '/api/calls/answer-next', access: 'operator',
      summary: 'Pick up the next waiting call of the position\'s groups (rings only this position\'s set)',
      body: emptyActing,
      ok: { status: 200, description: 'the call picked up', schema: callIdAnswer },
      errors: [403, 404, 409, 502],
      async handler({ principal, body, deps }) {
        return { callId: await deps.operations.answerWaiting(actingAttendant(deps, principal, body.attendant)) };
      },
    }),
    route({
      method: 'post', path: '/api/calls/{id}/answer', access: 'operator',
      summary: 'Pick up this waiting call (rings only this position\'s set)',
      params: callParams,
      body: emptyActing,
      ok: { status: 200, description: 'the call picked up', schema: callIdAnswer },
      errors: [403, 404, 409, 502],
      async handler({ principal, params, body, deps }) {
        return { callId: await deps.operations.answerWaiting(actingAttendant(deps, principal, body.attendant), params.id) };
      },
    }),
    simpleOperation('hangup', 'Release the call the position is handling', (ops, a, c) => ops.hangup(a, c)),
    withParty('transfer', 'Blind transfer to a number or directory short code (recalls on no answer or busy)', 'transferred', 'target', dialTarget, (ops, a, c, target) => ops.blindTransfer(a, c, target!)),
    withParty('consult', 'Consultation: the caller waits with music while the position calls the target', 'consulting', 'target', dialTarget, (ops, a, c, target) => ops.consult(a, c, target!)),
    simpleOperation('complete', 'Complete the consultation transfer: caller and target talk, the position leaves', (ops, a, c) => ops.completeTransfer(a, c)),
    simpleOperation('cancel', 'Cancel the consultation: back to the caller', (ops, a, c) => ops.cancelConsult(a, c)),
    simpleOperation('swap', 'Swap between the caller and the consulted party', (ops, a, c) => ops.swap(a, c)),
    withParty('conference', 'Three-way call: join the consulted party, or call `target` and join it', 'in conference', 'target', dialTarget.optional(), (ops, a, c, target) => ops.conference(a, c, target)),
    withParty('split', 'Take one party of the three-way call aside (the other waits on hold)', 'split', 'party', callId, (ops, a, c, party) => ops.split(a, c, party!)),
    simpleOperation('leave', 'Leave the three-way call: the two parties go on talking', (ops, a, c) => ops.leaveConference(a, c)),
    toSlot('hold', 'Put the call on individual hold; answers the hold slot', 'held', (ops, a, c) => ops.hold(a, c)),
    fromSlot('hold', 'retrieve', 'Retrieve the call held in a slot of the position', 'retrieved', (ops, a, slot) => ops.retrieve(a, slot)),
    toSlot('park', 'Park the call in a shared slot any position can pick it up from', 'parked', (ops, a, c) => ops.park(a, c)),
    fromSlot('park', 'pickup', 'Pick up the call parked in a slot', 'picked up', (ops, a, slot) => ops.pickupParked(a, slot)),
    route({
      method: 'post', path: '/api/calls/{id}/monitor', access: 'supervisor',
      summary: 'Monitor (监听) a call from the supervisor\'s set: listen, whisper to the attendant, or barge in',
      params: callParams,
      body: z.object({ mode: z.enum(['listen', 'whisper', 'barge']).default('listen'), ...actingAs }).strict(),
      ok: { status: 200, description: 'monitoring', schema: z.object({ sessionId: z.string() }) },
      errors: [404, 409, 422, 502],
      async handler({ principal, params, body, deps }) {
        return deps.operations.monitor(actingAttendant(deps, principal, body.attendant), params.id, body.mode);
      },
    }),
    route({
      method: 'post', path: '/api/monitor/{sessionId}/stop', access: 'supervisor',
      summary: 'Stop monitoring',
      params: z.object({ sessionId: callId }).strict(),
      body: emptyActing,
      ok: { status: 204, description: 'stopped' },
      errors: [404, 409, 502],
      async handler({ principal, params, body, deps }) {
        await deps.operations.stopMonitor(actingAttendant(deps, principal, body.attendant), params.sessionId);
      },
    }),
  ],
};
