// The hotel desk services end to end: extension DND, wake-up calls, messages; controller + ARI
// simulator over real sockets + Redis, on ManualTime (the harness starts Monday 5 January 2026,
// 09:00 UTC = 10:00 in Paris, the site's time zone here).
import assert from 'node:assert/strict';
import type { Behaviour } from '../../lib/sim/index.ts';
import { ARI_PASSWORD, ARI_USER, Harness, type HarnessOptions } from '../support/harness.ts';
import { rejectsWith, stopChecked } from '../support/orphans.ts';
import { ariCall } from '../support/sim-helpers.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2026, 0, 5, 9, 0, 0);
/** Tuesday 6 January, 07:00 in Paris */
const TUE_0700 = Date.UTC(2026, 0, 6, 6, 0, 0);

function config(): HarnessOptions['config'] {
  return {
    attendants: [
      { id: 'att1', name: 'Alice', device: 'PJSIP/att1' },
      { id: 'att2', name: 'Bob', device: 'PJSIP/att2' },
    ],
    classes: [
      { id: 'external', priority: 5, delayedRing: 0 },
      { id: 'recall', priority: 7, delayedRing: 0 },
      { id: 'dnd', priority: 5, delayedRing: 0 },
      { id: 'wakeup-failed', priority: 8, delayedRing: 0 },
    ],
    groups: [{ id: 'operators', name: 'Operators', members: ['att1', 'att2'], strategy: 'linear', ringTimeout: 15 }],
    site: { timezone: 'Europe/Paris' },
    wakeup: { attempts: 3, retryAfter: 300, ringSeconds: 30, sound: 'sound:this-is-yr-wakeup-call', group: 'operators' },
  };
}

describe('hotel desk services over ARI', function () {
  this.timeout(30_000);
  let h: Harness | undefined;

  async function start(endpoints: Record<string, Behaviour> = {}): Promise<Harness> {
    h = await Harness.start({ config: config(), endpoints, login: false, start: START });
    await h.switchboard.login('att1');
    return h;
  }

  afterEach(async () => {
    if (h) await stopChecked(h);
    h = undefined;
  });

  /** ManualTime: run what is due now (answers after 0 ms, playback ends) until the condition holds */
  async function until(hh: Harness, what: string, cond: () => boolean, stepMs = 0): Promise<void> {
    for (let i = 0; i < 200 && !cond(); i++) await hh.advance(stepMs);
    assert.ok(cond(), `timed out waiting for: ${what}`);
  }

  const deviceState = (hh: Harness, name: string) => hh.sim.deviceStates().find((d) => d.name === name)?.state;
  const mailbox = (hh: Harness, name: string) => hh.sim.mailboxes().find((m) => m.name === name);

  describe('extension do not disturb', () => {
    it('given DND set on 201 until 14:00, then Stasis:dnd-201 is BUSY, a call the dialplan diverts is presented as class dnd with who set it and until when, and off makes it NOT_INUSE', async () => {
      const hh = await start();
      const until = Date.UTC(2026, 0, 5, 13, 0, 0);
      await hh.switchboard.operations.setExtensionDnd('201', true, 'alice', until);
      assert.equal(deviceState(hh, 'Stasis:dnd-201'), 'BUSY');
      assert.deepEqual(await hh.switchboard.operations.listExtensionDnd(), [{ extension: '201', by: 'alice', since: START, until }]);

      // [attendant-dnd] saw BUSY and sent the caller of 201 to Stasis(attendant,dnd,operators,201)
      const caller = hh.sim.placeCall({ from: 'PJSIP/pstn', callerNumber: '0155501234', callerName: 'Dupont', context: 'default', exten: '201', appArgs: ['dnd', 'operators', '201'] });
      await hh.until('att1 rings', () => hh.ringing('PJSIP/att1').length === 1);
      const rec = hh.callRecord(caller)!;
      assert.deepEqual([rec.callClass, rec.dndExtension, rec.dndBy, rec.dndUntil], ['dnd', '201', 'alice', until]);
      const stored = await hh.store.getCall(caller);
      assert.deepEqual([stored?.dndExtension, stored?.dndBy, stored?.dndUntil], ['201', 'alice', until]);
      hh.sim.answerChannel(hh.ringing('PJSIP/att1')[0]!);
      await hh.until('talking', () => hh.callRecord(caller)?.talkBridge !== undefined);
      await hh.switchboard.operations.hangup('att1', caller);
      await hh.until('call over', () => !hh.callRecord(caller));

      await hh.switchboard.operations.setExtensionDnd('201', false, 'alice');
      assert.equal(deviceState(hh, 'Stasis:dnd-201'), 'NOT_INUSE');
      assert.deepEqual(await hh.switchboard.operations.listExtensionDnd(), []);
      const log = await hh.store.queryLog({ operator: 'alice' });
      assert.deepEqual(log.map((e) => [e.action, e.numbers, e.result]), [['dnd-on', ['201'], 'ok'], ['dnd-off', ['201'], 'ok']]);
      assert.equal(log[0]!.detail?.until, new Date(until).toISOString());
    });

    it('given DND until a time, when that time comes, then it is cleared by itself and logged as expired', async () => {
      const hh = await start();
      await hh.switchboard.operations.setExtensionDnd('202', true, 'alice', START + 2 * HOUR);
      await hh.advance(2 * HOUR - 1000);
      assert.equal(deviceState(hh, 'Stasis:dnd-202'), 'BUSY');
      await hh.advance(1000);
      await hh.until('cleared', () => deviceState(hh, 'Stasis:dnd-202') === 'NOT_INUSE');
      assert.deepEqual(await hh.switchboard.operations.listExtensionDnd(), []);
      const log = await hh.store.queryLog({ number: '202' });
      assert.deepEqual(log.map((e) => [e.operator, e.action]), [['alice', 'dnd-on'], ['system', 'dnd-expired']]);
      assert.equal(log[1]!.detail?.setBy, 'alice');
    });

    it('given DND on two extensions, when the controller restarts, then both are still on and the one with an end still expires', async () => {
      const hh = await start();
      await hh.switchboard.operations.setExtensionDnd('202', true, 'alice', START + HOUR);
      await hh.switchboard.operations.setExtensionDnd('203', true, 'bob');
      // forgotten by Asterisk meanwhile: the new controller publishes it again
      assert.equal((await ariCall(hh.sim, 'DELETE', '/deviceStates/Stasis:dnd-203', undefined, `${ARI_USER}:${ARI_PASSWORD}`)).status, 204);
      await hh.restartController();
      await hh.until('203 published again', () => deviceState(hh, 'Stasis:dnd-203') === 'BUSY');
      assert.deepEqual((await hh.switchboard.operations.listExtensionDnd()).map((d) => [d.extension, d.by, d.until]), [['202', 'alice', START + HOUR], ['203', 'bob', undefined]]);
      await hh.advance(HOUR);
      await hh.until('202 cleared', () => deviceState(hh, 'Stasis:dnd-202') === 'NOT_INUSE');
      assert.equal(deviceState(hh, 'Stasis:dnd-203'), 'BUSY');
      assert.deepEqual((await hh.switchboard.operations.listExtensionDnd()).map((d) => d.extension), ['203']);
    });

    it('given Asterisk still shows a room BUSY that the store has no DND for (released while the controller was down), when the controller starts, then that lamp is cleared', async () => {
      h = await Harness.start({
        config: config(), login: false, start: START,
        beforeStart: (sim) => { void ariCall(sim, 'PUT', '/deviceStates/Stasis:dnd-204?deviceState=BUSY', undefined, `${ARI_USER}:${ARI_PASSWORD}`); },
      });
      const hh = h;
      await hh.until('the stale lamp is cleared', () => deviceState(hh, 'Stasis:dnd-204') === 'NOT_INUSE');
      await hh.switchboard.operations.setExtensionDnd('205', true, 'alice');
      await hh.restartController();
      await hh.settle();
      assert.equal(deviceState(hh, 'Stasis:dnd-205'), 'BUSY', 'a DND the store knows stays');
    });

    it('given an end in the past, a bad extension, or releasing a DND that is not on, then each is refused and nothing changes', async () => {
      const hh = await start();
      await rejectsWith(hh.switchboard.operations.setExtensionDnd('201', true, 'alice', START - 1), 'invalid_value');
      await rejectsWith(hh.switchboard.operations.setExtensionDnd('room 1', true, 'alice'), 'invalid_target');
      await rejectsWith(hh.switchboard.operations.setExtensionDnd('201', false, 'alice'), 'not_found');
      assert.deepEqual(await hh.switchboard.operations.listExtensionDnd(), []);
      assert.equal(deviceState(hh, 'Stasis:dnd-201'), undefined);
      assert.deepEqual(await hh.store.queryLog({ operator: 'alice' }), []);
    });
  });

  describe('messages', () => {
    it('given a message left for 201, then its lamp shows 1 new; read, it shows 0 new 1 old; the list has it, read', async () => {
      const hh = await start();
      const msg = await hh.switchboard.operations.leaveMessage('201', '  Call Mr Martin at the office  ', 'alice');
      assert.deepEqual([msg.extension, msg.text, msg.by, msg.at, msg.read], ['201', 'Call Mr Martin at the office', 'alice', START, false]);
      assert.deepEqual(mailbox(hh, '201@attendant'), { name: '201@attendant', newMessages: 1, oldMessages: 0 });
      await hh.switchboard.operations.markMessageRead('201', msg.id, 'bob');
      assert.deepEqual(mailbox(hh, '201@attendant'), { name: '201@attendant', newMessages: 0, oldMessages: 1 });
      assert.deepEqual(await hh.switchboard.operations.listMessages('201'), [{ ...msg, read: true }]);
      assert.deepEqual(await hh.switchboard.operations.listMessages('202'), []);
      const log = await hh.store.queryLog({ number: '201' });
      assert.deepEqual(log.map((e) => [e.operator, e.action, e.detail?.message]), [['alice', 'message-left', msg.id], ['bob', 'message-read', msg.id]]);
    });

    it('given messages, when the controller restarts, then they are still listed and the lamp is set again', async () => {
      const hh = await start();
      await hh.switchboard.operations.leaveMessage('202', 'Your taxi is at 8', 'alice');
      await hh.advance(MINUTE);
      await hh.switchboard.operations.leaveMessage('202', 'Laundry ready', 'alice');
      assert.equal((await ariCall(hh.sim, 'DELETE', '/mailboxes/202@attendant', undefined, `${ARI_USER}:${ARI_PASSWORD}`)).status, 204);
      await hh.restartController();
      assert.deepEqual((await hh.switchboard.operations.listMessages('202')).map((m) => m.text), ['Your taxi is at 8', 'Laundry ready']);
      await hh.until('lamp', () => mailbox(hh, '202@attendant')?.newMessages === 2);
    });

    it('given an empty or too long text, an unknown message or another extension\'s, then each is refused', async () => {
      const hh = await start();
      await rejectsWith(hh.switchboard.operations.leaveMessage('201', '   ', 'alice'), 'invalid_value');
      await rejectsWith(hh.switchboard.operations.leaveMessage('201', 'x'.repeat(501), 'alice'), 'invalid_value');
      await rejectsWith(hh.switchboard.operations.leaveMessage('a:b', 'hello', 'alice'), 'invalid_target');
      const msg = await hh.switchboard.operations.leaveMessage('201', 'hello', 'alice');
      await rejectsWith(hh.switchboard.operations.markMessageRead('202', msg.id, 'alice'), 'not_found');
      await rejectsWith(hh.switchboard.operations.markMessageRead('201', 'm-nope', 'alice'), 'not_found');
      assert.equal(mailbox(hh, '201@attendant')?.newMessages, 1);
    });
  });

  describe('wake-up calls', () => {
    const wakeupLegs = (hh: Harness, ext: string) => hh.sim.originated().filter((o) => o.endpoint === `Local/${ext}@attendant-dial` && o.appArgs[0] === '@wakeup');

    async function ringAt(hh: Harness, at: number): Promise<void> {
      await hh.advance(at - hh.time.now());
    }

    it('given a wake-up at 07:00 for 201, then nothing rings before, at 07:00 Paris time the room rings, hears the announcement and is hung up: answered', async () => {
      const hh = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 2000 } });
      const w = await hh.switchboard.operations.scheduleWakeup({ extension: '201', time: '07:00', daily: false }, 'alice');
      assert.deepEqual([w.extension, w.time, w.next, w.status, w.attempts, w.by], ['201', '07:00', TUE_0700, 'scheduled', 0, 'alice']);
      await ringAt(hh, TUE_0700 - 1000);
      assert.equal(wakeupLegs(hh, '201').length, 0);
      await hh.advance(1000);
      await until(hh, 'the room rings', () => wakeupLegs(hh, '201').length === 1);
      const [leg] = wakeupLegs(hh, '201');
      assert.deepEqual([leg!.appArgs, leg!.callerId, leg!.timeout], [['@wakeup', w.id], 'Wake-up call', 30]);
      assert.equal((await hh.switchboard.operations.listWakeups())[0]!.status, 'ringing');
      await until(hh, 'answered, played and hung up', () => hh.sim.channels().some((c) => c.id === leg!.channelId && c.hungUp), 500);
      assert.deepEqual(await hh.switchboard.operations.listWakeups(), []);
      const log = await hh.store.queryLog({ number: '201' });
      assert.deepEqual(log.map((e) => [e.operator, e.action, e.result]), [
        ['alice', 'wakeup-booked', 'scheduled'], ['system', 'wakeup-attempt', 'ringing'], ['system', 'wakeup-result', 'answered'],
      ]);
      assert.equal(log[0]!.detail?.at, new Date(TUE_0700).toISOString());
    });

    it('given the room is busy at 07:00, then it is tried again 5 minutes later and answers then; the log shows both attempts in order', async () => {
      const hh = await start({ 'PJSIP/202': { kind: 'busy' } });
      const w = await hh.switchboard.operations.scheduleWakeup({ extension: '202', time: '07:00', daily: false }, 'alice');
      await ringAt(hh, TUE_0700);
      await until(hh, 'first attempt busy', () => wakeupLegs(hh, '202').length === 1 && hh.sim.channels().some((c) => c.endpoint === 'PJSIP/202' && c.hungUp));
      await hh.settle();
      const waiting = (await hh.switchboard.operations.listWakeups())[0]!;
      assert.deepEqual([waiting.status, waiting.attempts, waiting.lastResult, waiting.next], ['scheduled', 1, 'busy', TUE_0700 + 5 * MINUTE]);
      hh.sim.setEndpoint('PJSIP/202', { kind: 'answer', afterMs: 1000 });
      await hh.advance(5 * MINUTE - 1000);
      assert.equal(wakeupLegs(hh, '202').length, 1);
      await hh.advance(1000);
      await until(hh, 'second attempt answered and over', () => wakeupLegs(hh, '202').length === 2 && hh.sim.channels().filter((c) => c.endpoint === 'PJSIP/202' && !c.hungUp).length === 0, 500);
      await hh.settle();
      assert.deepEqual(await hh.switchboard.operations.listWakeups(), []);
      const log = await hh.store.queryLog({ number: '202' });
      assert.deepEqual(log.map((e) => [e.action, e.result, e.detail?.attempt ?? '']), [
        ['wakeup-booked', 'scheduled', ''], ['wakeup-attempt', 'ringing', '1'], ['wakeup-result', 'busy', '1'],
        ['wakeup-attempt', 'ringing', '2'], ['wakeup-result', 'answered', '2'],
      ]);
      assert.ok(log.every((e) => e.detail?.wakeup === w.id), 'log.every((e) => e.detail?.wakeup === w.id)');
    });

    it('given the room never answers, then after the third try a wakeup-failed call from the room waits for the desk, and the operator answers it', async () => {
      const hh = await start({ 'PJSIP/203': { kind: 'ring' }, 'Local/203@attendant-wakeup-alert': { kind: 'answer', afterMs: 0 } });
      await hh.switchboard.operations.scheduleWakeup({ extension: '203', time: '07:00', daily: false }, 'alice');
      await ringAt(hh, TUE_0700);
      for (let attempt = 1; attempt <= 3; attempt++) {
        await until(hh, `attempt ${attempt} rings`, () => wakeupLegs(hh, '203').length === attempt);
        await hh.advance(30_000);
        await until(hh, `attempt ${attempt} unanswered`, () => hh.sim.channels().filter((c) => c.endpoint === 'PJSIP/203' && c.hungUp).length === attempt);
        if (attempt < 3) {
          await hh.advance(5 * MINUTE - 30_000 - 1000);
          assert.equal(wakeupLegs(hh, '203').length, attempt, 'not before the retry time');
          await hh.advance(1000);
        }
      }
      await until(hh, 'att1 rings with the wake-up alert', () => hh.ringing('PJSIP/att1').length === 1);
      const call = hh.callRecords()[0]!;
      assert.deepEqual([call.callClass, call.priority, call.callerNumber, call.callerName, call.group], ['wakeup-failed', 8, '203', 'Wake-up 203', 'operators']);
      assert.equal(hh.sim.originated().find((o) => o.channelId === call.id)?.endpoint, 'Local/203@attendant-wakeup-alert');
      hh.sim.answerChannel(hh.ringing('PJSIP/att1')[0]!);
      await hh.until('the operator talks with the alert', () => hh.callRecord(call.id)?.talkBridge !== undefined);
      await hh.switchboard.operations.hangup('att1', call.id);
      await hh.until('alert over', () => !hh.callRecord(call.id));
      assert.deepEqual(await hh.switchboard.operations.listWakeups(), []);
      const log = await hh.store.queryLog({ number: '203' });
      assert.deepEqual(log.filter((e) => e.action.startsWith('wakeup')).map((e) => [e.action, e.result]), [
        ['wakeup-booked', 'scheduled'],
        ['wakeup-attempt', 'ringing'], ['wakeup-result', 'no-answer'],
        ['wakeup-attempt', 'ringing'], ['wakeup-result', 'no-answer'],
        ['wakeup-attempt', 'ringing'], ['wakeup-result', 'no-answer'],
        ['wakeup-failed', 'queue:operators'],
      ]);
      assert.ok(log.some((e) => e.action === 'arrive' && e.callId === call.id && e.detail?.class === 'wakeup-failed'), 'log.some((e) => e.action === \'arrive\' && e.callId === call.id && e.detail?.class === \'w...');
      assert.ok(log.some((e) => e.action === 'hangup' && e.operator === 'att1' && e.callId === call.id), 'log.some((e) => e.action === \'hangup\' && e.operator === \'att1\' && e.callId === call.id)');
    });

    it('given a booking, when the desk cancels it, then nothing rings at the time and the cancel is logged with the operator', async () => {
      const hh = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const w = await hh.switchboard.operations.scheduleWakeup({ extension: '201', time: '07:00', daily: true }, 'alice');
      await hh.switchboard.operations.cancelWakeup(w.id, 'bob');
      await rejectsWith(hh.switchboard.operations.cancelWakeup(w.id, 'bob'), 'not_found');
      assert.deepEqual(await hh.switchboard.operations.listWakeups(), []);
      await ringAt(hh, TUE_0700 + HOUR);
      assert.equal(wakeupLegs(hh, '201').length, 0);
      const log = await hh.store.queryLog({ number: '201' });
      assert.deepEqual(log.map((e) => [e.operator, e.action]), [['alice', 'wakeup-booked'], ['bob', 'wakeup-cancelled']]);
    });

    it('given a daily wake-up, when it was answered, then it waits for the same time the next day and rings again then', async () => {
      const hh = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const w = await hh.switchboard.operations.scheduleWakeup({ extension: '201', time: '07:00', daily: true }, 'alice');
      await ringAt(hh, TUE_0700);
      await until(hh, 'answered and over', () => wakeupLegs(hh, '201').length === 1 && hh.sim.channels().some((c) => c.endpoint === 'PJSIP/201' && c.hungUp), 500);
      await hh.settle();
      const [again] = await hh.switchboard.operations.listWakeups();
      assert.deepEqual([again!.id, again!.status, again!.next, again!.attempts, again!.lastResult], [w.id, 'scheduled', TUE_0700 + 24 * HOUR, 0, 'answered']);
      await ringAt(hh, TUE_0700 + 24 * HOUR);
      await until(hh, 'rings the next day', () => wakeupLegs(hh, '201').length === 2);
      await until(hh, 'over again', () => hh.sim.channels().filter((c) => c.endpoint === 'PJSIP/201' && c.hungUp).length === 2, 500);
      await hh.switchboard.operations.cancelWakeup(w.id, 'alice');
    });

    it('given a booking, when the controller is stopped and a new one starts on the same store, then the new one rings it on time', async () => {
      const hh = await start({ 'PJSIP/201': { kind: 'answer', afterMs: 0 } });
      const w = await hh.switchboard.operations.scheduleWakeup({ extension: '201', time: '07:00', daily: false }, 'alice');
      await hh.advance(HOUR);
      await hh.restartController();
      assert.deepEqual((await hh.switchboard.operations.listWakeups()).map((x) => [x.id, x.next]), [[w.id, TUE_0700]]);
      await ringAt(hh, TUE_0700 - 1000);
      assert.equal(wakeupLegs(hh, '201').length, 0);
      await hh.advance(1000);
      await until(hh, 'answered and over', () => wakeupLegs(hh, '201').length === 1 && hh.sim.channels().some((c) => c.endpoint === 'PJSIP/201' && c.hungUp), 500);
      const log = await hh.store.queryLog({ number: '201' });
      assert.deepEqual(log.map((e) => e.action), ['wakeup-booked', 'wakeup-attempt', 'wakeup-result']);
      assert.equal(log[2]!.result, 'answered');
    });

    it('given a controller stopped while the room rang, then the next one ends that attempt as interrupted and tries again', async () => {
      const hh = await start({ 'PJSIP/201': { kind: 'ring' } });
      await hh.switchboard.operations.scheduleWakeup({ extension: '201', time: '07:00', daily: false }, 'alice');
      await ringAt(hh, TUE_0700);
      await until(hh, 'rings', () => wakeupLegs(hh, '201').length === 1);
      await hh.restartController();
      await until(hh, 'old leg hung up', () => hh.sim.channels().filter((c) => c.endpoint === 'PJSIP/201' && !c.hungUp).length === 0);
      hh.sim.setEndpoint('PJSIP/201', { kind: 'answer', afterMs: 0 });
      await hh.advance(5 * MINUTE);
      await until(hh, 'second attempt answered', () => wakeupLegs(hh, '201').length === 2 && hh.sim.channels().filter((c) => c.endpoint === 'PJSIP/201' && !c.hungUp).length === 0, 500);
      const log = await hh.store.queryLog({ number: '201' });
      assert.deepEqual(log.map((e) => [e.action, e.result]), [
        ['wakeup-booked', 'scheduled'], ['wakeup-attempt', 'ringing'], ['wakeup-result', 'interrupted'], ['wakeup-attempt', 'ringing'], ['wakeup-result', 'answered'],
      ]);
    });

    it('given a bad extension or a time that is no HH:MM, then the booking is refused', async () => {
      const hh = await start();
      await rejectsWith(hh.switchboard.operations.scheduleWakeup({ extension: '20 1', time: '07:00', daily: false }, 'alice'), 'invalid_target');
      await rejectsWith(hh.switchboard.operations.scheduleWakeup({ extension: '201', time: '7h', daily: false }, 'alice'), 'invalid_value');
      assert.deepEqual(await hh.switchboard.operations.listWakeups(), []);
    });

    describe('from the room phone', () => {
      /** the room dials a feature code: the dialplan enters Stasis(attendant,feature,<name>[,<arg>]) */
      function dial(hh: Harness, room: string, args: string[]): string {
        return hh.sim.placeCall({ from: `PJSIP/${room}`, callerNumber: room, context: 'attendant-internal', exten: args[1] === 'wakeup-set' ? `*56${args[2]}` : '*57', appArgs: ['feature', ...args] });
      }

      it('given room 201 dials *560730, then a wake-up at 07:30 is booked for 201 by the room, it hears a confirmation and is hung up; *57 cancels it', async () => {
        const hh = await start();
        const ch = dial(hh, '201', ['wakeup-set', '0730']);
        await until(hh, 'confirmed and hung up', () => hh.sim.channels().some((c) => c.id === ch && c.hungUp), 500);
        const [w] = await hh.switchboard.operations.listWakeups();
        assert.deepEqual([w!.extension, w!.time, w!.daily, w!.by, w!.next], ['201', '07:30', false, 'room-201', TUE_0700 + 30 * MINUTE]);
        assert.ok((hh.sim.requests().byRoute['POST /channels/{channelId}/play'] ?? 0) >= 1, 'the room heard something');
        assert.equal(hh.callCount(), 0, 'a feature code is no call for the desk');
        const cancel = dial(hh, '201', ['wakeup-cancel']);
        await until(hh, 'cancel confirmed', () => hh.sim.channels().some((c) => c.id === cancel && c.hungUp), 500);
        assert.deepEqual(await hh.switchboard.operations.listWakeups(), []);
        const log = await hh.store.queryLog({ operator: 'room-201' });
        assert.deepEqual(log.map((e) => e.action), ['wakeup-booked', 'wakeup-cancelled']);
      });

      it('given a code with an impossible time, then nothing is booked and the room is hung up after the error tone', async () => {
        const hh = await start();
        const ch = dial(hh, '202', ['wakeup-set', '2599']);
        await until(hh, 'refused and hung up', () => hh.sim.channels().some((c) => c.id === ch && c.hungUp), 500);
        assert.deepEqual(await hh.switchboard.operations.listWakeups(), []);
        assert.equal(hh.callCount(), 0);
      });
    });
  });
  describe('night bell', () => {
    function nightConfig(): HarnessOptions['config'] {
      return {
        ...config(),
        groups: [{
          id: 'operators', name: 'Operators', members: ['att1', 'att2'], strategy: 'linear', ringTimeout: 15,
          table: { day: { type: 'group' }, night: { type: 'group' } }, nightBell: { device: 'PJSIP/bell', ringSeconds: 60 },
        }],
      };
    }

    async function nightDesk(night: boolean): Promise<Harness> {
      // nobody at the desk: calls queue anyway, the group's night destination being the group itself
      h = await Harness.start({ config: nightConfig(), endpoints: { 'PJSIP/bell': { kind: 'manual' } }, login: false, start: START });
      if (night) await h.switchboard.setGroupOverride('operators', 'night');
      return h;
    }

    const bells = (hh: Harness) => hh.sim.originated().filter((o) => o.endpoint === 'PJSIP/bell');
    const live = (hh: Harness, id: string) => hh.sim.channels().some((c) => c.id === id && !c.hungUp);

    it('given night mode and two calls waiting, then the bell rings with the oldest caller; whoever lifts it talks with that caller, and the bell rings again for the next', async () => {
      const hh = await nightDesk(true);
      const first = hh.call({ number: '0155500001', name: 'First' });
      await hh.advance(1000);
      const second = hh.call({ number: '0155500002', name: 'Second' });
      await hh.until('bell rings', () => hh.ringing('PJSIP/bell').length === 1);
      assert.deepEqual([bells(hh)[0]!.appArgs, bells(hh)[0]!.callerId, bells(hh)[0]!.timeout], [['@nightbell', 'operators'], '"First" <0155500001>', 60]);
      const bell = hh.ringing('PJSIP/bell')[0]!;
      hh.sim.answerChannel(bell);
      await hh.until('first caller put through', () => !hh.callRecord(first) && hh.sim.bridges().some((b) => b.channels.includes(first) && b.channels.includes(bell)));
      assert.equal(hh.callRecord(second)?.state, 'waiting');
      await hh.until('the bell rings again for the second', () => hh.ringing('PJSIP/bell').length === 1);
      assert.equal(bells(hh)[1]!.callerId, '"Second" <0155500002>');
      // the second gives up: the bell stops; the first pair hangs up: the bell's side and the bridge go
      hh.sim.hangupCaller(second);
      await hh.until('bell silent', () => hh.ringing('PJSIP/bell').length === 0);
      hh.sim.hangupCaller(first);
      await hh.until('bell leg released', () => !live(hh, bell));
      const log = await hh.store.queryLog({ number: '0155500001' });
      assert.deepEqual(log.map((e) => [e.action, e.result]), [['arrive', 'queue:operators'], ['night-bell', 'ringing'], ['night-bell', 'answered'], ['end', 'completed-transfer']]);
      const stats = await hh.store.stats('group:operators', 0, Number.MAX_SAFE_INTEGER);
      assert.equal(stats.reduce((n, i) => n + (i.counters.answered ?? 0), 0), 1, 'a call answered at the bell counts as answered');
    });

    it('given the bell is not lifted within its ring time, then it rings again after a pause until the caller gives up', async () => {
      const hh = await nightDesk(true);
      const caller = hh.call();
      await hh.until('bell rings', () => hh.ringing('PJSIP/bell').length === 1);
      await hh.advance(60_000);
      await hh.until('first ring over', () => hh.ringing('PJSIP/bell').length === 0);
      await hh.advance(9_000);
      assert.equal(bells(hh).length, 1);
      await hh.advance(1_000);
      await hh.until('rings again', () => hh.ringing('PJSIP/bell').length === 1 && bells(hh).length === 2);
      hh.sim.hangupCaller(caller);
      await hh.until('bell silent', () => hh.ringing('PJSIP/bell').length === 0);
    });

    it('given day mode, then a waiting call does not ring the bell; switched to night, it rings', async () => {
      const hh = await nightDesk(false);
      const caller = hh.call();
      await hh.until('waits', () => hh.callRecord(caller)?.state === 'waiting');
      await hh.settle();
      assert.equal(bells(hh).length, 0);
      await hh.switchboard.setGroupOverride('operators', 'night');
      await hh.until('bell rings', () => hh.ringing('PJSIP/bell').length === 1);
      hh.sim.hangupCaller(caller);
      await hh.until('bell silent', () => hh.ringing('PJSIP/bell').length === 0);
    });
  });
});
