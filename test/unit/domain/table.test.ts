import assert from 'node:assert/strict';
import type { GroupConfig, Schedule } from '../../../lib/config.ts';
import { DomainError } from '../../../lib/domain/errors.ts';
import type { AttendantRecord } from '../../../lib/domain/model.ts';
import {
  MODE_LOOKAHEAD_MS, destinationFor, effectiveMode, followRoute, nextModeChange, overflowDecision, overflowDue,
  overflowTarget, routeCall, scheduledMode,
} from '../../../lib/domain/table.ts';
import type { RouteInput } from '../../../lib/domain/table.ts';
import { DAY, HOUR, MINUTE, SECOND, T0, busy, groupConfig, idle, loggedOut, parisOffice, ringing } from './fixtures.ts';

// Paris is UTC+1 in winter (CET) and UTC+2 in summer (CEST); 2026 changes on 29 March and 25 October at 01:00 UTC.
const FRI_0759 = Date.UTC(2026, 0, 9, 6, 59); // Friday 9 January 07:59 Paris
const FRI_0800 = Date.UTC(2026, 0, 9, 7, 0);
const FRI_1759 = Date.UTC(2026, 0, 9, 16, 59);
const FRI_1800 = Date.UTC(2026, 0, 9, 17, 0);
const FRI_2000 = Date.UTC(2026, 0, 9, 19, 0);
const SAT_1000 = Date.UTC(2026, 0, 10, 9, 0);
const SUN_1000 = Date.UTC(2026, 0, 11, 9, 0);
const MON_0800 = Date.UTC(2026, 0, 12, 7, 0);

const NIGHT_DEST = { type: 'voicemail', mailbox: '100' } as const;
const MODE1_DEST = { type: 'extension', number: '200' } as const;
const MODE2_DEST = { type: 'announcement', sound: 'closed' } as const;
const FALLBACK = { type: 'extension', number: '999' } as const;

function officeGroup(fields: Partial<GroupConfig> = {}): GroupConfig {
  return groupConfig({ table: { day: { type: 'group' }, night: NIGHT_DEST, mode1: MODE1_DEST, mode2: MODE2_DEST }, schedule: parisOffice(), ...fields });
}

/** Walk minute by minute from `from` to `to` and return the first minute the mode differs from the mode at `from`. */
function bruteForceChange(schedule: Schedule, from: number, to: number): number | undefined {
  const start = scheduledMode(schedule, from);
  for (let t = Math.floor(from / MINUTE) * MINUTE + MINUTE; t <= to; t += MINUTE) {
    if (scheduledMode(schedule, t) !== start) return t;
  }
  return undefined;
}

describe('schedule', () => {
  describe('scheduledMode', () => {
    it('given weekday office hours 08:00-18:00 in Paris, when it is 07:59 local, then night; at 08:00 local, then day (from is inclusive)', () => {
      assert.equal(scheduledMode(parisOffice(), FRI_0759), 'night');
      assert.equal(scheduledMode(parisOffice(), FRI_0800), 'day');
    });

    it('given office hours ending 18:00, when it is 17:59 local, then day; at 18:00 local, then night (to is exclusive)', () => {
      assert.equal(scheduledMode(parisOffice(), FRI_1759), 'day');
      assert.equal(scheduledMode(parisOffice(), FRI_1800), 'night');
    });

    it('given a Saturday morning rule, when it is Saturday 10:00 local, then mode 1; on Sunday, then otherwise', () => {
      assert.equal(scheduledMode(parisOffice(), SAT_1000), 'mode1');
      assert.equal(scheduledMode(parisOffice(), SUN_1000), 'night');
    });

    it('given summer time, when it is 08:00 local (06:00 UTC), then day; at 07:30 UTC in winter terms it would still be night', () => {
      assert.equal(scheduledMode(parisOffice(), Date.UTC(2026, 5, 12, 6, 0)), 'day'); // Friday 12 June 08:00 CEST
      assert.equal(scheduledMode(parisOffice(), Date.UTC(2026, 5, 12, 5, 59)), 'night');
    });

    it('given a UTC instant late on Sunday, when it is already Monday in Paris, then the Monday rules apply', () => {
      const schedule = parisOffice({ rules: [{ days: ['mon'], from: '00:00', to: '01:00', mode: 'mode2' }] });
      assert.equal(scheduledMode(schedule, Date.UTC(2026, 0, 11, 23, 30)), 'mode2'); // Sunday 23:30 UTC = Monday 00:30 Paris
    });

    it('given overlapping rules, when both match, then the first listed wins', () => {
      const schedule = parisOffice({
        rules: [
          { days: ['fri'], from: '12:00', to: '14:00', mode: 'mode2' },
          { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00', mode: 'day' },
        ],
      });
      assert.equal(scheduledMode(schedule, Date.UTC(2026, 0, 9, 12, 0)), 'mode2'); // Friday 13:00 Paris
      assert.equal(scheduledMode(schedule, Date.UTC(2026, 0, 9, 14, 0)), 'day'); // Friday 15:00 Paris
    });

    it('given a holiday on a weekday, when it is office hours that day, then the holiday mode wins', () => {
      const schedule = parisOffice({ holidays: [{ date: '2026-05-01', mode: 'night', name: 'Fête du Travail' }] });
      assert.equal(scheduledMode(schedule, Date.UTC(2026, 4, 1, 8, 0)), 'night'); // Friday 1 May 10:00 CEST
      assert.equal(scheduledMode(schedule, Date.UTC(2026, 3, 30, 8, 0)), 'day'); // the day before
    });

    it('given Christmas as a holiday, when it is 23:30 UTC on the 24th (00:30 on the 25th in Paris), then the holiday applies by local date', () => {
      const schedule = parisOffice({
        rules: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00', mode: 'day' }],
        holidays: [{ date: '2026-12-25', mode: 'mode2' }],
      });
      assert.equal(scheduledMode(schedule, Date.UTC(2026, 11, 24, 22, 59)), 'day'); // 23:59 on the 24th in Paris
      assert.equal(scheduledMode(schedule, Date.UTC(2026, 11, 24, 23, 30)), 'mode2');
    });

    it('given a rule to 24:00, when it is 23:59 local, then the rule still applies', () => {
      const schedule = parisOffice({ rules: [{ days: ['fri'], from: '20:00', to: '24:00', mode: 'mode1' }] });
      assert.equal(scheduledMode(schedule, Date.UTC(2026, 0, 9, 22, 59)), 'mode1');
      assert.equal(scheduledMode(schedule, Date.UTC(2026, 0, 9, 23, 0)), 'night'); // Saturday 00:00
    });

    it('given no rules, then the otherwise mode applies all the time', () => {
      assert.equal(scheduledMode(parisOffice({ rules: [], otherwise: 'mode2' }), FRI_0800), 'mode2');
    });

    it('given a UTC schedule, then the rules read UTC time', () => {
      const schedule = parisOffice({ timezone: 'UTC' });
      assert.equal(scheduledMode(schedule, Date.UTC(2026, 0, 9, 7, 59)), 'night');
      assert.equal(scheduledMode(schedule, Date.UTC(2026, 0, 9, 8, 0)), 'day');
    });

    it('given an unknown time zone, when the mode is asked, then a DomainError invalid_schedule is thrown', () => {
      assert.throws(() => scheduledMode(parisOffice({ timezone: 'Mars/Olympus' }), T0),
        (err: unknown) => err instanceof DomainError && err.code === 'invalid_schedule');
    });
  });

  describe('nextModeChange', () => {
    it('given Friday during office hours, then the next change is 18:00 local the same day', () => {
      assert.equal(nextModeChange(parisOffice(), Date.UTC(2026, 0, 9, 10, 17, 33)), FRI_1800);
    });

    it('given Friday evening, then the next change is Saturday 09:00 (mode 1), then 12:00, then Monday 08:00', () => {
      const sat0900 = Date.UTC(2026, 0, 10, 8, 0);
      const sat1200 = Date.UTC(2026, 0, 10, 11, 0);
      assert.equal(nextModeChange(parisOffice(), FRI_2000), sat0900);
      assert.equal(nextModeChange(parisOffice(), sat0900), sat1200);
      assert.equal(nextModeChange(parisOffice(), sat1200), MON_0800);
    });

    it('given exactly a change instant, then the next change is the one after it', () => {
      assert.equal(nextModeChange(parisOffice(), FRI_0800), FRI_1800);
    });

    it('given Friday evening before the spring DST weekend, then the next weekday change is Monday 08:00 summer time (06:00 UTC)', () => {
      const schedule = parisOffice({ rules: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00', mode: 'day' }] });
      assert.equal(nextModeChange(schedule, Date.UTC(2026, 2, 27, 18, 0)), Date.UTC(2026, 2, 30, 6, 0));
    });

    it('given a Sunday rule inside the hour skipped in spring, then it fires on an ordinary Sunday but not on the DST Sunday', () => {
      const schedule = parisOffice({
        rules: [
          { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00', mode: 'day' },
          { days: ['sun'], from: '02:00', to: '02:30', mode: 'mode2' },
        ],
      });
      assert.equal(nextModeChange(schedule, Date.UTC(2026, 2, 21, 12, 0)), Date.UTC(2026, 2, 22, 1, 0)); // Sunday 22 March 02:00 CET
      assert.equal(nextModeChange(schedule, Date.UTC(2026, 2, 28, 12, 0)), Date.UTC(2026, 2, 30, 6, 0)); // skips 29 March, Monday 08:00 CEST
    });

    it('given a Sunday rule inside the hour repeated in autumn, then it starts and ends twice that night', () => {
      const schedule = parisOffice({ rules: [{ days: ['sun'], from: '02:15', to: '02:45', mode: 'mode2' }] });
      const changes: number[] = [];
      let t = Date.UTC(2026, 9, 24, 12, 0); // Saturday 24 October
      for (let i = 0; i < 4; i++) changes.push(t = nextModeChange(schedule, t));
      assert.deepEqual(changes, [
        Date.UTC(2026, 9, 25, 0, 15), // 02:15 CEST
        Date.UTC(2026, 9, 25, 0, 45), // 02:45 CEST
        Date.UTC(2026, 9, 25, 1, 15), // 02:15 CET
        Date.UTC(2026, 9, 25, 1, 45), // 02:45 CET
      ]);
    });

    it('given a rule that starts exactly at the spring-forward instant, then the change is found at the offset change', () => {
      // on 29 March local time jumps from 02:00 to 03:00; a rule from 03:00 starts at that very instant
      const schedule = parisOffice({ rules: [{ days: ['sun'], from: '03:00', to: '04:00', mode: 'mode1' }] });
      assert.equal(nextModeChange(schedule, Date.UTC(2026, 2, 28, 12, 0)), Date.UTC(2026, 2, 29, 1, 0));
    });

    it('given a holiday on Friday 1 May, when asked on Thursday evening, then Friday stays night and the next change is Saturday 09:00', () => {
      const schedule = parisOffice({ holidays: [{ date: '2026-05-01', mode: 'night' }] });
      assert.equal(nextModeChange(schedule, Date.UTC(2026, 3, 30, 18, 0)), Date.UTC(2026, 4, 2, 7, 0)); // Saturday 2 May 09:00 CEST
    });

    it('given a holiday with its own mode, then the mode changes at local midnight at its start and its end', () => {
      const schedule = parisOffice({ holidays: [{ date: '2026-05-01', mode: 'mode2' }] });
      const start = nextModeChange(schedule, Date.UTC(2026, 3, 30, 18, 0));
      assert.equal(start, Date.UTC(2026, 3, 30, 22, 0)); // 1 May 00:00 CEST
      assert.equal(nextModeChange(schedule, start), Date.UTC(2026, 4, 1, 22, 0)); // 2 May 00:00 CEST
    });

    it('given a schedule whose mode never changes, then the answer is the end of the look-ahead, where the mode is simply re-checked', () => {
      assert.equal(nextModeChange(parisOffice({ rules: [] }), T0), T0 + MODE_LOOKAHEAD_MS);
    });

    it('given a week of start times, then each answer agrees with a minute-by-minute walk of the schedule', () => {
      const schedule = parisOffice({
        rules: [...parisOffice().rules, { days: ['sun'], from: '02:15', to: '02:45', mode: 'mode2' }],
        holidays: [{ date: '2026-10-27', mode: 'mode1' }],
      });
      for (const start of [Date.UTC(2026, 9, 23, 15, 30), Date.UTC(2026, 9, 24, 13, 0), Date.UTC(2026, 9, 25, 0, 50), Date.UTC(2026, 9, 26, 16, 0)]) {
        const next = nextModeChange(schedule, start);
        assert.equal(next, bruteForceChange(schedule, start, start + 3 * DAY), new Date(start).toISOString());
      }
    });
  });
});

describe('distribution table', () => {
  it('given a supervisor override, when the mode is asked, then the override wins over the schedule', () => {
    assert.equal(effectiveMode(officeGroup(), { override: 'mode2' }, FRI_0800), 'mode2');
  });

  it('given no override, when the mode is asked, then the schedule decides', () => {
    assert.equal(effectiveMode(officeGroup(), {}, FRI_0800), 'day');
    assert.equal(effectiveMode(officeGroup(), { override: undefined }, FRI_2000), 'night');
  });

  it('given a group without schedule or override, then it is in day mode', () => {
    assert.equal(effectiveMode(groupConfig(), {}, FRI_2000), 'day');
  });

  it('given a table with entries for each mode, then each mode has its destination', () => {
    const g = officeGroup();
    assert.deepEqual(destinationFor(g, 'day'), { type: 'group' });
    assert.deepEqual(destinationFor(g, 'night'), NIGHT_DEST);
    assert.deepEqual(destinationFor(g, 'mode1'), MODE1_DEST);
    assert.deepEqual(destinationFor(g, 'mode2'), MODE2_DEST);
  });

  it('given a table without a mode 2 entry, when mode 2 is in force, then the day destination is used', () => {
    assert.deepEqual(destinationFor(groupConfig({ table: { day: { type: 'group' }, night: NIGHT_DEST } }), 'mode2'), { type: 'group' });
  });
});

describe('routing a new call', () => {
  const staffed = [idle('op1'), loggedOut('op2'), loggedOut('op3')];
  const input = (fields: Partial<RouteInput>): RouteInput => ({ group: officeGroup(), record: {}, now: FRI_0800, members: staffed, ...fields });

  it('given day mode and an attendant logged in, when a call arrives, then it queues for this group', () => {
    assert.deepEqual(routeCall(input({})), { kind: 'queue', group: 'reception', mode: 'day', reason: 'day' });
  });

  it('given night mode by the schedule, when a call arrives, then it is diverted to the night destination', () => {
    assert.deepEqual(routeCall(input({ now: FRI_2000 })), { kind: 'divert', destination: NIGHT_DEST, mode: 'night', reason: 'night' });
  });

  it('given mode 1 by the schedule or mode 2 by override, when a call arrives, then it goes to that mode\'s destination', () => {
    assert.deepEqual(routeCall(input({ now: SAT_1000 })), { kind: 'divert', destination: MODE1_DEST, mode: 'mode1', reason: 'mode1' });
    assert.deepEqual(routeCall(input({ record: { override: 'mode2' } })), { kind: 'divert', destination: MODE2_DEST, mode: 'mode2', reason: 'mode2' });
  });

  it('given a night destination that is another group, when a call arrives at night, then it queues there', () => {
    const group = officeGroup({ table: { day: { type: 'group' }, night: { type: 'group', group: 'night-desk' } } });
    assert.deepEqual(routeCall(input({ group, now: FRI_2000 })), { kind: 'queue', group: 'night-desk', mode: 'night', reason: 'night' });
  });

  it('given day mode but every member unplugged, when a call arrives, then it goes to the night destination', () => {
    const decision = routeCall(input({ members: [loggedOut('op1'), loggedOut('op2', { offline: true })] }));
    assert.deepEqual(decision, { kind: 'divert', destination: NIGHT_DEST, mode: 'day', reason: 'all-unplugged' });
  });

  it('given every member unplugged and no night destination, when a call arrives, then it goes to the fallback', () => {
    const group = officeGroup({ table: { day: { type: 'group' } }, fallback: FALLBACK });
    const decision = routeCall(input({ group, members: [loggedOut('op1')] }));
    assert.deepEqual(decision, { kind: 'divert', destination: FALLBACK, mode: 'day', reason: 'all-unplugged' });
  });

  it('given every member unplugged and the night entry is this group itself, when a call arrives, then the fallback is used instead', () => {
    const group = officeGroup({ table: { day: { type: 'group' }, night: { type: 'group', group: 'reception' } }, fallback: FALLBACK });
    assert.deepEqual(routeCall(input({ group, members: [] })), { kind: 'divert', destination: FALLBACK, mode: 'day', reason: 'all-unplugged' });
  });

  it('given every member unplugged and nowhere else to go, when a call arrives, then it queues here anyway, marked all-unplugged', () => {
    const group = officeGroup({ table: { day: { type: 'group' } } });
    assert.deepEqual(routeCall(input({ group, members: [loggedOut('op1')] })), { kind: 'queue', group: 'reception', mode: 'day', reason: 'all-unplugged' });
  });

  it('given the members absent or busy, when a call arrives, then it queues (one key press brings an absent attendant back)', () => {
    const absent = idle('op1', { state: 'absent', idleSince: 0, unansweredMs: 80_000 });
    assert.equal(routeCall(input({ members: [absent, loggedOut('op2')] })).kind, 'queue');
    assert.equal(routeCall(input({ members: [busy('op1', 'c1', T0)] })).kind, 'queue');
  });

  it('given a full queue (maxQueue) and a fallback, when a call arrives, then it goes to the fallback; without a fallback it queues', () => {
    const full = officeGroup({ maxQueue: 3, fallback: FALLBACK });
    const members = [busy('op1', 'c0', T0)];
    assert.deepEqual(routeCall(input({ group: full, members, queueLength: 3 })), { kind: 'divert', destination: FALLBACK, mode: 'day', reason: 'queue-full' });
    assert.equal(routeCall(input({ group: full, members, queueLength: 2 })).kind, 'queue');
    assert.equal(routeCall(input({ group: officeGroup({ maxQueue: 3 }), members, queueLength: 5 })).kind, 'queue');
  });

  it('given maxQueue and idle members, when a call arrives, then only the calls that would wait count against it', () => {
    const full = officeGroup({ maxQueue: 3, fallback: FALLBACK });
    // 3 waiting and 1 idle: the idle member takes the first, so with this one 3 wait: admitted
    assert.equal(routeCall(input({ group: full, queueLength: 3 })).kind, 'queue');
    assert.equal(routeCall(input({ group: full, queueLength: 4 })).reason, 'queue-full');
  });

  it('given a loss system (maxQueue 0), when a call arrives, then it is taken only if a member is idle, else it goes to the fallback', () => {
    const loss = officeGroup({ maxQueue: 0, fallback: FALLBACK });
    assert.deepEqual(routeCall(input({ group: loss, queueLength: 0 })), { kind: 'queue', group: 'reception', mode: 'day', reason: 'day' });
    const allBusy = [busy('op1', 'c1', T0), ringing('op2', 'c2', T0), loggedOut('op3')];
    assert.deepEqual(routeCall(input({ group: loss, members: allBusy, queueLength: 0 })), { kind: 'divert', destination: FALLBACK, mode: 'day', reason: 'queue-full' });
    // an idle member logged in to other groups only does not serve this one
    assert.equal(routeCall(input({ group: loss, members: [idle('op1', { groups: ['sales'] }), busy('op2', 'c2', T0)], queueLength: 0 })).reason, 'queue-full');
    // the one idle member is already wanted by a call still waiting: this one would wait
    assert.equal(routeCall(input({ group: loss, queueLength: 1 })).reason, 'queue-full');
  });

  describe('followRoute', () => {
    const reception = officeGroup({ table: { day: { type: 'group' }, night: { type: 'group', group: 'night-desk' } } });
    const nightDesk = groupConfig({ id: 'night-desk', name: 'Night desk', members: ['op9'], table: { day: { type: 'group' }, night: NIGHT_DEST } });
    const groups = new Map<string, { group: GroupConfig; members: AttendantRecord[] }>([
      ['reception', { group: reception, members: staffed }],
      ['night-desk', { group: nightDesk, members: [idle('op9')] }],
    ]);
    const lookup = (id: string) => {
      const g = groups.get(id);
      return g && { group: g.group, record: {}, members: g.members };
    };

    it('given reception at night sends calls to a staffed night desk, when a call arrives, then it queues at the night desk in the desk\'s own mode', () => {
      assert.deepEqual(followRoute('reception', lookup, FRI_2000), { kind: 'queue', group: 'night-desk', mode: 'day', reason: 'day', path: ['reception', 'night-desk'] });
    });

    it('given the night desk is unplugged too, when a call arrives at night, then it follows the night desk\'s own night destination', () => {
      const unstaffed = (id: string) => (id === 'night-desk' ? { group: nightDesk, record: {}, members: [loggedOut('op9')] } : lookup(id));
      assert.deepEqual(followRoute('reception', unstaffed, FRI_2000),
        { kind: 'divert', destination: NIGHT_DEST, mode: 'day', reason: 'all-unplugged', path: ['reception', 'night-desk'] });
    });

    it('given two groups that send their calls to each other, when a call arrives, then it stops at the second group instead of looping', () => {
      const back = groupConfig({ id: 'night-desk', name: 'Night desk', members: ['op9'], table: { day: { type: 'group' }, night: { type: 'group', group: 'reception' } } });
      const loop = (id: string) => (id === 'night-desk' ? { group: back, record: { override: 'night' as const }, members: [idle('op9')] } : lookup(id));
      assert.deepEqual(followRoute('reception', loop, FRI_2000), { kind: 'queue', group: 'night-desk', mode: 'night', reason: 'night', path: ['reception', 'night-desk'] });
    });

    it('given an unknown start group, then the call queues there in day mode for the caller to log', () => {
      assert.deepEqual(followRoute('ghost', lookup, FRI_2000), { kind: 'queue', group: 'ghost', mode: 'day', reason: 'day', path: ['ghost'] });
    });
  });
});

describe('overflow', () => {
  const withOverflow = (overflow: NonNullable<GroupConfig['overflow']>) => groupConfig({ overflow });

  it('given a group without overflow, then no call ever overflows', () => {
    assert.deepEqual(overflowDecision({ group: groupConfig(), queueLength: 500, oldestWaitMs: HOUR, callWaitMs: HOUR }), { overflow: false });
    assert.equal(overflowTarget(groupConfig()), undefined);
    assert.equal(overflowDue(groupConfig(), T0), undefined);
  });

  it('given a threshold of 3 calls, when the third call arrives, then it overflows to the help group with mutual help', () => {
    const group = withOverflow({ to: 'backup', queueLength: 3, mutualHelp: true });
    assert.deepEqual(overflowDecision({ group, queueLength: 3, oldestWaitMs: 20 * SECOND, callWaitMs: 0 }),
      { overflow: true, reason: 'queue-length', to: 'backup', mutualHelp: true });
    assert.equal(overflowTarget(group), 'backup');
  });

  it('given a threshold of 3 calls, when the second call arrives, then it waits here', () => {
    const group = withOverflow({ to: 'backup', queueLength: 3, mutualHelp: true });
    assert.deepEqual(overflowDecision({ group, queueLength: 2, oldestWaitMs: 20 * SECOND, callWaitMs: 0 }), { overflow: false });
  });

  it('given a 60 s wait threshold, when a call has waited 60 s, then it overflows by wait; at 59.999 s it stays', () => {
    const group = withOverflow({ to: 'backup', waitSeconds: 60, mutualHelp: false });
    assert.deepEqual(overflowDecision({ group, queueLength: 1, oldestWaitMs: 60 * SECOND, callWaitMs: 60 * SECOND }),
      { overflow: true, reason: 'wait', to: 'backup', mutualHelp: false });
    assert.deepEqual(overflowDecision({ group, queueLength: 1, oldestWaitMs: 60 * SECOND - 1, callWaitMs: 60 * SECOND - 1 }), { overflow: false });
  });

  it('given the oldest waiting call already past the wait threshold, when a new call arrives, then the new call overflows at once', () => {
    const group = withOverflow({ to: 'backup', waitSeconds: 60, mutualHelp: true });
    assert.equal(overflowDecision({ group, queueLength: 4, oldestWaitMs: 75 * SECOND, callWaitMs: 0 }).reason, 'wait');
  });

  it('given both thresholds reached, then the reason is the queue length', () => {
    const group = withOverflow({ to: 'backup', queueLength: 2, waitSeconds: 30, mutualHelp: true });
    assert.equal(overflowDecision({ group, queueLength: 2, oldestWaitMs: 40 * SECOND, callWaitMs: 40 * SECOND }).reason, 'queue-length');
  });

  it('given only a length threshold, when a call has waited an hour in a short queue, then it does not overflow', () => {
    const group = withOverflow({ to: 'backup', queueLength: 10, mutualHelp: true });
    assert.deepEqual(overflowDecision({ group, queueLength: 1, oldestWaitMs: HOUR, callWaitMs: HOUR }), { overflow: false });
  });

  it('given a 45 s wait threshold, then a call that arrived at T0 is due to overflow at T0 + 45 s; without a wait threshold never', () => {
    assert.equal(overflowDue(withOverflow({ to: 'backup', waitSeconds: 45, mutualHelp: true }), T0), T0 + 45 * SECOND);
    assert.equal(overflowDue(withOverflow({ to: 'backup', queueLength: 5, mutualHelp: true }), T0), undefined);
  });
});
