// Acceptance 6: Asterisk answers 500, or does not answer at all, for a while. A caller is never left
// waiting forever: three failed presentations send it to the group's fallback; a request without an
// answer fails after `asterisk.ari.requestTimeout` (so a hung presentation counts as a failed one);
// a divert Asterisk refuses for a moment is retried until it goes through.
import assert from 'node:assert/strict';
import { Harness, type HarnessOptions } from '../support/harness.ts';
import { assertEachCallEndedOnce, live } from './support.ts';

function config(): HarnessOptions['config'] {
  return {
    attendants: [{ id: 'att1', name: 'Alice', device: 'PJSIP/att1' }, { id: 'att2', name: 'Bob', device: 'PJSIP/att2' }],
    // delayed ring: the caller waits (with music) half a minute before the first presentation
    classes: [{ id: 'external', priority: 5, delayedRing: 0 }, { id: 'delayed', priority: 5, delayedRing: 30 }],
    groups: [{
      id: 'operators', name: 'Operators', members: ['att1', 'att2'], strategy: 'longest-idle', ringTimeout: 15,
      table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' } }, fallback: { type: 'extension', number: '3000' },
    }],
  };
}

describe('resilience: a slow or failing Asterisk', function () {
  this.timeout(30_000);
  let h: Harness | undefined;

  afterEach(async () => {
    // requests still held by the slow simulator are answered, and ours time out, before stopping
    h?.sim.delayRequests(0);
    h?.time.advance(120_000);
    await h?.stop();
    h = undefined;
  });

  /**
   * Move the manual time on in steps until the condition holds (bounded). Not Harness.advance: its
   * settle() would wait for ARI steps that hang until time moves on.
   */
  async function advanceUntil(hh: Harness, what: string, cond: () => boolean, stepMs = 500, maxMs = 60_000): Promise<number> {
    let spent = 0;
    while (!cond()) {
      if (spent >= maxMs) throw new Error(`not within ${maxMs} ms of manual time: ${what}`);
      hh.time.advance(stepMs);
      spent += stepMs;
      await hh.sim.idle();
      await new Promise((r) => setTimeout(r, 10));
    }
    return spent;
  }

  const sentTo = (hh: Harness, callId: string) => hh.sim.continued().find((c) => c.channelId === callId && c.how === 'continue')?.extension;

  it('given every presentation fails (the sets answer 500 Allocation failed), then after three attempts the caller goes to the group fallback', async () => {
    h = await Harness.start({ config: config(), ariRequestTimeout: 2, endpoints: { 'PJSIP/att1': { kind: 'offline' }, 'PJSIP/att2': { kind: 'offline' } } });
    const hh = h;
    const caller = hh.call();
    // a set whose presentation failed is left alone for refusalBackoff (5 s): the third try waits for it
    const spent = await advanceUntil(hh, 'sent to the fallback', () => sentTo(hh, caller) === '3000');
    assert.ok(spent >= 5000 && spent <= 15_000, `the fallback after the back-off of the failed sets (${spent} ms)`);
    assert.equal(hh.sim.requests().byRoute['POST /channels'], 3, 'three presentations tried');
    await hh.until('ended', () => hh.callRecord(caller) === undefined);
    assert.deepEqual(await assertEachCallEndedOnce(hh.store, [caller]), { [caller]: 'fallback' });
    assert.deepEqual(['att1', 'att2'].map((id) => hh.attendant(id).state), ['idle', 'idle']);
  });

  it('given Asterisk stops answering while a caller waits, then hung presentations time out and the caller reaches the fallback once Asterisk answers again', async () => {
    h = await Harness.start({ config: config(), ariRequestTimeout: 2, manualAriTimeouts: true });
    const hh = h;
    const caller = hh.call({ class: 'delayed' });
    await hh.until('waits with music', () => hh.waitsWithMusic(caller));
    // from now on every request hangs (90 s of manual time: longer than the test moves it)
    hh.sim.delayRequests(90_000);
    await advanceUntil(hh, 'presented', () => hh.callRecord(caller)?.state === 'ringing');
    // each originate hangs until the request timeout (2 s), three of them, then the divert hangs too
    await advanceUntil(hh, 'three presentations given up', () => hh.callRecord(caller) === undefined);
    assert.equal(hh.sim.continued().some((c) => c.channelId === caller), false, 'the divert has not gone through yet');
    assert.equal(live(hh.sim, caller), true, 'the caller is still there, not hung up');
    // Asterisk answers again: the divert is retried and goes through
    hh.sim.delayRequests(0);
    const spent = await advanceUntil(hh, 'sent to the fallback', () => sentTo(hh, caller) === '3000');
    assert.ok(spent <= 8000, `retried within the divert backoff (${spent} ms)`);
    assert.deepEqual(await assertEachCallEndedOnce(hh.store, [caller]), { [caller]: 'fallback' });
    assert.deepEqual(['att1', 'att2'].map((id) => hh.attendant(id).state), ['idle', 'idle']);
  });
});
