// GET /metrics during simulated traffic: controller + ARI simulator over real sockets + Redis. The
// figures are checked against what the simulator holds, counters only grow, the main port wants
// the metrics token, the separate port needs none.
import assert from 'node:assert/strict';
import { Harness, type HarnessOptions } from '../support/harness.ts';

const TOKEN = 'metrics-test-token-0123456789';

const config = (metrics: Record<string, unknown>): HarnessOptions['config'] => ({
  attendants: [{ id: 'att1', name: 'Alice', device: 'PJSIP/att1' }, { id: 'att2', name: 'Bob', device: 'PJSIP/att2' }],
  groups: [
    { id: 'operators', name: 'Operators', members: ['att1', 'att2'], waiting: { music: 'default' } },
    { id: 'backup', name: 'Backup', members: ['att2'] },
  ],
  metrics,
} as HarnessOptions['config']);

/** the samples of a scrape: `name{labels}` → value (HELP / TYPE lines left out) */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of text.split('\n')) {
    if (!l || l.startsWith('#')) continue;
    const i = l.lastIndexOf(' ');
    out.set(l.slice(0, i), Number(l.slice(i + 1)));
  }
  return out;
}

function value(s: Map<string, number>, series: string): number {
  const v = s.get(series);
  assert.ok(v !== undefined, `${series} is in the scrape`);
  return v;
}

describe('Prometheus metrics (/metrics)', function () {
  this.timeout(30_000);
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  const main = (path = '/metrics', token?: string) => fetch(`http://127.0.0.1:${h!.controller.httpPort}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const scrape = async (): Promise<Map<string, number>> => {
    const r = await main('/metrics', TOKEN);
    assert.equal(r.status, 200, 'scrape answered');
    assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/, 'Prometheus text format');
    return samples(await r.text());
  };
  const inWaitBridge = () => h!.sim.bridges().find((b) => b.id === 'attendant-wait-operators')?.channels.length ?? 0;

  it('given callers waiting while nobody is logged in, then answers and an abandon, when scraped twice, then the figures follow the traffic and counters only grow', async () => {
    h = await Harness.start({ config: config({ token: TOKEN, port: 0 }), login: false });
    const callers = [h.call({ number: '0155500001' }), h.call({ number: '0155500002' }), h.call({ number: '0155500003', class: 'internal' })];
    await h.until('three callers in the waiting bridge', () => inWaitBridge() === 3);
    await h.advance(5000);

    const first = await scrape();
    // the gauge is the simulator's view: callers in the app, in the group's waiting bridge
    assert.equal(value(first, 'attendant_calls_waiting{group="operators"}'), inWaitBridge(), 'waiting = callers the simulator has in the waiting bridge');
    assert.equal(value(first, 'attendant_calls_waiting{group="backup"}'), 0, 'nobody waits for backup');
    assert.ok(value(first, 'attendant_longest_wait_seconds{group="operators"}') >= 5, 'longest wait follows the clock');
    assert.equal(value(first, 'attendant_attendants{group="operators",state="unplugged"}'), 2, 'both logged out');
    assert.equal(value(first, 'attendant_attendants{group="operators",state="idle"}'), 0, 'nobody idle');
    assert.equal(value(first, 'attendant_calls_offered_total{group="operators",class="external"}'), 2, 'two external calls offered');
    assert.equal(value(first, 'attendant_calls_offered_total{group="operators",class="internal"}'), 1, 'one internal call offered');
    assert.equal(value(first, 'attendant_calls_active{state="waiting"}'), 3, 'three calls waiting');
    assert.equal(value(first, 'attendant_active'), 1, 'the active controller');
    assert.equal(value(first, 'attendant_connection_up{link="ari"}'), 1, 'ARI up');
    if (process.env.REDIS_URL) assert.equal(value(first, 'attendant_connection_up{link="redis"}'), 1, 'Redis up');
    assert.equal(value(first, 'attendant_store_backlog'), 0, 'nothing waits to be written');
    assert.ok(first.has('nodejs_eventloop_lag_seconds'), 'event-loop lag of the process');
    assert.ok(first.has('process_resident_memory_bytes'), 'process memory');
    assert.ok(first.has('nodejs_heap_size_used_bytes'), 'heap');

    // the third caller gives up; att1 logs in and takes the first, att2 the second
    h.sim.hangupCaller(callers[2]!);
    await h.until('abandoned', () => !h!.callRecord(callers[2]!));
    await h.switchboard.login('att1');
    await h.answer('PJSIP/att1');
    await h.until('first call talking', () => h!.callRecord(callers[0]!)?.state === 'talking');
    await h.switchboard.login('att2');
    await h.answer('PJSIP/att2');
    await h.until('second call talking', () => h!.callRecord(callers[1]!)?.state === 'talking');
    // the first caller hangs up: att1 is idle, and a new caller is presented on arrival (decision latency)
    h.sim.hangupCaller(callers[0]!);
    await h.until('att1 idle', () => h!.attendant('att1').state === 'idle');
    const fourth = h.call({ number: '0155500004' });
    await h.until('the fourth call rings at att1', () => h!.callRecord(fourth)?.state === 'ringing' && h!.ringing('PJSIP/att1').length === 1);
    await h.settle();

    const second = await scrape();
    assert.equal(value(second, 'attendant_calls_waiting{group="operators"}'), h.queue('operators').length, 'waiting = the queue (the fourth call, ringing)');
    assert.equal(value(second, 'attendant_calls_waiting{group="operators"}'), 1, 'one ringing call in the queue');
    assert.equal(value(second, 'attendant_calls_offered_total{group="operators",class="external"}'), 3, 'three external calls offered');
    assert.equal(value(second, 'attendant_calls_answered_total{group="operators",class="external"}'), 2, 'two answered');
    assert.equal(value(second, 'attendant_calls_abandoned_total{group="operators",class="internal"}'), 1, 'one abandoned');
    assert.equal(value(second, 'attendant_calls_presented_total{group="operators",class="external"}'), 3, 'three presentations');
    assert.equal(value(second, 'attendant_calls_overflowed_total{group="operators",class="external"}'), 0, 'no overflow');
    assert.equal(value(second, 'attendant_attendants{group="operators",state="busy"}'), 1, 'att2 talks');
    assert.equal(value(second, 'attendant_attendants{group="operators",state="ringing"}'), 1, 'att1 rings');
    assert.equal(value(second, 'attendant_answered_wait_seconds_count{group="operators"}'), 2, 'two answered waits');
    // both waited 5 s (the clock moved 5 s before the first answer): within the 20 s service target
    assert.equal(value(second, 'attendant_answered_wait_seconds_bucket{le="2",group="operators"}'), 0, 'none within 2 s');
    assert.equal(value(second, 'attendant_answered_wait_seconds_bucket{le="20",group="operators"}'), 2, 'both within the target');
    assert.equal(value(second, 'attendant_decision_latency_seconds_count'), 1, 'only the call presented on arrival is a decision');
    assert.equal(value(second, 'attendant_presentation_latency_seconds_count'), 1, 'and its presentation');
    const decision = value(second, 'attendant_decision_latency_seconds_sum');
    assert.ok(decision > 0 && decision < 5, `decision latency ${decision} s`);

    // counters never go down between two scrapes
    for (const [series, before] of first) {
      if (!/^attendant_\w+_total\{/.test(series) && !/_(count|bucket|sum)(\{|$)/.test(series)) continue;
      if (!series.startsWith('attendant_')) continue;
      const after = second.get(series);
      assert.ok(after !== undefined && after >= before, `${series}: ${before} → ${after}`);
    }
  });

  it('given the metrics token, when /metrics is asked on the main port without it or with another, then 401 in the API\'s error shape; with it, 200; the separate port needs none', async () => {
    h = await Harness.start({ config: config({ token: TOKEN, port: 0 }) });
    const none = await main();
    assert.equal(none.status, 401, 'no token');
    const body = (await none.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'unauthorized', 'error code');
    assert.match(body.error.message, /metrics token/, 'says which token');
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/, 'WWW-Authenticate');
    assert.equal((await main('/metrics', 'wrong-token-0123456789')).status, 401, 'wrong token');
    // a login token is not the metrics token
    assert.equal((await main('/metrics', 'A'.repeat(43))).status, 401, 'another bearer');
    assert.equal((await main('/metrics', TOKEN)).status, 200, 'the token');

    const port = h.controller.metrics?.port;
    assert.ok(port && port !== h.controller.httpPort, 'a port of its own');
    const open = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(open.status, 200, 'no credentials on the scrape port');
    assert.match(await open.text(), /^attendant_attendants\{group="operators",state="idle"\} 2$/m, 'both logged in and idle');
    const other = await fetch(`http://127.0.0.1:${port}/api/state`);
    assert.equal(other.status, 404, 'only /metrics there');
    assert.equal(((await other.json()) as { error: { code: string } }).error.code, 'not_found', 'same error shape');
    assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status, 405, 'GET only');
  });

  it('given an ARI WebSocket drop, when the controller is connected again, then the ARI reconnect is counted', async () => {
    h = await Harness.start({ config: config({ token: TOKEN }) });
    assert.equal(value(await scrape(), 'attendant_reconnects_total{link="ari"}'), 0, 'the first connection is not a reconnect');
    assert.ok(h.sim.dropWebSocket() >= 1, 'dropped');
    await h.until('ARI down', () => !h!.controller.ari.isConnected());
    await h.until('ARI back', () => h!.controller.ari.isConnected(), 10_000);
    const s = await scrape();
    assert.equal(value(s, 'attendant_reconnects_total{link="ari"}'), 1, 'one reconnect');
    assert.equal(value(s, 'attendant_connection_up{link="ari"}'), 1, 'up again');
  });

  it('given no token and no port, then the main port answers 404 there; given metrics disabled, then 404 too and no listener', async () => {
    h = await Harness.start({ config: config({}) });
    const r = await main();
    assert.equal(r.status, 404, 'not served without a token');
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'not_found', 'error shape');
    assert.equal(h.controller.metrics?.port, undefined, 'no separate listener');
    await h.stop();
    h = await Harness.start({ config: config({ enabled: false, token: TOKEN, port: 0 }) });
    assert.equal((await main('/metrics', TOKEN)).status, 404, 'disabled');
    assert.equal(h.controller.metrics, undefined, 'no metrics at all');
  });
});
