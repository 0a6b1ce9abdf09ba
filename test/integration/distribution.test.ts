// Call distribution end to end: controller + ARI simulator over real sockets (ari-client) + Redis.
import assert from 'node:assert/strict';
import type { Strategy } from '../../lib/config.ts';
import { ARI_PASSWORD, ARI_USER, Harness, type HarnessOptions } from '../support/harness.ts';

const ATTENDANTS = [
  { id: 'att1', name: 'Alice', device: 'PJSIP/att1' },
  { id: 'att2', name: 'Bob', device: 'PJSIP/att2' },
  { id: 'att3', name: 'Carol', device: 'PJSIP/att3' },
];

function oneGroup(strategy: Strategy, extra: Record<string, unknown> = {}): HarnessOptions['config'] {
  return {
    attendants: ATTENDANTS,
    groups: [{ id: 'operators', name: 'Operators', members: ['att1', 'att2', 'att3'], strategy, ringTimeout: 15, table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' } }, ...extra }],
  };
}

async function deviceStates(h: Harness): Promise<Record<string, string>> {
  const res = await fetch(`${h.sim.url}/ari/deviceStates`, { headers: { authorization: `Basic ${Buffer.from(`${ARI_USER}:${ARI_PASSWORD}`).toString('base64')}` } });
  assert.equal(res.status, 200);
  const list = (await res.json()) as Array<{ name: string; state: string }>;
  return Object.fromEntries(list.map((d) => [d.name, d.state]));
}

describe('call distribution over ARI', function () {
  this.timeout(20_000);
  let h: Harness | undefined;
  afterEach(async () => {
    if (h) {
      // a call is never left alone in a bridge and no channel is left behind by the controller
      await h.stop();
      h = undefined;
    }
  });

  describe('hunting strategies', () => {
    it('given three idle attendants, when a call arrives with longest-idle, then the one idle longest rings', async () => {
      h = await Harness.start({ config: oneGroup('longest-idle'), login: false });
      await h.switchboard.login('att2');
      await h.advance(10_000);
      await h.switchboard.login('att3');
      await h.advance(10_000);
      await h.switchboard.login('att1');
      h.call();
      await h.until('a set rings', () => h!.ringing('PJSIP/att2').length === 1);
      assert.deepEqual([h.ringing('PJSIP/att1').length, h.ringing('PJSIP/att3').length], [0, 0]);
      assert.equal(h.attendant('att2').state, 'ringing');
    });

    it('given round-robin, when four calls arrive one after another, then presentation continues after the last attendant and wraps', async () => {
      h = await Harness.start({ config: oneGroup('round-robin') });
      const order: string[] = [];
      for (let i = 0; i < 4; i++) {
        const caller = h.call();
        await h.until(`call ${i} rings`, () => ATTENDANTS.some((a) => h!.ringing(a.device).length === 1));
        const ringing = ATTENDANTS.find((a) => h!.ringing(a.device).length === 1)!;
        order.push(ringing.id);
        await h.answer(ringing.device);
        await h.until('talking', () => h!.callRecord(caller)?.state === 'talking');
        h.sim.hangupCaller(caller);
        await h.until('attendant idle again', () => h!.attendant(ringing.id).state === 'idle');
      }
      assert.deepEqual(order, ['att1', 'att2', 'att3', 'att1']);
    });

    it('given ring-all, when one of the three ringing sets answers, then the other two stop ringing and return to idle', async () => {
      h = await Harness.start({ config: oneGroup('ring-all') });
      const caller = h.call();
      await h.until('all three ring', () => ATTENDANTS.every((a) => h!.ringing(a.device).length === 1));
      await h.answer('PJSIP/att2');
      await h.until('the call is connected', () => h!.callRecord(caller)?.talkBridge !== undefined);
      await h.until('others stopped', () => h!.ringing('PJSIP/att1').length === 0 && h!.ringing('PJSIP/att3').length === 0);
      assert.equal(h.attendant('att2').state, 'busy');
      assert.equal(h.attendant('att1').state, 'idle');
      assert.equal(h.attendant('att3').state, 'idle');
      // the caller and att2's leg share one mixing bridge
      const bridge = h.sim.bridges().find((b) => b.id === h!.callRecord(caller)!.talkBridge)!;
      assert.equal(bridge.channels.length, 2);
      assert.ok(bridge.channels.includes(caller), 'bridge.channels.includes(caller)');
    });

    it('given linear and fewest-calls, when calls arrive, then member order and then the least loaded attendant ring', async () => {
      h = await Harness.start({ config: oneGroup('linear') });
      h.call();
      await h.until('att1 rings first', () => h!.ringing('PJSIP/att1').length === 1);
      await h.stop();
      h = await Harness.start({ config: oneGroup('fewest-calls') });
      const first = h.call();
      await h.answer('PJSIP/att1');
      await h.until('talking', () => h!.callRecord(first)?.state === 'talking');
      h.sim.hangupCaller(first);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
      h.call();
      await h.until('att2 (no calls yet) rings', () => h!.ringing('PJSIP/att2').length === 1);
      assert.equal(h.ringing('PJSIP/att1').length, 0);
    });
  });

  describe('busy sets', () => {
    it('given the only member\'s set answers busy, when 30 s pass, then it is offered the call a handful of times, 5 then 10 s apart, never in a loop', async () => {
      h = await Harness.start({
        config: { attendants: ATTENDANTS, groups: [{ id: 'operators', name: 'Operators', members: ['att1'], strategy: 'linear' }] },
        endpoints: { 'PJSIP/att1': { kind: 'busy' } },
      });
      const caller = h.call();
      const offers = () => h!.sim.originated().filter((o) => o.endpoint === 'PJSIP/att1').map((o) => o.at);
      await h.until('offered once', () => offers().length === 1);
      for (let t = 0; t < 30_000; t += 1_000) await h.advance(1_000);
      const at = offers();
      const gaps = at.slice(1).map((x, i) => x - at[i]!);
      // time moves in 1 s steps here: each offer comes within the step its back-off ends in
      assert.ok(gaps.length === 2 && gaps[0]! >= 5_000 && gaps[0]! <= 6_000 && gaps[1]! >= 10_000 && gaps[1]! <= 11_000, `offered at ${at.map((x) => x - at[0]!).join(', ')} ms`);
      assert.equal(h.callRecord(caller)?.state, 'waiting', 'the caller still waits');
    });

    it('given the first set answers busy and the second is free, then the call goes to the second at once, and the busy set gets no other call meanwhile', async () => {
      h = await Harness.start({ config: oneGroup('linear'), endpoints: { 'PJSIP/att1': { kind: 'busy' } } });
      const first = h.call();
      await h.until('att2 rings', () => h!.ringing('PJSIP/att2').length === 1);
      assert.deepEqual(h.callRecord(first)?.refusedBy, ['att1']);
      h.call();
      await h.until('att3 rings the second call', () => h!.ringing('PJSIP/att3').length === 1);
      assert.equal(h.sim.originated().filter((o) => o.endpoint === 'PJSIP/att1').length, 1, 'att1 is left alone after its busy');
    });
  });

  describe('ring timeout and absent', () => {
    it('given a 15 s ring timeout, when the first attendant does not answer, then the call moves to the next', async () => {
      h = await Harness.start({ config: oneGroup('linear') });
      const caller = h.call();
      await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
      await h.advance(14_000);
      assert.equal(h.ringing('PJSIP/att1').length, 1, 'still ringing before the timeout');
      await h.advance(1_000);
      await h.until('att2 rings', () => h!.ringing('PJSIP/att2').length === 1);
      assert.equal(h.ringing('PJSIP/att1').length, 0);
      assert.equal(h.attendant('att1').state, 'idle');
      assert.deepEqual(h.callRecord(caller)?.refusedBy, ['att1']);
    });

    it('given an attendant that never answers, when 80 s pass, then it is absent, gets no calls, and a key press brings it back', async () => {
      h = await Harness.start({
        config: { attendants: ATTENDANTS, groups: [{ id: 'operators', name: 'Operators', members: ['att1'], strategy: 'linear', ringTimeout: 15 }] },
      });
      const caller = h.call();
      await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
      for (let t = 0; t < 75_000; t += 15_000) await h.advance(15_000);
      assert.notEqual(h.attendant('att1').state, 'absent', 'not absent before 80 s');
      await h.advance(5_000);
      await h.until('absent', () => h!.attendant('att1').state === 'absent');
      await h.until('no set rings', () => h!.ringing('PJSIP/att1').length === 0);
      await h.advance(30_000);
      assert.equal(h.ringing('PJSIP/att1').length, 0, 'an absent attendant gets no calls');
      assert.equal(h.callRecord(caller)?.state, 'waiting');
      assert.equal(h.groupRecord('operators')?.state, 'absent');
      await h.switchboard.attendantAction('att1', { type: 'action' });
      await h.until('presented again', () => h!.ringing('PJSIP/att1').length === 1);
    });
  });

  describe('waiting queue', () => {
    it('given two normal calls waiting, when an urgent call arrives, then it is presented first', async () => {
      h = await Harness.start({ config: oneGroup('linear'), login: false });
      await h.switchboard.attendantAction('att1', { type: 'login', groups: ['operators'] });
      await h.switchboard.attendantAction('att1', { type: 'dnd', on: true });
      const normal1 = h.call({ number: '100' });
      await h.advance(1000);
      const normal2 = h.call({ number: '101' });
      await h.advance(1000);
      const urgent = h.call({ class: 'urgent', number: '102' });
      await h.until('three waiting', () => h!.queue('operators').length === 3);
      assert.deepEqual(h.queue('operators'), [urgent, normal1, normal2]);
      assert.deepEqual(await h.store.queue('operators'), [urgent, normal1, normal2], 'the stored queue agrees');
      await h.switchboard.attendantAction('att1', { type: 'dnd', on: false });
      await h.until('urgent rings', () => h!.callRecord(urgent)?.state === 'ringing');
      assert.equal(h.callRecord(normal1)?.state, 'waiting');
    });

    it('given a caller waiting, when it hangs up, then it leaves the queue at once and counts as abandoned', async () => {
      h = await Harness.start({ config: oneGroup('linear'), login: false });
      await h.switchboard.attendantAction('att1', { type: 'login', groups: ['operators'] });
      await h.switchboard.attendantAction('att1', { type: 'dnd', on: true });
      const caller = h.call({ number: '0611223344' });
      await h.until('waiting', () => h!.queue('operators').includes(caller));
      await h.advance(12_000);
      h.sim.hangupCaller(caller);
      await h.until('gone from the queue', () => !h!.queue('operators').includes(caller) && !h!.callRecord(caller));
      await h.settle();
      assert.deepEqual(await h.store.queue('operators'), []);
      const ends = (await h.store.queryLog({ number: '0611223344' })).filter((e) => e.action === 'end');
      assert.deepEqual(ends.map((e) => e.result), ['abandoned']);
      const stats = await h.store.stats('group:operators', 0, Number.MAX_SAFE_INTEGER);
      assert.equal(stats.reduce((n, s) => n + (s.counters.abandoned ?? 0), 0), 1);
      assert.equal(stats.reduce((n, s) => n + (s.counters.waitSecondsAbandoned ?? 0), 0), 12);
    });
  });

  describe('overflow', () => {
    const twoGroups = (overflow: Record<string, unknown>): HarnessOptions['config'] => ({
      attendants: ATTENDANTS,
      groups: [
        { id: 'operators', name: 'Operators', members: ['att1'], strategy: 'linear', overflow: { to: 'backup', ...overflow } },
        { id: 'backup', name: 'Backup', members: ['att2'], strategy: 'linear' },
      ],
    });

    it('given overflow after 30 s with mutual help, when a call waits 30 s, then both groups see it and the backup attendant can take it', async () => {
      h = await Harness.start({ config: twoGroups({ waitSeconds: 30, mutualHelp: true }), login: false });
      await h.switchboard.login('att1');
      await h.switchboard.attendantAction('att1', { type: 'dnd', on: true });
      const caller = h.call();
      await h.until('waiting in operators', () => h!.queue('operators').includes(caller));
      await h.advance(29_000);
      assert.deepEqual(h.queue('backup'), []);
      await h.advance(1_000);
      await h.until('in both queues', () => h!.queue('backup').includes(caller) && h!.queue('operators').includes(caller));
      assert.deepEqual(await h.store.queue('backup'), [caller]);
      await h.switchboard.login('att2');
      await h.until('the backup attendant rings', () => h!.ringing('PJSIP/att2').length === 1);
      await h.answer('PJSIP/att2');
      await h.until('answered, out of both queues', () => h!.callRecord(caller)?.state === 'talking' && !h!.queue('operators').length && !h!.queue('backup').length);
    });

    it('given a queue limit of 2, when the second call arrives, then it overflows to the backup group', async () => {
      h = await Harness.start({ config: twoGroups({ queueLength: 2, mutualHelp: false }), login: false });
      await h.switchboard.login('att1');
      await h.switchboard.attendantAction('att1', { type: 'dnd', on: true });
      const first = h.call({ number: '1' });
      await h.until('first waits', () => h!.queue('operators').includes(first));
      const second = h.call({ number: '2' });
      await h.until('second overflowed', () => h!.queue('backup').includes(second));
      assert.deepEqual(h.queue('operators'), [first]);
      assert.equal(h.callRecord(second)?.overflowedFrom, 'operators');
      await h.settle();
      const out = await h.store.stats('group:operators', 0, Number.MAX_SAFE_INTEGER);
      assert.equal(out.reduce((n, s) => n + (s.counters.overflowOut ?? 0), 0), 1);
    });
  });

  describe('night service', () => {
    const scheduled: HarnessOptions['config'] = oneGroup('linear', {
      schedule: { timezone: 'Europe/Paris', otherwise: 'night', rules: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '19:00', mode: 'day' }] },
    });

    it('given the schedule says night, when a call arrives, then it goes to the night destination', async () => {
      // Monday 20:30 in Paris (19:30 UTC)
      h = await Harness.start({ config: scheduled, start: Date.UTC(2026, 0, 5, 19, 30) });
      const caller = h.call();
      await h.until('continued in the dialplan', () => h!.sim.continued().some((c) => c.channelId === caller));
      const where = h.sim.continued().find((c) => c.channelId === caller)!;
      assert.deepEqual([where.context, where.extension], ['attendant-out', '2000']);
      assert.equal(h.ringing('PJSIP/att1').length, 0);
    });

    it('given day by schedule, when a supervisor forces night and later clears it, then calls follow the override', async () => {
      h = await Harness.start({ config: scheduled, start: Date.UTC(2026, 0, 5, 10, 0) });
      await h.switchboard.setGroupOverride('operators', 'night');
      const atNight = h.call({ number: '1' });
      await h.until('diverted', () => h!.sim.continued().some((c) => c.channelId === atNight));
      await h.switchboard.setGroupOverride('operators', undefined);
      assert.equal(h.groupRecord('operators')?.mode, 'day', 'clearing the override goes back to the schedule');
      const byDay = h.call({ number: '2' });
      await h.until('presented', () => h!.ringing('PJSIP/att1').length === 1);
      assert.ok(!h.sim.continued().some((c) => c.channelId === byDay), '!h.sim.continued().some((c) => c.channelId === byDay)');
    });

    it('given every member unplugged, when a call arrives by day, then it goes to the night destination', async () => {
      h = await Harness.start({ config: oneGroup('linear'), login: false });
      const caller = h.call();
      await h.until('diverted', () => h!.sim.continued().some((c) => c.channelId === caller));
      assert.equal(h.sim.continued().find((c) => c.channelId === caller)!.extension, '2000');
    });
  });

  it('given ten calls at once and two attendants, when they answer after random delays and some callers give up, then every call is answered once or abandoned', async () => {
    h = await Harness.start({
      config: { attendants: ATTENDANTS.slice(0, 2), groups: [{ id: 'operators', name: 'Operators', members: ['att1', 'att2'], strategy: 'longest-idle', ringTimeout: 15 }] },
      endpoints: {
        'PJSIP/att1': { kind: 'hangupAfter', answerAfterMs: 2_000, hangupAfterMs: 20_000 },
        'PJSIP/att2': { kind: 'hangupAfter', answerAfterMs: 7_000, hangupAfterMs: 25_000 },
      },
    });
    const callers: string[] = [];
    for (let i = 0; i < 10; i++) callers.push(h.call({ number: `20${i}` }));
    await h.until('ten calls known', () => callers.every((c) => h!.callRecord(c) !== undefined));
    const abandoning = new Set([callers[7]!, callers[8]!, callers[9]!]);
    for (let t = 0; t < 400_000; t += 1_000) {
      if (t === 30_000) for (const c of abandoning) if (h.callRecord(c)?.state !== 'talking') h.sim.hangupCaller(c);
      await h.advance(1_000);
      if (callers.every((c) => !h!.callRecord(c))) break;
    }
    await h.until('every call ended', () => callers.every((c) => !h!.callRecord(c)));
    await h.settle();
    const log = await h.store.queryLog({ limit: 1000 });
    for (const c of callers) {
      const answers = log.filter((e) => e.callId === c && e.action === 'answer');
      const end = log.filter((e) => e.callId === c && e.action === 'end');
      assert.ok(answers.length <= 1, `call ${c} answered ${answers.length} times`);
      assert.equal(end.length, 1, `call ${c} ended once`);
      assert.ok(answers.length === 1 ? end[0]!.result === 'completed' : end[0]!.result === 'abandoned', `call ${c}: ${end[0]!.result}`);
    }
    const answered = callers.filter((c) => log.some((e) => e.callId === c && e.action === 'answer'));
    assert.ok(answered.length >= 7, `answered ${answered.length}`);
    // no leg left ringing or talking on the simulator
    assert.deepEqual(h.sim.channels().filter((c) => !c.hungUp).map((c) => c.name), []);
  });

  it('given an attendant going through its states, then its device state Stasis:<id> follows (GET /deviceStates)', async () => {
    h = await Harness.start({ config: oneGroup('linear'), login: false });
    await h.switchboard.login('att1');
    await h.until('idle', () => h!.attendant('att1').state === 'idle');
    await h.settle();
    assert.equal((await deviceStates(h))['Stasis:att1'], 'NOT_INUSE');
    assert.equal((await deviceStates(h))['Stasis:att2'], 'UNAVAILABLE');
    const caller = h.call();
    await h.until('ringing', () => h!.ringing('PJSIP/att1').length === 1);
    await h.settle();
    assert.equal((await deviceStates(h))['Stasis:att1'], 'RINGING');
    await h.answer('PJSIP/att1');
    await h.until('talking', () => h!.callRecord(caller)?.state === 'talking');
    await h.settle();
    assert.equal((await deviceStates(h))['Stasis:att1'], 'INUSE');
    h.sim.hangupCaller(caller);
    await h.until('idle again', () => h!.attendant('att1').state === 'idle');
    await h.switchboard.attendantAction('att1', { type: 'dnd', on: true });
    await h.settle();
    assert.equal((await deviceStates(h))['Stasis:att1'], 'BUSY');
    await h.switchboard.attendantAction('att1', { type: 'logout' });
    await h.settle();
    assert.equal((await deviceStates(h))['Stasis:att1'], 'UNAVAILABLE');
  });
});
