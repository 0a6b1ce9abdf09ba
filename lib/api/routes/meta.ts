// Unauthenticated: the health check and the API's own description.
import { z } from 'zod';
import { bearerMatches } from '../../metrics/http.ts';
import { ApiError } from '../errors.ts';
import { healthReport } from '../health.ts';
import { route, type Resource } from '../route.ts';

const health = z.object({
  status: z.enum(['ok', 'degraded', 'down', 'standby']), role: z.enum(['active', 'standby']), ari: z.boolean(), ami: z.boolean().nullable(), store: z.boolean(), storeBacklog: z.number(),
});

export function metaResource(document: () => unknown): Resource {
  return {
    name: 'meta',
    description: 'Health, the Prometheus metrics and the OpenAPI document',
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
        method: 'get', path: '/metrics', access: 'public',
        summary: 'Prometheus metrics (text format): only with Authorization: Bearer <metrics.token>, a token of its own (not a login); 404 when no token is configured (metrics.port serves them without one)',
        ok: { status: 200, description: 'the metrics in the Prometheus text format 0.0.4', contentType: 'text/plain; version=0.0.4' },
        errors: [401, 404],
        async handler({ deps, req, res }) {
          const m = deps.metrics;
          if (!m?.token) throw new ApiError(404, 'not_found', '/metrics is not served on this port: set metrics.token, or scrape metrics.port');
          if (!bearerMatches(req.headers.authorization, m.token)) {
            throw new ApiError(401, 'unauthorized', 'the metrics token is required: Authorization: Bearer <metrics.token>', { headers: { 'www-authenticate': 'Bearer realm="attendant-metrics"' } });
          }
          const { contentType, body } = await m.scrape();
          res.status(200).set({ 'content-type': contentType, 'cache-control': 'no-store' }).send(body);
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
