// Attendant positions: list, one, and the position keys (log in / out, back from absent, DND).
import { z } from 'zod';
import type { AttendantEvent } from '../../domain/attendant.ts';
import { ownPosition } from '../acting.ts';
import { notFound } from '../errors.ts';
import { route, type Resource } from '../route.ts';
import { attendantSchema, idParams } from '../schemas.ts';

const stateChange = z.discriminatedUnion('action', [
  z.object({ action: z.literal('login') }).strict(),
  z.object({ action: z.literal('logout') }).strict(),
  // any key brings an absent attendant back
  z.object({ action: z.literal('back') }).strict(),
  z.object({ action: z.literal('dnd'), on: z.boolean() }).strict(),
], { error: 'action must be one of login, logout, back, dnd' });

export const attendantsResource: Resource = {
  name: 'attendants',
  description: 'Attendant positions (a console and a SIP set) and their states',
  routes: [
    route({
      method: 'get', path: '/api/attendants', access: 'operator',
      summary: 'Every attendant position with its state',
      ok: { status: 200, description: 'the positions', schema: z.object({ attendants: z.array(attendantSchema) }) },
      handler: ({ deps }) => ({ attendants: deps.views.allAttendants() }),
    }),
    route({
      method: 'get', path: '/api/attendants/{id}', access: 'operator',
      summary: 'One attendant position',
      params: idParams,
      ok: { status: 200, description: 'the position', schema: attendantSchema },
      errors: [404],
      handler({ params, deps }) {
        const a = deps.switchboard.view.attendant(params.id);
        if (!a) throw notFound(`attendant "${params.id}"`);
        return deps.views.attendant(a);
      },
    }),
    route({
      method: 'put', path: '/api/attendants/{id}/state', access: 'operator',
      summary: 'Position keys: log in, log out, back (from absent), do not disturb on/off',
      description: 'Operators act only at their own position; supervisors at any.',
      params: idParams,
      body: stateChange,
      ok: { status: 200, description: 'the position after the change', schema: attendantSchema },
      errors: [403, 404, 409],
      async handler({ principal, params, body, deps }) {
        const id = ownPosition(deps, principal, params.id);
        const sb = deps.switchboard;
        let ev: AttendantEvent;
        switch (body.action) {
          case 'login': return deps.views.attendant(await sb.login(id, principal.name));
          case 'logout': ev = { type: 'logout' }; break;
          case 'back': ev = { type: 'action' }; break;
          case 'dnd': ev = { type: 'dnd', on: body.on }; break;
        }
        return deps.views.attendant(await sb.attendantAction(id, ev));
      },
    }),
  ],
};
