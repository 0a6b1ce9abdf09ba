// What the phone's handlers share: the switchboard's keys and operations, the sets, the feedback.
import type { AttendantEvent } from '../../domain/attendant.ts';
import type { AttendantRecord, Mode } from '../../domain/model.ts';
import type { ConferenceCall, ConsultingCall, TalkingCall } from '../../domain/call.ts';
import type { CallContext } from '../context.ts';
import type { Operations } from '../operations-port.ts';
import type { Presenter } from '../presenter.ts';
import type { Feedback } from './feedback.ts';
import type { AttendantSets } from './sets.ts';

/** the switchboard's attendant keys: the same ones the console's API calls */
export interface PhoneDesk {
  login(id: string): Promise<AttendantRecord>;
  attendantAction(id: string, ev: AttendantEvent): Promise<AttendantRecord>;
  setGroupOverride(groupId: string, mode: Mode | undefined, by?: string): Promise<void>;
}

export interface PhoneOperations extends Operations {
  blindTransfer(attendantId: string, callId: string, target: string, accepted?: () => Promise<void>): Promise<void>;
}

export interface PhoneDeps {
  ctx: CallContext;
  ops: PhoneOperations;
  presenter: Presenter;
  desk: PhoneDesk;
  sets: AttendantSets;
  feedback: Feedback;
}

/** the call an attendant handles on this leg; a caller's own channel is never one */
export function callOfLeg(ctx: CallContext, leg: string): TalkingCall | ConsultingCall | ConferenceCall | undefined {
  for (const c of ctx.ledger.calls.values()) {
    if ((c.state === 'talking' || c.state === 'consulting' || c.state === 'conference') && c.leg === leg) return c;
  }
  return undefined;
}
