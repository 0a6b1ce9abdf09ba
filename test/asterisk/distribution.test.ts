// Call distribution on the real Asterisk, judged from the SIP side: which set is offered each call
// (hunting strategies), what happens when a set does not answer or is busy, callers who give up,
// overflow, the distribution table's modes, and the dialplan's fallback when no controller runs.
import assert from 'node:assert/strict';
import { site } from './support/hooks.ts';
import { siteConfig } from './support/configs.ts';
import { answeredCall } from './support/flows.ts';
import { SippCaller } from './support/sipp.ts';
import { sleep, until, type PhoneName, type Site } from './support/site.ts';

/** the set that was offered the call from `caller`, by the caller number on the INVITE */
function offeredTo(s: Site, caller: SippCaller, sets: PhoneName[]): PhoneName[] {
  return sets.filter((p) => s.phones[p].offers().some((m) => m.from.includes(`<sip:${caller.number}@`) || m.from.includes(`"${caller.number}"`) || m.raw.includes(caller.number)));
}

/** one call after another, each answered and ended by the caller after talkMs; the set each went to */
async function sequence(s: Site, n: number, sets: PhoneName[], talkMs = 800): Promise<PhoneName[]> {
  const order: PhoneName[] = [];
  for (let i = 0; i < n; i++) {
    const caller = await SippCaller.dial({ talkMs });
    await until(`call ${i + 1} answered by a set`, () => offeredTo(s, caller, sets).length > 0 && caller.answeredAt() !== undefined);
    await caller.finished();
    const to = offeredTo(s, caller, sets);
    assert.equal(to.length, 1, `call ${i + 1} was offered to one set only (${to.join(', ')})`);
    order.push(to[0]!);
    // the set is idle again before the next call
    await until('every set is idle', async () => (await s.api<{ attendants: Array<{ state: string }> }>('GET', '/api/attendants')).body.attendants.every((a) => a.state !== 'busy' && a.state !== 'ringing'));
  }
  return order;
}

const THREE: PhoneName[] = ['att1', 'att2', 'att3'];

describe('real Asterisk: hunting strategies', () => {
  it('given ring-all, when a call arrives, then every idle set rings at once, the first to answer takes it and the others are cancelled', async () => {
    const s = site();
    await s.startController(siteConfig({ strategy: 'ring-all' }), ['att1', 'att2', 'att3']);
    await s.phone('att1', { kind: 'answer', answerMs: 2500 });
    await s.phone('att2', { kind: 'answer', answerMs: 800 });
    await s.phone('att3', { kind: 'answer', answerMs: 2500 });
    const t0 = Date.now();
    await SippCaller.dial({ talkMs: 5000 });
    await until('att2 answered', () => s.phones.att2.answered(t0).length === 1);
    for (const p of THREE) assert.equal(s.phones[p].offers(t0).length, 1, `${p} rang`);
    await until('att1 and att3 are cancelled', () => s.phones.att1.cancels(t0).length === 1 && s.phones.att3.cancels(t0).length === 1);
    assert.equal(s.phones.att1.answered(t0).length + s.phones.att3.answered(t0).length, 0, 'nobody else answered');
  });

  it('given longest-idle, then each call goes to the set idle the longest: att1, att2, att3, then att1 again', async () => {
    const s = site();
    await s.startController(siteConfig({ strategy: 'longest-idle' }), ['att1', 'att2', 'att3']);
    assert.deepEqual(await sequence(s, 4, THREE), ['att1', 'att2', 'att3', 'att1']);
  });

  it('given round-robin, then calls go round the members in order', async () => {
    const s = site();
    await s.startController(siteConfig({ strategy: 'round-robin' }), ['att1', 'att2', 'att3']);
    assert.deepEqual(await sequence(s, 4, THREE), ['att1', 'att2', 'att3', 'att1']);
  });

  it('given linear, then every call goes to the first idle member', async () => {
    const s = site();
    await s.startController(siteConfig({ strategy: 'linear' }), ['att1', 'att2', 'att3']);
    assert.deepEqual(await sequence(s, 3, THREE), ['att1', 'att1', 'att1']);
  });

  it('given fewest-calls, then each call goes to the set that answered the fewest', async () => {
    const s = site();
    await s.startController(siteConfig({ strategy: 'fewest-calls', members: ['att1', 'att2'] }), ['att1', 'att2']);
    assert.deepEqual(await sequence(s, 4, ['att1', 'att2']), ['att1', 'att2', 'att1', 'att2']);
  });

  it('given random, then each call rings exactly one member', async () => {
    const s = site();
    await s.startController(siteConfig({ strategy: 'random' }), ['att1', 'att2', 'att3']);
    const order = await sequence(s, 3, THREE);
    assert.ok(order.every((p) => THREE.includes(p)), order.join(','));
  });
});

describe('real Asterisk: no answer, busy, abandon', () => {
  it('given the first set does not answer within the ring timeout, then the call goes to the next, and a set that keeps ringing unanswered goes absent', async () => {
    const s = site();
    await s.startController(siteConfig({ strategy: 'linear', members: ['att1', 'att2'], ringTimeout: 2, absentAfter: 3 }), ['att1', 'att2']);
    await s.phone('att1', { kind: 'ringing' });
    const t0 = Date.now();
    const first = await answeredCall(s, 'att2', { talkMs: 4000 });
    assert.equal(s.phones.att1.offers(t0).length, 1, 'att1 was offered the call first');
    assert.equal(s.phones.att1.cancels(t0).length, 1, 'and cancelled after the ring timeout');
    assert.ok(first.at - t0 >= 1900, `att2 answered after the ring timeout (${first.at - t0} ms)`);
    await first.caller.finished();
    await until('att2 idle', async () => (await s.attendant('att2')).state === 'idle');
    // att1 has rung 2 s unanswered; the next call makes it absent after 1 s more of ringing
    const t1 = Date.now();
    await answeredCall(s, 'att2', { talkMs: 4000 });
    assert.equal((await s.attendant('att1')).state, 'absent');
    const rang = s.phones.att1.cancels(t1)[0]!.t - s.phones.att1.offers(t1)[0]!.t;
    assert.ok(rang >= 800 && rang < 1900, `att1 rang ${rang} ms before it went absent (absentAfter 3 s, 2 s already rung)`);
  });

  it('given the first set answers busy and another is idle, then the call goes to the other at once, the busy set offered it once', async () => {
    const s = site();
    await s.startController(siteConfig({ strategy: 'linear', members: ['att1', 'att2'] }), ['att1', 'att2']);
    await s.phone('att1', { kind: 'busy' });
    const t0 = Date.now();
    const a = await answeredCall(s, 'att2', { talkMs: 2000 });
    assert.equal(s.phones.att1.offers(t0).length, 1);
    assert.ok(a.at - t0 < 1500, `att2 answered ${a.at - t0} ms after the call arrived`);
  });

  it('given a caller who hangs up while the set rings, then the set is cancelled and the call counted abandoned', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'] }), ['att1']);
    await s.phone('att1', { kind: 'ringing' });
    const t0 = Date.now();
    // nobody answers it (it hears ringback): it gives up
    const caller = await SippCaller.dial({ giveUpMs: 1500 });
    await caller.finished();
    await until('att1 is cancelled', () => s.phones.att1.cancels(t0).length === 1);
    const log = await s.api<{ entries: Array<{ action: string; result: string; numbers: string[] }> }>('GET', `/api/log?number=${caller.number}`);
    assert.ok(log.body.entries.some((e) => e.action === 'end' && e.result === 'abandoned'), JSON.stringify(log.body.entries.map((e) => `${e.action}:${e.result}`)));
    assert.equal((await s.attendant('att1')).state, 'idle');
  });
});

describe('real Asterisk: overflow, modes and the fallback', () => {
  it('given a call waits longer than the overflow wait, then the overflow group\'s set is offered it and answers', async () => {
    const s = site();
    await s.startController(siteConfig({
      members: ['att1'],
      group: { overflow: { to: 'backup', waitSeconds: 2, mutualHelp: false } },
      groups: [{ id: 'backup', name: 'Backup', members: ['att3'], strategy: 'linear', ringTimeout: 15, table: { day: { type: 'group' } } }],
    }), ['att1', 'att3']);
    await s.phone('att1', { kind: 'ringing' });
    const t0 = Date.now();
    const a = await answeredCall(s, 'att3', { talkMs: 5000 });
    assert.ok(a.at - t0 >= 1900, `att3 answered after the overflow wait (${a.at - t0} ms)`);
    assert.equal(s.phones.att1.cancels(t0).length, 1, 'att1 stops ringing when the call leaves its group');
  });

  it('given the group forced to night, then a call goes to the night destination (extension 2000) through the dialplan', async () => {
    const s = site();
    await s.startController(siteConfig(), ['att1', 'att2', 'att3']);
    await s.api('PUT', '/api/groups/operators/override', { mode: 'night' });
    const t0 = Date.now();
    const caller = await SippCaller.dial({ talkMs: 1500 });
    await until('the night porter (ext2000) answers', () => s.phones.ext2000.answered(t0).length === 1);
    for (const p of THREE) assert.equal(s.phones[p].offers(t0).length, 0, `${p} did not ring`);
    assert.equal(await caller.finished(), 0);
  });

  it('given mode 1 sends calls to the backup group, then its set rings; mode 2 plays an announcement and hangs up', async () => {
    const s = site();
    await s.startController(siteConfig({
      group: { table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' }, mode1: { type: 'group', group: 'backup' }, mode2: { type: 'announcement', sound: 'beep' } } },
      groups: [{ id: 'backup', name: 'Backup', members: ['att3'], strategy: 'linear', table: { day: { type: 'group' } } }],
      members: ['att1', 'att2'],
    }), ['att1', 'att2', 'att3']);
    await s.api('PUT', '/api/groups/operators/override', { mode: 'mode1' });
    const t0 = Date.now();
    await answeredCall(s, 'att3', { talkMs: 800 });
    assert.equal(s.phones.att1.offers(t0).length + s.phones.att2.offers(t0).length, 0, 'the operators did not ring');
    await s.api('PUT', '/api/groups/operators/override', { mode: 'mode2' });
    const caller = await SippCaller.dial();
    await until('Asterisk hangs up on the caller after the announcement', () => caller.releasedAt() !== undefined);
    assert.ok(caller.answeredAt() !== undefined, 'the announcement was answered');
  });

  it('given no controller is connected, then the dialplan rings the attendant sets directly and one answers', async () => {
    const s = site();
    await s.stopController();
    const t0 = Date.now();
    await s.phone('att1', { kind: 'answer', answerMs: 500 });
    const caller = await SippCaller.dial({ talkMs: 1500 });
    await until('a set answered', () => THREE.some((p) => s.phones[p].answered(t0).length === 1));
    for (const p of THREE) assert.equal(s.phones[p].offers(t0).length, 1, `${p} rang (Dial of ATT_FALLBACK_DIAL)`);
    assert.equal(await caller.finished(), 0);
  });

  it('given a call waits (delayed ring), when the operator takes the next call, then its set rings and answers', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'], extra: { classes: [{ id: 'external', priority: 5, delayedRing: 30 }, { id: 'recall', priority: 7 }] } }), ['att1']);
    const t0 = Date.now();
    const caller = await SippCaller.dial({ talkMs: 4000 });
    const call = await s.callOf(caller.number);
    await sleep(500);
    assert.equal(s.phones.att1.offers(t0).length, 0, 'nothing rings during the delay');
    const r = await s.api<{ callId: string }>('POST', '/api/calls/answer-next', { attendant: 'att1' });
    assert.equal(r.body.callId, call.id);
    await until('att1 answered', () => s.phones.att1.answered(t0).length === 1);
    await s.callInState(call.id, 'talking');
  });
});
