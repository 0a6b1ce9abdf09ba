// Scripted phones under originate, on ManualTime: ring timeouts, busy, offline, manual answer and
// reject, hang up after a while, seeded random answers. No test waits in real time for a timer.
import assert from 'node:assert/strict';
import { ManualTime } from '../../lib/clock.ts';
import { startSimulator, type Behaviour, type Simulator } from '../../lib/sim/index.ts';
import { ariCall, channelOf, EventRecorder, settle, SIM_PASSWORD, SIM_USER, type AriEvent } from '../support/sim-helpers.ts';

function summary(events: AriEvent[], channelId: string): string[] {
  return events.filter((e) => channelOf(e)?.id === channelId).map((e) => {
    if (e.type === 'Dial') return `Dial:${String(e.dialstatus)}`;
    if (e.type === 'ChannelStateChange') return `State:${channelOf(e)?.state ?? ''}`;
    if (e.type === 'ChannelVarset') return `Varset:${String(e.variable)}`;
    if (e.type === 'ChannelDestroyed') return `Destroyed:${String(e.cause)}:${String(e.cause_txt)}`;
    if (e.type === 'ChannelHangupRequest') return `HangupRequest:${String(e.cause)}${e.tech_cause !== undefined ? `/${String(e.tech_cause)}` : ''}`;
    return e.type;
  });
}

describe('scripted phones answering originate', () => {
  let time: ManualTime;
  let sim: Simulator;
  let events: EventRecorder;

  async function start(endpoints: Record<string, Behaviour>, seed = 1): Promise<void> {
    time = new ManualTime(Date.UTC(2026, 0, 5, 9, 0, 0));
    sim = await startSimulator({ user: SIM_USER, password: SIM_PASSWORD, time, seed, endpoints });
    events = await EventRecorder.connect(sim.eventsUrl('attendant'));
  }

  afterEach(async () => {
    events.close();
    await sim.stop();
  });

  async function originate(endpoint: string, extra = ''): Promise<{ status: number; id: string; body: unknown }> {
    const r = await ariCall(sim, 'POST', `/channels?endpoint=${encodeURIComponent(endpoint)}&app=attendant&appArgs=dialed${extra}`);
    await settle(sim, events);
    return { status: r.status, id: String((r.body as { id?: string } | undefined)?.id ?? ''), body: r.body };
  }

  async function advance(ms: number): Promise<void> {
    time.advance(ms);
    await settle(sim, events);
  }

  it('given a set that only rings, when the 15 s originate timeout passes, then the leg is destroyed with cause 19 and never enters Stasis', async () => {
    await start({ 'PJSIP/att1': { kind: 'ring' } });
    const { id } = await originate('PJSIP/att1', '&timeout=15');
    assert.deepEqual(summary(events.events, id), ['Dial:', 'State:Ringing', 'Dial:RINGING']);
    await advance(14_999);
    assert.equal(summary(events.events, id).length, 3, 'still ringing just before the timeout');
    await advance(1);
    assert.deepEqual(summary(events.events, id).slice(3), ['Destroyed:19:User alerting, no answer']);
    assert.ok(!events.events.some((e) => e.type === 'StasisStart'), '!events.events.some((e) => e.type === \'StasisStart\')');
  });

  it('given a busy set, when it is originated, then the leg ends with cause 17 User busy and Dial BUSY', async () => {
    await start({ 'PJSIP/att1': { kind: 'busy' } });
    const { status, id } = await originate('PJSIP/att1');
    assert.equal(status, 200);
    assert.deepEqual(summary(events.events, id), ['Dial:', 'HangupRequest:17/486', 'Dial:BUSY', 'Destroyed:17:User busy']);
  });

  it('given an offline (unregistered) PJSIP set, when it is originated, then Asterisk answers 500 Allocation failed and no channel exists', async () => {
    await start({ 'PJSIP/att1': { kind: 'offline' } });
    const r = await ariCall(sim, 'POST', '/channels?endpoint=PJSIP/att1&app=attendant');
    assert.equal(r.status, 500);
    assert.deepEqual(r.body, { error: 'Allocation failed' });
    assert.equal(sim.channels().length, 0);
    const ep = await ariCall(sim, 'GET', '/endpoints/PJSIP/att1');
    assert.equal((ep.body as { state: string }).state, 'offline');
  });

  it('given a Local channel whose dialplan dials an offline set, when it is originated, then both halves end with cause 20 Subscriber absent', async () => {
    await start({ 'Local/201@sets': { kind: 'offline' } });
    const { id } = await originate('Local/201@sets');
    const destroyed = events.events.filter((e) => e.type === 'ChannelDestroyed');
    assert.equal(destroyed.length, 2);
    assert.ok(destroyed.every((e) => e.cause === 20 && e.cause_txt === 'Subscriber absent'), 'destroyed.every((e) => e.cause === 20 && e.cause_txt === \'Subscriber absent\')');
    assert.equal(summary(events.events, id).at(-1), 'Destroyed:20:Subscriber absent');
  });

  it('given a manual set, when the test answers it, then the leg goes Up and enters Stasis', async () => {
    await start({ 'PJSIP/att1': { kind: 'manual' } });
    const { id } = await originate('PJSIP/att1');
    await advance(29_000);
    sim.answerChannel(id);
    await settle(sim, events);
    assert.deepEqual(summary(events.events, id), ['Dial:', 'State:Ringing', 'Dial:RINGING', 'State:Up', 'Dial:ANSWER', 'Varset:STASISSTATUS', 'StasisStart']);
  });

  it('given a manual set that would ring for a minute, when the default 30 s timeout passes, then it is given up with cause 19', async () => {
    await start({ 'PJSIP/att1': { kind: 'manual' } });
    const { id } = await originate('PJSIP/att1');
    await advance(30_000);
    assert.equal(summary(events.events, id).at(-1), 'Destroyed:19:User alerting, no answer');
  });

  it('given a manual set, when the test rejects it with cause 21, then the hangup request carries SIP 403 and the leg is destroyed with 21', async () => {
    await start({ 'PJSIP/att1': { kind: 'manual' } });
    const { id } = await originate('PJSIP/att1');
    sim.rejectChannel(id, 21);
    await settle(sim, events);
    assert.deepEqual(summary(events.events, id).slice(3), ['HangupRequest:21/403', 'Destroyed:21:Call Rejected']);
    assert.deepEqual(sim.channels().map((c) => [c.id, c.hungUp, c.hangupCause]), [[id, true, 21]]);
  });

  it('given a set that answers after 2 s and hangs up 5 s later, when it is originated, then it enters Stasis at 2 s and hangs up with a BYE at 7 s', async () => {
    await start({ 'PJSIP/att1': { kind: 'hangupAfter', answerAfterMs: 2000, hangupAfterMs: 5000 } });
    const { id } = await originate('PJSIP/att1');
    await advance(1999);
    assert.ok(!summary(events.events, id).includes('StasisStart'), '!summary(events.events, id).includes(\'StasisStart\')');
    await advance(1);
    assert.ok(summary(events.events, id).includes('StasisStart'), 'summary(events.events, id).includes(\'StasisStart\')');
    await advance(5000);
    assert.deepEqual(summary(events.events, id).slice(-9), [
      'Varset:RTPAUDIOQOS', 'Varset:RTPAUDIOQOSJITTER', 'Varset:RTPAUDIOQOSLOSS', 'Varset:RTPAUDIOQOSRTT', 'Varset:RTPAUDIOQOSMES',
      'HangupRequest:16', 'StasisEnd', 'Varset:STASISSTATUS', 'Destroyed:16:Normal Clearing',
    ]);
  });

  it('given the same seed twice, when random-delay sets are originated, then they answer at the same times', async () => {
    const answerTimes = async (): Promise<number[]> => {
      await start({ 'PJSIP/att1': { kind: 'random', minMs: 100, maxMs: 9000 } }, 42);
      const ids = [(await originate('PJSIP/att1')).id, (await originate('PJSIP/att1')).id, (await originate('PJSIP/att1')).id];
      const answeredAt = new Map<string, number>();
      for (let t = 100; t <= 9000; t += 100) {
        await advance(100);
        for (const id of ids) if (!answeredAt.has(id) && summary(events.events, id).includes('StasisStart')) answeredAt.set(id, t);
      }
      events.close();
      await sim.stop();
      return ids.map((id) => answeredAt.get(id) ?? -1);
    };
    const first = await answerTimes();
    const second = await answerTimes();
    assert.ok(first.every((t) => t >= 100 && t <= 9000), `answered within the range: ${first.join(',')}`);
    assert.deepEqual(second, first);
    await start({});
  });

  it('given a ringing leg, when the app hangs it up, then a soft hangup request is followed by ChannelDestroyed with the reason\'s cause', async () => {
    await start({ 'PJSIP/att1': { kind: 'ring' } });
    const { id } = await originate('PJSIP/att1');
    const r = await ariCall(sim, 'DELETE', `/channels/${id}?reason=no_answer`);
    assert.equal(r.status, 204);
    await settle(sim, events);
    assert.deepEqual(summary(events.events, id).slice(3), ['HangupRequest:32', 'Destroyed:19:User alerting, no answer']);
    const soft = events.events.find((e) => e.type === 'ChannelHangupRequest');
    assert.equal(soft?.soft, true);
  });
});
