// Read-only resources over HTTP: state snapshot, supervision, directory, log, statistics, Erlang.
import assert from 'node:assert/strict';
import type { Harness } from '../support/harness.ts';
import { startApiHarness, type Api, type ErrorReply } from './support.ts';

describe('API queries', function () {
  this.timeout(30_000);
  let h: Harness;
  let api: Api;
  before(async () => {
    ({ h, api } = await startApiHarness());
    // one answered call of 2 minutes and one abandoned after 10 s, in the 09:00 interval
    const answered = h.call({ number: '0140000001' });
    await h.until('att1 rings', () => h.attendant('att1').state === 'ringing');
    await h.advance(5_000);
    await h.answer('PJSIP/att1');
    await h.until('talking', () => h.callRecord(answered)?.state === 'talking');
    await h.until('in the call bridge', () => h.callRecord(answered)?.stays?.at(-1)?.kind === 'talk');
    const gaveUp = h.call({ number: '0150000002' });
    await h.until('att2 rings', () => h.attendant('att2').state === 'ringing');
    await h.advance(10_000);
    h.sim.hangupCaller(gaveUp);
    await h.until('abandoned', () => !h.callRecord(gaveUp));
    await h.advance(105_000);
    h.sim.hangupCaller(answered);
    await h.until('ended', () => !h.callRecord(answered));
    await h.advance(20 * 60_000);
  });
  after(async () => { await h.stop(); });

  it('given the live state, when an operator asks for it, then the snapshot has every position, group and class with the event number it is current at', async () => {
    const r = await api.as<{ epoch: string; seq: number; now: number; data: { attendants: unknown[]; groups: unknown[]; calls: unknown[]; classes: Array<{ id: string }>; supervision: { source: string } } }>('alice', 'GET', '/api/state');
    assert.equal(r.status, 200);
    assert.equal(r.body.data.attendants.length, 3);
    assert.equal(r.body.data.groups.length, 2);
    assert.deepEqual(r.body.data.calls, []);
    assert.ok(r.body.seq > 0, 'r.body.seq > 0');
    assert.equal(r.body.now, h.time.now());
    assert.ok(r.body.data.classes.some((c) => c.id === 'urgent'), 'r.body.data.classes.some((c) => c.id === \'urgent\')');
  });

  it('given supervised extensions and a trunk but no AMI feed yet, when the lamps are read, then they are listed as unknown with the source none, and positions show their device state', async () => {
    const r = await api.as<{ source: string; connected: boolean; extensions: Array<{ number: string; state: string }>; trunks: Array<{ id: string; state: string }>; attendants: Array<{ id: string; deviceState: string }> }>('alice', 'GET', '/api/supervision');
    assert.equal(r.status, 200);
    assert.deepEqual([r.body.source, r.body.connected], ['none', false]);
    assert.deepEqual(r.body.extensions.map((e) => [e.number, e.state]), [['200', 'unknown'], ['201', 'unknown']]);
    assert.deepEqual(r.body.trunks.map((t) => [t.id, t.state]), [['pstn', 'unknown']]);
    assert.deepEqual(r.body.attendants.map((a) => a.deviceState), ['NOT_INUSE', 'NOT_INUSE', 'NOT_INUSE']);
  });

  it('given the number library, when searched by name, department or short code, then matching entries come back; without a query the whole library by name; an empty or huge query is 400', async () => {
    const byName = await api.as<{ entries: Array<{ name: string }> }>('alice', 'GET', '/api/directory?q=acc');
    assert.deepEqual(byName.body.entries.map((e) => e.name), ['Accounts']);
    const byDept = await api.as<{ entries: Array<{ name: string }> }>('alice', 'GET', '/api/directory?q=front%20desk&limit=1');
    assert.deepEqual(byDept.body.entries.map((e) => e.name), ['Reception']);
    // nothing typed yet: the whole library by name, with how many there are
    const all = await api.as<{ entries: Array<{ name: string }>; total: number }>('alice', 'GET', '/api/directory?limit=2');
    assert.deepEqual([all.status, all.body.entries.map((e) => e.name), all.body.total], [200, ['Accounts', 'Night porter'], 3]);
    assert.equal((await api.as<ErrorReply>('alice', 'GET', '/api/directory?q=%20')).body.error.field, 'query.q');
    assert.equal((await api.as<ErrorReply>('alice', 'GET', `/api/directory?q=${'x'.repeat(65)}`)).status, 400);
    assert.equal((await api.as<ErrorReply>('alice', 'GET', '/api/directory?q=a&limit=0')).body.error.field, 'query.limit');
  });

  it('given the action log, when a supervisor queries by number, then the call\'s entries come; an operator sees only her position\'s', async () => {
    const byNumber = await api.as<{ entries: Array<{ action: string; numbers: string[] }> }>('sam', 'GET', '/api/log?number=0150000002');
    assert.equal(byNumber.status, 200);
    assert.ok(byNumber.body.entries.length >= 2, 'byNumber.body.entries.length >= 2');
    assert.ok(byNumber.body.entries.every((e) => e.numbers.includes('0150000002')), 'byNumber.body.entries.every((e) => e.numbers.includes(\'0150000002\'))');
    assert.ok(byNumber.body.entries.some((e) => e.action === 'arrive'), 'byNumber.body.entries.some((e) => e.action === \'arrive\')');
    const own = await api.as<{ entries: Array<{ operator: string }> }>('alice', 'GET', '/api/log');
    assert.ok(own.body.entries.length > 0, 'own.body.entries.length > 0');
    assert.ok(own.body.entries.every((e) => e.operator === 'att1'), 'own.body.entries.every((e) => e.operator === \'att1\')');
    assert.equal((await api.as<ErrorReply>('alice', 'GET', '/api/log?operator=att2')).status, 403);
    const limited = await api.as<{ entries: unknown[] }>('sam', 'GET', '/api/log?limit=1');
    assert.equal(limited.body.entries.length, 1);
    const window = await api.as<{ entries: unknown[] }>('sam', 'GET', `/api/log?from=${new Date(h.time.now() + 60_000).toISOString()}`);
    assert.deepEqual(window.body.entries, []);
  });

  it('given the calls of the morning, when a supervisor asks for the queue_log, then app_queue\'s lines come, as JSON or as the file; an operator is refused', async () => {
    const r = await api.as<{ lines: string[] }>('sam', 'GET', '/api/queue-log');
    assert.equal(r.status, 200);
    const events = r.body.lines.map((l) => l.split('|')[4]);
    assert.deepEqual(events.filter((e) => e !== 'ADDMEMBER'), ['ENTERQUEUE', 'CONNECT', 'ENTERQUEUE', 'ABANDON', 'COMPLETECALLER'], r.body.lines.join('\n'));
    assert.ok(r.body.lines.every((l) => /^\d{10}\|[^|]+\|(operators|backup)\|[^|]+\|[A-Z]+\|/.test(l)), r.body.lines.join('\n'));
    const text = await api.request<string>('GET', '/api/queue-log?format=text&limit=2', { token: await api.login('sam') });
    assert.equal(text.status, 200);
    assert.match(text.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(text.text, `${r.body.lines.slice(0, 2).join('\n')}\n`);
    assert.equal((await api.as<ErrorReply>('alice', 'GET', '/api/queue-log')).status, 403);
    for (const [q, status, field] of [['from=2000&to=1000', 422, 'query.from'], ['format=csv', 400, 'query.format'], ['limit=0', 400, 'query.limit']] as const) {
      const bad = await api.as<ErrorReply>('sam', 'GET', `/api/queue-log?${q}`);
      assert.deepEqual([bad.status, bad.body.error.field], [status, field], q);
    }
  });

  it('given bad log queries, when sent, then 400 or 422 names the field', async () => {
    const cases: Array<[string, number, string]> = [
      ['from=yesterday', 400, 'query.from'], ['to=-5', 400, 'query.to'], ['limit=0', 400, 'query.limit'], ['limit=5000', 400, 'query.limit'],
      ['number=abc', 400, 'query.number'], ['from=2000&to=1000', 422, 'query.from'], ['sort=asc', 400, 'query.sort'],
    ];
    for (const [q, status, field] of cases) {
      const r = await api.as<ErrorReply>('sam', 'GET', `/api/log?${q}`);
      assert.deepEqual([r.status, r.body.error.field], [status, field], q);
    }
  });

  it('given the calls of the morning, when statistics of the group are asked, then the 09:00 interval counts them with service level and Erlangs', async () => {
    const from = Date.UTC(2026, 0, 5, 8, 0);
    const to = Date.UTC(2026, 0, 5, 10, 0);
    const r = await api.as<{
      scope: string; intervalMs: number; intervals: Array<{ intervalStart: number; counters: Record<string, number>; figures: Record<string, number | null> }>;
      totals: { counters: Record<string, number>; figures: Record<string, number | null> };
      busyHours: Array<{ date: string; start: number; end: number; erlangs: number }>; timezone: string;
    }>('alice', 'GET', `/api/stats?scope=group:operators&from=${from}&to=${new Date(to).toISOString()}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.intervals.length, 8);
    const nine = r.body.intervals.find((i) => i.intervalStart === Date.UTC(2026, 0, 5, 9, 0))!;
    assert.deepEqual([nine.counters.offered, nine.counters.answered, nine.counters.abandoned], [2, 1, 1]);
    assert.equal(nine.figures.serviceLevel, 1);
    // the CLI's form (minutes, Z) is read the same by the API
    const minutes = await api.as<{ from: number; to: number }>('alice', 'GET', '/api/stats?scope=group:operators&from=2026-01-05T08:00Z&to=2026-01-05T10:00%2B00:00');
    assert.deepEqual([minutes.status, minutes.body.from, minutes.body.to], [200, from, to], minutes.text);
    assert.equal(nine.figures.averageSpeedOfAnswerSeconds, 5);
    assert.ok((nine.figures.carriedErlangs ?? 0) > 0, '(nine.figures.carriedErlangs ?? 0) > 0');
    // talk from bridge enter to leave: answered at 09:00:05, hung up at 09:02:00
    assert.equal(nine.counters.holdingSeconds, 115);
    assert.equal(nine.counters.heldSeconds, 0);
    assert.equal(nine.counters.longestWaitSeconds, 10, 'the abandoned caller waited 10 s');
    assert.equal(nine.figures.averageAbandonWaitSeconds, 10);
    assert.equal(nine.figures.serviceLevel2, 1);
    // att1 and att2 logged in the whole interval, att1 busy 115 s of it
    assert.equal(nine.figures.occupancy, 115 / 1800);
    assert.equal(r.body.totals.counters.offered, 2);
    assert.equal(r.body.timezone, 'UTC');
    assert.deepEqual(r.body.busyHours.map((b) => [b.date, b.start]), [['2026-01-05', Date.UTC(2026, 0, 5, 8, 15)]]);
    const empty = r.body.intervals.find((i) => i.intervalStart === from)!;
    assert.equal(empty.counters.offered, 0);
    const byAttendant = await api.as<{ totals: { counters: Record<string, number> } }>('alice', 'GET', `/api/stats?scope=attendant:att1&from=${from}&to=${to}`);
    assert.equal(byAttendant.body.totals.counters.answered, 1);
  });

  it('given bad statistics queries, when sent, then 400, 404 or 422 names what is wrong', async () => {
    const cases: Array<[string, number, string | undefined]> = [
      ['', 400, 'query.scope'], ['scope=operators', 400, 'query.scope'], ['scope=queue:operators', 400, 'query.scope'],
      ['scope=group:sales', 404, undefined], ['scope=group:operators&from=10&to=5', 422, 'query.from'],
      ['scope=group:operators&from=0&to=9999999999999', 422, 'query.from'], ['scope=group:operators&to=tomorrow', 400, 'query.to'],
    ];
    for (const [q, status, field] of cases) {
      const r = await api.as<ErrorReply>('alice', 'GET', `/api/stats?${q}`);
      assert.equal(r.status, status, q);
      if (field) assert.equal(r.body.error.field, field, q);
    }
  });

  it('given the Erlang calculator, when B and C are asked, then the figures are those of lib/domain/erlang.ts; impossible inputs are 422', async () => {
    const b = await api.as<{ lines: number; blocking: number }>('alice', 'GET', '/api/erlang/b?traffic=10&blocking=0.01');
    assert.deepEqual([b.status, b.body.lines], [200, 18]);
    const bn = await api.as<{ blocking: number }>('alice', 'GET', '/api/erlang/b?traffic=2&lines=4');
    assert.ok(Math.abs(bn.body.blocking - 0.0952) < 1e-3, 'Math.abs(bn.body.blocking - 0.0952) < 1e-3');
    const c = await api.as<{ agents: number; serviceLevel: number }>('alice', 'GET', '/api/erlang/c?callsPerHour=120&aht=60&target=20&level=0.8');
    assert.deepEqual([c.status, c.body.agents], [200, 4]);
    const cn = await api.as<{ averageSpeedOfAnswer: number | null }>('alice', 'GET', '/api/erlang/c?traffic=3&aht=60&target=20&agents=3');
    assert.equal(cn.body.averageSpeedOfAnswer, null, 'unstable queue: infinite wait');
    const cases: Array<[string, number, string]> = [
      ['b?traffic=10', 422, 'query.lines'], ['b?lines=3', 422, 'query.traffic'], ['b?traffic=ten&lines=3', 400, 'query.traffic'],
      ['b?traffic=10&blocking=2', 400, 'query.blocking'], ['c?traffic=2&target=20&agents=3', 422, 'query.aht'],
      ['c?traffic=2&aht=60&agents=3', 400, 'query.target'], ['c?traffic=2&aht=60&target=20&level=1', 422, 'query.level'],
      ['c?traffic=2&aht=60&target=20', 422, 'query.agents'], ['b?traffic=99999999&lines=1', 400, 'query.traffic'],
    ];
    for (const [q, status, field] of cases) {
      const r = await api.as<ErrorReply>('alice', 'GET', `/api/erlang/${q}`);
      assert.deepEqual([r.status, r.body.error.field], [status, field], q);
    }
  });

  it('given the health check, when called without credentials, then it reports ARI and the store', async () => {
    const r = await api.request<{ status: string; ari: boolean; store: boolean }>('GET', '/healthz');
    assert.deepEqual([r.status, r.body.status, r.body.ari, r.body.store], [200, 'ok', true, true]);
  });
});
