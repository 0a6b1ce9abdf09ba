// The hot path: with an attendant free, the originate to the set is the first request the controller
// sends for a new caller; the ringback it hears and the device states come after it. The caller is
// answered when the attendant answers, or, when its set does not answer and nobody else is free, as it
// comes to wait in the queue with the group's music.
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
      assert.ok(after.includes('POST /channels/{channelId}/ring'), after.join(', '));
      // nothing is answered (nor charged) before the attendant answers: no music while the set rings
      assert.ok(!after.includes('POST /channels/{channelId}/answer'), after.join(', '));
      assert.ok(h.hearsRingback(caller) && !h.waitsWithMusic(caller), 'ringback, not music');
      assert.ok(after.includes('PUT /deviceStates/{deviceName}'), after.join(', '));
      // the presentation's leg names the call and the attendant (a restarted controller adopts it by them)
      const leg = h.ringing('PJSIP/att1')[0]!;
      assert.ok(leg.startsWith(`${caller}-p`), leg);
      assert.equal(h.callRecord(caller)?.state, 'ringing');
      await h.answer('PJSIP/att1');
      await h.until('talking, the caller answered', () => h!.callRecord(caller)?.state === 'talking' && h!.sim.channels().some((c) => c.id === caller && c.state === 'Up'));
    });
  }

  it('given an idle attendant, when a caller arrives, then its originate goes out before the arrival and the presentation reach the observers (metrics, queue_log)', async () => {
    h = await Harness.start({
      config: {
        attendants: [{ id: 'att1', name: 'Alice', device: 'PJSIP/att1' }],
        groups: [{ id: 'operators', name: 'Operators', members: ['att1'] }],
      },
    });
    await h.settle();
    const order: string[] = [];
    const ari = h.controller.ari;
    const originate = ari.originate.bind(ari);
    ari.originate = (req) => { order.push(`originate ${req.appArgs?.[0] ?? ''}`); return originate(req); };
    h.switchboard.ledger.observe((b) => { for (const e of b.logEntries()) if (e.action === 'arrive' || e.action === 'present') order.push(`observed ${e.action}`); });
    h.call();
    // the simulator shows the set ringing before the controller reads its Ringing event: wait for the observers
    await h.until('the set rings and the presentation is observed', () => h!.ringing('PJSIP/att1').length === 1 && order.includes('observed present'));
    assert.deepEqual(order.slice(0, 3), ['originate @present', 'observed arrive', 'observed present']);
  });

  it('given a caller hearing ringback while the only set rings, when the attendant goes absent unanswered, then the caller is answered into the group\'s music and waits', async () => {
    h = await Harness.start({
      config: {
        attendants: [{ id: 'att1', name: 'Alice', device: 'PJSIP/att1' }],
        groups: [{ id: 'operators', name: 'Operators', members: ['att1'], waiting: { music: 'default' }, ringTimeout: 30 }],
        timers: { absentAfter: 5 },
      },
    });
    await h.settle();
    const caller = h.call();
    await h.until('the set rings, the caller hears ringback', () => h!.ringing('PJSIP/att1').length === 1 && h!.hearsRingback(caller));
    // nobody answers: the position goes absent (timer 76), its presentation ends, nobody else is free
    await h.advance(5_000);
    await h.until('att1 absent', () => h!.attendant('att1').state === 'absent');
    await h.until('waits with music', () => h!.callRecord(caller)?.state !== 'ringing' && h!.waitsWithMusic(caller));
    assert.ok(h.sim.channels().some((c) => c.id === caller && c.state === 'Up'), 'answered');
  });
});
