// Authentication, one WebSocket per app, restarts, injected failures and slowness, dropped sockets.
import assert from 'node:assert/strict';
import { ManualTime } from '../../lib/clock.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { ariCall, EventRecorder, settle, SIM_PASSWORD, SIM_USER } from '../support/sim-helpers.ts';

const CALL = { from: 'PJSIP/pstn', callerNumber: '0155501234', context: 'from-pstn', exten: '100', appArgs: ['incoming', 'operators'] };

describe('simulator faults and access', () => {
  let time: ManualTime;
  let sim: Simulator;
  const recorders: EventRecorder[] = [];

  beforeEach(async () => {
    time = new ManualTime(Date.UTC(2026, 0, 5, 9, 0, 0));
    sim = await startSimulator({ user: SIM_USER, password: SIM_PASSWORD, time, endpoints: { 'PJSIP/att1': { kind: 'answer', afterMs: 0 } } });
  });

  afterEach(async () => {
    for (const r of recorders.splice(0)) r.close();
    await sim.stop();
  });

  async function listen(app = 'attendant'): Promise<EventRecorder> {
    const r = await EventRecorder.connect(sim.eventsUrl(app));
    recorders.push(r);
    return r;
  }

  it('given wrong credentials, when REST is called, then Asterisk answers 401 Authentication required with a Basic challenge', async () => {
    const res = await fetch(`${sim.ariUrl}/channels`, { headers: { Authorization: `Basic ${Buffer.from('asterisk:wrong').toString('base64')}` } });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { message: 'Authentication required' });
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm=/);
    const none = await fetch(`${sim.ariUrl}/api-docs/resources.json`);
    assert.equal(none.status, 401);
  });

  it('given api_key=user:password in the query, when REST is called, then it is accepted like basic auth', async () => {
    const res = await fetch(`${sim.ariUrl}/channels?api_key=${SIM_USER}:${SIM_PASSWORD}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), []);
  });

  it('given a wrong api_key, when the events WebSocket is opened, then the upgrade is refused with 401', async () => {
    await assert.rejects(EventRecorder.connect(sim.eventsUrl('attendant').replace(SIM_PASSWORD, 'nope')), /401/);
  });

  it('given a WebSocket holding the app, when a second one connects for the same app, then the newer takes over and the older gets ApplicationReplaced only', async () => {
    const first = await listen();
    const second = await listen();
    await first.waitFor('ApplicationReplaced', (e) => e.type === 'ApplicationReplaced');
    sim.placeCall(CALL);
    await settle(sim, first, second);
    assert.equal(second.events.filter((e) => e.type === 'StasisStart').length, 1);
    assert.deepEqual(first.events.map((e) => e.type), ['ApplicationReplaced']);
    assert.equal(first.events[0]?.application, 'attendant');
  });

  it('given calls and bridges, when Asterisk restarts, then they vanish without events, the socket closes and a new one is accepted', async () => {
    const events = await listen();
    const caller = sim.placeCall(CALL);
    await ariCall(sim, 'POST', '/bridges?type=mixing');
    await ariCall(sim, 'PUT', '/deviceStates/Stasis:att1?deviceState=BUSY');
    await settle(sim, events);
    const before = events.events.length;
    sim.restart();
    await events.waitClosed();
    assert.equal(events.events.length, before, 'no event on restart');
    assert.deepEqual(sim.channels(), []);
    assert.deepEqual(sim.bridges(), []);
    assert.equal((await ariCall(sim, 'GET', `/channels/${caller}`)).status, 404);
    // custom device states live in astdb and survive
    assert.deepEqual((await ariCall(sim, 'GET', '/deviceStates/Stasis:att1')).body, { name: 'Stasis:att1', state: 'BUSY' });
    const again = await listen();
    sim.placeCall(CALL);
    await again.waitFor('a new call after the restart', (e) => e.type === 'StasisStart');
  });

  it('given a restart with a boot time, when REST is called before it ends, then Asterisk answers 503 Asterisk not booted', async () => {
    sim.restart({ bootMs: 5000 });
    const r = await ariCall(sim, 'GET', '/channels');
    assert.deepEqual([r.status, r.body], [503, { message: 'Asterisk not booted' }]);
    await assert.rejects(EventRecorder.connect(sim.eventsUrl('attendant')), /503/);
    time.advance(5000);
    assert.equal((await ariCall(sim, 'GET', '/channels')).status, 200);
  });

  it('given failRequests 503 for two /channels calls, when three are made, then two fail and the third succeeds; /bridges is untouched', async () => {
    sim.failRequests({ status: 503, count: 2, pathPrefix: '/channels' });
    assert.equal((await ariCall(sim, 'GET', '/bridges')).status, 200);
    const a = await ariCall(sim, 'GET', '/channels');
    const b = await ariCall(sim, 'GET', '/channels');
    const c = await ariCall(sim, 'GET', '/channels');
    assert.deepEqual([a.status, b.status, c.status], [503, 503, 200]);
    assert.deepEqual(a.body, { message: 'Service Unavailable' });
  });

  it('given failRequests 500 for 10 s, when time passes 10 s, then requests succeed again', async () => {
    sim.failRequests({ status: 500, forMs: 10_000 });
    assert.equal((await ariCall(sim, 'GET', '/asterisk/info')).status, 500);
    time.advance(10_000);
    assert.equal((await ariCall(sim, 'GET', '/asterisk/info')).status, 200);
  });

  it('given delayRequests 3 s on manual time, when a request is made, then it is answered only once time moves 3 s', async () => {
    sim.delayRequests(3000);
    let answered = false;
    const pending = ariCall(sim, 'GET', '/channels').then((r) => { answered = true; return r; });
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.equal(answered, false);
    time.advance(3000);
    assert.equal((await pending).status, 200);
    sim.clearFaults();
  });

  it('given a connected app, when the WebSocket is dropped, then calls survive, Stasis fails for new callers until it reconnects', async () => {
    const events = await listen();
    const first = sim.placeCall(CALL);
    await events.waitFor('first caller', (e) => e.type === 'StasisStart');
    assert.equal(sim.dropWebSocket('attendant'), 1);
    await events.waitClosed();
    assert.equal(sim.channels().find((c) => c.id === first)?.inStasis, true, 'the call stays in Stasis');
    const lost = sim.placeCall(CALL);
    assert.deepEqual(sim.continued().map((c) => [c.channelId, c.how]), [[lost, 'stasis-failed']]);
    const back = await listen();
    sim.placeCall(CALL);
    await back.waitFor('a caller after reconnecting', (e) => e.type === 'StasisStart');
  });

  it('given requests served, when counted, then the total and the per-route counts add up', async () => {
    await ariCall(sim, 'GET', '/channels');
    await ariCall(sim, 'GET', '/channels/nope');
    await ariCall(sim, 'GET', '/channels/other');
    const stats = sim.requests();
    assert.equal(stats.total, 3);
    assert.deepEqual(stats.byRoute, { 'GET /channels': 1, 'GET /channels/{channelId}': 2 });
  });
});
