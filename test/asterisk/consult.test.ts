// Consultation, three-way calls, monitoring and the trunk on the real Asterisk, judged from the SIP
// side: who is still in a call with whom after each step.
import assert from 'node:assert/strict';
import { site } from './support/hooks.ts';
import { siteConfig } from './support/configs.ts';
import { answeredCall, assertCallerConnected, consultingCall } from './support/flows.ts';
import { sleep, until } from './support/site.ts';

describe('real Asterisk: consultation and three-way calls', () => {
  it('given a consultation with 200, when the attendant completes it, then the caller talks to 200 and the set is released', async () => {
    const s = site();
    const { a, t1 } = await consultingCall(s, '200');
    await assertCallerConnected(s, a, 'on hold during the consultation');
    await s.api('POST', `/api/calls/${a.call.id}/complete`, { attendant: 'att1' });
    await until('the set is released', () => s.phones.att1.byes('in', t1).length === 1);
    await sleep(500);
    assert.ok(a.caller.connected(), 'the caller is connected to 200');
    assert.equal(s.phones.ext200.activeCalls().length, 1, '200 is in the call');
    assert.equal((await s.attendant('att1')).state, 'idle');
  });

  it('given a consultation with 201, when the attendant cancels it, then 201 is released and the caller talks to the attendant again', async () => {
    const s = site();
    const { a, t1 } = await consultingCall(s, '201');
    await s.api('POST', `/api/calls/${a.call.id}/cancel`, { attendant: 'att1' });
    await until('201 is released', () => s.phones.ext201.byes('in', t1).length === 1);
    await s.callInState(a.call.id, 'talking');
    await sleep(500);
    await assertCallerConnected(s, a, 'after the cancel');
    assert.equal(s.phones.att1.activeCalls().length, 1, 'the set is still in the call');
  });

  it('given an answered consultation, when the attendant swaps twice, then both parties stay connected and the attendant talks to each in turn', async () => {
    const s = site();
    const { a } = await consultingCall(s, '200');
    for (const expected of ['caller', 'target']) {
      await s.api('POST', `/api/calls/${a.call.id}/swap`, { attendant: 'att1' });
      await until(`the attendant talks to the ${expected}`, async () => (await s.call(a.call.id))?.talkingTo === expected);
      const bridges = await s.asterisk.bridges();
      const withSet = bridges.find((b) => b.channels.length === 2 && b.channels.some((c) => c === a.call.id || c.includes('-c')) && b.bridge_type === 'mixing');
      assert.ok(withSet, `a mixing bridge holds the attendant and the ${expected}`);
    }
    await sleep(300);
    await assertCallerConnected(s, a, 'after swapping');
    assert.equal(s.phones.ext200.activeCalls().length, 1);
  });

  it('given an answered consultation, when the attendant joins all three, splits the caller aside and leaves, then caller and 200 talk and the set is released', async () => {
    const s = site();
    const { a, t1 } = await consultingCall(s, '200');
    await s.api('POST', `/api/calls/${a.call.id}/conference`, { attendant: 'att1' });
    await s.callInState(a.call.id, 'conference');
    const three = (await s.asterisk.bridges()).find((b) => b.channels.includes(a.call.id));
    assert.equal(three?.channels.length, 3, 'caller, attendant and 200 in one bridge');
    await s.api('POST', `/api/calls/${a.call.id}/split`, { attendant: 'att1', party: a.call.id });
    await s.callInState(a.call.id, 'consulting');
    await s.api('POST', `/api/calls/${a.call.id}/conference`, { attendant: 'att1' });
    await s.callInState(a.call.id, 'conference');
    await s.api('POST', `/api/calls/${a.call.id}/leave`, { attendant: 'att1' });
    await until('the set is released', () => s.phones.att1.byes('in', t1).length === 1);
    await sleep(500);
    assert.ok(a.caller.connected(), 'the caller is still in the call');
    assert.equal(s.phones.ext200.activeCalls().length, 1, '200 still talks to the caller');
  });
});

describe('real Asterisk: the trunk', () => {
  it('given a talking call, when the attendant transfers it to an external number, then the provider is offered it through the trunk', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'] }), ['att1']);
    const a = await answeredCall(s, 'att1');
    const t1 = Date.now();
    await s.api('POST', `/api/calls/${a.call.id}/transfer`, { attendant: 'att1', target: '00155512345' });
    await until('the provider is offered the call', () => s.provider.offers(t1).length === 1);
    assert.equal(s.provider.offers(t1)[0]!.ruser, '0155512345', 'the trunk dials the number without the trunk prefix 0');
    await until('the provider answers', () => s.provider.answered(t1).length === 1);
    await until('the call is handed over', async () => (await s.call(a.call.id)) === undefined);
    await sleep(300);
    assert.ok(a.caller.connected(), 'the caller talks to the external party');
  });
});

describe('real Asterisk: monitoring', () => {
  for (const mode of ['listen', 'whisper', 'barge'] as const) {
    it(`given a talking call, when a supervisor starts ${mode}, then the supervisor's set rings, joins, and leaves the call as it was when it stops`, async () => {
      const s = site();
      await s.startController(siteConfig({ members: ['att1'], extra: { attendants: [
        { id: 'att1', name: 'Alice', device: 'PJSIP/att1', extension: '9001' },
        { id: 'att3', name: 'Carol', device: 'PJSIP/att3', extension: '9003', supervisor: true },
      ] } }), ['att1', 'att3']);
      const a = await answeredCall(s, 'att1');
      const t1 = Date.now();
      const r = await s.api<{ sessionId: string }>('POST', `/api/calls/${a.call.id}/monitor`, { attendant: 'att3', mode });
      await until('the supervisor answers', () => s.phones.att3.answered(t1).length === 1);
      await until('the supervisor is bridged', async () => {
        const bridges = await s.asterisk.bridges();
        const supLeg = bridges.flatMap((b) => b.channels).find((c) => c === r.body.sessionId);
        return supLeg !== undefined;
      });
      if (mode === 'barge') {
        const talk = (await s.asterisk.bridges()).find((b) => b.channels.includes(a.call.id));
        assert.equal(talk?.channels.length, 3, 'barge: the supervisor is in the conversation');
      } else {
        // the snoop is asked for once the supervisor's leg is in its bridge: a moment after
        await until(`${mode}: a snoop channel listens to the attendant`, async () => (await s.asterisk.channels()).some((c) => c.name.startsWith('Snoop/')));
      }
      await s.api('POST', `/api/monitor/${encodeURIComponent(r.body.sessionId)}/stop`, { attendant: 'att3' });
      await until('the supervisor is released', () => s.phones.att3.byes('in', t1).length === 1);
      await sleep(300);
      await assertCallerConnected(s, a, 'after the monitoring');
      assert.equal(s.phones.att1.activeCalls().length, 1, 'the attendant is still in the call');
    });
  }
});
