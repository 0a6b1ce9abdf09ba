// Attendant operations on the real Asterisk, judged from the SIP side: the caller stays connected
// through hold, park and a transfer that comes back; a transfer rings the phone behind the extension.
import assert from 'node:assert/strict';
import { site } from './support/hooks.ts';
import { siteConfig } from './support/configs.ts';
import { answeredCall, assertCallerConnected } from './support/flows.ts';
import { sleep, until } from './support/site.ts';

describe('real Asterisk: hold, park and transfer', () => {
  it('given a talking call, when the attendant holds it and retrieves it, then the caller stays connected and talks to the set again', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'] }), ['att1']);
    const a = await answeredCall(s, 'att1');
    const held = await s.api<{ slot: number }>('POST', `/api/calls/${a.call.id}/hold`, { attendant: 'att1' });
    await s.callInState(a.call.id, 'held');
    await until('the set\'s leg is released', () => s.phones.att1.byes('in', a.at).length === 1);
    await sleep(500);
    await assertCallerConnected(s, a, 'on hold');
    const t1 = Date.now();
    await s.api('POST', `/api/hold/${held.body.slot}/retrieve`, { attendant: 'att1' });
    await until('the set is rung again and answers', () => s.phones.att1.answered(t1).length === 1);
    await s.callInState(a.call.id, 'talking');
    await sleep(1000);
    await assertCallerConnected(s, a, 'after the retrieve');
    assert.equal((await s.call(a.call.id))?.attendant, 'att1');
  });

  it('given a talking call, when the attendant parks it and another attendant picks it up, then the caller stays connected', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1', 'att2'], strategy: 'linear' }), ['att1', 'att2']);
    const a = await answeredCall(s, 'att1');
    const parked = await s.api<{ slot: number }>('POST', `/api/calls/${a.call.id}/park`, { attendant: 'att1' });
    await s.callInState(a.call.id, 'parked');
    await sleep(500);
    await assertCallerConnected(s, a, 'parked');
    const t1 = Date.now();
    await s.api('POST', `/api/park/${parked.body.slot}/pickup`, { attendant: 'att2' });
    await until('att2 is rung and answers', () => s.phones.att2.answered(t1).length === 1);
    await s.callInState(a.call.id, 'talking');
    await sleep(1000);
    await assertCallerConnected(s, a, 'after the pickup');
    assert.equal((await s.call(a.call.id))?.attendant, 'att2');
  });

  it('given a talking call, when the attendant transfers it to 200, then the phone behind extension 200 rings and answers, and the caller talks to it', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'] }), ['att1']);
    const a = await answeredCall(s, 'att1');
    const t1 = Date.now();
    await s.api('POST', `/api/calls/${a.call.id}/transfer`, { attendant: 'att1', target: '200' });
    await until('ext200 is offered the call', () => s.phones.ext200.offers(t1).length === 1);
    await until('ext200 answered', () => s.phones.ext200.answered(t1).length === 1);
    await until('the call is handed over', async () => (await s.call(a.call.id)) === undefined);
    await sleep(500);
    assert.ok(a.caller.connected(), 'the caller is connected to 200');
    assert.equal(s.phones.ext200.activeCalls().length, 1, 'ext200 is in the call');
    assert.equal((await s.attendant('att1')).state, 'idle');
  });

  for (const behaviour of [{ kind: 'busy' as const }, { kind: 'ringing' as const }]) {
    it(`given a blind transfer to 200 that is ${behaviour.kind === 'busy' ? 'busy' : 'not answered'}, then the call comes back to the attendant and the caller stays connected`, async () => {
      const s = site();
      await s.startController(siteConfig({ members: ['att1'], recall: 4 }), ['att1']);
      await s.phone('ext200', behaviour);
      const a = await answeredCall(s, 'att1');
      const t1 = Date.now();
      await s.api('POST', `/api/calls/${a.call.id}/transfer`, { attendant: 'att1', target: '200' });
      await until('ext200 is offered the call', () => s.phones.ext200.offers(t1).length === 1);
      await until('the recall rings att1 again and it answers', () => s.phones.att1.answered(t1).length === 1, 20_000);
      await s.callInState(a.call.id, 'talking');
      await sleep(500);
      await assertCallerConnected(s, a, 'after the recall');
    });
  }
});

describe('real Asterisk: busy sets and the absent timer', () => {
  it('given the only attendant\'s set answers busy, then it is offered the call a handful of times at most, never a storm', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att2'] }), ['att2']);
    await s.phone('att2', { kind: 'busy' });
    const t0 = Date.now();
    const { SippCaller } = await import('./support/sipp.ts');
    const caller = await SippCaller.dial({ talkMs: 12_000 });
    await sleep(10_000);
    const offers = s.phones.att2.offers(t0).length;
    assert.ok(offers >= 1 && offers <= 5, `att2 was offered the call ${offers} times in 10 s`);
    assert.ok(caller.connected(), 'the caller still waits');
  });

  it('given an attendant missed a call long ago and has been idle since, when a call rings it, then it is not made absent at once', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'], ringTimeout: 2, absentAfter: 6 }), ['att1']);
    // first call: att1 does not answer within the ring timeout, the caller (hearing ringback) gives up
    await s.phone('att1', { kind: 'ringing' });
    const { SippCaller } = await import('./support/sipp.ts');
    const first = await SippCaller.dial({ giveUpMs: 2_500 });
    await first.finished();
    await s.phone('att1', { kind: 'answer', answerMs: 1500 });
    // idle for longer than absentAfter, then a call it answers after 1.5 s
    await sleep(7000);
    assert.equal((await s.attendant('att1')).state, 'idle', 'idle time does not count towards absent');
    const t1 = Date.now();
    await SippCaller.dial({ talkMs: 4000 });
    await until('att1 answers the new call', () => s.phones.att1.answered(t1).length === 1);
    assert.notEqual((await s.attendant('att1')).state, 'absent');
  });
});
