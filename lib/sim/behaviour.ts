// Parsing of phone behaviours and control-API bodies (zod), shared by the control API and the CLI.
import { z } from 'zod';
import type { Behaviour } from './types.ts';

const ms = z.number().int().min(0);

export const behaviourSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('answer'), afterMs: ms.optional(), ring: z.boolean().optional() }),
  z.object({ kind: z.literal('ring') }),
  z.object({ kind: z.literal('manual') }),
  z.object({ kind: z.literal('busy') }),
  z.object({ kind: z.literal('offline') }),
  z.object({ kind: z.literal('hangupAfter'), answerAfterMs: ms, hangupAfterMs: ms }),
  z.object({ kind: z.literal('random'), minMs: ms, maxMs: ms }),
  z.object({ kind: z.literal('unallocated') }),
]);

export const endpointBodySchema = z.intersection(behaviourSchema, z.object({ context: z.string().min(1).optional() }));

/** keep only the behaviour fields (drop `context` and unknown keys) */
export function toBehaviour(input: z.infer<typeof behaviourSchema>): Behaviour {
  switch (input.kind) {
    case 'answer':
      return { kind: 'answer', ...(input.afterMs !== undefined ? { afterMs: input.afterMs } : {}), ...(input.ring !== undefined ? { ring: input.ring } : {}) };
    case 'hangupAfter':
      return { kind: 'hangupAfter', answerAfterMs: input.answerAfterMs, hangupAfterMs: input.hangupAfterMs };
    case 'random':
      return { kind: 'random', minMs: input.minMs, maxMs: input.maxMs };
    default:
      return { kind: input.kind };
  }
}

export const placeCallSchema = z.object({
  from: z.string().regex(/^[^/]+\/.+$/).optional(),
  callerNumber: z.string(),
  callerName: z.string().optional(),
  context: z.string().optional(),
  exten: z.string().min(1),
  priority: z.number().int().min(1).optional(),
  app: z.string().min(1).optional(),
  appArgs: z.array(z.string()).default([]),
});

export const causeSchema = z.object({ cause: z.number().int().min(0).max(127).optional() });
export const dtmfSchema = z.object({ digits: z.string().min(1), durationMs: z.number().int().min(1).optional() });
export const transferSchema = z.object({ destination: z.string().min(1), replacesChannelId: z.string().optional() });
export const holdSchema = z.object({ musicClass: z.string().optional() });
export const restartSchema = z.object({ bootMs: ms.optional() });
export const failSchema = z.object({
  status: z.union([z.literal(400), z.literal(404), z.literal(405), z.literal(500), z.literal(501), z.literal(503)]),
  count: z.number().int().min(1).optional(),
  forMs: ms.optional(),
  pathPrefix: z.string().optional(),
  method: z.enum(['GET', 'POST', 'PUT', 'DELETE']).optional(),
});
export const delaySchema = z.object({ ms });
export const dropSchema = z.object({ app: z.string().optional() });
export const eventFilterSupportSchema = z.object({ supported: z.boolean() });
