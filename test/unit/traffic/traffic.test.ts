import assert from 'node:assert/strict';
import {
  ALL_COUNTER_NAMES,
  aggregate,
  busyHour,
  COUNTER_NAMES,
  countersForCallEnd,
  emptyCounters,
  figuresFromCounters,
  INTERVAL_MS,
  intervalOf,
  mergeCounters,
  occupancy,
  sumCounterDeltas,
} from '../../../lib/domain/traffic.ts';
import type { CallHistory, IntervalFigures, TrafficCounters, TrafficFigures } from '../../../lib/domain/traffic.ts';

// 2024-01-15 09:00:00 UTC; intervals I0 = 09:00, I1 = 09:15, I2 = 09:30.
const T0 = Date.UTC(2024, 0, 15, 9, 0, 0);
const at = (min: number, sec = 0): number => T0 + min * 60_000 + sec * 1000;
const I0 = at(0);
const I1 = at(15);
const I2 = at(30);
const T = 20; // service-level target, seconds

function close(actual: number | null, expected: number | null, what: string): void {
  if (expected === null || actual === null) {
    assert.equal(actual, expected, what);
    return;
  }
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

// A morning at the reception group. Waits, talk and outcomes are chosen so
// each figure below can be worked out by hand.
const calls: CallHistory[] = [
  // c1: waits 10 s, talks 180 s
  { id: 'c1', group: 'reception', callClass: 'external', arrivedAt: at(1), answeredAt: at(1, 10), endedAt: at(4, 10),
    outcome: 'answered', attendant: 'op1', talk: [{ start: at(1, 10), end: at(4, 10) }] },
  // c2: waits 30 s (after T), talks 60 s, held 60 s, talks 60 s: holding 120 s, held 60 s
  { id: 'c2', group: 'reception', callClass: 'external', arrivedAt: at(2), answeredAt: at(2, 30), endedAt: at(5, 30),
    outcome: 'answered', attendant: 'op2', talk: [{ start: at(2, 30), end: at(3, 30) }, { start: at(4, 30), end: at(5, 30) }] },
  // c3: abandons after 15 s (within T)
  { id: 'c3', group: 'reception', callClass: 'internal', arrivedAt: at(5), endedAt: at(5, 15), outcome: 'abandoned', talk: [] },
  // c4: abandons after 45 s (after T)
  { id: 'c4', group: 'reception', callClass: 'internal', arrivedAt: at(6), endedAt: at(6, 45), outcome: 'abandoned', talk: [] },
  // c5: waits 5 s, talks 600 s from 09:10:05 to 09:20:05: 295 s in I0, 305 s in I1
  { id: 'c5', group: 'reception', callClass: 'external', arrivedAt: at(10), answeredAt: at(10, 5), endedAt: at(20, 5),
    outcome: 'answered', attendant: 'op1', talk: [{ start: at(10, 5), end: at(20, 5) }] },
  // c6: waits 40 s at reception, overflows to backup (c6b) where it waits 10 s and talks 100 s
  { id: 'c6', group: 'reception', callClass: 'external', arrivedAt: at(12), endedAt: at(12, 40), outcome: 'overflowed',
    overflowedTo: 'backup', talk: [] },
  { id: 'c6', group: 'backup', callClass: 'external', arrivedAt: at(12, 40), answeredAt: at(12, 50), endedAt: at(14, 30),
    outcome: 'answered', attendant: 'op3', overflowedFrom: 'reception', talk: [{ start: at(12, 50), end: at(14, 30) }] },
  // c7: diverted to night service on arrival; c8: rejected on arrival
  { id: 'c7', group: 'reception', callClass: 'internal', arrivedAt: at(13), endedAt: at(13), outcome: 'night', talk: [] },
  { id: 'c8', group: 'reception', callClass: 'external', arrivedAt: at(14), endedAt: at(14), outcome: 'lost', talk: [] },
  // c9 (in I1): waits exactly 20 s = T (counts as within), talks 120 s
  { id: 'c9', group: 'reception', callClass: 'internal', arrivedAt: at(20), answeredAt: at(20, 20), endedAt: at(22, 20),
    outcome: 'answered', attendant: 'op2', talk: [{ start: at(20, 20), end: at(22, 20) }] },
];

const window = { from: I0, to: at(45), serviceTargetSeconds: T };

function row(rows: IntervalFigures[], scope: string, start: number): IntervalFigures {
  const r = rows.find((x) => x.scope === scope && x.intervalStart === start);
  assert.ok(r, `row ${scope} @ ${new Date(start).toISOString()}`);
  return r;
}

describe('intervalOf', () => {
  it('given times around a quarter hour, when taking the interval, then it starts at floor(t / 15 min) · 15 min in UTC', () => {
    assert.equal(intervalOf(at(0)), I0);
    assert.equal(intervalOf(at(14, 59) + 999), I0);
    assert.equal(intervalOf(at(15)), I1);
    assert.equal(intervalOf(at(44, 30)), I2);
    assert.equal(INTERVAL_MS, 900_000);
  });

  it('given a time before the epoch, when taking the interval, then it still rounds down', () => {
    assert.equal(intervalOf(-1), -900_000);
  });

  it('given a non-finite time, when taking the interval, then a RangeError is thrown', () => {
    assert.throws(() => intervalOf(Number.NaN), RangeError);
  });
});

describe('aggregate', () => {
  const rows = aggregate(calls, window);

  it('given the morning, when aggregating, then the reception group counts every outcome in the arrival interval', () => {
    const r = row(rows, 'group:reception', I0);
    // I0 arrivals: c1 c2 c3 c4 c5 c6 c7 c8 → 8 offered
    // = 3 answered (c1 c2 c5) + 2 abandoned (c3 c4) + 1 overflow (c6) + 1 night (c7) + 1 lost (c8)
    assert.equal(r.offered, 8);
    assert.equal(r.answered, 3);
    assert.equal(r.abandoned, 2);
    assert.equal(r.overflowOut, 1);
    assert.equal(r.overflowIn, 0);
    assert.equal(r.night, 1);
    assert.equal(r.lost, 1);
    assert.equal(r.intervalEnd, I1);
  });

  it('given waits of 10, 30, 5 s answered and 15, 45 s abandoned, when aggregating, then SL, SL2, ASA and the waits follow', () => {
    const r = row(rows, 'group:reception', I0);
    assert.deepEqual(r.answeredWaits, [10, 30, 5]);
    assert.deepEqual(r.abandonedWaits, [15, 45]);
    assert.equal(r.answeredWithinT, 2); // 10 s and 5 s
    assert.equal(r.abandonedWithinT, 1); // 15 s; 45 s is after T
    close(r.serviceLevel, 2 / 3, 'SL = 2 within T / 3 answered');
    close(r.serviceLevel2, 3 / 5, 'SL2 = (2 + 1) / (3 + 2)');
    close(r.averageSpeedOfAnswerSeconds, 15, 'ASA = (10 + 30 + 5) / 3');
    close(r.averageAbandonWaitSeconds, 30, 'mean abandon wait = (15 + 45) / 2');
    assert.equal(r.longestWaitSeconds, 45); // c4; c6 waited 40 before overflowing
    assert.equal(r.longestAbandonWaitSeconds, 45);
    close(r.completionRate, 3 / 8, 'completion = 3 answered / 8 offered');
    close(r.abandonRate, 2 / 8, 'abandon rate = 2 / 8');
  });

  it('given holding times 180, 120 and 600 s with 60 s on hold, when aggregating, then AHT excludes the held time', () => {
    const r = row(rows, 'group:reception', I0);
    assert.equal(r.holdingSeconds, 900); // 180 + (60 + 60) + 600; c2's 60 s on hold is not holding time
    assert.equal(r.heldSeconds, 60);
    close(r.averageHoldingSeconds, 300, 'AHT = 900 / 3');
    close(r.averageHeldSeconds, 20, 'held = 60 / 3');
  });

  it('given a 600 s call from 09:10:05 to 09:20:05, when aggregating, then its holding time is split 295 s / 305 s over two intervals', () => {
    const r0 = row(rows, 'group:reception', I0);
    const r1 = row(rows, 'group:reception', I1);
    // I0: c1 180 + c2 120 + c5 295 = 595 s → 595 / 900 E
    assert.equal(r0.carriedSeconds, 595);
    close(r0.carriedErlangs, 595 / 900, 'carried I0');
    // I1: c5 305 + c9 120 = 425 s → 425 / 900 E
    assert.equal(r1.carriedSeconds, 425);
    close(r1.carriedErlangs, 425 / 900, 'carried I1');
  });

  it('given 8 offered calls and an AHT of 300 s, when aggregating, then offered traffic is A = n·h / T = 8 · 300 / 900 E', () => {
    close(row(rows, 'group:reception', I0).offeredErlangs, (8 * 300) / 900, 'offered I0');
    // I1: one call (c9) of 120 s
    close(row(rows, 'group:reception', I1).offeredErlangs, 120 / 900, 'offered I1');
  });

  it('given a wait of exactly T, when aggregating, then the call counts as answered within T', () => {
    const r = row(rows, 'group:reception', I1);
    assert.equal(r.offered, 1);
    assert.equal(r.answeredWithinT, 1);
    close(r.serviceLevel, 1, 'SL I1');
    close(r.averageSpeedOfAnswerSeconds, 20, 'ASA I1');
    close(r.averageHoldingSeconds, 120, 'AHT I1');
    assert.equal(r.longestWaitSeconds, 20);
  });

  it('given an interval with no activity, when aggregating, then it is present with zero counts and null ratios', () => {
    const r = row(rows, 'group:reception', I2);
    assert.equal(r.offered, 0);
    assert.equal(r.carriedErlangs, 0);
    assert.equal(r.offeredErlangs, 0);
    assert.equal(r.serviceLevel, null);
    assert.equal(r.serviceLevel2, null);
    assert.equal(r.averageHoldingSeconds, null);
    assert.equal(r.completionRate, null);
    assert.equal(r.longestWaitSeconds, 0);
  });

  it('given an overflow to backup, when aggregating, then backup counts it offered and overflowed in with its own wait', () => {
    const r = row(rows, 'group:backup', I0);
    assert.equal(r.offered, 1);
    assert.equal(r.overflowIn, 1);
    assert.equal(r.answered, 1);
    assert.equal(r.answeredWithinT, 1);
    close(r.averageSpeedOfAnswerSeconds, 10, 'wait in backup only');
    assert.equal(r.carriedSeconds, 100);
    close(r.offeredErlangs, 100 / 900, '1 call · 100 s / 900 s');
  });

  it('given the external class, when aggregating, then an overflowed call is offered once but its visits all count', () => {
    const r = row(rows, 'class:external', I0);
    // visits c1 c2 c5 c6 c6b c8; c6b came by overflow and is not offered again → 5 offered
    // = 4 answered (c1 c2 c5 c6b) + 1 lost (c8); c6's overflow is an intermediate step
    assert.equal(r.offered, 5);
    assert.equal(r.answered, 4);
    assert.equal(r.lost, 1);
    assert.equal(r.overflowOut, 1);
    assert.equal(r.overflowIn, 1);
    assert.equal(r.answeredWithinT, 3); // 10, 5, 10 s; not c2's 30 s
    close(r.averageSpeedOfAnswerSeconds, 55 / 4, 'ASA = (10 + 30 + 5 + 10) / 4');
    close(r.averageHoldingSeconds, 250, 'AHT = (180 + 120 + 600 + 100) / 4');
    assert.equal(r.carriedSeconds, 695); // 180 + 120 + 295 + 100
    close(r.offeredErlangs, (5 * 250) / 900, 'offered = 5 · 250 / 900');
    close(r.completionRate, 4 / 5, 'completion');
    assert.equal(r.longestWaitSeconds, 40); // c6 at reception before overflowing
  });

  it('given the internal class with no answered call in I0, when aggregating, then offered traffic is unknown (null) and SL2 uses abandons', () => {
    const r = row(rows, 'class:internal', I0);
    assert.equal(r.offered, 3); // c3 c4 c7
    assert.equal(r.abandoned, 2);
    assert.equal(r.night, 1);
    assert.equal(r.offeredErlangs, null); // no holding time to estimate h from
    assert.equal(r.serviceLevel, null);
    close(r.serviceLevel2, 1 / 2, 'SL2 = (0 + 1) / (0 + 2)');
    close(r.completionRate, 0, 'completion');
  });

  it('given attendants, when aggregating, then each counts only the calls it answered and its carried traffic', () => {
    const op1 = row(rows, 'attendant:op1', I0);
    // c1 and c5: waits 10 and 5, holding 180 + 600, carried in I0 180 + 295
    assert.equal(op1.answered, 2);
    assert.equal(op1.offered, 0);
    assert.equal(op1.answeredWithinT, 2);
    close(op1.averageHoldingSeconds, 390, 'AHT op1');
    close(op1.averageSpeedOfAnswerSeconds, 7.5, 'ASA op1');
    assert.equal(op1.carriedSeconds, 475);
    assert.equal(op1.completionRate, null);
    const op1Later = row(rows, 'attendant:op1', I1);
    assert.equal(op1Later.answered, 0);
    assert.equal(op1Later.carriedSeconds, 305); // rest of c5
    const op2 = row(rows, 'attendant:op2', I0);
    assert.equal(op2.heldSeconds, 60);
    assert.equal(op2.carriedSeconds, 120);
  });

  it('given a window starting at 09:15, when aggregating, then earlier arrivals add only their talk inside the window', () => {
    const later = aggregate(calls, { from: at(16), to: at(30), serviceTargetSeconds: T });
    assert.deepEqual([...new Set(later.map((r) => r.intervalStart))], [I1]); // from rounds down to 09:15, to is exclusive
    const r = row(later, 'group:reception', I1);
    assert.equal(r.offered, 1); // c9 only
    assert.equal(r.carriedSeconds, 425); // c5's 305 s + c9's 120 s
    assert.ok(later.every((x) => x.scope !== 'group:backup'), 'backup had no activity in the window');
  });

  it('given overlapping talk segments and talk outside the answered time, when aggregating, then talk counts once and is clipped', () => {
    const odd: CallHistory = {
      id: 'x', group: 'g', callClass: 'k', arrivedAt: at(1), answeredAt: at(2), endedAt: at(5), outcome: 'answered', attendant: 'a',
      // 1:00–3:00 is clipped to 2:00–3:00; 2:30–4:00 overlaps it: union 2:00–4:00 = 120 s; held 4:00–5:00 = 60 s
      talk: [{ start: at(1), end: at(3) }, { start: at(2, 30), end: at(4) }],
    };
    const r = row(aggregate([odd], window), 'group:g', I0);
    assert.equal(r.holdingSeconds, 120);
    assert.equal(r.heldSeconds, 60);
    assert.equal(r.carriedSeconds, 120);
  });

  it('given an inconsistent call, when aggregating, then a RangeError names the call', () => {
    const named = (e: unknown) => e instanceof RangeError && /call bad/.test(e.message);
    const base = { id: 'bad', group: 'g', callClass: 'k', talk: [] };
    assert.throws(() => aggregate([{ ...base, arrivedAt: at(5), endedAt: at(4), outcome: 'abandoned' }], window), named);
    assert.throws(() => aggregate([{ ...base, arrivedAt: at(1), endedAt: at(4), outcome: 'answered' }], window), named);
    assert.throws(() => aggregate([{ ...base, arrivedAt: at(1), answeredAt: at(9), endedAt: at(4), outcome: 'answered' }], window), named);
  });
});

describe('held time, handed-on calls and longest waits', () => {
  // h1: answered at 1:10 by op1 after a 10 s wait; talks 1:10–2:10 in call-h1; on hold in hold-h1
  // 2:10–3:10; a retrieve rings 3:10–3:20 (still in hold-h1); talks again 3:20–4:20 (answered again:
  // the wait stays 10 s, to the first answer); gap 4:20–4:21 between bridges counts as neither.
  const h1: CallHistory = {
    id: 'h1', group: 'reception', callClass: 'external', arrivedAt: at(1), answeredAt: at(1, 10), endedAt: at(4, 21),
    outcome: 'answered', attendant: 'op1',
    talk: [{ start: at(1, 10), end: at(2, 10) }, { start: at(3, 20), end: at(4, 20) }],
    held: [{ start: at(2, 10), end: at(3, 20) }],
  };
  // p1: op1 answers after 5 s, talks 60 s, parks it (held 120 s), op2 picks it up and talks 30 s
  const p1: CallHistory = {
    id: 'p1', group: 'reception', callClass: 'external', arrivedAt: at(5), answeredAt: at(5, 5), endedAt: at(8, 35),
    outcome: 'answered', attendant: 'op2',
    talk: [{ start: at(5, 5), end: at(6, 5), attendant: 'op1' }, { start: at(8, 5), end: at(8, 35), attendant: 'op2' }],
    held: [{ start: at(6, 5), end: at(8, 5) }],
  };

  it('given holding-bridge stays, when counting, then held time is their union and the bridge gap is neither talk nor held', () => {
    const r = row(aggregate([h1], window), 'group:reception', I0);
    assert.equal(r.holdingSeconds, 120);
    assert.equal(r.heldSeconds, 70);
    assert.equal(r.waitSecondsAnswered, 10);
    assert.equal(r.carriedSeconds, 120);
  });

  it('given a call parked by op1 and picked up by op2, when counting, then each attendant carries its own talk and op2 has the answer', () => {
    const rows = aggregate([p1], window);
    const op1 = row(rows, 'attendant:op1', I0);
    const op2 = row(rows, 'attendant:op2', I0);
    assert.equal(op1.carriedSeconds, 60);
    assert.equal(op1.answered, 0);
    assert.equal(op2.carriedSeconds, 30);
    assert.equal(op2.answered, 1);
    assert.equal(op2.holdingSeconds, 90); // the call's whole holding time goes with the answer
    assert.equal(op2.heldSeconds, 120);
    assert.equal(row(rows, 'group:reception', I0).carriedSeconds, 90);
    const deltas = countersForCallEnd(p1, { serviceTargetSeconds: T });
    assert.deepEqual(deltas.filter((d) => d.scope === 'attendant:op1'), [{ scope: 'attendant:op1', intervalStart: I0, add: { carriedSeconds: 60 } }]);
  });

  it('given a mutual-help overflow answered by the helping group, when counting, then it is one visit of its own group and overflowed in at the helper', () => {
    const m: CallHistory = {
      id: 'm1', group: 'reception', callClass: 'external', arrivedAt: at(1), answeredAt: at(2, 10), endedAt: at(4, 10),
      outcome: 'answered', attendant: 'op3', helpedBy: ['backup'], talk: [{ start: at(2, 10), end: at(4, 10) }],
    };
    const rows = aggregate([m], window);
    const own = row(rows, 'group:reception', I0);
    assert.deepEqual([own.offered, own.answered, own.overflowOut, own.overflowIn], [1, 1, 0, 0]);
    const helper = row(rows, 'group:backup', I0);
    assert.deepEqual([helper.offered, helper.answered, helper.overflowIn, helper.carriedSeconds], [0, 0, 1, 0]);
    assert.equal(row(rows, 'class:external', I0).offered, 1);
    assert.equal(row(rows, 'attendant:op3', I0).answered, 1);
    const stored = sumCounterDeltas(countersForCallEnd(m, { serviceTargetSeconds: T }));
    assert.deepEqual(stored.find((x) => x.scope === 'group:backup')?.counters.overflowIn, 1);
    assert.deepEqual(stored.find((x) => x.scope === 'group:backup')?.counters.offered, 0);
  });

  it('given waits of 45 s and 40 s in one interval, when the deltas are summed, then the longest wait is the maximum, not the sum', () => {
    const stored = sumCounterDeltas(calls.flatMap((c) => countersForCallEnd(c, { serviceTargetSeconds: T })));
    const reception = stored.find((x) => x.scope === 'group:reception' && x.intervalStart === I0)!;
    assert.equal(reception.counters.longestWaitSeconds, 45);
    assert.equal(reception.counters.longestAbandonWaitSeconds, 45);
    assert.equal(reception.counters.waitSecondsAbandoned, 60);
  });

  it('given counters of two intervals, when merging, then sums add and maxima keep the largest', () => {
    const into = emptyCounters();
    mergeCounters(into, { offered: 2, longestWaitSeconds: 30, busySeconds: 100 });
    mergeCounters(into, { offered: 3, longestWaitSeconds: 12, loggedInSeconds: 400 });
    assert.equal(into.offered, 5);
    assert.equal(into.longestWaitSeconds, 30);
    close(figuresFromCounters(into).occupancy, 0.25, 'occupancy = 100 / 400');
  });
});

describe('countersForCallEnd and figuresFromCounters', () => {
  it('given the call spanning two intervals, when it ends, then it adds its counts to the arrival interval and talk to both', () => {
    const c5 = calls[4];
    assert.ok(c5 !== undefined && c5.id === 'c5', 'c5 !== undefined && c5.id === \'c5\'');
    const deltas = countersForCallEnd(c5, { serviceTargetSeconds: T });
    const answeredSide = { answered: 1, answeredWithinT: 1, waitSecondsAnswered: 5, holdingSeconds: 600, heldSeconds: 0, carriedSeconds: 295 };
    const max = { longestWaitSeconds: 5 };
    assert.deepEqual(deltas, [
      { scope: 'group:reception', intervalStart: I0, add: { offered: 1, ...answeredSide }, max },
      { scope: 'group:reception', intervalStart: I1, add: { carriedSeconds: 305 } },
      { scope: 'class:external', intervalStart: I0, add: { offered: 1, ...answeredSide }, max },
      { scope: 'class:external', intervalStart: I1, add: { carriedSeconds: 305 } },
      { scope: 'attendant:op1', intervalStart: I0, add: answeredSide, max },
      { scope: 'attendant:op1', intervalStart: I1, add: { carriedSeconds: 305 } },
    ]);
  });

  it('given a call that came by overflow, when it ends, then the class does not count it offered again', () => {
    const c6b = calls[6];
    assert.ok(c6b !== undefined && c6b.overflowedFrom === 'reception', 'c6b !== undefined && c6b.overflowedFrom === \'reception\'');
    const deltas = countersForCallEnd(c6b, { serviceTargetSeconds: T });
    const byScope = new Map(deltas.map((d) => [d.scope, d.add]));
    assert.equal(byScope.get('group:backup')?.offered, 1);
    assert.equal(byScope.get('group:backup')?.overflowIn, 1);
    assert.equal(byScope.get('class:external')?.offered, undefined);
    assert.equal(byScope.get('class:external')?.overflowIn, 1);
    assert.equal(byScope.get('attendant:op3')?.overflowIn, undefined);
  });

  it('given an abandon after T, when it ends, then it adds the abandon and its wait but nothing within T', () => {
    const c4 = calls[3];
    assert.ok(c4 !== undefined && c4.id === 'c4', 'c4 !== undefined && c4.id === \'c4\'');
    const max = { longestWaitSeconds: 45, longestAbandonWaitSeconds: 45 };
    assert.deepEqual(countersForCallEnd(c4, { serviceTargetSeconds: T }), [
      { scope: 'group:reception', intervalStart: I0, add: { offered: 1, abandoned: 1, waitSecondsAbandoned: 45 }, max },
      { scope: 'class:internal', intervalStart: I0, add: { offered: 1, abandoned: 1, waitSecondsAbandoned: 45 }, max },
    ]);
  });

  it('given the whole morning, when the summed deltas are turned into figures, then they agree with aggregate on every row', () => {
    // aggregate works from lists of waits per bucket; the incremental path adds
    // deltas per call. The same history must give the same counters and figures.
    const stored = sumCounterDeltas(calls.flatMap((c) => countersForCallEnd(c, { serviceTargetSeconds: T })));
    const rows = aggregate(calls, window);
    const figureNames: Array<keyof TrafficFigures> = [
      'offeredErlangs', 'carriedErlangs', 'averageHoldingSeconds', 'averageHeldSeconds', 'averageSpeedOfAnswerSeconds',
      'averageAbandonWaitSeconds', 'serviceLevel', 'serviceLevel2', 'completionRate', 'abandonRate', 'occupancy',
    ];
    for (const r of rows) {
      const s = stored.find((x) => x.scope === r.scope && x.intervalStart === r.intervalStart);
      const counters: Partial<TrafficCounters> = s?.counters ?? {};
      const figures = figuresFromCounters(counters, INTERVAL_MS);
      const what = `${r.scope} @ ${new Date(r.intervalStart).toISOString()}`;
      for (const name of ALL_COUNTER_NAMES) close(counters[name] ?? 0, r[name], `${what} ${name}`);
      for (const name of figureNames) close(figures[name], r[name], `${what} ${name}`);
    }
    // and nothing was stored that aggregate did not report
    for (const s of stored) assert.ok(rows.some((r) => r.scope === s.scope && r.intervalStart === s.intervalStart), 'rows.some((r) => r.scope === s.scope && r.intervalStart === s.intervalStart)');
  });

  it('given four quarter hours of counters summed, when figuring with a one-hour interval, then the hour figures come out', () => {
    const stored = sumCounterDeltas(calls.flatMap((c) => countersForCallEnd(c, { serviceTargetSeconds: T })))
      .filter((s) => s.scope === 'group:reception');
    const hour: Record<string, number> = {};
    for (const s of stored) for (const name of COUNTER_NAMES) hour[name] = (hour[name] ?? 0) + s.counters[name];
    const f = figuresFromCounters(hour, 3_600_000);
    // carried: 595 + 425 = 1020 s in 3600 s; answered c1 c2 c5 c9 within T: c1 c5 c9
    close(f.carriedErlangs, 1020 / 3600, 'hour carried');
    close(f.serviceLevel, 3 / 4, 'hour SL');
    close(f.averageHoldingSeconds, (900 + 120) / 4, 'hour AHT');
    close(f.offeredErlangs, (9 * 255) / 3600, '9 offered · 255 s / 3600 s');
  });

  it('given missing counters, when figuring, then they count as zero and undefined ratios are null', () => {
    assert.deepEqual(figuresFromCounters({}), {
      offeredErlangs: 0, carriedErlangs: 0, averageHoldingSeconds: null, averageHeldSeconds: null,
      averageSpeedOfAnswerSeconds: null, averageAbandonWaitSeconds: null, serviceLevel: null, serviceLevel2: null,
      completionRate: null, abandonRate: null, occupancy: null,
    });
    assert.throws(() => figuresFromCounters({}, 0), RangeError);
  });
});

describe('occupancy', () => {
  const session = {
    attendant: 'op1',
    loggedIn: [[at(-60), at(180)]] as Array<[number, number]>, // 08:00–12:00
    // 08:30–09:30, two overlapping stretches 10:00–10:40 and 10:20–11:00 (1 h together), and 11:30–12:30 past logout
    busy: [[at(-30), at(30)], [at(60), at(100)], [at(80), at(120)], [at(150), at(210)]] as Array<[number, number]>,
  };

  it('given a window inside the session, when computing occupancy, then busy time is clipped to the window and to login', () => {
    // window 09:00–12:00: logged in 3 h; busy 09:00–09:30 (0.5 h) + 10:00–11:00 (1 h) + 11:30–12:00 (0.5 h) = 2 h
    close(occupancy(session, at(0), at(180)), 2 / 3, 'occupancy');
  });

  it('given a window wider than the session, when computing occupancy, then only logged-in time is the base', () => {
    // 07:00–13:00: logged in 4 h (08:00–12:00); busy 08:30–09:30 + 10:00–11:00 + 11:30–12:00 = 2.5 h
    close(occupancy(session, at(-120), at(240)), 2.5 / 4, 'occupancy');
  });

  it('given a window with no login, when computing occupancy, then it is null', () => {
    assert.equal(occupancy(session, at(-180), at(-60)), null);
  });
});

describe('busyHour', () => {
  it('given a day at 1 E with a morning peak, when finding the busy hour, then it is the best 4 consecutive quarter hours', () => {
    const day = Date.UTC(2024, 0, 15);
    const q = (h: number, m: number): number => day + (h * 60 + m) * 60_000;
    const peak = new Map([[q(9, 45), 2], [q(10, 0), 4], [q(10, 15), 6], [q(10, 30), 5], [q(10, 45), 3], [q(11, 0), 2]]);
    const intervals = Array.from({ length: 96 }, (_, i) => {
      const start = day + i * INTERVAL_MS;
      return { intervalStart: start, carriedErlangs: peak.get(start) ?? 1 };
    });
    // 09:45 → 2+4+6+5 = 17; 10:00 → 4+6+5+3 = 18; 10:15 → 6+5+3+2 = 16: 10:00–11:00 at 18 / 4 E
    assert.deepEqual(busyHour(intervals), { start: q(10, 0), end: q(11, 0), erlangs: 4.5 });
  });

  it('given a missing quarter hour, when finding the busy hour, then it counts as zero', () => {
    const s = (k: number): number => I0 + k * INTERVAL_MS;
    // 09:00–09:30 at 3 E, 09:45 missing, 10:00–10:30 at 3 E, 10:45 at 2.9 E.
    // Hours: 09:00 → 9, 09:15 → 9, 09:30 → 9, 09:45 → 9, 10:00 → 11.9. Skipping the gap would wrongly give 09:00 at 12.
    const series = [[0, 3], [1, 3], [2, 3], [4, 3], [5, 3], [6, 3], [7, 2.9]].map(([k, e]) => ({ intervalStart: s(k ?? 0), carriedErlangs: e ?? 0 }));
    const best = busyHour(series);
    assert.ok(best !== null, 'best !== null');
    assert.equal(best.start, s(4));
    assert.equal(best.end, s(8));
    close(best.erlangs, 11.9 / 4, 'mean Erlangs');
  });

  it('given less than an hour of data or a tie, when finding the busy hour, then the earliest hour from the first interval wins', () => {
    assert.deepEqual(busyHour([{ intervalStart: I1, carriedErlangs: 2 }]), { start: I1, end: I1 + 3_600_000, erlangs: 0.5 });
    const flat = [0, 1, 2, 3, 4, 5].map((k) => ({ intervalStart: I0 + k * INTERVAL_MS, carriedErlangs: 1 }));
    assert.equal(busyHour(flat)?.start, I0);
  });

  it('given entries for the same interval, when finding the busy hour, then they are added', () => {
    assert.equal(busyHour([{ intervalStart: I0, carriedErlangs: 1 }, { intervalStart: I0, carriedErlangs: 3 }])?.erlangs, 1);
  });

  it('given no intervals or a start off the quarter hour, when finding the busy hour, then null or a RangeError', () => {
    assert.equal(busyHour([]), null);
    assert.throws(() => busyHour([{ intervalStart: I0 + 1000, carriedErlangs: 1 }]), RangeError);
  });
});
