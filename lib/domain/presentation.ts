// Call presentation: call classes, their priorities, and the order of the waiting queue.
// A presentation is the offering of a waiting call to an attendant (the set rings, the console shows it).
import type { CallClassConfig } from '../config.ts';
import type { CallState } from './model.ts';

/** Priority band first (9 most urgent), then arrival: lower score is served first. */
export function queueScore(priority: number, arrivedAt: number): number {
  return (10 - priority) * 1e13 + arrivedAt;
}

/** The class an unknown class id gets when the configuration has no `external` class: a normal outside call. */
export const DEFAULT_CALL_CLASS: Readonly<CallClassConfig> = Object.freeze({ id: 'external', priority: 5, delayedRing: 0 });

/**
 * The class of a call from the class id the dialplan passed. Never throws: a caller is never
 * refused for a typo in the dialplan; an unknown id is served as `external` (the configured one,
 * else DEFAULT_CALL_CLASS).
 */
export function resolveClass(classes: readonly CallClassConfig[], classId: string): CallClassConfig {
  return classes.find((c) => c.id === classId)
    ?? classes.find((c) => c.id === 'external')
    ?? { ...DEFAULT_CALL_CLASS };
}

export interface QueueEntry {
  id: string;
  priority: number;
  arrivedAt: number;
}

/**
 * Call ids in serving order: the most urgent priority first, then the longest waiting (queueScore).
 * Equal scores go by id, as a Redis sorted set orders equal scores, so memory and Redis agree.
 */
export function orderQueue(calls: readonly QueueEntry[]): string[] {
  return calls
    .map((c) => ({ id: c.id, score: queueScore(c.priority, c.arrivedAt) }))
    .sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((c) => c.id);
}

/**
 * Delayed ring, in ms: how long a call of this class waits before it is presented (the Alcatel
 * timers 140-142 ring normal and urgent presentations late). 0 presents at once.
 */
export function presentationDelay(cls: Pick<CallClassConfig, 'delayedRing'>): number {
  const s = cls.delayedRing;
  return Number.isFinite(s) && s > 0 ? Math.round(s * 1000) : 0;
}

/** When a call that arrived at `arrivedAt` may first be presented. */
export function presentableAt(cls: Pick<CallClassConfig, 'delayedRing'>, arrivedAt: number): number {
  return arrivedAt + presentationDelay(cls);
}

export interface PresentCandidate {
  arrivedAt: number;
  /** delayed ring of the call's class, from presentationDelay(); 0 or absent presents at once */
  delayMs?: number;
  /** when given, only `waiting` calls are presented (a call already ringing somewhere is skipped) */
  state?: CallState;
}

export interface NextPresentation {
  /** the call to present now, first in queue order whose delayed ring has elapsed */
  callId?: string;
  /** the earliest time a call skipped for its delayed ring becomes presentable: schedule a re-check then */
  recheckAt?: number;
}

/**
 * The call to present next: the first in `queueIds` (serving order) that is waiting and whose
 * delayed ring has run out at `now`. Calls still in their delay are skipped, so an urgent call
 * with a delay does not hold back the normal calls behind it; ids without a record are ignored.
 */
export function nextToPresent(
  queueIds: readonly string[],
  calls: ReadonlyMap<string, PresentCandidate>,
  now: number,
): NextPresentation {
  let recheckAt: number | undefined;
  for (const id of queueIds) {
    const call = calls.get(id);
    if (!call || (call.state !== undefined && call.state !== 'waiting')) continue;
    const at = call.arrivedAt + Math.max(0, call.delayMs ?? 0);
    if (at <= now) return recheckAt === undefined ? { callId: id } : { callId: id, recheckAt };
    if (recheckAt === undefined || at < recheckAt) recheckAt = at;
  }
  return recheckAt === undefined ? {} : { recheckAt };
}
