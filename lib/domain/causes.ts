// The Q.850 hangup causes Asterisk reports on a leg that ended without being answered
// (ChannelDestroyed.cause), and what each means to the controller. The one list of them. Pure.

export const CAUSE = {
  /** the number does not exist (the dialplan's Hangup(1) for a number the site does not have) */
  UNALLOCATED: 1,
  NORMAL_CLEARING: 16,
  /** SIP 486 Busy Here, 600 Busy Everywhere */
  USER_BUSY: 17,
  /** rang until the timeout (SIP 408, 480 without answer) */
  NO_ANSWER: 19,
  /** the device is not registered or unreachable (SIP 480 / no contact) */
  SUBSCRIBER_ABSENT: 20,
  /** SIP 603 Decline, 403 */
  CALL_REJECTED: 21,
} as const;

/** why a rung leg ended without an answer, from its cause */
export type UnansweredReason = 'busy' | 'no-answer' | 'offline' | 'declined';

export function unansweredReason(cause: number): UnansweredReason {
  switch (cause) {
    case CAUSE.USER_BUSY: return 'busy';
    case CAUSE.NO_ANSWER: return 'no-answer';
    case CAUSE.SUBSCRIBER_ABSENT: return 'offline';
    default: return 'declined';
  }
}
