// Logging in and out, token life, the login rate limits, and the shift change at a position.
import assert from 'node:assert/strict';
import type { Harness } from '../support/harness.ts';
import { Api, KEYS, PASSWORDS, startApiHarness, type ErrorReply } from './support.ts';

interface TokenReply { token: string; expiresAt: number; user: { name: string; role: string; attendant?: string } }

describe('API session', function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  let api: Api;
  beforeEach(async () => { ({ h, api } = await startApiHarness()); });
  afterEach(async () => { await h?.stop(); h = undefined; });

  const login = (name: string, password: string) => api.request<TokenReply & ErrorReply>('POST', '/api/session/login', { body: { name, password } });

  it('given a configured operator, when they log in with the right password, then they get an opaque token that works until they log out', async () => {
    const r = await login('alice', PASSWORDS.alice);
    assert.equal(r.status, 200);
    assert.match(r.body.token, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(r.body.user, { name: 'alice', role: 'operator', attendant: 'att1' });
    assert.equal(r.body.expiresAt, h!.time.now() + 12 * 3600_000);
    const me = await api.request<{ user: { name: string }; kind: string }>('GET', '/api/session', { token: r.body.token });
    assert.equal(me.status, 200);
    assert.deepEqual([me.body.user.name, me.body.kind], ['alice', 'user']);
    assert.equal((await api.request('POST', '/api/session/logout', { token: r.body.token })).status, 204);
    const after = await api.request<ErrorReply>('GET', '/api/session', { token: r.body.token });
    assert.equal(after.status, 401);
    assert.equal(after.body.error.code, 'unauthorized');
  });

  it('given tokens in use, when the controller restarts, then they still work (a shift change\'s position kept) until they expire, logged-out ones do not, and the store holds no token', async () => {
    const aliceToken = await api.login('alice');
    const shift = await api.request<TokenReply>('POST', '/api/session/shift-change', { token: aliceToken, body: { name: 'bob', password: PASSWORDS.bob } });
    assert.equal(shift.status, 200, shift.text);
    const bobToken = shift.body.token;
    const samToken = await api.login('sam');
    assert.equal((await api.request('POST', '/api/session/logout', { token: samToken })).status, 204);
    await h!.settle();

    await h!.restartController();
    api = Api.of(h!);
    const me = await api.request<{ user: { name: string; attendant?: string } }>('GET', '/api/session', { token: bobToken });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(me.body.user, { name: 'bob', role: 'operator', attendant: 'att1' });
    assert.equal((await api.request('GET', '/api/session', { token: aliceToken })).status, 401, 'ended by the shift change');
    assert.equal((await api.request('GET', '/api/session', { token: samToken })).status, 401, 'logged out');
    const stored = await h!.store.listDocs('session');
    assert.equal(stored.length, 1);
    assert.ok(!JSON.stringify(stored).includes(bobToken), 'only the token\'s digest is stored');

    h!.time.advance(12 * 3600_000);
    assert.equal((await api.request('GET', '/api/session', { token: bobToken })).status, 401, 'it still expires');
    await h!.settle();
    assert.deepEqual(await h!.store.listDocs('session'), []);
  });

  it('given a wrong password or an unknown user, when they log in, then 401 invalid_credentials tells neither apart', async () => {
    const wrong = await login('alice', 'not-her-password');
    const unknown = await login('mallory', 'whatever-it-is');
    assert.deepEqual([wrong.status, unknown.status], [401, 401]);
    assert.deepEqual(wrong.body, unknown.body);
    assert.equal(wrong.body.error.code, 'invalid_credentials');
  });

  it('given malformed logins, when they are sent, then 400 names the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ password: 'x' }, 'body.name'],
      [{ name: 'alice' }, 'body.password'],
      [{ name: 42, password: 'x' }, 'body.name'],
      [{ name: 'alice', password: '' }, 'body.password'],
      [{ name: 'a'.repeat(65), password: 'x' }, 'body.name'],
      [{ name: 'alice', password: 'x', remember: true }, 'body.remember'],
      [[], 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await api.request<ErrorReply>('POST', '/api/session/login', { body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'invalid_request');
      assert.equal(r.body.error.field, field, JSON.stringify(body));
    }
  });

  // the windows are the store's own (Redis TTLs): a short window instead of moving the test clock
  /** a login window of real seconds: long enough for the failed attempts to land inside it on a loaded machine */
  const shortWindow = async (window = 3) => {
    await h?.stop();
    ({ h, api } = await startApiHarness({ http: { login: { window } } }));
  };
  /** real time: until the window a 429 names has passed */
  const waitOut = (limited: { headers: Headers }) => new Promise((r) => setTimeout(r, Number(limited.headers.get('retry-after')) * 1000 + 100));

  it('given five failed logins for one name from an address, when the right password follows, then 429 with Retry-After, and once the window has passed it works', async () => {
    await shortWindow();
    for (let i = 0; i < 5; i++) assert.equal((await login('bob', `guess-${i}`)).status, 401);
    const limited = await login('bob', PASSWORDS.bob);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'too_many_attempts');
    assert.ok(Number(limited.headers.get('retry-after')) > 0, 'Number(limited.headers.get(\'retry-after\')) > 0');
    // another user from the same address is not locked out by bob's failures
    assert.equal((await login('alice', PASSWORDS.alice)).status, 200);
    await waitOut(limited);
    assert.equal((await login('bob', PASSWORDS.bob)).status, 200);
  });

  it('given twenty failed logins from one address across many names, when anyone logs in from it, then 429 until the window has passed', async () => {
    // twenty password hashes at once took longer than 3 s on a loaded machine: the window had passed
    await shortWindow(10);
    const tries = await Promise.all(Array.from({ length: 20 }, (_, i) => login(`user${i}`, 'guess-guess')));
    assert.deepEqual(tries.map((t) => t.status), Array(20).fill(401));
    const limited = await login('alice', PASSWORDS.alice);
    assert.equal(limited.status, 429);
    await waitOut(limited);
    assert.equal((await login('alice', PASSWORDS.alice)).status, 200);
  });

  it('given a token, when twelve hours pass, then it has expired', async () => {
    const token = await api.login('alice');
    h!.time.advance(12 * 3600_000 - 1);
    assert.equal((await api.request('GET', '/api/session', { token })).status, 200);
    h!.time.advance(1);
    assert.equal((await api.request('GET', '/api/session', { token })).status, 401);
  });

  it('given an API key, when it asks who it is, then it is named with its role, and it has no session to log out', async () => {
    const me = await api.request<{ user: { name: string; role: string }; kind: string }>('GET', '/api/session', { apiKey: KEYS.integration });
    assert.deepEqual([me.body.user.name, me.body.user.role, me.body.kind], ['integration', 'supervisor', 'apiKey']);
    const out = await api.request<ErrorReply>('POST', '/api/session/logout', { apiKey: KEYS.integration });
    assert.equal(out.status, 409);
    assert.equal(out.body.error.code, 'no_session');
  });

  describe('shift change', () => {
    it('given alice at att1, when bob takes over with his password, then att1 is logged out and in again for bob, alice\'s token ends and bob\'s works at att1', async () => {
      const aliceToken = await api.login('alice');
      const before = h!.attendant('att1');
      assert.equal(before.state, 'idle');
      h!.time.advance(5_000);
      const r = await api.request<TokenReply>('POST', '/api/session/shift-change', { token: aliceToken, body: { name: 'bob', password: PASSWORDS.bob } });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body.user, { name: 'bob', role: 'operator', attendant: 'att1' });
      const att1 = h!.attendant('att1');
      assert.equal(att1.state, 'idle');
      assert.equal(att1.loginUser, 'bob');
      assert.equal(att1.loggedInAt, h!.time.now());
      assert.equal((await api.request('GET', '/api/session', { token: aliceToken })).status, 401);
      // bob now acts at att1 (not at his configured att2)
      const dnd = await api.request<{ id: string; state: string }>('PUT', '/api/attendants/att1/state', { token: r.body.token, body: { action: 'dnd', on: true } });
      assert.deepEqual([dnd.status, dnd.body.state], [200, 'dnd']);
      await h!.settle();
      const log = await api.as<{ entries: Array<{ action: string; operator: string; detail?: Record<string, string> }> }>('sam', 'GET', '/api/log?operator=att1');
      const entry = log.body.entries.find((e) => e.action === 'shift-change');
      assert.deepEqual(entry?.detail, { from: 'alice', to: 'bob' });
    });

    it('given a wrong password for the incoming user, when the shift change is asked, then 401 and alice stays logged in at att1', async () => {
      const token = await api.login('alice');
      const r = await api.request<ErrorReply>('POST', '/api/session/shift-change', { token, body: { name: 'bob', password: 'nope-nope' } });
      assert.equal(r.status, 401);
      assert.equal((await api.request('GET', '/api/session', { token })).status, 200);
      assert.equal(h!.attendant('att1').state, 'idle');
    });

    it('given att1 ringing with a call, when a shift change is asked, then 409 position_busy and nothing changes', async () => {
      const token = await api.login('alice');
      h!.call();
      await h!.until('att1 rings', () => h!.attendant('att1').state === 'ringing');
      const r = await api.request<ErrorReply>('POST', '/api/session/shift-change', { token, body: { name: 'bob', password: PASSWORDS.bob } });
      assert.equal(r.status, 409);
      assert.equal(r.body.error.code, 'position_busy');
      assert.equal(h!.attendant('att1').state, 'ringing');
    });

    it('given a login without a position or an API key, when a shift change is asked, then 409 no_position', async () => {
      const token = await api.login('root');
      const r = await api.request<ErrorReply>('POST', '/api/session/shift-change', { token, body: { name: 'bob', password: PASSWORDS.bob } });
      assert.deepEqual([r.status, r.body.error.code], [409, 'no_position']);
      const k = await api.request<ErrorReply>('POST', '/api/session/shift-change', { apiKey: KEYS.integration, body: { name: 'bob', password: PASSWORDS.bob } });
      assert.equal(k.status, 409);
    });
  });
});
