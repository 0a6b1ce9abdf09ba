// PUT /applications/{app}/eventFilter as res_stasis does it (app.c app_event_filter_set,
// stasis_app_event_allowed; resource_applications.c ast_ari_applications_filter): which events an
// app then receives, the Application model's events_allowed / events_disallowed, the 404 and 400
// answers, an older Asterisk without the route, and ari-client's generated `applications.filter`.
import assert from 'node:assert/strict';
import { controlCall, settle, SIM_PASSWORD, simPerTest, SIM_USER } from '../support/sim-helpers.ts';

const CALL = { callerNumber: '0155501234', context: 'from-pstn', exten: '100', appArgs: ['incoming'] };
const types = (...names: string[]) => names.map((type) => ({ type }));

describe('application event filter', () => {
  const t = simPerTest(() => ({ endpoints: { 'PJSIP/att1': { kind: 'answer', afterMs: 0 } } }));
  const listen = (app: string, subscribeAll = false) => t.io.listen(app, subscribeAll);
  const rest = (method: string, path: string, body?: unknown) => t.io.rest(method, path, body);

  /** a caller in Stasis, answered, and a set originated, answered and bridged with it, then both hung up */
  async function oneCall(): Promise<void> {
    const caller = t.sim.placeCall(CALL);
    await rest('POST', `/channels/${caller}/answer`);
    const leg = ((await rest('POST', '/channels?endpoint=PJSIP/att1&app=attendant&appArgs=leg')).body as { id: string }).id;
    const bridge = ((await rest('POST', '/bridges?type=mixing')).body as { id: string }).id;
    await rest('POST', `/bridges/${bridge}/addChannel?channel=${caller},${leg}`);
    await rest('DELETE', `/channels/${leg}`);
    await rest('DELETE', `/channels/${caller}`);
    await rest('DELETE', `/bridges/${bridge}`);
  }

  it('given an allowed list, when a call runs, then the app receives only those types, in the order it would have received them', async () => {
    const all = await listen('all', true);
    const set = await rest('PUT', '/applications/attendant/eventFilter', { allowed: types('StasisStart', 'StasisEnd', 'ChannelEnteredBridge', 'ChannelDestroyed') });
    assert.equal(set.status, 200);
    await oneCall();
    const allowed = new Set(['StasisStart', 'StasisEnd', 'ChannelEnteredBridge', 'ChannelDestroyed']);
    const got = t.events.events.map((e) => e.type);
    assert.ok(got.length >= 6, `${got.join(',')}`);
    assert.deepEqual([...new Set(got)].sort(), [...allowed].sort());
    // the same events, in the same order, as what an unfiltered app hears of the same channels
    const ids = new Set(t.events.events.map((e) => (e.channel as { id: string }).id));
    const unfiltered = all.events.filter((e) => allowed.has(e.type) && ids.has((e.channel as { id?: string } | undefined)?.id ?? '') && e.type !== 'ChannelDestroyed');
    assert.deepEqual(got.filter((type) => type !== 'ChannelDestroyed'), unfiltered.map((e) => e.type));
    assert.equal(all.events.some((e) => e.type === 'ChannelVarset'), true, 'the subscribeAll app, unfiltered, still hears the rest');
  });

  it('given a disallowed list, when a call runs, then those types are dropped and everything else arrives; in both lists, disallowed wins', async () => {
    await rest('PUT', '/applications/attendant/eventFilter', { disallowed: types('ChannelVarset', 'ChannelStateChange') });
    await oneCall();
    const got = new Set(t.events.events.map((e) => e.type));
    assert.equal(got.has('ChannelVarset') || got.has('ChannelStateChange'), false);
    assert.ok(got.has('Dial') && got.has('StasisStart') && got.has('ChannelHangupRequest'), [...got].join(','));

    t.events.take();
    await rest('PUT', '/applications/attendant/eventFilter', { allowed: types('StasisStart', 'StasisEnd'), disallowed: types('StasisEnd') });
    await oneCall();
    assert.deepEqual([...new Set(t.events.events.map((e) => e.type))], ['StasisStart']);
  });

  it('given a filter, when the model is read (filter answer, GET one, GET all), then events_allowed / events_disallowed carry the lists as sent', async () => {
    const body = { allowed: [{ type: 'StasisStart', note: 'kept' }], disallowed: types('Dial') };
    const set = await rest('PUT', '/applications/attendant/eventFilter', body);
    const expected = { name: 'attendant', channel_ids: [], bridge_ids: [], endpoint_ids: [], device_names: [], events_allowed: body.allowed, events_disallowed: body.disallowed };
    assert.deepEqual(set.body, expected);
    assert.deepEqual((await rest('GET', '/applications/attendant')).body, expected);
    assert.deepEqual((await rest('GET', '/applications')).body, [expected]);
  });

  it('given one list only, when set, then the other keeps its value; {} or no body resets both; [] empties one', async () => {
    const model = async () => (await rest('GET', '/applications/attendant')).body as { events_allowed: unknown[]; events_disallowed: unknown[] };
    await rest('PUT', '/applications/attendant/eventFilter', { allowed: types('StasisStart'), disallowed: types('Dial') });
    await rest('PUT', '/applications/attendant/eventFilter', { allowed: types('StasisEnd') });
    assert.deepEqual([(await model()).events_allowed, (await model()).events_disallowed], [types('StasisEnd'), types('Dial')]);
    await rest('PUT', '/applications/attendant/eventFilter', { disallowed: [] });
    assert.deepEqual([(await model()).events_allowed, (await model()).events_disallowed], [types('StasisEnd'), []]);
    await rest('PUT', '/applications/attendant/eventFilter', { allowed: types('StasisEnd'), disallowed: types('Dial') });
    assert.equal((await rest('PUT', '/applications/attendant/eventFilter', {})).status, 200);
    assert.deepEqual([(await model()).events_allowed, (await model()).events_disallowed], [[], []]);
    await rest('PUT', '/applications/attendant/eventFilter', { allowed: types('StasisEnd') });
    assert.equal((await rest('PUT', '/applications/attendant/eventFilter')).status, 200);
    assert.deepEqual([(await model()).events_allowed, (await model()).events_disallowed], [[], []]);
    // a bare array is taken for both lists (app_event_filter_set only looks into an object)
    await rest('PUT', '/applications/attendant/eventFilter', types('StasisStart'));
    assert.deepEqual([(await model()).events_allowed, (await model()).events_disallowed], [types('StasisStart'), types('StasisStart')]);
  });

  it('given an unknown app, when a filter is set, then 404 Application not found', async () => {
    assert.deepEqual(await rest('PUT', '/applications/nope/eventFilter', { allowed: types('StasisStart') }), { status: 404, body: { message: 'Application not found' } });
  });

  it('given bad definitions, when set, then 400 as Asterisk answers, and a disallowed list set before a bad allowed one stays', async () => {
    const bad = { status: 400, body: { message: 'Invalid format definition' } };
    for (const body of [
      { allowed: 'StasisStart' }, { allowed: ['StasisStart'] }, { allowed: [{ name: 'StasisStart' }] }, { allowed: [{ type: '' }] },
      { allowed: [{ type: 3 }] }, { disallowed: [{}] }, { allowed: null }, 'StasisStart', 7,
    ]) {
      assert.deepEqual(await rest('PUT', '/applications/attendant/eventFilter', body), bad, JSON.stringify(body));
    }
    assert.deepEqual(await rest('PUT', '/applications/attendant/eventFilter', { disallowed: types('Dial'), allowed: [{}] }), bad);
    const m = (await rest('GET', '/applications/attendant')).body as { events_allowed: unknown[]; events_disallowed: unknown[] };
    assert.deepEqual([m.events_allowed, m.events_disallowed], [[], types('Dial')]);
    // not JSON at all: res_ari refuses the body before the route runs
    const res = await fetch(`${t.sim.ariUrl}/applications/attendant/eventFilter`, {
      method: 'PUT', body: '{"allowed": [', headers: { 'Content-Type': 'application/json', Authorization: `Basic ${Buffer.from(`${SIM_USER}:${SIM_PASSWORD}`).toString('base64')}` },
    });
    assert.deepEqual([res.status, await res.json()], [400, { message: 'Error parsing request body' }]);
  });

  it('given a filter without ApplicationReplaced, when a newer socket takes the app, then the old one is told nothing', async () => {
    await rest('PUT', '/applications/attendant/eventFilter', { allowed: types('StasisStart') });
    await listen('attendant');
    await settle(t.sim, ...t.io.recorders);
    assert.deepEqual(t.events.events, []);
    await rest('PUT', '/applications/attendant/eventFilter', {});
    await listen('attendant');
    await settle(t.sim, ...t.io.recorders);
    assert.deepEqual(t.io.recorders[1]!.events.map((e) => e.type), ['ApplicationReplaced']);
  });

  it('given a filtered app with a call in Stasis, when its socket drops and comes back, then the filter is still the app\'s; once the app is gone, a new one starts unfiltered', async () => {
    await rest('PUT', '/applications/attendant/eventFilter', { allowed: types('StasisEnd') });
    const caller = t.sim.placeCall(CALL);
    t.sim.dropWebSocket('attendant');
    const again = await listen('attendant');
    await rest('DELETE', `/channels/${caller}`);
    assert.deepEqual(again.events.map((e) => e.type), ['StasisEnd']);
    t.sim.dropWebSocket('attendant');
    const fresh = await listen('attendant');
    assert.deepEqual(((await rest('GET', '/applications/attendant')).body as { events_allowed: unknown[] }).events_allowed, [], 'the app retired with its last channel');
    t.sim.placeCall(CALL);
    await settle(t.sim, fresh);
    assert.deepEqual(fresh.events.map((e) => e.type), ['StasisStart']);
  });

  it('given an Asterisk older than 13.26 / 16.3, when a filter is set, then the route is neither documented nor routed (404 Resource not found)', async () => {
    assert.equal((await controlCall(t.sim, 'PUT', '/sim/event-filter', { supported: false })).status, 204);
    assert.deepEqual(await rest('PUT', '/applications/attendant/eventFilter', { allowed: types('StasisStart') }), { status: 404, body: { message: 'Resource not found' } });
    const doc = (await rest('GET', '/api-docs/applications.json')).body as { apis: Array<{ path: string }> };
    assert.deepEqual(doc.apis.map((a) => a.path).filter((p) => p.endsWith('eventFilter')), []);
    t.sim.setEventFilterSupport(true);
    assert.equal((await rest('PUT', '/applications/attendant/eventFilter', { allowed: types('StasisStart') })).status, 200);
  });

  it('given ari-client, when it loads the documents, then applications.filter sends the body and the app hears only what it allowed', async () => {
    const ari = (await import('ari-client')).default as unknown as {
      connect(url: string, user: string, password: string): Promise<{
        applications: { filter(p: { applicationName: string; filter: unknown }): Promise<{ events_allowed: unknown[] }> };
        on(event: string, cb: (e: { type: string }) => void): void;
        start(app: string): Promise<void>;
        stop(): void;
      }>;
    };
    const client = await ari.connect(t.sim.url, SIM_USER, SIM_PASSWORD);
    const seen: string[] = [];
    client.on('*', (e) => seen.push(e.type));
    await client.start('clientapp');
    try {
      const app = await client.applications.filter({ applicationName: 'clientapp', filter: { allowed: types('StasisStart', 'StasisEnd') } });
      assert.deepEqual(app.events_allowed, types('StasisStart', 'StasisEnd'));
      const caller = t.sim.placeCall({ ...CALL, app: 'clientapp' });
      await rest('POST', `/channels/${caller}/answer`);
      await rest('DELETE', `/channels/${caller}`);
      const end = Date.now() + 2000;
      while (!seen.includes('StasisEnd') && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
      assert.deepEqual(seen, ['StasisStart', 'StasisEnd']);
    } finally {
      client.stop();
    }
  });
});
