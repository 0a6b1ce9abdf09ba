// Typed errors of the pure domain. The API maps `code` to an HTTP status; nobody matches on message text.

export const DOMAIN_ERROR_CODES = [
  /** the event does not apply to the attendant's current state (present to a busy set, answer while idle...) */
  'invalid_transition',
  /** the event names a call other than the one the attendant is presented or handling */
  'wrong_call',
  /** markAbsent before the absent timer has run out (or with no unanswered presentation) */
  'not_due',
  /** login of an attendant that is already logged in */
  'already_logged_in',
  /** a schedule that cannot be evaluated (unknown time zone slipped past the config check) */
  'invalid_schedule',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    /** facts for the log line: attendant id, state, event type, call ids */
    readonly details: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
