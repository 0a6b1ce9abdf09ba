import assert from 'node:assert/strict';
import type { GroupConfig } from '../../../lib/config.ts';
import { LATE_MIN_DEPTH, admitArrival, admitQueued, newLogGate, passLogGate, shedDestination, type LogGate } from '../../../lib/domain/admission.ts';
import { T0, groupConfig } from './fixtures.ts';

const LIMITS = { backlog: 3, maxWaitMs: 40, storeBacklog: 100 };

describe('admission', () => {
  describe('an arriving caller', () => {
    it('is taken in while the backlog of calls not yet handled is below its bound', () => {
      assert.deepEqual(admitArrival(0, LIMITS), { admit: true });
      assert.deepEqual(admitArrival(2, LIMITS), { admit: true });
    });

    it('is handed back once the backlog is full, and beyond', () => {
      assert.deepEqual(admitArrival(3, LIMITS), { admit: false, reason: 'backlog' });
      assert.deepEqual(admitArrival(3000, LIMITS), { admit: false, reason: 'backlog' });
    });

    it('is handed back while the store that answers is behind by the bound or more; an unreachable store refuses nobody', () => {
      assert.deepEqual(admitArrival(0, LIMITS, 99), { admit: true });
      assert.deepEqual(admitArrival(0, LIMITS, 100), { admit: false, reason: 'store' });
      assert.deepEqual(admitArrival(0, LIMITS, undefined), { admit: true });
      assert.deepEqual(admitArrival(3, LIMITS, 100), { admit: false, reason: 'backlog' });
    });

    it('a bound of 1 takes a caller only when nothing else waits to be handled', () => {
      assert.deepEqual(admitArrival(0, { ...LIMITS, backlog: 1 }), { admit: true });
      assert.deepEqual(admitArrival(1, { ...LIMITS, backlog: 1 }), { admit: false, reason: 'backlog' });
    });
  });

  describe('a caller reached in the backlog', () => {
    const DEEP = LATE_MIN_DEPTH;
    it('is handled when it waited up to the limit', () => {
      assert.deepEqual(admitQueued(T0, T0, DEEP, LIMITS), { admit: true });
      assert.deepEqual(admitQueued(T0, T0 + 40, DEEP, LIMITS), { admit: true });
    });

    it('is handed back when it waited longer in a deep backlog (late)', () => {
      assert.deepEqual(admitQueued(T0, T0 + 41, DEEP, LIMITS), { admit: false, reason: 'late' });
      assert.deepEqual(admitQueued(T0, T0 + 5000, 500, LIMITS), { admit: false, reason: 'late' });
    });

    it('is handled however long it waited when the backlog is short (the process was paused, not overloaded)', () => {
      assert.deepEqual(admitQueued(T0, T0 + 5000, DEEP - 1, LIMITS), { admit: true });
      assert.deepEqual(admitQueued(T0, T0 + 5000, 1, LIMITS), { admit: true });
    });

    it('a clock that went back never makes a call late', () => {
      assert.deepEqual(admitQueued(T0, T0 - 5000, 500, LIMITS), { admit: true });
    });
  });

  describe('where a handed-back caller goes', () => {
    const groups = new Map<string, GroupConfig>();
    const groupOf = (id: string) => groups.get(id);
    const EXT = { type: 'extension', number: '2000' } as const;
    const VM = { type: 'voicemail', mailbox: '100' } as const;

    it('its group\'s fallback destination', () => {
      assert.deepEqual(shedDestination(groupConfig({ fallback: EXT }), groupOf), EXT);
    });

    it('else the fallback of the group it overflows to', () => {
      groups.set('help', groupConfig({ id: 'help', fallback: VM }));
      const g = groupConfig({ overflow: { to: 'help', queueLength: 3, mutualHelp: false } });
      assert.deepEqual(shedDestination(g, groupOf), VM);
      assert.deepEqual(shedDestination({ ...g, fallback: EXT }, groupOf), EXT);
    });

    it('else the dialplan\'s own fallback (undefined): a group destination is not a way out', () => {
      assert.equal(shedDestination(groupConfig({}), groupOf), undefined);
      assert.equal(shedDestination(groupConfig({ fallback: { type: 'group', group: 'help' } }), groupOf), undefined);
      assert.equal(shedDestination(undefined, groupOf), undefined);
    });
  });

  describe('the rate-limited log line', () => {
    it('says the first at once, then at most one line per interval counting the ones left out', () => {
      let gate: LogGate = newLogGate();
      const lines: Array<[number, number]> = [];
      for (const t of [0, 10, 20, 999, 1000, 1001, 5000]) {
        const r = passLogGate(gate, T0 + t, 1000);
        gate = r.gate;
        if (r.log) lines.push([t, r.count]);
      }
      assert.deepEqual(lines, [[0, 1], [1000, 4], [5000, 2]]);
    });
  });
});
