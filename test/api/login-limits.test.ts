// Login hardening over real HTTP on loopback, with the real Redis: a slot is taken per attempt before
// the password hash, so parallel bursts are limited; an attack on a name slows the attacker without
// locking the owner out; X-Forwarded-For counts only from a proxy named in http.trustProxy; the
// counts live in the store (a restarted controller, or a second one, counts on); /healthz stays
// answered during a flood. Clients come from several loopback addresses (127.0.0.x) to be several
// machines.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createStore } from '../../lib/store/index.ts';
import { apiDeps, createApp } from '../../lib/api/index.ts';
import { createLogger } from '../../lib/log.ts';
import type { Harness, HarnessOptions } from '../support/harness.ts';
import { PASSWORDS, startApiHarness } from './support.ts';

interface Answer { status: number; retryAfter: number | undefined; body: { token?: string; error?: { code: string } } }

/** POST /api/session/login from a given loopback address (and headers), on `port` */
function loginFrom(port: number, address: string, name: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
  const body = JSON.stringify({ name, password });
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1', port, localAddress: address, method: 'POST', path: '/api/session/login',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close', ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { text += c; });
      res.on('end', () => {
        const ra = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: ra === undefined ? undefined : Number(ra), body: text ? JSON.parse(text) as Answer['body'] : {} });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const count = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;

describe('API login limits', function () {
  this.timeout(60_000);
  let h: Harness | undefined;
  const start = async (opts: Partial<HarnessOptions> = {}) => {
    ({ h } = await startApiHarness(opts));
    return h.controller.httpPort;
  };
  afterEach(async () => { await h?.stop(); h = undefined; });

  it('given 200 wrong passwords for one name sent at once from one address, then the first five are checked (401) and the other 195 are 429, and the right password after them is 429 too', async () => {
    const port = await start();
    const burst = await Promise.all(Array.from({ length: 200 }, (_, i) => loginFrom(port, '127.0.0.1', 'bob', `guess-${i}`)));
    assert.deepEqual([count(burst, 401), count(burst, 429), count(burst, 200)], [5, 195, 0]);
    for (const a of burst.filter((x) => x.status === 429)) {
      assert.equal(a.body.error?.code, 'too_many_attempts');
      assert.ok(a.retryAfter !== undefined && a.retryAfter >= 1 && a.retryAfter <= 60, `Retry-After ${a.retryAfter}`);
    }
    const right = await loginFrom(port, '127.0.0.1', 'bob', PASSWORDS.bob);
    assert.equal(right.status, 429);
  });

  it('given a burst of 40 from one address with the right password sent last, then it does not log in', async () => {
    const port = await start();
    const wrong = Array.from({ length: 39 }, (_, i) => loginFrom(port, '127.0.0.1', 'alice', `guess-${i}`));
    const last = loginFrom(port, '127.0.0.1', 'alice', PASSWORDS.alice);
    const all = await Promise.all([...wrong, last]);
    assert.equal(count(all, 200), 0);
    assert.equal((await last).status, 429);
  });

  it('given alice logged in before from her desk, when her name is attacked from one address and from thirty others, then the attackers are slowed (429) and alice still logs in from her desk; from a new address she waits at most maxDelay', async () => {
    const port = await start({ http: { login: { maxDelay: 8 } } });
    const desk = '127.0.0.2';
    assert.equal((await loginFrom(port, desk, 'alice', PASSWORDS.alice)).status, 200);

    const single = await Promise.all(Array.from({ length: 30 }, (_, i) => loginFrom(port, '127.0.0.3', 'alice', `guess-${i}`)));
    assert.deepEqual([count(single, 401), count(single, 429)], [5, 25], 'one address: five tries a window at one name');
    const botnet = await Promise.all(Array.from({ length: 30 }, (_, i) => loginFrom(port, `127.0.0.${10 + i}`, 'alice', `bot-${i}`)));
    // one try per back-off window (1 s, 2 s, 4 s ...): a burst spread over a loaded machine's few seconds lets through at most three
    assert.ok(count(botnet, 401) <= 3, `thirty addresses: the name's back-off lets only a few tries through (${count(botnet, 401)})`);
    assert.equal(count(botnet, 401) + count(botnet, 429), 30);
    for (const a of botnet.filter((x) => x.status === 429)) assert.ok(a.retryAfter! <= 8, `never more than maxDelay: ${a.retryAfter}`);

    const owner = await loginFrom(port, desk, 'alice', PASSWORDS.alice);
    assert.equal(owner.status, 200, 'the owner at an address she logged in from is not locked out');
    assert.ok(owner.body.token, 'a token for the owner');
    // another name from an attacking address is not affected by the attack on alice
    assert.equal((await loginFrom(port, '127.0.0.11', 'bob', PASSWORDS.bob)).status, 200);

    const elsewhere = await loginFrom(port, '127.0.0.99', 'alice', PASSWORDS.alice);
    if (elsewhere.status === 429) {
      assert.ok(elsewhere.retryAfter! <= 8, `a short wait, not a lock: ${elsewhere.retryAfter}`);
      await new Promise((r) => setTimeout(r, elsewhere.retryAfter! * 1000 + 100));
      assert.equal((await loginFrom(port, '127.0.0.99', 'alice', PASSWORDS.alice)).status, 200);
    } else {
      assert.equal(elsewhere.status, 200);
    }
  });

  it('given http.trustProxy names the proxy, when clients behind it fail, then each forwarded address counts apart; without it the header is ignored', async () => {
    const behind = (port: number, client: string, password: string) => loginFrom(port, '127.0.0.1', 'bob', password, { 'x-forwarded-for': client });
    let port = await start({ http: { trustProxy: ['127.0.0.1'] } });
    for (let i = 0; i < 5; i++) assert.equal((await behind(port, '198.51.100.7', `guess-${i}`)).status, 401);
    assert.equal((await behind(port, '198.51.100.7', PASSWORDS.bob)).status, 429, 'the failing client is limited');
    assert.equal((await behind(port, '198.51.100.8', PASSWORDS.bob)).status, 200, 'another operator behind the same proxy is not');
    // a client cannot pick its address by sending the header itself from an untrusted address
    for (let i = 0; i < 5; i++) assert.equal((await loginFrom(port, '127.0.0.5', 'sam', `guess-${i}`, { 'x-forwarded-for': `203.0.113.${i}` })).status, 401);
    assert.equal((await loginFrom(port, '127.0.0.5', 'sam', PASSWORDS.sam, { 'x-forwarded-for': '203.0.113.99' })).status, 429);
    await h!.stop();

    port = await start();
    for (let i = 0; i < 5; i++) assert.equal((await behind(port, `198.51.100.${i}`, `guess-${i}`)).status, 401);
    assert.equal((await behind(port, '198.51.100.8', PASSWORDS.bob)).status, 429, 'no proxy trusted: every request is the socket\'s address');
  });

  it('given failures counted, when the controller restarts on the same store, then it counts on from there', async () => {
    const port = await start();
    for (let i = 0; i < 5; i++) assert.equal((await loginFrom(port, '127.0.0.4', 'sam', `guess-${i}`)).status, 401);
    await h!.restartController();
    assert.equal((await loginFrom(h!.controller.httpPort, '127.0.0.4', 'sam', PASSWORDS.sam)).status, 429);
  });

  it('given a second controller\'s API on the same Redis, when attempts are split between the two, then they count together', async function () {
    if (!process.env.REDIS_URL) this.skip();
    const port = await start();
    const prefix = (h!.store as unknown as { keys: { prefix: string } }).keys.prefix;
    const store2 = await createStore({ url: process.env.REDIS_URL!, prefix }, h!.time);
    const app = createApp(apiDeps({
      switchboard: h!.switchboard, store: store2, config: h!.config, log: createLogger('silent'), time: h!.time, operations: h!.switchboard.operations,
      health: { ariConnected: () => true, storePing: () => store2.ping(), storeBacklog: () => 0 },
    }));
    const other = await new Promise<import('node:http').Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    try {
      const port2 = (other.address() as { port: number }).port;
      const tries = await Promise.all(Array.from({ length: 10 }, (_, i) => loginFrom(i % 2 ? port : port2, '127.0.0.6', 'root', `guess-${i}`)));
      assert.deepEqual([count(tries, 401), count(tries, 429)], [5, 5]);
    } finally {
      await new Promise((r) => other.close(r));
      await store2.close();
    }
  });

  it('given 200 logins at once from many addresses, when /healthz is asked meanwhile, then it answers while the hashes wait their turn', async () => {
    const port = await start({ http: { login: { perAddress: 1000, perUser: 1000 } } });
    const flood = Promise.all(Array.from({ length: 200 }, (_, i) => loginFrom(port, `127.0.1.${1 + (i % 200)}`, `user${i}`, 'flood-flood')));
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    const took = performance.now() - started;
    assert.equal(health.status, 200);
    // generous: the point is that it answers during the flood (measured figures are in docs/security.md)
    assert.ok(took < 2000, `/healthz took ${took.toFixed(0)} ms`);
    const answers = await flood;
    assert.equal(count(answers, 401) + count(answers, 429), 200, 'each answered: wrong, or too many at once');
    assert.equal(answers.filter((a) => a.status >= 500).length, 0);
  });
});
