// The controller's ARI REST client (lib/asterisk/ari-rest.ts) over real sockets: against the
// simulator it keeps Asterisk's status and message on a refusal, and a burst of requests shares a
// bounded set of kept-alive connections; against a silent or closed port it answers 504 / 503.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAriRest } from '../../lib/asterisk/ari-rest.ts';
import { AriError, isBridgeGone, isChannelGone } from '../../lib/asterisk/port.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { SIM_PASSWORD, SIM_USER } from '../support/sim-helpers.ts';

async function refusal(p: Promise<unknown>): Promise<AriError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AriError, `an AriError, not ${String(err)}`);
    return err;
  }
  assert.fail('the request was accepted');
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('ARI REST client (keep-alive, exact status)', function () {
  this.timeout(20_000);
  let sim: Simulator;
  beforeEach(async () => { sim = await startSimulator({ user: SIM_USER, password: SIM_PASSWORD }); });
  afterEach(async () => { await sim.stop(); });

  it('given a channel that does not exist, when it is answered, then the refusal carries 404 and Asterisk\'s message, and counts as a channel gone', async () => {
    const rest = createAriRest({ url: sim.url, user: SIM_USER, password: SIM_PASSWORD });
    const err = await refusal(rest.request('channels.answer', 'POST', '/channels/nobody/answer'));
    assert.equal(err.status, 404);
    assert.match(err.message, /Channel not found/);
    assert.ok(isChannelGone(err), 'a channel gone');
    assert.ok(!isBridgeGone(err), 'not a bridge gone');
    rest.close();
  });

  it('given a bridge, when a channel that does not exist is added, then 400 (a channel gone), and a bridge that does not exist answers 404 (a bridge gone)', async () => {
    const rest = createAriRest({ url: sim.url, user: SIM_USER, password: SIM_PASSWORD });
    await rest.request('bridges.createWithId', 'POST', '/bridges/b-1', { type: 'mixing' });
    const noChannel = await refusal(rest.request('bridges.addChannel', 'POST', '/bridges/b-1/addChannel', { channel: 'nobody' }));
    assert.equal(noChannel.status, 400);
    assert.ok(isChannelGone(noChannel) && !isBridgeGone(noChannel), 'a channel gone, not the bridge');
    const noBridge = await refusal(rest.request('bridges.addChannel', 'POST', '/bridges/b-2/addChannel', { channel: 'nobody' }));
    assert.equal(noBridge.status, 404);
    assert.ok(isBridgeGone(noBridge) && !isChannelGone(noBridge), 'the bridge gone, not a channel');
    const again = await refusal(rest.request('bridges.createWithId', 'POST', '/bridges/b-1', { type: 'mixing' }));
    assert.equal(again.status, 409);
    rest.close();
  });

  it('given a wrong password, then 401', async () => {
    const rest = createAriRest({ url: sim.url, user: SIM_USER, password: 'wrong' });
    assert.equal((await refusal(rest.request('channels.list', 'GET', '/channels'))).status, 401);
    rest.close();
  });

  it('given 200 requests at once, then they all succeed over at most maxSockets connections', async () => {
    let opened = 0;
    const counting = createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end('[]'); });
    counting.on('connection', () => { opened++; });
    const port = await listen(counting);
    const rest = createAriRest({ url: `http://127.0.0.1:${port}`, user: 'u', password: 'p', maxSockets: 4 });
    const answers = await Promise.all(Array.from({ length: 200 }, () => rest.request<unknown[]>('channels.list', 'GET', '/channels')));
    assert.ok(answers.every((a) => Array.isArray(a)), 'every answer a list');
    assert.ok(opened <= 4, `${opened} connections for 200 requests`);
    rest.close();
    await new Promise<void>((r) => counting.close(() => r()));
  });

  it('given a server that never answers, then 504 after the timeout; given a closed port, then 503', async () => {
    const silent = createServer(() => undefined);
    const port = await listen(silent);
    const rest = createAriRest({ url: `http://127.0.0.1:${port}`, user: 'u', password: 'p', timeoutMs: 200 });
    assert.equal((await refusal(rest.request('channels.list', 'GET', '/channels'))).status, 504);
    rest.close();
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
    const closed = createAriRest({ url: `http://127.0.0.1:${port}`, user: 'u', password: 'p' });
    assert.equal((await refusal(closed.request('channels.list', 'GET', '/channels'))).status, 503);
    closed.close();
  });
});
