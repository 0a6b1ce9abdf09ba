// Attendant groups: the group's state from its members, and hunting — choosing whom a waiting call rings.
import type { Strategy } from '../config.ts';
import type { AttendantRecord, GroupState } from './model.ts';

/** Serving a call from this group: logged in to it (when the caller tracks groups) — or no group given. */
function servesGroup(att: AttendantRecord, groupId: string | undefined): boolean {
  return groupId === undefined || att.groups.includes(groupId);
}

/**
 * The group's state from its members' states:
 * - in-service: at least one member idle, ringing or busy (someone is working);
 * - absent: nobody working, but at least one member absent or in DND — logged in, not answering,
 *   and back with one key press. DND counts here, not as in service: a group whose only members
 *   refuse calls would queue callers for nobody;
 * - unplugged: every member unplugged (logged out or offline), and a group without members.
 * With `groupId`, a member logged in only to other groups counts as unplugged here.
 */
export function groupState(members: readonly AttendantRecord[], groupId?: string): GroupState {
  let away = false;
  for (const att of members) {
    if (!servesGroup(att, groupId)) continue;
    if (att.state === 'idle' || att.state === 'ringing' || att.state === 'busy') return 'in-service';
    if (att.state === 'absent' || att.state === 'dnd') away = true;
  }
  return away ? 'absent' : 'unplugged';
}

/** The records of a group's members in config order, skipping ids without a record. */
export function groupMembers(memberIds: readonly string[], attendants: Pick<ReadonlyMap<string, AttendantRecord>, 'get'>): AttendantRecord[] {
  const out: AttendantRecord[] = [];
  for (const id of memberIds) {
    const att = attendants.get(id);
    if (att) out.push(att);
  }
  return out;
}

export interface HuntInput {
  strategy: Strategy;
  /** member ids in config order */
  members: readonly string[];
  attendants: ReadonlyMap<string, AttendantRecord>;
  /** round-robin: index in `members` of the last attendant presented; -1 before the first */
  rrCursor: number;
  /** attendants that already refused (did not answer) this call */
  exclude: ReadonlySet<string>;
  /** attendants that may not be rung for any call now (a set that just answered busy): never cleared by a retry */
  unavailable?: ReadonlySet<string>;
  /** uniform in [0, 1), seeded by the caller so a hunt can be replayed */
  random: () => number;
  /** when set, only attendants logged in to this group (their `groups`) are eligible */
  group?: string;
}

export interface HuntResult {
  /** attendants to ring, in the order to present; empty when nobody is eligible */
  targets: string[];
  /** the cursor to store on the group (changes only with round-robin) */
  rrCursor: number;
}

interface Candidate {
  id: string;
  /** position in the member list */
  index: number;
  att: AttendantRecord;
}

function eligible(input: HuntInput, exclude: ReadonlySet<string>): Candidate[] {
  const out: Candidate[] = [];
  input.members.forEach((id, index) => {
    const att = input.attendants.get(id);
    if (att && att.state === 'idle' && !exclude.has(id) && !input.unavailable?.has(id) && servesGroup(att, input.group)) out.push({ id, index, att });
  });
  return out;
}

/** Whether any member could be rung now (idle, serving the group), whatever the call: hunting is pointless otherwise. */
export function anyEligible(input: Pick<HuntInput, 'members' | 'attendants' | 'group' | 'unavailable'>): boolean {
  return input.members.some((id) => {
    const att = input.attendants.get(id);
    return att !== undefined && att.state === 'idle' && !input.unavailable?.has(id) && servesGroup(att, input.group);
  });
}

/**
 * How long a set that refused a presentation (SIP busy, decline, a failed ring) is left alone: `baseMs`
 * after the first refusal, doubled for each refusal in a row, at most 12 times `baseMs`. Pure.
 */
export function refusalBackoffMs(refusalsInARow: number, baseMs: number): number {
  if (!(refusalsInARow >= 1)) return 0;
  return Math.min(baseMs * 2 ** Math.min(refusalsInARow - 1, 16), baseMs * 12);
}

/** The first candidate that `better` prefers over every other; ties keep the earlier (member order). */
function best(cands: readonly Candidate[], better: (a: Candidate, b: Candidate) => boolean): Candidate | undefined {
  let pick: Candidate | undefined;
  for (const c of cands) if (!pick || better(c, pick)) pick = c;
  return pick;
}

function huntAmong(input: HuntInput, cands: readonly Candidate[]): HuntResult {
  const keep = input.rrCursor;
  const one = (c: Candidate | undefined): HuntResult => ({ targets: c ? [c.id] : [], rrCursor: keep });
  if (cands.length === 0) return { targets: [], rrCursor: keep };
  switch (input.strategy) {
    // group call: every free member rings at once, the first to answer takes the call
    case 'ring-all':
      return { targets: cands.map((c) => c.id), rrCursor: keep };
    // statistical call distribution (Alcatel): the idle timer since the end of the last call decides
    case 'longest-idle':
      return one(best(cands, (a, b) => a.att.idleSince < b.att.idleSince));
    case 'linear':
      return one(cands[0]);
    case 'fewest-calls':
      return one(best(cands, (a, b) => a.att.callsTaken < b.att.callsTaken
        || (a.att.callsTaken === b.att.callsTaken && a.att.idleSince < b.att.idleSince)));
    case 'random': {
      const r = input.random();
      const i = Math.min(cands.length - 1, Math.max(0, Math.floor((Number.isFinite(r) ? r : 0) * cands.length)));
      return one(cands[i]);
    }
    case 'round-robin': {
      const n = input.members.length;
      // a cursor left over from a longer member list (config reload) starts over at the first member
      const last = Number.isInteger(keep) && keep >= -1 && keep < n ? keep : -1;
      const start = (last + 1) % n;
      const pick = best(cands, (a, b) => (a.index - start + n) % n < (b.index - start + n) % n);
      return pick ? { targets: [pick.id], rrCursor: pick.index } : { targets: [], rrCursor: keep };
    }
  }
}

/**
 * Choose whom to ring for a waiting call. Only idle members that have not refused this call are
 * eligible; ties go to member (config) order. Pure: time and randomness come in with the input.
 */
export function hunt(input: HuntInput): HuntResult {
  return huntAmong(input, eligible(input, input.exclude));
}

/**
 * hunt(), and when every idle member has already refused the call, hunt again as if none had:
 * a caller is better presented again to the same attendants than left waiting for nobody.
 * `exclusionsCleared` tells the caller to clear the call's `refusedBy`.
 */
export function huntWithRetry(input: HuntInput): HuntResult & { exclusionsCleared: boolean } {
  const first = hunt(input);
  if (first.targets.length > 0 || input.exclude.size === 0) return { ...first, exclusionsCleared: false };
  const cands = eligible(input, new Set());
  if (cands.length === 0) return { ...first, exclusionsCleared: false };
  return { ...huntAmong(input, cands), exclusionsCleared: true };
}
