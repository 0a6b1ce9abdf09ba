// Feature codes dialled from an attendant set, end to end: controller + ARI simulator + Redis.
import assert from 'node:assert/strict';
import { Harness } from '../support/harness.ts';
import { endTest, dialFeature, ERROR, featureOutcome, live, Observer, OK, phoneConfig, talkingTo } from '../support/phone.ts';
import { isCallBridge } from '../support/sim-helpers.ts';

describe('feature codes from an attendant set', function () {
  this.timeout(20_000);
  let h: Harness | undefined;
  let obs: Observer | undefined;

  afterEach(async () => {
    const [hh, o] = [h, obs];
    [h, obs] = [undefined, undefined];
    await endTest(hh, o);
  });

  async function start(loggedIn: string[] = ['att1']): Promise<Harness> {
    const hh = await Harness.start({ config: phoneConfig(), login: false });
    for (const id of loggedIn) await hh.switchboard.login(id);
    obs = await Observer.start(hh);
    return hh;
  }

  describe('position keys', () => {
    it('given att1 logged out, when its set dials login (*50), then att1 is idle in its groups, the set hears the beep and the call is hung up', async () => {
      h = await start([]);
      const ch = dialFeature(h, 'PJSIP/att1', 'login');
      assert.equal(await featureOutcome(h, obs!, ch), OK);
      const a = h.attendant('att1');
      assert.deepEqual([a.state, a.groups], ['idle', ['operators']]);
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'state:idle' && e.result === 'login'), 'log.some((e) => e.action === \'state:idle\' && e.result === \'login\')');
    });

    it('given att1 already logged in, when its set dials login, then the error tone and nothing changes', async () => {
      h = await start();
      const before = h.attendant('att1');
      const ch = dialFeature(h, 'PJSIP/att1', 'login');
      assert.equal(await featureOutcome(h, obs!, ch), ERROR);
      assert.deepEqual(h.attendant('att1'), before);
    });

    it('given att1 idle, when its set dials logout (*51), then att1 is unplugged', async () => {
      h = await start();
      const ch = dialFeature(h, 'PJSIP/att1', 'logout');
      assert.equal(await featureOutcome(h, obs!, ch), OK);
      assert.deepEqual([h.attendant('att1').state, h.attendant('att1').loggedInAt], ['unplugged', undefined]);
    });

    it('given att1 talking on a call, when its set dials logout on another line, then the error tone and the call goes on', async () => {
      h = await start();
      const { caller } = await talkingTo(h, 'PJSIP/att1');
      const ch = dialFeature(h, 'PJSIP/att1', 'logout');
      assert.equal(await featureOutcome(h, obs!, ch), ERROR);
      assert.equal(h.attendant('att1').state, 'busy');
      assert.equal(h.callRecord(caller)!.state, 'talking');
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    });

    it('given att1 idle, when its set dials DND on (*52), then att1 is in DND and a call waiting is not presented to it', async () => {
      h = await start();
      const ch = dialFeature(h, 'PJSIP/att1', 'dnd-on');
      assert.equal(await featureOutcome(h, obs!, ch), OK);
      assert.equal(h.attendant('att1').state, 'dnd');
      const caller = h.call();
      await h.until('waits', () => h!.callRecord(caller)?.state === 'waiting');
      await h.settle();
      assert.equal(h.ringing('PJSIP/att1').length, 0);
      h.sim.hangupCaller(caller);
    });

    it('given att1 logged out, when its set dials DND on, then the error tone and att1 stays unplugged', async () => {
      h = await start([]);
      const ch = dialFeature(h, 'PJSIP/att1', 'dnd-on');
      assert.equal(await featureOutcome(h, obs!, ch), ERROR);
      assert.equal(h.attendant('att1').state, 'unplugged');
    });

    it('given att1 in DND, when its set dials present (*53), then att1 is idle again', async () => {
      h = await start();
      await h.switchboard.attendantAction('att1', { type: 'dnd', on: true });
      const ch = dialFeature(h, 'PJSIP/att1', 'present');
      assert.equal(await featureOutcome(h, obs!, ch), OK);
      assert.equal(h.attendant('att1').state, 'idle');
    });

    it('given att1 absent after an unanswered presentation, when its set dials present, then att1 is back and idle', async () => {
      h = await start();
      const caller = h.call();
      await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
      // the absent timer counts ringing only: 80 s of presentations left unanswered
      for (let t = 0; t < 80_000; t += 5_000) await h.advance(5_000);
      await h.until('att1 absent', () => h!.attendant('att1').state === 'absent');
      h.sim.hangupCaller(caller);
      await h.until('call gone', () => !h!.callRecord(caller));
      const ch = dialFeature(h, 'PJSIP/att1', 'present');
      assert.equal(await featureOutcome(h, obs!, ch), OK);
      assert.equal(h.attendant('att1').state, 'idle');
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'state:idle' && e.result === 'key pressed'), 'log.some((e) => e.action === \'state:idle\' && e.result === \'key pressed\')');
    });

    it('given att1 logged out, when its set dials present, then the error tone and att1 stays unplugged', async () => {
      h = await start([]);
      const ch = dialFeature(h, 'PJSIP/att1', 'present');
      assert.equal(await featureOutcome(h, obs!, ch), ERROR);
      assert.equal(h.attendant('att1').state, 'unplugged');
    });

    it('given a phone that is no attendant set, when it dials an attendant feature, then the error tone and nothing changes', async () => {
      h = await start([]);
      h.sim.setEndpoint('PJSIP/201', { kind: 'manual' });
      const ch = dialFeature(h, 'PJSIP/201', 'login');
      assert.equal(await featureOutcome(h, obs!, ch), ERROR);
      assert.ok(['att1', 'att2', 'sup'].every((id) => h!.attendant(id).state === 'unplugged'), '[\'att1\', \'att2\', \'sup\'].every((id) => h!.attendant(id).state === \'unplugged\')');
    });

    it('given a feature that is not an attendant set\'s, then the call is hung up and never queued as a call', async () => {
      h = await start();
      const ch = dialFeature(h, 'PJSIP/att1', 'no-such-feature');
      await h.until('hung up', () => !live(h!, ch));
      assert.equal(h.callRecord(ch), undefined);
      assert.deepEqual(h.queue('operators'), []);
    });
  });

  describe('group mode from a supervisor set', () => {
    it('given the supervisor set, when it dials *542, then its group is forced to night, logged with its id, and calls go to the night destination', async () => {
      h = await start(['att1']);
      const ch = dialFeature(h, 'PJSIP/sup', 'mode', '2');
      assert.equal(await featureOutcome(h, obs!, ch), OK);
      const g = h.groupRecord('operators')!;
      assert.deepEqual([g.override, g.mode], ['night', 'night']);
      const log = await h.store.queryLog({ operator: 'sup' });
      assert.ok(log.some((e) => e.action === 'mode' && e.result === 'night' && e.detail?.group === 'operators'), 'log.some((e) => e.action === \'mode\' && e.result === \'night\' && e.detail?.group === \'ope...');
      const caller = h.call();
      await h.until('diverted', () => h!.sim.continued().some((c) => c.channelId === caller && c.extension === '2000'));
      h.sim.hangupCaller(caller);
    });

    it('given a forced mode, when the supervisor set dials *540, then the schedule decides again', async () => {
      h = await start([]);
      await h.switchboard.setGroupOverride('operators', 'mode1');
      const ch = dialFeature(h, 'PJSIP/sup', 'mode', '0');
      assert.equal(await featureOutcome(h, obs!, ch), OK);
      assert.equal(h.groupRecord('operators')!.override, undefined);
    });

    it('given an operator set that is not a supervisor\'s, when it dials *542, then the error tone and the mode does not change', async () => {
      h = await start();
      const ch = dialFeature(h, 'PJSIP/att1', 'mode', '2');
      assert.equal(await featureOutcome(h, obs!, ch), ERROR);
      assert.equal(h.groupRecord('operators')!.override, undefined);
    });

    it('given a mode the group has no destination for, or no mode at all, when the supervisor dials it, then the error tone', async () => {
      h = await start([]);
      const mode2 = dialFeature(h, 'PJSIP/sup', 'mode', '4');
      assert.equal(await featureOutcome(h, obs!, mode2), ERROR);
      const nine = dialFeature(h, 'PJSIP/sup', 'mode', '9');
      assert.equal(await featureOutcome(h, obs!, nine), ERROR);
      assert.equal(h.groupRecord('operators')!.override, undefined);
    });

    it('given the night key of a group (BLF), when the supervisor presses it twice, then night is forced, then the schedule is back', async () => {
      h = await start([]);
      const on = dialFeature(h, 'PJSIP/sup', 'night-toggle', 'operators');
      assert.equal(await featureOutcome(h, obs!, on), OK);
      assert.equal(h.groupRecord('operators')!.override, 'night');
      const off = dialFeature(h, 'PJSIP/sup', 'night-toggle', 'operators');
      assert.equal(await featureOutcome(h, obs!, off), OK);
      assert.equal(h.groupRecord('operators')!.override, undefined);
      const unknown = dialFeature(h, 'PJSIP/sup', 'night-toggle', 'sales');
      assert.equal(await featureOutcome(h, obs!, unknown), ERROR);
    });
  });

  describe('pick-ups on the feature call itself', () => {
    it('given a call waiting, when att1 dials queue pickup (*59), then the feature call becomes att1\'s leg: talking at once, nothing rang, counted as answered', async () => {
      h = await start();
      const caller = h.call({ class: 'slow' });
      await h.until('waits', () => h!.waitsWithMusic(caller));
      const ch = dialFeature(h, 'PJSIP/att1', 'queue-pickup');
      await h.until('connected', () => h!.callRecord(caller)?.talkBridge !== undefined);
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.state, rec.attendant, rec.leg], ['talking', 'att1', ch]);
      assert.equal(h.attendant('att1').state, 'busy');
      assert.deepEqual([...h.sim.bridges().find((b) => b.id === rec.talkBridge)!.channels].sort(), [caller, ch].sort());
      assert.equal(h.sim.originated().filter((o) => o.endpoint === 'PJSIP/att1').length, 0, 'the set was not rung');
      assert.deepEqual(h.queue('operators'), []);
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'answer-waiting' && e.callId === caller), 'log.some((e) => e.action === \'answer-waiting\' && e.callId === caller)');
      assert.ok(log.some((e) => e.action === 'answer' && e.callId === caller), 'log.some((e) => e.action === \'answer\' && e.callId === caller)');
      // the set hangs up: the call ends as any answered call, and is counted as one
      h.sim.hangupCaller(ch);
      await h.until('caller released', () => !live(h!, caller) && !h!.callRecord(caller));
      assert.equal(h.attendant('att1').state, 'idle');
      await h.settle();
      const answered = async (scope: string) => (await h!.store.stats(scope, 0, Number.MAX_SAFE_INTEGER)).reduce((n, x) => n + (x.counters.answered ?? 0), 0);
      assert.deepEqual([await answered('group:operators'), await answered('attendant:att1')], [1, 1]);
    });

    it('given the queue key of a group (BLF), when att1 presses it, then the longest-waiting call of that group is connected', async () => {
      h = await start();
      const first = h.call({ class: 'slow' });
      await h.advance(1000);
      const second = h.call({ class: 'slow' });
      await h.until('both wait', () => h!.queue('operators').length === 2);
      const ch = dialFeature(h, 'PJSIP/att1', 'queue-pickup', 'operators');
      await h.until('connected', () => h!.callRecord(first)?.talkBridge !== undefined);
      assert.equal(h.callRecord(first)!.leg, ch);
      assert.equal(h.callRecord(second)!.state, 'waiting');
      h.sim.hangupCaller(first);
      h.sim.hangupCaller(second);
    });

    it('given no call waiting, when att1 dials queue pickup, then the error tone and att1 stays idle', async () => {
      h = await start();
      const ch = dialFeature(h, 'PJSIP/att1', 'queue-pickup');
      assert.equal(await featureOutcome(h, obs!, ch), ERROR);
      assert.equal(h.attendant('att1').state, 'idle');
    });

    it('given att1 parked a call, when att2 dials park retrieve (*581), then att2 talks with the caller on its feature call', async () => {
      h = await start(['att1', 'att2']);
      const { caller } = await talkingTo(h, 'PJSIP/att1');
      assert.deepEqual(await h.switchboard.operations.park('att1', caller), { slot: 1 });
      const ch = dialFeature(h, 'PJSIP/att2', 'park-retrieve', '1');
      await h.until('connected', () => h!.callRecord(caller)?.state === 'talking' && h!.callRecord(caller)?.talkBridge !== undefined);
      const rec = h.callRecord(caller)!;
      assert.deepEqual([rec.attendant, rec.leg, rec.parkSlot], ['att2', ch, undefined]);
      await h.until('hold bridge gone', () => !h!.sim.bridges().some((b) => isCallBridge(b, 'hold', caller)));
      const log = await h.store.queryLog({ operator: 'att2' });
      assert.ok(log.some((e) => e.action === 'pickup' && e.callId === caller && e.detail?.slot === '1'), 'log.some((e) => e.action === \'pickup\' && e.callId === caller && e.detail?.slot === \'1\')');
      await h.switchboard.operations.hangup('att2', caller);
    });

    it('given an empty park slot or a slot that does not exist, when a set dials park retrieve, then the error tone and nothing changes', async () => {
      h = await start();
      const empty = dialFeature(h, 'PJSIP/att1', 'park-retrieve', '2');
      assert.equal(await featureOutcome(h, obs!, empty), ERROR);
      const bad = dialFeature(h, 'PJSIP/att1', 'park-retrieve', '99');
      assert.equal(await featureOutcome(h, obs!, bad), ERROR);
      assert.equal(h.attendant('att1').state, 'idle');
    });

    it('given att1 holds a call, when it dials retrieve (*55), then the held call is back on the feature call', async () => {
      h = await start();
      const { caller } = await talkingTo(h, 'PJSIP/att1');
      await h.switchboard.operations.hold('att1', caller);
      const ch = dialFeature(h, 'PJSIP/att1', 'retrieve');
      await h.until('connected', () => h!.callRecord(caller)?.state === 'talking' && h!.callRecord(caller)?.talkBridge !== undefined);
      assert.deepEqual([h.callRecord(caller)!.leg, h.callRecord(caller)!.slot], [ch, undefined]);
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'retrieve' && e.callId === caller), 'log.some((e) => e.action === \'retrieve\' && e.callId === caller)');
      await h.switchboard.operations.hangup('att1', caller);
    });

    it('given att1 holds nothing in slot 2, when it dials *552, then the error tone', async () => {
      h = await start();
      const ch = dialFeature(h, 'PJSIP/att1', 'retrieve', '2');
      assert.equal(await featureOutcome(h, obs!, ch), ERROR);
      const none = dialFeature(h, 'PJSIP/att1', 'retrieve');
      assert.equal(await featureOutcome(h, obs!, none), ERROR);
    });

    it('given the set hangs up its pick-up at once, then the call keeps waiting, att1 stays idle and nothing is left', async () => {
      h = await start();
      const caller = h.call({ class: 'slow' });
      await h.until('waits', () => h!.waitsWithMusic(caller));
      const ch = dialFeature(h, 'PJSIP/att1', 'queue-pickup');
      h.sim.hangupCaller(ch);
      await h.until('feature call gone', () => !live(h!, ch));
      await h.settle();
      assert.equal(h.callRecord(caller)!.state, 'waiting');
      assert.equal(h.attendant('att1').state, 'idle');
      h.sim.hangupCaller(caller);
      await h.until('ended', () => !h!.callRecord(caller));
    });
  });

  describe('call back', () => {
    it('given att1 answered a caller, when it dials call back (*69) later, then its set dials that number in the sets\' context', async () => {
      h = await start();
      const { caller } = await talkingTo(h, 'PJSIP/att1');
      h.sim.hangupCaller(caller);
      await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
      const ch = dialFeature(h, 'PJSIP/att1', 'callback');
      await h.until('dialled', () => h!.sim.continued().some((c) => c.channelId === ch));
      const c = h.sim.continued().find((x) => x.channelId === ch)!;
      assert.deepEqual([c.context, c.extension, c.priority], ['attendant-sets', '0155501234', 1]);
      await h.settle();
      const log = await h.store.queryLog({ operator: 'att1' });
      assert.ok(log.some((e) => e.action === 'callback' && e.numbers[0] === '0155501234'), 'log.some((e) => e.action === \'callback\' && e.numbers[0] === \'0155501234\')');
      h.sim.hangupCaller(ch);
    });

    it('given no caller reached att1 yet, when it dials call back, then the error tone', async () => {
      h = await start();
      const ch = dialFeature(h, 'PJSIP/att1', 'callback');
      assert.equal(await featureOutcome(h, obs!, ch), ERROR);
    });
  });
});
