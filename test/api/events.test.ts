// The live feed over a real WebSocket: authentication, numbered events, resuming with since.
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachEvents, EventHub, MAX_STREAMS_PER_LOGIN } from '../../lib/api/events.ts';
import { Sessions } from '../../lib/api/auth/sessions.ts';
import { silentLogger } from '../../lib/log.ts';
import { Views } from '../../lib/api/views.ts';
import type { Harness } from '../support/harness.ts';
import { startApiHarness, type Api } from './support.ts';

interface Msg { type: string; seq?: number; kind?: string; epoch?: string; since?: number; data?: Record<string, unknown> & { id?: string; state?: string }; now?: number; error?: { code: string } }

/** a WebSocket client that keeps every message and can wait for one */
class Client {
  readonly messages: Msg[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: Array<() => void> = [];
  readonly opened: Promise<void>;
  readonly ws: WebSocket;

  constructor(url: string, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(url, { headers });
    this.opened = new Promise((resolve, reject) => { this.ws.once('open', () => resolve()); this.ws.once('error', reject); });
    this.ws.on('message', (d) => { this.messages.push(JSON.parse(String(d)) as Msg); this.wake(); });
    this.ws.on('close', (code, reason) => { this.closed = { code, reason: String(reason) }; this.wake(); });
  }

  send(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

  async next(what: string, pred: (m: Msg) => boolean, timeoutMs = 4000): Promise<Msg> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(pred);
      if (found) return found;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.messages.map((m) => [m.type, m.kind, m.seq]))}`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 50); });
    }
  }

  async closedWith(timeoutMs = 4000): Promise<{ code: number; reason: string }> {
    const end = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > end) throw new Error('not closed');
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 50); });
    }
    return this.closed;
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** the HTTP status a refused upgrade answers with, and its JSON body */
function refusedUpgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: { error?: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { error?: { code: string } } }); ws.terminate(); });
    });
    ws.on('open', () => { ws.close(); reject(new Error('the upgrade was accepted')); });
    ws.on('error', () => undefined);
  });
}

const upgradeStatus = async (url: string, headers: Record<string, string> = {}): Promise<number> => (await refusedUpgrade(url, headers)).status;

describe('API live events (WebSocket)', function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  let api: Api;
  let wsBase: string;
  const clients: Client[] = [];
  const open = (path: string, headers: Record<string, string> = {}) => { const c = new Client(`${wsBase}${path}`, headers); clients.push(c); return c; };

  beforeEach(async () => {
    ({ h, api } = await startApiHarness());
    wsBase = `ws://127.0.0.1:${h.controller.httpPort}`;
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await h?.stop();
    h = undefined;
  });

  it('given no or bad credentials, when connecting, then a bad token is refused at the upgrade (401) and an unauthenticated socket is closed 4401 at its first message', async () => {
    assert.equal(await upgradeStatus(`${wsBase}/api/events`, bearer('A'.repeat(43))), 401);
    assert.equal(await upgradeStatus(`${wsBase}/api/events`, { 'x-api-key': 'nope' }), 401);
    assert.equal(await upgradeStatus(`${wsBase}/api/other`), 404);
    const c = open('/api/events');
    await c.opened;
    c.send({ type: 'ping' });
    assert.equal((await c.closedWith()).code, 4401);
    assert.deepEqual(c.messages, []);
    const wrong = open('/api/events');
    await wrong.opened;
    wrong.send({ type: 'auth', token: 'made-up' });
    assert.equal((await wrong.closedWith()).code, 4401);
  });

  it('given a token in the URL, when connecting, then the upgrade is refused (400 token_in_url) even when the token is good', async () => {
    const token = await api.login('alice');
    const r = await refusedUpgrade(`${wsBase}/api/events?token=${token}`);
    assert.equal(r.status, 400);
    assert.equal(r.body.error?.code, 'token_in_url');
  });

  it(`given one login, when it opens more than ${MAX_STREAMS_PER_LOGIN} streams, then the next is refused (429 at the upgrade, 4429 after an auth message) and another login is not`, async () => {
    const token = await api.login('alice');
    const held = Array.from({ length: MAX_STREAMS_PER_LOGIN }, () => open('/api/events', bearer(token)));
    await Promise.all(held.map((c) => c.next('snapshot', (m) => m.type === 'snapshot')));
    const refused = await refusedUpgrade(`${wsBase}/api/events`, bearer(token));
    assert.deepEqual([refused.status, refused.body.error?.code], [429, 'too_many_streams']);
    const late = open('/api/events');
    await late.opened;
    late.send({ type: 'auth', token });
    assert.equal((await late.closedWith()).code, 4429);
    assert.ok(!late.messages.some((m) => m.type === 'snapshot'), 'no snapshot for a refused stream');
    const sam = open('/api/events', bearer(await api.login('sam')));
    await sam.next('snapshot', (m) => m.type === 'snapshot');
    // one closed: there is room again
    held[0]!.close();
    await held[0]!.closedWith();
    await new Promise((r) => setTimeout(r, 50));
    await open('/api/events', bearer(token)).next('snapshot', (m) => m.type === 'snapshot');
  });

  it('given a socket that never authenticates, when 5 s pass, then it is closed 4401', async () => {
    const c = open('/api/events');
    // the server arms the 5 s timer before it answers the upgrade: once open, it is armed
    await c.opened;
    h!.time.advance(4_999);
    c.ws.ping();
    await new Promise<void>((r) => c.ws.once('pong', () => r()));
    assert.equal(c.closed, undefined);
    h!.time.advance(1);
    assert.equal((await c.closedWith()).code, 4401);
  });

  it('given a page of another site, when it opens the feed with a valid token, then the upgrade is refused (403)', async () => {
    const token = await api.login('alice');
    assert.equal(await upgradeStatus(`${wsBase}/api/events`, { ...bearer(token), origin: 'https://evil.example' }), 403);
  });

  it('given a token as first message, when connected, then hello and a snapshot of the whole state come', async () => {
    const token = await api.login('alice');
    const c = open('/api/events');
    await c.opened;
    c.send({ type: 'auth', token });
    const hello = await c.next('hello', (m) => m.type === 'hello');
    assert.deepEqual((hello as { user?: unknown }).user, { name: 'alice', role: 'operator', attendant: 'att1' });
    const snap = await c.next('snapshot', (m) => m.type === 'snapshot');
    assert.equal(snap.epoch, hello.epoch);
    assert.equal((snap.data?.attendants as unknown[]).length, 3);
    assert.equal(snap.now, h!.time.now());
    c.send({ type: 'ping' });
    assert.equal((await c.next('pong', (m) => m.type === 'pong')).now, h!.time.now());
    c.send({ type: 'subscribe' });
    assert.equal((await c.next('error', (m) => m.type === 'error')).error?.code, 'invalid_message');
  });

  it('given a connected console, when a call arrives, then call, queue and attendant events come with consecutive sequence numbers', async () => {
    const token = await api.login('alice');
    const c = open('/api/events', bearer(token));
    const snap = await c.next('snapshot', (m) => m.type === 'snapshot');
    const caller = h!.call({ number: '0155501234' });
    const arrived = await c.next('the call', (m) => m.kind === 'call' && m.data?.id === caller);
    assert.equal(arrived.type, 'event');
    assert.equal((arrived.data as { callerNumber: string }).callerNumber, '0155501234');
    await c.next('queue', (m) => m.kind === 'queue');
    await c.next('att1 rings', (m) => m.kind === 'attendant' && m.data?.id === 'att1' && m.data.state === 'ringing');
    const events = c.messages.filter((m) => m.type === 'event');
    assert.equal(events[0]!.seq, snap.seq! + 1);
    events.forEach((e, i) => assert.equal(e.seq, snap.seq! + 1 + i));
    h!.sim.hangupCaller(caller);
    await c.next('the call removed', (m) => m.kind === 'call' && m.data?.id === caller && m.data.removed === true);
  });

  it('given a console that dropped, when it reconnects with since and epoch, then it gets exactly the events it missed, in order, and no snapshot', async () => {
    const token = await api.login('alice');
    const first = open('/api/events', bearer(token));
    const snap = await first.next('snapshot', (m) => m.type === 'snapshot');
    first.close();
    await first.closedWith();
    await api.as('sam', 'PUT', '/api/groups/operators/override', { mode: 'night' });
    await api.as('alice', 'PUT', '/api/attendants/att1/state', { action: 'dnd', on: true });
    const again = open(`/api/events?since=${snap.seq}&epoch=${snap.epoch}`, bearer(token));
    const resumed = await again.next('resumed', (m) => m.type === 'resumed');
    assert.equal(resumed.since, snap.seq);
    await again.next('dnd event', (m) => m.kind === 'attendant' && m.data?.state === 'dnd');
    assert.ok(!again.messages.some((m) => m.type === 'snapshot'), '!again.messages.some((m) => m.type === \'snapshot\')');
    const missed = again.messages.filter((m) => m.type === 'event');
    assert.deepEqual(missed.map((m) => m.seq), missed.map((_m, i) => snap.seq! + 1 + i));
    assert.deepEqual(missed.map((m) => m.kind), ['group', 'attendant']);
  });

  it('given a since from another epoch or from the future, when reconnecting, then a fresh snapshot comes instead', async () => {
    const token = await api.login('alice');
    const other = open('/api/events?since=1&epoch=deadbeef', bearer(token));
    await other.next('snapshot', (m) => m.type === 'snapshot');
    const future = open('/api/events');
    await future.opened;
    future.send({ type: 'auth', token, since: 999_999 });
    await future.next('snapshot', (m) => m.type === 'snapshot');
  });

  it('given an open feed, when its session logs out, then the socket is closed 4000', async () => {
    const token = await api.login('alice');
    const c = open('/api/events', bearer(token));
    await c.next('snapshot', (m) => m.type === 'snapshot');
    await api.request('POST', '/api/session/logout', { token });
    assert.equal((await c.closedWith()).code, 4000);
  });

  it('given an API key on the upgrade request, when connected, then the feed works for the integration', async () => {
    const c = open('/api/events', { 'x-api-key': 'int-key-7f3a9c1e5b2d4068' });
    const hello = await c.next('hello', (m) => m.type === 'hello');
    assert.equal((hello as { user?: { name: string } }).user?.name, 'integration');
  });

  it('given the feed served and no console ever connected, when the state changes, then the hub keeps nothing (no view, no frame is made); once one streamed and left, it keeps events for its return', async () => {
    const hub = new EventHub(new Views(h!.config, h!.switchboard.view, undefined, 0), h!.time, h!.switchboard.view, undefined);
    const sessions = new Sessions(h!.config, h!.time);
    const server = createServer();
    const feed = attachEvents(server, { hub, sessions, time: h!.time, log: silentLogger(), corsOrigins: [] });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/events`;
      const base = hub.lastSeq;
      await api.as('sam', 'PUT', '/api/groups/operators/override', { mode: 'night' });
      assert.ok(hub.lastSeq > base, 'the change was numbered');
      assert.equal(hub.since(base), undefined, 'nothing kept while no console was ever connected');
      const { token } = sessions.open({ name: 'sam', role: 'supervisor' });
      const c = new Client(url, bearer(token));
      clients.push(c);
      const snap = await c.next('snapshot', (m) => m.type === 'snapshot');
      c.close();
      await c.closedWith();
      await api.as('sam', 'PUT', '/api/groups/operators/override', { mode: 'day' });
      assert.deepEqual(hub.since(snap.seq!)?.map((e) => e.kind), ['group'], 'kept for the console that left');
    } finally {
      feed.close();
      await new Promise((r) => server.close(r));
    }
  });

  it('given a buffer of 3 events, when a client asks for more than it keeps, then the hub says it cannot resume (a snapshot is due)', () => {
    const hub = new EventHub(new Views(h!.config, h!.switchboard.view, undefined, 0), h!.time, h!.switchboard.view, undefined, 3);
    const base = hub.lastSeq;
    for (let i = 0; i < 5; i++) hub.publish('group', { n: i });
    assert.equal(hub.since(base + 1), undefined, 'the event after since is gone');
    assert.deepEqual(hub.since(base + 2)!.map((e) => e.seq), [base + 3, base + 4, base + 5]);
    assert.deepEqual(hub.since(base + 5), []);
    assert.equal(hub.since(base + 6), undefined);
  });

  it('given queue events carrying 20,000 ids each, when they pass the 50,000 ids the hub keeps, then the oldest go and resuming before them asks for a snapshot', () => {
    const hub = new EventHub(new Views(h!.config, h!.switchboard.view, undefined, 0), h!.time, h!.switchboard.view, undefined, 1000);
    const base = hub.lastSeq;
    const callIds = Array.from({ length: 20_000 }, (_, i) => `c${i}`);
    for (let i = 0; i < 3; i++) hub.publish('queue', { group: 'operators', callIds });
    hub.publish('group', { n: 1 });
    assert.equal(hub.since(base), undefined, 'the first queue event is gone');
    assert.deepEqual(hub.since(base + 1)!.map((e) => e.kind), ['queue', 'queue', 'group']);
  });
});
