// Channel operations an app performs, with Asterisk's answers and events: errors, continue, move,
// redirect, snoop, variables, playback, hold, and an ari-only REFER transfer.
import assert from 'node:assert/strict';
import { ManualTime } from '../../lib/clock.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { ariCall, channelOf, EventRecorder, settle, SIM_PASSWORD, SIM_USER, type AriEvent } from '../support/sim-helpers.ts';

const CALL = { from: 'PJSIP/pstn', callerNumber: '0155501234', callerName: 'Ada', context: 'from-pstn', exten: '100', priority: 2, appArgs: ['incoming', '100'] };

describe('channel operations', () => {
  let time: ManualTime;
  let sim: Simulator;
  let events: EventRecorder;
  const extra: EventRecorder[] = [];

  beforeEach(async () => {
    time = new ManualTime(Date.UTC(2026, 0, 5, 9, 0, 0));
    sim = await startSimulator({
      user: SIM_USER, password: SIM_PASSWORD, time, playbackMs: 2000,
      endpoints: { 'PJSIP/att1': { kind: 'answer', afterMs: 0, ring: false }, 'PJSIP/att2': { kind: 'ring' } },
    });
    events = await EventRecorder.connect(sim.eventsUrl('attendant'));
  });

  afterEach(async () => {
    events.close();
    for (const r of extra.splice(0)) r.close();
    await sim.stop();
  });

  async function call(): Promise<string> {
    const id = sim.placeCall(CALL);
    await settle(sim, events);
    return id;
  }

  async function rest(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    const r = await ariCall(sim, method, path, body);
    await settle(sim, events, ...extra);
    return r;
  }

  function typesOf(id: string, list: AriEvent[] = events.events): string[] {
    return list.filter((e) => channelOf(e)?.id === id).map((e) => e.type);
  }

  it('given channels in various states, when operations are refused, then the status and body are Asterisk\'s', async () => {
    const caller = await call();
    const ringing = ((await rest('POST', '/channels?endpoint=PJSIP/att2&app=attendant')).body as { id: string }).id;
    const cases: Array<[string, string, number, unknown]> = [
      ['POST', '/channels/nope/answer', 404, { message: 'Channel not found' }],
      // an originated leg enters Stasis only once answered: while it rings it has no Stasis control
      ['POST', `/channels/${ringing}/answer`, 409, { message: 'Channel not in Stasis application' }],
      ['DELETE', `/channels/${caller}?reason=whatever`, 400, { message: 'Invalid reason for hangup provided' }],
      ['POST', '/channels?endpoint=att1&app=attendant', 400, { message: 'Invalid endpoint specified' }],
      ['POST', '/channels?endpoint=PJSIP/att1', 400, { message: 'Application or extension must be specified' }],
      ['POST', `/channels?endpoint=PJSIP/att1&app=attendant&channelId=${caller}`, 409, { message: 'Channel with given unique ID already exists' }],
      ['POST', '/bridges/nope/addChannel?channel=x', 404, { message: 'Bridge not found' }],
      ['GET', '/channels/nope/variable?variable=X', 404, { message: 'Provided channel was not found' }],
      ['GET', `/channels/${caller}/variable?variable=NOPE`, 404, { message: 'Provided variable was not found' }],
      ['POST', `/channels/${caller}/snoop?spy=none&whisper=none&app=attendant`, 400, { message: 'Direction must be specified for at least spy or whisper' }],
      ['POST', `/channels/${caller}/dtmf`, 400, { message: 'DTMF is required' }],
      ['GET', '/nothing', 404, { message: 'Resource not found' }],
      ['PUT', '/channels', 405, { message: 'Invalid method' }],
    ];
    for (const [method, path, status, body] of cases) {
      const r = await rest(method, path);
      assert.deepEqual([r.status, r.body], [status, body], `${method} ${path}`);
    }
    const bridge = ((await rest('POST', '/bridges?type=mixing')).body as { id: string }).id;
    assert.deepEqual((await rest('POST', `/bridges/${bridge}/addChannel?channel=nope`)).body, { message: 'Channel not found' });
    assert.deepEqual((await rest('POST', `/bridges/${bridge}/removeChannel?channel=${caller}`)).status, 422);
    assert.deepEqual((await rest('DELETE', `/bridges/${bridge}/moh`)).body, { message: "Bridge isn't playing music" });
  });

  it('given a leg originated with a reported variable, then the originate answer has no channelvars and GET /channels lists it (as Asterisk 23.4.1: test/asterisk/routes.test.ts)', async () => {
    const made = await rest('POST', '/channels?endpoint=PJSIP/att2&app=attendant&channelId=leg-vars', { variables: { ROUTE: { value: 'attendant:c1', report_events: true } } });
    assert.equal(made.status, 200);
    assert.equal((made.body as { channelvars?: unknown }).channelvars, undefined);
    const listed = ((await rest('GET', '/channels')).body as Array<{ id: string; channelvars?: Record<string, string> }>).find((c) => c.id === 'leg-vars');
    assert.deepEqual(listed?.channelvars, { ROUTE: 'attendant:c1' });
  });

  it('given a caller in Stasis, when the app continues it in the dialplan, then StasisEnd follows and the destination is recorded', async () => {
    const caller = await call();
    assert.equal((await rest('POST', `/channels/${caller}/continue?context=operators-closed&extension=s&priority=1`)).status, 204);
    assert.deepEqual(typesOf(caller), ['StasisStart', 'StasisEnd']);
    assert.deepEqual(sim.continued().map((c) => [c.how, c.context, c.extension, c.priority]), [['continue', 'operators-closed', 's', 1]]);
    const view = sim.channels().find((c) => c.id === caller);
    assert.deepEqual([view?.inStasis, view?.hungUp], [false, false]);
    assert.deepEqual((await rest('POST', `/channels/${caller}/answer`)).body, { message: 'Channel not in Stasis application' });
  });

  it('given a caller, when it is moved to another connected app, then StasisEnd here and StasisStart there; to an absent app, ApplicationMoveFailed', async () => {
    const other = await EventRecorder.connect(sim.eventsUrl('night'));
    extra.push(other);
    const caller = await call();
    await rest('POST', `/channels/${caller}/move?app=nowhere`);
    assert.equal(events.events.at(-1)?.type, 'ApplicationMoveFailed');
    await rest('POST', `/channels/${caller}/move?app=night&appArgs=bell`);
    assert.equal(events.events.at(-1)?.type, 'StasisEnd');
    const start = other.events.find((e) => e.type === 'StasisStart');
    assert.deepEqual(start?.args, ['bell']);
    assert.equal(start?.application, 'night');
  });

  it('given an answered caller, when the app redirects it, then the phone leaves (hangup, StasisEnd) and the redirect is recorded; a wrong technology is 422', async () => {
    const caller = await call();
    await rest('POST', `/channels/${caller}/answer`);
    assert.equal((await rest('POST', `/channels/${caller}/redirect?endpoint=IAX2/x`)).status, 422);
    assert.equal((await rest('POST', `/channels/${caller}/redirect?endpoint=PJSIP/200`)).status, 204);
    assert.deepEqual(typesOf(caller).slice(-2), ['ChannelHangupRequest', 'StasisEnd']);
    assert.deepEqual(sim.continued().map((c) => [c.how, c.endpoint]), [['redirect', 'PJSIP/200']]);
  });

  it('given a caller, when the app snoops on it, then a Snoop channel enters Stasis with the args and ends when the caller hangs up', async () => {
    const caller = await call();
    const snoop = (await rest('POST', `/channels/${caller}/snoop?spy=both&whisper=out&app=attendant&appArgs=monitor,att1`)).body as { id: string; name: string; state: string };
    assert.equal(snoop.name, `Snoop/${caller}-00000000`);
    assert.equal(snoop.state, 'Up');
    assert.deepEqual(events.events.find((e) => e.type === 'StasisStart' && channelOf(e)?.id === snoop.id)?.args, ['monitor', 'att1']);
    sim.hangupCaller(caller);
    await settle(sim, events);
    assert.deepEqual(typesOf(snoop.id), ['StasisStart', 'StasisEnd']);
  });

  it('given a caller, when the app sets a variable and CALLERID(name), then ChannelVarset and ChannelCallerId follow and the values read back', async () => {
    const caller = await call();
    await rest('POST', `/channels/${caller}/variable?variable=ATT_CLASS&value=vip`);
    await rest('POST', `/channels/${caller}/variable`, { variable: 'CALLERID(name)', value: 'Ada L.' });
    const tail = events.events.slice(-2);
    assert.deepEqual(tail.map((e) => e.type), ['ChannelVarset', 'ChannelCallerId']);
    assert.deepEqual([tail[0]?.variable, tail[0]?.value], ['ATT_CLASS', 'vip']);
    assert.deepEqual((await rest('GET', `/channels/${caller}/variable?variable=ATT_CLASS`)).body, { value: 'vip' });
    assert.deepEqual((await rest('GET', `/channels/${caller}/variable?variable=CALLERID(name)`)).body, { value: 'Ada L.' });
  });

  it('given an answered caller, when the app plays a sound, then 201 with a Playback, PlaybackStarted at once and PlaybackFinished when it ends', async () => {
    const caller = await call();
    await rest('POST', `/channels/${caller}/answer`);
    const r = await rest('POST', `/channels/${caller}/play?media=sound:hello-world`);
    assert.equal(r.status, 201);
    assert.deepEqual(r.body, { id: (r.body as { id: string }).id, media_uri: 'sound:hello-world', target_uri: `channel:${caller}`, language: 'en', state: 'queued' });
    assert.equal(events.events.at(-1)?.type, 'PlaybackStarted');
    time.advance(2000);
    await settle(sim, events);
    const finished = events.events.at(-1);
    assert.equal(finished?.type, 'PlaybackFinished');
    assert.equal((finished?.playback as { state: string }).state, 'done');
  });

  it('given an answered caller, when the app puts it on hold and plays music, then no event is sent (ChannelHold is the phone holding) and the inspection shows it', async () => {
    const caller = await call();
    await rest('POST', `/channels/${caller}/answer`);
    const before = events.events.length;
    await rest('POST', `/channels/${caller}/hold`);
    await rest('POST', `/channels/${caller}/moh?mohClass=jazz`);
    await rest('POST', `/channels/${caller}/ring`);
    assert.equal(events.events.length, before);
    const view = sim.channels().find((c) => c.id === caller);
    assert.deepEqual([view?.onHold, view?.moh, view?.ringing], [true, 'jazz', true]);
    sim.phoneHold(caller, true, 'default');
    await settle(sim, events);
    assert.deepEqual([events.events.at(-1)?.type, events.events.at(-1)?.musicclass], ['ChannelHold', 'default']);
  });

  it('given a set and a caller in a mixing bridge, when the set sends DTMF, then no event comes unless the bridge was made with dtmf_events (native RTP bridging carries it past Asterisk)', async () => {
    for (const [type, expected] of [['mixing', 0], ['mixing,dtmf_events', 3]] as const) {
      const caller = await call();
      const leg = ((await rest('POST', '/channels?endpoint=PJSIP/att1&app=attendant&appArgs=dialed')).body as { id: string }).id;
      const bridge = ((await rest('POST', `/bridges?type=${type}`)).body as { id: string }).id;
      await rest('POST', `/channels/${caller}/answer`);
      await rest('POST', `/bridges/${bridge}/addChannel?channel=${caller},${leg}`);
      await settle(sim, events);
      const before = events.events.length;
      sim.sendDtmf(leg, '*12');
      await settle(sim, events);
      assert.equal(events.events.slice(before).filter((e) => e.type === 'ChannelDtmfReceived').length, expected, type);
    }
  });

  it('given a set bridged with a caller and ari-only transfer handling, when the set presses transfer, then ChannelTransfer arrives and transfer_progress is echoed', async () => {
    const caller = await call();
    const leg = ((await rest('POST', '/channels?endpoint=PJSIP/att1&app=attendant&appArgs=dialed')).body as { id: string }).id;
    const bridge = ((await rest('POST', '/bridges?type=mixing')).body as { id: string }).id;
    await rest('POST', `/channels/${caller}/answer`);
    await rest('POST', `/bridges/${bridge}/addChannel?channel=${caller},${leg}`);
    assert.throws(() => sim.pressTransfer(leg, '200'), /ari-only/);
    assert.equal((await rest('POST', `/channels/${leg}/transfer_progress?states=channel_progress`)).status, 412);
    await rest('POST', `/channels/${leg}/variable?variable=PJSIP_TRANSFER_HANDLING()&value=ari-only`);
    sim.pressTransfer(leg, '200');
    await settle(sim, events);
    const refer = events.events.at(-1) as AriEvent & { refer_to: { requested_destination: { destination: string } }; referred_by: { source_channel: { id: string }; connected_channel: { id: string }; bridge: { id: string } } };
    assert.equal(refer.type, 'ChannelTransfer');
    assert.equal(refer.state, undefined);
    assert.equal(refer.refer_to.requested_destination.destination, '200');
    assert.deepEqual([refer.referred_by.source_channel.id, refer.referred_by.connected_channel.id, refer.referred_by.bridge.id], [leg, caller, bridge]);
    await rest('POST', `/channels/${leg}/transfer_progress?states=channel_answered`);
    const echo = events.events.at(-1);
    assert.deepEqual([echo?.type, echo?.state], ['ChannelTransfer', 'channel_answered']);
  });
});
