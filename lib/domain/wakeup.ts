// When a wake-up call rings: the next instant a room's HH:MM comes round on the site's wall clock.
// Pure: the time zone rules come from Intl, the instant to count from is a parameter.
import { localTime } from './table.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** "07:30" (console) or "0730" (feature code *56HHMM) → "07:30"; undefined when it is no time of day */
export function normaliseWakeupTime(text: string): string | undefined {
  const m = /^([01]\d|2[0-3]):?([0-5]\d)$/.exec(text.trim());
  return m ? `${m[1]}:${m[2]}` : undefined;
}

/** the instants (0, 1 or 2 of them) at which the wall clock of `timeZone` shows `date` at hh:mm */
function instantsOf(timeZone: string, year: number, month: number, day: number, hh: number, mm: number): { valid: number[]; asBefore: number } {
  const wall = Date.UTC(year, month, day, hh, mm);
  // the zone's offset can only be one of those in force a day either side
  const offsets = new Set([localTime(timeZone, wall - DAY).offset, localTime(timeZone, wall).offset, localTime(timeZone, wall + DAY).offset]);
  const want = localTime('UTC', wall);
  const valid = [...offsets].map((o) => wall - o).filter((t) => {
    const lt = localTime(timeZone, t);
    return lt.date === want.date && lt.hhmm === want.hhmm;
  }).sort((a, b) => a - b);
  return { valid: [...new Set(valid)], asBefore: wall - localTime(timeZone, wall - DAY).offset };
}

/**
 * The first instant strictly after `after` at which the site's clock (`timeZone`) reads `time`
 * (HH:MM). A time the clock skips (spring forward) rings when the clock jumps past it, at the same
 * distance after the jump (02:30 in a 02:00→03:00 gap rings at 03:30); a time the clock shows
 * twice (autumn) rings the first time.
 */
export function nextWakeupAt(time: string, timeZone: string, after: number): number {
  const hhmm = normaliseWakeupTime(time);
  if (!hhmm) throw new RangeError(`not a time of day: "${time}"`);
  const hh = Number(hhmm.slice(0, 2));
  const mm = Number(hhmm.slice(3));
  const today = localTime(timeZone, after).date;
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  for (let k = 0; k <= 2; k++) {
    const { valid, asBefore } = instantsOf(timeZone, y, m - 1, d + k, hh, mm);
    // a day's ring is its first showing of the time: the second one of an autumn night is not another day
    const ring = valid[0] ?? asBefore;
    if (ring > after) return ring;
  }
  throw new RangeError(`no ${hhmm} within two days in "${timeZone}"`);
}
