// The queue_log mapping on hand-made batches (the scripted day in test/integration covers the common path).
import assert from 'node:assert/strict';
import type { AttendantRecord, CallRecord, CallRecordBag, LogEntryInput } from '../../../lib/domain/model.ts';
import { formatQueueLogLine, QueueLogTracker, type QueueLogView } from '../../../lib/stats/queue-log.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const S0 = T0 / 1000;

function call(id: string, over: Partial<CallRecordBag> = {}): CallRecord {
  return { id, callClass: 'external', priority: 5, group: 'operators', alsoGroups: [], state: 'waiting', callerNumber: '0600', callerName: '', target: 'operators', arrivedAt: T0, ringingLegs: [], refusedBy: [], ...over } as CallRecord;
}

function attendant(id: string, over: Partial<AttendantRecord> = {}): AttendantRecord {
  return { id, state: 'idle', since: T0, reason: '', groups: ['operators'], device: `PJSIP/${id}`, idleSince: T0, callsTaken: 0, ...over };
}

function entry(time: number, action: string, over: Partial<LogEntryInput> = {}): LogEntryInput {
  return { time, operator: 'system', action, numbers: ['0600'], result: 'ok', ...over };
}

/** a view over hand-kept calls and queues */
function world(calls: CallRecord[], queues: Record<string, string[]>): QueueLogView {
  const byId = new Map(calls.map((c) => [c.id, c]));
  return { call: (id) => byId.get(id), queue: (g) => queues[g] ?? [], transferContext: 'attendant' };
}

const text = (t: QueueLogTracker, entries: LogEntryInput[], view: QueueLogView, attendants: AttendantRecord[] = [], now = T0) =>
  t.read(entries, attendants, now, view).map(formatQueueLogLine);

describe('queue_log mapping', () => {
  it('given a call overflowing with mutual help, when a helping attendant answers, then no line names the helping group and the CONNECT is in its own group', () => {
    const t = new QueueLogTracker();
    const c = call('c1');
    const v = world([c], { operators: ['c1'], backup: ['c1'] });
    text(t, [entry(T0, 'arrive', { callId: 'c1', result: 'queue:operators' })], v);
    assert.deepEqual(text(t, [entry(T0 + 30_000, 'overflow', { callId: 'c1', result: 'backup', detail: { from: 'operators', reason: 'wait', mutualHelp: 'true' } })], v), []);
    const talking = world([call('c1', { state: 'talking', attendant: 'att9', leg: 'c1-p9', answeredAt: T0 + 40_000, firstAnsweredAt: T0 + 40_000 })], {});
    const answered = [entry(T0 + 36_000, 'present', { callId: 'c1', result: 'att9', detail: { group: 'backup' } }), entry(T0 + 40_000, 'answer', { callId: 'c1', operator: 'att9' })];
    assert.deepEqual(text(t, answered, talking), [`${S0 + 40}|c1|operators|att9|CONNECT|40|c1-p9|4`]);
  });

  it('given a call answered twice (retrieved from hold), when it ends by the attendant releasing it, then one CONNECT and one COMPLETEAGENT', () => {
    const t = new QueueLogTracker();
    const v = world([call('c1', { leg: 'c1-p1' })], { operators: [] });
    text(t, [entry(T0, 'arrive', { callId: 'c1', result: 'queue:operators' }), entry(T0, 'present', { callId: 'c1', result: 'att1' })], v);
    const lines = text(t, [
      entry(T0 + 4000, 'answer', { callId: 'c1', operator: 'att1' }),
      entry(T0 + 60_000, 'present', { callId: 'c1', result: 'att1' }),
      entry(T0 + 62_000, 'answer', { callId: 'c1', operator: 'att1' }),
      entry(T0 + 90_000, 'end', { callId: 'c1', operator: 'att1', result: 'completed', detail: { detail: 'attendant released' } }),
    ], v);
    assert.deepEqual(lines, [`${S0 + 4}|c1|operators|att1|CONNECT|4|c1-p1|4`, `${S0 + 90}|c1|operators|att1|COMPLETEAGENT|4|86|1`]);
  });

  it('given a restarted controller, when a call that waited before the restart ends, then it is not entered again and its original position is kept', () => {
    const t = new QueueLogTracker();
    const first = call('c1', { arrivedAt: T0 });
    const second = call('c2', { arrivedAt: T0 + 1000 });
    t.prime([attendant('att1')], [first, second], world([first, second], { operators: ['c1', 'c2'] }));
    const after = world([first, second], { operators: ['c2'] });
    assert.deepEqual(text(t, [entry(T0 + 20_000, 'end', { callId: 'c2', result: 'abandoned' })], after), [`${S0 + 20}|c2|operators|NONE|ABANDON|1|2|19`]);
    // the attendant was already a member: a state change within the group is no ADDMEMBER
    assert.deepEqual(text(t, [], after, [attendant('att1', { state: 'busy' })]), []);
  });

  it('given ends without an attendant, when mapped, then lost while waiting is ABANDON, lost while talking COMPLETECALLER, the fallback EXITWITHTIMEOUT', () => {
    const t = new QueueLogTracker();
    const v = world([call('a'), call('b', { leg: 'b-p1' }), call('c')], { operators: [] });
    text(t, ['a', 'b', 'c'].map((id) => entry(T0, 'arrive', { callId: id, result: 'queue:operators' })), v);
    text(t, [entry(T0 + 2000, 'answer', { callId: 'b', operator: 'att1' })], v);
    assert.deepEqual(text(t, [
      entry(T0 + 10_000, 'end', { callId: 'a', result: 'lost' }),
      entry(T0 + 10_000, 'end', { callId: 'b', operator: 'att1', result: 'lost' }),
      entry(T0 + 10_000, 'end', { callId: 'c', result: 'fallback' }),
    ], v), [
      `${S0 + 10}|a|operators|NONE|ABANDON|1|1|10`,
      `${S0 + 10}|b|operators|att1|COMPLETECALLER|2|8|1`,
      `${S0 + 10}|c|operators|NONE|EXITWITHTIMEOUT|1|1|10`,
    ]);
  });

  it('given a call taken at the night bell (never answered by an attendant), when it ends transferred, then TRANSFER with agent NONE', () => {
    const t = new QueueLogTracker();
    const v = world([call('c1')], { operators: [] });
    text(t, [entry(T0, 'arrive', { callId: 'c1', result: 'queue:operators' })], v);
    assert.deepEqual(text(t, [entry(T0 + 30_000, 'end', { callId: 'c1', result: 'completed-transfer', detail: { detail: 'answered at the night bell' } })], v),
      [`${S0 + 30}|c1|operators|NONE|TRANSFER||attendant|30|0|1`]);
  });

  it('given calls that never entered a queue (diverted at arrival) or are unknown, when they end, then no line', () => {
    const t = new QueueLogTracker();
    const v = world([], {});
    assert.deepEqual(text(t, [entry(T0, 'arrive', { callId: 'x', result: 'divert:night' }), entry(T0, 'end', { callId: 'x', result: 'completed' }), entry(T0, 'answer', { callId: 'y' })], v), []);
  });

  it('given an attendant logging in straight to DND, going absent, and logging out, then ADDMEMBER and PAUSE, nothing for absent after DND, then REMOVEMEMBER only', () => {
    const t = new QueueLogTracker();
    const v = world([], {});
    assert.deepEqual(text(t, [], v, [attendant('att1', { state: 'dnd', groups: ['operators', 'backup'] })]), [
      `${S0}|NONE|operators|att1|ADDMEMBER|`, `${S0}|NONE|operators|att1|PAUSE|dnd`,
      `${S0}|NONE|backup|att1|ADDMEMBER|`, `${S0}|NONE|backup|att1|PAUSE|dnd`,
    ]);
    assert.deepEqual(text(t, [], v, [attendant('att1', { state: 'absent', groups: ['operators', 'backup'] })]), []);
    assert.deepEqual(text(t, [], v, [attendant('att1', { state: 'unplugged', groups: [] })]), [`${S0}|NONE|operators|att1|REMOVEMEMBER|`, `${S0}|NONE|backup|att1|REMOVEMEMBER|`]);
  });

  it('given a caller number holding | or a newline, when formatted, then the line keeps its six-plus fields on one line', () => {
    const line = formatQueueLogLine({ time: T0 + 1500, callId: 'c1', queue: 'operators', agent: 'NONE', event: 'ENTERQUEUE', params: ['', '06|00\n1', '1'] });
    assert.equal(line, `${S0 + 1}|c1|operators|NONE|ENTERQUEUE||06 00 1|1`);
  });
});
