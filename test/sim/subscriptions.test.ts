// ARI's subscription model and the resources around it: who hears device states, bridges and
// endpoints; bridge moves and destruction; applications, endpoints and system information.
import assert from 'node:assert/strict';
import { channelOf, settle, simPerTest } from '../support/sim-helpers.ts';

const CALL = { callerNumber: '0155501234', context: 'from-pstn', exten: '100', appArgs: ['incoming'] };

describe('subscriptions and resources', () => {
  const t = simPerTest(() => ({ endpoints: { 'PJSIP/att1': { kind: 'answer', afterMs: 0 }, 'Local/300@sim-ring': { kind: 'ring' } } }));
  const listen = (app: string, subscribeAll = false) => t.io.listen(app, subscribeAll);
  const rest = (method: string, path: string) => t.io.rest(method, path);

  it('given an app not subscribed to a device, when its custom state changes, then only after subscribing does it hear DeviceStateChanged, once per change', async () => {
    await rest('PUT', '/deviceStates/Stasis:att1?deviceState=BUSY');
    assert.equal(t.events.events.length, 0);
    const sub = await rest('POST', '/applications/attendant/subscription?eventSource=deviceState:Stasis:att1');
    assert.deepEqual((sub.body as { device_names: string[] }).device_names, ['Stasis:att1']);
    await rest('PUT', '/deviceStates/Stasis:att1?deviceState=NOT_INUSE');
    await rest('PUT', '/deviceStates/Stasis:att1?deviceState=not_inuse');
    await rest('DELETE', '/deviceStates/Stasis:att1');
    assert.deepEqual(t.events.events.map((e) => (e.device_state as { state: string }).state), ['NOT_INUSE', 'UNKNOWN']);
    assert.deepEqual((await rest('PUT', '/deviceStates/att1?deviceState=BUSY')).body, { message: 'Uncontrolled device specified' });
    assert.deepEqual((await rest('PUT', '/deviceStates/Stasis:att1?deviceState=WRONG')).body, { message: 'Unknown device' });
    assert.deepEqual((await rest('PUT', '/deviceStates/Stasis:?deviceState=BUSY')).body, { message: 'Device name is missing' });
  });

  it('given a subscribeAll app and a plain one, when a bridge is created and a device changes, then only the subscribeAll app hears them', async () => {
    const all = await listen('monitor', true);
    await rest('POST', '/bridges?type=mixing&name=x');
    await rest('PUT', '/deviceStates/Stasis:att2?deviceState=INUSE');
    assert.deepEqual(all.events.map((e) => e.type), ['BridgeCreated', 'DeviceStateChanged']);
    assert.deepEqual(t.events.events, []);
  });

  it('given a caller in one bridge, when it is added to another, then it leaves the first (ChannelLeftBridge) before entering the second', async () => {
    const caller = t.sim.placeCall(CALL);
    const a = ((await rest('POST', '/bridges?type=holding')).body as { id: string }).id;
    const b = ((await rest('POST', '/bridges?type=mixing')).body as { id: string }).id;
    await rest('POST', `/bridges/${a}/addChannel?channel=${caller}`);
    await rest('POST', `/bridges/${b}/addChannel?channel=${caller}`);
    const moves = t.events.events.filter((e) => e.type.startsWith('Channel') && e.type.endsWith('Bridge')).map((e) => `${e.type}:${(e.bridge as { id: string }).id}`);
    assert.deepEqual(moves, [`ChannelEnteredBridge:${a}`, `ChannelLeftBridge:${a}`, `ChannelEnteredBridge:${b}`]);
  });

  it('given bridges the app used, when destroyed, then BridgeDestroyed arrives only for a bridge that still holds one of its channels', async () => {
    const caller = t.sim.placeCall(CALL);
    const emptied = ((await rest('POST', '/bridges?type=holding')).body as { id: string }).id;
    const held = ((await rest('POST', '/bridges?type=mixing')).body as { id: string }).id;
    await rest('POST', `/bridges/${emptied}/addChannel?channel=${caller}`);
    await rest('POST', `/bridges/${emptied}/removeChannel?channel=${caller}`);
    await rest('DELETE', `/bridges/${emptied}`);
    await rest('POST', `/bridges/${held}/addChannel?channel=${caller}`);
    await rest('DELETE', `/bridges/${held}`);
    const tail = t.events.events.slice(-2).map((e) => e.type);
    assert.deepEqual(tail, ['ChannelLeftBridge', 'BridgeDestroyed']);
    assert.equal(t.events.events.filter((e) => e.type === 'BridgeDestroyed').length, 1);
    assert.equal(t.sim.channels().find((c) => c.id === caller)?.inStasis, true, 'kicked out of the bridge, still in Stasis');
  });

  it('given an app subscribed to an endpoint, when a leg of it is originated and the phone goes offline, then it hears the leg and EndpointStateChange', async () => {
    const watcher = await listen('watcher');
    await rest('POST', '/applications/watcher/subscription?eventSource=endpoint:PJSIP/att1');
    const leg = ((await rest('POST', '/channels?endpoint=PJSIP/att1&app=attendant')).body as { id: string }).id;
    assert.ok(watcher.events.some((e) => e.type === 'Dial' && channelOf(e)?.id === leg), 'watcher.events.some((e) => e.type === \'Dial\' && channelOf(e)?.id === leg)');
    assert.ok(watcher.events.some((e) => e.type === 'EndpointStateChange'), 'watcher.events.some((e) => e.type === \'EndpointStateChange\')');
    t.sim.setEndpoint('PJSIP/att1', { kind: 'offline' });
    await settle(t.sim, watcher);
    const last = watcher.events.at(-1);
    assert.deepEqual([last?.type, (last?.endpoint as { state: string }).state], ['EndpointStateChange', 'offline']);
  });

  it('given applications, when subscriptions are asked for badly, then 404/400/422 as Asterisk answers', async () => {
    assert.deepEqual((await rest('POST', '/applications/nope/subscription?eventSource=channel:x')).body, { message: 'Application not found' });
    assert.deepEqual((await rest('POST', '/applications/attendant/subscription?eventSource=thing:x')).body, { message: 'Invalid event source URI scheme' });
    assert.deepEqual((await rest('POST', '/applications/attendant/subscription?eventSource=channel:x')).body, { message: 'Event source does not exist' });
    assert.deepEqual((await rest('DELETE', '/applications/attendant/subscription?eventSource=deviceState:Stasis:zz')).body, { message: 'Event source was not subscribed to' });
    assert.deepEqual((await rest('POST', '/applications/attendant/subscription')).body, { message: 'Missing parameter eventSource' });
    const apps = (await rest('GET', '/applications')).body as Array<{ name: string }>;
    assert.deepEqual(apps.map((a) => a.name), ['attendant']);
  });

  it('given endpoints, when listed, then PJSIP phones show with their state and channels while Local targets are not endpoints', async () => {
    const leg = ((await rest('POST', '/channels?endpoint=PJSIP/att1&app=attendant')).body as { id: string }).id;
    assert.deepEqual((await rest('GET', '/endpoints')).body, [{ technology: 'PJSIP', resource: 'att1', state: 'online', channel_ids: [leg] }]);
    assert.equal(((await rest('GET', '/endpoints/pjsip')).body as unknown[]).length, 1);
    assert.deepEqual((await rest('GET', '/endpoints/Local')).body, { message: 'No Endpoints found - invalid tech Local' });
    assert.deepEqual((await rest('GET', '/endpoints/PJSIP/nobody')).body, { message: 'Endpoint not found' });
  });

  it('given the system resources, when read, then version 23.4.1 and the entity id are reported, filtered by `only`', async () => {
    const info = (await rest('GET', '/asterisk/info?only=system')).body as { system: { version: string; entity_id: string } };
    assert.deepEqual(Object.keys(info), ['system']);
    assert.equal(info.system.version, '23.4.1');
    assert.equal(((await rest('GET', '/asterisk/ping')).body as { ping: string }).ping, 'pong');
  });

  it('given a Local target that rings, when originated with channelId and otherChannelId, then both halves carry the chosen ids', async () => {
    const r = await rest('POST', '/channels?endpoint=Local/300@sim-ring&app=attendant&channelId=leg-1&otherChannelId=leg-2');
    assert.equal((r.body as { name: string }).name, 'Local/300@sim-ring-00000000;1');
    assert.deepEqual(t.sim.channels().map((c) => c.id).sort(), ['leg-1', 'leg-2']);
    assert.ok(t.events.events.some((e) => e.type === 'ChannelDialplan' && channelOf(e)?.id === 'leg-2'), 't.events.events.some((e) => e.type === \'ChannelDialplan\' && channelOf(e)?.id === \'leg-2\')');
  });
});
