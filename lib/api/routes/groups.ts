// Attendant groups: state, mode (day / night / mode 1 / mode 2), the supervisor's override, the queue.
import { z } from 'zod';
import { notFound, unprocessable } from '../errors.ts';
import { route, type Resource } from '../route.ts';
import { groupSchema, idParams, mode } from '../schemas.ts';
import type { ApiDeps } from '../deps.ts';

function groupView(deps: ApiDeps, id: string) {
  const g = deps.switchboard.view.group(id);
  if (!g) throw notFound(`group "${id}"`);
  return deps.views.group(g);
}

export const groupsResource: Resource = {
  name: 'groups',
  description: 'Attendant groups, their distribution mode and waiting queue',
  routes: [
    route({
      method: 'get', path: '/api/groups', access: 'operator',
      summary: 'Every group with state, mode, override and queue',
      ok: { status: 200, description: 'the groups', schema: z.object({ groups: z.array(groupSchema) }) },
      handler: ({ deps }) => ({ groups: deps.views.allGroups() }),
    }),
    route({
      method: 'get', path: '/api/groups/{id}', access: 'operator',
      summary: 'One group',
      params: idParams,
      ok: { status: 200, description: 'the group', schema: groupSchema },
      errors: [404],
      handler: ({ params, deps }) => groupView(deps, params.id),
    }),
    route({
      method: 'put', path: '/api/groups/{id}/override', access: 'supervisor',
      summary: 'Force a mode (day / night / mode1 / mode2) until cleared, whatever the schedule says',
      params: idParams,
      body: z.object({ mode }).strict(),
      ok: { status: 200, description: 'the group with its override', schema: groupSchema },
      errors: [404, 422],
      async handler({ principal, params, body, deps }) {
        const view = groupView(deps, params.id);
        if (!view.modes.includes(body.mode)) throw unprocessable('body.mode', `group ${params.id} has no "${body.mode}" destination in its distribution table`);
        await deps.switchboard.setGroupOverride(params.id, body.mode);
        deps.log.info({ group: params.id, mode: body.mode, by: principal.name }, 'group mode forced');
        return groupView(deps, params.id);
      },
    }),
    route({
      method: 'delete', path: '/api/groups/{id}/override', access: 'supervisor',
      summary: 'Clear the override: the schedule decides the mode again',
      params: idParams,
      ok: { status: 200, description: 'the group without override', schema: groupSchema },
      errors: [404],
      async handler({ principal, params, deps }) {
        groupView(deps, params.id);
        await deps.switchboard.setGroupOverride(params.id, undefined);
        deps.log.info({ group: params.id, by: principal.name }, 'group override cleared');
        return groupView(deps, params.id);
      },
    }),
  ],
};
