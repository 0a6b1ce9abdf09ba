// The hot path: with an attendant free, the originate to the set is the first request the controller
// sends for a new caller; answering the caller, the holding bridge and the device states come after it.
import assert from 'node:assert/strict';
import { Harness } from '../support/harness.ts';

describe('the hot path of a call', function () {
  this.timeout(20_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  for (const waiting of [{ music: 'default' }, 'ringback'] as const) {
    it(`given an idle attendant and a group waiting with ${typeof waiting === 'string' ? waiting : 'music'}, when a caller arrives, then the originate to the set is the first request for it`, async () => {
      h = await Harness.start({
        config: {
          attendants: [{ id: 'att1', name: 'Alice', device: 'PJSIP/att1' }],
          groups: [{ id: 'operators', name: 'Operators', members: ['att1'], waiting }],
        },
      });
      await h.settle();
      const before = h.sim.requestOrder().length;
      const caller = h.call();
      await h.until('the set rings', () => h!.ringing('PJSIP/att1').length === 1);
      await h.settle();
      const order = h.sim.requestOrder().slice(before);
      assert.equal(order[0], 'POST /channels', order.join(', '));
      const after = order.slice(1);
      if (waiting === 'ringback') assert.ok(after.includes('POST /channels/{channelId}/ring'), after.join(', '));
      else for (const r of ['POST /channels/{channelId}/answer', 'POST /bridges/{bridgeId}/addChannel']) assert.ok(after.includes(r), `${r} after the originate: ${after.join(', ')}`);
      assert.ok(after.includes('PUT /deviceStates/{deviceName}'), after.join(', '));
      // the presentation's leg names the call and the attendant (a restarted controller adopts it by them)
      const leg = h.ringing('PJSIP/att1')[0]!;
      assert.ok(leg.startsWith(`${caller}-p`), leg);
      assert.equal(h.callRecord(caller)?.state, 'ringing');
    });
  }
});
