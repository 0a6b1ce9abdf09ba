// The call's state as a discriminated union on `state`: each variant carries exactly the fields that
// mean something in that state, and the pure transitions below are the only way from one state to
// the next. No I/O, no timers: the clock comes in as a number. A transition that does not fit the
// call's state throws a DomainError (as the attendant machine answers one), and the record it
// returns never keeps a field of the state it left (a held call's slot, a consultation's leg...).
import type { BridgeStay, CallState } from './model.ts';
import { CALL_STATES } from './model.ts';
import { DomainError } from './errors.ts';

/** What every call has, whatever its state. */
export interface CallBase {
  /** the caller's channel id: the call's identity across restarts */
  readonly id: string;
  callClass: string;
  priority: number;
  /** group whose queue holds the call */
  group: string;
  /** groups that also see the call (mutual help after overflow) */
  alsoGroups: string[];
  callerNumber: string;
  callerName: string;
  /** what the caller dialled (Stasis target) */
  target: string;
  arrivedAt: number;
  /** the first presentation to a set (kept: the statistics' and the console's) */
  presentedAt?: number;
  /** the latest answer by an attendant (a retrieve or a pickup answers again; the night bell answers a waiting call) */
  answeredAt?: number;
  /** the first answer: the wait (speed of answer) ends here */
  firstAnsweredAt?: number;
  /** attendant legs ringing for this call (ring-all rings several); empty in every state but `ringing` */
  ringingLegs: string[];
  /** attendants that did not answer this call (skipped on the next hunt); emptied by an answer */
  refusedBy: string[];
  overflowedFrom?: string;
  /** class dnd: the extension in do-not-disturb the caller tried, who set it and until when (ms epoch) */
  dndExtension?: string;
  dndBy?: string;
  dndUntil?: number;
  /** the caller's bridge stays, for holding and held time (statistics) */
  stays?: BridgeStay[];
  /** an operation failed half way and could not put the call back: why it needs the operator (shown on the console) */
  attention?: string;
}

/** class dnd: what a service knows of an arriving caller (the extension in do-not-disturb it tried, who set it, until when) */
export type DndFields = Partial<Pick<CallBase, 'dndExtension' | 'dndBy' | 'dndUntil'>>;

/** Queued in its group: in the group's holding bridge (music), or unanswered with ringback. */
export interface WaitingCall extends CallBase {
  state: 'waiting';
  /** the group's holding bridge the caller waits in (none with ringback) */
  waitBridge?: string;
  /** a call given back to the queue (recall of a park or a failed transfer) still waits in its own holding bridge */
  holdBridge?: string;
}

/** Presented: one or more sets ring. A held or parked call rung back keeps its slot until answered. */
export interface RingingCall extends CallBase {
  state: 'ringing';
  /** the one attendant presented to (absent when several sets ring) */
  attendant?: string;
  presentedAt: number;
  waitBridge?: string;
  holdBridge?: string;
  /** a retrieve or hold recall rings: the holder's slot, kept while it rings */
  slot?: number;
  /** a pickup or park recall rings: the park slot, kept while it rings */
  parkSlot?: number;
  heldAt?: number;
}

/** The caller with an attendant. Until the call bridge is made the caller is still where it waited. */
export interface TalkingCall extends CallBase {
  state: 'talking';
  attendant: string;
  /** the attendant's leg */
  leg: string;
  answeredAt: number;
  firstAnsweredAt: number;
  /** the mixing bridge of the conversation, once made */
  talkBridge?: string;
  /** where the caller waited before the call bridge was made */
  waitBridge?: string;
  /** a holding bridge the caller is still in (just retrieved, or brought back from a consultation that failed half way) */
  holdBridge?: string;
}

/** In one of the holding attendant's numbered slots, with music in a holding bridge of its own. */
export interface HeldCall extends CallBase {
  state: 'held';
  /** the attendant holding it */
  attendant: string;
  slot: number;
  heldAt: number;
  holdBridge: string;
}

/** In a shared park slot any position picks up from. */
export interface ParkedCall extends CallBase {
  state: 'parked';
  /** who parked it (the park recall rings this attendant) */
  attendant?: string;
  parkSlot: number;
  heldAt: number;
  holdBridge: string;
}

/**
 * Blind transfer: the caller waits with music while the number rings. Without `transferLeg` the
 * transfer is done (the target answered, or the attendant handed caller and third party over) and
 * the call is about to end as a completed transfer.
 */
export interface TransferringCall extends CallBase {
  state: 'transferring';
  /** the attendant who transferred (a failed transfer comes back to it) */
  attendant?: string;
  transferTarget: string;
  /** the controller's leg ringing the target, until it answers */
  transferLeg?: string;
  holdBridge?: string;
}

/** The attendant's side of a consultation or three-way: its leg stays in the call bridge. */
interface WithThirdParty extends CallBase {
  attendant: string;
  leg: string;
  answeredAt: number;
  firstAnsweredAt: number;
  talkBridge: string;
  /** the number called */
  consultTarget: string;
  /** the controller's leg to the third party */
  consultLeg: string;
  consultAnswered: boolean;
  /** the caller hung up: the attendant goes on with the third party */
  callerGone?: boolean;
}

/** Consultation (enquiry): the attendant calls a third party; one of the two waits with music. */
export interface ConsultingCall extends WithThirdParty {
  state: 'consulting';
  /** who is with the attendant in the call bridge (the other waits in `holdBridge`) */
  talkingTo: 'caller' | 'target';
  /** the bridge the other party waits in; none while a three-way rings (the caller stays with the attendant) or after the caller left */
  holdBridge?: string;
  /** three-way being set up: the third party joins the caller and the attendant as soon as it answers */
  joinOnAnswer?: boolean;
}

/** Three-way: caller, attendant and third party in the call bridge. */
export interface ConferenceCall extends WithThirdParty {
  state: 'conference';
}

/** Over: handed to the statistics and the log, then out of the store. */
export interface EndedCall extends CallBase {
  state: 'ended';
  /** the attendant it was last with (statistics per position) */
  attendant?: string;
  endedAt: number;
  endReason: string;
}

export type Call = WaitingCall | RingingCall | TalkingCall | HeldCall | ParkedCall | TransferringCall | ConsultingCall | ConferenceCall | EndedCall;
export type CallIn<S extends CallState> = Extract<Call, { state: S }>;

// ----- the fields of each state ---------------------------------------------------------------

const BASE_FIELDS = [
  'id', 'callClass', 'priority', 'group', 'alsoGroups', 'callerNumber', 'callerName', 'target', 'arrivedAt',
  'presentedAt', 'answeredAt', 'firstAnsweredAt', 'ringingLegs', 'refusedBy', 'overflowedFrom',
  'dndExtension', 'dndBy', 'dndUntil', 'stays', 'attention',
] as const satisfies ReadonlyArray<keyof CallBase>;

type OwnKeys<S extends CallState> = Exclude<keyof CallIn<S>, keyof CallBase | 'state'>;
const THIRD_PARTY = ['attendant', 'leg', 'talkBridge', 'consultTarget', 'consultLeg', 'consultAnswered', 'callerGone'] as const;

/** the fields a state adds to the base, each state's list checked against its type both ways (below) */
export const STATE_FIELDS = {
  waiting: ['waitBridge', 'holdBridge'],
  ringing: ['attendant', 'waitBridge', 'holdBridge', 'slot', 'parkSlot', 'heldAt'],
  talking: ['attendant', 'leg', 'talkBridge', 'waitBridge', 'holdBridge'],
  held: ['attendant', 'slot', 'heldAt', 'holdBridge'],
  parked: ['attendant', 'parkSlot', 'heldAt', 'holdBridge'],
  transferring: ['attendant', 'transferTarget', 'transferLeg', 'holdBridge'],
  consulting: [...THIRD_PARTY, 'talkingTo', 'holdBridge', 'joinOnAnswer'],
  conference: THIRD_PARTY,
  ended: ['attendant', 'endedAt', 'endReason'],
} as const satisfies { readonly [S in CallState]: ReadonlyArray<OwnKeys<S>> };

/** a field a variant declares and its list forgets would be dropped by every transition: this does not compile then */
type Unlisted = { [S in CallState]: Exclude<OwnKeys<S>, (typeof STATE_FIELDS)[S][number]> };
export type StateFieldsComplete = Unlisted extends { [S in CallState]: never } ? true : never;
export const STATE_FIELDS_COMPLETE: StateFieldsComplete = true;

/** the fields a record in `state` may carry, base included */
export function fieldsOf(state: CallState): ReadonlySet<string> {
  return FIELD_SETS[state];
}
const FIELD_SETS = Object.fromEntries(CALL_STATES.map((s) => [s, new Set<string>([...BASE_FIELDS, 'state', ...STATE_FIELDS[s]])])) as unknown as Record<CallState, ReadonlySet<string>>;

/** what must be there in each state (beyond the base), and of which kind */
const REQUIRED: { readonly [S in CallState]: ReadonlyArray<[string, 'string' | 'number' | 'boolean' | 'array']> } = {
  waiting: [],
  ringing: [['presentedAt', 'number'], ['ringingLegs', 'array']],
  talking: [['attendant', 'string'], ['leg', 'string'], ['answeredAt', 'number'], ['firstAnsweredAt', 'number']],
  held: [['attendant', 'string'], ['slot', 'number'], ['heldAt', 'number'], ['holdBridge', 'string']],
  parked: [['parkSlot', 'number'], ['heldAt', 'number'], ['holdBridge', 'string']],
  transferring: [['transferTarget', 'string']],
  consulting: [['attendant', 'string'], ['leg', 'string'], ['answeredAt', 'number'], ['firstAnsweredAt', 'number'], ['talkBridge', 'string'],
    ['consultTarget', 'string'], ['consultLeg', 'string'], ['consultAnswered', 'boolean'], ['talkingTo', 'string']],
  conference: [['attendant', 'string'], ['leg', 'string'], ['answeredAt', 'number'], ['firstAnsweredAt', 'number'], ['talkBridge', 'string'],
    ['consultTarget', 'string'], ['consultLeg', 'string'], ['consultAnswered', 'boolean']],
  ended: [['endedAt', 'number'], ['endReason', 'string']],
};

function kindOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : typeof v;
}

/** Copy the fields `state` allows (undefined ones left out), with `state` set. */
function shape<S extends CallState>(from: object, state: S, patch: object = {}): CallIn<S> {
  const allowed = FIELD_SETS[state];
  const src = { ...from, ...patch, state } as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) if (allowed.has(k) && src[k] !== undefined) out[k] = src[k];
  return out as unknown as CallIn<S>;
}

/** What is wrong with a record for its state; empty when it is a valid call. */
export function callInconsistencies(rec: object): string[] {
  const r = rec as Record<string, unknown>;
  const problems: string[] = [];
  const state = r.state as CallState;
  if (!CALL_STATES.includes(state)) return [`unknown state ${String(r.state)}`];
  for (const [field, kind] of REQUIRED[state]) if (kindOf(r[field]) !== kind) problems.push(`${state} without ${field}`);
  for (const k of Object.keys(r)) if (r[k] !== undefined && !FIELD_SETS[state].has(k)) problems.push(`${state} with ${k}`);
  if (state === 'ringing' && Array.isArray(r.ringingLegs) && r.ringingLegs.length === 0) problems.push('ringing without a leg');
  if (state !== 'ringing' && Array.isArray(r.ringingLegs) && r.ringingLegs.length > 0) problems.push(`${state} with ringing legs`);
  if (state === 'conference' && r.consultAnswered !== true) problems.push('conference with a third party that has not answered');
  if (state === 'consulting' && r.talkingTo !== undefined && r.talkingTo !== 'caller' && r.talkingTo !== 'target') problems.push(`talking to ${String(r.talkingTo)}`);
  return problems;
}

export function isValidCall(rec: object): rec is Call {
  return callInconsistencies(rec).length === 0;
}

export interface NormalizedCall {
  call: Call;
  /** fields the record carried that do not belong to its state, dropped */
  dropped: string[];
  /** why the record could not be made valid as it was (then it is a waiting call needing attention) */
  problems: string[];
}

/**
 * A record as stored by any version (the old bag: every field optional, some left behind by a state
 * the call has left) made into the union: fields that do not belong to the state are dropped. A record
 * that misses what its state needs (a talking call without its leg...) cannot be trusted as that state:
 * it is kept, never lost, as a waiting call flagged as needing attention, with why.
 */
export function normalizeCall(rec: object): NormalizedCall {
  const r = rec as Record<string, unknown>;
  const state = r.state as CallState;
  const known = CALL_STATES.includes(state);
  const base: Record<string, unknown> = { ...r };
  if (!Array.isArray(base.ringingLegs) || state !== 'ringing') base.ringingLegs = state === 'ringing' && Array.isArray(r.ringingLegs) ? r.ringingLegs : [];
  if (!Array.isArray(base.refusedBy)) base.refusedBy = [];
  // records written before the first answer was kept apart: the latest answer is the best known
  if (base.firstAnsweredAt === undefined && typeof base.answeredAt === 'number') base.firstAnsweredAt = base.answeredAt;
  if (!Array.isArray(base.alsoGroups)) base.alsoGroups = [];
  const dropped = Object.keys(r).filter((k) => r[k] !== undefined && (!known || !FIELD_SETS[state].has(k)) && k !== 'state');
  if (state !== 'ringing' && Array.isArray(r.ringingLegs) && r.ringingLegs.length > 0) dropped.push('ringingLegs');
  if (known) {
    const call = shape(base, state);
    const problems = callInconsistencies(call);
    if (problems.length === 0) return { call, dropped, problems };
    return { call: needsAttention(base, `stored as ${state} but ${problems.join(', ')}`), dropped, problems };
  }
  const problems = [`unknown state ${String(r.state)}`];
  return { call: needsAttention(base, problems[0]!), dropped, problems };
}

function needsAttention(base: Record<string, unknown>, why: string): WaitingCall {
  return shape(base, 'waiting', { ringingLegs: [], attention: why });
}

// ----- the transitions ------------------------------------------------------------------------

function invalid(call: { id: string; state: string }, transition: string): DomainError {
  return new DomainError('invalid_transition', `call ${call.id}: ${transition} is not allowed while ${call.state}`, {
    call: call.id, state: call.state, event: transition,
  });
}

function expect<S extends CallState>(call: Call, transition: string, ...states: S[]): CallIn<S> {
  if (!(states as CallState[]).includes(call.state)) throw invalid(call, transition);
  return call as CallIn<S>;
}

/** the states of a call waiting for an attendant (queued, ringing, held, parked, a transfer coming back): it may be presented */
const AWAITING = ['waiting', 'ringing', 'held', 'parked', 'transferring'] as const;
export type AwaitingCall = CallIn<(typeof AWAITING)[number]>;

export function awaitsAttendant(call: Call): call is AwaitingCall {
  return (AWAITING as readonly CallState[]).includes(call.state);
}

/** A new caller, queued in `group`. */
export function newCall(init: Pick<CallBase, 'id' | 'callClass' | 'priority' | 'group' | 'callerNumber' | 'callerName' | 'target' | 'arrivedAt'>
  & Partial<Pick<WaitingCall, 'waitBridge' | 'dndExtension' | 'dndBy' | 'dndUntil'>>): WaitingCall {
  return shape({ alsoGroups: [], ringingLegs: [], refusedBy: [], ...init }, 'waiting');
}

/**
 * Present to one or more sets (their legs): from the queue, or a held, parked or transferred call
 * rung back. `attendant` is the one presented to when a single set rings.
 */
export function present(call: Call, p: { legs: readonly string[]; attendant?: string; clearRefusals?: boolean }, now: number): RingingCall {
  const from = expect(call, 'present', ...AWAITING);
  if (!p.legs.length) throw invalid(call, 'present without a leg');
  const ringingLegs = from.state === 'ringing' ? [...from.ringingLegs, ...p.legs] : [...p.legs];
  return shape(from, 'ringing', {
    presentedAt: from.presentedAt ?? now,
    ringingLegs,
    refusedBy: p.clearRefusals ? [] : from.refusedBy,
    attendant: p.attendant ?? (from.state === 'ringing' ? from.attendant : undefined),
  });
}

/**
 * One ringing leg ended unanswered (`attendant` did not take it). With legs still ringing the call
 * stays ringing; otherwise it is back where it came from: held or parked in its slot (the holder,
 * the parker, kept by whoever rang it), else waiting in the queue with `attendant` skipped next time.
 */
export function presentationEnded(call: RingingCall, leg: string, attendant: string): RingingCall | WaitingCall {
  expect(call, 'presentationEnded', 'ringing');
  const ringingLegs = call.ringingLegs.filter((l) => l !== leg);
  const refusedBy = call.refusedBy.includes(attendant) ? call.refusedBy : [...call.refusedBy, attendant];
  if (ringingLegs.length) return shape(call, 'ringing', { ringingLegs, refusedBy });
  return shape(call, 'waiting', { ringingLegs: [], refusedBy });
}

/**
 * The presentations are withdrawn without anyone refusing (a previous run's legs after a restart): a
 * held or parked call rung back goes back to its slot, any other call waits in the queue again.
 */
export function withdraw(call: RingingCall): WaitingCall | HeldCall | ParkedCall {
  expect(call, 'withdraw', 'ringing');
  const slotKept = call.heldAt !== undefined && call.holdBridge !== undefined;
  if (slotKept && call.slot !== undefined && call.attendant !== undefined) return shape(call, 'held', { ringingLegs: [] });
  if (slotKept && call.parkSlot !== undefined) return shape(call, 'parked', { ringingLegs: [] });
  return shape(call, 'waiting', { ringingLegs: [] });
}

/** A held or parked call rung back and not answered: back in its slot. `attendant` holds (or parked) it. */
export function backToSlot(call: RingingCall, attendant: string | undefined): HeldCall | ParkedCall {
  expect(call, 'backToSlot', 'ringing');
  if (call.slot !== undefined && call.heldAt !== undefined && call.holdBridge !== undefined && attendant !== undefined) {
    return shape(call, 'held', { ringingLegs: [], attendant });
  }
  if (call.parkSlot !== undefined && call.heldAt !== undefined && call.holdBridge !== undefined) {
    return shape(call, 'parked', { ringingLegs: [], attendant });
  }
  throw invalid(call, 'backToSlot without a slot');
}

/** The set answered on `leg`: the caller talks with `attendant`; a held call leaves its slot. */
export function answer(call: RingingCall, attendant: string, leg: string, now: number): TalkingCall {
  expect(call, 'answer', 'ringing');
  return shape(call, 'talking', {
    attendant, leg, answeredAt: now, firstAnsweredAt: call.firstAnsweredAt ?? now, ringingLegs: [], refusedBy: [],
  });
}

/** Caller and attendant are in the call bridge: where the caller waited before is done. */
export function bridged(call: TalkingCall, talkBridge: string): TalkingCall {
  expect(call, 'bridged', 'talking');
  return shape(call, 'talking', { talkBridge, waitBridge: undefined, holdBridge: undefined });
}

/** Put on hold in the attendant's `slot`: the caller waits in `holdBridge`, the attendant's leg goes. */
export function hold(call: TalkingCall, p: { slot: number; holdBridge: string }, now: number): HeldCall {
  expect(call, 'hold', 'talking');
  return shape(call, 'held', { slot: p.slot, holdBridge: p.holdBridge, heldAt: now });
}

/** Parked in the shared `parkSlot`; `attendant` stays as who parked it. */
export function park(call: TalkingCall, p: { parkSlot: number; holdBridge: string }, now: number): ParkedCall {
  expect(call, 'park', 'talking');
  return shape(call, 'parked', { parkSlot: p.parkSlot, holdBridge: p.holdBridge, heldAt: now });
}

/** Blind transfer: the caller waits in `holdBridge` while `transferLeg` rings `transferTarget`. */
export function startTransfer(call: TalkingCall, p: { transferTarget: string; transferLeg: string; holdBridge: string }): TransferringCall {
  expect(call, 'startTransfer', 'talking');
  return shape(call, 'transferring', { transferTarget: p.transferTarget, transferLeg: p.transferLeg, holdBridge: p.holdBridge });
}

/** Transfer on ringing: the consultation still rings, its leg becomes the transfer's. */
export function transferOnRinging(call: ConsultingCall): TransferringCall {
  expect(call, 'transferOnRinging', 'consulting');
  if (call.consultAnswered) throw invalid(call, 'transferOnRinging after the third party answered');
  return shape(call, 'transferring', { transferTarget: call.consultTarget, transferLeg: call.consultLeg });
}

/**
 * Handed over: the transfer target answered, or the attendant left caller and third party together.
 * The record no longer names the attendant's leg, the bridges or the third party's leg (finishing the
 * call leaves them alone); it ends as a completed transfer next.
 */
export function handedOver(call: TransferringCall | ConsultingCall | ConferenceCall): TransferringCall {
  const from = expect(call, 'handedOver', 'transferring', 'consulting', 'conference');
  const transferTarget = from.state === 'transferring' ? from.transferTarget : from.consultTarget;
  return shape({ ...from, holdBridge: from.state === 'transferring' ? from.holdBridge : undefined }, 'transferring', { transferTarget, transferLeg: undefined });
}

/** The transfer target did not take the call: the caller waits again in its group (class `recall`) in its holding bridge. */
export function requeue(call: RingingCall | HeldCall | ParkedCall | TransferringCall, cls: { id: string; priority: number }): WaitingCall {
  expect(call, 'requeue', 'ringing', 'held', 'parked', 'transferring');
  return shape(call, 'waiting', { callClass: cls.id, priority: cls.priority, ringingLegs: [], refusedBy: [] });
}

/**
 * Overflow to group `to`. With mutual help the call stays in its own queue and `to` sees it too;
 * otherwise it moves there and waits (a presentation in its first group stops).
 */
export function overflow(call: WaitingCall | RingingCall, to: string, mutualHelp: boolean): WaitingCall | RingingCall {
  const from = expect(call, 'overflow', 'waiting', 'ringing');
  if (mutualHelp) return shape(from, from.state, { alsoGroups: [...new Set([...from.alsoGroups, to])], overflowedFrom: from.group });
  return shape(from, 'waiting', { group: to, overflowedFrom: from.group, ringingLegs: [] });
}

/** Consultation: the caller waits in `holdBridge` while `consultLeg` rings the third party. */
export function startConsult(call: TalkingCall, p: { consultTarget: string; consultLeg: string; holdBridge: string }): ConsultingCall {
  const from = expect(call, 'startConsult', 'talking');
  if (!from.talkBridge) throw invalid(call, 'startConsult before the call bridge');
  return shape(from, 'consulting', { ...p, consultAnswered: false, talkingTo: 'target' });
}

/** Three-way from a conversation: the caller stays with the attendant, the third party joins on answer. */
export function startThreeWay(call: TalkingCall, p: { consultTarget: string; consultLeg: string }): ConsultingCall {
  const from = expect(call, 'startThreeWay', 'talking');
  if (!from.talkBridge) throw invalid(call, 'startThreeWay before the call bridge');
  return shape(from, 'consulting', { ...p, consultAnswered: false, talkingTo: 'caller', joinOnAnswer: true, holdBridge: undefined });
}

/** The third party answered and is in the call bridge: a three-way being set up becomes one. */
export function consultAnswered(call: ConsultingCall): ConsultingCall | ConferenceCall {
  expect(call, 'consultAnswered', 'consulting');
  if (call.joinOnAnswer) return shape(call, 'conference', { consultAnswered: true });
  return shape(call, 'consulting', { consultAnswered: true });
}

/** Swap: the party on hold talks with the attendant, the other waits. */
export function swap(call: ConsultingCall): ConsultingCall {
  expect(call, 'swap', 'consulting');
  if (!call.consultAnswered || !call.holdBridge || call.callerGone) throw invalid(call, 'swap without two parties');
  return shape(call, 'consulting', { talkingTo: call.talkingTo === 'target' ? 'caller' : 'target' });
}

/** The held party joins the call bridge: caller, attendant and third party together. */
export function join(call: ConsultingCall): ConferenceCall {
  expect(call, 'join', 'consulting');
  if (!call.consultAnswered) throw invalid(call, 'join before the third party answered');
  return shape(call, 'conference');
}

/** Split a three-way: `talkingTo` stays with the attendant, the other waits in `holdBridge`. */
export function split(call: ConferenceCall, p: { talkingTo: 'caller' | 'target'; holdBridge: string }): ConsultingCall {
  expect(call, 'split', 'conference');
  if (call.callerGone) throw invalid(call, 'split after the caller left');
  return shape(call, 'consulting', p);
}

/** The third party is gone (hung up, busy, no answer, cancelled): the attendant is back with the caller. */
export function consultEnded(call: ConsultingCall | ConferenceCall, p: { keepHoldBridge?: string } = {}): TalkingCall {
  expect(call, 'consultEnded', 'consulting', 'conference');
  if (call.callerGone) throw invalid(call, 'consultEnded after the caller left');
  return shape(call, 'talking', { holdBridge: p.keepHoldBridge });
}

/** The caller hung up during a consultation or three-way: the attendant goes on with the third party. */
export function callerLeftConsult(call: ConsultingCall | ConferenceCall): ConsultingCall {
  expect(call, 'callerLeftConsult', 'consulting', 'conference');
  if (!call.consultAnswered) throw invalid(call, 'callerLeftConsult before the third party answered');
  return shape(call, 'consulting', { talkingTo: 'target', callerGone: true, joinOnAnswer: undefined, holdBridge: undefined });
}

/** The call is over: only its history stays (who it was last with, the answers, the stays). */
export function end(call: Call, reason: string, now: number): EndedCall {
  expect(call, 'end', 'waiting', 'ringing', 'talking', 'held', 'parked', 'transferring', 'consulting', 'conference');
  return shape(call, 'ended', { endedAt: now, endReason: reason, ringingLegs: [] });
}

/** Flag the call as needing the operator (or clear the flag with undefined), whatever its state. */
export function withAttention<C extends Call>(call: C, why: string | undefined): C {
  return shape(call, call.state, { attention: why }) as C;
}

// ----- what is asked of a call whatever its state ------------------------------------------------

/** the attendant the call is with, presented to, held or parked by, or transferred by; none while it waits or rings at several sets */
export function attendantOf(call: Call): string | undefined {
  return 'attendant' in call ? call.attendant : undefined;
}

/** the attendant's own leg while it is in the conversation (talking, consulting, three-way) */
export function attendantLegOf(call: Call): string | undefined {
  return 'leg' in call ? call.leg : undefined;
}

/** the mixing bridge of the conversation with the attendant */
export function talkBridgeOf(call: Call): string | undefined {
  return 'talkBridge' in call ? call.talkBridge : undefined;
}

/** a holding bridge of the call's own the caller (or, consulting, the party on hold) waits in */
export function holdBridgeOf(call: Call): string | undefined {
  return 'holdBridge' in call ? call.holdBridge : undefined;
}

/** the group's holding bridge the caller waits in */
export function waitBridgeOf(call: Call): string | undefined {
  return 'waitBridge' in call ? call.waitBridge : undefined;
}

/** the third party's leg of a consultation or three-way */
export function consultLegOf(call: Call): string | undefined {
  return call.state === 'consulting' || call.state === 'conference' ? call.consultLeg : undefined;
}

/** the number a consultation or three-way called */
export function consultTargetOf(call: Call): string | undefined {
  return call.state === 'consulting' || call.state === 'conference' ? call.consultTarget : undefined;
}

/** the leg ringing a blind transfer's target */
export function transferLegOf(call: Call): string | undefined {
  return call.state === 'transferring' ? call.transferLeg : undefined;
}

/** the caller hung up during a consultation or three-way (the attendant goes on with the third party) */
export function callerGone(call: Call): boolean {
  return (call.state === 'consulting' || call.state === 'conference') && call.callerGone === true;
}

/** the hold slot (held, or ringing back to its holder) */
export function holdSlotOf(call: Call): number | undefined {
  return call.state === 'held' || call.state === 'ringing' ? call.slot : undefined;
}

/** the park slot (parked, or ringing at whoever picks it up) */
export function parkSlotOf(call: Call): number | undefined {
  return call.state === 'parked' || call.state === 'ringing' ? call.parkSlot : undefined;
}
