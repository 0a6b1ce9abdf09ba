// Scale: 2,000 simultaneous channels and 500 bridges in one simulator process, with an app listening.
import assert from 'node:assert/strict';
import { ManualTime } from '../../lib/clock.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { ariCall, EventRecorder, settle, SIM_PASSWORD, SIM_USER } from '../support/sim-helpers.ts';

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

describe('simulator at scale', function () {
  this.timeout(60_000);
  let sim: Simulator;
  let events: EventRecorder;

  before(async () => {
    sim = await startSimulator({
      user: SIM_USER, password: SIM_PASSWORD, time: new ManualTime(Date.UTC(2026, 0, 5, 9, 0, 0)),
      endpoints: { 'PJSIP/att1': { kind: 'answer', afterMs: 0 } },
    });
    events = await EventRecorder.connect(sim.eventsUrl('attendant'));
  });

  after(async () => {
    events.close();
    await sim.stop();
  });

  it('given 1,500 callers and 500 answered legs, when each leg is bridged with a caller in 500 bridges, then 2,000 channels and 500 two-party bridges coexist', async () => {
    const callers = Array.from({ length: 1500 }, (_, i) => sim.placeCall({ callerNumber: `0155${String(i).padStart(6, '0')}`, exten: '100', context: 'from-pstn', appArgs: ['incoming', 'operators'] }));
    const pairs: Array<{ caller: string; leg: string; bridge: string }> = [];
    await inBatches(callers.slice(0, 500), 50, async (caller) => {
      const leg = await ariCall(sim, 'POST', `/channels?endpoint=PJSIP/att1&app=attendant&appArgs=dialed,${caller}`);
      const bridge = await ariCall(sim, 'POST', `/bridges?type=mixing&name=call-${caller}`);
      pairs.push({ caller, leg: (leg.body as { id: string }).id, bridge: (bridge.body as { id: string }).id });
    });
    await settle(sim, events);
    await inBatches(pairs, 50, async (p) => {
      await ariCall(sim, 'POST', `/channels/${p.caller}/answer`);
      const r = await ariCall(sim, 'POST', `/bridges/${p.bridge}/addChannel?channel=${p.caller},${p.leg}`);
      assert.equal(r.status, 204);
    });
    await settle(sim, events);

    const channels = (await ariCall(sim, 'GET', '/channels')).body as Array<{ id: string; state: string }>;
    const bridges = (await ariCall(sim, 'GET', '/bridges')).body as Array<{ channels: string[] }>;
    assert.equal(channels.length, 2000);
    assert.equal(channels.filter((c) => c.state === 'Up').length, 1000);
    assert.equal(bridges.length, 500);
    assert.ok(bridges.every((b) => b.channels.length === 2), 'bridges.every((b) => b.channels.length === 2)');
    assert.equal(events.events.filter((e) => e.type === 'StasisStart').length, 2000);
    assert.equal(events.events.filter((e) => e.type === 'ChannelEnteredBridge').length, 1000);
    const app = (await ariCall(sim, 'GET', '/applications/attendant')).body as { channel_ids: string[]; bridge_ids: string[] };
    assert.equal(app.channel_ids.length, 2000);
    assert.equal(app.bridge_ids.length, 500);
  });

  it('given that load, when every bridge is destroyed and every channel hung up, then nothing is left', async () => {
    const bridges = (await ariCall(sim, 'GET', '/bridges')).body as Array<{ id: string }>;
    await inBatches(bridges, 50, async (b) => { await ariCall(sim, 'DELETE', `/bridges/${b.id}`); });
    for (const c of sim.channels()) if (!c.hungUp) sim.hangupCaller(c.id);
    await settle(sim, events);
    assert.equal(sim.channels().filter((c) => !c.hungUp).length, 0);
    assert.deepEqual((await ariCall(sim, 'GET', '/channels')).body, []);
    assert.equal(sim.bridges().length, 0);
    assert.equal(events.events.filter((e) => e.type === 'StasisEnd').length, 2000);
  });
});
