// Shared zod schemas of the API's edge: ids, times, numbers, and the answers the OpenAPI document shows.
import { z } from 'zod';
import { MODES } from '../config.ts';
import { ATTENDANT_STATES, CALL_STATES, GROUP_STATES } from '../domain/model.ts';
import { ROLES } from './auth/sessions.ts';
import { parseTimeArg, TIME_ARG_FORMS } from '../time-arg.ts';

/** attendant, group, class ids: as the configuration allows them */
export const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, "_", "." or "-"');
/** call ids are channel ids (`1767603600.12`, or names chosen by the controller) */
export const callId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'must be a channel id');
/** a number to dial or a directory short code */
export const dialTarget = z.string().regex(/^[0-9*#+]{1,32}$/, 'must be 1-32 digits, "*", "#" or "+"');
export const extension = z.string().regex(/^[0-9*#+]{1,32}$/, 'must be an extension number (1-32 digits, "*", "#", "+")');
/** slot numbers of held and parked calls */
export const slot = z.string().regex(/^\d{1,4}$/, 'must be a slot number').transform(Number);

/** a time in a query: ms since the epoch, or an ISO 8601 date-time */
/** the same forms as the CLI's --from / --to (lib/time-arg.ts) */
export const queryTime = z.string().transform((s, ctx) => {
  const t = parseTimeArg(s);
  if (t === undefined) ctx.addIssue({ code: 'custom', message: `must be ${TIME_ARG_FORMS}` });
  return t ?? 0;
});

export const mode = z.enum(MODES);
export const role = z.enum(ROLES);

export const idParams = z.object({ id }).strict();
export const callParams = z.object({ id: callId }).strict();
export const slotParams = z.object({ slot }).strict();

/** operations act at the caller's own position; a supervisor may name another */
export const actingAs = { attendant: id.optional().describe('position to act at (supervisors; operators act at their own)') };
export const emptyActing = z.object(actingAs).strict();

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    /** an operation that failed half way (code ari_failed): the step, the status Asterisk answered, what became of the call */
    failure: z.object({ operation: z.string(), step: z.string(), ariStatus: z.number().optional(), outcome: z.string() }).optional(),
  }),
}).meta({ id: 'Error' });

export const userSchema = z.object({ name: z.string(), role, attendant: z.string().optional() }).meta({ id: 'User' });

export const attendantSchema = z.object({
  id: z.string(), name: z.string(), extension: z.string().optional(), supervisor: z.literal(true).optional(), state: z.enum(ATTENDANT_STATES), since: z.number(), reason: z.string(),
  groups: z.array(z.string()), device: z.string(), deviceState: z.string(), idleSince: z.number(), callsTaken: z.number(),
  currentCall: z.string().optional(), currentLeg: z.string().optional(), loginUser: z.string().optional(), loggedInAt: z.number().optional(),
  offline: z.boolean().optional(), unansweredMs: z.number().optional(),
}).meta({ id: 'Attendant' });

export const groupSchema = z.object({
  id: z.string(), name: z.string(), mode, override: mode.optional(), state: z.enum(GROUP_STATES), rrCursor: z.number(),
  members: z.array(z.string()), strategy: z.string(), modes: z.array(mode), queue: z.array(z.string()),
}).meta({ id: 'Group' });

export const callSchema = z.object({
  id: z.string(), callClass: z.string(), className: z.string(), priority: z.number(), group: z.string(), alsoGroups: z.array(z.string()),
  state: z.enum(CALL_STATES), callerNumber: z.string(), callerName: z.string(), target: z.string(), arrivedAt: z.number(),
  presentedAt: z.number().optional(), answeredAt: z.number().optional(), endedAt: z.number().optional(), attendant: z.string().optional(),
  ringingLegs: z.array(z.string()), leg: z.string().optional(), refusedBy: z.array(z.string()), overflowedFrom: z.string().optional(),
  endReason: z.string().optional(), removed: z.boolean(),
  dndExtension: z.string().optional().describe('class dnd: the extension in do not disturb the caller tried'),
  dndBy: z.string().optional().describe('who set that do not disturb'),
  dndUntil: z.number().optional().describe('until when (ms epoch); absent: until released'),
  attention: z.string().optional().describe('an operation failed half way and could not put the call back: why it needs the operator'),
}).meta({ id: 'Call' });

export const logEntrySchema = z.object({
  id: z.string(), time: z.number(), operator: z.string(), action: z.string(), callId: z.string().optional(),
  numbers: z.array(z.string()), result: z.string(), detail: z.record(z.string(), z.string()).optional(),
}).meta({ id: 'LogEntry' });

export const directoryEntrySchema = z.object({
  name: z.string(), number: z.string(), shortCode: z.string().optional(), department: z.string().optional(), location: z.string().optional(),
}).meta({ id: 'DirectoryEntry' });

export const okSchema = z.object({ ok: z.literal(true) });
