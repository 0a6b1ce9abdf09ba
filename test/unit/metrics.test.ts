// The metrics' pure parts: a batch's log lines → counter increments, the latency tracker's rules,
// and the registry's label sets (bounded by the configuration).
import assert from 'node:assert/strict';
import { ConfigError, applyEnv, parseConfig } from '../../lib/config.ts';
import type { LogEntryInput } from '../../lib/domain/model.ts';
import { countBatch, type CallView, type LabelBounds } from '../../lib/metrics/batch-counts.ts';
import { LatencyTracker, presentedCallOf } from '../../lib/metrics/latency.ts';
import { AttendantMetrics } from '../../lib/metrics/registry.ts';

const bounds: LabelBounds = { groups: new Set(['operators', 'backup']), classes: new Set(['external', 'internal']) };
const T = 1_700_000_000_000;
const line = (action: string, callId: string, result: string, detail?: Record<string, string>, time = T): LogEntryInput =>
  ({ time, operator: 'system', action, callId, numbers: ['0155501234'], result, ...(detail ? { detail } : {}) });

describe('metrics: batch log lines to counters', () => {
  const calls = new Map<string, CallView>([
    ['c1', { group: 'operators', callClass: 'external' }],
    ['c2', { group: 'backup', callClass: 'internal', firstAnsweredAt: T }],
    ['c3', { group: 'operators', callClass: 'external', firstAnsweredAt: T - 60_000 }],
    ['c4', { group: 'gone-group', callClass: 'vip' }],
  ]);
  const callOf = (id: string) => calls.get(id);

  it('given an arrival queued for a group, when counted, then offered once with the class of the line', () => {
    const r = countBatch([line('arrive', 'c1', 'queue:operators', { class: 'external', mode: 'day' })], callOf, bounds);
    assert.deepEqual(r.increments, [{ counter: 'offered', group: 'operators', class: 'external' }], 'one offered');
    assert.deepEqual(r.answeredWaits, [], 'no wait');
  });

  it('given a diverted arrival, when counted, then diverted by class and reason, the group left as other', () => {
    const r = countBatch([
      line('arrive', 'c9', 'divert:night', { class: 'internal', mode: 'night' }),
      line('arrive', 'c8', 'divert:something-new', { class: 'internal', mode: 'day' }),
    ], callOf, bounds);
    assert.deepEqual(r.increments, [
      { counter: 'diverted', group: 'other', class: 'internal', reason: 'night' },
      { counter: 'diverted', group: 'other', class: 'internal', reason: 'other' },
    ], 'reasons bounded');
  });

  it('given a ring-all presentation to three sets, when counted, then one presentation for the group of the line', () => {
    const r = countBatch([line('present', 'c1', 'att1,att2,att3', { group: 'backup' })], callOf, bounds);
    assert.deepEqual(r.increments, [{ counter: 'presented', group: 'backup', class: 'external' }], 'one per presentation');
  });

  it('given the first answer and a later one (retrieve), when counted, then only the first is answered, with its wait', () => {
    const first = countBatch([line('answer', 'c2', 'ok', { waitedMs: '12500' })], callOf, bounds);
    assert.deepEqual(first.increments, [{ counter: 'answered', group: 'backup', class: 'internal' }], 'first answer counted');
    assert.deepEqual(first.answeredWaits, [{ group: 'backup', seconds: 12.5 }], 'its wait');
    const again = countBatch([line('answer', 'c3', 'ok', { waitedMs: '90000' })], callOf, bounds);
    assert.deepEqual(again.increments, [], 'a second answer of the same call is not a new answered call');
    assert.deepEqual(again.answeredWaits, [], 'nor a new wait');
  });

  it('given ends, when counted, then only abandoned ones count', () => {
    const r = countBatch(['abandoned', 'completed', 'completed-transfer', 'lost', 'fallback'].map((reason) => line('end', 'c1', reason)), callOf, bounds);
    assert.deepEqual(r.increments, [{ counter: 'abandoned', group: 'operators', class: 'external' }], 'abandoned only');
  });

  it('given an overflow, when counted, then it counts for the group the call left', () => {
    const r = countBatch([line('overflow', 'c1', 'backup', { from: 'operators', reason: 'wait', mutualHelp: 'false' })], callOf, bounds);
    assert.deepEqual(r.increments, [{ counter: 'overflowed', group: 'operators', class: 'external' }], 'from group');
  });

  it('given a group and a class the configuration does not name, or no record, when counted, then both labels are other', () => {
    const r = countBatch([line('end', 'c4', 'abandoned'), line('end', 'unknown', 'abandoned'), line('present', 'c4', 'att1', { group: 'x' })], callOf, bounds);
    assert.deepEqual(r.increments, [
      { counter: 'abandoned', group: 'other', class: 'other' },
      { counter: 'abandoned', group: 'other', class: 'other' },
      { counter: 'presented', group: 'other', class: 'other' },
    ], 'clamped');
  });

  it('given lines that are not call events (mode, hold, login), when counted, then nothing', () => {
    const r = countBatch([line('mode', 'c1', 'night'), line('hold', 'c1', 'ok'), line('login', 'c1', 'ok')], callOf, bounds);
    assert.deepEqual(r, { increments: [], answeredWaits: [] }, 'nothing');
  });
});

describe('metrics: latency tracker', () => {
  const tick = () => new Promise<void>((r) => setImmediate(r));
  function tracker() {
    let now = 0;
    const decisions: number[] = [];
    const presentations: number[] = [];
    const t = new LatencyTracker({ observeDecision: (s) => decisions.push(s), observePresentation: (s) => presentations.push(s) }, () => now);
    return { t, decisions, presentations, at: (ms: number) => { now = ms; } };
  }

  it('given a call presented in the dispatch after its arrival, when its originate is sent then accepted, then both latencies are observed once', async () => {
    const { t, decisions, presentations, at } = tracker();
    t.arrived('c1');
    at(3);
    t.originateSent('c1');
    await tick();
    at(8);
    t.originateSent('c1');
    t.originateAccepted('c1');
    t.originateAccepted('c1');
    assert.deepEqual(decisions, [0.003], 'decision from arrival to the first originate');
    assert.deepEqual(presentations, [0.008], 'presentation from arrival to accepted');
    assert.equal(t.tracked, 0, 'forgotten');
  });

  it('given a call not presented before the next turn (it waits for an attendant), when it is presented later, then nothing is observed', async () => {
    const { t, decisions, presentations } = tracker();
    t.arrived('c2');
    await tick();
    assert.equal(t.tracked, 0, 'dropped after the first dispatch');
    t.originateSent('c2');
    t.originateAccepted('c2');
    assert.deepEqual([decisions, presentations], [[], []], 'waiting calls are not decision latency');
  });

  it('given a failed originate, when it is presented again, then nothing is observed', async () => {
    const { t, decisions, presentations } = tracker();
    t.arrived('c3');
    t.originateSent('c3');
    await tick();
    t.originateFailed('c3');
    t.originateSent('c3');
    t.originateAccepted('c3');
    assert.deepEqual(decisions.length, 1, 'the decision was made');
    assert.deepEqual(presentations, [], 'the presentation failed');
  });

  it('given originate requests, when the call is read from them, then only presentation legs name one', () => {
    assert.equal(presentedCallOf({ endpoint: 'PJSIP/att1', appArgs: ['@present', 'c1', 'att1'] }), 'c1', 'presentation leg');
    assert.equal(presentedCallOf({ endpoint: 'PJSIP/200', appArgs: ['@transfer', 'c1'] }), undefined, 'transfer leg');
    assert.equal(presentedCallOf({ endpoint: 'PJSIP/200' }), undefined, 'no args');
  });
});

describe('metrics: registry label sets', () => {
  const config = parseConfig({
    asterisk: { ari: { url: 'http://127.0.0.1:8088', user: 'attendant', password: 'pw' } },
    attendants: [{ id: 'att1', name: 'A', device: 'PJSIP/att1' }, { id: 'att2', name: 'B', device: 'PJSIP/att2' }],
    groups: [{ id: 'operators', name: 'Operators', members: ['att1', 'att2'] }, { id: 'backup', name: 'Backup', members: ['att2'] }],
    statistics: { serviceTargetSeconds: 25 },
  });

  it('given two registries, when both count, then neither sees the other\'s series', async () => {
    const a = new AttendantMetrics(config);
    const b = new AttendantMetrics(config);
    a.count({ increments: [{ counter: 'offered', group: 'operators', class: 'external' }], answeredWaits: [] });
    const textA = (await a.scrape()).body;
    const textB = (await b.scrape()).body;
    assert.match(textA, /^attendant_calls_offered_total\{group="operators",class="external"\} 1$/m, 'a counted');
    assert.match(textB, /^attendant_calls_offered_total\{group="operators",class="external"\} 0$/m, 'b did not');
  });

  it('given the configuration, when scraped before any call, then every group × class series is 0, every attendant state is listed, and the service target is a bucket', async () => {
    const m = new AttendantMetrics(config);
    const attendants = [{ id: 'att1', state: 'idle' }, { id: 'att2', state: 'busy' }];
    const byId = new Map(attendants.map((a) => [a.id, a as never]));
    m.watch({
      state: { queues: () => [], calls: () => [], call: () => undefined, attendant: (id) => byId.get(id), storeBacklog: () => 3 },
      now: () => 0, active: () => true, links: () => ({ ari: true, redis: false }),
    });
    const text = (await m.scrape()).body;
    for (const g of ['operators', 'backup']) {
      for (const c of config.classes.map((x) => x.id)) assert.match(text, new RegExp(`^attendant_calls_answered_total\\{group="${g}",class="${c}"\\} 0$`, 'm'), `${g}/${c}`);
      assert.match(text, new RegExp(`^attendant_answered_wait_seconds_bucket\\{le="25",group="${g}"\\} 0$`, 'm'), `service target bucket for ${g}`);
    }
    assert.match(text, /^attendant_attendants\{group="operators",state="idle"\} 1$/m, 'att1 idle');
    assert.match(text, /^attendant_attendants\{group="operators",state="busy"\} 1$/m, 'att2 busy in operators');
    assert.match(text, /^attendant_attendants\{group="backup",state="busy"\} 1$/m, 'att2 busy in backup too');
    assert.match(text, /^attendant_attendants\{group="backup",state="dnd"\} 0$/m, 'zero states listed');
    assert.match(text, /^attendant_store_backlog 3$/m, 'backlog');
    assert.match(text, /^attendant_connection_up\{link="redis"\} 0$/m, 'redis down');
    assert.match(text, /^attendant_connection_up\{link="ari"\} 1$/m, 'ari up');
    assert.doesNotMatch(text, /^attendant_connection_up\{link="ami"\}/m, 'no AMI: no link state');
  });
});

describe('metrics: configuration', () => {
  const base = {
    asterisk: { ari: { url: 'http://127.0.0.1:8088', user: 'attendant', password: 'pw' } },
    attendants: [{ id: 'att1', name: 'A', device: 'PJSIP/att1' }],
    groups: [{ id: 'operators', name: 'Operators', members: ['att1'] }],
  };
  const problems = (metrics: unknown): string[] => {
    try { parseConfig({ ...base, metrics }); } catch (err) { if (err instanceof ConfigError) return err.problems; throw err; }
    return [];
  };

  it('given no metrics section, then metrics are on, on 127.0.0.1, with no token and no port of their own', () => {
    const cfg = parseConfig(base);
    assert.deepEqual(cfg.metrics, { enabled: true, host: '127.0.0.1' }, 'defaults');
  });

  it('given bad fields, then each error names its field', () => {
    assert.match(problems({ token: 'short' }).join('\n'), /^metrics\.token: must be 16-256 printable characters/m, 'token too short');
    assert.match(problems({ token: 'has a space in it 0123' }).join('\n'), /^metrics\.token:/m, 'token with spaces');
    assert.match(problems({ port: 70000 }).join('\n'), /^metrics\.port:/m, 'port out of range');
    assert.match(problems({ enabled: 'yes' }).join('\n'), /^metrics\.enabled:/m, 'enabled not a boolean');
    assert.match(problems({ path: '/m' }).join('\n'), /^metrics: .*path/m, 'unknown field');
  });

  it('given ATTENDANT_METRICS_TOKEN, then it overrides the file\'s token', () => {
    const cfg = parseConfig(applyEnv({ ...base, metrics: { token: 'from-the-file-0123456789' } }, { ATTENDANT_METRICS_TOKEN: 'from-the-environment-0123' }));
    assert.equal(cfg.metrics.token, 'from-the-environment-0123', 'environment wins');
  });
});
