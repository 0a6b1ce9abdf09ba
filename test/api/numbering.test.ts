// The numbering plan and the quotas over real HTTP (and from the phone through the ARI simulator):
// a transfer, consultation, three-way call, DND, message or wake-up call to a number outside the plan
// is refused with a 4xx naming the rule; a prefix needs its role; the desk services keep at most their
// quotas; feature codes are taken only from the site's own phones (numbering.phoneContexts).
import assert from 'node:assert/strict';
import type { Harness } from '../support/harness.ts';
import { stopChecked } from '../support/orphans.ts';
import { ERROR, Observer, live } from '../support/phone.ts';
import { apiConfig, startApiHarness, type Api, type ErrorReply } from './support.ts';

const PLAN = {
  numbering: {
    internal: ['_1XX', '_2XX', '_2XXX'],
    external: [{ prefix: '0', role: 'supervisor' as const, name: 'national' }, { prefix: '00', role: 'none' as const, name: 'international' }],
    emergency: ['112'],
  },
  quotas: { wakeupsPerExtension: 2, wakeups: 3, messagesPerExtension: 2, messages: 3, dnd: 2 },
};

describe('API numbering plan and quotas', function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  let api: Api;
  let obs: Observer | undefined;
  beforeEach(async () => {
    // the numbers transfers may ring: they ring until the test is done
    const endpoints = Object.fromEntries(['PJSIP/200', 'PJSIP/201', 'PJSIP/0155512000'].map((e) => [e, { kind: 'manual' as const }]));
    ({ h, api } = await startApiHarness({ config: apiConfig(PLAN), endpoints }));
    obs = await Observer.start(h);
  });
  afterEach(async () => {
    obs?.close();
    if (h) await stopChecked(h);
    h = undefined;
  });

  /** a caller talking with a position's set */
  async function talking(device: string, group = 'operators'): Promise<{ caller: string; leg: string }> {
    const caller = h!.call({ group });
    const leg = await h!.answer(device);
    await h!.until('connected', () => h!.callRecord(caller)?.talkBridge !== undefined);
    return { caller, leg };
  }
  const dialled = (caller: string) => h!.sim.originated().filter((o) => (o.appArgs[0] === '@transfer' || o.appArgs[0] === '@consult') && o.appArgs[1] === caller);

  it('given alice talking, when she transfers, consults or adds a number outside the plan, then 422 outside_numbering_plan naming the rule, nothing is rung and the call goes on', async () => {
    const { caller } = await talking('PJSIP/att1');
    const tries: Array<[string, string]> = [['transfer', '5555'], ['transfer', '+'], ['consult', '3000'], ['conference', '99']];
    for (const [op, target] of tries) {
      const r = await api.as<ErrorReply>('alice', 'POST', `/api/calls/${caller}/${op}`, { target });
      assert.deepEqual([r.status, r.body.error.code], [422, 'outside_numbering_plan'], `${op} ${target}`);
      assert.match(r.body.error.message, /outside the numbering plan: no internal pattern \(numbering\.internal\), emergency number \(numbering\.emergency\) or external prefix \(numbering\.external\)/);
    }
    assert.equal(h!.callRecord(caller)!.state, 'talking');
    assert.deepEqual(dialled(caller), []);
    // a short code of the directory is checked as the number it dials (9 -> 200, in the plan)
    assert.equal((await api.as('alice', 'POST', `/api/calls/${caller}/transfer`, { target: '9' })).status, 204);
    await h!.until('transferring', () => h!.callRecord(caller)?.state === 'transferring');
    assert.equal(dialled(caller)[0]!.endpoint, 'Local/200@attendant-dial');
    h!.sim.hangupCaller(caller);
    await h!.until('gone', () => !h!.callRecord(caller));
  });

  it('given an external prefix for supervisors and a barred one, when an operator\'s position dials them, then 403 number_not_allowed naming the prefix; a supervisor\'s position may dial the first only', async () => {
    const { caller } = await talking('PJSIP/att1');
    const national = await api.as<ErrorReply>('alice', 'POST', `/api/calls/${caller}/transfer`, { target: '0155512000' });
    assert.deepEqual([national.status, national.body.error.code], [403, 'number_not_allowed']);
    assert.match(national.body.error.message, /needs the supervisor role \(numbering\.external\[0\], prefix "0" \(national\)\); this position dials as operator/);
    const abroad = await api.as<ErrorReply>('alice', 'POST', `/api/calls/${caller}/consult`, { target: '0044207946000' });
    assert.deepEqual([abroad.status, abroad.body.error.code], [403, 'number_not_allowed']);
    assert.match(abroad.body.error.message, /barred by numbering\.external\[1\], prefix "00" \(international\)/);
    assert.deepEqual(dialled(caller), []);
    h!.sim.hangupCaller(caller);
    await h!.until('gone', () => !h!.callRecord(caller));

    // sam logs in at his position: it dials as a supervisor
    assert.equal((await api.as('sam', 'PUT', '/api/attendants/att3/state', { action: 'logout' })).status, 200);
    assert.equal((await api.as('sam', 'PUT', '/api/attendants/att3/state', { action: 'login' })).status, 200);
    const second = await talking('PJSIP/att3', 'backup');
    assert.equal((await api.as<ErrorReply>('sam', 'POST', `/api/calls/${second.caller}/consult`, { target: '0044207946000' })).status, 403, 'barred for everyone');
    assert.equal((await api.as('sam', 'POST', `/api/calls/${second.caller}/transfer`, { target: '0155512000' })).status, 204);
    await h!.until('rung', () => dialled(second.caller).length === 1);
    assert.equal(dialled(second.caller)[0]!.endpoint, 'Local/0155512000@attendant-dial');
    h!.sim.hangupCaller(second.caller);
    await h!.until('gone', () => !h!.callRecord(second.caller));
  });

  it('given an extension outside the plan or an emergency number, when a DND, a message or a wake-up call is asked for it, then 422 naming the rule and nothing is stored', async () => {
    for (const [ext, code, rule] of [['5555', 'outside_numbering_plan', /no pattern of numbering\.internal/], ['0155512000', 'outside_numbering_plan', /numbering\.internal/], ['112', 'outside_numbering_plan', /emergency number \(numbering\.emergency\)/]] as const) {
      const dnd = await api.as<ErrorReply>('alice', 'PUT', `/api/extensions/${ext}/dnd`, { on: true });
      const msg = await api.as<ErrorReply>('alice', 'POST', `/api/extensions/${ext}/messages`, { text: 'Call your office' });
      const wake = await api.as<ErrorReply>('alice', 'POST', '/api/wakeups', { extension: ext, time: '07:00' });
      for (const r of [dnd, msg, wake]) {
        assert.deepEqual([r.status, r.body.error.code], [422, code], `${ext}: ${r.text}`);
        assert.match(r.body.error.message, rule);
      }
    }
    assert.deepEqual((await api.as<{ extensions: unknown[] }>('alice', 'GET', '/api/dnd')).body.extensions, []);
    assert.deepEqual((await api.as<{ wakeups: unknown[] }>('alice', 'GET', '/api/wakeups')).body.wakeups, []);
    assert.deepEqual(await h!.store.listDocs('message'), []);
  });

  it('given the quotas, when more wake-up calls, messages or DNDs are asked for than they allow, then 409 quota_exceeded naming the setting; read messages make room', async () => {
    const book = (ext: string, time = '07:00') => api.as<ErrorReply>('alice', 'POST', '/api/wakeups', { extension: ext, time });
    assert.deepEqual([(await book('201')).status, (await book('201', '08:00')).status], [201, 201]);
    const perExt = await book('201', '09:00');
    assert.deepEqual([perExt.status, perExt.body.error.code], [409, 'quota_exceeded']);
    assert.match(perExt.body.error.message, /^quotas\.wakeupsPerExtension: 2 wake-up calls for 201 already/);
    assert.equal((await book('202')).status, 201);
    const total = await book('203');
    assert.deepEqual([total.status, total.body.error.code], [409, 'quota_exceeded']);
    assert.match(total.body.error.message, /^quotas\.wakeups: 3 wake-up calls already/);

    const leave = (ext: string, text: string) => api.as<ErrorReply & { id: string }>('alice', 'POST', `/api/extensions/${ext}/messages`, { text });
    const first = await leave('201', 'one');
    h!.time.advance(1000);
    assert.equal((await leave('201', 'two')).status, 201);
    h!.time.advance(1000);
    const full = await leave('201', 'three');
    assert.deepEqual([full.status, full.body.error.code], [409, 'quota_exceeded']);
    assert.match(full.body.error.message, /^quotas\.messagesPerExtension: 2 messages for 201 \(2 unread\)/);
    assert.equal((await api.as('alice', 'POST', `/api/extensions/201/messages/${first.body.id}/read`)).status, 204);
    assert.equal((await leave('201', 'three')).status, 201, 'the oldest read message made room');
    const texts = (await api.as<{ messages: Array<{ text: string }> }>('alice', 'GET', '/api/extensions/201/messages')).body.messages.map((m) => m.text);
    assert.deepEqual(texts, ['two', 'three']);
    assert.equal((await leave('202', 'four')).status, 201);
    const allFull = await leave('203', 'five');
    assert.match(allFull.body.error.message, /^quotas\.messages: 3 messages already/);

    for (const ext of ['201', '202']) assert.equal((await api.as('alice', 'PUT', `/api/extensions/${ext}/dnd`, { on: true })).status, 204);
    assert.equal((await api.as('alice', 'PUT', '/api/extensions/201/dnd', { on: true, until: h!.time.now() + 3600_000 })).status, 204, 'an extension already in DND may be set again');
    const dnd = await api.as<ErrorReply>('alice', 'PUT', '/api/extensions/203/dnd', { on: true });
    assert.deepEqual([dnd.status, dnd.body.error.code], [409, 'quota_exceeded']);
    assert.match(dnd.body.error.message, /^quotas\.dnd: 2 extensions in do not disturb already/);
  });

  describe('from the phone', () => {
    it('given att1 talking, when its set keys a transfer or a consultation to a number outside the plan or not allowed, then the error tone, nothing is rung and the call goes on', async () => {
      const { caller, leg } = await talking('PJSIP/att1');
      h!.sim.sendDtmf(leg, '*15555#');
      await h!.until('error tone', () => obs!.played(leg).length === 1);
      h!.sim.sendDtmf(leg, '*20155512000#');
      await h!.until('error tone', () => obs!.played(leg).length === 2);
      assert.deepEqual(obs!.played(leg), [ERROR, ERROR]);
      assert.equal(h!.callRecord(caller)!.state, 'talking');
      assert.deepEqual(dialled(caller), []);
      h!.sim.sendDtmf(leg, '*1201#');
      await h!.until('201 rung', () => dialled(caller).length === 1);
      assert.equal(dialled(caller)[0]!.endpoint, 'Local/201@attendant-dial');
      h!.sim.hangupCaller(caller);
      await h!.until('gone', () => !h!.callRecord(caller));
    });

    /** a phone dials *56HHMM: the dialplan's Stasis(attendant,feature,wakeup-set,HHMM), in its context */
    const wakeupCode = (from: string, number: string, context: string) => h!.sim.placeCall({ from, callerNumber: number, context, exten: '*560700', appArgs: ['feature', 'wakeup-set', '0700'] });

    /** the confirmation is played (the simulator's sounds last 1 s of the test clock), then the room is hung up */
    const heard = async (channel: string): Promise<string[]> => {
      await h!.until('a sound is played', () => obs!.played(channel).length > 0);
      await h!.advance(1000);
      await h!.until('hung up', () => !live(h!, channel));
      return obs!.played(channel);
    };

    it('given a room phone whose number is outside the plan, when it books a wake-up with *56, then it hears the refusal and nothing is booked; a room of the plan books', async () => {
      const outside = wakeupCode('PJSIP/5555', '5555', 'attendant-internal');
      assert.deepEqual(await heard(outside), ['sound:beeperr']);
      assert.deepEqual(await h!.switchboard.operations.listWakeups(), []);
      const room = wakeupCode('PJSIP/201', '201', 'attendant-internal');
      assert.deepEqual(await heard(room), ['sound:auth-thankyou']);
      assert.deepEqual((await h!.switchboard.operations.listWakeups()).map((w) => [w.extension, w.by]), [['201', 'room-201']]);
    });

    it('given a trunk channel (context attendant-incoming), when it sends a wake-up code or an attendant set\'s code, then it is hung up unanswered and nothing is booked or changed', async () => {
      const fromTrunk = wakeupCode('PJSIP/pstn', '201', 'attendant-incoming');
      await h!.until('hung up', () => !live(h!, fromTrunk));
      assert.deepEqual(obs!.played(fromTrunk), [], 'not answered, nothing played');
      assert.deepEqual(await h!.switchboard.operations.listWakeups(), []);
      // the set's own endpoint, but the call did not come through the sets' context
      const before = h!.attendant('att1').state;
      const spoofed = h!.sim.placeCall({ from: 'PJSIP/att1', callerNumber: 'att1', context: 'from-pstn', exten: '*51', appArgs: ['feature', 'logout', ''] });
      await h!.until('hung up', () => !live(h!, spoofed));
      assert.equal(h!.attendant('att1').state, before);
      for (const id of [fromTrunk, spoofed]) {
        const ch = h!.sim.channels().find((c) => c.id === id)!;
        assert.notEqual(ch.state, 'Up', 'never answered');
        assert.equal(ch.hangupCause, 1, 'hung up as an unknown code (unallocated)');
      }
    });
  });
});
