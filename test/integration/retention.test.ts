// Retention wired into the controller: controller + ARI simulator over real sockets + Redis. What is
// older than the configured days goes a minute after start; what the day's calls wrote stays.
import assert from 'node:assert/strict';
import { Harness, type HarnessOptions } from '../support/harness.ts';

const DAY = 86_400_000;

const config: HarnessOptions['config'] = {
  attendants: [{ id: 'att1', name: 'Alice', device: 'PJSIP/att1' }],
  groups: [{ id: 'operators', name: 'Operators', members: ['att1'] }],
  retention: { logDays: 30, queueLogDays: 30, statsDays: 60 },
} as HarnessOptions['config'];

describe('retention of the store\'s reports', function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('given a store with entries months old and a call today, when a minute has passed, then the old log, queue_log and statistics are gone and today\'s stay', async () => {
    h = await Harness.start({ config });
    const now = h.time.now();
    const old = now - 90 * DAY;
    await h.store.commit([
      { op: 'log', entry: { time: old, operator: 'att1', action: 'answer', numbers: [], result: 'ok' } },
      { op: 'queueLog', time: old, line: `${old / 1000}|c0|operators|att1|CONNECT|1|c0-p1|1` },
      { op: 'stats', scope: 'group:operators', intervalStart: old, add: { offered: 1 } },
    ]);
    const caller = h.call();
    await h.until('att1 rings', () => h!.ringing('PJSIP/att1').length === 1);
    h.sim.hangupCaller(caller);
    await h.until('the call ends', () => h!.callCount() === 0);

    await h.advance(61_000);
    assert.deepEqual(await h.store.queryLog({ to: now - DAY }), []);
    assert.deepEqual(await h.store.readQueueLog(0, now - DAY), []);
    assert.deepEqual(await h.store.stats('group:operators', 0, now - DAY), []);
    assert.ok((await h.store.queryLog({ from: now })).some((e) => e.action === 'arrive'), 'today\'s call is still in the action log');
    assert.ok((await h.store.readQueueLog(now, Infinity)).some((l) => l.includes('|ENTERQUEUE|')), 'and in the queue_log');
  });
});
