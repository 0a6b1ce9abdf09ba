// A call worked over HTTP from answer to hand-over, as the console does it: the operator consults,
// swaps, makes a three-way call and leaves it; a supervisor monitors and stops. Each answer is the
// one the OpenAPI document promises, and the switchboard's state follows.
import assert from 'node:assert/strict';
import type { Harness } from '../support/harness.ts';
import { assertNothingLeft } from '../support/orphans.ts';
import { startApiHarness, type Api, type ErrorReply } from './support.ts';

describe('API call flow: consultation, three-way and monitoring', function () {
  this.timeout(30_000);
  let h: Harness;
  let api: Api;

  beforeEach(async () => {
    ({ h, api } = await startApiHarness({ endpoints: { 'PJSIP/201': { kind: 'answer', afterMs: 0 } } }));
    await h.switchboard.attendantAction('att2', { type: 'dnd', on: true });
  });

  afterEach(async () => {
    await h.stop();
  });

  async function talking(): Promise<string> {
    const caller = h.call({ number: '0155501234' });
    await h.answer('PJSIP/att1');
    await h.until('talking', () => h.callRecord(caller)?.talkBridge !== undefined);
    return caller;
  }

  it('given alice talking, when she consults 201, swaps, joins the three and leaves, then each step answers 204 and caller and 201 stay together', async () => {
    const caller = await talking();
    assert.equal((await api.as('alice', 'POST', `/api/calls/${caller}/consult`, { target: '201' })).status, 204);
    await h.until('201 answered', () => h.callRecord(caller)?.consultAnswered === true);
    assert.equal((await api.as('bob', 'POST', `/api/calls/${caller}/swap`)).status, 403, 'bob acts only at his own position');
    const notMine = await api.as<ErrorReply>('bob', 'POST', `/api/calls/${caller}/swap`, { attendant: 'att2' });
    assert.equal(notMine.status, 403);
    assert.equal((await api.as('alice', 'POST', `/api/calls/${caller}/swap`)).status, 204);
    assert.equal(h.callRecord(caller)!.talkingTo, 'caller');
    const split = await api.as<ErrorReply>('alice', 'POST', `/api/calls/${caller}/split`, { party: caller });
    assert.deepEqual([split.status, split.body.error.code], [409, 'invalid_state']);
    assert.equal((await api.as('alice', 'POST', `/api/calls/${caller}/conference`)).status, 204);
    const view = await api.as<{ state: string; consultTarget: string }>('alice', 'GET', `/api/calls/${caller}`);
    assert.deepEqual([view.body.state, view.body.consultTarget], ['conference', '201']);
    assert.equal((await api.as('alice', 'POST', `/api/calls/${caller}/leave`)).status, 204);
    await h.until('handed over', () => !h.callRecord(caller));
    assert.equal(h.attendant('att1').state, 'idle');
    const gone = await api.as<ErrorReply>('alice', 'POST', `/api/calls/${caller}/complete`);
    assert.deepEqual([gone.status, gone.body.error.code], [404, 'unknown_call']);
    h.sim.hangupCaller(caller);
    await h.until('ended', () => h.sim.channels().every((c) => c.hungUp || !c.id.startsWith(caller)));
    await h.settle();
    assertNothingLeft(h);
  });

  it('given alice talking, when sam monitors from his set and stops, then 200 with a session, then 204, and alice\'s call goes on', async () => {
    const caller = await talking();
    const mon = await api.as<{ sessionId: string }>('sam', 'POST', `/api/calls/${caller}/monitor`, { mode: 'whisper' });
    assert.equal(mon.status, 200);
    assert.equal(h.attendant('att3').state, 'busy');
    await h.answer('PJSIP/att3');
    await h.until('snoop bridged', () => h.sim.channels().some((c) => c.snoop?.whisper === 'out' && !c.hungUp && c.bridgeId !== undefined));
    assert.equal((await api.as('alice', 'POST', `/api/monitor/${mon.body.sessionId}/stop`)).status, 403);
    assert.equal((await api.as('sam', 'POST', `/api/monitor/${mon.body.sessionId}/stop`)).status, 204);
    assert.equal((await api.as('sam', 'POST', `/api/monitor/${mon.body.sessionId}/stop`)).status, 404);
    await h.until('sam free', () => h.attendant('att3').state === 'idle');
    assert.equal(h.callRecord(caller)!.state, 'talking');
    assert.equal((await api.as('alice', 'POST', `/api/calls/${caller}/hangup`)).status, 204);
    await h.until('ended', () => !h.callRecord(caller));
    await h.settle();
    assertNothingLeft(h);
  });
});
