import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualTime } from '../../../lib/clock.ts';
import { runQueueLogCommand } from '../../../lib/cli/queue-log.ts';
import { MemoryStore } from '../../../lib/store/memory.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0);
const S0 = T0 / 1000;

async function storeWithLines(): Promise<MemoryStore> {
  const store = new MemoryStore(new ManualTime(T0));
  await store.commit([
    { op: 'queueLog', time: T0, line: `${S0}|c1|operators|NONE|ENTERQUEUE||0600|1` },
    { op: 'queueLog', time: T0 + 3_600_000, line: `${S0 + 3600}|c2|operators|NONE|ENTERQUEUE||0601|1` },
  ]);
  return store;
}

describe('attendant queue-log', () => {
  it('given stored lines, when asked for a window, then the lines in it are printed oldest first', async () => {
    const store = await storeWithLines();
    const r = await runQueueLogCommand(['--from', new Date(T0).toISOString(), '--to', new Date(T0 + 60_000).toISOString()], store, T0 + 86_400_000);
    assert.deepEqual(r, { stdout: `${S0}|c1|operators|NONE|ENTERQUEUE||0600|1\n`, exitCode: 0 });
    const day = await runQueueLogCommand([], store, T0 + 3_600_000);
    assert.equal(day.stdout.split('\n').filter(Boolean).length, 2, 'the last 24 hours by default');
  });

  it('given --out, when run, then the lines are appended to the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'attendant-qlog-cli-'));
    try {
      const out = join(dir, 'queue_log');
      const store = await storeWithLines();
      assert.equal((await runQueueLogCommand(['--out', out], store, T0 + 3_600_000)).exitCode, 0);
      await runQueueLogCommand(['--out', out, '--from', new Date(T0 + 1).toISOString()], store, T0 + 3_600_000);
      assert.equal((await readFile(out, 'utf8')).split('\n').filter(Boolean).length, 3, 'two, then one more appended');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('given bad arguments, when run, then exit 2 with the problem named', async () => {
    const store = await storeWithLines();
    assert.match((await runQueueLogCommand(['--from', 'yesterday'], store, T0)).stdout, /--from: not a date\/time/);
    assert.equal((await runQueueLogCommand(['--from', '2026-01-06T00:00:00Z', '--to', '2026-01-05T00:00:00Z'], store, T0)).exitCode, 2);
    assert.equal((await runQueueLogCommand(['--bogus'], store, T0)).exitCode, 2);
  });
});
