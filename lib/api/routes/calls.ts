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
        const c = deps.switchboard.ledger.calls.get(params.id);
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
    route({
      method: 'post', path: '/api/calls/{id}/transfer', access: 'operator',
      summary: 'Blind transfer to a number or directory short code (recalls on no answer or busy)',
      params: callParams,
      body: z.object({ target: dialTarget, ...actingAs }).strict(),
      ok: { status: 204, description: 'transferred' },
      errors: [403, 404, 409, 422, 502],
      async handler({ principal, params, body, deps }) {
        await deps.operations.blindTransfer(actingAttendant(deps, principal, body.attendant), params.id, body.target);
      },
    }),
    route({
      method: 'post', path: '/api/calls/{id}/consult', access: 'operator',
      summary: 'Consultation: the caller waits with music while the position calls the target',
      params: callParams,
      body: z.object({ target: dialTarget, ...actingAs }).strict(),
      ok: { status: 204, description: 'consulting' },
      errors: [403, 404, 409, 422, 502],
      async handler({ principal, params, body, deps }) {
        await deps.operations.consult(actingAttendant(deps, principal, body.attendant), params.id, body.target);
      },
    }),
    simpleOperation('complete', 'Complete the consultation transfer: caller and target talk, the position leaves', (ops, a, c) => ops.completeTransfer(a, c)),
    simpleOperation('cancel', 'Cancel the consultation: back to the caller', (ops, a, c) => ops.cancelConsult(a, c)),
    simpleOperation('swap', 'Swap between the caller and the consulted party', (ops, a, c) => ops.swap(a, c)),
    route({
      method: 'post', path: '/api/calls/{id}/conference', access: 'operator',
      summary: 'Three-way call: join the consulted party, or call `target` and join it',
      params: callParams,
      body: z.object({ target: dialTarget.optional(), ...actingAs }).strict(),
      ok: { status: 204, description: 'in conference' },
      errors: [403, 404, 409, 422, 502],
      async handler({ principal, params, body, deps }) {
        await deps.operations.conference(actingAttendant(deps, principal, body.attendant), params.id, body.target);
      },
    }),
    route({
      method: 'post', path: '/api/calls/{id}/split', access: 'operator',
      summary: 'Take one party of the three-way call aside (the other waits on hold)',
      params: callParams,
      body: z.object({ party: callId, ...actingAs }).strict(),
      ok: { status: 204, description: 'split' },
      errors: [403, 404, 409, 422, 502],
      async handler({ principal, params, body, deps }) {
        await deps.operations.split(actingAttendant(deps, principal, body.attendant), params.id, body.party);
      },
    }),
    simpleOperation('leave', 'Leave the three-way call: the two parties go on talking', (ops, a, c) => ops.leaveConference(a, c)),
    route({
      method: 'post', path: '/api/calls/{id}/hold', access: 'operator',
      summary: 'Put the call on individual hold; answers the hold slot',
      params: callParams,
      body: emptyActing,
      ok: { status: 200, description: 'held', schema: slotAnswer },
      errors: [403, 404, 409, 502],
      async handler({ principal, params, body, deps }) {
        return deps.operations.hold(actingAttendant(deps, principal, body.attendant), params.id);
      },
    }),
    route({
      method: 'post', path: '/api/hold/{slot}/retrieve', access: 'operator',
      summary: 'Retrieve the call held in a slot of the position',
      params: slotParams,
      body: emptyActing,
      ok: { status: 200, description: 'retrieved', schema: callIdAnswer },
      errors: [403, 404, 409, 502],
      async handler({ principal, params, body, deps }) {
        return { callId: await deps.operations.retrieve(actingAttendant(deps, principal, body.attendant), params.slot) };
      },
    }),
    route({
      method: 'post', path: '/api/calls/{id}/park', access: 'operator',
      summary: 'Park the call in a shared slot any position can pick it up from',
      params: callParams,
      body: emptyActing,
      ok: { status: 200, description: 'parked', schema: slotAnswer },
      errors: [403, 404, 409, 502],
      async handler({ principal, params, body, deps }) {
        return deps.operations.park(actingAttendant(deps, principal, body.attendant), params.id);
      },
    }),
    route({
      method: 'post', path: '/api/park/{slot}/pickup', access: 'operator',
      summary: 'Pick up the call parked in a slot',
      params: slotParams,
      body: emptyActing,
      ok: { status: 200, description: 'picked up', schema: callIdAnswer },
      errors: [403, 404, 409, 502],
      async handler({ principal, params, body, deps }) {
        return { callId: await deps.operations.pickupParked(actingAttendant(deps, principal, body.attendant), params.slot) };
      },
    }),
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
