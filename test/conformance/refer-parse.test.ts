// The controller's edge against the recorded REFER (refer-transfer.jsonl, Asterisk 23.4.1 with
// PJSIP_TRANSFER_HANDLING(ari-only)): every recorded event parses, and the ChannelTransfer events
// become what the transfer key acts on (the REFER itself without state, then the echoes).
import assert from 'node:assert/strict';
import { parseAriEvent } from '../../lib/asterisk/ari.ts';
import { ARI_EVENT_TYPES, type ChannelTransferEvent } from '../../lib/asterisk/port.ts';
import { ManualTime } from '../../lib/clock.ts';
import { startSimulator } from '../../lib/sim/index.ts';
import { ariCall, EventRecorder, settle, SIM_PASSWORD, SIM_USER } from '../support/sim-helpers.ts';
import { fixtureAvailable, loadSession } from './fixture.ts';

describe('the controller\'s edge against the recorded ari-only REFER', () => {
  it('given refer-transfer.jsonl, when each event is parsed, then every event the controller uses parses and the REFER and its echoes come out typed', function () {
    if (!fixtureAvailable('refer-transfer.jsonl')) this.skip();
    const events = loadSession('refer-transfer.jsonl', 'refer').records.flatMap((r) => (r.kind === 'event' ? [r.event] : []));
    const parsed = events.map((e) => parseAriEvent(e));
    const used: readonly string[] = ARI_EVENT_TYPES;
    events.forEach((e, i) => { if (used.includes(e.type)) assert.ok(parsed[i], `${e.type} #${i} parses`); else assert.equal(parsed[i], undefined, `${e.type} #${i} is dropped at the edge`); });
    assert.ok(events.some((e) => !used.includes(e.type)), 'the recording has events the controller does not use');
    const transfers = parsed.filter((e): e is ChannelTransferEvent => e?.type === 'ChannelTransfer');
    assert.equal(transfers.length, events.filter((e) => e.type === 'ChannelTransfer').length, 'every ChannelTransfer parses');
    assert.deepEqual(transfers.map((t) => t.state), [undefined, 'channel_progress', 'channel_answered']);
    const refer = transfers[0]!;
    assert.deepEqual([refer.source.id, refer.source.name, refer.sourcePeer?.id, refer.destination, refer.replaces], ['1795431889.11', 'PJSIP/att1-00000006', '1795431889.10', '200', undefined]);
    // the set's leg is the one that entered Stasis with the app's own arguments
    const start = parsed.find((e) => e?.type === 'StasisStart' && e.channel.id === refer.source.id);
    assert.ok(start, 'start');
  });

  it('given an attended REFER from the simulator, when parsed, then the replaced call and its party are named', async () => {
    const sim = await startSimulator({ user: SIM_USER, password: SIM_PASSWORD, time: new ManualTime(0), endpoints: { 'PJSIP/att1': { kind: 'answer', afterMs: 0 } } });
    const rec = await EventRecorder.connect(sim.eventsUrl('attendant'));
    try {
      const caller = sim.placeCall({ callerNumber: '0155501234', exten: '0', appArgs: ['external', 'operators'] });
      const other = sim.placeCall({ from: 'PJSIP/att1', callerNumber: 'att1', exten: '201', appArgs: ['feature', 'x'] });
      const leg = ((await ariCall(sim, 'POST', '/channels', { endpoint: 'PJSIP/att1', app: 'attendant' })).body as { id: string }).id;
      await settle(sim, rec);
      await ariCall(sim, 'POST', `/channels/${caller}/answer`);
      const bridge = ((await ariCall(sim, 'POST', '/bridges?type=mixing')).body as { id: string }).id;
      await ariCall(sim, 'POST', `/bridges/${bridge}/addChannel?channel=${caller},${leg}`);
      await ariCall(sim, 'POST', `/channels/${leg}/variable?variable=PJSIP_TRANSFER_HANDLING()&value=ari-only`);
      sim.pressTransfer(leg, '201', other);
      const raw = await rec.waitFor('ChannelTransfer', (e) => e.type === 'ChannelTransfer');
      const e = parseAriEvent(raw) as ChannelTransferEvent;
      assert.deepEqual([e.state, e.source.id, e.sourcePeer?.id, e.destination, e.replaces?.channel?.id], [undefined, leg, caller, undefined, other]);
      assert.ok(e.replaces?.protocolId, 'e.replaces?.protocolId');
    } finally {
      rec.close();
      await sim.stop();
    }
  });
});
