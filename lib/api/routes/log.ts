// The action log (操作记录查询): operator actions and call events, by time, operator and number.
import { z } from 'zod';
import { hasRole } from '../auth/sessions.ts';
import { forbidden, unprocessable } from '../errors.ts';
import { route, type Resource } from '../route.ts';
import { logEntrySchema, queryTime } from '../schemas.ts';

export const logResource: Resource = {
  name: 'log',
  description: 'Operation record query',
  routes: [
    route({
      method: 'get', path: '/api/log', access: 'operator',
      summary: 'Query the action log, newest last (operators see their own position\'s entries)',
      query: z.object({
        from: queryTime.optional(),
        to: queryTime.optional(),
        operator: z.string().min(1).max(64).optional(),
        number: z.string().regex(/^[0-9*#+]{1,32}$/, 'must be a phone number').optional(),
        limit: z.string().regex(/^\d{1,4}$/, 'must be 1-1000').transform(Number).pipe(z.number().int().min(1, 'must be 1-1000').max(1000, 'must be 1-1000')).optional(),
      }).strict(),
      ok: { status: 200, description: 'the entries', schema: z.object({ entries: z.array(logEntrySchema) }) },
      errors: [403, 422],
      async handler({ principal, query, deps }) {
        if (query.from !== undefined && query.to !== undefined && query.from > query.to) throw unprocessable('query.from', 'must not be after to');
        let operator = query.operator;
        if (!hasRole(principal.role, 'supervisor')) {
          const own = principal.attendant ?? principal.name;
          if (operator !== undefined && operator !== own) throw forbidden('operators see only their own position\'s entries');
          operator = own;
        }
        const entries = await deps.store.queryLog({
          ...(query.from !== undefined ? { from: query.from } : {}),
          ...(query.to !== undefined ? { to: query.to } : {}),
          ...(operator !== undefined ? { operator } : {}),
          ...(query.number !== undefined ? { number: query.number } : {}),
          limit: query.limit ?? 100,
        });
        return { entries };
      },
    }),
  ],
};
