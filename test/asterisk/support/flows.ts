// Steps the flows of the real-Asterisk suite share: a caller answered by an attendant, and checks of
// what the caller and the sets saw on the wire.
import assert from 'node:assert/strict';
import type { ApiCall, PhoneName, Site } from './site.ts';
import { until } from './site.ts';
import { SippCaller, type CallerOptions } from './sipp.ts';
import { siteConfig } from './configs.ts';

export interface Answered {
  caller: SippCaller;
  call: ApiCall;
  /** when the set answered (ms epoch) */
  at: number;
}

/** a caller from the trunk, presented to `set` and answered there; the call is talking */
export async function answeredCall(s: Site, set: PhoneName, opts: CallerOptions = {}): Promise<Answered> {
  const t0 = Date.now();
  const before = s.phones[set].answered().length;
  const caller = await SippCaller.dial(opts);
  await until(`${set} answered the call from ${caller.number}`, () => s.phones[set].answered().length > before);
  const call = await s.callOf(caller.number);
  await s.callInState(call.id, 'talking');
  // the caller is answered as it is connected with the set: only then do both sides talk
  await until(`the caller ${caller.number} is connected`, () => caller.answeredAt() !== undefined);
  return { caller, call: (await s.call(call.id))!, at: Math.max(t0, s.phones[set].answered().at(-1)!.t) };
}

/** the caller is still connected (answered, nobody hung up) and its call still in the controller */
export async function assertCallerConnected(s: Site, a: Answered, why: string): Promise<void> {
  assert.ok(a.caller.connected(), `${why}: the caller is still in the call (hung up at ${a.caller.hungUpAt()}, released at ${a.caller.releasedAt()})`);
  assert.ok((await s.asterisk.channels()).some((c) => c.id === a.call.id), `${why}: the caller's channel is up in Asterisk`);
}

/**
 * A caller answered by att1 (the only member) and a consultation with extension `target` answered
 * there: the call is consulting. `t1` is when the consultation was asked for.
 */
export async function consultingCall(s: Site, target: '200' | '201'): Promise<{ a: Answered; t1: number }> {
  await s.startController(siteConfig({ members: ['att1'] }), ['att1']);
  const a = await answeredCall(s, 'att1');
  const t1 = Date.now();
  await s.api('POST', `/api/calls/${a.call.id}/consult`, { attendant: 'att1', target });
  await until(`${target} answers the consultation`, () => s.phones[`ext${target}`].answered(t1).length === 1);
  await s.callInState(a.call.id, 'consulting');
  // the set answering is not yet the controller seeing the answer (its StasisStart, the bridge move)
  await until('the controller sees the consultation answered', async () => (await s.call(a.call.id))?.consultAnswered === true);
  return { a, t1 };
}
