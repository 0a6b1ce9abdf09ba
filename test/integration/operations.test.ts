// Attendant operations end to end: controller + ARI simulator over real sockets + Redis.
import assert from 'node:assert/strict';
import { rejectsWith, stopChecked } from '../support/orphans.ts';
import { OperationError } from '../../lib/calls/operations-port.ts';
import { Harness, type HarnessOptions } from '../support/harness.ts';
import { isCallBridge } from '../support/sim-helpers.ts';
import { bridgeRouteOfName } from '../../lib/calls/routes.ts';

const ATTENDANTS = [
  { id: 'att1', name: 'Alice', device: 'PJSIP/att1' },
  { id: 'att2', name: 'Bob', device: 'PJSIP/att2' },
];

function config(): HarnessOptions['config'] {
  return {
    attendants: ATTENDANTS,
    classes: [
      { id: 'external', priority: 5, delayedRing: 0 },
      { id: 'recall', priority: 7, delayedRing: 0 },
      // delayed ring: the call waits a minute before the hunt, so an operator can pick it from the console
      { id: 'slow', priority: 5, delayedRing: 60 },
      { id: 'slow-urgent', priority: 9, delayedRing: 60 },
    ],
    groups: [{ id: 'operators', name: 'Operators', members: ['att1', 'att2'], strategy: 'longest-idle', ringTimeout: 15, table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' } } }],
    directory: {
      entries: [
        { name: 'Jeanne Martin', number: '201', shortCode: '11', department: 'Sales' },
        { name: 'Paul Durand', number: '202', shortCode: '12' },
        { name: 'Martine Roux', number: '3301' },
      ],
    },
  };
}

describe('attendant operations over ARI', function () {
  this.timeout(20_000);
  let h: Harness | undefined;

  afterEach(async () => {
    if (h) await stopChecked(h);
    h = undefined;
  });

  async function talking(hh: Harness, caller: string, device: string): Promise<string> {
    const leg = await hh.answer(device);
    await hh.until('connected', () => hh.callRecord(caller)?.talkBridge !== undefined);
    return leg;
  }

  describe('answerWaiting', () => {
    it('given a waiting call, when att1 picks it on the console, then only att1 rings and answering connects the caller', async () => {
      h = await Harness.start({ config: config() });
      const caller = h.call({ class: 'slow' });
      await h.until('waits', () => h!.callRecord(caller)?.state === 'waiting' && h!.waitsWithMusic(caller));
      assert.equal(await h.switchboard.operations.answerWaiting('att1', caller), caller);
      await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
      assert.equal(h.ringing('PJSIP/att2').length, 0);
      assert.equal(h.attendant('att2').state, 'idle');
      await talking(h, caller, 'PJSIP/att1');
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.state, rec.attendant], ['talking', 'att1']);
      assert.equal(h.queue('operators').length, 0);
      const bridge = h.sim.bridges().find((b) => b.id === rec.talkBridge)!;
      assert.equal(bridge.channels.length, 2);
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'answer-waiting' && e.callId === caller && e.result === 'presented'), 'log.some((e) => e.action === \'answer-waiting\' && e.callId === caller && e.result === \'p...');
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given two waiting calls, when att2 asks for the next one, then the most urgent is presented to att2', async () => {
      h = await Harness.start({ config: config() });
      const first = h.call({ class: 'slow' });
      await h.advance(1000);
      const urgent = h.call({ class: 'slow-urgent' });
      await h.until('both wait', () => h!.queue('operators').length === 2);
      assert.equal(await h.switchboard.operations.answerWaiting('att2'), urgent);
      await h.until('att2 rings', () => h!.ringing('PJSIP/att2').length === 1);
      assert.equal(h.callRecord(first)!.state, 'waiting');
      h.sim.hangupCaller(first);
      h.sim.hangupCaller(urgent);
      await h.until('both gone', () => !h!.callRecord(first) && !h!.callRecord(urgent));
    });

    it('given nothing waits, or the attendant is not free, or the call is unknown, then the pick is refused and nothing rings', async () => {
      h = await Harness.start({ config: config() });
      await rejectsWith(h.switchboard.operations.answerWaiting('att1'), 'not_found');
      await rejectsWith(h.switchboard.operations.answerWaiting('att1', '1.999'), 'unknown_call');
      await rejectsWith(h.switchboard.operations.answerWaiting('att9'), 'unknown_attendant');
      const caller = h.call({ class: 'slow' });
      await h.until('waits', () => h!.callRecord(caller)?.state === 'waiting');
      await h.switchboard.attendantAction('att1', { type: 'dnd', on: true });
      await rejectsWith(h.switchboard.operations.answerWaiting('att1', caller), 'invalid_state');
      await h.switchboard.attendantAction('att2', { type: 'logout' });
      await rejectsWith(h.switchboard.operations.answerWaiting('att2', caller), 'not_your_call');
      await h.settle();
      assert.deepEqual([h.ringing('PJSIP/att1').length, h.ringing('PJSIP/att2').length], [0, 0]);
      assert.equal(h.callRecord(caller)!.state, 'waiting');
      h.sim.hangupCaller(caller);
      await h.until('gone', () => !h!.callRecord(caller));
    });

    it('given att1 picked a call, when att1 does not answer within the ring timeout, then the call waits again', async () => {
      h = await Harness.start({ config: config() });
      const caller = h.call({ class: 'slow' });
      await h.until('waits', () => h!.callRecord(caller)?.state === 'waiting');
      await h.switchboard.operations.answerWaiting('att1', caller);
      await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
      await h.advance(15_000);
      await h.until('waits again', () => h!.callRecord(caller)?.state === 'waiting' && h!.ringing('PJSIP/att1').length === 0);
      h.sim.hangupCaller(caller);
      await h.until('gone', () => !h!.callRecord(caller));
    });
  });

  describe('hangup', () => {
    it('given att1 talking, when att1 releases the call, then both sides hang up, the bridge goes and att1 is idle', async () => {
      h = await Harness.start({ config: config() });
      const caller = h.call();
      await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
      const leg = await talking(h, caller, 'PJSIP/att1');
      const bridge = h.callRecord(caller)!.talkBridge!;
      await h.switchboard.operations.hangup('att1', caller);
      await h.until('caller hung up', () => h!.sim.channels().find((c) => c.id === caller)?.hungUp !== false);
      await h.until('leg hung up', () => h!.sim.channels().find((c) => c.id === leg)?.hungUp !== false);
      await h.until('bridge gone', () => !h!.sim.bridges().some((b) => b.id === bridge));
      assert.equal(h.callRecord(caller), undefined);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'hangup' && e.callId === caller && e.result === 'ok'), 'log.some((e) => e.action === \'hangup\' && e.callId === caller && e.result === \'ok\')');
    });

    it('given att1 talking, when att2 tries to release it, then not_your_call and the call goes on', async () => {
      h = await Harness.start({ config: config() });
      const caller = h.call();
      await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
      await talking(h, caller, 'PJSIP/att1');
      await rejectsWith(h.switchboard.operations.hangup('att2', caller), 'not_your_call');
      await rejectsWith(h.switchboard.operations.hangup('att1', '1.999'), 'unknown_call');
      await h.settle();
      assert.equal(h.callRecord(caller)!.state, 'talking');
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given a call ringing at att1, when att1 releases it, then invalid_state (only a call in conversation is released)', async () => {
      h = await Harness.start({ config: config() });
      const caller = h.call();
      await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
      await rejectsWith(h.switchboard.operations.hangup('att1', caller), 'invalid_state');
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });
  });

  describe('answer races', () => {
    it('given the caller hangs up while the call bridge is being made, then the call ends and the bridge does not stay behind', async () => {
      h = await Harness.start({ config: config(), login: false });
      await h.switchboard.login('att1');
      const caller = h.call();
      await h.until('att1 rings, the caller hears ringback', () => h!.ringing('PJSIP/att1').length === 1 && h!.hearsRingback(caller));
      // Asterisk is slow to answer: the bridge is still being made when the caller gives up
      h.sim.delayRequests(1000);
      const creates = () => h!.sim.requests().byRoute['POST /bridges/{bridgeId}'] ?? 0;
      const before = creates();
      await h.answer('PJSIP/att1');
      await h.until('the call bridge is being made', () => creates() > before);
      h.sim.hangupCaller(caller);
      await h.until('ended', () => !h!.callRecord(caller));
      h.sim.clearFaults();
      await h.advance(1000);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
      await h.until('no call bridge', () => !h!.sim.bridges().some((b) => isCallBridge(b, 'call', caller)));
    });
  });

  describe('an attendant action refused half way', () => {
    it('given att1 ringing after a missed presentation, when it asks for DND (refused while ringing), then memory and Redis keep the same record', async () => {
      h = await Harness.start({ config: config(), login: false });
      await h.switchboard.login('att1');
      const caller = h.call();
      await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
      await h.advance(15_000);
      await h.until('rings again', () => h!.ringing('PJSIP/att1').length === 1 && h!.attendant('att1').state === 'ringing');
      const before = h.attendant('att1');
      assert.ok((before.unansweredMs ?? 0) > 0, 'the missed ring time counts towards absent');
      // the key press (action) is applied in the batch before DND is refused: the batch is dropped whole
      await assert.rejects(h.switchboard.attendantAction('att1', { type: 'dnd', on: true }), /dnd|ringing|transition/i);
      assert.equal(h.attendant('att1'), before, 'memory unchanged');
      await h.settle();
      const stored = (await h.store.snapshot()).attendants.find((a) => a.id === 'att1');
      assert.deepEqual(stored, before, 'Redis holds what memory holds');
      h.sim.hangupCaller(caller);
      await h.until('call gone', () => !h!.callRecord(caller));
    });
  });

  describe('hold and retrieve', () => {
    async function onlyAtt1(): Promise<Harness> {
      const hh = await Harness.start({ config: config(), login: false });
      await hh.switchboard.login('att1');
      return hh;
    }

    async function connectedToAtt1(hh: Harness): Promise<{ caller: string; leg: string }> {
      const caller = hh.call();
      await hh.until('att1 rings', () => hh.ringing('PJSIP/att1').length === 1);
      const leg = await talking(hh, caller, 'PJSIP/att1');
      return { caller, leg };
    }

    function isLive(hh: Harness, id: string): boolean {
      return hh.sim.channels().some((c) => c.id === id && !c.hungUp);
    }

    it('given att1 talking, when att1 holds the call, then the caller hears music in a holding bridge, the set is released and att1 is idle', async () => {
      h = await onlyAtt1();
      const { caller, leg } = await connectedToAtt1(h);
      const talkBridge = h.callRecord(caller)!.talkBridge!;
      assert.deepEqual(await h.switchboard.operations.hold('att1', caller), { slot: 1 });
      await h.until('leg released', () => !isLive(h!, leg));
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.state, rec.slot, rec.attendant, rec.leg, rec.talkBridge], ['held', 1, 'att1', undefined, undefined]);
      const holding = h.sim.bridges().find((b) => b.id === rec.holdBridge)!;
      assert.equal(holding.type, 'holding');
      assert.ok(holding.moh, 'holding.moh');
      assert.deepEqual(holding.channels, [caller]);
      await h.until('call bridge gone', () => !h!.sim.bridges().some((b) => b.id === talkBridge));
      assert.equal(h.attendant('att1').state, 'idle');
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'hold' && e.callId === caller && e.detail?.slot === '1'), 'log.some((e) => e.action === \'hold\' && e.callId === caller && e.detail?.slot === \'1\')');
      h.sim.hangupCaller(caller);
      await h.until('gone', () => !h!.callRecord(caller));
    });

    it('given a call on hold in slot 1, when att1 retrieves it, then att1 rings again and answering bridges the caller back', async () => {
      h = await onlyAtt1();
      const { caller } = await connectedToAtt1(h);
      await h.switchboard.operations.hold('att1', caller);
      const holdBridge = h.callRecord(caller)!.holdBridge!;
      assert.equal(await h.switchboard.operations.retrieve('att1', 1), caller);
      await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
      const leg = await talking(h, caller, 'PJSIP/att1');
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.state, rec.slot, rec.leg, rec.holdBridge], ['talking', undefined, leg, undefined]);
      assert.deepEqual([...h.sim.bridges().find((b) => b.id === rec.talkBridge)!.channels].sort(), [caller, leg].sort());
      await h.until('hold bridge gone', () => !h!.sim.bridges().some((b) => b.id === holdBridge));
      assert.equal(h.attendant('att1').state, 'busy');
      await h.switchboard.operations.hangup('att1', caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given two calls held by att1, then they take slots 1 and 2; an empty slot or another operator\'s call is refused', async () => {
      h = await onlyAtt1();
      const first = await connectedToAtt1(h);
      assert.deepEqual(await h.switchboard.operations.hold('att1', first.caller), { slot: 1 });
      const second = await connectedToAtt1(h);
      await h.switchboard.login('att2');
      await rejectsWith(h.switchboard.operations.hold('att2', second.caller), 'not_your_call');
      assert.deepEqual(await h.switchboard.operations.hold('att1', second.caller), { slot: 2 });
      await rejectsWith(h.switchboard.operations.retrieve('att1', 3), 'slot_empty');
      await rejectsWith(h.switchboard.operations.retrieve('att2', 1), 'slot_empty');
      await rejectsWith(h.switchboard.operations.hold('att1', first.caller), 'invalid_state');
      for (const c of [first.caller, second.caller]) h.sim.hangupCaller(c);
      await h.until('both gone', () => !h!.callRecord(first.caller) && !h!.callRecord(second.caller));
    });

    it('given a call held longer than the recall timer, then att1 rings again; unanswered it stays on hold and recalls once more', async () => {
      h = await onlyAtt1();
      const { caller } = await connectedToAtt1(h);
      await h.switchboard.operations.hold('att1', caller);
      await h.advance(29_000);
      assert.equal(h.ringing('PJSIP/att1').length, 0);
      await h.advance(1_000);
      await h.until('recall rings att1', () => h!.ringing('PJSIP/att1').length === 1);
      await h.advance(15_000);
      await h.until('back on hold', () => h!.callRecord(caller)?.state === 'held' && h!.ringing('PJSIP/att1').length === 0);
      assert.equal(h.callRecord(caller)!.slot, 1);
      assert.ok(h.sim.bridges().find((b) => b.id === h!.callRecord(caller)!.holdBridge)?.channels.includes(caller), 'h.sim.bridges().find((b) => b.id === h!.callRecord(caller)!.holdBridge)?.channels.inclu...');
      await h.advance(30_000);
      await h.until('second recall rings att1', () => h!.ringing('PJSIP/att1').length === 1);
      await talking(h, caller, 'PJSIP/att1');
      assert.equal(h.callRecord(caller)!.state, 'talking');
      const log = await h.store.queryLog({ operator: 'system' });
      assert.equal(log.filter((e) => e.action === 'recall' && e.callId === caller).length, 2);
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given a call on hold, when the caller hangs up, then the call ends, its holding bridge goes and no recall rings', async () => {
      h = await onlyAtt1();
      const { caller } = await connectedToAtt1(h);
      await h.switchboard.operations.hold('att1', caller);
      const holdBridge = h.callRecord(caller)!.holdBridge!;
      h.sim.hangupCaller(caller);
      await h.until('call ended', () => !h!.callRecord(caller));
      await h.until('hold bridge gone', () => !h!.sim.bridges().some((b) => b.id === holdBridge));
      await h.advance(31_000);
      assert.equal(h.ringing('PJSIP/att1').length, 0);
      assert.equal(h.attendant('att1').state, 'idle');
    });

    it('given Asterisk refuses the holding bridge, when att1 holds, then ari_failed names the step, the caller still talks with att1 and no bridge is left; holding again works', async () => {
      h = await onlyAtt1();
      const { caller, leg } = await connectedToAtt1(h);
      const talkBridge = h.callRecord(caller)!.talkBridge!;
      h.sim.failRequests({ status: 500, count: 1, pathPrefix: '/bridges' });
      await assert.rejects(h.switchboard.operations.hold('att1', caller), (err: unknown) => err instanceof OperationError && err.code === 'ari_failed'
        && err.failure?.step === 'create holding bridge' && err.failure.ariStatus === 500);
      await h.settle();
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.state, rec.leg, rec.talkBridge, rec.holdBridge], ['talking', leg, talkBridge, undefined]);
      assert.deepEqual(h.sim.bridges().find((b) => b.id === talkBridge)?.channels.sort(), [caller, leg].sort());
      assert.equal(h.attendant('att1').state, 'busy');
      assert.deepEqual(h.sim.bridges().filter((b) => bridgeRouteOfName(b.name)?.role === 'hold').map((b) => b.id), []);
      assert.deepEqual(await h.switchboard.operations.hold('att1', caller), { slot: 1 });
      h.sim.hangupCaller(caller);
      await h.until('call ended', () => !h!.callRecord(caller));
      const log = await h.store.queryLog({ number: '0155501234' });
      assert.ok(log.some((e) => e.action === 'end' && e.callId === caller && e.result === 'completed'), 'ended as completed, not lost');
    });

    it('given a retrieve ringing, when the caller hangs up, then the set stops ringing and att1 is idle', async () => {
      h = await onlyAtt1();
      const { caller } = await connectedToAtt1(h);
      await h.switchboard.operations.hold('att1', caller);
      await h.switchboard.operations.retrieve('att1', 1);
      await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
      h.sim.hangupCaller(caller);
      await h.until('stops ringing', () => h!.ringing('PJSIP/att1').length === 0 && !h!.callRecord(caller));
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });
  });

  describe('blind transfer', () => {
    async function onlyAtt1(endpoints: HarnessOptions['endpoints'] = {}): Promise<Harness> {
      const hh = await Harness.start({ config: config(), login: false, endpoints });
      await hh.switchboard.login('att1');
      return hh;
    }

    async function connectedToAtt1(hh: Harness): Promise<{ caller: string; leg: string }> {
      const caller = hh.call();
      await hh.until('att1 rings', () => hh.ringing('PJSIP/att1').length === 1);
      const leg = await talking(hh, caller, 'PJSIP/att1');
      return { caller, leg };
    }

    const transferLegs = (hh: Harness, caller: string) => hh.sim.originated().filter((o) => o.appArgs[0] === '@transfer' && o.appArgs[1] === caller);
    const live = (hh: Harness, id: string) => hh.sim.channels().some((c) => c.id === id && !c.hungUp);

    it('given att1 talking, when att1 transfers to 201 and 201 answers, then caller and 201 are bridged, att1 was freed at once and the call leaves the controller', async () => {
      h = await onlyAtt1({ 'PJSIP/201': { kind: 'answer', afterMs: 1000 } });
      const { caller, leg } = await connectedToAtt1(h);
      await h.switchboard.operations.blindTransfer('att1', caller, '201');
      assert.equal(h.attendant('att1').state, 'idle');
      await h.until('att1 leg released', () => !live(h!, leg));
      assert.equal(h.callRecord(caller)!.state, 'transferring');
      const holding = h.sim.bridges().find((b) => isCallBridge(b, 'hold', caller))!;
      assert.ok(holding.moh && holding.channels.includes(caller), 'the caller hears music meanwhile');
      const [orig] = transferLegs(h, caller);
      assert.equal(orig!.endpoint, 'Local/201@attendant-dial', 'through the dialplan');
      await h.advance(1000);
      await h.until('call handed over', () => !h!.callRecord(caller));
      const bridge = h.sim.bridges().find((b) => b.channels.includes(caller))!;
      assert.deepEqual([...bridge.channels].sort(), [caller, orig!.channelId].sort());
      await h.until('hold bridge gone', () => !h!.sim.bridges().some((b) => isCallBridge(b, 'hold', caller)));
      const log = await h.store.queryLog({ number: '201' });
      assert.deepEqual(log.filter((e) => e.callId === caller).map((e) => [e.action, e.result]), [['transfer', 'ringing'], ['transfer-complete', 'completed-transfer']]);
      const ends = await h.store.queryLog({ operator: 'att1' });
      assert.ok(ends.some((e) => e.action === 'end' && e.callId === caller && e.result === 'completed-transfer'), 'ends.some((e) => e.action === \'end\' && e.callId === caller && e.result === \'completed-t...');
      // either side hanging up releases the other and the bridge
      h.sim.hangupCaller(caller);
      await h.until('target released', () => !live(h!, orig!.channelId));
      await h.until('bridge gone', () => !h!.sim.bridges().some((b) => b.id === bridge.id));
    });

    it('given a directory short code, when att1 transfers to it, then the entry\'s number is rung', async () => {
      h = await onlyAtt1({ 'PJSIP/202': { kind: 'answer', afterMs: 0 } });
      const { caller } = await connectedToAtt1(h);
      await h.switchboard.operations.blindTransfer('att1', caller, '12');
      await h.until('handed over', () => !h!.callRecord(caller));
      assert.equal(transferLegs(h, caller)[0]!.endpoint, 'Local/202@attendant-dial');
      h.sim.hangupCaller(caller);
      await h.settle();
    });

    it('given the target is busy, when att1 transfers, then the call comes back to att1, who rings and takes it again', async () => {
      h = await onlyAtt1({ 'PJSIP/201': { kind: 'busy' } });
      const { caller } = await connectedToAtt1(h);
      await h.switchboard.operations.blindTransfer('att1', caller, '201');
      await h.until('att1 rings again', () => h!.ringing('PJSIP/att1').length === 1);
      const leg = await talking(h, caller, 'PJSIP/att1');
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.state, rec.attendant, rec.leg, rec.transferLeg], ['talking', 'att1', leg, undefined]);
      await h.until('hold bridge gone', () => !h!.sim.bridges().some((b) => isCallBridge(b, 'hold', caller)));
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'transfer-failed' && e.callId === caller && e.result === 'busy'), 'log.some((e) => e.action === \'transfer-failed\' && e.callId === caller && e.result === \'...');
      await h.switchboard.operations.hangup('att1', caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given the target does not answer within the recall timer, then its leg is hung up and att1 rings again', async () => {
      h = await onlyAtt1({ 'PJSIP/201': { kind: 'ring' } });
      const { caller } = await connectedToAtt1(h);
      await h.switchboard.operations.blindTransfer('att1', caller, '201');
      await h.until('201 rings', () => transferLegs(h!, caller).length === 1 && live(h!, transferLegs(h!, caller)[0]!.channelId));
      const target = transferLegs(h, caller)[0]!.channelId;
      await h.advance(29_000);
      assert.ok(live(h, target), 'live(h, target)');
      await h.advance(1_000);
      await h.until('target leg hung up', () => !live(h!, target));
      await h.until('att1 rings again', () => h!.ringing('PJSIP/att1').length === 1);
      await talking(h, caller, 'PJSIP/att1');
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given att1 is no longer free when the transfer fails, then the call waits in the group queue as a recall and rings att1 once free', async () => {
      h = await onlyAtt1({ 'PJSIP/201': { kind: 'ring' } });
      const { caller } = await connectedToAtt1(h);
      await h.switchboard.operations.blindTransfer('att1', caller, '201');
      await h.switchboard.attendantAction('att1', { type: 'dnd', on: true });
      await h.advance(30_000);
      await h.until('queued as recall', () => h!.callRecord(caller)?.state === 'waiting');
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.callClass, rec.priority, rec.attendant], ['recall', 7, undefined]);
      assert.deepEqual(h.queue('operators'), [caller]);
      assert.ok(h.sim.bridges().find((b) => isCallBridge(b, 'hold', caller))?.channels.includes(caller), 'the caller keeps its music');
      await h.switchboard.attendantAction('att1', { type: 'dnd', on: false });
      await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
      await talking(h, caller, 'PJSIP/att1');
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given a transfer ringing, when the caller hangs up, then the target stops ringing and nothing is left', async () => {
      h = await onlyAtt1({ 'PJSIP/201': { kind: 'ring' } });
      const { caller } = await connectedToAtt1(h);
      await h.switchboard.operations.blindTransfer('att1', caller, '201');
      await h.until('201 rings', () => transferLegs(h!, caller).length === 1 && live(h!, transferLegs(h!, caller)[0]!.channelId));
      h.sim.hangupCaller(caller);
      await h.until('call ended', () => !h!.callRecord(caller));
      await h.until('target stopped', () => !live(h!, transferLegs(h!, caller)[0]!.channelId));
      await h.advance(31_000);
      assert.equal(h.ringing('PJSIP/att1').length, 0);
    });

    it('given a bad target or another operator\'s call, then the transfer is refused and the call goes on', async () => {
      h = await onlyAtt1();
      const { caller } = await connectedToAtt1(h);
      await rejectsWith(h.switchboard.operations.blindTransfer('att1', caller, 'reception'), 'invalid_target');
      await rejectsWith(h.switchboard.operations.blindTransfer('att2', caller, '201'), 'not_your_call');
      assert.equal(h.callRecord(caller)!.state, 'talking');
      assert.equal(transferLegs(h, caller).length, 0);
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });
  });

  describe('park and pickup', () => {
    async function bothLoggedIn(): Promise<Harness> {
      const hh = await Harness.start({ config: config(), login: false });
      await hh.switchboard.login('att1');
      return hh;
    }

    async function connectedToAtt1(hh: Harness): Promise<string> {
      const caller = hh.call();
      await hh.until('att1 rings', () => hh.ringing('PJSIP/att1').length === 1);
      await talking(hh, caller, 'PJSIP/att1');
      return caller;
    }

    it('given att1 parks a call, when att2 picks up its slot, then att2 rings and answering bridges the caller to att2', async () => {
      h = await bothLoggedIn();
      const caller = await connectedToAtt1(h);
      assert.deepEqual(await h.switchboard.operations.park('att1', caller), { slot: 1 });
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.state, rec.parkSlot, h.attendant('att1').state], ['parked', 1, 'idle']);
      assert.ok(h.sim.bridges().find((b) => b.id === rec.holdBridge)?.moh, 'h.sim.bridges().find((b) => b.id === rec.holdBridge)?.moh');
      await h.switchboard.login('att2');
      await rejectsWith(h.switchboard.operations.pickupParked('att2', 2), 'slot_empty');
      assert.equal(await h.switchboard.operations.pickupParked('att2', 1), caller);
      await h.until('att2 rings', () => h!.ringing('PJSIP/att2').length === 1);
      await talking(h, caller, 'PJSIP/att2');
      const after = h.callRecord(caller)!;
      assert.deepEqual([after.state, after.attendant, after.parkSlot], ['talking', 'att2', undefined]);
      await h.until('hold bridge gone', () => !h!.sim.bridges().some((b) => isCallBridge(b, 'hold', caller)));
      await h.switchboard.operations.hangup('att2', caller);
      await h.until('att2 idle', () => h!.attendant('att2').state === 'idle');
    });

    it('given a call parked longer than the park timer, then it recalls the attendant who parked it', async () => {
      h = await bothLoggedIn();
      const caller = await connectedToAtt1(h);
      await h.switchboard.operations.park('att1', caller);
      await h.advance(119_000);
      assert.equal(h.ringing('PJSIP/att1').length, 0);
      await h.advance(1_000);
      await h.until('recall rings att1', () => h!.ringing('PJSIP/att1').length === 1);
      await talking(h, caller, 'PJSIP/att1');
      const log = await h.store.queryLog({ operator: 'system' });
      assert.ok(log.some((e) => e.action === 'park-recall' && e.callId === caller && e.result === 'att1'), 'log.some((e) => e.action === \'park-recall\' && e.callId === caller && e.result === \'att1\')');
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given the parker is not free at the park recall, then the call waits in the group queue as a recall', async () => {
      h = await bothLoggedIn();
      const caller = await connectedToAtt1(h);
      await h.switchboard.operations.park('att1', caller);
      await h.switchboard.attendantAction('att1', { type: 'dnd', on: true });
      await h.advance(120_000);
      await h.until('queued', () => h!.callRecord(caller)?.state === 'waiting');
      assert.deepEqual([h.callRecord(caller)!.callClass, h.callRecord(caller)!.parkSlot], ['recall', undefined]);
      assert.deepEqual(h.queue('operators'), [caller]);
      await h.switchboard.login('att2');
      await h.until('att2 rings', () => h!.ringing('PJSIP/att2').length === 1);
      await talking(h, caller, 'PJSIP/att2');
      h.sim.hangupCaller(caller);
      await h.until('att2 idle', () => h!.attendant('att2').state === 'idle');
    });

    it('given a parked call, when the caller hangs up, then the slot is free and nothing is left', async () => {
      h = await bothLoggedIn();
      const caller = await connectedToAtt1(h);
      await h.switchboard.operations.park('att1', caller);
      h.sim.hangupCaller(caller);
      await h.until('ended', () => !h!.callRecord(caller));
      await rejectsWith(h.switchboard.operations.pickupParked('att1', 1), 'slot_empty');
      await h.advance(121_000);
      assert.equal(h.ringing('PJSIP/att1').length, 0);
    });
  });

  describe('searchDirectory', () => {
    it('given the directory, when searched by name prefix, number or short code, then the matching entries come back', async () => {
      h = await Harness.start({ config: config() });
      const ops = h.switchboard.operations;
      assert.deepEqual(ops.searchDirectory('mart').map((e) => e.number), ['201', '3301']);
      assert.deepEqual(ops.searchDirectory('Durand').map((e) => e.number), ['202']);
      assert.deepEqual(ops.searchDirectory('330').map((e) => e.number), ['3301']);
      assert.deepEqual(ops.searchDirectory('12').map((e) => e.number), ['202']);
      assert.deepEqual(ops.searchDirectory('sal').map((e) => e.number), ['201']);
      assert.deepEqual(ops.searchDirectory('  '), []);
      assert.deepEqual(ops.searchDirectory('zzz'), []);
    });
  });
});
