// Desk services on the real Asterisk, judged from the SIP side: hotel DND diverting a room's calls to
// the desk, wake-up calls that ring the room (and the desk when nobody answers), the night bell, and a
// parked call that comes back to the operator who parked it.
import assert from 'node:assert/strict';
import { site } from './support/hooks.ts';
import { siteConfig } from './support/configs.ts';
import { PLACEHOLDER_VALUES } from './support/asterisk.ts';
import { answeredCall, assertCallerConnected } from './support/flows.ts';
import { SippCaller } from './support/sipp.ts';
import { sleep, until } from './support/site.ts';

/** ext200, a phone of the demo site, dialling with its password */
const EXT200 = { endpoint: 'ext200', password: PLACEHOLDER_VALUES.ATTENDANT_SIP_DEMO_PASSWORD! };

describe('real Asterisk: hotel DND', () => {
  it('given room 201 in DND, when 200 dials it, then the call goes to the desk as class dnd naming 201, and the room never rings', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'] }), ['att1']);
    await s.api('PUT', '/api/extensions/201/dnd', { on: true });
    const t0 = Date.now();
    const caller = await SippCaller.dial({ phone: EXT200, did: '201', talkMs: 5000 });
    await until('the desk (att1) answers', () => s.phones.att1.answered(t0).length === 1);
    assert.equal(s.phones.ext201.offers(t0).length, 0, 'the room did not ring');
    const call = (await s.calls()).find((c) => c.callerNumber === '200');
    assert.equal(call?.callClass, 'dnd');
    assert.equal(call?.dndExtension, '201');
    // the operator puts it through anyway: a transfer goes past the DND check
    const t1 = Date.now();
    await s.api('POST', `/api/calls/${call!.id}/transfer`, { attendant: 'att1', target: '201' });
    await until('the room rings and answers', () => s.phones.ext201.answered(t1).length === 1);
    await sleep(300);
    assert.ok(caller.connected(), '200 talks to the room');
  });

  it('given room 201 without DND, when 200 dials it, then the room rings as usual', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'] }), ['att1']);
    const t0 = Date.now();
    await SippCaller.dial({ phone: EXT200, did: '201', talkMs: 1500 });
    await until('the room answers', () => s.phones.ext201.answered(t0).length === 1);
    assert.equal(s.phones.att1.offers(t0).length, 0, 'the desk is not involved');
  });
});

describe('real Asterisk: park recall and the night bell', () => {
  it('given a parked call, when the park time runs out, then it rings the operator who parked it, who answers: the caller is connected again', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'], park: 3 }), ['att1']);
    const a = await answeredCall(s, 'att1');
    await s.api('POST', `/api/calls/${a.call.id}/park`, { attendant: 'att1' });
    await s.callInState(a.call.id, 'parked');
    const t1 = Date.now();
    await until('att1 is rung back and answers', () => s.phones.att1.answered(t1).length === 1, 15_000);
    assert.ok(Date.now() - t1 >= 2500, 'not before the park time');
    await s.callInState(a.call.id, 'talking');
    await sleep(300);
    await assertCallerConnected(s, a, 'after the park recall');
  });

  it('given a group in night mode with a night bell and a caller waiting, then the bell rings, and lifting it takes the call', async () => {
    const s = site();
    await s.startController(siteConfig({
      members: ['att1'],
      // nobody at the desk: the night destination is the group itself and there is no fallback, so calls queue for the bell
      group: { table: { day: { type: 'group' }, night: { type: 'group' } }, nightBell: { device: 'PJSIP/bell', ringSeconds: 30 }, fallback: undefined },
    }), []);
    await s.api('PUT', '/api/groups/operators/override', { mode: 'night' });
    await s.phone('bell', { kind: 'answer', answerMs: 1000 });
    const t0 = Date.now();
    const caller = await SippCaller.dial({ talkMs: 8000 });
    await until('the bell rings and is lifted', () => s.phones.bell.answered(t0).length === 1, 15_000);
    await until('the call is handed to the bell', async () => (await s.calls()).every((c) => c.callerNumber !== caller.number));
    await sleep(300);
    assert.ok(caller.connected(), 'the caller talks to whoever lifted the bell');
    assert.equal(s.phones.bell.activeCalls().length, 1);
  });
});

describe('real Asterisk: wake-up calls', () => {
  it('given wake-ups for 201 (answers) and 202 (never answers) at the next minute, then 201 rings and hears the call, 202 rings twice and the desk is then told', async function () {
    this.timeout(150_000);
    const s = site();
    await s.startController(siteConfig({
      members: ['att1'],
      extra: { site: { timezone: 'UTC' }, wakeup: { attempts: 2, retryAfter: 5, ringSeconds: 4, group: 'operators', sound: 'sound:beep' } },
    }), ['att1']);
    await s.phone('ext202', { kind: 'ringing' });
    // the next whole minute, at least 5 s ahead
    const at = new Date(Math.ceil((Date.now() + 5000) / 60_000) * 60_000);
    const hhmm = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
    await s.api('POST', '/api/wakeups', { extension: '201', time: hhmm });
    await s.api('POST', '/api/wakeups', { extension: '202', time: hhmm });
    await until('201 rings at the time and answers', () => s.phones.ext201.answered(at.getTime() - 1000).length === 1, at.getTime() - Date.now() + 15_000);
    assert.ok(s.phones.ext201.offers()[0]!.t >= at.getTime() - 1000, 'not before the time');
    await until('Asterisk hangs up on 201 after the announcement', () => s.phones.ext201.byes('in', at.getTime()).length === 1, 15_000);
    await until('202 was tried twice', () => s.phones.ext202.offers(at.getTime() - 1000).length === 2, 30_000);
    await until('the desk is presented the wake-up nobody answered, and answers', () => s.phones.att1.answered(at.getTime()).length === 1, 20_000);
    const call = (await s.calls()).find((c) => c.callClass === 'wakeup-failed');
    assert.equal(call?.callerNumber, '202', 'the desk sees which room');
  });
});
