// Pure: the counter increments one ledger batch stands for, read from its action-log lines. The
// batch observer (wire.ts) feeds every batch through here once, before it is written, so a call is
// counted once per event whatever happens to the store afterwards.
import type { CallRecord, LogEntryInput } from '../domain/model.ts';

/** the call counters, by the name of their family without `attendant_calls_` and `_total` */
export type CallCounter = 'offered' | 'presented' | 'answered' | 'abandoned' | 'overflowed' | 'diverted';

export interface CounterIncrement {
  counter: CallCounter;
  /** `diverted` has no group (the line does not say which group the call was for): `reason` instead */
  group: string;
  class: string;
  /** diverted only: why the table sent the call away (mode of the table, all-unplugged, queue-full) */
  reason?: string;
}

/** an answered call's wait (arrival → first answer), for the service-level histogram */
export interface AnsweredWait {
  group: string;
  seconds: number;
}

export interface BatchCounts {
  increments: CounterIncrement[];
  answeredWaits: AnsweredWait[];
}

/** label values stay within what the configuration names: anything else is `other` */
export const OTHER = 'other';

/** why an arriving call is diverted (lib/domain/table.ts RouteReason) */
export const DIVERT_REASONS: ReadonlySet<string> = new Set(['day', 'night', 'mode1', 'mode2', 'all-unplugged', 'queue-full']);

export interface LabelBounds {
  groups: ReadonlySet<string>;
  classes: ReadonlySet<string>;
}

export function boundedLabel(value: string | undefined, allowed: ReadonlySet<string>): string {
  return value !== undefined && allowed.has(value) ? value : OTHER;
}

/** what the mapping needs of a call record */
export type CallView = Pick<CallRecord, 'group' | 'callClass' | 'firstAnsweredAt'>;

/**
 * The counter increments of a batch's log lines.
 * - `arrive` `queue:<group>` → offered (group, class from the line); `divert:<reason>` → diverted
 *   (by class and reason; group is `other`: the line does not name the group the call was for);
 * - `present` → presented once per presentation, whatever the number of sets rung (a ring-all to five
 *   sets is one), again each time the call is presented anew (after no answer, a recall, a retrieve);
 * - `answer` → answered, only the call's first answer (its record's `firstAnsweredAt` is this line's
 *   time: a retrieve or a pickup answers again but is not a new call); its wait goes to the histogram;
 * - `end` `abandoned` → abandoned;
 * - `overflow` → overflowed, counted for the group it left (`detail.from`).
 * `callOf` finds the call's record: the batch's own (a deleted call is there as it ended), else memory.
 */
export function countBatch(entries: readonly LogEntryInput[], callOf: (callId: string) => CallView | undefined, bounds: LabelBounds): BatchCounts {
  const increments: CounterIncrement[] = [];
  const answeredWaits: AnsweredWait[] = [];
  const group = (g: string | undefined) => boundedLabel(g, bounds.groups);
  const cls = (c: string | undefined) => boundedLabel(c, bounds.classes);
  for (const e of entries) {
    const call = e.callId !== undefined ? callOf(e.callId) : undefined;
    switch (e.action) {
      case 'arrive': {
        const c = cls(e.detail?.class ?? call?.callClass);
        if (e.result.startsWith('queue:')) increments.push({ counter: 'offered', group: group(e.result.slice('queue:'.length)), class: c });
        else if (e.result.startsWith('divert:')) increments.push({ counter: 'diverted', group: OTHER, class: c, reason: boundedLabel(e.result.slice('divert:'.length), DIVERT_REASONS) });
        break;
      }
      case 'present':
        increments.push({ counter: 'presented', group: group(e.detail?.group ?? call?.group), class: cls(call?.callClass) });
        break;
      case 'answer': {
        if (!call || call.firstAnsweredAt !== e.time) break;
        const g = group(call.group);
        increments.push({ counter: 'answered', group: g, class: cls(call.callClass) });
        const waitedMs = Number(e.detail?.waitedMs);
        if (Number.isFinite(waitedMs) && waitedMs >= 0) answeredWaits.push({ group: g, seconds: waitedMs / 1000 });
        break;
      }
      case 'end':
        if (e.result === 'abandoned') increments.push({ counter: 'abandoned', group: group(call?.group), class: cls(call?.callClass) });
        break;
      case 'overflow':
        increments.push({ counter: 'overflowed', group: group(e.detail?.from ?? call?.group), class: cls(call?.callClass) });
        break;
      default:
        break;
    }
  }
  return { increments, answeredWaits };
}
