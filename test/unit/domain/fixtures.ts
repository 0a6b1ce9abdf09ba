// Hand-made records and fixed times for the domain tests.
import { seededRandom } from '../../../lib/random.ts';
import assert from 'node:assert/strict';
import type { GroupConfig, Schedule } from '../../../lib/config.ts';
import type { AttendantRecord } from '../../../lib/domain/model.ts';
import { DomainError } from '../../../lib/domain/errors.ts';

/** Monday 5 January 2026, 09:00 UTC. */
export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A logged-in idle attendant; override any field. */
export function idle(id: string, fields: Partial<AttendantRecord> = {}): AttendantRecord {
  return {
    id, state: 'idle', since: T0, reason: 'login', groups: ['reception'], device: `PJSIP/${id}`,
    idleSince: T0, callsTaken: 0, loggedInAt: T0, ...fields,
  };
}

/** A logged-out attendant. */
export function loggedOut(id: string, fields: Partial<AttendantRecord> = {}): AttendantRecord {
  return { id, state: 'unplugged', since: T0, reason: 'not logged in', groups: [], device: `PJSIP/${id}`, idleSince: 0, callsTaken: 0, ...fields };
}

/** An attendant whose set rings with `callId` since `at`, idle since `idleSince`. */
export function ringing(id: string, callId: string, at: number, fields: Partial<AttendantRecord> = {}): AttendantRecord {
  return idle(id, { state: 'ringing', since: at, reason: 'call presented', currentCall: callId, currentLeg: `leg-${id}`, ...fields });
}

export function busy(id: string, callId: string, at: number, fields: Partial<AttendantRecord> = {}): AttendantRecord {
  return idle(id, { state: 'busy', since: at, reason: 'answered', currentCall: callId, currentLeg: `leg-${id}`, idleSince: 0, callsTaken: 1, ...fields });
}

export function byId(...records: AttendantRecord[]): Map<string, AttendantRecord> {
  return new Map(records.map((r) => [r.id, r]));
}

/** A group as zod would output it (defaults filled in); override any field. */
export function groupConfig(fields: Partial<GroupConfig> = {}): GroupConfig {
  return {
    id: 'reception', name: 'Reception', members: ['op1', 'op2', 'op3'], strategy: 'longest-idle', ringTimeout: 15,
    waiting: { music: 'default' }, table: { day: { type: 'group' } }, ...fields,
  };
}

/** Office hours in Paris: weekdays 08:00-18:00 day, Saturday morning mode 1, otherwise night. */
export function parisOffice(fields: Partial<Schedule> = {}): Schedule {
  return {
    timezone: 'Europe/Paris', otherwise: 'night',
    rules: [
      { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00', mode: 'day' },
      { days: ['sat'], from: '09:00', to: '12:00', mode: 'mode1' },
    ],
    holidays: [], ...fields,
  };
}

/** Deterministic PRNG (mulberry32): the same seed gives the same sequence on every run. */
export const seeded = seededRandom;

/** Freeze a record and its arrays so any mutation by the code under test throws. */
export function frozen<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) Object.freeze(v);
  return Object.freeze(value);
}

/** Narrow a `T | DomainError` result, failing the test with the error's message. */
export function ok<T>(result: T | DomainError): T {
  if (result instanceof DomainError) assert.fail(`unexpected ${result.code}: ${result.message}`);
  return result;
}

/** Expect a DomainError with `code`. */
export function fails(result: unknown, code: DomainError['code']): DomainError {
  assert.ok(result instanceof DomainError, `expected a DomainError ${code}, got ${JSON.stringify(result)}`);
  assert.equal(result.code, code);
  return result;
}
