// The call distribution table: which mode a group is in (day, night, mode 1, mode 2, from its
// schedule or a supervisor's override), where a call goes in that mode, and traffic overflow.
// Overflow: calls a group cannot take quickly enough go to another group ("mutual help" when
// the first group's attendants keep seeing them too).
import type { Destination, GroupConfig, Mode, Schedule, Weekday } from '../config.ts';
import type { AttendantRecord } from './model.ts';
import { DomainError } from './errors.ts';
import { groupState } from './group.ts';
import { canBePresented } from './attendant.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** nextModeChange looks this far ahead: one week of rules plus a day. */
export const MODE_LOOKAHEAD_MS = 8 * DAY;

// ---------------------------------------------------------------------------------------------
// Local time in the schedule's zone

export interface LocalTime {
  /** YYYY-MM-DD, the local calendar date (holidays) */
  date: string;
  weekday: Weekday;
  /** HH:MM, compared with the rules as strings */
  hhmm: string;
  /** ms since local midnight */
  msOfDay: number;
  /** local minus UTC, in ms */
  offset: number;
}

const WEEKDAY_BY_NAME: Readonly<Record<string, Weekday>> = {
  Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun',
};

// Building a formatter is costly, using one is not: keep one per zone (a cache, not state anyone sees).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', weekday: 'short',
        year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      throw new DomainError('invalid_schedule', `unknown time zone "${timeZone}"`, { timezone: timeZone });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** the wall clock of `timeZone` at instant `t` */
export function localTime(timeZone: string, t: number): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(t)) parts[p.type] = p.value;
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  const hour = Number(parts.hour) % 24;
  const minute = Number(parts.minute);
  const second = Number(parts.second);
  const ms = ((t % 1000) + 1000) % 1000;
  const weekday = WEEKDAY_BY_NAME[parts.weekday ?? ''];
  if (weekday === undefined || !Number.isFinite(year + month + day + hour + minute + second)) {
    throw new DomainError('invalid_schedule', `cannot read the local time in "${timeZone}"`, { timezone: timeZone });
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  const msOfDay = ((hour * 60 + minute) * 60 + second) * 1000 + ms;
  return {
    date: `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`,
    weekday,
    hhmm: `${pad(hour)}:${pad(minute)}`,
    msOfDay,
    offset: Date.UTC(year, month - 1, day, hour, minute, second, ms) - t,
  };
}

/** The calendar date (YYYY-MM-DD) of `t` in `timeZone`: what groups statistics into days. */
export function localDate(timeZone: string, t: number): string {
  return localTime(timeZone, t).date;
}

function modeAtLocal(schedule: Schedule, lt: LocalTime): Mode {
  // a holiday is a whole local day: it wins over the weekly rules
  const holiday = schedule.holidays.find((h) => h.date === lt.date);
  if (holiday) return holiday.mode;
  for (const rule of schedule.rules) {
    if (rule.days.includes(lt.weekday) && rule.from <= lt.hhmm && lt.hhmm < rule.to) return rule.mode;
  }
  return schedule.otherwise;
}

/**
 * The mode the schedule sets at `now`, by the weekday and HH:MM in the schedule's time zone.
 * A holiday (by local date) wins; then the first rule that matches (`from` inclusive, `to`
 * exclusive, `24:00` is the end of the day); outside every rule, `otherwise`.
 */
export function scheduledMode(schedule: Schedule, now: number): Mode {
  return modeAtLocal(schedule, localTime(schedule.timezone, now));
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** The first instant in (lo, hi] with a UTC offset other than lo's; hi has another offset. */
function offsetChange(timeZone: string, lo: number, hi: number): number {
  const before = localTime(timeZone, lo).offset;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (localTime(timeZone, mid).offset === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The next instant after `now` at which scheduledMode changes, so the controller can set one timer
 * instead of polling. The mode can only change where local time crosses a rule's `from`/`to` or
 * midnight (holidays, weekdays), or where the zone's offset changes (DST): the search walks those
 * candidate instants, so a rule inside the hour skipped in spring never fires and one inside the
 * hour repeated in autumn fires twice. It looks MODE_LOOKAHEAD_MS (8 days) ahead; when nothing
 * changes in that time (a schedule without rules, a holiday further away) it returns the end of the
 * look-ahead: re-evaluating then finds the mode unchanged and asks again.
 */
export function nextModeChange(schedule: Schedule, now: number): number {
  const tz = schedule.timezone;
  const boundaries = [...new Set([0, 24 * 60, ...schedule.rules.flatMap((r) => [minutesOf(r.from), minutesOf(r.to)])])]
    .sort((a, b) => a - b)
    .map((m) => m * MINUTE);
  const current = scheduledMode(schedule, now);
  const end = now + MODE_LOOKAHEAD_MS;
  let t = now;
  while (t < end) {
    const lt = localTime(tz, t);
    const next = boundaries.find((b) => b > lt.msOfDay) ?? DAY;
    let candidate = t + (next - lt.msOfDay);
    if (localTime(tz, candidate).offset !== lt.offset) candidate = offsetChange(tz, t, candidate);
    if (candidate > end) break;
    if (scheduledMode(schedule, candidate) !== current) return candidate;
    t = candidate;
  }
  return end;
}

// ---------------------------------------------------------------------------------------------
// Modes and destinations

/** The mode in force: a supervisor's override wins, then the schedule; a group without either is in day mode. */
export function effectiveMode(group: GroupConfig, record: { override?: Mode | undefined }, now: number): Mode {
  if (record.override !== undefined) return record.override;
  return group.schedule ? scheduledMode(group.schedule, now) : 'day';
}

/**
 * Where the table sends calls in `mode`. A mode without an entry falls back to day (the config
 * check refuses schedules naming a missing mode, but an override can still pick one).
 */
export function destinationFor(group: GroupConfig, mode: Mode): Destination {
  return group.table[mode] ?? group.table.day;
}

/** Why a call goes where it goes: the mode's table entry, or a rule that overrode it. */
export type RouteReason = Mode | 'all-unplugged' | 'queue-full';

export type RouteDecision =
  /** wait in `group`'s queue for its attendants (this group, or another one the table names) */
  | { kind: 'queue'; group: string; mode: Mode; reason: RouteReason }
  /** leave the attendants: extension, voicemail, announcement or dialplan */
  | { kind: 'divert'; destination: Destination; mode: Mode; reason: RouteReason };

export interface RouteInput {
  group: GroupConfig;
  record: { override?: Mode | undefined };
  now: number;
  /** this group's members (records) */
  members: readonly AttendantRecord[];
  /** calls in this group's queue still waiting for an attendant (not being presented), for `maxQueue` */
  queueLength?: number;
}

function isThisGroup(dest: Destination, groupId: string): boolean {
  return dest.type === 'group' && (dest.group === undefined || dest.group === groupId);
}

function decide(dest: Destination, groupId: string, mode: Mode, reason: RouteReason): RouteDecision {
  if (dest.type === 'group') return { kind: 'queue', group: dest.group ?? groupId, mode, reason };
  return { kind: 'divert', destination: dest, mode, reason };
}

/**
 * Where a new call for `group` goes. The table entry of the mode in force decides; when that
 * entry is the group's own attendants:
 * - all members unplugged (nobody logged in or every set offline) → the night destination if it is
 *   somewhere else, else `fallback`, else the call queues anyway (reason 'all-unplugged' on a queue
 *   in this group means there was nowhere else to go): a caller is never dropped here;
 * - more than `maxQueue` calls would wait for an attendant, this one included → `fallback` (reason
 *   'queue-full'), else queue anyway; an idle member takes a call at once, so it does not wait:
 *   `maxQueue: 0` makes a loss system (blocked calls cleared: a call that finds every member busy
 *   goes to the fallback);
 * - an absent group (members absent or in DND) still queues: one key press brings them back,
 *   and overflow by waiting time moves calls on if they do not.
 * A 'queue' decision naming another group is a hop: route again for that group (followRoute).
 */
export function routeCall(input: RouteInput): RouteDecision {
  const { group, now } = input;
  const mode = effectiveMode(group, input.record, now);
  const dest = destinationFor(group, mode);
  if (!isThisGroup(dest, group.id)) return decide(dest, group.id, mode, mode);

  if (groupState(input.members) === 'unplugged') {
    const elsewhere = [group.table.night, group.fallback].find((d) => d !== undefined && !isThisGroup(d, group.id));
    return elsewhere ? decide(elsewhere, group.id, mode, 'all-unplugged') : { kind: 'queue', group: group.id, mode, reason: 'all-unplugged' };
  }
  if (group.maxQueue !== undefined && input.queueLength !== undefined) {
    const idle = input.members.filter((a) => canBePresented(a) && a.groups.includes(group.id)).length;
    const waiting = input.queueLength + 1 - idle;
    if (waiting > group.maxQueue && group.fallback && !isThisGroup(group.fallback, group.id)) return decide(group.fallback, group.id, mode, 'queue-full');
  }
  return { kind: 'queue', group: group.id, mode, reason: mode };
}

/**
 * routeCall, then again for each group a 'queue' decision names, until a group keeps the call or
 * it is diverted. A group seen twice (A's night goes to B, B's to A) or unknown to `lookup` keeps
 * the call in the last group reached. `path` lists the groups routed through, the start first.
 */
export function followRoute(
  start: string,
  lookup: (groupId: string) => Omit<RouteInput, 'now'> | undefined,
  now: number,
): RouteDecision & { path: string[] } {
  let input = lookup(start);
  // an unknown group has no table: queue there in day mode, the caller logs it
  if (!input) return { kind: 'queue', group: start, mode: 'day', reason: 'day', path: [start] };
  const path: string[] = [];
  let at = start;
  for (;;) {
    path.push(at);
    const decision = routeCall({ ...input, now });
    if (decision.kind === 'divert' || decision.group === at) return { ...decision, path };
    const next = path.includes(decision.group) ? undefined : lookup(decision.group);
    if (!next) return { kind: 'queue', group: at, mode: decision.mode, reason: decision.reason, path };
    at = decision.group;
    input = next;
  }
}

// ---------------------------------------------------------------------------------------------
// Overflow

/** The group a group's calls overflow to, if any. */
export function overflowTarget(group: GroupConfig): string | undefined {
  return group.overflow?.to;
}

export interface OverflowInput {
  group: GroupConfig;
  /** calls waiting in the group's queue, counting the call being decided */
  queueLength: number;
  /** how long the oldest call in the queue has waited */
  oldestWaitMs: number;
  /** how long the call being decided has waited (0 on arrival) */
  callWaitMs: number;
}

export interface OverflowDecision {
  overflow: boolean;
  reason?: 'queue-length' | 'wait';
  /** the group to overflow to */
  to?: string;
  /** this group's attendants keep seeing the call alongside the overflow group's */
  mutualHelp?: boolean;
}

/**
 * Should the call overflow to `overflow.to`?
 * - queue length: when the queue reaches `overflow.queueLength` calls (counting this one), the
 *   newest call overflows — so at most queueLength - 1 calls wait here;
 * - wait: the call has waited `overflow.waitSeconds`; a call also overflows on arrival when the
 *   oldest waiting call has already waited that long (the group is not keeping up — the ACD
 *   "oldest call waiting" test).
 * Length is checked first. The caller keeps an overflowed call from overflowing again.
 */
export function overflowDecision(input: OverflowInput): OverflowDecision {
  const o = input.group.overflow;
  if (!o) return { overflow: false };
  const yes = (reason: 'queue-length' | 'wait'): OverflowDecision => ({ overflow: true, reason, to: o.to, mutualHelp: o.mutualHelp });
  if (o.queueLength !== undefined && input.queueLength >= o.queueLength) return yes('queue-length');
  if (o.waitSeconds !== undefined) {
    const limit = o.waitSeconds * 1000;
    if (input.callWaitMs >= limit || input.oldestWaitMs >= limit) return yes('wait');
  }
  return { overflow: false };
}

/** When a call that arrived at `arrivedAt` reaches the wait threshold (schedule overflowDecision then). */
export function overflowDue(group: GroupConfig, arrivedAt: number): number | undefined {
  const s = group.overflow?.waitSeconds;
  return s === undefined ? undefined : arrivedAt + s * 1000;
}
