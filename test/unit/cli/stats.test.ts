import assert from 'node:assert/strict';
import { ManualTime } from '../../../lib/clock.ts';
import { runStatsCommand } from '../../../lib/cli/stats.ts';
import { MemoryStore } from '../../../lib/store/memory.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0);
const Q = 900_000;

async function storeWithTraffic(): Promise<MemoryStore> {
  const store = new MemoryStore(new ManualTime(T0));
  await store.commit([
    // 09:00: 4 offered, 3 answered (2 within T), 1 abandoned; 3 × 120 s holding, all carried here
    { op: 'stats', scope: 'group:operators', intervalStart: T0, add: { offered: 4, answered: 3, answeredWithinT: 2, abandoned: 1, holdingSeconds: 360, carriedSeconds: 360, waitSecondsAnswered: 30 } },
    { op: 'stats', scope: 'group:operators', intervalStart: T0 + Q, add: { offered: 1, answered: 1, answeredWithinT: 1, holdingSeconds: 90, carriedSeconds: 90, waitSecondsAnswered: 5 } },
    { op: 'stats', scope: 'group:backup', intervalStart: T0, add: { offered: 9 } },
  ]);
  return store;
}

describe('attendant stats', () => {
  it('given counters of a group, when asked as CSV, then one row per interval carries counters and figures', async () => {
    const store = await storeWithTraffic();
    const r = await runStatsCommand(['--group', 'operators', '--from', '2026-01-05T09:00:00Z', '--to', '2026-01-05T10:00:00Z', '--format', 'csv'], store, T0);
    assert.equal(r.exitCode, 0);
    const [header, first, second, extra] = r.stdout.trim().split('\r\n');
    const cols = header!.split(',');
    const row = Object.fromEntries(first!.split(',').map((v, i) => [cols[i], v]));
    assert.equal(row.interval, '2026-01-05T09:00:00.000Z');
    assert.equal(row.offered, '4');
    assert.equal(row.abandoned, '1');
    assert.equal(row.carriedErlangs, '0.4'); // 360 s over a 900 s interval
    assert.equal(row.averageHoldingSeconds, '120');
    assert.equal(row.averageSpeedOfAnswerSeconds, '10');
    assert.equal(row.serviceLevel, '0.6667');
    assert.ok(second!.startsWith('2026-01-05T09:15:00.000Z,1,1'));
    assert.equal(extra, undefined, 'the backup group is not mixed in');
  });

  it('given JSON, then the busy hour comes with the intervals', async () => {
    const r = await runStatsCommand(['--group', 'operators', '--from', '2026-01-05T08:00:00Z', '--to', '2026-01-05T12:00:00Z', '--format', 'json'], await storeWithTraffic(), T0);
    const doc = JSON.parse(r.stdout) as { intervals: unknown[]; busyHour: { start: number; erlangs: number } };
    assert.equal(doc.intervals.length, 2);
    assert.ok(Math.abs(doc.busyHour.erlangs - (360 + 90) / 3600) < 1e-9);
  });

  it('given bad arguments, then exit code 2 and the flag is named', async () => {
    const store = await storeWithTraffic();
    assert.equal((await runStatsCommand(['--from', 'x'], store, T0)).exitCode, 2);
    const both = await runStatsCommand(['--group', 'a', '--class', 'b'], store, T0);
    assert.match(both.stdout, /exactly one of --group, --class, --attendant/);
    assert.match((await runStatsCommand(['--group', 'a', '--from', 'yesterday'], store, T0)).stdout, /--from: not a date/);
    assert.match((await runStatsCommand(['--group', 'a', '--format', 'xml'], store, T0)).stdout, /--format/);
  });

  it('given text output and no traffic, then it says so', async () => {
    const r = await runStatsCommand(['--attendant', 'att9'], await storeWithTraffic(), T0);
    assert.equal(r.exitCode, 0);
    assert.match(r.stdout, /no traffic counted/);
  });
});
