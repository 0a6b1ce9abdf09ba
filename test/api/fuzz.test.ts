// Fuzzing the HTTP API with a seeded PRNG: thousands of malformed requests (random JSON, wrong
// types, huge strings, bad tokens, bad paths, wrong methods) across every route. Nothing may
// answer 5xx, the controller must stay up, and no call, attendant or group may change.
import assert from 'node:assert/strict';
import { apiResources } from '../../lib/api/index.ts';
import type { Harness } from '../support/harness.ts';
import { seeded } from '../support/harness.ts';
import { PASSWORDS, startApiHarness, type Api } from './support.ts';

const REQUESTS = 5_000;
const CONCURRENCY = 16;
const SEED = 20260105;

type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rng, n: number) => Math.floor(r() * n);

const FIELDS = ['action', 'on', 'mode', 'target', 'party', 'attendant', 'name', 'password', 'text', 'time', 'extension', 'daily', 'until', 'slot', 'token', 'q', '__proto__', 'constructor'];
const SEGMENTS = ['api', 'calls', 'attendants', 'groups', 'att1', 'operators', 'override', 'state', 'session', 'login', 'logout', 'park', 'hold', '1', '0', '-1', '..', '.', '%', '%00', '%2F', 'x'.repeat(300), '😀', 'null', 'undefined', '{id}', ':id', 'answer', 'monitor', 'stats', 'log', 'openapi.json', 'config', 'events', ' ', 'a b', 'a:b', '\u202e'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];
const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1', ''];

function randomString(r: Rng): string {
  switch (int(r, 7)) {
    case 0: return '';
    case 1: return 'x'.repeat(int(r, 20_000));
    case 2: return String.fromCharCode(...Array.from({ length: int(r, 40) }, () => int(r, 0xd7ff)));
    case 3: return pick(r, ['att1', 'operators', 'night', 'login', 'logout', 'dnd', 'back', '201', '9', 'listen', '07:30', 'alice']);
    case 4: return pick(r, ['<script>alert(1)</script>', "' OR 1=1 --", '../../etc/passwd', '${jndi:ldap://x}', '%s%s%n', '\u0000', '\r\n\r\n']);
    case 5: return String(r() * 1e6);
    default: return [...Array(int(r, 12))].map(() => pick(r, ['a', '1', '-', '_', ':', '.', ' ', '/'])).join('');
  }
}

function randomValue(r: Rng, depth = 0): unknown {
  switch (int(r, depth > 2 ? 6 : 9)) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return pick(r, [0, -1, 1, 1e308, -1e308, 0.5, Number.MAX_SAFE_INTEGER + 2, 42]);
    case 3: case 4: case 5: return randomString(r);
    case 6: return Array.from({ length: int(r, 5) }, () => randomValue(r, depth + 1));
    default: return Object.fromEntries(Array.from({ length: int(r, 5) }, () => [pick(r, FIELDS), randomValue(r, depth + 1)]));
  }
}

/** a body no route accepts: an object with a key no schema has, or something that is not an object at all */
function junkBody(r: Rng): { raw: string; contentType: string } {
  const contentType = r() < 0.85 ? 'application/json' : pick(r, CONTENT_TYPES.filter((c) => c !== 'application/json' && c !== 'application/json; charset=utf-8'));
  switch (int(r, 6)) {
    case 0: return { raw: JSON.stringify(randomValue(r)).slice(0, int(r, 50) + 1) + (r() < 0.5 ? '' : '}'), contentType }; // truncated or mangled
    case 1: return { raw: JSON.stringify(pick(r, [[], [1, 2], 'logout', 7, true, null])), contentType };
    case 2: return { raw: 'x'.repeat(60_000 + int(r, 20_000)), contentType };
    default: {
      const obj: Record<string, unknown> = { [`__fuzz${int(r, 1000)}`]: randomValue(r) };
      for (let i = int(r, 4); i > 0; i--) obj[pick(r, FIELDS)] = randomValue(r);
      return { raw: JSON.stringify(obj), contentType };
    }
  }
}

function randomQuery(r: Rng): string {
  if (r() < 0.3) return '';
  const parts = Array.from({ length: 1 + int(r, 4) }, () => `${encodeURIComponent(pick(r, [...FIELDS, 'from', 'to', 'limit', 'scope', 'state', 'group', 'number', 'since', 'operator', 'traffic', 'lines', 'agents', 'aht']))}=${encodeURIComponent(randomString(r).slice(0, 2000))}`);
  return `?${parts.join('&')}`;
}

function fillPath(r: Rng, path: string): string {
  return path.replace(/\{[^}]+\}/g, () => (r() < 0.5 ? pick(r, ['att1', 'att2', 'operators', 'backup', '1', '200', 'x1', '1767603600.0']) : encodeURIComponent(randomString(r).slice(0, 300)) || '%20'));
}

function badCredentials(r: Rng): Record<string, string> {
  switch (int(r, 6)) {
    case 0: return {};
    case 1: return { authorization: `Bearer ${'A'.repeat(43)}` };
    case 2: return { authorization: pick(r, ['Bearer', 'Basic YWxpY2U6eA==', 'Bearer a b', `Bearer ${'x'.repeat(5000)}`, 'bearer ', 'Token abc']) };
    case 3: return { 'x-api-key': pick(r, ['', 'x', 'int-key-7f3a9c1e5b2d406', 'y'.repeat(600)]) };
    case 4: return { authorization: `Bearer ${[...Array(43)].map(() => pick(r, ['a', 'B', '0', '-', '_'])).join('')}` };
    default: return { authorization: `Bearer ${randomString(r).replace(/[^\x20-\x7e]/g, '').slice(0, 200)}` };
  }
}

interface Planned { method: string; path: string; headers: Record<string, string>; body?: string }

describe('API fuzz', function () {
  this.timeout(90_000);
  let h: Harness;
  let api: Api;
  before(async () => { ({ h, api } = await startApiHarness()); });
  after(async () => { await h.stop(); });

  const state = () => JSON.stringify({
    attendants: [...h.view.attendants()].map((a) => [a.id, a]).sort(),
    groups: [...h.view.groups()].map((g) => [g.id, g]).sort(),
    calls: h.callRecords().map((c) => [c.id, c]).sort(),
    queues: [...h.view.queues()].sort(),
  });

  it(`given ${REQUESTS} seeded malformed requests across every route, when they are sent, then none answers 5xx, the controller stays up and no state changes`, async () => {
    // a call waiting and one ringing, so there is state to break
    await h.switchboard.attendantAction('att2', { type: 'dnd', on: true });
    h.call({ number: '0155501234' });
    await h.until('att1 rings', () => h.attendant('att1').state === 'ringing');
    h.call({ number: '0611223344' });
    await h.until('two calls', () => h.callCount() === 2);
    await h.settle();
    const tokens = { operator: await api.login('alice'), supervisor: await api.login('sam'), admin: await api.login('root') };
    const before = state();

    const r = seeded(SEED);
    const routes = apiResources().flatMap((x) => x.routes);
    const plan: Planned[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const route = pick(r, routes);
      const kind = int(r, 10);
      const valid = { authorization: `Bearer ${pick(r, Object.values(tokens))}` };
      let p: Planned;
      if (kind <= 4) {
        // a known route, valid credentials, malformed input
        const method = route.method.toUpperCase();
        p = { method, path: fillPath(r, route.path) + randomQuery(r), headers: { ...valid } };
      } else if (kind === 5) {
        // a known path with any method
        p = { method: pick(r, METHODS), path: fillPath(r, route.path), headers: { ...valid } };
      } else if (kind === 6) {
        // a random path
        const segs = Array.from({ length: 1 + int(r, 5) }, () => pick(r, SEGMENTS));
        p = { method: pick(r, METHODS), path: `/${segs.join('/')}${randomQuery(r)}`, headers: { ...valid } };
      } else if (kind === 7) {
        // login with malformed or wrong credentials (never a right one)
        const body = r() < 0.5 ? junkBody(r) : { raw: JSON.stringify({ name: pick(r, ['alice', 'sam', 'root', randomString(r).slice(0, 64)]), password: `wrong-${randomString(r).slice(0, 30)}` }), contentType: 'application/json' };
        plan.push({ method: 'POST', path: '/api/session/login', headers: body.contentType ? { 'content-type': body.contentType } : {}, body: body.raw });
        continue;
      } else {
        // bad credentials: even a well-formed body must not act
        const body = { raw: JSON.stringify(pick(r, [{ action: 'logout' }, { mode: 'night' }, { target: '201' }, {}, { action: 'dnd', on: true }])), contentType: 'application/json' };
        p = { method: route.method.toUpperCase(), path: fillPath(r, route.path), headers: badCredentials(r), ...(route.method === 'get' ? {} : { body: body.raw }) };
        if (p.body !== undefined) p.headers['content-type'] = body.contentType;
        plan.push(p);
        continue;
      }
      // valid credentials: anything but a read carries a body no schema accepts
      if (p.method !== 'GET' && p.method !== 'HEAD') {
        const body = junkBody(r);
        p.body = body.raw;
        if (body.contentType) p.headers['content-type'] = body.contentType;
      }
      plan.push(p);
    }

    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const base = api.base;
    let next = 0;
    const started = Date.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < plan.length) {
        const p = plan[next++]!;
        let status: number;
        try {
          const res = await fetch(base + p.path, { method: p.method, headers: p.headers, ...(p.body !== undefined ? { body: p.body } : {}) });
          status = res.status;
          const text = await res.text();
          if (status >= 400 && p.method !== 'HEAD' && text && !/^\{"error":\{"code":"[a-z_]+","message":/.test(text)) failures.push(`${p.method} ${p.path.slice(0, 80)}: not an error body: ${text.slice(0, 80)}`);
          if (/at [A-Za-z]+ \(|node_modules|\.ts:\d+/.test(text)) failures.push(`${p.method} ${p.path.slice(0, 80)}: leaks a stack trace`);
        } catch (err) {
          failures.push(`${p.method} ${p.path.slice(0, 80)}: ${(err as Error).message}`);
          continue;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) failures.push(`${p.method} ${p.path.slice(0, 120)} ${p.body?.slice(0, 120) ?? ''} → ${status}`);
      }
    }));
    const elapsed = Date.now() - started;
    // how long it took is the benchmark's business, not a test's: printed on request only
    if (process.env.FUZZ_REPORT) console.log(elapsed, JSON.stringify([...statuses].sort()));

    assert.deepEqual(failures.slice(0, 20), []);
    assert.equal([...statuses.values()].reduce((a, b) => a + b, 0), REQUESTS);
    // every kind of refusal was exercised
    for (const s of [400, 401, 404, 405, 413, 415, 429]) assert.ok((statuses.get(s) ?? 0) > 0, `no ${s} among ${JSON.stringify([...statuses])}`);

    // still up, still the same, the sessions still valid
    await h.settle();
    assert.equal((await api.request('GET', '/healthz')).status, 200);
    assert.equal(state(), before);
    for (const token of Object.values(tokens)) assert.equal((await api.request('GET', '/api/session', { token })).status, 200);
    assert.equal((await api.request('POST', '/api/session/login', { body: { name: 'bob', password: PASSWORDS.bob } })).status, 429, 'the address is still rate limited');
  });
});
