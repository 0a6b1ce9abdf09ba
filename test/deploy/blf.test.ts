// The BLF grid as a pure model: facts in, lamp changes out.
import assert from 'node:assert/strict';
import { BlfGrid, extensionStateFromDevice, extensionStateFromStatus, trunkStateFrom, type SupervisionConfig } from '../../lib/supervision/blf.ts';
import { deviceStateWords, normaliseDeviceState } from '../../lib/supervision/ami-port.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

function config(): SupervisionConfig {
  return {
    extensions: [
      { number: '200', name: 'Reception desk', context: 'default' },
      { number: '201', name: 'Room 101', context: 'default' },
      { number: '300', name: 'Lobby phone', context: 'default', device: 'pjsip/lobby' },
    ],
    trunks: [{ id: 'pstn', name: 'PSTN trunk', endpoint: 'PJSIP/pstn' }],
  };
}

function stateOf(grid: BlfGrid, id: string): string | undefined {
  const s = grid.snapshot();
  return s.extensions.find((e) => e.id === id)?.state ?? s.trunks.find((t) => t.id === id)?.state;
}

describe('BLF grid (pure model)', () => {
  it('given the ExtensionStatus codes Asterisk sends, then each lights the lamp the operator expects', () => {
    const table: Array<[number, string]> = [
      [0, 'idle'], [1, 'inuse'], [2, 'busy'], [4, 'unavailable'], [8, 'ringing'], [9, 'ringing'], [16, 'onhold'], [17, 'onhold'],
      [-1, 'unknown'], [-2, 'unknown'],
    ];
    for (const [code, state] of table) assert.equal(extensionStateFromStatus(code), state, `status ${code}`);
  });

  it('given device states in either vocabulary, then they read the same', () => {
    assert.equal(normaliseDeviceState('Not in use'), 'NOT_INUSE');
    assert.equal(normaliseDeviceState('NOT_INUSE'), 'NOT_INUSE');
    assert.equal(normaliseDeviceState('Ring+Inuse'), 'RINGINUSE');
    assert.equal(normaliseDeviceState('On Hold'), 'ONHOLD');
    assert.equal(normaliseDeviceState('something new'), 'UNKNOWN');
    assert.equal(deviceStateWords('UNAVAILABLE'), 'Unavailable');
    assert.equal(extensionStateFromDevice('RINGINUSE'), 'ringing');
    assert.equal(extensionStateFromDevice('INVALID'), 'unavailable');
  });

  it('given a new grid, then every lamp is unknown until Asterisk says otherwise', () => {
    const grid = new BlfGrid(config(), T0);
    const s = grid.snapshot();
    assert.deepEqual(s.extensions.map((e) => [e.id, e.state, e.since]), [['200', 'unknown', T0], ['201', 'unknown', T0], ['300', 'unknown', T0]]);
    assert.deepEqual(s.trunks.map((t) => [t.id, t.endpoint, t.state]), [['pstn', 'pstn', 'unknown']]);
  });

  it('given an extension rings then answers, then the grid reports each change with the previous state and the time', () => {
    const grid = new BlfGrid(config(), T0);
    grid.applyExtensionStatus({ exten: '201', context: 'default', status: 0 }, T0 + 1);
    assert.deepEqual(grid.applyExtensionStatus({ exten: '201', context: 'default', status: 8 }, T0 + 2),
      [{ kind: 'extension', id: '201', state: 'ringing', previous: 'idle', at: T0 + 2 }]);
    assert.deepEqual(grid.applyExtensionStatus({ exten: '201', context: 'default', status: 1 }, T0 + 3).map((c) => c.state), ['inuse']);
    assert.deepEqual(grid.applyExtensionStatus({ exten: '201', context: 'default', status: 1 }, T0 + 4), [], 'the same state is no change');
    const e = grid.snapshot().extensions.find((x) => x.id === '201')!;
    assert.equal(e.since, T0 + 3);
    assert.equal(e.status, 1);
  });

  it('given an ExtensionStatus of another context or an unsupervised extension, then no lamp moves', () => {
    const grid = new BlfGrid(config(), T0);
    assert.deepEqual(grid.applyExtensionStatus({ exten: '201', context: 'hints', status: 8 }, T0), []);
    assert.deepEqual(grid.applyExtensionStatus({ exten: '999', context: 'default', status: 8 }, T0), []);
  });

  it('given an extension supervised by device, then DeviceStateChange drives it until a hint speaks for it', () => {
    const grid = new BlfGrid(config(), T0);
    assert.deepEqual(grid.applyDeviceState('PJSIP/lobby', 'INUSE', T0).map((c) => [c.id, c.state]), [['300', 'inuse']]);
    grid.applyExtensionStatus({ exten: '300', context: 'default', status: 0 }, T0 + 1);
    assert.deepEqual(grid.applyDeviceState('PJSIP/lobby', 'BUSY', T0 + 2), [], 'the hint wins once seen');
    assert.equal(stateOf(grid, '300'), 'idle');
  });

  it('given the trunk contact is qualified reachable then unreachable, then the trunk goes online then offline', () => {
    const grid = new BlfGrid(config(), T0);
    const contact = { aor: 'pstn', endpointName: 'pstn', uri: 'sip:203.0.113.5:5060' };
    assert.deepEqual(grid.applyContactStatus({ ...contact, contactStatus: 'Reachable' }, T0).map((c) => [c.kind, c.id, c.state]), [['trunk', 'pstn', 'online']]);
    assert.deepEqual(grid.applyContactStatus({ ...contact, contactStatus: 'Unreachable' }, T0 + 1).map((c) => c.state), ['offline']);
    // a re-registration (Updated) says nothing about reachability: the qualify result stands
    assert.deepEqual(grid.applyContactStatus({ ...contact, contactStatus: 'Updated' }, T0 + 2), []);
    assert.deepEqual(grid.applyContactStatus({ ...contact, contactStatus: 'Reachable' }, T0 + 3).map((c) => c.state), ['online']);
    assert.deepEqual(grid.applyContactStatus({ ...contact, contactStatus: 'Removed' }, T0 + 4).map((c) => c.state), ['offline'], 'the registration is gone');
  });

  it('given a trunk without qualify, then its endpoint device state decides, and PeerStatus overrides a stale device state', () => {
    assert.equal(trunkStateFrom({ contacts: new Map(), hadContacts: false }), 'unknown');
    assert.equal(trunkStateFrom({ contacts: new Map(), hadContacts: false, device: 'NOT_INUSE' }), 'online');
    assert.equal(trunkStateFrom({ contacts: new Map(), hadContacts: false, device: 'INUSE' }), 'online');
    assert.equal(trunkStateFrom({ contacts: new Map(), hadContacts: false, device: 'UNAVAILABLE' }), 'offline');
    assert.equal(trunkStateFrom({ contacts: new Map([['sip:a', 'unknown']]), hadContacts: true, device: 'NOT_INUSE' }), 'online');
    assert.equal(trunkStateFrom({ contacts: new Map(), hadContacts: false, device: 'NOT_INUSE', peer: 'unreachable' }), 'offline');
    const grid = new BlfGrid(config(), T0);
    grid.applyDeviceState('PJSIP/pstn', 'NOT_INUSE', T0);
    assert.deepEqual(grid.applyPeerStatus({ peer: 'PJSIP/pstn', peerStatus: 'Unreachable' }, T0 + 1).map((c) => c.state), ['offline']);
    assert.deepEqual(grid.applyPeerStatus({ peer: 'PJSIP/pstn', peerStatus: 'Reachable' }, T0 + 2).map((c) => c.state), ['online']);
  });

  it('given a resync, then the lists replace the facts, unknown extensions are reported, and a failed list keeps its facts', () => {
    const grid = new BlfGrid(config(), T0);
    grid.applyExtensionStatus({ exten: '200', context: 'default', status: 1 }, T0);
    const outcome = grid.resync({
      hints: [{ exten: '200', context: 'default', hint: 'PJSIP/ext200', status: 0, statusText: 'Idle' }],
      devices: [{ device: 'PJSIP/lobby', state: 'RINGING' }],
      endpoints: [{ name: 'pstn', aor: 'pstn', contacts: [], deviceState: 'UNAVAILABLE', activeChannels: 0 }],
      contacts: [],
    }, T0 + 10);
    assert.deepEqual(outcome.changes.map((c) => [c.id, c.previous, c.state]), [['200', 'inuse', 'idle'], ['300', 'unknown', 'ringing'], ['pstn', 'unknown', 'offline']]);
    assert.deepEqual(outcome.missingHints, ['201@default']);
    assert.deepEqual(outcome.missingTrunks, []);
    // ExtensionStateList failed this time: the hint-fed lamps keep their state
    const again = grid.resync({ endpoints: [{ name: 'pstn', aor: 'pstn', contacts: [], deviceState: 'NOT_INUSE', activeChannels: 0 }] }, T0 + 20);
    assert.deepEqual(again.changes.map((c) => [c.id, c.state]), [['pstn', 'online']]);
    assert.equal(stateOf(grid, '200'), 'idle');
  });

  it('given the same number supervised in two contexts, then both keep apart', () => {
    const grid = new BlfGrid({ extensions: [{ number: '10', name: 'A', context: 'a' }, { number: '10', name: 'B', context: 'b' }], trunks: [] }, T0);
    assert.deepEqual(grid.snapshot().extensions.map((e) => e.id), ['10@a', '10@b']);
    assert.deepEqual(grid.applyExtensionStatus({ exten: '10', context: 'b', status: 2 }, T0).map((c) => [c.id, c.state]), [['10@b', 'busy']]);
  });
});
