// Traffic statistics per 15-minute interval: counters from the store, figures from
// figuresFromCounters (Erlangs, AHT, ASA, service level...).
import { z } from 'zod';
import { SERVICE_TARGET_SECONDS } from '../../calls/traffic-recorder.ts';
import { COUNTER_NAMES, INTERVAL_MS, emptyCounters, figuresFromCounters, type TrafficCounters } from '../../domain/traffic.ts';
import { notFound, unprocessable } from '../errors.ts';
import { route, type Resource } from '../route.ts';
import { queryTime } from '../schemas.ts';
import type { ApiDeps } from '../deps.ts';

const MAX_RANGE_MS = 31 * 86_400_000;

const figures = z.object({
  offeredErlangs: z.number().nullable(), carriedErlangs: z.number(), averageHoldingSeconds: z.number().nullable(),
  averageHeldSeconds: z.number().nullable(), averageSpeedOfAnswerSeconds: z.number().nullable(), averageAbandonWaitSeconds: z.number().nullable(),
  serviceLevel: z.number().nullable(), serviceLevel2: z.number().nullable(), completionRate: z.number().nullable(), abandonRate: z.number().nullable(),
});
const counters = z.record(z.string(), z.number());

function scopeExists(deps: ApiDeps, kind: string, id: string): boolean {
  const list = kind === 'group' ? deps.config.groups : kind === 'class' ? deps.config.classes : deps.config.attendants;
  return list.some((x) => x.id === id);
}

function add(into: TrafficCounters, from: Readonly<Record<string, number>>): void {
  for (const name of COUNTER_NAMES) into[name] += from[name] ?? 0;
}

function asRecord(c: TrafficCounters): Record<string, number> {
  return Object.fromEntries(COUNTER_NAMES.map((n) => [n, c[n]]));
}

export const statsResource: Resource = {
  name: 'stats',
  description: 'Traffic statistics',
  routes: [
    route({
      method: 'get', path: '/api/stats', access: 'operator',
      summary: 'Per-interval traffic figures of a group, a call class or an attendant',
      description: 'Every 15-minute interval of [from, to) is listed, empty ones with zero counters. Defaults: the last 24 hours. At most 31 days.',
      query: z.object({
        scope: z.string().regex(/^(group|class|attendant):[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be group:<id>, class:<id> or attendant:<id>'),
        from: queryTime.optional(),
        to: queryTime.optional(),
      }).strict(),
      ok: {
        status: 200, description: 'the intervals and their totals',
        schema: z.object({
          scope: z.string(), from: z.number(), to: z.number(), intervalMs: z.number(), serviceTargetSeconds: z.number(),
          intervals: z.array(z.object({ intervalStart: z.number(), intervalEnd: z.number(), counters, figures })),
          totals: z.object({ counters, figures }),
        }),
      },
      errors: [404, 422],
      async handler({ query, deps }) {
        const [kind = '', id = ''] = query.scope.split(':');
        if (!scopeExists(deps, kind, id)) throw notFound(`${kind} "${id}"`);
        const to = query.to ?? deps.time.now();
        const from = query.from ?? to - 86_400_000;
        if (from >= to) throw unprocessable('query.from', 'must be before to');
        if (to - from > MAX_RANGE_MS) throw unprocessable('query.from', 'the range is at most 31 days');
        const first = Math.floor(from / INTERVAL_MS) * INTERVAL_MS;
        const stored = new Map((await deps.store.stats(query.scope, first, to - 1)).map((s) => [s.intervalStart, s.counters]));
        const totals = emptyCounters();
        const intervals = [];
        for (let start = first; start < to; start += INTERVAL_MS) {
          const c = emptyCounters();
          add(c, stored.get(start) ?? {});
          const counters = asRecord(c);
          add(totals, counters);
          intervals.push({ intervalStart: start, intervalEnd: start + INTERVAL_MS, counters, figures: figuresFromCounters(counters) });
        }
        return {
          scope: query.scope, from: first, to, intervalMs: INTERVAL_MS, serviceTargetSeconds: SERVICE_TARGET_SECONDS,
          intervals, totals: { counters: asRecord(totals), figures: figuresFromCounters(asRecord(totals), Math.max(1, intervals.length) * INTERVAL_MS) },
        };
      },
    }),
  ],
};
