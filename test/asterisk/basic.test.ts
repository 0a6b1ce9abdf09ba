// The simplest flow on the real Asterisk: a caller from the trunk rings an idle set, the set answers,
// they talk, and whoever hangs up releases the other.
import assert from 'node:assert/strict';
import { site } from './support/hooks.ts';
import { siteConfig } from './support/configs.ts';
import { SippCaller } from './support/sipp.ts';
import { until } from './support/site.ts';

describe('real Asterisk: a call answered by an attendant', () => {
  it('given one idle attendant, when a caller dials in, then the set rings, answers, and the caller\'s hang-up releases the set', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'] }), ['att1']);
    const t0 = Date.now();
    const caller = await SippCaller.dial({ talkMs: 3000 });
    await until('att1 is offered the call', () => s.phones.att1.offers(t0).length === 1);
    await until('att1 answered', () => s.phones.att1.answered(t0).length === 1);
    const call = await s.callOf(caller.number);
    await s.callInState(call.id, 'talking');
    assert.equal(await caller.finished(), 0, 'the caller\'s SIPp call succeeded');
    await until('att1 is released (BYE from Asterisk)', () => s.phones.att1.byes('in', t0).length === 1);
    await until('the call left the controller', async () => (await s.call(call.id)) === undefined);
    assert.equal((await s.attendant('att1')).state, 'idle');
  });
});
