// Waiting callers and the group's holding bridge, when a caller leaves at the worst moment (found by
// the benchmark: under load callers hung up between being answered and being put in the bridge).
import assert from 'node:assert/strict';
import { Harness } from '../support/harness.ts';

describe('waiting in the holding bridge', function () {
  this.timeout(20_000);
  let h: Harness | undefined;
  afterEach(async () => {
    h?.sim.clearFaults();
    h?.time.advance(1000);
    await h?.stop();
    h = undefined;
  });

  it('given a caller gone before it reached the holding bridge, when adding it fails with "Channel not found", then the call ends as abandoned and the bridge is not made again', async () => {
    h = await Harness.start({
      config: {
        attendants: [{ id: 'att1', name: 'Alice', device: 'PJSIP/att1' }],
        groups: [{ id: 'operators', name: 'Operators', members: ['att1'], waiting: { music: 'default' } }],
      },
      login: false,
    });
    const first = h.call();
    await h.until('first caller waits in the bridge', () => h!.sim.channels().some((c) => c.id === first && c.bridgeId === 'attendant-wait-operators'));
    const bridgeMade = () => h!.sim.requests().byRoute['POST /bridges/{bridgeId}'] ?? 0;
    assert.equal(bridgeMade(), 1);

    // every ARI answer now waits for the clock (moved by hand: settling would wait for them): the second caller is answered, then its addChannel is held
    h.sim.delayRequests(1000);
    const second = h.call({ number: '0155509999' });
    await h.until('answer asked', () => (h!.sim.requests().byRoute['POST /channels/{channelId}/answer'] ?? 0) === 2);
    h.time.advance(1000);
    await h.until('addChannel asked', () => (h!.sim.requests().byRoute['POST /bridges/{bridgeId}/addChannel'] ?? 0) === 2);
    // the caller hangs up while the controller cannot hear it (its StasisEnd is lost with the socket)
    h.sim.dropWebSocket();
    h.sim.hangupCaller(second);
    h.time.advance(1000);
    await h.until('the call is closed', () => !h!.callRecord(second));

    assert.equal(bridgeMade(), 1);
    // the record leaves memory when the end is decided; its log line is in the store once the batch is written
    const endsInStore = async () => (await h!.store.queryLog({ number: '0155509999' })).filter((e) => e.action === 'end');
    for (let i = 0; i < 100 && (await endsInStore()).length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const ends = await endsInStore();
    assert.deepEqual(ends.map((e) => e.result), ['abandoned']);
    assert.ok(h.callRecord(first), 'the first caller still waits');
  });
});
