// Attendants and groups over HTTP: the position keys and the supervisor's mode override.
import assert from 'node:assert/strict';
import type { Harness } from '../support/harness.ts';
import { startApiHarness, type Api, type ErrorReply } from './support.ts';

interface AttendantReply { id: string; name: string; state: string; deviceState: string; loginUser?: string; groups: string[] }
interface GroupReply { id: string; name: string; mode: string; override?: string; state: string; modes: string[]; queue: string[]; members: string[] }

describe('API attendants and groups', function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  let api: Api;
  beforeEach(async () => { ({ h, api } = await startApiHarness()); });
  afterEach(async () => { await h?.stop(); h = undefined; });

  it('given three positions, when an operator lists them, then each comes with its name, state and device state', async () => {
    const r = await api.as<{ attendants: AttendantReply[] }>('alice', 'GET', '/api/attendants');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.attendants.map((a) => [a.id, a.name, a.state, a.deviceState]), [
      ['att1', 'Alice', 'idle', 'NOT_INUSE'], ['att2', 'Bob', 'idle', 'NOT_INUSE'], ['att3', 'Sam', 'idle', 'NOT_INUSE'],
    ]);
    const one = await api.as<AttendantReply>('alice', 'GET', '/api/attendants/att2');
    assert.deepEqual([one.status, one.body.id, one.body.groups], [200, 'att2', ['operators']]);
    const missing = await api.as<ErrorReply>('alice', 'GET', '/api/attendants/att9');
    assert.deepEqual([missing.status, missing.body.error.code], [404, 'not_found']);
    const bad = await api.as<ErrorReply>('alice', 'GET', '/api/attendants/a:b');
    assert.deepEqual([bad.status, bad.body.error.field], [400, 'params.id']);
  });

  it('given alice at att1, when she logs the position out and in again, then the state follows and the login names her', async () => {
    const out = await api.as<AttendantReply>('alice', 'PUT', '/api/attendants/att1/state', { action: 'logout' });
    assert.deepEqual([out.status, out.body.state, out.body.groups], [200, 'unplugged', []]);
    const again = await api.as<AttendantReply>('alice', 'PUT', '/api/attendants/att1/state', { action: 'login' });
    assert.deepEqual([again.status, again.body.state, again.body.loginUser, again.body.groups], [200, 'idle', 'alice', ['operators']]);
    const twice = await api.as<ErrorReply>('alice', 'PUT', '/api/attendants/att1/state', { action: 'login' });
    assert.deepEqual([twice.status, twice.body.error.code], [409, 'already_logged_in']);
  });

  it('given alice idle, when she turns DND on and off, then the position refuses and takes calls again; DND while ringing is refused with 409', async () => {
    const on = await api.as<AttendantReply>('alice', 'PUT', '/api/attendants/att1/state', { action: 'dnd', on: true });
    assert.deepEqual([on.body.state, on.body.deviceState], ['dnd', 'BUSY']);
    h!.call();
    await h!.until('att2 rings instead', () => h!.attendant('att2').state === 'ringing');
    assert.equal(h!.attendant('att1').state, 'dnd');
    const off = await api.as<AttendantReply>('alice', 'PUT', '/api/attendants/att1/state', { action: 'dnd', on: false });
    assert.equal(off.body.state, 'idle');
    await api.as('bob', 'PUT', '/api/attendants/att2/state', { action: 'back' });
    const bobRinging = await api.as<ErrorReply>('bob', 'PUT', '/api/attendants/att2/state', { action: 'dnd', on: true });
    assert.deepEqual([bobRinging.status, bobRinging.body.error.code], [409, 'invalid_transition']);
  });

  it('given an attendant absent after 80 s without answering, when she presses back, then she is idle again', async () => {
    await api.as('sam', 'PUT', '/api/attendants/att2/state', { action: 'dnd', on: true });
    h!.call();
    await h!.until('att1 rings', () => h!.attendant('att1').state === 'ringing');
    for (let t = 0; t < 90_000 && h!.attendant('att1').state !== 'absent'; t += 5_000) await h!.advance(5_000);
    assert.equal(h!.attendant('att1').state, 'absent');
    const back = await api.as<AttendantReply>('alice', 'PUT', '/api/attendants/att1/state', { action: 'back' });
    assert.equal(back.status, 200);
    assert.notEqual(back.body.state, 'absent');
  });

  it('given bad position keys, when they are sent, then 400 names the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{}, 'body.action'], [{ action: 'sleep' }, 'body.action'], [{ action: 'dnd' }, 'body.on'], [{ action: 'dnd', on: 'yes' }, 'body.on'],
      [{ action: 'login', groups: ['x'] }, 'body.groups'],
    ];
    for (const [body, field] of cases) {
      const r = await api.as<ErrorReply>('alice', 'PUT', '/api/attendants/att1/state', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.field, field, JSON.stringify(body));
    }
  });

  it('given two groups, when listed, then each shows state, mode, the modes its table has, members and queue', async () => {
    const r = await api.as<{ groups: GroupReply[] }>('alice', 'GET', '/api/groups');
    assert.equal(r.status, 200);
    const ops = r.body.groups.find((g) => g.id === 'operators')!;
    assert.deepEqual([ops.name, ops.mode, ops.state, ops.modes, ops.members, ops.queue], ['Operators', 'day', 'in-service', ['day', 'night', 'mode1'], ['att1', 'att2'], []]);
    assert.equal((await api.as<ErrorReply>('alice', 'GET', '/api/groups/sales')).status, 404);
  });

  it('given a supervisor, when she forces night then clears it, then the group reports the override and calls follow it', async () => {
    const night = await api.as<GroupReply>('sam', 'PUT', '/api/groups/operators/override', { mode: 'night' });
    assert.deepEqual([night.status, night.body.mode, night.body.override], [200, 'night', 'night']);
    const diverted = h!.call({ number: '1' });
    await h!.until('sent to the night destination', () => h!.sim.continued().some((c) => c.channelId === diverted));
    const clear = await api.as<GroupReply>('sam', 'DELETE', '/api/groups/operators/override');
    assert.equal(clear.status, 200);
    assert.equal(clear.body.override, undefined);
  });

  it('given invalid overrides, when sent, then 400 for a mode that does not exist, 422 for a mode the table lacks, 404 for an unknown group', async () => {
    const unknownMode = await api.as<ErrorReply>('sam', 'PUT', '/api/groups/operators/override', { mode: 'dusk' });
    assert.deepEqual([unknownMode.status, unknownMode.body.error.field], [400, 'body.mode']);
    const missing = await api.as<ErrorReply>('sam', 'PUT', '/api/groups/operators/override', {});
    assert.deepEqual([missing.status, missing.body.error.field], [400, 'body.mode']);
    const noDest = await api.as<ErrorReply>('sam', 'PUT', '/api/groups/operators/override', { mode: 'mode2' });
    assert.deepEqual([noDest.status, noDest.body.error.code, noDest.body.error.field], [422, 'unprocessable', 'body.mode']);
    assert.equal(h!.groupRecord('operators')?.override, undefined);
    assert.equal((await api.as('sam', 'PUT', '/api/groups/sales/override', { mode: 'night' })).status, 404);
    assert.equal((await api.as('sam', 'DELETE', '/api/groups/sales/override')).status, 404);
    assert.equal((await api.as('alice', 'PUT', '/api/groups/operators/override', { mode: 'night' })).status, 403);
  });
});
