// The real-Asterisk bench measures each load in rounds, the paths' order reversed every other round,
// and pools the rounds: the figures of the whole load are those of all its calls.
import assert from 'node:assert/strict';
import { pooled, roundOrder, roundShare, type RoundMeasure } from '../../bench/asterisk/rounds.ts';

const part = (over: Partial<RoundMeasure>): RoundMeasure => ({
  path: 'attendant', user: 'plain', load: { kind: 'sequential', calls: 2 }, offered: 2, spanMs: 100, latenciesMs: [1, 2],
  cpuMs: 10, asteriskCpuMs: 20, ariRequests: 8, captureDropped: 0, httpSessionLimitWarnings: 0, drained: true, ...over,
});

describe('bench:asterisk rounds', () => {
  it('reverses the order of the paths every other round (A B, B A, A B, ...)', () => {
    assert.deepEqual([0, 1, 2, 3].map((r) => roundOrder(['minimal', 'attendant'], r).join(' ')), ['minimal attendant', 'attendant minimal', 'minimal attendant', 'attendant minimal']);
  });

  it('splits a load evenly: calls for sequential loads, time for rates', () => {
    assert.deepEqual(roundShare({ kind: 'sequential', calls: 200 }, 4), { kind: 'sequential', calls: 50 });
    assert.deepEqual(roundShare({ kind: 'rate', rate: 60, durationMs: 15_000 }, 4), { kind: 'rate', rate: 60, durationMs: 3750 });
  });

  it('pools the rounds: percentiles over every call, counters summed, per-call figures over all calls, each round kept', () => {
    const r = pooled({ kind: 'sequential', calls: 4 }, [part({ latenciesMs: [1, 2] }), part({ latenciesMs: [3, 4], cpuMs: 30, drained: false })]);
    assert.equal(r.offered, 4);
    assert.equal(r.presentation.count, 4);
    assert.equal(r.presentation.p50, 2);
    assert.equal(r.presentation.max, 4);
    assert.equal(r.cpuMsPerCall, 10);
    assert.equal(r.asteriskCpuMsPerCall, 10);
    assert.equal(r.ariRequestsPerCall, 4);
    assert.equal(r.drained, false);
    assert.equal(r.presentedRatio, 1);
    assert.deepEqual(r.rounds, [{ p50: 1, p99: 2 }, { p50: 3, p99: 4 }]);
  });

  it('a path without an app (Dial) has no CPU figure; one round has no per-round list', () => {
    const r = pooled({ kind: 'rate', rate: 10, durationMs: 1000 }, [part({ path: 'dial', cpuMs: null, offered: 10, spanMs: 900, latenciesMs: Array(10).fill(2) })]);
    assert.equal(r.cpuMsPerCall, null);
    assert.equal(r.rounds, undefined);
    assert.equal(r.offeredRate, 10);
    assert.equal(r.sustained, true);
  });
});
