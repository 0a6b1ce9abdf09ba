// Services for extensions (the hotel switchboard's desk): do not disturb, wake-up calls, messages.
import { z } from 'zod';
import { route, type Resource } from '../route.ts';
import { extension } from '../schemas.ts';

const extParams = z.object({ number: extension }).strict();
const dndSchema = z.object({ extension: z.string(), by: z.string(), since: z.number(), until: z.number().optional() });
const wakeupSchema = z.object({
  id: z.string(), extension: z.string(), time: z.string(), daily: z.boolean(), next: z.number(), slot: z.number(), attempts: z.number(),
  status: z.enum(['scheduled', 'ringing', 'done', 'failed', 'cancelled']), by: z.string(), createdAt: z.number(),
  lastResult: z.string().optional(), leg: z.string().optional(),
});
const messageSchema = z.object({ id: z.string(), extension: z.string(), text: z.string(), by: z.string(), at: z.number(), read: z.boolean() });
const docId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be an id');

export const extensionsResource: Resource = {
  name: 'extensions',
  description: 'Do not disturb, wake-up calls and messages for extensions',
  routes: [
    route({
      method: 'get', path: '/api/dnd', access: 'operator',
      summary: 'Extensions in do not disturb',
      ok: { status: 200, description: 'the list', schema: z.object({ extensions: z.array(dndSchema) }) },
      errors: [409],
      handler: async ({ deps }) => ({ extensions: await deps.operations.listExtensionDnd() }),
    }),
    route({
      method: 'put', path: '/api/extensions/{number}/dnd', access: 'operator',
      summary: 'Lock (on) or release (off) an extension\'s do not disturb, optionally until a time',
      params: extParams,
      body: z.object({ on: z.boolean(), until: z.number().int().positive().optional() }).strict(),
      ok: { status: 204, description: 'done' },
      errors: [404, 409, 422],
      async handler({ principal, params, body, deps }) {
        await deps.operations.setExtensionDnd(params.number, body.on, principal.name, body.until);
      },
    }),
    route({
      method: 'get', path: '/api/wakeups', access: 'operator',
      summary: 'Scheduled wake-up calls',
      ok: { status: 200, description: 'the list', schema: z.object({ wakeups: z.array(wakeupSchema) }) },
      errors: [409],
      handler: async ({ deps }) => ({ wakeups: await deps.operations.listWakeups() }),
    }),
    route({
      method: 'post', path: '/api/wakeups', access: 'operator',
      summary: 'Schedule a wake-up call (HH:MM, site time), once or daily',
      body: z.object({
        extension,
        time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM'),
        daily: z.boolean().default(false),
      }).strict(),
      ok: { status: 201, description: 'scheduled', schema: wakeupSchema },
      errors: [409, 422],
      handler: ({ principal, body, deps }) => deps.operations.scheduleWakeup(body, principal.name),
    }),
    route({
      method: 'delete', path: '/api/wakeups/{id}', access: 'operator',
      summary: 'Cancel a wake-up call',
      params: z.object({ id: docId }).strict(),
      ok: { status: 204, description: 'cancelled' },
      errors: [404, 409],
      async handler({ principal, params, deps }) {
        await deps.operations.cancelWakeup(params.id, principal.name);
      },
    }),
    route({
      method: 'get', path: '/api/extensions/{number}/messages', access: 'operator',
      summary: 'Messages left for an extension',
      params: extParams,
      ok: { status: 200, description: 'the messages', schema: z.object({ messages: z.array(messageSchema) }) },
      errors: [409],
      handler: async ({ params, deps }) => ({ messages: await deps.operations.listMessages(params.number) }),
    }),
    route({
      method: 'post', path: '/api/extensions/{number}/messages', access: 'operator',
      summary: 'Leave a message for an extension',
      params: extParams,
      body: z.object({ text: z.string().trim().min(1).max(500) }).strict(),
      ok: { status: 201, description: 'left', schema: messageSchema },
      errors: [409, 422],
      handler: ({ principal, params, body, deps }) => deps.operations.leaveMessage(params.number, body.text, principal.name),
    }),
    route({
      method: 'post', path: '/api/extensions/{number}/messages/{id}/read', access: 'operator',
      summary: 'Mark a message as read (given to the guest)',
      params: z.object({ number: extension, id: docId }).strict(),
      ok: { status: 204, description: 'marked' },
      errors: [404, 409],
      async handler({ principal, params, deps }) {
        await deps.operations.markMessageRead(params.number, params.id, principal.name);
      },
    }),
  ],
};
