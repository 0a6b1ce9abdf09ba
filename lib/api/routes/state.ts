// The whole live state at once (what the WebSocket sends as its snapshot) and the BLF grid.
import { z } from 'zod';
import { deviceStateFor } from '../../domain/attendant.ts';
import { route, type Resource } from '../route.ts';
import { attendantSchema, callSchema, groupSchema } from '../schemas.ts';

const lamp = z.object({ id: z.string(), name: z.string(), state: z.string(), since: z.number() }).loose();
const supervisionSchema = z.object({
  connected: z.boolean(), source: z.enum(['ami', 'none']), resyncedAt: z.number().optional(),
  extensions: z.array(lamp), trunks: z.array(lamp),
  attendants: z.array(z.object({ id: z.string(), name: z.string(), device: z.string(), state: z.string(), deviceState: z.string() })),
});

export const stateResource: Resource = {
  name: 'state',
  description: 'The live state in one answer, and the supervised extensions and trunks',
  routes: [
    route({
      method: 'get', path: '/api/state', access: 'operator',
      summary: 'Snapshot of attendants, groups, calls, supervision and classes, with the event sequence number it is current at',
      ok: {
        status: 200, description: 'the snapshot (the same as the WebSocket\'s)',
        schema: z.object({
          epoch: z.string(), seq: z.number(), now: z.number(),
          data: z.object({ attendants: z.array(attendantSchema), groups: z.array(groupSchema), calls: z.array(callSchema), supervision: z.unknown(), classes: z.array(z.unknown()) }),
        }),
      },
      handler({ deps }) {
        const { type: _type, ...snap } = deps.hub.snapshot();
        return snap;
      },
    }),
    route({
      method: 'get', path: '/api/supervision', access: 'operator',
      summary: 'Busy lamp field: supervised extensions and trunks with their states, and the attendants\' device states',
      description: 'Extensions and trunks come from the configuration (supervision); their states from AMI once the supervision feed is wired (source "ami"), otherwise they stay "unknown" (source "none").',
      ok: { status: 200, description: 'the lamps', schema: supervisionSchema },
      handler({ deps }) {
        const attendants = deps.views.allAttendants().map((a) => ({ id: a.id, name: a.name, device: a.device, state: a.state, deviceState: deviceStateFor(a.state) }));
        return { ...deps.views.supervisionView(), attendants };
      },
    }),
  ],
};
