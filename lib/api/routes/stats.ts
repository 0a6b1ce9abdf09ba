// Traffic statistics per 15-minute interval: counters from the store, figures from
// figuresFromCounters (Erlangs, AHT, ASA, service level, occupancy...), the busy hour of each day.
import { z } from 'zod';
import { ALL_COUNTER_NAMES } from '../../domain/traffic.ts';
import { trafficReport } from '../../stats/report.ts';
import { notFound, unprocessable } from '../errors.ts';
import { route, type Resource } from '../route.ts';
import { queryTime } from '../schemas.ts';
import type { ApiDeps } from '../deps.ts';

const MAX_RANGE_MS = 31 * 86_400_000;

const figures = z.object({
  offeredErlangs: z.number().nullable(), carriedErlangs: z.number(), averageHoldingSeconds: z.number().nullable(),
  averageHeldSeconds: z.number().nullable(), averageSpeedOfAnswerSeconds: z.number().nullable(), averageAbandonWaitSeconds: z.number().nullable(),
  serviceLevel: z.number().nullable(), serviceLevel2: z.number().nullable(), completionRate: z.number().nullable(), abandonRate: z.number().nullable(),
  occupancy: z.number().nullable(),
});
const counters = z.object(Object.fromEntries(ALL_COUNTER_NAMES.map((n) => [n, z.number()])));
const hour = z.object({ date: z.string(), start: z.number(), end: z.number(), erlangs: z.number() });

function scopeExists(deps: ApiDeps, kind: string, id: string): boolean {
  const list = kind === 'group' ? deps.config.groups : kind === 'class' ? deps.config.classes : deps.config.attendants;
  return list.some((x) => x.id === id);
}

export const statsResource: Resource = {
  name: 'stats',
  description: 'Traffic statistics',
  routes: [
    route({
      method: 'get', path: '/api/stats', access: 'operator',
      summary: 'Per-interval traffic figures of a group, a call class or an attendant',
      description: 'Every 15-minute interval of [from, to) is listed, empty ones with zero counters, with totals and the busy hour of each day '
        + '(days in statistics.timezone). Longest waits are maxima. Occupancy counts the attendants\' current state up to now. '
        + 'Defaults: the last 24 hours. At most 31 days.',
      query: z.object({
        scope: z.string().regex(/^(group|class|attendant):[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be group:<id>, class:<id> or attendant:<id>'),
        from: queryTime.optional(),
        to: queryTime.optional(),
      }).strict(),
      ok: {
        status: 200, description: 'the intervals, their totals and the daily busy hours',
        schema: z.object({
          scope: z.string(), from: z.number(), to: z.number(), intervalMs: z.number(), serviceTargetSeconds: z.number(), timezone: z.string(),
          intervals: z.array(z.object({ intervalStart: z.number(), intervalEnd: z.number(), counters, figures })),
          totals: z.object({ counters, figures }),
          busyHours: z.array(hour),
        }),
      },
      errors: [404, 422],
      async handler({ query, deps }) {
        const [kind = '', id = ''] = query.scope.split(':');
        if (!scopeExists(deps, kind, id)) throw notFound(`${kind} "${id}"`);
        const now = deps.time.now();
        const to = query.to ?? now;
        const from = query.from ?? to - 86_400_000;
        if (from >= to) throw unprocessable('query.from', 'must be before to');
        if (to - from > MAX_RANGE_MS) throw unprocessable('query.from', 'the range is at most 31 days');
        const { statistics } = deps.config;
        return trafficReport(deps.store, { scope: query.scope, from, to, now, timeZone: statistics.timezone, serviceTargetSeconds: statistics.serviceTargetSeconds });
      },
    }),
  ],
};
