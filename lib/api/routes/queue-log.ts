// The queue_log export (lib/stats/queue-log.ts): app_queue's format, for reporting tools, by time range.
import { z } from 'zod';
import { unprocessable } from '../errors.ts';
import { route, type Resource } from '../route.ts';
import { queryTime } from '../schemas.ts';

const DAY_MS = 86_400_000;

export const queueLogResource: Resource = {
  name: 'queue-log',
  description: 'Asterisk queue_log lines of the attendant groups (time|callid|queue|agent|EVENT|params)',
  routes: [
    route({
      method: 'get', path: '/api/queue-log', access: 'supervisor',
      summary: 'The queue_log lines of a time range (default: the last 24 hours), oldest first; format=text answers the file itself',
      query: z.object({
        from: queryTime.optional(),
        to: queryTime.optional(),
        limit: z.string().regex(/^\d{1,6}$/, 'must be 1-100000').transform(Number).pipe(z.number().int().min(1, 'must be 1-100000').max(100_000, 'must be 1-100000')).optional(),
        format: z.enum(['json', 'text']).optional(),
      }).strict(),
      ok: { status: 200, description: 'the lines (as JSON, or text/plain with format=text)', schema: z.object({ lines: z.array(z.string()) }) },
      errors: [403, 422],
      async handler({ query, deps, res }) {
        const to = query.to ?? deps.time.now();
        const from = query.from ?? to - DAY_MS;
        if (from > to) throw unprocessable('query.from', 'must not be after to');
        const lines = await deps.store.readQueueLog(from, to, query.limit ?? 100_000);
        if (query.format === 'text') {
          res.status(200).type('text/plain').send(lines.map((l) => `${l}\n`).join(''));
          return undefined;
        }
        return { lines };
      },
    }),
  ],
};
