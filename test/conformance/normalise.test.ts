// The comparison's tolerances stay narrow: they absorb only the variation the real Asterisk shows.
import assert from 'node:assert/strict';
import { normaliseSequence, RoleBook, shapeOf } from './normalise.ts';

const P = 'ChannelVarset:BRIDGEPEER';
const V = 'ChannelVarset:BRIDGEPVTCALLID';

describe('conformance normalisation', () => {
  it('given two or three re-announcements of the bridge peers, when normalised, then they compare equal', () => {
    assert.deepEqual(normaliseSequence(['ChannelEnteredBridge:mixing', P, V, P, V]), normaliseSequence(['ChannelEnteredBridge:mixing', P, V, P, V, P, V]));
  });

  it('given peer variables with different names, when normalised, then they differ', () => {
    assert.notDeepEqual(normaliseSequence([P, V]), normaliseSequence([P]));
  });

  it('given a connected-line update inside the re-announcements, when normalised, then its place does not matter but its presence does', () => {
    assert.deepEqual(normaliseSequence([P, V, P, V, 'ChannelConnectedLine', P, V]), normaliseSequence([P, V, P, V, P, V, 'ChannelConnectedLine']));
    assert.notDeepEqual(normaliseSequence([P, V, 'ChannelConnectedLine']), normaliseSequence([P, V]));
  });

  it('given Dial RINGING and the Ringing state change in either order, when normalised, then they compare equal; other swaps do not', () => {
    assert.deepEqual(normaliseSequence(['Dial:', 'Dial:RINGING', 'ChannelStateChange:Ringing']), normaliseSequence(['Dial:', 'ChannelStateChange:Ringing', 'Dial:RINGING']));
    assert.notDeepEqual(normaliseSequence(['StasisEnd', 'ChannelVarset:STASISSTATUS']), normaliseSequence(['ChannelVarset:STASISSTATUS', 'StasisEnd']));
  });

  it('given channels named by their driver counters, when given roles, then the same caller gets the same role whatever its id', () => {
    const a = new RoleBook();
    const b = new RoleBook();
    assert.equal(a.channel({ id: '1.0', name: 'PJSIP/pstn-00000000' }), b.channel({ id: '9.4', name: 'PJSIP/pstn-0000000a' }));
    assert.equal(a.channel({ id: '1.2', name: 'Snoop/1.0-00000000' }), 'Snoop(PJSIP/pstn#1)#1');
    assert.equal(a.channel({ id: '1.3', name: 'Local/300@sim-ring-00000001;2' }), 'Local/300@sim-ring;2#1');
  });

  it('given answers with the same keys and different values, when shaped, then they compare equal; a missing key does not', () => {
    assert.deepEqual(shapeOf({ id: 'a', channels: ['x'] }), shapeOf({ channels: ['y', 'z'], id: 'b' }));
    assert.notDeepEqual(shapeOf({ id: 'a', name: 'n' }), shapeOf({ id: 'a' }));
  });
});
