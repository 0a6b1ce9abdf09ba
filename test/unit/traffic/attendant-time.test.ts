import assert from 'node:assert/strict';
import { countersForAttendantStretch, type AttendantStretch } from '../../../lib/domain/attendant-time.ts';
import { dailyBusyHours } from '../../../lib/domain/busy-hour.ts';
import { INTERVAL_MS, aggregate, figuresFromCounters, sumCounterDeltas } from '../../../lib/domain/traffic.ts';

// 2024-01-15 09:00:00 UTC; I0 = 09:00, I1 = 09:15
const T0 = Date.UTC(2024, 0, 15, 9, 0, 0);
const at = (min: number, sec = 0): number => T0 + min * 60_000 + sec * 1000;
const I0 = at(0);
const I1 = at(15);

function stretch(state: AttendantStretch['state'], from: number, to: number, groups = ['reception']): AttendantStretch {
  return { attendant: 'op1', groups, state, from, to };
}

describe('attendant time from state stretches', () => {
  it('given a busy stretch from 09:10 to 09:20, when counting, then 300 s and 300 s go to each interval as logged in and busy, for the attendant and its groups', () => {
    assert.deepEqual(countersForAttendantStretch(stretch('busy', at(10), at(20), ['reception', 'backup'])), [
      { scope: 'attendant:op1', intervalStart: I0, add: { loggedInSeconds: 300, busySeconds: 300 } },
      { scope: 'group:reception', intervalStart: I0, add: { loggedInSeconds: 300, busySeconds: 300 } },
      { scope: 'group:backup', intervalStart: I0, add: { loggedInSeconds: 300, busySeconds: 300 } },
      { scope: 'attendant:op1', intervalStart: I1, add: { loggedInSeconds: 300, busySeconds: 300 } },
      { scope: 'group:reception', intervalStart: I1, add: { loggedInSeconds: 300, busySeconds: 300 } },
      { scope: 'group:backup', intervalStart: I1, add: { loggedInSeconds: 300, busySeconds: 300 } },
    ]);
  });

  it('given idle, ringing, absent and DND stretches, when counting, then they are logged-in time but not busy', () => {
    for (const state of ['idle', 'ringing', 'absent', 'dnd'] as const) {
      assert.deepEqual(countersForAttendantStretch(stretch(state, at(1), at(2), [])), [
        { scope: 'attendant:op1', intervalStart: I0, add: { loggedInSeconds: 60 } },
      ], state);
    }
  });

  it('given an unplugged stretch or an empty one, when counting, then nothing is added', () => {
    assert.deepEqual(countersForAttendantStretch(stretch('unplugged', at(1), at(30))), []);
    assert.deepEqual(countersForAttendantStretch(stretch('busy', at(3), at(3))), []);
    assert.throws(() => countersForAttendantStretch(stretch('busy', Number.NaN, at(3))), RangeError);
  });

  it('given a morning of stretches, when the deltas are summed, then occupancy per interval is busy / logged in, and it agrees with the session form', () => {
    // 09:00 login idle, 09:05–09:11 busy, 09:11–09:13 idle, 09:13–09:14 ringing, 09:14–09:20 busy, 09:20–09:25 idle, logout
    const stretches = [
      stretch('idle', at(0), at(5)), stretch('busy', at(5), at(11)), stretch('idle', at(11), at(13)),
      stretch('ringing', at(13), at(14)), stretch('busy', at(14), at(20)), stretch('idle', at(20), at(25)),
      stretch('unplugged', at(25), at(40)),
    ];
    const stored = sumCounterDeltas(stretches.flatMap(countersForAttendantStretch));
    const op1 = stored.filter((s) => s.scope === 'attendant:op1');
    assert.deepEqual(op1.map((s) => [s.intervalStart, s.counters.loggedInSeconds, s.counters.busySeconds]), [[I0, 900, 420], [I1, 600, 300]]);
    assert.equal(figuresFromCounters(op1[0]!.counters).occupancy, 420 / 900);
    assert.equal(figuresFromCounters(op1[1]!.counters).occupancy, 0.5);

    const rows = aggregate([], {
      from: I0, to: at(30), serviceTargetSeconds: 20,
      sessions: [{ attendant: 'op1', groups: ['reception'], loggedIn: [[at(0), at(25)]], busy: [[at(5), at(11)], [at(14), at(20)]] }],
    });
    for (const scope of ['attendant:op1', 'group:reception']) {
      const fromStretches = stored.filter((s) => s.scope === scope);
      const fromSessions = rows.filter((r) => r.scope === scope);
      assert.deepEqual(fromSessions.map((r) => [r.loggedInSeconds, r.busySeconds, r.occupancy]),
        fromStretches.map((s) => [s.counters.loggedInSeconds, s.counters.busySeconds, figuresFromCounters(s.counters).occupancy]), scope);
    }
  });
});

describe('daily busy hour', () => {
  it('given two days of traffic in Paris, when finding the busy hours, then each local day gets its own hour within that day', () => {
    // Paris is UTC+1 in January: local 2024-01-15 runs 14 Jan 23:00 UTC → 15 Jan 23:00 UTC
    const start = Date.UTC(2024, 0, 14, 23, 0);
    const series = Array.from({ length: 2 * 96 }, (_, i) => ({ intervalStart: start + i * INTERVAL_MS, carriedErlangs: 0.5 }));
    const bump = (utcHour: number, day: number, e: number) => {
      const t = Date.UTC(2024, 0, day, utcHour, 0);
      for (let k = 0; k < 4; k++) series.find((s) => s.intervalStart === t + k * INTERVAL_MS)!.carriedErlangs = e;
    };
    bump(9, 15, 3); // 10:00 local on the 15th
    bump(22, 15, 2); // 23:00 local on the 15th: the last hour of that day
    bump(14, 16, 4); // 15:00 local on the 16th
    const days = dailyBusyHours(series, 'Europe/Paris');
    assert.deepEqual(days.map((d) => [d.date, new Date(d.start).toISOString(), d.erlangs]), [
      ['2024-01-15', '2024-01-15T09:00:00.000Z', 3],
      ['2024-01-16', '2024-01-16T14:00:00.000Z', 4],
    ]);
    assert.deepEqual(dailyBusyHours(series, 'UTC').map((d) => d.date), ['2024-01-14', '2024-01-15', '2024-01-16']);
    assert.deepEqual(dailyBusyHours([], 'UTC'), []);
  });
});
