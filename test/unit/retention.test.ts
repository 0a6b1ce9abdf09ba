// Retention rounds on a manual clock and the real memory store: when they run, what cut-off each
// kind gets, and that a failing trim neither stops the rounds nor the other kinds.
import assert from 'node:assert/strict';
import { ManualTime } from '../../lib/clock.ts';
import { createLogger, silentLogger } from '../../lib/log.ts';
import { MemoryStore } from '../../lib/store/memory.ts';
import type { Store, StoreOp, TrimKind } from '../../lib/store/store.ts';
import { RETENTION_FIRST_MS, RETENTION_ROUND_MS, RetentionKeeper } from '../../lib/stats/retention.ts';
import { Writable } from 'node:stream';

const DAY = 86_400_000;
const flush = () => new Promise((r) => setImmediate(r));

describe('retention keeper', () => {
  let time: ManualTime;
  let store: MemoryStore;
  let keeper: RetentionKeeper | undefined;

  beforeEach(() => {
    time = new ManualTime();
    store = new MemoryStore(time);
  });

  afterEach(async () => {
    await keeper?.stop();
    keeper = undefined;
  });

  async function seed(): Promise<void> {
    const now = time.now();
    const ops: StoreOp[] = [];
    for (const age of [400, 100, 89, 1]) {
      const t = now - age * DAY;
      ops.push({ op: 'log', entry: { time: t, operator: 'att1', action: 'answer', numbers: [], result: 'ok' } });
      ops.push({ op: 'queueLog', time: t, line: `q${age}` });
      ops.push({ op: 'stats', scope: 'group:operators', intervalStart: t - (t % 900_000), add: { offered: age } });
    }
    await store.commit(ops);
  }

  it('given old entries, when the first round runs a minute after start, then each kind keeps its own days and later rounds come every hour', async () => {
    await seed();
    keeper = new RetentionKeeper(store, time, silentLogger(), { logDays: 90, queueLogDays: 30, statsDays: 365 });
    keeper.start();
    time.advance(RETENTION_FIRST_MS - 1);
    await flush();
    assert.equal((await store.queryLog({})).length, 4, 'nothing before the first minute');
    time.advance(1);
    await flush();
    assert.deepEqual((await store.queryLog({})).map((e) => Math.round((time.now() - e.time) / DAY)), [89, 1]);
    assert.deepEqual(await store.readQueueLog(-Infinity, Infinity), ['q1']);
    assert.deepEqual((await store.stats('group:operators', 0, Infinity)).map((i) => i.counters.offered), [100, 89, 1]);

    // a day later, the entry of 89 days is 90 days old: the next hourly rounds take it
    await store.commit([{ op: 'log', entry: { time: time.now(), operator: 'att1', action: 'answer', numbers: [], result: 'ok' } }]);
    for (let h = 0; h < 24; h++) {
      time.advance(RETENTION_ROUND_MS);
      await flush();
    }
    assert.equal((await store.queryLog({})).length, 2);
  });

  it('given every kind kept for ever, when started, then nothing is scheduled and nothing goes', async () => {
    await seed();
    keeper = new RetentionKeeper(store, time, silentLogger(), { logDays: 0, queueLogDays: 0, statsDays: 0 });
    keeper.start();
    assert.equal(time.pendingCount, 0);
    assert.deepEqual(await keeper.round(), {});
    assert.equal((await store.queryLog({})).length, 4);
  });

  it('given a store whose log trim fails, when a round runs, then the failure is logged, the other kinds are trimmed and the next round tries again', async () => {
    await seed();
    let failures = 0;
    const failing: Pick<Store, 'trim'> = {
      trim: (kind: TrimKind, before: number) => {
        if (kind === 'log' && failures++ < 1) return Promise.reject(new Error('redis went away'));
        return store.trim(kind, before);
      },
    };
    const lines: string[] = [];
    const log = createLogger('warn', new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } }));
    keeper = new RetentionKeeper(failing, time, log, { logDays: 90, queueLogDays: 90, statsDays: 90 });
    assert.deepEqual(await keeper.round(), { queueLog: 2, stats: 2 });
    assert.ok(lines.some((l) => l.includes('retention: trim failed') && l.includes('"kind":"log"')), lines.join(''));
    assert.deepEqual(await keeper.round(), { log: 2, queueLog: 0, stats: 0 });
  });

  it('given a keeper stopped, when its time comes, then no round runs', async () => {
    await seed();
    keeper = new RetentionKeeper(store, time, silentLogger(), { logDays: 1, queueLogDays: 1, statsDays: 1 });
    keeper.start();
    await keeper.stop();
    time.advance(RETENTION_FIRST_MS + RETENTION_ROUND_MS);
    await flush();
    assert.equal((await store.queryLog({})).length, 4);
  });
});
