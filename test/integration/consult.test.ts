// Consultation transfer, three-way calls and monitoring end to end: controller + ARI simulator over
// real sockets + Redis. After every test nothing of the calls that ended is left in the simulator.
import assert from 'node:assert/strict';
import { rejectsWith, stopChecked } from '../support/orphans.ts';
import { Harness, type HarnessOptions } from '../support/harness.ts';
import { isCallBridge } from '../support/sim-helpers.ts';

const CALLER = '0155501234';

function config(): HarnessOptions['config'] {
  return {
    attendants: [
      { id: 'att1', name: 'Alice', device: 'PJSIP/att1', extension: '9001' },
      { id: 'att2', name: 'Sam', device: 'PJSIP/att2' },
    ],
    classes: [{ id: 'external', priority: 5, delayedRing: 0 }, { id: 'recall', priority: 7, delayedRing: 0 }],
    groups: [{ id: 'operators', name: 'Operators', members: ['att1'], strategy: 'linear', ringTimeout: 15, table: { day: { type: 'group' } } }],
    directory: { entries: [{ name: 'Jeanne Martin', number: '201', shortCode: '11' }] },
  };
}

describe('consultation, three-way and monitoring over ARI', function () {
  this.timeout(20_000);
  let h: Harness | undefined;

  afterEach(async () => {
    if (h) await stopChecked(h);
    h = undefined;
  });

  async function start(endpoints: HarnessOptions['endpoints'] = {}): Promise<Harness> {
    const hh = await Harness.start({ config: config(), login: false, endpoints });
    await hh.switchboard.login('att1');
    return hh;
  }

  const live = (hh: Harness, id: string) => hh.sim.channels().some((c) => c.id === id && !c.hungUp);
  const bridgeOf = (hh: Harness, id: string) => hh.sim.bridges().find((b) => b.channels.includes(id));
  const consultLegs = (hh: Harness, caller: string) => hh.sim.originated().filter((o) => o.appArgs[0] === '@consult' && o.appArgs[1] === caller).map((o) => o.channelId);
  const ops = (hh: Harness) => hh.switchboard.operations;

  /** a caller talking with att1; returns the caller and att1's leg */
  async function talkingWithAtt1(hh: Harness): Promise<{ caller: string; leg: string }> {
    const caller = hh.call({ number: CALLER });
    await hh.until('att1 rings', () => hh.ringing('PJSIP/att1').length === 1);
    const leg = await hh.answer('PJSIP/att1');
    await hh.until('connected', () => hh.callRecord(caller)?.talkBridge !== undefined && bridgeOf(hh, caller)?.channels.length === 2);
    return { caller, leg };
  }

  /** att1 consults 201, which answers; returns the consultation leg */
  async function consulting(hh: Harness, caller: string): Promise<string> {
    await ops(hh).consult('att1', caller, '201');
    await hh.until('201 answered', () => hh.callRecord(caller)?.consultAnswered === true);
    return consultLegs(hh, caller)[0]!;
  }

  describe('consultation', () => {
    it('given att1 talking, when att1 consults 201 and completes, then the caller waited with music, then caller and 201 talk and att1 is free', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 2000 } });
      const { caller, leg } = await talkingWithAtt1(h);
      const talkBridge = h.callRecord(caller)!.talkBridge!;
      await ops(h).consult('att1', caller, '201');
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.state, rec.talkingTo, rec.consultAnswered, rec.consultTarget], ['consulting', 'target', false, '201']);
      await h.until('caller on hold', () => isCallBridge(bridgeOf(h!, caller), 'hold', caller));
      assert.ok(h.sim.bridges().find((b) => isCallBridge(b, 'hold', caller))!.moh, 'the caller hears music');
      assert.equal(h.attendant('att1').state, 'busy');
      await h.until('201 rings', () => consultLegs(h!, caller).length === 1);
      const [target] = consultLegs(h, caller);
      assert.equal(h.sim.originated().find((o) => o.channelId === target)!.callerId, '"Alice" <9001>');
      await h.advance(2000);
      await h.until('att1 talks with 201', () => bridgeOf(h!, target!)?.id === talkBridge);
      assert.deepEqual([...bridgeOf(h, leg)!.channels].sort(), [leg, target!].sort());

      await ops(h).completeTransfer('att1', caller);
      await h.until('call handed over', () => !h!.callRecord(caller));
      await h.until('att1 leg released', () => !live(h!, leg));
      await h.until('caller with 201', () => bridgeOf(h!, caller)?.channels.length === 2 && bridgeOf(h!, caller)!.channels.includes(target!));
      await h.until('hold bridge gone', () => !h!.sim.bridges().some((b) => isCallBridge(b, 'hold', caller)));
      assert.equal(h.attendant('att1').state, 'idle');
      const log = await h.store.queryLog({ number: '201' });
      assert.deepEqual(log.filter((e) => e.callId === caller).map((e) => [e.operator, e.action, e.result]), [
        ['att1', 'consult', 'ringing'], ['att1', 'consult', 'answered'], ['att1', 'transfer-complete', 'completed-transfer'],
      ]);
      // either side hanging up releases the other and the bridge
      h.sim.hangupCaller(target!);
      await h.until('caller released', () => !live(h!, caller));
    });

    it('given a consultation, when att1 swaps twice and cancels, then the parties alternate and att1 ends with the caller', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingWithAtt1(h);
      const target = await consulting(h, caller);
      await ops(h).swap('att1', caller);
      assert.equal(h.callRecord(caller)!.talkingTo, 'caller');
      await h.until('caller with att1, 201 on hold', () => bridgeOf(h!, caller)?.channels.includes(leg) === true && isCallBridge(bridgeOf(h!, target), 'hold', caller));
      await ops(h).swap('att1', caller);
      await h.until('201 with att1, caller on hold', () => bridgeOf(h!, target)?.channels.includes(leg) === true && isCallBridge(bridgeOf(h!, caller), 'hold', caller));
      await ops(h).cancelConsult('att1', caller);
      await h.until('201 hung up', () => !live(h!, target));
      await h.until('caller back with att1', () => bridgeOf(h!, caller)?.channels.includes(leg) === true);
      await h.until('hold bridge gone', () => !h!.sim.bridges().some((b) => isCallBridge(b, 'hold', caller)));
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.state, rec.consultLeg, rec.holdBridge], ['talking', undefined, undefined]);
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.deepEqual(log.filter((e) => e.callId === caller && ['swap', 'consult-ended'].includes(e.action)).map((e) => [e.action, e.result]), [['swap', 'caller'], ['swap', 'target'], ['consult-ended', 'cancelled']]);
      await ops(h).hangup('att1', caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given the consulted party is busy, then att1 is back with the caller at once', async () => {
      h = await start({ 'PJSIP/201': { kind: 'busy' } });
      const { caller, leg } = await talkingWithAtt1(h);
      await ops(h).consult('att1', caller, '201');
      await h.until('back to talking', () => h!.callRecord(caller)?.state === 'talking');
      await h.until('caller with att1', () => bridgeOf(h!, caller)?.channels.includes(leg) === true);
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'consult-ended' && e.callId === caller && e.result === 'busy'), 'log.some((e) => e.action === \'consult-ended\' && e.callId === caller && e.result === \'bu...');
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given the consulted party does not answer within the recall time, then its leg is hung up and att1 is back with the caller', async () => {
      h = await start({ 'PJSIP/201': { kind: 'ring' } });
      const { caller, leg } = await talkingWithAtt1(h);
      await ops(h).consult('att1', caller, '201');
      await h.until('201 rings', () => consultLegs(h!, caller).length === 1 && live(h!, consultLegs(h!, caller)[0]!));
      const target = consultLegs(h, caller)[0]!;
      await h.advance(29_000);
      assert.equal(h.callRecord(caller)!.state, 'consulting');
      await h.advance(1_000);
      await h.until('201 hung up', () => !live(h!, target));
      await h.until('caller with att1', () => h!.callRecord(caller)?.state === 'talking' && bridgeOf(h!, caller)?.channels.includes(leg) === true);
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given a consultation, when the consulted party hangs up, then att1 is back with the caller', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingWithAtt1(h);
      const target = await consulting(h, caller);
      h.sim.hangupCaller(target);
      await h.until('caller with att1', () => h!.callRecord(caller)?.state === 'talking' && bridgeOf(h!, caller)?.channels.includes(leg) === true);
      await h.until('hold bridge gone', () => !h!.sim.bridges().some((b) => isCallBridge(b, 'hold', caller)));
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'consult-ended' && e.callId === caller && e.result === 'hangup'), 'log.some((e) => e.action === \'consult-ended\' && e.callId === caller && e.result === \'ha...');
      await ops(h).hangup('att1', caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given a consultation, when the caller on hold hangs up, then att1 goes on with 201 (also across a reconcile) and the call ends when 201 hangs up', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingWithAtt1(h);
      const target = await consulting(h, caller);
      h.sim.hangupCaller(caller);
      await h.until('caller gone', () => h!.callRecord(caller)?.callerGone === true);
      assert.ok(bridgeOf(h, leg)!.channels.includes(target), 'att1 still talks with 201');
      assert.equal(h.attendant('att1').state, 'busy');
      // a reconnect finds no caller channel: the conversation with 201 is kept all the same
      await h.switchboard.reconcile('test');
      assert.equal(h.callRecord(caller)?.state, 'consulting');
      assert.ok(live(h, target) && live(h, leg), 'live(h, target) && live(h, leg)');
      await rejectsWith(ops(h).completeTransfer('att1', caller), 'invalid_state');
      h.sim.hangupCaller(target);
      await h.until('call ended', () => !h!.callRecord(caller));
      await h.until('att1 leg released', () => !live(h!, leg));
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given a consultation still ringing, when att1 completes, then it becomes a transfer: att1 is free and 201 answering takes the caller', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 5000 } });
      const { caller, leg } = await talkingWithAtt1(h);
      await ops(h).consult('att1', caller, '201');
      await h.until('201 rings', () => consultLegs(h!, caller).length === 1);
      const target = consultLegs(h, caller)[0]!;
      await ops(h).completeTransfer('att1', caller);
      assert.equal(h.callRecord(caller)!.state, 'transferring');
      assert.equal(h.attendant('att1').state, 'idle');
      await h.until('att1 leg released', () => !live(h!, leg));
      await h.advance(5000);
      await h.until('handed over', () => !h!.callRecord(caller));
      await h.until('caller with 201', () => bridgeOf(h!, caller)?.channels.includes(target) === true);
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'transfer' && e.callId === caller && e.detail?.onRing === 'true'), 'log.some((e) => e.action === \'transfer\' && e.callId === caller && e.detail?.onRing === ...');
      h.sim.hangupCaller(caller);
      await h.until('201 released', () => !live(h!, target));
    });

    it('given a transfer on ringing that nobody answers, then the call recalls att1', async () => {
      h = await start({ 'PJSIP/201': { kind: 'ring' } });
      const { caller } = await talkingWithAtt1(h);
      await ops(h).consult('att1', caller, '201');
      await h.until('201 rings', () => consultLegs(h!, caller).length === 1);
      await ops(h).completeTransfer('att1', caller);
      await h.advance(30_000);
      await h.until('att1 rings again', () => h!.ringing('PJSIP/att1').length === 1);
      await h.answer('PJSIP/att1');
      await h.until('talking again', () => h!.callRecord(caller)?.state === 'talking' && h!.callRecord(caller)?.talkBridge !== undefined);
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given a consultation with 201 answered, when att1 hangs up its set, then caller and 201 are put through (transfer by hanging up)', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingWithAtt1(h);
      const target = await consulting(h, caller);
      h.sim.hangupCaller(leg);
      await h.until('handed over', () => !h!.callRecord(caller));
      await h.until('caller with 201', () => bridgeOf(h!, caller)?.channels.includes(target) === true);
      assert.equal(h.attendant('att1').state, 'idle');
      h.sim.hangupCaller(caller);
      await h.until('201 released', () => !live(h!, target));
    });

    it('given bad requests, then each is refused and the call goes on', async () => {
      h = await start();
      const { caller } = await talkingWithAtt1(h);
      await rejectsWith(ops(h).consult('att1', caller, 'reception'), 'invalid_target');
      await rejectsWith(ops(h).consult('att2', caller, '201'), 'not_your_call');
      await rejectsWith(ops(h).completeTransfer('att1', caller), 'invalid_state');
      await rejectsWith(ops(h).swap('att1', caller), 'invalid_state');
      await rejectsWith(ops(h).cancelConsult('att1', caller), 'invalid_state');
      await rejectsWith(ops(h).leaveConference('att1', caller), 'invalid_state');
      await rejectsWith(ops(h).conference('att1', caller), 'invalid_target');
      await rejectsWith(ops(h).split('att1', caller, caller), 'invalid_state');
      assert.equal(h.callRecord(caller)!.state, 'talking');
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given Asterisk refuses the holding bridge, when att1 consults, then ari_failed and att1 is still talking with the caller', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingWithAtt1(h);
      h.sim.failRequests({ status: 500, count: 1, pathPrefix: '/bridges' });
      await rejectsWith(ops(h).consult('att1', caller, '201'), 'ari_failed');
      assert.equal(h.callRecord(caller)!.state, 'talking');
      assert.equal(consultLegs(h, caller).length, 0, 'nobody was rung');
      assert.ok(bridgeOf(h, caller)!.channels.includes(leg), 'bridgeOf(h, caller)!.channels.includes(leg)');
      await ops(h).hangup('att1', caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });
  });

  describe('races', () => {
    it('given the caller hangs up while the consulted party is being bridged, then the call stays ended and 201 is released', async () => {
      h = await start({ 'PJSIP/201': { kind: 'manual' } });
      const { caller } = await talkingWithAtt1(h);
      await ops(h).consult('att1', caller, '201');
      await h.until('201 rings', () => consultLegs(h!, caller).length === 1 && h!.ringing('PJSIP/201').length === 1);
      await h.until('caller on hold', () => isCallBridge(bridgeOf(h!, caller), 'hold', caller));
      const adds = () => h!.sim.requests().byRoute['POST /bridges/{bridgeId}/addChannel'] ?? 0;
      const before = adds();
      h.sim.delayRequests(1000);
      h.sim.answerChannel(consultLegs(h, caller)[0]!);
      await h.until('201 is being bridged', () => adds() > before);
      h.sim.hangupCaller(caller);
      await h.until('call ended', () => !h!.callRecord(caller));
      h.sim.clearFaults();
      await h.advance(1000);
      await h.until('201 released', () => !live(h!, consultLegs(h!, caller)[0]!));
      await h.settle();
      assert.equal(h.callRecord(caller), undefined, 'the ended call does not come back');
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
      await h.until('log written', () => h!.storeBacklog() === 0);
      const log = (await h.store.queryLog({ number: CALLER })).filter((e) => e.callId === caller);
      assert.deepEqual(log.filter((e) => e.action === 'end').map((e) => e.result), ['completed'], 'ended once, as the caller hanging up');
      assert.ok(!log.some((e) => e.action === 'transfer-complete'), 'no hand-over was made up');
    });
  });

  describe('refused bridge moves', () => {
    it('given Asterisk refuses a move, when att1 swaps, then ari_failed and the call still says att1 talks with 201', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingWithAtt1(h);
      const target = await consulting(h, caller);
      h.sim.failRequests({ status: 500, count: 1, pathPrefix: '/bridges' });
      await rejectsWith(ops(h).swap('att1', caller), 'ari_failed');
      assert.deepEqual([h.callRecord(caller)!.state, h.callRecord(caller)!.talkingTo], ['consulting', 'target']);
      assert.ok(bridgeOf(h, target)!.channels.includes(leg), 'nothing moved');
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.deepEqual(log.filter((e) => e.callId === caller && e.action === 'swap').map((e) => e.result), ['caller', 'failed']);
      await ops(h).hangup('att1', caller);
      await h.until('all released', () => ![caller, leg, target].some((id) => live(h!, id)));
    });
  });

  describe('three-way call', () => {
    it('given a consultation, when att1 joins the three and then leaves, then caller and 201 go on talking', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingWithAtt1(h);
      const target = await consulting(h, caller);
      await ops(h).conference('att1', caller);
      assert.equal(h.callRecord(caller)!.state, 'conference');
      await h.until('three in one bridge', () => bridgeOf(h!, caller)?.channels.length === 3);
      assert.deepEqual([...bridgeOf(h, caller)!.channels].sort(), [caller, leg, target].sort());
      await h.until('hold bridge gone', () => !h!.sim.bridges().some((b) => isCallBridge(b, 'hold', caller)));
      await ops(h).leaveConference('att1', caller);
      await h.until('att1 leg released', () => !live(h!, leg));
      await h.until('handed over', () => !h!.callRecord(caller));
      assert.deepEqual([...bridgeOf(h, caller)!.channels].sort(), [caller, target].sort());
      assert.equal(h.attendant('att1').state, 'idle');
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.deepEqual(log.filter((e) => e.callId === caller && e.action.startsWith('conference')).map((e) => [e.action, e.result]), [['conference', 'joined'], ['conference-leave', 'completed-transfer']]);
      h.sim.hangupCaller(caller);
      await h.until('201 released', () => !live(h!, target));
    });

    it('given att1 talking, when att1 adds 201 to the call, then the caller stays with att1 while 201 rings and all three talk once it answers', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 3000 } });
      const { caller, leg } = await talkingWithAtt1(h);
      await ops(h).conference('att1', caller, '11');
      await h.until('201 rings', () => consultLegs(h!, caller).length === 1);
      const target = consultLegs(h, caller)[0]!;
      assert.equal(h.sim.originated().find((o) => o.channelId === target)!.endpoint, 'Local/201@attendant-dial', 'short code 11 dials 201');
      assert.deepEqual([...bridgeOf(h, caller)!.channels].sort(), [caller, leg].sort(), 'the caller is not put on hold');
      await h.advance(3000);
      await h.until('three in one bridge', () => bridgeOf(h!, caller)?.channels.length === 3);
      assert.equal(h.callRecord(caller)!.state, 'conference');
      // the third party hangs up: the two others go on
      h.sim.hangupCaller(target);
      await h.until('back to two', () => h!.callRecord(caller)?.state === 'talking' && bridgeOf(h!, caller)?.channels.length === 2);
      await ops(h).hangup('att1', caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given a three-way call, when att1 splits the caller aside, then 201 waits with music and cancel drops 201', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingWithAtt1(h);
      const target = await consulting(h, caller);
      await ops(h).conference('att1', caller);
      await h.until('three in one bridge', () => bridgeOf(h!, caller)?.channels.length === 3);
      await rejectsWith(ops(h).split('att1', caller, 'nobody'), 'invalid_target');
      await ops(h).split('att1', caller, caller);
      await h.until('201 on hold', () => isCallBridge(bridgeOf(h!, target), 'hold', caller));
      assert.deepEqual([...bridgeOf(h, caller)!.channels].sort(), [caller, leg].sort());
      assert.deepEqual([h.callRecord(caller)!.state, h.callRecord(caller)!.talkingTo], ['consulting', 'caller']);
      await ops(h).cancelConsult('att1', caller);
      await h.until('201 gone', () => !live(h!, target));
      await h.until('hold bridge gone', () => !h!.sim.bridges().some((b) => isCallBridge(b, 'hold', caller)));
      assert.equal(h.callRecord(caller)!.state, 'talking');
      await ops(h).hangup('att1', caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given a three-way call, when the caller hangs up, then att1 goes on with 201, and releasing ends it', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingWithAtt1(h);
      const target = await consulting(h, caller);
      await ops(h).conference('att1', caller);
      await h.until('three in one bridge', () => bridgeOf(h!, caller)?.channels.length === 3);
      h.sim.hangupCaller(caller);
      await h.until('caller gone', () => h!.callRecord(caller)?.callerGone === true);
      assert.deepEqual([...bridgeOf(h, leg)!.channels].sort(), [leg, target].sort());
      await ops(h).hangup('att1', caller);
      await h.until('201 released', () => !live(h!, target));
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });
  });

  describe('monitoring', () => {
    async function withSupervisor(): Promise<Harness> {
      const hh = await start();
      await hh.switchboard.login('att2');
      return hh;
    }
    const snoops = (hh: Harness) => hh.sim.channels().filter((c) => c.snoop && !c.hungUp);

    it('given att1 talking, when supervisor att2 listens, then a snoop on att1\'s leg hears both sides and is bridged with att2\'s set', async () => {
      h = await withSupervisor();
      const { caller, leg } = await talkingWithAtt1(h);
      const { sessionId } = await ops(h).monitor('att2', caller, 'listen');
      assert.equal(h.attendant('att2').state, 'busy', 'no call is presented to a listening supervisor');
      const supLeg = await h.answer('PJSIP/att2');
      assert.equal(supLeg, sessionId);
      await h.until('snoop bridged', () => snoops(h!).length === 1 && bridgeOf(h!, snoops(h!)[0]!.id)?.id === `mon-${sessionId}`);
      assert.deepEqual(snoops(h)[0]!.snoop, { target: leg, spy: 'both', whisper: 'none' });
      assert.deepEqual([...bridgeOf(h, sessionId)!.channels].sort(), [sessionId, snoops(h)[0]!.id].sort());
      assert.equal(bridgeOf(h, caller)!.channels.length, 2, 'the conversation itself is untouched');
      await ops(h).stopMonitor('att2', sessionId);
      await h.until('monitor gone', () => !live(h!, sessionId) && snoops(h!).length === 0 && !h!.sim.bridges().some((b) => b.id === `mon-${sessionId}`));
      await h.until('att2 idle', () => h!.attendant('att2').state === 'idle');
      const log = await h.store.queryLog({ operator: 'att2' });
      assert.deepEqual(log.filter((e) => e.callId === caller && e.action.startsWith('monitor')).map((e) => [e.action, e.result, e.detail?.mode]), [
        ['monitor-start', 'ringing', 'listen'], ['monitor-start', 'monitoring', 'listen'], ['monitor-stop', 'stopped', 'listen'],
      ]);
      await ops(h).hangup('att1', caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given att1 talking, when att2 whispers, then the snoop speaks out to att1 only; the call ending ends the session', async () => {
      h = await withSupervisor();
      const { caller, leg } = await talkingWithAtt1(h);
      const { sessionId } = await ops(h).monitor('att2', caller, 'whisper');
      await h.answer('PJSIP/att2');
      await h.until('snoop bridged', () => snoops(h!).length === 1 && bridgeOf(h!, snoops(h!)[0]!.id) !== undefined);
      assert.deepEqual(snoops(h)[0]!.snoop, { target: leg, spy: 'both', whisper: 'out' });
      h.sim.hangupCaller(caller);
      await h.until('monitor gone', () => !live(h!, sessionId) && snoops(h!).length === 0);
      await h.until('both idle', () => h!.attendant('att1').state === 'idle' && h!.attendant('att2').state === 'idle');
      // the stop is logged in a batch of its own: written once nothing waits
      await h.until('log written', () => h!.storeBacklog() === 0);
      const log = await h.store.queryLog({ operator: 'att2' });
      assert.ok(log.some((e) => e.action === 'monitor-stop' && e.callId === caller && e.result === 'call-ended'), 'the session end is logged as call-ended');
    });

    it('given att1 talking, when att2 barges in, then att2 joins the call bridge; att1 holding the call ends the barge-in', async () => {
      h = await withSupervisor();
      const { caller, leg } = await talkingWithAtt1(h);
      const { sessionId } = await ops(h).monitor('att2', caller, 'barge');
      await h.answer('PJSIP/att2');
      await h.until('three in the call bridge', () => bridgeOf(h!, caller)?.channels.length === 3);
      assert.deepEqual([...bridgeOf(h, caller)!.channels].sort(), [caller, leg, sessionId].sort());
      await ops(h).hold('att1', caller);
      await h.until('att2 released', () => !live(h!, sessionId) && h!.attendant('att2').state === 'idle');
      h.sim.hangupCaller(caller);
      await h.until('call ended', () => !h!.callRecord(caller));
    });

    it('given the supervisor does not answer, or hangs up, then the session ends and the supervisor is free', async () => {
      h = await withSupervisor();
      const { caller } = await talkingWithAtt1(h);
      const first = await ops(h).monitor('att2', caller, 'listen');
      await h.advance(30_000);
      await h.until('session ended', () => !live(h!, first.sessionId) && h!.attendant('att2').state === 'idle');
      const second = await ops(h).monitor('att2', caller, 'listen');
      await h.answer('PJSIP/att2');
      await h.until('snoop bridged', () => snoops(h!).length === 1);
      h.sim.hangupCaller(second.sessionId);
      await h.until('snoop gone', () => snoops(h!).length === 0 && h!.attendant('att2').state === 'idle');
      // the stop is logged in its own batch: read the log once it is written
      await h.until('log written', () => h!.storeBacklog() === 0);
      const log = await h.store.queryLog({ operator: 'att2' });
      assert.deepEqual(log.filter((e) => e.action === 'monitor-stop').map((e) => e.result), ['no-answer', 'supervisor hung up']);
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given bad monitoring requests, then they are refused', async () => {
      h = await withSupervisor();
      const { caller } = await talkingWithAtt1(h);
      await rejectsWith(ops(h).monitor('att1', caller, 'listen'), 'invalid_target');
      await rejectsWith(ops(h).monitor('att2', '1.999', 'listen'), 'unknown_call');
      await rejectsWith(ops(h).stopMonitor('att2', 'nope'), 'not_found');
      const { sessionId } = await ops(h).monitor('att2', caller, 'listen');
      await rejectsWith(ops(h).monitor('att2', caller, 'barge'), 'invalid_state');
      await rejectsWith(ops(h).stopMonitor('att1', sessionId), 'not_your_call');
      await ops(h).stopMonitor('att2', sessionId);
      h.sim.hangupCaller(caller);
      await h.until('both idle', () => h!.attendant('att1').state === 'idle' && h!.attendant('att2').state === 'idle');
    });
  });
});
