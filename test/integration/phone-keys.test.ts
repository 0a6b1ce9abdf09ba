// The attendant set during a call, end to end: keypad commands (DTMF on the attendant's leg), the
// set's own transfer key (REFER through ChannelTransfer), and the lamps of its programmable keys.
import assert from 'node:assert/strict';
import type { HarnessOptions } from '../support/harness.ts';
import { ARI_PASSWORD, ARI_USER, Harness } from '../support/harness.ts';
import { endTest, ERROR, live, Observer, OK, phoneConfig, talkingTo } from '../support/phone.ts';
import { ariCall } from '../support/sim-helpers.ts';
import { fixtureAvailable, loadSession } from '../conformance/fixture.ts';
import { isCallBridge } from '../support/sim-helpers.ts';

describe('the attendant set during a call', function () {
  this.timeout(20_000);
  let h: Harness | undefined;
  let obs: Observer | undefined;

  afterEach(async () => {
    const [hh, o] = [h, obs];
    [h, obs] = [undefined, undefined];
    await endTest(hh, o);
  });

  async function start(endpoints: HarnessOptions['endpoints'] = {}, config = phoneConfig()): Promise<Harness> {
    const hh = await Harness.start({ config, login: false, endpoints });
    await hh.switchboard.login('att1');
    obs = await Observer.start(hh);
    return hh;
  }

  const transferLegs = (hh: Harness, caller: string) => hh.sim.originated().filter((o) => o.appArgs[0] === '@transfer' && o.appArgs[1] === caller);
  const consultLegs = (hh: Harness, caller: string) => hh.sim.originated().filter((o) => o.appArgs[0] === '@consult' && o.appArgs[1] === caller).map((o) => o.channelId);
  const bridgeOf = (hh: Harness, id: string) => hh.sim.bridges().find((b) => b.channels.includes(id));

  /** the caller hangs up; during a consultation att1 releases the call instead (the caller leaving would hand it the third party) */
  async function end(hh: Harness, caller: string): Promise<void> {
    const rec = hh.callRecord(caller);
    if (rec?.attendant && (rec.state === 'consulting' || rec.state === 'conference')) await hh.switchboard.operations.hangup(rec.attendant, caller);
    else if (live(hh, caller)) hh.sim.hangupCaller(caller);
    await hh.until('call ended', () => !hh.callRecord(caller));
  }

  describe('keypad commands', () => {
    it('given att1 talking, when it keys *1201#, then the call is transferred blind to 201 and att1 is free at once', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 1000 } });
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      h.sim.sendDtmf(leg, '*1201#');
      await h.until('transferring', () => h!.callRecord(caller)?.state === 'transferring');
      assert.equal(h.attendant('att1').state, 'idle');
      await h.until('att1 leg released', () => !live(h!, leg));
      assert.equal(transferLegs(h, caller)[0]!.endpoint, 'Local/201@attendant-dial');
      await h.advance(1000);
      await h.until('handed over', () => !h!.callRecord(caller));
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'transfer' && e.callId === caller && e.numbers.includes('201')), 'log.some((e) => e.action === \'transfer\' && e.callId === caller && e.numbers.includes(\'2...');
      assert.deepEqual(obs!.played(leg), [], 'no sound: the set\'s call ended');
      h.sim.hangupCaller(caller);
      await h.until('target released', () => !live(h!, transferLegs(h!, caller)[0]!.channelId));
    });

    it('given att1 keys *1201 and stops, when the inter-digit timeout runs out, then the number is used', async () => {
      h = await start({ 'PJSIP/201': { kind: 'ring' } });
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      h.sim.sendDtmf(leg, '*1201');
      await h.settle();
      assert.equal(h.callRecord(caller)!.state, 'talking');
      await h.advance(3000);
      await h.until('transferring', () => h!.callRecord(caller)?.state === 'transferring');
      assert.equal(transferLegs(h, caller)[0]!.endpoint, 'Local/201@attendant-dial');
      await end(h, caller);
    });

    it('given att1 keys *1# or *2# (no number), a key with no command, or a lone *, then the error tone on its leg and the call goes on', async () => {
      h = await start();
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      h.sim.sendDtmf(leg, '*1#');
      await h.until('error tone', () => obs!.played(leg).length === 1);
      h.sim.sendDtmf(leg, '*2#');
      await h.until('error tone', () => obs!.played(leg).length === 2);
      h.sim.sendDtmf(leg, '*9');
      await h.until('error tone', () => obs!.played(leg).length === 3);
      h.sim.sendDtmf(leg, '*');
      await h.settle();
      await h.advance(3000);
      await h.until('error tone', () => obs!.played(leg).length === 4);
      assert.deepEqual(obs!.played(leg), [ERROR, ERROR, ERROR, ERROR]);
      assert.equal(h.callRecord(caller)!.state, 'talking');
      assert.equal(transferLegs(h, caller).length, 0);
      assert.equal(h.sim.originated().filter((o) => o.appArgs[0] === '@consult').length, 0);
      await end(h, caller);
    });

    it('given a number longer than any (33 digits), when att1 keys a transfer to it, then the error tone and the call goes on', async () => {
      h = await start();
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      h.sim.sendDtmf(leg, `*1${'1'.repeat(33)}`);
      await h.until('error tone', () => obs!.played(leg).length === 1);
      assert.deepEqual(obs!.played(leg), [ERROR]);
      assert.equal(h.callRecord(caller)!.state, 'talking');
      await end(h, caller);
    });

    it('given att1 talking, when it keys *7, then the call is held in slot 1 and the set\'s call ends', async () => {
      h = await start();
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      h.sim.sendDtmf(leg, '*7');
      await h.until('held', () => h!.callRecord(caller)?.state === 'held');
      assert.equal(h.callRecord(caller)!.slot, 1);
      await h.until('leg released', () => !live(h!, leg));
      assert.equal(h.attendant('att1').state, 'idle');
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'hold' && e.callId === caller), 'log.some((e) => e.action === \'hold\' && e.callId === caller)');
      await end(h, caller);
    });

    it('given att1 talking, when it keys *8, then the call is parked in slot 1 and the slot\'s lamp lights', async () => {
      h = await start();
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      h.sim.sendDtmf(leg, '*8');
      await h.until('parked', () => h!.callRecord(caller)?.state === 'parked');
      assert.equal(h.callRecord(caller)!.parkSlot, 1);
      await h.until('leg released', () => !live(h!, leg));
      await h.until('park lamp', () => lamp(h!, 'park-1') === 'INUSE');
      await end(h, caller);
    });

    it('given no consultation, when att1 keys complete, cancel, swap or conference, then the error tone each time and the call goes on', async () => {
      h = await start();
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      for (const [i, key] of ['*3', '*4', '*5', '*6'].entries()) {
        h.sim.sendDtmf(leg, key);
        await h.until(`error tone ${i + 1}`, () => obs!.played(leg).length === i + 1);
      }
      assert.deepEqual(obs!.played(leg), [ERROR, ERROR, ERROR, ERROR]);
      assert.equal(h.callRecord(caller)!.state, 'talking');
      await end(h, caller);
    });

    it('given the caller keys *7 and *1201#, then no operator command runs and nobody hears a tone', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      h.sim.sendDtmf(caller, '*7');
      h.sim.sendDtmf(caller, '*1201#');
      await h.settle();
      await h.advance(3000);
      await h.settle();
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.state, rec.leg, rec.slot], ['talking', leg, undefined]);
      assert.equal(transferLegs(h, caller).length, 0);
      assert.deepEqual([obs!.played(leg), obs!.played(caller)], [[], []]);
      await end(h, caller);
    });

    describe('consultation', () => {
      /** att1 keys *2201#: 201 is consulted (and answers at once with the default endpoint) */
      async function consultByKeys(hh: Harness, caller: string, leg: string): Promise<string> {
        hh.sim.sendDtmf(leg, '*2201#');
        await hh.until('consulting', () => hh.callRecord(caller)?.state === 'consulting' && consultLegs(hh, caller).length === 1);
        return consultLegs(hh, caller)[0]!;
      }

      it('given att1 talking, when it keys *2201#, then 201 is consulted while the caller waits with music and att1 hears the beep', async () => {
        h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
        const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
        const target = await consultByKeys(h, caller, leg);
        await h.until('beep', () => obs!.played(leg).includes(OK));
        await h.until('att1 talks with 201', () => bridgeOf(h!, target)?.channels.includes(leg) === true);
        assert.ok(isCallBridge(bridgeOf(h, caller), 'hold', caller), 'the caller is in its hold bridge');
        const log = await h.store.queryLog({ operator: 'att1' });
        assert.ok(log.some((e) => e.action === 'consult' && e.callId === caller && e.result === 'ringing'), 'log.some((e) => e.action === \'consult\' && e.callId === caller && e.result === \'ringing\')');
        await end(h, caller);
      });

      it('given a consultation, when att1 keys *3, then caller and 201 are connected and att1 is free', async () => {
        h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
        const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
        const target = await consultByKeys(h, caller, leg);
        await h.until('201 answered', () => h!.callRecord(caller)?.consultAnswered === true);
        h.sim.sendDtmf(leg, '*3');
        await h.until('handed over', () => !h!.callRecord(caller));
        await h.until('att1 leg released', () => !live(h!, leg));
        await h.until('caller with 201', () => bridgeOf(h!, caller)?.channels.includes(target) === true);
        assert.equal(h.attendant('att1').state, 'idle');
        const log = await h.store.queryLog({ operator: 'att1' });
        assert.ok(log.some((e) => e.action === 'transfer-complete' && e.callId === caller), 'log.some((e) => e.action === \'transfer-complete\' && e.callId === caller)');
        h.sim.hangupCaller(target);
        await h.until('caller released', () => !live(h!, caller));
      });

      it('given a consultation, when att1 keys *4, then 201 is released and att1 talks with the caller again', async () => {
        h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
        const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
        const target = await consultByKeys(h, caller, leg);
        await h.until('201 answered', () => h!.callRecord(caller)?.consultAnswered === true);
        h.sim.sendDtmf(leg, '*4');
        await h.until('201 hung up', () => !live(h!, target));
        await h.until('back with the caller', () => bridgeOf(h!, caller)?.channels.includes(leg) === true);
        await h.until('two beeps', () => obs!.played(leg).length === 2);
        assert.deepEqual(obs!.played(leg), [OK, OK]);
        assert.equal(h.callRecord(caller)!.state, 'talking');
        await end(h, caller);
      });

      it('given a consultation, when att1 keys *5, then it talks with the caller while 201 waits with music', async () => {
        h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
        const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
        const target = await consultByKeys(h, caller, leg);
        await h.until('201 answered', () => h!.callRecord(caller)?.consultAnswered === true);
        h.sim.sendDtmf(leg, '*5');
        await h.until('with the caller', () => bridgeOf(h!, caller)?.channels.includes(leg) === true && isCallBridge(bridgeOf(h!, target), 'hold', caller));
        assert.equal(h.callRecord(caller)!.talkingTo, 'caller');
        await end(h, caller);
        await h.until('201 released', () => !live(h!, target));
      });

      it('given a consultation, when att1 keys *6, then the three talk together', async () => {
        h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
        const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
        const target = await consultByKeys(h, caller, leg);
        await h.until('201 answered', () => h!.callRecord(caller)?.consultAnswered === true);
        h.sim.sendDtmf(leg, '*6');
        await h.until('three-way', () => [caller, leg, target].every((id) => isCallBridge(bridgeOf(h!, id), 'call', caller)));
        assert.equal(h.callRecord(caller)!.state, 'conference');
        await h.switchboard.operations.hangup('att1', caller);
        await h.until('all released', () => ![caller, leg, target].some((id) => live(h!, id)));
        await h.until('ended', () => !h!.callRecord(caller));
      });
    });
  });

  describe('the set\'s transfer key (REFER, ari-only)', () => {
    it('given att1 answered, when its set presses transfer to 201, then progress and answered are reported and the call is transferred blind', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 1000 } });
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      h.sim.pressTransfer(leg, '201');
      await h.until('reported', () => obs!.transferStates(leg).length === 3);
      assert.deepEqual(obs!.transferStates(leg), [undefined, 'channel_progress', 'channel_answered']);
      await h.until('att1 leg released', () => !live(h!, leg));
      assert.equal(h.attendant('att1').state, 'idle');
      await h.advance(1000);
      await h.until('handed over', () => !h!.callRecord(caller));
      const target = transferLegs(h, caller)[0]!.channelId;
      assert.ok(h.sim.bridges().some((b) => b.channels.includes(caller) && b.channels.includes(target)), 'h.sim.bridges().some((b) => b.channels.includes(caller) && b.channels.includes(target))');
      const log = await h.store.queryLog({ number: '201' });
      assert.deepEqual(log.filter((e) => e.callId === caller).map((e) => [e.operator, e.action, e.result]), [['att1', 'transfer', 'ringing'], ['att1', 'transfer-complete', 'completed-transfer']]);
      h.sim.hangupCaller(caller);
      await h.until('target released', () => !live(h!, target));
    });

    it('given a set that hangs up as soon as its REFER is accepted, then the caller is not released and the transfer goes on', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 1000 } });
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      h.sim.pressTransfer(leg, '201');
      h.sim.hangupCaller(leg);
      await h.until('transferring', () => h!.callRecord(caller)?.state === 'transferring' && transferLegs(h!, caller).length === 1);
      assert.ok(live(h, caller), 'the caller is still there');
      await h.advance(1000);
      await h.until('handed over', () => !h!.callRecord(caller));
      const target = transferLegs(h, caller)[0]!.channelId;
      assert.ok(h.sim.bridges().some((b) => b.channels.includes(caller) && b.channels.includes(target)), 'h.sim.bridges().some((b) => b.channels.includes(caller) && b.channels.includes(target))');
      h.sim.hangupCaller(caller);
      await h.until('target released', () => !live(h!, target));
    });

    it('given the target does not answer, when the set transferred, then the call recalls att1 after the recall timer', async () => {
      h = await start({ 'PJSIP/201': { kind: 'ring' } });
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      h.sim.pressTransfer(leg, '201');
      await h.until('transferring', () => h!.callRecord(caller)?.state === 'transferring' && transferLegs(h!, caller).length === 1);
      await h.until('att1 leg released', () => !live(h!, leg));
      await h.advance(30_000);
      await h.until('att1 rings again', () => h!.ringing('PJSIP/att1').length === 1);
      const again = await h.answer('PJSIP/att1');
      await h.until('talking again', () => h!.callRecord(caller)?.leg === again && h!.callRecord(caller)?.talkBridge !== undefined);
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'transfer-failed' && e.callId === caller && e.result === 'no-answer'), 'log.some((e) => e.action === \'transfer-failed\' && e.callId === caller && e.result === \'...');
      await end(h, caller);
    });

    it('given a target that is no number, when the set presses transfer to it, then declined is reported and the call goes on', async () => {
      h = await start();
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      h.sim.pressTransfer(leg, 'reception');
      await h.until('reported', () => obs!.transferStates(leg).length === 3);
      assert.deepEqual(obs!.transferStates(leg), [undefined, 'channel_progress', 'channel_declined']);
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.state, rec.leg], ['talking', leg]);
      assert.equal(transferLegs(h, caller).length, 0);
      await end(h, caller);
    });

    it('given an attended REFER that replaces a call the controller does not handle, then declined is reported and the call goes on', async () => {
      h = await start();
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      // the set's other call: a call of its own through the dialplan (a colleague's extension)
      const other = h.sim.placeCall({ from: 'PJSIP/att1', callerNumber: 'att1', context: 'attendant-sets', exten: '201', app: 'elsewhere', appArgs: [] });
      h.sim.pressTransfer(leg, '201', other);
      await h.until('reported', () => obs!.transferStates(leg).length === 2);
      assert.deepEqual(obs!.transferStates(leg), [undefined, 'channel_declined']);
      assert.equal(h.callRecord(caller)!.state, 'talking');
      h.sim.hangupCaller(other);
      await end(h, caller);
    });

    it('given a consultation, when the set presses transfer replacing the consultation, then it is completed like *3', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      await h.switchboard.operations.consult('att1', caller, '201');
      await h.until('201 answered', () => h!.callRecord(caller)?.consultAnswered === true);
      const target = consultLegs(h, caller)[0]!;
      h.sim.pressTransfer(leg, '201', target);
      await h.until('reported', () => obs!.transferStates(leg).length === 3);
      assert.deepEqual(obs!.transferStates(leg), [undefined, 'channel_progress', 'channel_answered']);
      await h.until('caller with 201', () => bridgeOf(h!, caller)?.channels.includes(target) === true && !h!.callRecord(caller));
      assert.equal(h.attendant('att1').state, 'idle');
      h.sim.hangupCaller(caller);
      await h.until('201 released', () => !live(h!, target));
    });

    it('given a consultation, when the set presses transfer to the party consulted, then the consultation is completed', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      await h.switchboard.operations.consult('att1', caller, '201');
      await h.until('201 answered', () => h!.callRecord(caller)?.consultAnswered === true);
      const target = consultLegs(h, caller)[0]!;
      h.sim.pressTransfer(leg, '201');
      await h.until('caller with 201', () => bridgeOf(h!, caller)?.channels.includes(target) === true && !h!.callRecord(caller));
      assert.deepEqual(obs!.transferStates(leg), [undefined, 'channel_progress', 'channel_answered']);
      assert.equal(transferLegs(h, caller).length, 0, 'no new call to 201');
      h.sim.hangupCaller(caller);
      await h.until('201 released', () => !live(h!, target));
    });

    it('given a three-way call, when the set presses transfer to the third party, then att1 leaves and the two go on', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      await h.switchboard.operations.consult('att1', caller, '201');
      await h.until('201 answered', () => h!.callRecord(caller)?.consultAnswered === true);
      await h.switchboard.operations.conference('att1', caller);
      const target = consultLegs(h, caller)[0]!;
      h.sim.pressTransfer(leg, '201');
      await h.until('att1 left', () => !h!.callRecord(caller) && !live(h!, leg));
      assert.ok(bridgeOf(h, caller)?.channels.includes(target), 'bridgeOf(h, caller)?.channels.includes(target)');
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'conference-leave' && e.callId === caller), 'log.some((e) => e.action === \'conference-leave\' && e.callId === caller)');
      h.sim.hangupCaller(caller);
      await h.until('201 released', () => !live(h!, target));
    });

    it('given a consultation, when the set presses transfer to someone else, then declined is reported and the consultation goes on', async () => {
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      await h.switchboard.operations.consult('att1', caller, '201');
      await h.until('201 answered', () => h!.callRecord(caller)?.consultAnswered === true);
      h.sim.pressTransfer(leg, '202');
      await h.until('reported', () => obs!.transferStates(leg).length === 3);
      assert.deepEqual(obs!.transferStates(leg), [undefined, 'channel_progress', 'channel_declined']);
      assert.equal(h.callRecord(caller)!.state, 'consulting');
      await end(h, caller);
      await h.until('201 released', () => !live(h!, consultLegs(h!, caller)[0]!));
    });

    it('given a consultation still ringing, when the set presses transfer replacing it and nobody answers, then the call recalls att1 like a console transfer', async () => {
      h = await start({ 'PJSIP/201': { kind: 'ring' } });
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      await h.switchboard.operations.consult('att1', caller, '201');
      await h.until('201 rings', () => consultLegs(h!, caller).length === 1 && live(h!, consultLegs(h!, caller)[0]!));
      const target = consultLegs(h, caller)[0]!;
      h.sim.pressTransfer(leg, '201', target);
      await h.until('transfer on ringing', () => h!.callRecord(caller)?.state === 'transferring');
      await h.until('att1 free', () => h!.attendant('att1').state === 'idle' && !live(h!, leg));
      assert.equal(obs!.transferStates(leg)[1], 'channel_progress');
      await h.advance(30_000);
      await h.until('201 given up', () => !live(h!, target));
      await h.until('att1 rings again', () => h!.ringing('PJSIP/att1').length === 1);
      await h.answer('PJSIP/att1');
      await h.until('talking again', () => h!.callRecord(caller)?.state === 'talking' && h!.callRecord(caller)?.talkBridge !== undefined);
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'transfer-failed' && e.callId === caller && e.result === 'no-answer'), 'log.some((e) => e.action === \'transfer-failed\' && e.callId === caller && e.result === \'...');
      await end(h, caller);
    });

    it('given the recorded ari-only REFER (refer-transfer.jsonl), then the set sees the same ChannelTransfer sequence from the controller', async function () {
      if (!fixtureAvailable('refer-transfer.jsonl')) this.skip();
      const recorded = loadSession('refer-transfer.jsonl', 'refer').records.flatMap((r) => (r.kind === 'event' && r.event.type === 'ChannelTransfer' ? [r.event.state as string | undefined] : []));
      // the recording's app set PJSIP_TRANSFER_HANDLING() after the answer; the controller gives it with the
      // originate (the simulator's pressTransfer refuses a leg without ari-only), so only the progress reports compare
      const recordedRest = loadSession('refer-transfer.jsonl', 'refer').records.flatMap((r) => (r.kind === 'rest' && /transfer_progress/.test(r.path) ? [r.path.replace(/\/channels\/[^/]+\//, '/channels/{set}/')] : []));
      h = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const { caller, leg } = await talkingTo(h, 'PJSIP/att1');
      h.sim.pressTransfer(leg, '201');
      await h.until('reported', () => obs!.transferStates(leg).length === recorded.length);
      assert.deepEqual(obs!.transferStates(leg), recorded);
      const routes = Object.keys(h.sim.requests().byRoute);
      assert.ok(!routes.includes('POST /channels/{channelId}/variable'), 'no variable set after the answer: the leg had it from its originate');
      for (const path of recordedRest) {
        const route = `POST ${path.split('?')[0]!.replace('{set}', '{channelId}')}`;
        assert.ok(routes.includes(route), `the controller sent ${route} (routes: ${routes.join(', ')})`);
      }
      await h.until('handed over', () => !h!.callRecord(caller));
      h.sim.hangupCaller(caller);
      await h.settle();
    });
  });

  describe('key lamps', () => {
    it('given a call waits, then Stasis:queue-<group> is RINGING, and NOT_INUSE once the queue is empty', async () => {
      h = await start();
      await h.until('lamp off', () => lamp(h!, 'queue-operators') === 'NOT_INUSE');
      const caller = h.call({ class: 'slow' });
      await h.until('lamp ringing', () => lamp(h!, 'queue-operators') === 'RINGING');
      await h.switchboard.operations.answerWaiting('att1', caller);
      await h.answer('PJSIP/att1');
      await h.until('lamp off', () => lamp(h!, 'queue-operators') === 'NOT_INUSE');
      await h.until('connected', () => h!.callRecord(caller)?.talkBridge !== undefined);
      await end(h, caller);
    });

    it('given a call parked in slot 1, then Stasis:park-1 is INUSE, and NOT_INUSE once picked up', async () => {
      h = await start();
      const { caller } = await talkingTo(h, 'PJSIP/att1');
      await h.until('lamp off', () => lamp(h!, 'park-1') === 'NOT_INUSE');
      await h.switchboard.operations.park('att1', caller);
      await h.until('lamp on', () => lamp(h!, 'park-1') === 'INUSE');
      assert.equal(lamp(h, 'park-2'), 'NOT_INUSE');
      await h.switchboard.operations.pickupParked('att1', 1);
      await h.answer('PJSIP/att1');
      await h.until('lamp off', () => lamp(h!, 'park-1') === 'NOT_INUSE');
      await h.until('connected', () => h!.callRecord(caller)?.talkBridge !== undefined);
      await end(h, caller);
    });

    it('given a group switched to night and back, then Stasis:night-<group> is INUSE, then NOT_INUSE', async () => {
      h = await start();
      await h.until('lamp off', () => lamp(h!, 'night-operators') === 'NOT_INUSE');
      await h.switchboard.setGroupOverride('operators', 'night');
      await h.until('lamp on', () => lamp(h!, 'night-operators') === 'INUSE');
      await h.switchboard.setGroupOverride('operators', undefined);
      await h.until('lamp off', () => lamp(h!, 'night-operators') === 'NOT_INUSE');
    });

    it('given a schedule that turns to night at 10:00, when the clock passes it, then the night lamp lights with no call or key', async () => {
      const config = phoneConfig();
      config.groups[0]!.schedule = { timezone: 'UTC', otherwise: 'night', rules: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '10:00', mode: 'day' }] };
      h = await start({}, config);
      await h.until('day', () => lamp(h!, 'night-operators') === 'NOT_INUSE');
      await h.advance(59 * 60_000);
      assert.equal(lamp(h, 'night-operators'), 'NOT_INUSE');
      await h.advance(60_000);
      await h.until('night', () => lamp(h!, 'night-operators') === 'INUSE');
    });

    it('given Asterisk lost the lamps, when the controller reconnects, then it sends them all again', async () => {
      h = await start();
      await h.until('lamps sent', () => lamp(h!, 'queue-operators') === 'NOT_INUSE' && lamp(h!, 'park-20') === 'NOT_INUSE');
      for (const name of ['queue-operators', 'park-20', 'night-backup']) {
        const r = await ariCall(h.sim, 'DELETE', `/deviceStates/Stasis:${name}`, undefined, `${ARI_USER}:${ARI_PASSWORD}`);
        assert.equal(r.status, 204);
      }
      assert.equal(lamp(h, 'queue-operators'), undefined);
      h.sim.dropWebSocket('attendant');
      await h.until('lamps back', () => lamp(h!, 'queue-operators') === 'NOT_INUSE' && lamp(h!, 'park-20') === 'NOT_INUSE' && lamp(h!, 'night-backup') === 'NOT_INUSE', 10_000);
    });
  });
});

function lamp(h: Harness, name: string): string | undefined {
  return h.sim.deviceStates().find((d) => d.name === `Stasis:${name}`)?.state;
}
