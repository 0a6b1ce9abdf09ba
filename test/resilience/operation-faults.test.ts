// Attendant operations meeting a failing Asterisk (issue 18): the operator works over the HTTP API, the
// controller talks to the ARI simulator over HTTP, the state is in Redis, and the faults are injected
// through the simulator's control API (POST /sim/faults/fail). One failed request in any operation
// leaves the caller connected and the operator told which step failed; the operation can be tried
// again. Twenty failures in a row forget no call and ring no attendant still on a call, and a restart
// takes every live pair back.
import assert from 'node:assert/strict';
import type { CallRecord } from '../../lib/domain/model.ts';
import type { DeepReadonly } from '../../lib/calls/view.ts';
import { applyAttendantEventOrThrow } from '../../lib/domain/attendant.ts';
import type { Harness } from '../support/harness.ts';
import { assertNothingLeft } from '../support/orphans.ts';
import { controlCall } from '../support/sim-helpers.ts';
import { Api, startApiHarness, type Reply } from '../api/support.ts';

interface Failure { operation: string; step: string; ariStatus?: number; outcome: string }
interface FailureReply { error: { code: string; message: string; failure?: Failure } }

describe('operations on a failing Asterisk: the caller stays connected, the operator is told', function () {
  this.timeout(30_000);
  let h: Harness;
  let api: Api;

  beforeEach(async () => {
    ({ h, api } = await startApiHarness({ endpoints: { 'PJSIP/201': { kind: 'answer', afterMs: 0 }, 'PJSIP/202': { kind: 'ring' } } }));
    // bob's position is away: every call comes to alice (att1); sam (att3) supervises
    await h.switchboard.attendantAction('att2', { type: 'dnd', on: true });
  });

  afterEach(async () => {
    await h.stop();
  });

  /** the next `count` ARI requests under `pathPrefix` (of `method`) fail with a 500, through the simulator's control API */
  async function fail(count: number, pathPrefix?: string, method?: 'POST' | 'DELETE'): Promise<void> {
    const r = await controlCall(h.sim, 'POST', '/sim/faults/fail', { status: 500, count, ...(pathPrefix ? { pathPrefix } : {}), ...(method ? { method } : {}) });
    assert.equal(r.status, 204);
  }

  const bridgeOf = (id: string) => h.sim.bridges().find((b) => b.channels.includes(id));
  const live = (id: string) => h.sim.channels().some((c) => c.id === id && !c.hungUp);
  const rec = (id: string) => h.callRecord(id)!;

  async function talking(device = 'PJSIP/att1', number = '0155501234'): Promise<{ caller: string; leg: string }> {
    const caller = h.call({ number });
    const leg = await h.answer(device);
    await h.until('talking', () => h.callRecord(caller)?.talkBridge !== undefined);
    return { caller, leg };
  }

  /** the caller talks with att1's set in the call's bridge, and att1 is busy on it */
  async function assertTalking(caller: string, leg: string): Promise<void> {
    await h.settle();
    const r = rec(caller);
    assert.deepEqual([r.state, r.attendant, r.leg], ['talking', 'att1', leg], 'the call record is as it was');
    assert.deepEqual([...(h.sim.bridges().find((b) => b.id === r.talkBridge)?.channels ?? [])].sort(), [caller, leg].sort(), 'caller and set are bridged');
    assert.equal(h.attendant('att1').state, 'busy');
    assert.equal(h.attendant('att1').currentCall, caller);
  }

  /** the call is as it was (assertTalking); then released, and nothing is left */
  async function talkingThenReleased(caller: string, leg: string): Promise<void> {
    await assertTalking(caller, leg);
    await release(caller);
    assertNothingLeft(h);
  }

  /** 502 ari_failed naming the operation and the step (and Asterisk's status when the port knows it) */
  function assertFailed(r: Reply<FailureReply>, operation: string, step: string): Failure {
    assert.equal(r.status, 502, r.text);
    assert.equal(r.body.error.code, 'ari_failed');
    const f = r.body.error.failure!;
    assert.deepEqual([f.operation, f.step], [operation, step], r.text);
    assert.equal(f.ariStatus, 500, 'the status Asterisk answered');
    assert.match(r.body.error.message, new RegExp(step.replace(/'/g, '.')));
    return f;
  }

  const post = <T = FailureReply>(path: string, body?: unknown) => api.as<T>('alice', 'POST', path, body);

  async function consulting(caller: string): Promise<string> {
    assert.equal((await post(`/api/calls/${caller}/consult`, { target: '201' })).status, 204);
    await h.until('201 answered', () => h.callRecord(caller)?.consultAnswered === true);
    await h.settle();
    return rec(caller).consultLeg!;
  }

  async function release(caller: string, user: 'alice' | 'bob' = 'alice'): Promise<void> {
    const r = h.callRecord(caller);
    if (r && ['talking', 'consulting', 'conference'].includes(r.state)) assert.equal((await api.as(user, 'POST', `/api/calls/${caller}/hangup`)).status, 204);
    else if (live(caller)) h.sim.hangupCaller(caller);
    await h.until('call over', () => !h.callRecord(caller));
    await h.until('channels gone', () => !h.sim.channels().some((c) => !c.hungUp && c.id.startsWith(caller)));
    await h.settle();
  }

  /** att1's set rings for the call again: answered, they talk; then released, and nothing is left */
  async function backToAtt1(caller: string): Promise<void> {
    const leg = await h.answer('PJSIP/att1');
    await h.until('talking again', () => rec(caller).state === 'talking' && bridgeOf(caller)?.channels.includes(leg) === true);
    await release(caller);
    assertNothingLeft(h);
  }

  /** att1 leaves the three-way call: caller and third party go on alone, then the caller hangs up */
  async function leaveThenEnd(caller: string, leg: string, target: string): Promise<void> {
    assert.equal((await post(`/api/calls/${caller}/leave`)).status, 204);
    await h.until('handed over', () => !h.callRecord(caller) && !live(leg));
    await callerHangsUp(caller, target);
  }

  /** the handed-over caller hangs up: the third party goes too, and nothing is left */
  async function callerHangsUp(caller: string, target: string): Promise<void> {
    h.sim.hangupCaller(caller);
    await h.until('both gone', () => !live(target));
    await h.settle();
    assertNothingLeft(h);
  }

  /** att1 consults 201 (answered), then `path` meets one 500 on `failOn`'s requests: refused as `operation` at `step` */
  async function refusedInConsultation(path: string, operation: string, step: string, failOn: (x: { leg: string; target: string }) => string, opts: { party?: boolean } = {}) {
    const { caller, leg } = await talking();
    const target = await consulting(caller);
    await fail(1, failOn({ leg, target }));
    const r = await post(`/api/calls/${caller}/${path}`, opts.party ? { party: caller } : undefined);
    assertFailed(r, operation, step);
    return { caller, leg, target, r };
  }

  /** the consultation as it was: att1 talks with the third party, the caller waits with music */
  async function assertConsulting(caller: string, leg: string, target: string): Promise<void> {
    await h.settle();
    assert.deepEqual([rec(caller).state, rec(caller).talkingTo, rec(caller).leg], ['consulting', 'target', leg]);
    assert.equal(bridgeOf(caller)?.id, rec(caller).holdBridge, 'the caller still waits with music');
    assert.deepEqual([...bridgeOf(leg)!.channels].sort(), [leg, target].sort());
    assert.equal(h.attendant('att1').state, 'busy');
  }

  describe('one failed request', () => {
    it('hold: the holding bridge refused, then the caller still talks with att1, no bridge is left, and holding again works', async () => {
      const { caller, leg } = await talking();
      await fail(1, '/bridges');
      assertFailed(await post(`/api/calls/${caller}/hold`), 'hold', 'create holding bridge');
      await assertTalking(caller, leg);
      assert.deepEqual(h.sim.bridges().filter((b) => b.id.startsWith('hold-')).map((b) => b.id), []);
      const again = await post<{ slot: number }>(`/api/calls/${caller}/hold`);
      assert.deepEqual([again.status, again.body.slot], [200, 1]);
      await h.until('on hold with music', () => bridgeOf(caller)?.id === rec(caller).holdBridge && !live(leg));
      assert.equal(h.attendant('att1').state, 'idle');
      await release(caller);
      assertNothingLeft(h);
    });

    it('park: the holding bridge refused, then the caller still talks with att1 and parking again works', async () => {
      const { caller, leg } = await talking();
      await fail(1, '/bridges');
      assertFailed(await post(`/api/calls/${caller}/park`), 'park', 'create holding bridge');
      await assertTalking(caller, leg);
      const again = await post<{ slot: number }>(`/api/calls/${caller}/park`);
      assert.deepEqual([again.status, again.body.slot], [200, 1]);
      await h.until('parked', () => rec(caller).state === 'parked' && bridgeOf(caller)?.id === rec(caller).holdBridge);
      await release(caller);
      assertNothingLeft(h);
    });

    for (const t of [
      { put: 'hold', take: 'retrieve', path: '/api/hold/1/retrieve', state: 'held', slot: (c: DeepReadonly<CallRecord>) => (c.state === 'held' ? c.slot : undefined), outcome: /still on hold in slot 1/ },
      { put: 'park', take: 'pickup', path: '/api/park/1/pickup', state: 'parked', slot: (c: DeepReadonly<CallRecord>) => (c.state === 'parked' ? c.parkSlot : undefined), outcome: /still parked in slot 1/ },
    ] as const) {
      it(`${t.take}: the set cannot be rung, then the call stays ${t.state} in its slot and trying again connects it`, async () => {
        const { caller } = await talking();
        assert.equal((await post(`/api/calls/${caller}/${t.put}`)).status, 200);
        await h.until(t.state, () => bridgeOf(caller)?.id === rec(caller).holdBridge);
        await fail(1, '/channels', 'POST');
        const r = await post(t.path);
        assertFailed(r, t.take, 'ring the attendant\'s set');
        assert.match(r.body.error.message, t.outcome);
        await h.settle();
        assert.deepEqual([rec(caller).state, t.slot(rec(caller))], [t.state, 1]);
        assert.equal(bridgeOf(caller)?.id, rec(caller).holdBridge, 'the caller waits with music');
        assert.equal(h.attendant('att1').state, 'idle');
        assert.equal((await post(t.path)).status, 200);
        await backToAtt1(caller);
      });
    }

    it('blind transfer: the holding bridge refused, then the caller still talks with att1 and transferring again works', async () => {
      const { caller, leg } = await talking();
      await fail(1, '/bridges');
      assertFailed(await post(`/api/calls/${caller}/transfer`, { target: '202' }), 'transfer', 'create holding bridge');
      await assertTalking(caller, leg);
      assert.equal((await post(`/api/calls/${caller}/transfer`, { target: '202' })).status, 204);
      await h.until('transferring', () => rec(caller).state === 'transferring' && !live(leg));
      assert.equal(h.attendant('att1').state, 'idle');
      await release(caller);
      assertNothingLeft(h);
    });

    it('blind transfer: the target cannot be rung, then the operator is told and the caller, waiting with music, comes back to att1', async () => {
      const { caller } = await talking();
      await fail(1, '/channels', 'POST');
      const r = await post(`/api/calls/${caller}/transfer`, { target: '202' });
      assertFailed(r, 'transfer', 'ring the transfer target');
      assert.match(r.body.error.message, /comes back to you/);
      assert.equal(bridgeOf(caller)?.id, rec(caller).holdBridge, 'the caller waits with music');
      await backToAtt1(caller);
    });

    it('blind transfer: the attendant\'s leg not released at first, then it is released on a retry and the transfer goes on', async () => {
      const { caller, leg } = await talking();
      await fail(1, `/channels/${leg}`);
      assert.equal((await post(`/api/calls/${caller}/transfer`, { target: '202' })).status, 204);
      assert.equal(rec(caller).state, 'transferring');
      assert.ok(live(leg), 'the first hang-up was refused');
      await h.advance(1000);
      await h.until('att1 leg released on the retry', () => !live(leg));
      await release(caller);
      assertNothingLeft(h);
    });

    it('consult: the holding bridge refused, then the caller still talks with att1, nothing rang, and consulting again works', async () => {
      const { caller, leg } = await talking();
      await fail(1, '/bridges');
      assertFailed(await post(`/api/calls/${caller}/consult`, { target: '201' }), 'consult', 'create holding bridge');
      await assertTalking(caller, leg);
      assert.equal(h.sim.originated().filter((o) => o.appArgs[0] === '@consult').length, 0);
      await consulting(caller);
      assert.equal(rec(caller).state, 'consulting');
      await release(caller);
      assertNothingLeft(h);
    });

    it('consult: the third party cannot be rung, then the caller is back with att1 and the operator told', async () => {
      const { caller, leg } = await talking();
      await fail(1, '/channels', 'POST');
      assertFailed(await post(`/api/calls/${caller}/consult`, { target: '201' }), 'consult', 'ring the third party');
      await h.until('caller back with att1', () => bridgeOf(caller)?.channels.includes(leg) === true);
      await assertTalking(caller, leg);
      assert.equal(rec(caller).holdBridge, undefined);
      await h.until('holding bridge gone', () => !h.sim.bridges().some((b) => b.id.startsWith('hold-')));
      await release(caller);
      assertNothingLeft(h);
    });

    it('complete: the held caller cannot join the bridge, then the consultation is as it was and completing again hands over', async () => {
      const { caller, leg, target } = await refusedInConsultation('complete', 'transfer-complete', 'bring the held party to the call bridge', () => '/bridges');
      await assertConsulting(caller, leg, target);
      assert.equal((await post(`/api/calls/${caller}/complete`)).status, 204);
      await h.until('handed over', () => !h.callRecord(caller) && !live(leg) && bridgeOf(caller)?.channels.includes(target) === true);
      assert.equal(h.attendant('att1').state, 'idle');
      await callerHangsUp(caller, target);
    });

    it('complete: the attendant\'s leg not released, then the three are in a three-way call the operator can leave', async () => {
      const { caller, leg, target, r } = await refusedInConsultation('complete', 'transfer-complete', 'hang up the attendant\'s leg', (x) => `/channels/${x.leg}`);
      assert.match(r.body.error.message, /three-way/);
      await h.settle();
      assert.equal(rec(caller).state, 'conference');
      assert.deepEqual([...bridgeOf(leg)!.channels].sort(), [caller, leg, target].sort());
      assert.equal(h.attendant('att1').state, 'busy');
      await leaveThenEnd(caller, leg, target);
    });

    it('cancel: the consulted party not hung up, then the consultation goes on and cancelling again brings the caller back', async () => {
      const { caller, leg, target } = await refusedInConsultation('cancel', 'cancel', 'hang up the consulted party', (x) => `/channels/${x.target}`);
      await h.settle();
      assert.deepEqual([rec(caller).state, rec(caller).consultLeg], ['consulting', target]);
      assert.ok(live(target), 'the consulted party is still on the line');
      assert.equal((await post(`/api/calls/${caller}/cancel`)).status, 204);
      await h.until('caller back with att1', () => bridgeOf(caller)?.channels.includes(leg) === true && !live(target));
      await talkingThenReleased(caller, leg);
    });

    it('cancel: the caller cannot be brought back from hold, then the call stays flagged as needing attention, the caller with music, until a retry brings it back', async () => {
      const { caller, leg } = await talking();
      const target = await consulting(caller);
      const holdBridge = rec(caller).holdBridge!;
      await fail(1, '/bridges', 'POST');
      assert.equal((await post(`/api/calls/${caller}/cancel`)).status, 204);
      await h.until('flagged', () => h.callRecord(caller)?.attention !== undefined);
      assert.match(rec(caller).attention!, /waits on hold/);
      const view = await api.as<{ attention?: string; state: string }>('alice', 'GET', `/api/calls/${caller}`);
      assert.deepEqual([view.body.state, view.body.attention], ['talking', rec(caller).attention], 'the console sees the flag');
      assert.equal(bridgeOf(caller)?.id, holdBridge, 'never hung up: the caller waits with music');
      assert.ok(!live(target), 'the consulted party is gone');
      assert.equal(h.attendant('att1').state, 'busy', 'att1 stays on the call');
      await h.advance(1000);
      await h.until('brought back on the retry', () => bridgeOf(caller)?.channels.includes(leg) === true && h.callRecord(caller)?.attention === undefined);
      await talkingThenReleased(caller, leg);
    });

    it('swap: the party talking not put on hold, then nothing moved and swapping again works', async () => {
      const { caller, leg, target } = await refusedInConsultation('swap', 'swap', 'put the party talking on hold', () => '/bridges');
      await assertConsulting(caller, leg, target);
      assert.equal((await post(`/api/calls/${caller}/swap`)).status, 204);
      await h.until('caller with att1', () => bridgeOf(caller)?.channels.includes(leg) === true && bridgeOf(target)?.id === rec(caller).holdBridge);
      await release(caller);
      assertNothingLeft(h);
    });

    it('three-way join, split and leave: each refused step leaves the call as it was and each can be tried again', async () => {
      const { caller, leg, target } = await refusedInConsultation('conference', 'conference', 'bring the held party to the call bridge', () => '/bridges');
      await assertConsulting(caller, leg, target);
      assert.equal((await post(`/api/calls/${caller}/conference`)).status, 204);
      await h.until('three together', () => bridgeOf(leg)?.channels.length === 3);

      await fail(1, '/bridges');
      assertFailed(await post(`/api/calls/${caller}/split`, { party: caller }), 'split', 'create holding bridge');
      await h.settle();
      assert.equal(rec(caller).state, 'conference');
      assert.deepEqual([...bridgeOf(leg)!.channels].sort(), [caller, leg, target].sort());

      await fail(1, `/channels/${leg}`);
      assertFailed(await post(`/api/calls/${caller}/leave`), 'conference-leave', 'hang up the attendant\'s leg');
      await h.settle();
      assert.equal(rec(caller).state, 'conference');
      assert.equal(h.attendant('att1').state, 'busy');
      await leaveThenEnd(caller, leg, target);
    });

    it('three-way from a conversation: the third party cannot be rung, then att1 still talks with the caller', async () => {
      const { caller, leg } = await talking();
      await fail(1, '/channels', 'POST');
      assertFailed(await post(`/api/calls/${caller}/conference`, { target: '201' }), 'conference', 'ring the third party');
      await assertTalking(caller, leg);
      assert.equal(rec(caller).consultLeg, undefined);
      await release(caller);
      assertNothingLeft(h);
    });

    it('monitor: the supervisor\'s set cannot be rung, then sam is told and free again, and alice\'s call is untouched', async () => {
      const { caller, leg } = await talking();
      await fail(1, '/channels', 'POST');
      const r = await api.as<FailureReply>('sam', 'POST', `/api/calls/${caller}/monitor`, { mode: 'listen' });
      assertFailed(r, 'monitor', 'ring the supervisor\'s set');
      await h.until('sam free', () => h.attendant('att3').state === 'idle');
      await assertTalking(caller, leg);
      const again = await api.as<{ sessionId: string }>('sam', 'POST', `/api/calls/${caller}/monitor`, { mode: 'listen' });
      assert.equal(again.status, 200);
      await h.answer('PJSIP/att3');
      await h.until('monitoring', () => h.sim.bridges().some((b) => b.id === `mon-${again.body.sessionId}` && b.channels.length === 2));
      assert.equal((await api.as('sam', 'POST', `/api/monitor/${again.body.sessionId}/stop`)).status, 204);
      await h.until('sam free', () => h.attendant('att3').state === 'idle');
      await release(caller);
      assertNothingLeft(h);
    });

    it('stop monitoring: the supervisor\'s leg not hung up, then sam is told and stays busy until a retry releases it', async () => {
      const { caller, leg } = await talking();
      const mon = await api.as<{ sessionId: string }>('sam', 'POST', `/api/calls/${caller}/monitor`, { mode: 'barge' });
      await h.answer('PJSIP/att3');
      await h.until('barging', () => bridgeOf(leg)?.channels.includes(mon.body.sessionId) === true);
      await fail(1, `/channels/${mon.body.sessionId}`, 'DELETE');
      const r = await api.as<FailureReply>('sam', 'POST', `/api/monitor/${mon.body.sessionId}/stop`);
      assertFailed(r, 'stop monitoring', 'hang up the supervisor\'s leg');
      assert.equal(h.attendant('att3').state, 'busy', 'still on the call: not counted free');
      assert.ok(live(mon.body.sessionId), 'the supervisor\'s leg is still up');
      await h.advance(1000);
      await h.until('released on the retry', () => !live(mon.body.sessionId) && h.attendant('att3').state === 'idle');
      await talkingThenReleased(caller, leg);
    });

    for (const mode of ['listen', 'whisper', 'barge'] as const) {
      it(`monitor (${mode}): the set answers but the monitoring cannot be set up, then the session ends, sam is free and alice's call goes on`, async () => {
        const { caller, leg } = await talking();
        const r = await api.as<{ sessionId: string }>('sam', 'POST', `/api/calls/${caller}/monitor`, { mode });
        assert.equal(r.status, 200);
        await h.until('sam rings', () => h.ringing('PJSIP/att3').length === 1);
        await fail(1, '/bridges');
        h.sim.answerChannel(h.ringing('PJSIP/att3')[0]!);
        await h.until('sam free', () => h.attendant('att3').state === 'idle' && !live(r.body.sessionId));
        await assertTalking(caller, leg);
        const log = await h.store.queryLog({ operator: 'att3' });
        assert.ok(log.some((e) => e.action === 'monitor-stop' && e.result === 'failed'), 'the stop is logged as failed');
        await release(caller);
        assertNothingLeft(h);
      });
    }

    it('release: the caller not hung up, then the call is as it was (never forgotten) and releasing again ends it', async () => {
      const { caller, leg } = await talking();
      await fail(1, `/channels/${caller}`);
      assertFailed(await post(`/api/calls/${caller}/hangup`), 'release', 'hang up the caller');
      await assertTalking(caller, leg);
      assert.equal((await post(`/api/calls/${caller}/hangup`)).status, 204);
      await h.until('ended', () => !h.callRecord(caller) && !live(caller) && !live(leg));
      const log = await h.store.queryLog({ number: '0155501234' });
      assert.ok(log.some((e) => e.action === 'end' && e.callId === caller && e.result === 'completed'), 'ended once, as completed');
      assertNothingLeft(h);
    });
  });

  describe('twenty failures in a row', () => {
    it('given both positions talking, when every operation meets twenty 500s, then no call is forgotten, nobody on a call is rung, and a restart keeps both pairs', async () => {
      await h.switchboard.attendantAction('att2', { type: 'dnd', on: false });
      const a = await talking('PJSIP/att1', '0155500001');
      const b = await talking('PJSIP/att2', '0155500002');
      const target = await consulting(a.caller);
      assert.equal((await post(`/api/calls/${a.caller}/cancel`)).status, 204);
      await h.until('att1 back with the caller', () => rec(a.caller).state === 'talking' && !live(target));
      const bob = (path: string, body?: unknown) => api.as<FailureReply>('bob', 'POST', path, body);

      await fail(20);
      for (const r of [
        await post(`/api/calls/${a.caller}/hold`), await post(`/api/calls/${a.caller}/park`), await post(`/api/calls/${a.caller}/transfer`, { target: '202' }),
        await bob(`/api/calls/${b.caller}/consult`, { target: '201' }), await bob(`/api/calls/${b.caller}/hangup`),
      ]) assert.deepEqual([r.status, r.body.error.code], [502, 'ari_failed'], r.text);
      await controlCall(h.sim, 'DELETE', '/sim/faults');
      await h.settle();

      for (const [call, att] of [[a, 'att1'], [b, 'att2']] as const) {
        const r = rec(call.caller);
        assert.deepEqual([r.state, r.attendant, r.leg], ['talking', att, call.leg], `${call.caller} is still ${att}'s call`);
        assert.deepEqual([...(h.sim.bridges().find((x) => x.id === r.talkBridge)?.channels ?? [])].sort(), [call.caller, call.leg].sort());
        assert.equal(h.attendant(att).state, 'busy');
      }
      const c = h.call({ number: '0155500003' });
      await h.until('the new caller waits', () => h.callRecord(c)?.state === 'waiting' && h.waitsWithMusic(c));
      await h.advance(1000);
      assert.deepEqual([h.ringing('PJSIP/att1'), h.ringing('PJSIP/att2')], [[], []], 'nobody on a call is rung');

      await h.restartController();
      api = Api.of(h);
      await h.settle();
      for (const [call, att] of [[a, 'att1'], [b, 'att2']] as const) {
        assert.deepEqual([rec(call.caller).state, rec(call.caller).attendant], ['talking', att], `${call.caller} taken back after the restart`);
        assert.equal(h.attendant(att).state, 'busy');
        assert.ok(live(call.caller) && live(call.leg), 'both sides still up');
      }
      assert.deepEqual([h.ringing('PJSIP/att1'), h.ringing('PJSIP/att2')], [[], []], 'nobody on a call is rung after the restart');
      assert.equal(rec(c).state, 'waiting');

      await release(a.caller);
      await h.until('att1 gets the waiting call', () => h.ringing('PJSIP/att1').length === 1);
      h.sim.hangupCaller(c);
      await h.until('c gone', () => !h.callRecord(c));
      await release(b.caller, 'bob');
      await h.settle();
      assertNothingLeft(h);
    });

    it('given callers bridged with their attendants\' sets that the store forgot, when the controller restarts, then it takes every pair back instead of treating it as a finished transfer', async () => {
      await h.switchboard.attendantAction('att2', { type: 'dnd', on: false });
      const a = await talking('PJSIP/att1', '0155500001');
      const b = await talking('PJSIP/att2', '0155500002');
      await h.restartController(async () => {
        // what an earlier run whose hang-ups failed left: the calls gone from the store, the positions free
        const snap = await h.store.snapshot();
        await h.store.commit([
          { op: 'deleteCall', callId: a.caller }, { op: 'deleteCall', callId: b.caller },
          ...snap.attendants.filter((x) => x.id === 'att1' || x.id === 'att2')
            .map((x) => ({ op: 'putAttendant' as const, attendant: applyAttendantEventOrThrow(x, { type: 'callEnded' }, h.time.now()).attendant })),
        ]);
      });
      api = Api.of(h);
      await h.settle();
      for (const [call, att] of [[a, 'att1'], [b, 'att2']] as const) {
        const r = h.callRecord(call.caller);
        assert.deepEqual([r?.state, r?.attendant, r?.leg], ['talking', att, call.leg], `${call.caller} taken back as ${att}'s call`);
        assert.equal(h.attendant(att).state, 'busy');
        assert.equal(h.attendant(att).currentCall, call.caller);
      }
      const c = h.call({ number: '0155500003' });
      await h.until('the new caller waits', () => h.callRecord(c)?.state === 'waiting');
      await h.advance(1000);
      assert.deepEqual([h.ringing('PJSIP/att1'), h.ringing('PJSIP/att2')], [[], []], 'nobody on a call is rung');
      const log = await h.store.queryLog({ operator: 'system' });
      assert.equal(log.filter((e) => e.action === 'take-back').length, 2);
      // the pair is the switchboard's call again: the operator releases it like any other
      await release(a.caller);
      await h.until('att1 gets the waiting call', () => h.ringing('PJSIP/att1').length === 1);
      h.sim.hangupCaller(c);
      await h.until('c gone', () => !h.callRecord(c));
      await release(b.caller, 'bob');
      await h.settle();
      assertNothingLeft(h);
    });
  });
});
