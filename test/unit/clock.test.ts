import assert from 'node:assert/strict';
import { ManualTime } from '../../lib/clock.ts';

describe('ManualTime', () => {
  it('given timers at 5 s and 1 s, when time advances 10 s, then they fire in due order and at their due time', () => {
    const t = new ManualTime(0);
    const fired: Array<[string, number]> = [];
    t.schedule(5000, () => fired.push(['a', t.now()]));
    t.schedule(1000, () => { fired.push(['b', t.now()]); t.schedule(500, () => fired.push(['c', t.now()])); });
    t.advance(10_000);
    assert.deepEqual(fired, [['b', 1000], ['c', 1500], ['a', 5000]]);
    assert.equal(t.now(), 10_000);
  });

  it('given a cancelled timer, when time passes its due time, then it does not fire', () => {
    const t = new ManualTime(0);
    let fired = false;
    t.schedule(10, () => { fired = true; }).cancel();
    t.advance(100);
    assert.equal(fired, false);
    assert.equal(t.pendingCount, 0);
  });
});
