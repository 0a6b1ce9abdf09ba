// ari-client@2.2.0 against the simulator over real sockets: connect() loads the generated swagger,
// start() opens the events socket, and the generated methods drive recorded scenarios 2 and 5.
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { EventRecorder, SIM_PASSWORD, SIM_USER } from '../support/sim-helpers.ts';

interface AriEventLike { type: string; channel?: { id: string; name: string; state: string }; peer?: { id: string }; bridge?: { id: string; bridge_type: string; channels: string[] }; args?: string[]; dialstatus?: string; variable?: string; cause?: number }
interface AriChannel { id: string; name: string; answer(): Promise<void> }
interface AriBridge {
  id: string;
  channels: string[];
  addChannel(p: { channel: string | string[]; role?: string }): Promise<void>;
  removeChannel(p: { channel: string | string[] }): Promise<void>;
  startMoh(p?: { mohClass?: string }): Promise<void>;
  destroy(): Promise<void>;
}
interface AriClient {
  channels: {
    originate(p: Record<string, unknown>): Promise<AriChannel>;
    hangup(p: { channelId: string; reason?: string }): Promise<void>;
    get(p: { channelId: string }): Promise<AriChannel>;
  };
  bridges: { create(p: { type: string; name?: string }): Promise<AriBridge>; get(p: { bridgeId: string }): Promise<AriBridge> };
  deviceStates: { update(p: { deviceName: string; deviceState: string }): Promise<void> };
  Channel(id: string): AriChannel;
  on(event: string, cb: (event: AriEventLike, instance: unknown) => void): void;
  start(app: string): Promise<void>;
  stop(): void;
}

async function connect(sim: Simulator): Promise<AriClient> {
  const ari = (await import('ari-client')).default as unknown as { connect(url: string, user: string, password: string): Promise<AriClient> };
  return ari.connect(sim.url, SIM_USER, SIM_PASSWORD);
}

/** the events the client received, and a bounded wait on them */
class Seen {
  readonly events: AriEventLike[] = [];
  async until(what: string, match: (e: AriEventLike) => boolean, timeoutMs = 2000): Promise<AriEventLike> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const e = this.events.find(match);
      if (e) return e;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setImmediate(r));
    }
  }
  of(channelId: string): string[] {
    return this.events.filter((e) => e.channel?.id === channelId || e.peer?.id === channelId).map((e) =>
      e.type === 'ChannelVarset' ? `Varset:${e.variable ?? ''}` : e.type === 'Dial' ? `Dial:${e.dialstatus ?? ''}` : e.type === 'ChannelStateChange' ? `State:${e.channel?.state ?? ''}` : e.type);
  }
}

describe('ari-client driving the simulator', () => {
  let sim: Simulator;
  let client: AriClient;
  let seen: Seen;
  let instances: unknown[];

  beforeEach(async () => {
    sim = await startSimulator({
      user: SIM_USER, password: SIM_PASSWORD, seed: 3,
      endpoints: { 'PJSIP/att1': { kind: 'answer', afterMs: 0, context: 'from-attendant' }, 'PJSIP/ext200': { kind: 'answer', afterMs: 0, context: 'from-attendant' } },
    });
    client = await connect(sim);
    seen = new Seen();
    instances = [];
    client.on('*', (e, instance) => { seen.events.push(e); instances.push(instance); });
    await client.start('attendant');
  });

  afterEach(async () => {
    client.stop();
    await sim.stop();
  });

  async function callAndBridge(): Promise<{ callerId: string; leg: AriChannel; mixing: AriBridge }> {
    const callerId = sim.placeCall({ from: 'PJSIP/pstn', callerNumber: 'sipp', callerName: 'sipp', context: 'from-pstn', exten: '100', priority: 2, appArgs: ['incoming', '100'] });
    await seen.until('the caller in Stasis', (e) => e.type === 'StasisStart' && e.channel?.id === callerId);
    // dtmf_events: the two PJSIP channels are never bridged natively, so their DTMF reaches the app
    const mixing = await client.bridges.create({ type: 'mixing,dtmf_events', name: `call-${callerId}` });
    const leg = await client.channels.originate({ endpoint: 'PJSIP/att1', app: 'attendant', appArgs: `dialed,${callerId}`, callerId: '100', timeout: 20 });
    await seen.until('the set in Stasis', (e) => e.type === 'StasisStart' && e.channel?.id === leg.id);
    await client.Channel(callerId).answer();
    await mixing.addChannel({ channel: [callerId, leg.id] });
    await seen.until('the set in the bridge', (e) => e.type === 'ChannelEnteredBridge' && e.channel?.id === leg.id);
    return { callerId, leg, mixing };
  }

  it('given a caller in Stasis, when the app originates a set, answers and bridges both (scenario 2), then the events and bridge match Asterisk', async () => {
    const { callerId, leg, mixing } = await callAndBridge();
    assert.match(leg.name, /^PJSIP\/att1-[0-9a-f]{8}$/);
    const start = await seen.until('set StasisStart', (e) => e.type === 'StasisStart' && e.channel?.id === leg.id);
    assert.deepEqual(start.args, ['dialed', callerId]);
    assert.deepEqual(seen.of(leg.id).slice(0, 7), ['Dial:', 'State:Ringing', 'Dial:RINGING', 'State:Up', 'Dial:ANSWER', 'Varset:STASISSTATUS', 'StasisStart']);
    await seen.until('connected line of the caller', (e) => e.type === 'ChannelConnectedLine' && e.channel?.id === callerId);
    const bridge = await client.bridges.get({ bridgeId: mixing.id });
    assert.deepEqual([...bridge.channels].sort(), [callerId, leg.id].sort());
    // ari-client promotes the event's channel to a Channel instance with generated operations
    const promoted = instances[seen.events.indexOf(start)] as { id?: string; answer?: unknown };
    assert.equal(promoted.id, leg.id);
    assert.equal(typeof promoted.answer, 'function');
  });

  it('given a bridged call, when the attendant consults ext200 and transfers (scenario 5), then the caller ends with ext200 and the attendant leg is destroyed', async () => {
    const { callerId, leg, mixing } = await callAndBridge();
    const holding = await client.bridges.create({ type: 'holding', name: `hold-${callerId}` });
    await mixing.removeChannel({ channel: callerId });
    await holding.addChannel({ channel: callerId, role: 'participant' });
    await holding.startMoh();
    const target = await client.channels.originate({ endpoint: 'PJSIP/ext200', app: 'attendant', appArgs: `consult,${callerId}`, timeout: 20 });
    await seen.until('ext200 in Stasis', (e) => e.type === 'StasisStart' && e.channel?.id === target.id);
    await holding.removeChannel({ channel: callerId });
    await mixing.addChannel({ channel: [callerId, target.id] });
    await mixing.removeChannel({ channel: leg.id });
    await client.channels.hangup({ channelId: leg.id });
    const destroyed = await seen.until('attendant leg destroyed', (e) => e.type === 'ChannelDestroyed' && e.channel?.id === leg.id);
    assert.equal(destroyed.cause, 16);
    await holding.destroy();
    const bridge = await client.bridges.get({ bridgeId: mixing.id });
    assert.deepEqual([...bridge.channels].sort(), [callerId, target.id].sort());
    const callerBridges = seen.events.filter((e) => e.channel?.id === callerId && (e.type === 'ChannelEnteredBridge' || e.type === 'ChannelLeftBridge'))
      .map((e) => `${e.type}:${e.bridge?.bridge_type ?? ''}`);
    assert.deepEqual(callerBridges, ['ChannelEnteredBridge:mixing', 'ChannelLeftBridge:mixing', 'ChannelEnteredBridge:holding', 'ChannelLeftBridge:holding', 'ChannelEnteredBridge:mixing']);
    await seen.until('ext200 learns who it talks to', (e) => e.type === 'ChannelConnectedLine' && e.channel?.id === target.id);
    assert.deepEqual(seen.of(leg.id).slice(-4), ['ChannelHangupRequest', 'StasisEnd', 'Varset:STASISSTATUS', 'ChannelDestroyed']);
  });

  it('given playback, device, endpoint, DTMF, hold and takeover events, when ari-client receives them, then it dispatches each with its instances', async () => {
    const raw = client as unknown as {
      applications: { subscribe(p: { applicationName: string; eventSource: string[] }): Promise<unknown> };
      channels: { play(p: { channelId: string; media: string }): Promise<{ id: string }> };
    };
    await raw.applications.subscribe({ applicationName: 'attendant', eventSource: ['deviceState:Stasis:att1', 'endpoint:PJSIP/att1'] });
    await client.deviceStates.update({ deviceName: 'Stasis:att1', deviceState: 'BUSY' });
    const { callerId, leg } = await callAndBridge();
    const playback = await raw.channels.play({ channelId: callerId, media: 'sound:hello-world' });
    sim.sendDtmf(callerId, '5');
    sim.phoneHold(leg.id, true);
    sim.setEndpoint('PJSIP/att1', { kind: 'offline' });
    for (const type of ['DeviceStateChanged', 'PlaybackStarted', 'ChannelDtmfReceived', 'ChannelHold', 'EndpointStateChange']) {
      await seen.until(type, (e) => e.type === type);
    }
    const started = seen.events.find((e) => e.type === 'PlaybackStarted');
    assert.equal((instances[seen.events.indexOf(started!)] as { id?: string }).id, playback.id);
    // a second socket for the app takes it over: ari-client's socket gets ApplicationReplaced
    const other = await EventRecorder.connect(sim.eventsUrl('attendant'));
    await seen.until('ApplicationReplaced', (e) => e.type === 'ApplicationReplaced');
    other.close();
  });

  it('given an unknown channel, when ari-client asks for it, then the promise rejects with Asterisk\'s body', async () => {
    await assert.rejects(client.channels.get({ channelId: 'no-such-channel' }), (err: Error) => err.message === '{"message":"Channel not found"}');
  });
});
