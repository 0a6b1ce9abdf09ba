// Erlang B / C dimensioning for the console's calculator, computed by lib/domain/erlang.ts so the
// console, the CLI and the API give the same figures from one implementation.
import { z } from 'zod';
import {
  agentOccupancy, agentsForServiceLevel, averageSpeedOfAnswer, erlangB, erlangC, linesForBlocking, serviceLevel, trafficFromCalls,
} from '../../domain/erlang.ts';
import { unprocessable } from '../errors.ts';
import { route, type Resource } from '../route.ts';

const decimal = (max: number) => z.string().regex(/^\d{1,7}(\.\d{1,9})?$/, 'must be a decimal number').transform(Number)
  .pipe(z.number().max(max, `must be at most ${max}`));
const count = (max: number) => z.string().regex(/^\d{1,5}$/, 'must be a whole number').transform(Number)
  .pipe(z.number().int().max(max, `must be at most ${max}`));
const fraction = z.string().regex(/^(0(\.\d{1,9})?|1(\.0{1,9})?|\.\d{1,9})$/, 'must be a fraction between 0 and 1').transform(Number);

const trafficInput = {
  traffic: decimal(10_000).optional().describe('offered traffic, Erlangs'),
  callsPerHour: decimal(1_000_000).optional().describe('instead of traffic: calls per hour (with aht)'),
  aht: decimal(86_400).optional().describe('average holding time, seconds'),
};

function trafficOf(q: { traffic?: number | undefined; callsPerHour?: number | undefined; aht?: number | undefined }): number {
  if (q.traffic !== undefined) return q.traffic;
  if (q.callsPerHour !== undefined && q.aht !== undefined) return trafficFromCalls(q.callsPerHour, q.aht);
  throw unprocessable('query.traffic', 'give traffic (Erlangs), or callsPerHour with aht');
}

const staffing = z.object({ agents: z.number(), serviceLevel: z.number(), probabilityOfWaiting: z.number(), averageSpeedOfAnswer: z.number().nullable(), occupancy: z.number() });

export const erlangResource: Resource = {
  name: 'erlang',
  description: 'Erlang B and C dimensioning',
  routes: [
    route({
      method: 'get', path: '/api/erlang/b', access: 'operator',
      summary: 'Erlang B (lost calls cleared: lines, trunks): blocking of N lines, or lines for a blocking target',
      query: z.object({ ...trafficInput, lines: count(10_000).optional(), blocking: fraction.optional() }).strict(),
      ok: { status: 200, description: 'the figures', schema: z.object({ traffic: z.number(), lines: z.number(), blocking: z.number() }) },
      errors: [422],
      handler({ query }) {
        const traffic = trafficOf(query);
        if (query.lines !== undefined) return { traffic, lines: query.lines, blocking: erlangB(traffic, query.lines) };
        if (query.blocking !== undefined) {
          if (query.blocking <= 0) throw unprocessable('query.blocking', 'must be more than 0');
          const lines = linesForBlocking(traffic, query.blocking);
          return { traffic, lines, blocking: erlangB(traffic, lines) };
        }
        throw unprocessable('query.lines', 'give lines (blocking of N lines) or blocking (lines needed)');
      },
    }),
    route({
      method: 'get', path: '/api/erlang/c', access: 'operator',
      summary: 'Erlang C (calls wait: attendants): figures for N agents, or agents for a service level',
      query: z.object({
        ...trafficInput,
        target: decimal(86_400).describe('answer within T seconds'),
        agents: count(10_000).optional(),
        level: fraction.optional().describe('service level to reach, 0-1'),
        maxOccupancy: fraction.optional(),
      }).strict(),
      ok: { status: 200, description: 'the figures', schema: staffing.extend({ traffic: z.number() }) },
      errors: [422],
      handler({ query }) {
        const traffic = trafficOf(query);
        if (query.aht === undefined || query.aht <= 0) throw unprocessable('query.aht', 'the average holding time (seconds, more than 0) is needed');
        const aht = query.aht;
        const finite = (n: number) => (Number.isFinite(n) ? n : null);
        if (query.agents !== undefined) {
          if (query.agents < 1) throw unprocessable('query.agents', 'must be at least 1');
          return {
            traffic, agents: query.agents,
            probabilityOfWaiting: erlangC(traffic, query.agents),
            averageSpeedOfAnswer: finite(averageSpeedOfAnswer(traffic, query.agents, aht)),
            serviceLevel: serviceLevel(traffic, query.agents, aht, query.target),
            occupancy: agentOccupancy(traffic, query.agents),
          };
        }
        if (query.level !== undefined) {
          if (query.level >= 1) throw unprocessable('query.level', 'must be below 1');
          const r = agentsForServiceLevel({ traffic, ahtSeconds: aht, targetSeconds: query.target, targetLevel: query.level, ...(query.maxOccupancy !== undefined ? { maxOccupancy: query.maxOccupancy } : {}) });
          return { traffic, ...r, averageSpeedOfAnswer: finite(r.averageSpeedOfAnswer) };
        }
        throw unprocessable('query.agents', 'give agents (figures for N agents) or level (agents needed)');
      },
    }),
  ],
};
