import assert from 'node:assert/strict';
import { nextWakeupAt, normaliseWakeupTime } from '../../../lib/domain/wakeup.ts';

const MINUTE = 60_000;

describe('wake-up scheduling', () => {
  it('given "0730" from a feature code or "07:30" from the console, then both read as 07:30; 24:00, 7:5 and 0760 are no times', () => {
    assert.equal(normaliseWakeupTime('0730'), '07:30');
    assert.equal(normaliseWakeupTime('07:30'), '07:30');
    for (const bad of ['24:00', '7:5', '0760', '', '12345']) assert.equal(normaliseWakeupTime(bad), undefined, bad);
  });

  describe('in a zone without daylight saving (Asia/Shanghai, UTC+8)', () => {
    const tz = 'Asia/Shanghai';
    it('given 06:00 local and a booking at 22:00 local, then it rings at 06:00 the next morning', () => {
      const booked = Date.UTC(2026, 2, 28, 14, 0); // 22:00 in Shanghai
      assert.equal(nextWakeupAt('06:00', tz, booked), Date.UTC(2026, 2, 28, 22, 0));
    });

    it('given 23:30 local booked at 08:00 local, then it rings the same evening', () => {
      assert.equal(nextWakeupAt('23:30', tz, Date.UTC(2026, 2, 28, 0, 0)), Date.UTC(2026, 2, 28, 15, 30));
    });

    it('given the very minute it rang, then the next one is exactly a day later (daily)', () => {
      const rang = Date.UTC(2026, 2, 28, 22, 0);
      assert.equal(nextWakeupAt('06:00', tz, rang), rang + 24 * 60 * MINUTE);
    });

    it('given the last day of a month, then the next morning is the first of the next month', () => {
      assert.equal(nextWakeupAt('07:00', tz, Date.UTC(2026, 0, 31, 0, 0)), Date.UTC(2026, 0, 31, 23, 0)); // 1 February 07:00 local
    });
  });

  describe('in a zone with daylight saving (Europe/Paris: 29 March and 25 October 2026)', () => {
    const tz = 'Europe/Paris';
    it('given 07:00 booked the evening before the spring change, then it rings at 07:00 summer time (05:00 UTC)', () => {
      assert.equal(nextWakeupAt('07:00', tz, Date.UTC(2026, 2, 28, 21, 0)), Date.UTC(2026, 2, 29, 5, 0));
    });

    it('given 07:00 daily across the autumn change, then it rings at 07:00 local both days (05:00 then 06:00 UTC)', () => {
      const first = nextWakeupAt('07:00', tz, Date.UTC(2026, 9, 23, 12, 0));
      assert.equal(first, Date.UTC(2026, 9, 24, 5, 0));
      const second = nextWakeupAt('07:00', tz, first);
      assert.equal(second, Date.UTC(2026, 9, 25, 6, 0));
      assert.equal(second - first, 25 * 60 * MINUTE, 'the day of the change has 25 hours');
    });

    it('given 02:30, a time the spring night skips, then it rings 02:30 after the jump: 03:30 summer time', () => {
      assert.equal(nextWakeupAt('02:30', tz, Date.UTC(2026, 2, 28, 21, 0)), Date.UTC(2026, 2, 29, 1, 30));
    });

    it('given 02:30, a time the autumn night shows twice, then it rings the first time only, and next on the following night', () => {
      const first = nextWakeupAt('02:30', tz, Date.UTC(2026, 9, 24, 21, 0));
      assert.equal(first, Date.UTC(2026, 9, 25, 0, 30)); // 02:30 CEST
      assert.equal(nextWakeupAt('02:30', tz, first), Date.UTC(2026, 9, 26, 1, 30)); // 02:30 CET the next night
    });
  });
});
