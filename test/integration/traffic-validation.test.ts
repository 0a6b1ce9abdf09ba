// Traffic validation: Poisson calls with exponential holding times offered to a loss group (no queue,
// N attendants, blocked calls cleared) through the real controller path — ARI simulator over real
// loopback sockets, Redis — on ManualTime, so hours of traffic run in seconds. The blocking the
// controller's own statistics measure must match Erlang B for the offered traffic.
//
// Statistical tolerance: blocking events are correlated in time (a busy spell blocks several calls
// in a row), so a binomial interval would be too narrow. The run is cut into K consecutive batches
// of several hours (batch means): each batch's blocking is close to independent of the others, and
// the 99 % confidence interval is mean ± t(0.995, K − 1) · s / √K. The run is seeded, so it is the
// same every time; the interval says how far chance alone could have moved it.
//
// Time: every call takes the full controller path (arrival, presentation, originate, auto-answer,
// hand-over, bridge, hang-up), ~15 ms of real time each, so the run is ~2,400 calls (K = 10 batches
// of 4 h at 60 calls/h) to stay well under a minute; more, shorter batches would narrow the interval
// but not change what is checked.
import assert from 'node:assert/strict';
import { erlangB } from '../../lib/domain/erlang.ts';
import { seededRandom } from '../../lib/random.ts';
import { trafficReport, type TrafficReport } from '../../lib/stats/report.ts';
import { Harness } from '../support/harness.ts';

const LINES = 4; // attendants of the loss group
const OFFERED_ERLANGS = 3;
const HOLDING_MS = 180_000; // mean holding time h
const ARRIVAL_MS = HOLDING_MS / OFFERED_ERLANGS; // mean time between arrivals: A = λ·h
const HOUR = 3_600_000;
const WARM_UP_MS = HOUR; // the group starts empty: leave the first hour out
const BATCHES = 10;
const BATCH_MS = 4 * HOUR;
const T_0995 = [Number.NaN, 63.657, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169]; // t(0.995, df)
const START = Date.UTC(2026, 0, 5, 0, 0, 0);

interface Interval { mean: number; low: number; high: number }

/** batch-means confidence interval (99 %) of a list of batch values */
function batchInterval(xs: readonly number[]): Interval {
  const k = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / k;
  const s = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (k - 1));
  const half = T_0995[k - 1]! * s / Math.sqrt(k);
  return { mean, low: mean - half, high: mean + half };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('traffic validation: Poisson calls into a loss group against Erlang B', function () {
  this.timeout(180_000);
  let h: Harness | undefined;
  after(async () => { await h?.stop(); });

  it('given Poisson arrivals and exponential holding times offered to N attendants without a queue, when the controller measures the blocking, then it matches Erlang B within the 99 % batch-means interval', async () => {
    const attendants = Array.from({ length: LINES }, (_, i) => ({ id: `att${i + 1}`, name: `Attendant ${i + 1}`, device: `PJSIP/att${i + 1}`, autoAnswer: true }));
    h = await Harness.start({
      start: START,
      config: {
        attendants,
        groups: [{
          id: 'trunk', name: 'Loss group', members: attendants.map((a) => a.id), strategy: 'longest-idle', waiting: 'ringback',
          maxQueue: 0, fallback: { type: 'extension', number: '2000' },
        }],
      },
      // the sets answer at once, as an auto-answer (intercom) presentation does
      endpoints: Object.fromEntries(attendants.map((a) => [a.device, { kind: 'answer', afterMs: 0, ring: false }])),
    });
    const hh = h;
    const until = async (what: string, cond: () => boolean) => {
      const end = Date.now() + 5_000;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await tick();
      }
    };
    const random = seededRandom(20_260_105);
    const exponential = (mean: number) => -Math.log(1 - random()) * mean;

    const end = START + WARM_UP_MS + BATCHES * BATCH_MS;
    const talking: Array<{ at: number; caller: string; leg: string; attendant: string }> = [];
    let nextArrival = START + exponential(ARRIVAL_MS);
    let offered = 0;
    let blocked = 0;
    const began = Date.now();
    const advanceTo = (t: number) => hh.time.advance(Math.max(0, Math.round(t) - hh.time.now()));

    while (nextArrival < end || talking.length > 0) {
      talking.sort((a, b) => a.at - b.at);
      const leaving = talking[0];
      if (leaving && (leaving.at <= nextArrival || nextArrival >= end)) {
        // the attendant's set hangs up after its holding time: the caller is released and the attendant is free
        talking.shift();
        advanceTo(leaving.at);
        hh.sim.hangupCaller(leaving.leg);
        await until('the call ends', () => !hh.callRecord(leaving.caller) && hh.attendant(leaving.attendant).state === 'idle');
        continue;
      }
      advanceTo(nextArrival);
      nextArrival += exponential(ARRIVAL_MS);
      const caller = hh.call({ group: 'trunk' });
      if (hh.time.now() >= START + WARM_UP_MS) offered++;
      // the decision: an attendant rings (taken), or the caller left for the fallback (blocked)
      await until('the controller decides', () => hh.callRecord(caller)?.attendant !== undefined || hh.sim.channel(caller)?.inStasis === false);
      const rec = hh.callRecord(caller);
      if (rec === undefined) {
        if (hh.time.now() >= START + WARM_UP_MS) blocked++;
        continue;
      }
      // answered and bridged before the clock moves, so holding times are exact
      await until('the caller talks', () => hh.callRecord(caller)?.stays?.at(-1)?.kind === 'talk' && hh.callRecord(caller)?.leg !== undefined);
      const { leg, attendant } = hh.callRecord(caller)!;
      talking.push({ at: hh.time.now() + exponential(HOLDING_MS), caller, leg: leg!, attendant: attendant! });
    }
    await hh.settle();
    const realMs = Date.now() - began;

    const batches: TrafficReport[] = [];
    for (let k = 0; k < BATCHES; k++) {
      const from = START + WARM_UP_MS + k * BATCH_MS;
      batches.push(await trafficReport(hh.store, { scope: 'group:trunk', from, to: from + BATCH_MS, now: hh.time.now(), timeZone: 'UTC', serviceTargetSeconds: 20 }));
    }
    const sum = (f: (r: TrafficReport) => number) => batches.reduce((a, r) => a + f(r), 0);
    const counted = { offered: sum((r) => r.totals.counters.offered), lost: sum((r) => r.totals.counters.lost) };
    const blocking = batchInterval(batches.map((r) => r.totals.counters.lost / r.totals.counters.offered));
    const carried = batchInterval(batches.map((r) => r.totals.figures.carriedErlangs));
    const occupancy = batchInterval(batches.map((r) => r.totals.figures.occupancy!));
    const aht = sum((r) => r.totals.counters.holdingSeconds) / sum((r) => r.totals.counters.answered);

    const b = erlangB(OFFERED_ERLANGS, LINES);
    const theory = { blocking: b, carried: OFFERED_ERLANGS * (1 - b), occupancy: (OFFERED_ERLANGS * (1 - b)) / LINES };
    const row = (name: string, m: Interval, t: number, how: string) =>
      `      ${name.padEnd(12)}${m.mean.toFixed(4).padStart(9)}   [${m.low.toFixed(4)}, ${m.high.toFixed(4)}]   ${t.toFixed(4).padStart(8)}  ${how}`;
    console.log([
      '',
      `      Poisson traffic into a loss group: N = ${LINES} attendants, A = ${OFFERED_ERLANGS} E offered (${3_600_000 / ARRIVAL_MS} calls/h, h = ${HOLDING_MS / 1000} s)`,
      `      ${counted.offered} calls measured (${counted.lost} blocked) in ${BATCHES} batches of ${BATCH_MS / HOUR} h after ${WARM_UP_MS / HOUR} h of warm-up; ${(realMs / 1000).toFixed(1)} s real time`,
      `      ${''.padEnd(12)}${'measured'.padStart(9)}   ${'99 % interval'.padEnd(18)}   ${'theory'.padStart(8)}`,
      row('blocking', blocking, theory.blocking, 'Erlang B(N, A)'),
      row('carried E', carried, theory.carried, 'A · (1 − B)'),
      row('occupancy', occupancy, theory.occupancy, 'A · (1 − B) / N'),
      `      all batches together: blocking ${(counted.lost / counted.offered).toFixed(4)} (${counted.lost} / ${counted.offered}), mean holding time ${aht.toFixed(1)} s (h = ${HOLDING_MS / 1000} s)`,
      `      Erlang B with N − 1 = ${LINES - 1} lines: ${erlangB(OFFERED_ERLANGS, LINES - 1).toFixed(4)}, with N + 1 = ${LINES + 1}: ${erlangB(OFFERED_ERLANGS, LINES + 1).toFixed(4)}`,
      '',
    ].join('\n'));

    // the controller counted every call, and every blocked call as lost
    assert.equal(counted.offered, offered);
    assert.equal(counted.lost, blocked);
    assert.ok(counted.offered > 2_000, `enough calls for the interval to mean something: ${counted.offered}`);
    // the interval is narrow enough to mean something: it tells N lines from N ± 1
    assert.ok(erlangB(OFFERED_ERLANGS, LINES - 1) > blocking.high && erlangB(OFFERED_ERLANGS, LINES + 1) < blocking.low, `N ± 1 lines lie outside ${blocking.low}..${blocking.high}`);
    // and what it measured is Erlang B
    assert.ok(blocking.low <= theory.blocking && theory.blocking <= blocking.high, `blocking ${blocking.mean} vs Erlang B ${theory.blocking}`);
    assert.ok(carried.low <= theory.carried && theory.carried <= carried.high, `carried ${carried.mean} E vs ${theory.carried} E`);
    assert.ok(occupancy.low <= theory.occupancy && theory.occupancy <= occupancy.high, `occupancy ${occupancy.mean} vs ${theory.occupancy}`);
  });
});
