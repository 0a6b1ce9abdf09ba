// The /sim/ control API: phones, inspection and faults over HTTP, as the demo and other tools use them.
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { ariCall, controlCall, EventRecorder, settle, SIM_PASSWORD, SIM_USER } from '../support/sim-helpers.ts';

const CALL = { from: 'PJSIP/pstn', callerNumber: '0155501234', callerName: 'Ada', context: 'from-pstn', exten: '100', appArgs: ['incoming', 'operators'] };

describe('the /sim/ control API', () => {
  let sim: Simulator;
  let events: EventRecorder | undefined;

  beforeEach(async () => {
    sim = await startSimulator({ user: SIM_USER, password: SIM_PASSWORD });
  });

  afterEach(async () => {
    events?.close();
    events = undefined;
    await sim.stop();
  });

  it('given no app connected, when a call is posted, then Stasis fails and the call is listed as continued in the dialplan', async () => {
    const r = await controlCall(sim, 'POST', '/sim/calls', CALL);
    assert.equal(r.status, 201);
    const { channelId, inStasis } = r.body as { channelId: string; inStasis: boolean };
    assert.equal(inStasis, false);
    const continued = (await controlCall(sim, 'GET', '/sim/continued')).body as Array<{ channelId: string; how: string; priority: number }>;
    assert.deepEqual(continued.map((c) => [c.channelId, c.how]), [[channelId, 'stasis-failed']]);
  });

  it('given an endpoint put as manual, when the app originates it and the test answers through the API, then the leg enters Stasis', async () => {
    events = await EventRecorder.connect(sim.eventsUrl('attendant'));
    assert.equal((await controlCall(sim, 'PUT', '/sim/endpoints/PJSIP/att9', { kind: 'manual', context: 'from-attendant' })).status, 204);
    const eps = (await controlCall(sim, 'GET', '/sim/endpoints')).body as Array<{ name: string; context: string; state: string }>;
    assert.deepEqual(eps.map((e) => [e.name, e.context, e.state]), [['PJSIP/att9', 'from-attendant', 'online']]);
    const leg = await ariCall(sim, 'POST', '/channels?endpoint=PJSIP/att9&app=attendant');
    const id = (leg.body as { id: string }).id;
    await settle(sim, events);
    const channels = (await controlCall(sim, 'GET', '/sim/channels')).body as Array<{ id: string; state: string; endpoint: string }>;
    assert.deepEqual(channels.map((c) => [c.id, c.state, c.endpoint]), [[id, 'Ringing', 'PJSIP/att9']]);
    assert.equal((await controlCall(sim, 'POST', `/sim/channels/${id}/answer`)).status, 204);
    await events.waitFor('StasisStart of the leg', (e) => e.type === 'StasisStart');
    const log = (await controlCall(sim, 'GET', '/sim/originated')).body as Array<{ channelId: string; endpoint: string; timeout: number }>;
    assert.deepEqual(log.map((o) => [o.channelId, o.endpoint, o.timeout]), [[id, 'PJSIP/att9', 30]]);
  });

  it('given a caller in Stasis, when the phone sends DTMF, holds, resumes and hangs up through the API, then the app gets those events', async () => {
    events = await EventRecorder.connect(sim.eventsUrl('attendant'));
    const { channelId } = (await controlCall(sim, 'POST', '/sim/calls', CALL)).body as { channelId: string };
    await ariCall(sim, 'POST', `/channels/${channelId}/answer`);
    assert.equal((await controlCall(sim, 'POST', `/sim/channels/${channelId}/dtmf`, { digits: '12#' })).status, 204);
    assert.equal((await controlCall(sim, 'POST', `/sim/channels/${channelId}/hold`, { musicClass: 'default' })).status, 204);
    assert.equal((await controlCall(sim, 'DELETE', `/sim/channels/${channelId}/hold`)).status, 204);
    assert.equal((await controlCall(sim, 'DELETE', `/sim/calls/${channelId}`)).status, 204);
    await settle(sim, events);
    const types = events.events.map((e) => (e.type === 'ChannelDtmfReceived' ? `DTMF ${String(e.digit)}` : e.type)).filter((t) => !t.startsWith('ChannelVarset'));
    assert.deepEqual(types, ['StasisStart', 'ChannelStateChange', 'DTMF 1', 'DTMF 2', 'DTMF #', 'ChannelHold', 'ChannelUnhold', 'ChannelHangupRequest', 'StasisEnd']);
    assert.equal((await controlCall(sim, 'DELETE', `/sim/calls/${channelId}`)).status, 404);
  });

  it('given faults posted through the API, when ARI is called, then it fails until the faults are cleared', async () => {
    assert.equal((await controlCall(sim, 'POST', '/sim/faults/fail', { status: 500 })).status, 204);
    assert.equal((await ariCall(sim, 'GET', '/channels')).status, 500);
    assert.equal((await controlCall(sim, 'DELETE', '/sim/faults')).status, 204);
    assert.equal((await ariCall(sim, 'GET', '/channels')).status, 200);
    const stats = (await controlCall(sim, 'GET', '/sim/requests')).body as { total: number };
    assert.equal(stats.total, 2);
  });

  it('given a connected app, when the socket is dropped and Asterisk restarted through the API, then the socket closes and state is empty', async () => {
    events = await EventRecorder.connect(sim.eventsUrl('attendant'));
    await controlCall(sim, 'POST', '/sim/calls', CALL);
    assert.deepEqual((await controlCall(sim, 'POST', '/sim/websocket/drop', {})).body, { dropped: 1 });
    await events.waitClosed();
    assert.equal((await controlCall(sim, 'POST', '/sim/restart', {})).status, 204);
    assert.deepEqual((await controlCall(sim, 'GET', '/sim/channels')).body, []);
    assert.deepEqual((await controlCall(sim, 'GET', '/sim/apps')).body, []);
  });

  it('given invalid input, when the API is called, then it answers 400 with the problem, and 404 for an unknown route', async () => {
    const bad = await controlCall(sim, 'PUT', '/sim/endpoints/PJSIP/att1', { kind: 'sometimes' });
    assert.equal(bad.status, 400);
    assert.equal((bad.body as { error: string }).error, 'invalid body');
    assert.equal((await controlCall(sim, 'POST', '/sim/calls', { exten: '100' })).status, 400);
    assert.equal((await controlCall(sim, 'GET', '/sim/nothing')).status, 404);
    const index = (await controlCall(sim, 'GET', '/sim/')).body as string[];
    assert.ok(index.some((line) => line.startsWith('POST /sim/calls')), 'index.some((line) => line.startsWith(\'POST /sim/calls\'))');
  });

  it('given device states and mailboxes set through ARI, when inspected through the API, then they are listed', async () => {
    await ariCall(sim, 'PUT', '/deviceStates/Stasis:att1?deviceState=INUSE');
    await ariCall(sim, 'PUT', '/mailboxes/200@default?oldMessages=1&newMessages=2');
    assert.deepEqual((await controlCall(sim, 'GET', '/sim/device-states')).body, [{ name: 'Stasis:att1', state: 'INUSE' }]);
    assert.deepEqual((await controlCall(sim, 'GET', '/sim/mailboxes')).body, [{ name: '200@default', oldMessages: 1, newMessages: 2 }]);
    await ariCall(sim, 'POST', '/bridges?type=holding&name=park');
    const bridges = (await controlCall(sim, 'GET', '/sim/bridges')).body as Array<{ name: string; type: string }>;
    assert.deepEqual(bridges.map((b) => [b.name, b.type]), [['park', 'holding']]);
  });
});
