// Authentication and roles, route by route from the route table itself: no route can be added
// without this test calling it without credentials, with bad ones, below and at its role.
import assert from 'node:assert/strict';
import { apiResources } from '../../lib/api/index.ts';
import type { ApiRoute } from '../../lib/api/route.ts';
import type { Harness } from '../support/harness.ts';
import { KEYS, PASSWORDS, startApiHarness, type Api, type ErrorReply, type UserName } from './support.ts';

function concretePath(r: ApiRoute): string {
  const id = r.path.startsWith('/api/attendants') ? 'att1' : r.path.startsWith('/api/groups') ? 'operators' : 'x1';
  return r.path.replace('{id}', id).replace('{slot}', '1').replace('{number}', '200').replace('{sessionId}', 's1');
}

const USERS: Record<'operator' | 'supervisor' | 'admin', UserName> = { operator: 'alice', supervisor: 'sam', admin: 'root' };
const RANK = { public: 0, operator: 1, supervisor: 2, admin: 3 } as const;

describe('API access control, every route', function () {
  this.timeout(30_000);
  let h: Harness;
  let api: Api;
  const routes = apiResources().flatMap((r) => r.routes);
  before(async () => { ({ h, api } = await startApiHarness()); });
  after(async () => { await h.stop(); });

  async function call(r: ApiRoute, auth: { token?: string; apiKey?: string }) {
    const body = r.method === 'get' ? undefined : {};
    return api.request<ErrorReply>(r.method.toUpperCase(), concretePath(r), { ...auth, ...(body ? { body } : {}) });
  }

  it('given no credentials, when any non-public route is called, then it answers 401 unauthorized with a WWW-Authenticate header', async () => {
    for (const r of routes.filter((x) => x.access !== 'public')) {
      const res = await call(r, {});
      assert.equal(res.status, 401, `${r.method} ${r.path}`);
      assert.equal(res.body.error.code, 'unauthorized');
      assert.match(res.headers.get('www-authenticate') ?? '', /Bearer/);
    }
  });

  it('given a made-up token or API key, when any non-public route is called, then it answers 401', async () => {
    for (const r of routes.filter((x) => x.access !== 'public')) {
      assert.equal((await call(r, { token: 'A'.repeat(43) })).status, 401, `${r.method} ${r.path} (token)`);
      assert.equal((await call(r, { token: 'not a token at all' })).status, 401, `${r.method} ${r.path} (garbage)`);
      assert.equal((await call(r, { apiKey: 'wrong-key' })).status, 401, `${r.method} ${r.path} (api key)`);
    }
  });

  it('given the public routes (login, health, OpenAPI, metrics), when called without credentials, then they answer', async () => {
    const publicRoutes = routes.filter((x) => x.access === 'public').map((r) => `${r.method} ${r.path}`).sort();
    // /metrics checks a token of its own (metrics.token), not a login: test/integration/metrics.test.ts
    assert.deepEqual(publicRoutes, ['get /api/openapi.json', 'get /healthz', 'get /metrics', 'post /api/session/login']);
    assert.equal((await api.request('GET', '/healthz')).status, 200);
    assert.equal((await api.request('GET', '/api/openapi.json')).status, 200);
    assert.equal((await api.request('GET', '/')).status, 200, 'the console page');
    assert.equal((await api.request('GET', '/js/main.js')).status, 200, 'the console script');
  });

  it('given each role, when it calls a route above it, then 403 forbidden; at or above it, then neither 401 nor 403', async () => {
    for (const r of routes.filter((x) => x.access !== 'public')) {
      for (const [role, user] of Object.entries(USERS) as Array<[keyof typeof USERS, UserName]>) {
        // logout ends the session it is called with: give it a fresh one
        const token = r.path === '/api/session/logout' ? (await api.request<{ token: string }>('POST', '/api/session/login', { body: { name: user, password: PASSWORDS[user] } })).body.token : await api.login(user);
        const res = await call(r, { token });
        if (RANK[role] < RANK[r.access]) {
          assert.equal(res.status, 403, `${role} on ${r.method} ${r.path}: ${res.text}`);
          assert.equal(res.body.error.code, 'forbidden');
        } else {
          assert.ok(res.status !== 401 && res.status !== 403, `${role} on ${r.method} ${r.path}: ${res.status} ${res.text}`);
        }
      }
    }
  });

  it('given API keys, when an operator key and a supervisor key call a supervisor route, then the first is refused and the second allowed', async () => {
    const put = { body: { mode: 'night' } };
    assert.equal((await api.request('PUT', '/api/groups/operators/override', { apiKey: KEYS.reader, ...put })).status, 403);
    const ok = await api.request<{ override: string }>('PUT', '/api/groups/operators/override', { apiKey: KEYS.integration, ...put });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.override, 'night');
    assert.equal((await api.request('DELETE', '/api/groups/operators/override', { apiKey: KEYS.integration })).status, 200);
  });

  it('given an operator, when they act at another position (path or body), then 403; a supervisor may', async () => {
    const other = await api.as<ErrorReply>('alice', 'PUT', '/api/attendants/att2/state', { action: 'dnd', on: true });
    assert.equal(other.status, 403);
    assert.equal(h.attendant('att2').state, 'idle');
    const viaBody = await api.as<ErrorReply>('alice', 'POST', '/api/calls/answer-next', { attendant: 'att2' });
    assert.equal(viaBody.status, 403);
    const sup = await api.as<{ state: string }>('sam', 'PUT', '/api/attendants/att2/state', { action: 'dnd', on: true });
    assert.equal(sup.status, 200);
    assert.equal(sup.body.state, 'dnd');
    assert.equal((await api.as('sam', 'PUT', '/api/attendants/att2/state', { action: 'dnd', on: false })).status, 200);
  });

  it('given an admin-only configuration read, when a supervisor asks, then 403; an admin gets it with every secret redacted', async () => {
    assert.equal((await api.as('sam', 'GET', '/api/config')).status, 403);
    const r = await api.as<{ users: Array<{ passwordHash: string }>; apiKeys: Array<{ sha256: string }>; asterisk: { ari: { password: string } } }>('root', 'GET', '/api/config');
    assert.equal(r.status, 200);
    assert.ok(r.body.users.every((u) => u.passwordHash === '[redacted]'), 'r.body.users.every((u) => u.passwordHash === \'[redacted]\')');
    assert.ok(r.body.apiKeys.every((k) => k.sha256 === '[redacted]'), 'r.body.apiKeys.every((k) => k.sha256 === \'[redacted]\')');
    assert.equal(r.body.asterisk.ari.password, '[redacted]');
    assert.doesNotMatch(r.text, /scrypt\$/);
    assert.ok(!r.text.includes(h.config.asterisk.ari.password), '!r.text.includes(h.config.asterisk.ari.password)');
  });
});
