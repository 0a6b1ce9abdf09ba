import assert from 'node:assert/strict';
import { ManualTime } from '../../../lib/clock.ts';
import { runStatsCommand } from '../../../lib/cli/stats.ts';
import { MemoryStore } from '../../../lib/store/memory.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0);
const Q = 900_000;

async function storeWithTraffic(): Promise<MemoryStore> {
  const store = new MemoryStore(new ManualTime(T0));
  await store.commit([
    // 09:00: 4 offered, 3 answered (2 within T), 1 abandoned after 50 s; 3 × 120 s holding, all carried here
    {
      op: 'stats', scope: 'group:operators', intervalStart: T0,
      add: { offered: 4, answered: 3, answeredWithinT: 2, abandoned: 1, waitSecondsAbandoned: 50, holdingSeconds: 360, carriedSeconds: 360, waitSecondsAnswered: 30, loggedInSeconds: 1800, busySeconds: 360 },
      max: { longestWaitSeconds: 50, longestAbandonWaitSeconds: 50 },
    },
    { op: 'stats', scope: 'group:operators', intervalStart: T0 + Q, add: { offered: 1, answered: 1, answeredWithinT: 1, holdingSeconds: 90, carriedSeconds: 90, waitSecondsAnswered: 5 }, max: { longestWaitSeconds: 5 } },
    { op: 'stats', scope: 'group:backup', intervalStart: T0, add: { offered: 9 } },
  ]);
  return store;
}

function csvRows(stdout: string): Array<Record<string, string>> {
  const [header, ...lines] = stdout.trim().split('\r\n');
  const cols = header!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

describe('attendant stats', () => {
  it('given counters of a group, when asked as CSV, then every interval of the window is one row with counters and figures', async () => {
    const store = await storeWithTraffic();
    const r = await runStatsCommand(['--group', 'operators', '--from', '2026-01-05T09:00:00Z', '--to', '2026-01-05T10:00:00Z', '--format', 'csv'], store, T0 + 4 * Q);
    assert.equal(r.exitCode, 0);
    const rows = csvRows(r.stdout);
    assert.deepEqual(rows.map((x) => x.interval), ['2026-01-05T09:00:00.000Z', '2026-01-05T09:15:00.000Z', '2026-01-05T09:30:00.000Z', '2026-01-05T09:45:00.000Z']);
    const row = rows[0]!;
    assert.equal(row.offered, '4');
    assert.equal(row.abandoned, '1');
    assert.equal(row.carriedErlangs, '0.4'); // 360 s over a 900 s interval
    assert.equal(row.averageHoldingSeconds, '120');
    assert.equal(row.averageSpeedOfAnswerSeconds, '10');
    assert.equal(row.serviceLevel, '0.6667');
    assert.equal(row.serviceLevel2, '0.5'); // (2 + 0) / (3 + 1)
    assert.equal(row.longestWaitSeconds, '50');
    assert.equal(row.averageAbandonWaitSeconds, '50');
    assert.equal(row.occupancy, '0.2'); // 360 s busy of 1800 s logged in
    assert.equal(row.completionRate, '0.75');
    assert.equal(rows[1]!.offered, '1');
    assert.equal(rows[2]!.offered, '0', 'an empty interval is a row of zeros, not a gap');
    assert.equal(rows[2]!.serviceLevel, '', 'a figure without a denominator is an empty field');
    assert.ok(rows.every((x) => x.offered !== '9'), 'the backup group is not mixed in');
  });

  it('given JSON, then totals, longest wait as a maximum and the busy hour of each day come with the intervals', async () => {
    const r = await runStatsCommand(['--group', 'operators', '--from', '2026-01-05T08:00:00Z', '--to', '2026-01-05T12:00:00Z', '--format', 'json'], await storeWithTraffic(), T0 + 12 * Q);
    const doc = JSON.parse(r.stdout) as {
      intervals: unknown[]; totals: Record<string, number>; timezone: string;
      busyHours: Array<{ date: string; start: string; erlangs: number }>;
    };
    assert.equal(doc.intervals.length, 16);
    assert.equal(doc.totals.offered, 5);
    assert.equal(doc.totals.longestWaitSeconds, 50);
    assert.equal(doc.totals.carriedErlangs, Math.round(((360 + 90) / (4 * 3600)) * 10_000) / 10_000);
    assert.equal(doc.timezone, 'UTC');
    // 09:00 at 0.4 E and 09:15 at 0.1 E: every hour holding both has 0.125 E; the earliest, 08:30, wins
    assert.deepEqual(doc.busyHours, [{ date: '2026-01-05', start: '2026-01-05T08:30:00.000Z', end: '2026-01-05T09:30:00.000Z', erlangs: 0.125 }]);
  });

  it('given an attendant busy since 09:10 and not yet back, when asked at 09:20, then its open stretch counts as busy time', async () => {
    const store = new MemoryStore(new ManualTime(T0));
    await store.commit([{ op: 'putAttendant', attendant: {
      id: 'att1', state: 'busy', since: T0 + 10 * 60_000, reason: 'answered', groups: ['operators'], device: 'PJSIP/att1', idleSince: 0, callsTaken: 1, loggedInAt: T0,
    } }, { op: 'stats', scope: 'attendant:att1', intervalStart: T0, add: { loggedInSeconds: 600 } }]);
    const r = await runStatsCommand(['--attendant', 'att1', '--from', '2026-01-05T09:00:00Z', '--to', '2026-01-05T09:30:00Z', '--format', 'csv'], store, T0 + 20 * 60_000);
    const rows = csvRows(r.stdout);
    assert.deepEqual(rows.map((x) => [x.loggedInSeconds, x.busySeconds, x.occupancy]), [['900', '300', '0.3333'], ['300', '300', '1']]);
    const group = csvRows((await runStatsCommand(['--group', 'operators', '--from', '2026-01-05T09:15:00Z', '--to', '2026-01-05T09:30:00Z', '--format', 'csv'], store, T0 + 20 * 60_000)).stdout);
    assert.equal(group[0]!.busySeconds, '300');
  });

  it('given text output, then the active intervals, a total line and the busy hour are printed', async () => {
    const r = await runStatsCommand(['--group', 'operators', '--from', '2026-01-05T08:00:00Z', '--to', '2026-01-05T12:00:00Z'], await storeWithTraffic(), T0);
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, /^group:operators {2}2026-01-05T08:00:00.000Z → 2026-01-05T12:00:00.000Z/);
    assert.match(r.stdout, /^2026-01-05T09:00:00.000Z +4 +3 +1 +0 +0.4 +120 +10 +50 +0.6667 +0.2$/m);
    assert.match(r.stdout, /^total +5 +4 +1 +0 /m);
    assert.match(r.stdout, /^busy hour 2026-01-05: 2026-01-05T08:30:00.000Z → 2026-01-05T09:30:00.000Z, 0.125 E$/m);
    assert.doesNotMatch(r.stdout, /09:45:00/, 'quiet intervals are left out of the text table');
  });

  it('given bad arguments, then exit code 2 and the flag is named', async () => {
    const store = await storeWithTraffic();
    assert.equal((await runStatsCommand(['--from', 'x'], store, T0)).exitCode, 2);
    const both = await runStatsCommand(['--group', 'a', '--class', 'b'], store, T0);
    assert.match(both.stdout, /exactly one of --group, --class, --attendant/);
    assert.match((await runStatsCommand(['--group', 'a', '--from', 'yesterday'], store, T0)).stdout, /--from: not a date/);
    assert.match((await runStatsCommand(['--group', 'a', '--format', 'xml'], store, T0)).stdout, /--format/);
    assert.match((await runStatsCommand(['--group', 'a:b'], store, T0)).stdout, /--group: not an id/);
    assert.match((await runStatsCommand(['--group', 'a', '--from', '2026-01-05T10:00:00Z', '--to', '2026-01-05T09:00:00Z'], store, T0)).stdout, /--from must be before --to/);
  });

  it('given text output and no traffic, then it says so', async () => {
    const r = await runStatsCommand(['--attendant', 'att9'], await storeWithTraffic(), T0);
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, /no traffic counted/);
  });
});
