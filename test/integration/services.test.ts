// The hotel desk services end to end: extension DND, wake-up calls, messages; controller + ARI
// simulator over real sockets + Redis, on ManualTime (the harness starts Monday 5 January 2026,
// 09:00 UTC = 10:00 in Paris, the site's time zone here).
import assert from 'node:assert/strict';
import { OperationError } from '../../lib/calls/operations-port.ts';
import type { Behaviour } from '../../lib/sim/index.ts';
import { ARI_PASSWORD, ARI_USER, Harness, type HarnessOptions } from '../support/harness.ts';
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

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => err instanceof OperationError && err.code === code);
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
    if (h) {
      await h.settle();
      // nothing is left behind: no live channel, no bridge but the groups' waiting bridges
      const live = h.sim.channels().filter((c) => !c.hungUp);
      assert.deepEqual(live.map((c) => c.name), [], 'orphan channels');
      const bridges = h.sim.bridges().filter((b) => !b.id.startsWith('attendant-wait-'));
      assert.deepEqual(bridges.map((b) => b.id), [], 'orphan bridges');
      await h.stop();
      h = undefined;
    }
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

    it('given an end in the past, a bad extension, or releasing a DND that is not on, then each is refused and nothing changes', async () => {
      const hh = await start();
      await rejects(hh.switchboard.operations.setExtensionDnd('201', true, 'alice', START - 1), 'invalid_value');
      await rejects(hh.switchboard.operations.setExtensionDnd('room 1', true, 'alice'), 'invalid_target');
      await rejects(hh.switchboard.operations.setExtensionDnd('201', false, 'alice'), 'not_found');
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
      await hh.switchboard.operations.leaveMessage('202', 'Laundry ready', 'alice');
      assert.equal((await ariCall(hh.sim, 'DELETE', '/mailboxes/202@attendant', undefined, `${ARI_USER}:${ARI_PASSWORD}`)).status, 204);
      await hh.restartController();
      assert.deepEqual((await hh.switchboard.operations.listMessages('202')).map((m) => m.text), ['Your taxi is at 8', 'Laundry ready']);
      await hh.until('lamp', () => mailbox(hh, '202@attendant')?.newMessages === 2);
    });

    it('given an empty or too long text, an unknown message or another extension\'s, then each is refused', async () => {
      const hh = await start();
      await rejects(hh.switchboard.operations.leaveMessage('201', '   ', 'alice'), 'invalid_value');
      await rejects(hh.switchboard.operations.leaveMessage('201', 'x'.repeat(501), 'alice'), 'invalid_value');
      await rejects(hh.switchboard.operations.leaveMessage('a:b', 'hello', 'alice'), 'invalid_target');
      const msg = await hh.switchboard.operations.leaveMessage('201', 'hello', 'alice');
      await rejects(hh.switchboard.operations.markMessageRead('202', msg.id, 'alice'), 'not_found');
      await rejects(hh.switchboard.operations.markMessageRead('201', 'm-nope', 'alice'), 'not_found');
      assert.equal(mailbox(hh, '201@attendant')?.newMessages, 1);
    });
  });

  describe('wake-up calls', () => {
    const wakeupLegs = (hh: Harness, ext: string) => hh.sim.originated().filter((o) => o.endpoint === `PJSIP/${ext}` && o.appArgs[0] === '@wakeup');

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
  });
});
