import assert from 'node:assert/strict';
import type { CallClassConfig } from '../../../lib/config.ts';
import {
  DEFAULT_CALL_CLASS, nextToPresent, orderQueue, presentableAt, presentationDelay, queueScore, resolveClass,
} from '../../../lib/domain/presentation.ts';
import type { PresentCandidate } from '../../../lib/domain/presentation.ts';
import { SECOND, T0, seeded } from './fixtures.ts';

const CLASSES: CallClassConfig[] = [
  { id: 'external', priority: 5, delayedRing: 0 },
  { id: 'internal', priority: 4, delayedRing: 0 },
  { id: 'urgent', priority: 9, delayedRing: 0 },
  { id: 'recall', priority: 7, delayedRing: 30 },
];

describe('call classes', () => {
  it('given a configured class id, when the class is resolved, then that class comes back', () => {
    assert.deepEqual(resolveClass(CLASSES, 'urgent'), { id: 'urgent', priority: 9, delayedRing: 0 });
  });

  it('given an unknown class id, when the class is resolved, then the configured external class serves it', () => {
    const custom = [{ id: 'external', priority: 6, delayedRing: 2 }, { id: 'urgent', priority: 9, delayedRing: 0 }];
    assert.deepEqual(resolveClass(custom, 'typo'), { id: 'external', priority: 6, delayedRing: 2 });
  });

  it('given an unknown class id and no external class, when the class is resolved, then a priority 5 class without delay serves it', () => {
    const cls = resolveClass([{ id: 'urgent', priority: 9, delayedRing: 0 }], 'typo');
    assert.deepEqual(cls, { id: 'external', priority: 5, delayedRing: 0 });
    assert.notEqual(cls, DEFAULT_CALL_CLASS, 'a copy the caller may change');
    assert.deepEqual(resolveClass([], ''), { ...DEFAULT_CALL_CLASS });
  });
});

describe('queue order', () => {
  it('given two normal calls waiting, when an urgent call arrives after them, then it is served first', () => {
    const order = orderQueue([
      { id: 'normal-1', priority: 5, arrivedAt: T0 },
      { id: 'normal-2', priority: 5, arrivedAt: T0 + 10 * SECOND },
      { id: 'urgent', priority: 9, arrivedAt: T0 + 20 * SECOND },
    ]);
    assert.deepEqual(order, ['urgent', 'normal-1', 'normal-2']);
  });

  it('given calls of the same priority, when ordered, then the first to arrive is served first (FIFO)', () => {
    const order = orderQueue([
      { id: 'c', priority: 5, arrivedAt: T0 + 3 },
      { id: 'a', priority: 5, arrivedAt: T0 + 1 },
      { id: 'b', priority: 5, arrivedAt: T0 + 2 },
    ]);
    assert.deepEqual(order, ['a', 'b', 'c']);
  });

  it('given calls of equal priority and arrival, when ordered, then they go by id as a Redis sorted set would', () => {
    assert.deepEqual(orderQueue([
      { id: 'z', priority: 5, arrivedAt: T0 }, { id: 'a', priority: 5, arrivedAt: T0 }, { id: 'm', priority: 5, arrivedAt: T0 },
    ]), ['a', 'm', 'z']);
  });

  it('given a lower priority call that has waited an hour, when a higher priority call arrives, then the higher priority still goes first', () => {
    assert.deepEqual(orderQueue([
      { id: 'internal-old', priority: 4, arrivedAt: T0 - 3600 * SECOND },
      { id: 'external-new', priority: 5, arrivedAt: T0 },
    ]), ['external-new', 'internal-old']);
  });

  it('given 200 seeded random calls, then the order is exactly the order of queueScore', () => {
    const rnd = seeded(9);
    const calls = Array.from({ length: 200 }, (_, i) => ({
      id: `c${String(i).padStart(3, '0')}`, priority: 1 + Math.floor(rnd() * 9), arrivedAt: T0 + Math.floor(rnd() * 100_000),
    }));
    const byScore = [...calls].sort((a, b) => queueScore(a.priority, a.arrivedAt) - queueScore(b.priority, b.arrivedAt) || a.id.localeCompare(b.id));
    assert.deepEqual(orderQueue(calls), byScore.map((c) => c.id));
  });

  it('keeps queueScore: priority 9 scores lower than priority 1, and an earlier arrival lower than a later one', () => {
    assert.ok(queueScore(9, T0 + 1000) < queueScore(1, T0), 'queueScore(9, T0 + 1000) < queueScore(1, T0)');
    assert.ok(queueScore(5, T0) < queueScore(5, T0 + 1), 'queueScore(5, T0) < queueScore(5, T0 + 1)');
    assert.equal(queueScore(9, T0), 1e13 + T0);
  });

  it('given an empty queue, when ordered, then nothing comes back', () => {
    assert.deepEqual(orderQueue([]), []);
  });
});

describe('delayed ring', () => {
  it('given a class with a 30 s delayed ring, then its presentation waits 30,000 ms after arrival', () => {
    const recall = resolveClass(CLASSES, 'recall');
    assert.equal(presentationDelay(recall), 30_000);
    assert.equal(presentableAt(recall, T0), T0 + 30_000);
  });

  it('given a class without delay, a fractional or a nonsense delay, then the delay is whole ms and never negative', () => {
    assert.equal(presentationDelay({ delayedRing: 0 }), 0);
    assert.equal(presentationDelay({ delayedRing: 1.5 }), 1500);
    assert.equal(presentationDelay({ delayedRing: -3 }), 0);
    assert.equal(presentationDelay({ delayedRing: Number.NaN }), 0);
  });

  it('given the first call still in its delayed ring, when the next presentation is chosen, then the call behind it is presented and a re-check is set for the first', () => {
    const calls = new Map<string, PresentCandidate>([
      ['urgent', { arrivedAt: T0, delayMs: 30_000 }],
      ['normal', { arrivedAt: T0 - 5000 }],
    ]);
    assert.deepEqual(nextToPresent(['urgent', 'normal'], calls, T0 + 10_000), { callId: 'normal', recheckAt: T0 + 30_000 });
  });

  it('given every call in its delayed ring, when the next presentation is chosen, then none is presented and the re-check is the earliest end of delay', () => {
    const calls = new Map<string, PresentCandidate>([
      ['a', { arrivedAt: T0, delayMs: 30_000 }],
      ['b', { arrivedAt: T0, delayMs: 10_000 }],
    ]);
    assert.deepEqual(nextToPresent(['a', 'b'], calls, T0 + 1), { recheckAt: T0 + 10_000 });
  });

  it('given a delayed ring that ends exactly now, when the next presentation is chosen, then that call is presented', () => {
    const calls = new Map<string, PresentCandidate>([['a', { arrivedAt: T0, delayMs: 30_000 }]]);
    assert.deepEqual(nextToPresent(['a'], calls, T0 + 30_000), { callId: 'a' });
  });

  it('given calls already ringing elsewhere or unknown ids in the queue, when the next presentation is chosen, then they are skipped', () => {
    const calls = new Map<string, PresentCandidate>([
      ['ringing', { arrivedAt: T0, state: 'ringing' }],
      ['waiting', { arrivedAt: T0 + 1, state: 'waiting' }],
    ]);
    assert.deepEqual(nextToPresent(['ghost', 'ringing', 'waiting'], calls, T0 + 2), { callId: 'waiting' });
  });

  it('given an empty queue, when the next presentation is chosen, then there is nothing to present and nothing to re-check', () => {
    assert.deepEqual(nextToPresent([], new Map(), T0), {});
  });
});
