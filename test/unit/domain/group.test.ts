import assert from 'node:assert/strict';
import type { Strategy } from '../../../lib/config.ts';
import { STRATEGIES } from '../../../lib/config.ts';
import { anyEligible, groupMembers, groupState, hunt, huntWithRetry, refusalBackoffMs } from '../../../lib/domain/group.ts';
import type { HuntInput } from '../../../lib/domain/group.ts';
import type { AttendantRecord } from '../../../lib/domain/model.ts';
import { SECOND, T0, busy, byId, idle, loggedOut, ringing, seeded } from './fixtures.ts';

const MEMBERS = ['op1', 'op2', 'op3'];

/** The statistical-distribution example of the Alcatel manual: idle timers OP1 20 s, OP2 25 s, OP3 10 s. */
function manualExample(): Map<string, AttendantRecord> {
  return byId(
    idle('op1', { idleSince: T0 - 20 * SECOND }),
    idle('op2', { idleSince: T0 - 25 * SECOND }),
    idle('op3', { idleSince: T0 - 10 * SECOND }),
  );
}

function huntInput(strategy: Strategy, attendants: ReadonlyMap<string, AttendantRecord>, fields: Partial<HuntInput> = {}): HuntInput {
  return { strategy, members: MEMBERS, attendants, rrCursor: -1, exclude: new Set(), random: () => 0, ...fields };
}

const absent = (id: string) => idle(id, { state: 'absent', idleSince: 0, unansweredMs: 80_000 });
const dnd = (id: string) => idle(id, { state: 'dnd', idleSince: 0 });

describe('group state', () => {
  it('given one idle member among unplugged ones, then the group is in service', () => {
    assert.equal(groupState([loggedOut('op1'), idle('op2'), loggedOut('op3')]), 'in-service');
  });

  it('given members only busy or ringing, then the group is still in service', () => {
    assert.equal(groupState([busy('op1', 'c1', T0), loggedOut('op2')]), 'in-service');
    assert.equal(groupState([ringing('op1', 'c1', T0), absent('op2')]), 'in-service');
  });

  it('given the last working member went absent, then the group is absent', () => {
    assert.equal(groupState([absent('op1'), loggedOut('op2'), loggedOut('op3')]), 'absent');
  });

  it('given the only logged-in members are in DND, then the group is absent, not in service', () => {
    assert.equal(groupState([dnd('op1'), loggedOut('op2')]), 'absent');
  });

  it('given every member unplugged, or no member at all, then the group is unplugged', () => {
    assert.equal(groupState([loggedOut('op1'), loggedOut('op2', { offline: true })]), 'unplugged');
    assert.equal(groupState([]), 'unplugged');
  });

  it('given an idle member logged in only to another group, when the state is asked for this group, then that member counts as unplugged', () => {
    const elsewhere = idle('op1', { groups: ['sales'] });
    assert.equal(groupState([elsewhere], 'reception'), 'unplugged');
    assert.equal(groupState([elsewhere], 'sales'), 'in-service');
    assert.equal(groupState([elsewhere]), 'in-service');
  });

  it('given member ids and records, then the members come back in config order without unknown ids', () => {
    const atts = byId(idle('op3'), idle('op1'));
    assert.deepEqual(groupMembers(['op1', 'ghost', 'op3'], atts).map((a) => a.id), ['op1', 'op3']);
  });
});

describe('hunting', () => {
  describe('longest-idle (statistical call distribution)', () => {
    it('given three idle attendants, when a call arrives with longest-idle, then the one idle longest rings', () => {
      assert.deepEqual(hunt(huntInput('longest-idle', manualExample())), { targets: ['op2'], rrCursor: -1 });
    });

    it('given two attendants idle since the same moment, when a call arrives with longest-idle, then the first in member order rings', () => {
      const atts = byId(idle('op1', { idleSince: T0 }), idle('op2', { idleSince: T0 - SECOND }), idle('op3', { idleSince: T0 - SECOND }));
      assert.deepEqual(hunt(huntInput('longest-idle', atts)).targets, ['op2']);
    });

    it('given the longest idle attendant refused the call, when it is hunted again, then the next longest idle rings', () => {
      assert.deepEqual(hunt(huntInput('longest-idle', manualExample(), { exclude: new Set(['op2']) })).targets, ['op1']);
    });

    it('given the longest idle attendant is ringing with another call, then it is skipped', () => {
      const atts = manualExample();
      atts.set('op2', ringing('op2', 'other', T0, { idleSince: T0 - 25 * SECOND }));
      assert.deepEqual(hunt(huntInput('longest-idle', atts)).targets, ['op1']);
    });
  });

  describe('round-robin', () => {
    it('given the last call went to the first member, when a call arrives, then the second rings and the cursor moves to it', () => {
      assert.deepEqual(hunt(huntInput('round-robin', manualExample(), { rrCursor: 0 })), { targets: ['op2'], rrCursor: 1 });
    });

    it('given the last call went to the last member, when a call arrives, then the cursor wraps to the first', () => {
      assert.deepEqual(hunt(huntInput('round-robin', manualExample(), { rrCursor: 2 })), { targets: ['op1'], rrCursor: 0 });
    });

    it('given no call yet (cursor -1), when a call arrives, then the first member rings', () => {
      assert.deepEqual(hunt(huntInput('round-robin', manualExample())), { targets: ['op1'], rrCursor: 0 });
    });

    it('given the next member busy and the one after excluded, when a call arrives, then the hunt wraps to the first eligible', () => {
      const atts = manualExample();
      atts.set('op2', busy('op2', 'c9', T0));
      const out = hunt(huntInput('round-robin', atts, { rrCursor: 0, exclude: new Set(['op3']) }));
      assert.deepEqual(out, { targets: ['op1'], rrCursor: 0 });
    });

    it('given successive calls, when each is hunted with the cursor the last one left, then they go round the members in turn', () => {
      let cursor = -1;
      const seen: string[] = [];
      for (let i = 0; i < 5; i++) {
        const out = hunt(huntInput('round-robin', manualExample(), { rrCursor: cursor }));
        seen.push(...out.targets);
        cursor = out.rrCursor;
      }
      assert.deepEqual(seen, ['op1', 'op2', 'op3', 'op1', 'op2']);
    });

    it('given a cursor left from a longer member list, when a call arrives, then the hunt starts over at the first member', () => {
      assert.deepEqual(hunt(huntInput('round-robin', manualExample(), { rrCursor: 7 })), { targets: ['op1'], rrCursor: 0 });
      assert.deepEqual(hunt(huntInput('round-robin', manualExample(), { rrCursor: Number.NaN })), { targets: ['op1'], rrCursor: 0 });
    });
  });

  describe('ring-all (group call)', () => {
    it('given three idle attendants, when a call arrives with ring-all, then all three ring in member order', () => {
      assert.deepEqual(hunt(huntInput('ring-all', manualExample())), { targets: ['op1', 'op2', 'op3'], rrCursor: -1 });
    });

    it('given one busy and one excluded, when a call arrives with ring-all, then only the remaining one rings', () => {
      const atts = manualExample();
      atts.set('op1', busy('op1', 'c9', T0));
      assert.deepEqual(hunt(huntInput('ring-all', atts, { exclude: new Set(['op3']) })).targets, ['op2']);
    });
  });

  describe('linear', () => {
    it('given the first member busy, when a call arrives with linear, then the next member in order rings, whatever the idle timers', () => {
      const atts = manualExample();
      atts.set('op1', busy('op1', 'c9', T0));
      assert.deepEqual(hunt(huntInput('linear', atts)).targets, ['op2']);
      assert.deepEqual(hunt(huntInput('linear', manualExample())).targets, ['op1']);
    });
  });

  describe('fewest-calls', () => {
    it('given attendants with 4, 2 and 3 calls taken, when a call arrives with fewest-calls, then the one with 2 rings', () => {
      const atts = byId(idle('op1', { callsTaken: 4 }), idle('op2', { callsTaken: 2 }), idle('op3', { callsTaken: 3 }));
      assert.deepEqual(hunt(huntInput('fewest-calls', atts)).targets, ['op2']);
    });

    it('given two attendants with the same calls taken, when a call arrives with fewest-calls, then the one idle longer rings', () => {
      const atts = byId(
        idle('op1', { callsTaken: 2, idleSince: T0 - 5 * SECOND }),
        idle('op2', { callsTaken: 5, idleSince: T0 - 99 * SECOND }),
        idle('op3', { callsTaken: 2, idleSince: T0 - 9 * SECOND }),
      );
      assert.deepEqual(hunt(huntInput('fewest-calls', atts)).targets, ['op3']);
    });
  });

  describe('random', () => {
    it('given the injected random number, when a call arrives with random, then it picks by that number among the eligible', () => {
      assert.deepEqual(hunt(huntInput('random', manualExample(), { random: () => 0 })).targets, ['op1']);
      assert.deepEqual(hunt(huntInput('random', manualExample(), { random: () => 0.5 })).targets, ['op2']);
      assert.deepEqual(hunt(huntInput('random', manualExample(), { random: () => 0.999 })).targets, ['op3']);
    });

    it('given a random source that misbehaves (1 or NaN), when a call arrives, then the pick stays within the eligible', () => {
      assert.deepEqual(hunt(huntInput('random', manualExample(), { random: () => 1 })).targets, ['op3']);
      assert.deepEqual(hunt(huntInput('random', manualExample(), { random: () => Number.NaN })).targets, ['op1']);
    });

    it('given a seeded random source, when 3,000 calls are hunted, then each of three attendants gets about a third', () => {
      const rnd = seeded(42);
      const counts = new Map<string, number>();
      for (let i = 0; i < 3000; i++) {
        const [who] = hunt(huntInput('random', manualExample(), { random: rnd })).targets;
        if (who) counts.set(who, (counts.get(who) ?? 0) + 1);
      }
      for (const id of MEMBERS) {
        const n = counts.get(id) ?? 0;
        assert.ok(n > 900 && n < 1100, `${id} got ${n}`);
      }
    });
  });

  describe('every strategy', () => {
    it('given only members that are ringing, busy, absent, in DND or unplugged, when a call arrives, then nobody rings and the cursor stays', () => {
      const atts = byId(ringing('op1', 'c1', T0), busy('op2', 'c2', T0), absent('op3'), dnd('op4'), loggedOut('op5'));
      for (const strategy of STRATEGIES) {
        const out = hunt(huntInput(strategy, atts, { members: ['op1', 'op2', 'op3', 'op4', 'op5'], rrCursor: 1 }));
        assert.deepEqual(out, { targets: [], rrCursor: 1 }, strategy);
      }
    });

    it('given members without a record, when a call arrives, then they are skipped', () => {
      for (const strategy of STRATEGIES) {
        const out = hunt(huntInput(strategy, byId(idle('op2')), { members: ['ghost', 'op2'] }));
        assert.deepEqual(out.targets, ['op2'], strategy);
      }
    });

    it('given a group filter, when a member is idle but logged in only to another group, then it is not eligible', () => {
      const atts = byId(idle('op1', { groups: ['sales'] }), idle('op2', { groups: ['reception', 'sales'] }));
      for (const strategy of STRATEGIES) {
        assert.deepEqual(hunt(huntInput(strategy, atts, { members: ['op1', 'op2'], group: 'reception' })).targets, ['op2'], strategy);
      }
    });

    it('given members, when asked whether anyone could be rung, then the answer is whether some hunt would find a target', () => {
      const cases = [
        byId(ringing('op1', 'c1', T0), busy('op2', 'c2', T0), absent('op3')),
        byId(idle('op1', { groups: ['sales'] }), busy('op2', 'c2', T0)),
        byId(busy('op1', 'c1', T0), idle('op3')),
        manualExample(),
      ];
      for (const atts of cases) {
        const expected = hunt(huntInput('ring-all', atts, { group: 'reception' })).targets.length > 0;
        assert.equal(anyEligible({ members: MEMBERS, attendants: atts, group: 'reception' }), expected);
      }
      assert.deepEqual(cases.map((atts) => anyEligible({ members: MEMBERS, attendants: atts, group: 'reception' })), [false, false, true, true]);
    });

    it('given every strategy but round-robin, when a call is hunted, then the cursor is left as it was', () => {
      for (const strategy of STRATEGIES.filter((s) => s !== 'round-robin')) {
        assert.equal(hunt(huntInput(strategy, manualExample(), { rrCursor: 2 })).rrCursor, 2, strategy);
      }
    });

    it('given the same input twice, when hunted, then the input is left untouched and the answer is the same', () => {
      const atts = manualExample();
      const snapshot = structuredClone([...atts.values()]);
      for (const strategy of STRATEGIES) {
        const input = huntInput(strategy, atts, { rrCursor: 1, random: seeded(7) });
        const first = hunt(input);
        assert.deepEqual(hunt({ ...input, random: seeded(7) }), first, strategy);
      }
      assert.deepEqual([...atts.values()], snapshot);
    });
  });

  describe('hunting again after refusals', () => {
    it('given every idle member already refused the call, when hunted with retry, then exclusions are cleared and the hunt starts over', () => {
      const out = huntWithRetry(huntInput('longest-idle', manualExample(), { exclude: new Set(MEMBERS) }));
      assert.deepEqual(out, { targets: ['op2'], rrCursor: -1, exclusionsCleared: true });
    });

    it('given an idle member that has not refused, when hunted with retry, then it rings and the exclusions stand', () => {
      const out = huntWithRetry(huntInput('longest-idle', manualExample(), { exclude: new Set(['op2', 'op1']) }));
      assert.deepEqual(out, { targets: ['op3'], rrCursor: -1, exclusionsCleared: false });
    });

    it('given nobody idle at all, when hunted with retry, then nobody rings and the exclusions stand', () => {
      const atts = byId(busy('op1', 'c1', T0), loggedOut('op2'), absent('op3'));
      const out = huntWithRetry(huntInput('ring-all', atts, { exclude: new Set(['op1']) }));
      assert.deepEqual(out, { targets: [], rrCursor: -1, exclusionsCleared: false });
    });
  });

  describe('sets left alone after a refusal (busy)', () => {
    it('given the only idle member just answered busy, when hunted with retry, then nobody rings: the retry never clears a back-off', () => {
      const atts = byId(idle('op1', { idleSince: T0 }), loggedOut('op2'), loggedOut('op3'));
      const input = huntInput('longest-idle', atts, { exclude: new Set(['op1']), unavailable: new Set(['op1']) });
      assert.deepEqual(huntWithRetry(input), { targets: [], rrCursor: -1, exclusionsCleared: false });
      assert.equal(anyEligible({ members: MEMBERS, attendants: atts, unavailable: new Set(['op1']) }), false);
    });

    it('given a member in back-off and another idle, when hunted, then the other rings, whatever the strategy', () => {
      for (const strategy of STRATEGIES) {
        const out = hunt(huntInput(strategy, manualExample(), { unavailable: new Set(['op1', 'op2']), random: seeded(3) }));
        assert.deepEqual(out.targets, ['op3'], strategy);
      }
    });

    it('given refusals in a row, then the back-off doubles from the base up to twelve times it', () => {
      assert.deepEqual([0, 1, 2, 3, 4, 5, 9, 100].map((n) => refusalBackoffMs(n, 5 * SECOND) / SECOND), [0, 5, 10, 20, 40, 60, 60, 60]);
    });
  });
});
