// The HTTP edge: unknown routes and methods, JSON only, the body limit, security headers, CORS,
// and an unexpected failure answering 500 without a stack trace.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { apiDeps, createApp, pendingOperations, type ApiOptions } from '../../lib/api/index.ts';
import type { Operations } from '../../lib/calls/operations-port.ts';
import { createLogger } from '../../lib/log.ts';
import type { Harness } from '../support/harness.ts';
import { Api, PASSWORDS, startApiHarness, type ErrorReply } from './support.ts';

/** a second app over the harness's switchboard, with options the configuration cannot give yet */
async function standalone(h: Harness, opts: { options?: ApiOptions; operations?: Operations }): Promise<{ api: Api; server: Server; logs: string[] }> {
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const app = createApp(apiDeps({
    switchboard: h.switchboard, store: h.store, operations: opts.operations ?? pendingOperations(h.config), config: h.config,
    log: createLogger('info', sink), time: h.time,
    health: { ariConnected: () => true, storePing: async () => true, storeBacklog: () => 0 },
    ...(opts.options ? { options: opts.options } : {}),
  }));
  const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
  const port = (server.address() as { port: number }).port;
  return { api: new Api(`http://127.0.0.1:${port}`), server, logs };
}

describe('API HTTP edge', function () {
  this.timeout(30_000);
  let h: Harness;
  let api: Api;
  before(async () => { ({ h, api } = await startApiHarness()); });
  after(async () => { await h.stop(); });

  it('given an unknown API path, when called with a token, then 404 JSON; without one, 401 first', async () => {
    const r = await api.as<ErrorReply>('alice', 'GET', '/api/nothing/here');
    assert.deepEqual([r.status, r.body.error.code], [404, 'not_found']);
    assert.equal((await api.request('GET', '/api/nothing/here')).status, 401);
    const page = await api.request<ErrorReply>('GET', '/no-such-page.html');
    assert.deepEqual([page.status, page.body.error.code], [404, 'not_found']);
  });

  it('given a known path, when called with a method it does not have, then 405 with Allow', async () => {
    const r = await api.as<ErrorReply>('alice', 'DELETE', '/api/attendants/att1');
    assert.equal(r.status, 405);
    assert.equal(r.body.error.code, 'method_not_allowed');
    assert.equal(r.headers.get('allow'), 'GET, HEAD');
    assert.equal((await api.as('alice', 'PATCH', '/api/groups/operators/override', { mode: 'night' })).status, 405);
  });

  it('given a body that is not JSON, when posted, then 415; malformed JSON is 400 invalid_json', async () => {
    const token = await api.login('alice');
    const form = await api.request<ErrorReply>('POST', '/api/session/login', { raw: 'name=alice&password=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.deepEqual([form.status, form.body.error.code], [415, 'unsupported_media_type']);
    const text = await api.request<ErrorReply>('PUT', '/api/attendants/att1/state', { token, raw: 'logout', headers: { 'content-type': 'text/plain' } });
    assert.equal(text.status, 415);
    assert.equal(h.attendant('att1').state, 'idle');
    const broken = await api.request<ErrorReply>('PUT', '/api/attendants/att1/state', { token, raw: '{"action": "logout"' });
    assert.deepEqual([broken.status, broken.body.error.code], [400, 'invalid_json']);
    const scalar = await api.request<ErrorReply>('PUT', '/api/attendants/att1/state', { token, raw: '"logout"' });
    assert.equal(scalar.status, 400);
  });

  it('given a body over 64 kB, when posted, then 413 and nothing is parsed', async () => {
    const r = await api.request<ErrorReply>('POST', '/api/session/login', { body: { name: 'alice', password: 'x'.repeat(70_000) } });
    assert.deepEqual([r.status, r.body.error.code], [413, 'payload_too_large']);
  });

  it('given a URL (or headers) longer than the parser takes, or malformed HTTP, when sent, then 431 (400) with a JSON error body, and the server goes on', async () => {
    const raw = (text: string) => new Promise<string>((resolve, reject) => {
      const sock = connect(h.controller.httpPort, '127.0.0.1', () => sock.end(text));
      let out = '';
      sock.on('data', (d) => { out += d.toString(); });
      sock.on('end', () => resolve(out));
      sock.on('error', reject);
    });
    const long = await raw(`GET /${'a'.repeat(20_000)} HTTP/1.1\r\nhost: x\r\n\r\n`);
    assert.match(long, /^HTTP\/1\.1 431 /);
    assert.match(long, /content-type: application\/json/);
    assert.deepEqual(JSON.parse(long.slice(long.indexOf('\r\n\r\n') + 4)).error.code, 'headers_too_large');
    const viaFetch = await api.request<ErrorReply>('GET', `/api/directory?q=${'b'.repeat(17_000)}`);
    assert.deepEqual([viaFetch.status, viaFetch.body.error.code], [431, 'headers_too_large']);
    const junk = await raw('NOT HTTP AT ALL\r\n\r\n');
    assert.match(junk, /^HTTP\/1\.1 400 /);
    assert.equal(JSON.parse(junk.slice(junk.indexOf('\r\n\r\n') + 4)).error.code, 'bad_request');
    assert.equal((await api.request('GET', '/healthz')).status, 200);
  });

  it('given any answer, when its headers are read, then a strict CSP and the helmet headers are there, no X-Powered-By, and API answers are not cached', async () => {
    const page = await api.request('GET', '/');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('x-powered-by'), null);
    const apiAnswer = await api.as('alice', 'GET', '/api/groups');
    assert.equal(apiAnswer.headers.get('cache-control'), 'no-store');
    assert.ok(apiAnswer.headers.get('content-security-policy'), 'apiAnswer.headers.get(\'content-security-policy\')');
  });

  it('given the default (same origin only), when another site calls with an Origin, then no CORS header allows it', async () => {
    const token = await api.login('alice');
    const r = await api.request('GET', '/api/groups', { token, headers: { origin: 'https://evil.example' } });
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    const pre = await api.request('OPTIONS', '/api/groups', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
    assert.equal(pre.headers.get('access-control-allow-origin'), null);
  });

  it('given configured CORS origins, when that origin calls, then it is allowed, and another is not', async () => {
    const s = await standalone(h, { options: { corsOrigins: ['https://wallboard.example'] } });
    try {
      const pre = await s.api.request('OPTIONS', '/api/groups', { headers: { origin: 'https://wallboard.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' } });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-origin'), 'https://wallboard.example');
      assert.match(pre.headers.get('access-control-allow-headers') ?? '', /authorization/);
      const other = await s.api.request('OPTIONS', '/api/groups', { headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
      assert.equal(other.headers.get('access-control-allow-origin'), null);
    } finally {
      s.server.close();
    }
  });

  it('given an unexpected failure inside a handler, when it is called, then 500 internal without a stack trace, and the error is logged', async () => {
    const broken: Operations = { ...pendingOperations(h.config), searchDirectory: () => { throw new TypeError('cannot read properties of undefined (reading \'secret\')'); } };
    const s = await standalone(h, { operations: broken });
    try {
      const login = await s.api.request<{ token: string }>('POST', '/api/session/login', { body: { name: 'alice', password: PASSWORDS.alice } });
      const r = await s.api.request<ErrorReply>('GET', '/api/directory?q=x', { token: login.body.token });
      assert.equal(r.status, 500);
      assert.deepEqual(r.body, { error: { code: 'internal', message: 'internal error' } });
      assert.doesNotMatch(r.text, /TypeError|at |secret/);
      assert.ok(s.logs.some((l) => l.includes('request failed') && l.includes('TypeError')), 's.logs.some((l) => l.includes(\'request failed\') && l.includes(\'TypeError\'))');
      assert.ok(!s.logs.some((l) => l.includes(PASSWORDS.alice)), 'no password in the logs');
    } finally {
      s.server.close();
    }
  });
});
