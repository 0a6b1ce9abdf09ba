// The SIP phone as the attendant set, on the real Asterisk: feature codes dialled from the set (a set
// that registers with its password among them), keypad commands during a call (RFC 4733 DTMF), the
// set's own transfer key (REFER), a pick-up on the set's own call, and the BLF states Asterisk shows.
import assert from 'node:assert/strict';
import { site } from './support/hooks.ts';
import { siteConfig } from './support/configs.ts';
import { AST, PLACEHOLDER_VALUES } from './support/asterisk.ts';
import { answeredCall } from './support/flows.ts';
import { SippCaller, freeUdpPort, registerSet } from './support/sipp.ts';
import { sleep, until, type Site } from './support/site.ts';

const ATT1 = { endpoint: 'att1', password: PLACEHOLDER_VALUES.ATTENDANT_SIP_ATT1_PASSWORD! };

/** the set dials a feature code: Asterisk answers it, the controller acts, a tone, then Asterisk hangs up */
async function dialCode(code: string, phone = ATT1, port?: number): Promise<SippCaller> {
  const c = await SippCaller.dial({ phone, did: code, ...(port ? { port } : {}) });
  assert.equal(await c.finished(), 0, `${code}: the call went through`);
  assert.ok(c.answeredAt() !== undefined && c.releasedAt() !== undefined, `${code}: answered, then hung up by Asterisk (tone played)`);
  return c;
}

async function stateOf(s: Site, id: string): Promise<string> {
  return (await s.attendant(id)).state;
}

describe('real Asterisk: feature codes of the attendant set', () => {
  it('given att1 logged out, when its set dials *50, *52, *53 and *51, then it is logged in, in DND, back, and logged out', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'] }));
    assert.equal(await stateOf(s, 'att1'), 'unplugged');
    await dialCode('*50');
    assert.equal(await stateOf(s, 'att1'), 'idle');
    await dialCode('*52');
    assert.equal(await stateOf(s, 'att1'), 'dnd');
    await dialCode('*53');
    assert.equal(await stateOf(s, 'att1'), 'idle');
    await dialCode('*51');
    assert.equal(await stateOf(s, 'att1'), 'unplugged');
  });

  it('given att4\'s set registers with its password, when it dials *50, then Asterisk has its contact and the position is logged in', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att4'] }));
    const port = await freeUdpPort(AST.host);
    const phone = { endpoint: 'att4', password: PLACEHOLDER_VALUES.ATTENDANT_SIP_ATT4_PASSWORD! };
    assert.equal(await registerSet(phone.endpoint, phone.password, port), 0, 'registered');
    assert.match(s.asterisk.cli('pjsip show contacts'), new RegExp(`att4/sip:att4@127\\.0\\.0\\.1:${port}`));
    await dialCode('*50', phone, port);
    assert.equal(await stateOf(s, 'att4'), 'idle');
  });

  it('given a call waiting for the group, when the set dials *59, then that call is connected on the set\'s own call', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'], extra: { classes: [{ id: 'external', priority: 5, delayedRing: 60 }, { id: 'recall', priority: 7 }] } }), ['att1']);
    const t0 = Date.now();
    const caller = await SippCaller.dial({ talkMs: 8000 });
    const call = await s.callOf(caller.number);
    const set = await SippCaller.dial({ phone: ATT1, did: '*59', talkMs: 3000 });
    await s.callInState(call.id, 'talking');
    assert.equal(s.phones.att1.offers(t0).length, 0, 'nothing was rung: the set\'s own call took it');
    await sleep(500);
    assert.ok(caller.connected() && set.connected(), 'caller and set are in the call');
  });
});

describe('real Asterisk: the set during a call', () => {
  it('given att1 talking, when it keys *1201# (RFC 4733), then the call is blind-transferred to 201 and the set released', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'] }), ['att1']);
    await s.phone('att1', { kind: 'keys', afterMs: 1500, keys: '*1201#' });
    const t0 = Date.now();
    const a = await answeredCall(s, 'att1');
    await until('201 is offered the call and answers', () => s.phones.ext201.answered(t0).length === 1, 15_000);
    await until('the set is released', () => s.phones.att1.byes('in', t0).length === 1);
    await sleep(300);
    assert.ok(a.caller.connected(), 'the caller talks to 201');
  });

  it('given att1 talking, when it presses its transfer key to 201 (REFER), then the caller talks to 201 and the set is out of the call', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'] }), ['att1']);
    await s.phone('att1', { kind: 'refer', afterMs: 1500, to: '201' });
    const t0 = Date.now();
    const a = await answeredCall(s, 'att1');
    await until('201 is offered the call and answers', () => s.phones.ext201.answered(t0).length === 1, 15_000);
    await until('the set is out of the call', () => s.phones.att1.activeCalls().length === 0);
    const refer = s.phones.att1.messages().filter((m) => m.dir === 'in' && m.status === 202);
    assert.equal(refer.length, 1, 'the REFER was accepted');
    await sleep(300);
    assert.ok(a.caller.connected(), 'the caller talks to 201');
  });
});

describe('real Asterisk: BLF states of the positions', () => {
  it('given att1 logs in, is rung, answers and logs out, then Stasis:att1 and its hint follow: not in use, ringing, in use, unavailable', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'] }));
    const device = async () => ((await s.asterisk.ari('GET', '/deviceStates/Stasis:att1')).body as { state: string }).state;
    const hint = () => /Stasis:att1\s+State:(\S+)/.exec(s.asterisk.cli('core show hint att1'))?.[1];
    await s.api('PUT', '/api/attendants/att1/state', { action: 'login' });
    await until('NOT_INUSE', async () => (await device()) === 'NOT_INUSE');
    assert.equal(hint(), 'Idle');
    await s.phone('att1', { kind: 'answer', answerMs: 1500 });
    const caller = await SippCaller.dial({ talkMs: 4000 });
    await until('RINGING', async () => (await device()) === 'RINGING');
    assert.equal(hint(), 'Ringing');
    await until('INUSE', async () => (await device()) === 'INUSE');
    assert.equal(hint(), 'InUse');
    await caller.finished();
    await until('NOT_INUSE again', async () => (await device()) === 'NOT_INUSE');
    await s.api('PUT', '/api/attendants/att1/state', { action: 'logout' });
    await until('UNAVAILABLE', async () => (await device()) === 'UNAVAILABLE');
    assert.equal(hint(), 'Unavailable');
  });
});
