// The time window of the commands that read the store (`stats`, `queue-log`): --from / --to as ISO
// date-times, the last 24 hours by default.
import { parseTimeArg, TIME_ARG_FORMS } from '../time-arg.ts';

export const DAY_MS = 86_400_000;

/** the window, or the problem in words */
export function parseWindow(fromArg: string | undefined, toArg: string | undefined, now: number): { from: number; to: number } | string {
  const parse = (flag: string, value: string | undefined, fallback: number): number | string => {
    if (value === undefined) return fallback;
    const t = parseTimeArg(value);
    return t === undefined ? `--${flag}: not a date/time: ${value} (${TIME_ARG_FORMS})` : t;
  };
  const to = parse('to', toArg, now);
  if (typeof to === 'string') return to;
  const from = parse('from', fromArg, to - DAY_MS);
  if (typeof from === 'string') return from;
  return { from, to };
}
