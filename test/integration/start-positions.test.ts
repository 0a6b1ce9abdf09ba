// How positions start (config `positions`, `attendants[].startLoggedIn`): restored from the store by
// default, so a restart or a deploy does not send every call to night service; or all logged in or
// out at every start, with a per-position override.
import assert from 'node:assert/strict';
import { Harness } from '../support/harness.ts';
import type { ConfigInput } from '../../lib/config.ts';

function site(positions: ConfigInput['positions'], startLoggedIn?: { att2?: boolean }): Omit<ConfigInput, 'asterisk' | 'redis' | 'http'> {
  return {
    positions,
    attendants: [
      { id: 'att1', name: 'Alice', device: 'PJSIP/att1' },
      { id: 'att2', name: 'Bob', device: 'PJSIP/att2', ...(startLoggedIn?.att2 !== undefined ? { startLoggedIn: startLoggedIn.att2 } : {}) },
    ],
    groups: [{ id: 'operators', name: 'Operators', members: ['att1', 'att2'] }],
  };
}

describe('positions at start', function () {
  this.timeout(20_000);
  let h: Harness | undefined;
  afterEach(async () => { await h?.stop(); h = undefined; });

  it('given positions: restore (the default), when the controller restarts, then a logged-in position is still logged in and a logged-out one still out', async () => {
    h = await Harness.start({ config: site(undefined), login: false });
    assert.deepEqual([h.attendant('att1').state, h.attendant('att2').state], ['unplugged', 'unplugged'], 'a new site starts logged out');
    await h.switchboard.login('att1');
    await h.restartController();
    assert.deepEqual([h.attendant('att1').state, h.attendant('att2').state], ['idle', 'unplugged']);
  });

  it('given positions: logged-in and one position with startLoggedIn: false, when the controller starts, then the others are logged in to their groups and that one is not', async () => {
    h = await Harness.start({ config: site('logged-in', { att2: false }), login: false });
    assert.equal(h.attendant('att1').state, 'idle');
    assert.deepEqual(h.attendant('att1').groups, ['operators']);
    assert.equal(h.attendant('att2').state, 'unplugged');
    const call = h.call();
    await h.until('att1 rings', () => h!.attendant('att1').state === 'ringing');
    assert.equal(h.callRecord(call)?.state, 'ringing', 'the call is presented, not sent to night service');
  });

  it('given positions: logged-out, when the controller restarts, then a position left logged in is logged out', async () => {
    h = await Harness.start({ config: site('logged-out'), login: false });
    await h.switchboard.login('att1');
    assert.equal(h.attendant('att1').state, 'idle');
    await h.restartController();
    assert.equal(h.attendant('att1').state, 'unplugged');
  });
});
