// A point in time as an admin types it, read the same way by the CLI (--from / --to) and the API
// (?from= / ?to=): ms since the epoch, a date (midnight UTC), or an ISO 8601 date-time to the minute
// or finer with Z or an offset (2026-11-23T08:00Z). A time without a zone is refused: read on the
// controller's clock it would silently mean another hour than the one meant.
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

export const TIME_ARG_FORMS = 'ms since the epoch, YYYY-MM-DD, or an ISO 8601 date-time with Z or an offset (2026-11-23T08:00Z)';

/** the time in ms, or undefined when the text is none of the accepted forms */
export function parseTimeArg(text: string): number | undefined {
  const s = text.trim();
  if (/^\d{1,15}$/.test(s)) return Number(s);
  if (!DATE.test(s) && !DATE_TIME.test(s)) return undefined;
  const t = Date.parse(DATE.test(s) ? `${s}T00:00:00Z` : s);
  return Number.isNaN(t) ? undefined : t;
}
