// Faults on the real Asterisk, judged from the SIP side: the controller killed with calls up, its ARI
// WebSocket cut, and Asterisk itself restarted. No caller is lost to a controller fault, and after an
// Asterisk restart the switchboard serves the next call.
import assert from 'node:assert/strict';
import { site } from './support/hooks.ts';
import { siteConfig } from './support/configs.ts';
import { AST } from './support/asterisk.ts';
import { answeredCall } from './support/flows.ts';
import { SippCaller } from './support/sipp.ts';
import { sleep, until } from './support/site.ts';
import { Relay } from '../support/relay.ts';

/** the controller of `config` (att1 logged in) reaching ARI through a relay the test can cut or make hold requests */
async function controllerBehindRelay(s: ReturnType<typeof site>, config: Record<string, unknown>): Promise<Relay> {
  const relay = new Relay({ host: AST.host, port: AST.httpPort });
  await relay.start();
  const base = s.configFor(config) as { asterisk: { ari: Record<string, unknown> } };
  await s.startController({ ...config, asterisk: { ...base.asterisk, ari: { ...base.asterisk.ari, url: `http://${AST.host}:${relay.port}` } } }, ['att1']);
  return relay;
}

describe('real Asterisk: faults', () => {
  it('given two calls talking and one ringing, when the controller is killed (SIGKILL) and started again, then every caller is still connected and the next events are handled', async () => {
    const s = site();
    const config = siteConfig({ members: ['att1', 'att2', 'att3'], strategy: 'linear' });
    await s.startController(config, ['att1', 'att2', 'att3']);
    await s.phone('att3', { kind: 'ringing' });
    const a1 = await answeredCall(s, 'att1');
    const a2 = await answeredCall(s, 'att2');
    const t0 = Date.now();
    const ringing = await SippCaller.dial({ talkMs: 60_000 });
    await until('att3 rings', () => s.phones.att3.offers(t0).length === 1);
    await s.controller!.kill();
    await sleep(1500);
    assert.ok(a1.caller.connected() && a2.caller.connected() && ringing.inCall(), 'nobody was dropped while no controller ran');
    await s.phone('att3', { kind: 'answer', answerMs: 300 });
    const t1 = Date.now();
    await s.restartController(config);
    // the new controller takes back both conversations, and presents the third call again
    await s.callInState(a1.call.id, 'talking');
    await s.callInState(a2.call.id, 'talking');
    await until('att3 is rung again and answers', () => s.phones.att3.answered(t1).length === 1);
    await until('the third caller is connected with att3', () => ringing.answeredAt() !== undefined);
    assert.ok(a1.caller.connected() && a2.caller.connected() && ringing.connected(), 'all three callers connected');
    // a hang-up after the restart releases the set
    await s.api('POST', `/api/calls/${a1.call.id}/hangup`, { attendant: 'att1' });
    await until('att1 and its caller released', () => a1.caller.releasedAt() !== undefined && s.phones.att1.byes('in', t1).length === 1);
    assert.ok(a2.caller.connected(), 'the other call goes on');
  });

  it('given a call just presented, when the controller is killed as the set is offered it and the set answers while no controller runs, then the restarted controller connects the caller with a set', async () => {
    const s = site();
    const config = siteConfig({ members: ['att1'] });
    await s.startController(config, ['att1']);
    // the set answers 1 s after its INVITE: the controller is dead by then
    await s.phone('att1', { kind: 'answer', answerMs: 1000 });
    const t0 = Date.now();
    const caller = await SippCaller.dial({ talkMs: 60_000 });
    await until('att1 is offered the call', () => s.phones.att1.offers(t0).length === 1, 10_000);
    await s.controller!.kill();
    await until('att1 answered while no controller ran', () => s.phones.att1.answered(t0).length === 1);
    await sleep(500);
    assert.equal(caller.releasedAt(), undefined, 'the caller is still on the line');
    await s.restartController(config);
    const call = await s.callOf(caller.number);
    await s.callInState(call.id, 'talking');
    await sleep(1000);
    assert.ok(caller.connected(), 'the caller talks with the set');
    assert.ok((await s.asterisk.channels()).some((c) => c.id === call.id), 'the caller\'s channel is up in Asterisk');
    // whichever leg talks (the one answered while down, adopted, or a new one), exactly one set is in the call
    const bridged = (await s.asterisk.bridges()).filter((b) => b.channels.includes(call.id));
    assert.equal(bridged.length, 1, 'the caller is in one bridge');
    assert.equal(bridged[0]!.channels.length, 2, 'with one set');
  });

  it('given the set answered and the controller took the call, when it is killed before the caller and the set are bridged, then the restarted controller answers the caller and bridges the two', async () => {
    const s = site();
    const config = siteConfig({ members: ['att1'] });
    const relay = await controllerBehindRelay(s, config);
    try {
      await s.phone('att1', { kind: 'answer', answerMs: 300 });
      // the call bridge is the connect's first request: Asterisk never sees it, nor what follows on its socket
      const held = relay.holdRequestsWith('POST /ari/bridges/call-');
      const t0 = Date.now();
      const caller = await SippCaller.dial({ talkMs: 60_000 });
      await until('att1 answered', () => s.phones.att1.answered(t0).length === 1);
      await held;
      const call = await s.callOf(caller.number);
      await s.callInState(call.id, 'talking');
      await s.controller!.kill();
      await relay.cut();
      assert.ok(caller.inCall(), 'the caller is still on the line');
      assert.ok(!(await s.asterisk.bridges()).some((b) => b.channels.includes(call.id)), 'the caller is in no bridge yet');
      await s.restartController(config);
      await until('the caller is answered and connected', () => caller.connected(), 10_000);
      await until('caller and set in one bridge', async () => {
        const bridged = (await s.asterisk.bridges()).filter((b) => b.channels.includes(call.id));
        return bridged.length === 1 && bridged[0]!.channels.length === 2;
      }, 10_000);
      await s.callInState(call.id, 'talking');
      assert.equal(s.phones.att1.offers(t0).length, 1, 'the set was not rung again');
    } finally {
      await relay.cut();
    }
  });

  it('given the ARI WebSocket is cut while a call talks and its caller hangs up meanwhile, when ARI is back, then the set is released and the next call is presented', async () => {
    const s = site();
    const config = siteConfig({ members: ['att1'] });
    const relay = await controllerBehindRelay(s, config);
    try {
      const a = await answeredCall(s, 'att1', { talkMs: 2000 });
      const port = relay.port;
      await relay.cut();
      await until('the controller sees ARI down', async () => (await s.controller!.health())?.ari === false);
      await a.caller.finished();
      await sleep(500);
      await relay.start(port);
      await until('the controller is back on ARI', async () => (await s.controller!.health())?.ari === true, 20_000);
      await until('the set is released by the reconciliation', () => s.phones.att1.byes('in', a.at).length === 1, 10_000);
      await until('the call is closed', async () => (await s.call(a.call.id)) === undefined);
      const t1 = Date.now();
      await answeredCall(s, 'att1', { talkMs: 1000 });
      assert.ok(s.phones.att1.offers(t1).length === 1, 'the next call is presented');
    } finally {
      await relay.cut();
    }
  });

  it('given calls up, when Asterisk restarts (core restart), then it releases the callers, the positions are free again, and the next call is presented and answered', async function () {
    this.timeout(120_000);
    const s = site();
    await s.startController(siteConfig({ members: ['att1', 'att2'], strategy: 'linear' }), ['att1', 'att2']);
    const a = await answeredCall(s, 'att1');
    const b = await answeredCall(s, 'att2');
    await s.asterisk.restart();
    await until('Asterisk released the callers', () => a.caller.releasedAt() !== undefined && b.caller.releasedAt() !== undefined, 15_000);
    await until('the controller is back on ARI', async () => (await s.controller!.health())?.ari === true, 30_000);
    await until('no call left in the controller', async () => (await s.calls()).length === 0, 15_000);
    for (const id of ['att1', 'att2']) assert.equal((await s.attendant(id)).state, 'idle', `${id} free again`);
    const t1 = Date.now();
    // its caller talks long enough: the first presentation after a reconnect waits for the reconciliation
    await answeredCall(s, 'att1', { talkMs: 5000 });
    assert.equal(s.phones.att1.offers(t1).length, 1);
  });

  it('given calls up, when Asterisk crashes (SIGKILL) and starts again, then the controller counts the calls lost, frees the positions, and presents the next call', async function () {
    this.timeout(120_000);
    const s = site();
    await s.startController(siteConfig({ members: ['att1', 'att2'], strategy: 'linear' }), ['att1', 'att2']);
    const a = await answeredCall(s, 'att1');
    await s.asterisk.kill();
    await until('the controller sees ARI down', async () => (await s.controller!.health())?.ari === false);
    await s.asterisk.start();
    await until('the controller is back on ARI', async () => (await s.controller!.health())?.ari === true, 30_000);
    await until('no call left in the controller', async () => (await s.calls()).length === 0, 15_000);
    for (const id of ['att1', 'att2']) assert.equal((await s.attendant(id)).state, 'idle', `${id} free again`);
    const log = await s.api<{ entries: Array<{ action: string; result: string }> }>('GET', `/api/log?number=${a.caller.number}`);
    assert.ok(log.body.entries.some((e) => e.action === 'end' && e.result === 'lost'), `the call is counted lost: ${JSON.stringify(log.body.entries.map((e) => `${e.action}:${e.result}`))}`);
    // the caller's dialog died with Asterisk: its SIPp is stopped
    await a.caller.stop();
    const t1 = Date.now();
    // its caller talks long enough: the first presentation after a reconnect waits for the reconciliation
    await answeredCall(s, 'att1', { talkMs: 5000 });
    assert.equal(s.phones.att1.offers(t1).length, 1);
  });

  it('given a wrong ARI password, then the controller stays up, says so in /healthz and in one log line per retry, and connects as soon as Asterisk has that password', async function () {
    this.timeout(90_000);
    const s = site();
    const config = siteConfig({ members: ['att1'] });
    const base = s.configFor(config) as { asterisk: { ari: Record<string, unknown> } };
    const wrong = 'not-the-ari-password-yet';
    const c = await s.startController({ ...config, asterisk: { ...base.asterisk, ari: { ...base.asterisk.ari, password: wrong } } }, [], false);
    try {
      await until('/healthz says unauthorized', async () => {
        const h = (await c.health()) as { links?: { ari?: string } } | undefined;
        return h?.links?.ari === 'unauthorized';
      }, 20_000);
      await sleep(3000);
      assert.ok((await c.health()) !== undefined, 'the controller is still up');
      const refusals = c.logs.split('\n').filter((l) => l.includes('"level":50') && l.includes(AST.ariUser) && l.includes(`${AST.host}:${AST.httpPort}`));
      assert.ok(refusals.length >= 1, `a clear error line naming the user and the URL:\n${c.logs.split('\n').slice(-10).join('\n')}`);
      assert.ok(!c.logs.includes(wrong), 'the password itself is never logged');
      s.asterisk.setAriPassword(wrong);
      await until('connected with the password Asterisk now has', async () => (await c.health())?.ari === true, 40_000);
    } finally {
      s.asterisk.setAriPassword(AST.ariPassword);
    }
  });

  it('given an operator keys a transfer to a number outside the numbering plan, then nothing is rung and the call goes on', async () => {
    const s = site();
    await s.startController(siteConfig({ members: ['att1'] }), ['att1']);
    await s.phone('att1', { kind: 'keys', afterMs: 1500, keys: '*1123456789#' });
    const t0 = Date.now();
    const a = await answeredCall(s, 'att1');
    await until('the command is refused', () => s.controller!.logs.split('\n').some((l) => l.includes('keypad command refused') && /numbering plan/i.test(l)), 15_000);
    await sleep(500);
    assert.equal(s.provider.offers(t0).length, 0, 'nothing went out through the trunk');
    assert.equal((await s.call(a.call.id))?.state, 'talking', 'the call goes on');
    assert.ok(a.caller.connected() && s.phones.att1.activeCalls().length === 1, 'caller and set still talk');
  });
});
