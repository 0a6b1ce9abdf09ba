// Unauthenticated: the health check and the API's own description.
import { z } from 'zod';
import { healthReport } from '../health.ts';
import { route, type Resource } from '../route.ts';

const health = z.object({
  status: z.enum(['ok', 'degraded', 'down', 'standby']), role: z.enum(['active', 'standby']), ari: z.boolean(), ami: z.boolean().nullable(), store: z.boolean(), storeBacklog: z.number(),
});

export function metaResource(document: () => unknown): Resource {
  return {
    name: 'meta',
    description: 'Health and the OpenAPI document',
    routes: [
      route({
        method: 'get', path: '/healthz', access: 'public',
        summary: 'Health and role: the active answers 200 while ARI is connected (degraded when the store is not), 503 without ARI; a standby answers 200 with status standby',
        ok: { status: 200, description: 'serving calls', schema: health },
        errors: [503],
        async handler({ deps, res }) {
          const { httpStatus, report } = await healthReport(deps.health);
          res.status(httpStatus).json(report);
        },
      }),
      route({
        method: 'get', path: '/api/openapi.json', access: 'public',
        summary: 'This API as an OpenAPI 3.1 document',
        ok: { status: 200, description: 'the document', schema: z.record(z.string(), z.unknown()) },
        handler: () => document(),
      }),
    ],
  };
}
