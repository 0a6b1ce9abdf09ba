// The controller's edge (lib/asterisk/ari-events.ts) against every event recorded from Asterisk 23.4.1
// (../shared/ari-fixtures): each type the controller uses reads, the rest is dropped; and events
// with a field missing or of the wrong type are dropped whole, never half-read.
import assert from 'node:assert/strict';
import { parseAriEvent } from '../../lib/asterisk/ari-events.ts';
import { ARI_EVENT_TYPES } from '../../lib/asterisk/port.ts';
import { fixtureAvailable, loadSession } from './fixture.ts';

const SESSIONS = ['session.jsonl', 'session-2.jsonl', 'refer-transfer.jsonl'];
const used: readonly string[] = ARI_EVENT_TYPES;

describe('reading ARI events at the edge', () => {
  for (const file of SESSIONS) {
    it(`given ${file}, then every event of a type the controller uses reads, with the recorded ids, and every other is dropped`, function () {
      if (!fixtureAvailable(file)) this.skip();
      const events = loadSession(file, file).records.flatMap((r) => (r.kind === 'event' ? [r.event] : []));
      assert.ok(events.length > 0, 'the recording has events');
      for (const [i, e] of events.entries()) {
        const parsed = parseAriEvent(e);
        if (!used.includes(e.type)) { assert.equal(parsed, undefined, `${e.type} #${i} dropped`); continue; }
        assert.ok(parsed, `${e.type} #${i} reads`);
        const raw = e as { channel?: { id: string; caller?: { number: string } }; bridge?: { id: string } };
        if (raw.channel && 'channel' in parsed) {
          assert.equal(parsed.channel.id, raw.channel.id);
          assert.equal(parsed.channel.caller.number, raw.channel.caller?.number ?? '');
        }
        if (raw.bridge && 'bridge' in parsed) assert.equal(parsed.bridge.id, raw.bridge.id);
      }
    });
  }

  const channel = { id: 'c1', name: 'PJSIP/trunk-00000001', state: 'Ring', caller: { name: 'A', number: '0155501234' }, connected: { name: '', number: '' }, extra: 'dropped' };

  it('given a StasisStart with only what it needs, then the defaults fill in and unknown fields are not kept', () => {
    const e = parseAriEvent({ type: 'StasisStart', channel: { id: 'c1', name: 'n', state: 'Up' } });
    assert.deepEqual(e, { type: 'StasisStart', channel: { id: 'c1', name: 'n', state: 'Up', caller: { name: '', number: '' }, connected: { name: '', number: '' } }, args: [] });
    const full = parseAriEvent({ type: 'StasisStart', channel: { ...channel, dialplan: { context: 'x', exten: 's', priority: 2, app_name: 'Stasis', app_data: 'attendant,a' } }, args: ['external', 'operators'] });
    assert.ok(full?.type === 'StasisStart', 'reads');
    assert.equal('extra' in full.channel, false);
    assert.deepEqual(full.channel.dialplan, { context: 'x', exten: 's', priority: 2, app_name: 'Stasis', app_data: 'attendant,a' });
    assert.deepEqual(full.args, ['external', 'operators']);
  });

  it('given events with a field missing or of the wrong type, then each is dropped whole', () => {
    const bad: unknown[] = [
      null, 'x', 42, [], {}, { type: 7 }, { type: 'StasisStart' },
      { type: 'StasisStart', channel: { ...channel, id: 5 } },
      { type: 'StasisStart', channel, args: 'external' },
      { type: 'StasisStart', channel, args: ['a', 1] },
      { type: 'StasisStart', channel: { ...channel, caller: 'A' } },
      { type: 'StasisStart', channel: { ...channel, dialplan: { context: 'x', exten: 's', priority: '2' } } },
      { type: 'ChannelDestroyed', channel, cause: 'normal' },
      { type: 'ChannelEnteredBridge', channel },
      { type: 'ChannelEnteredBridge', channel, bridge: { id: 'b', channels: 'c1' } },
      { type: 'ChannelDtmfReceived', channel },
      { type: 'PlaybackFinished', playback: { target_uri: 'channel:c1' } },
      { type: 'ChannelTransfer', refer_to: {}, referred_by: {} },
    ];
    for (const e of bad) assert.equal(parseAriEvent(e), undefined, JSON.stringify(e));
  });
});
