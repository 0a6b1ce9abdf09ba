// The store contract: one suite, run unchanged against every Store implementation (see store.test.ts).
import assert from 'node:assert/strict';
import { ATTENDANT_STATES } from '../../lib/domain/model.ts';
import type { AttendantRecord, CallRecord, CallRecordBag, GroupRecord, LogEntryInput } from '../../lib/domain/model.ts';
import { attendantOf } from '../../lib/domain/call.ts';
import { queueScore } from '../../lib/store/store.ts';
import type { Store, StoreOp } from '../../lib/store/store.ts';
import { InvalidStoreIdError, InvalidStoreOpError, StoreFencedError } from '../../lib/store/keys.ts';

/** What an implementation gives the contract for one test. */
export interface StoreHarness {
  /** an empty store with a key space of its own */
  store: Store;
  /** a second client on the same data, as a second controller would have (memory: the same store) */
  peer(): Promise<Store>;
  /** a store under another prefix on the same backend */
  otherPrefix(): Promise<Store>;
  /** let lease time pass: the memory store's clock is advanced, Redis TTLs are really waited for */
  letLeaseTimePass(ms: number): Promise<void>;
  /** close the stores and delete what the test wrote */
  cleanup(): Promise<void>;
}

export type StoreFactory = () => Promise<StoreHarness>;

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MIN = 60_000;

export function attendant(id: string, over: Partial<AttendantRecord> = {}): AttendantRecord {
  return { id, state: 'idle', since: T0, reason: 'login', groups: ['reception'], device: `PJSIP/${id}`, idleSince: T0, callsTaken: 0, ...over };
}

export function group(id: string, over: Partial<GroupRecord> = {}): GroupRecord {
  return { id, mode: 'day', state: 'in-service', rrCursor: 0, ...over };
}

/** a call record for the store; `over` may name any state's field (a record valid for its state reads back equal) */
export function call(id: string, over: Partial<CallRecordBag> = {}): CallRecord {
  return {
    id, callClass: 'external', priority: 5, group: 'reception', alsoGroups: [], state: 'waiting',
    callerNumber: '0612345678', callerName: 'Zoë Müller', target: '100', arrivedAt: T0, ringingLegs: [], refusedBy: [], ...over,
  } as CallRecord;
}

/** a talking call with every field a talking call may have (a record names only its state's fields: lib/domain/call.ts) */
const FULL_CALL: CallRecord = call('1712345678.42', {
  priority: 9, alsoGroups: ['night', 'sales'], state: 'talking', callerNumber: '0033123', callerName: '', target: '+33 1 23',
  presentedAt: T0 + 1000, answeredAt: T0 + 2500.5, firstAnsweredAt: T0 + 2500, attendant: 'att1',
  leg: 'leg-1', waitBridge: 'hold-1', talkBridge: 'mix-1', holdBridge: 'hold-2', refusedBy: ['att2'], overflowedFrom: 'sales',
  dndExtension: '201', dndBy: 'att2', dndUntil: T0 + 3_600_000, attention: 'check the bridge',
  stays: [{ kind: 'talk', bridge: 'mix-1', start: T0 + 2500, attendant: 'att1' }],
});

/**
 * A call as the previous version stored it: a bag of every field, some left behind by states the call
 * had left (a held call retrieved, a transfer that failed, a consultation that ended).
 */
const OLD_TALKING_CALL = {
  ...FULL_CALL, id: 'old-1', endedAt: T0 + 60_000, endReason: 'caller hung up', ringingLegs: ['leg-1', 'leg-2'], slot: 3, heldAt: T0 + 5000,
  parkSlot: 4, transferTarget: '201', transferLeg: 'old-1-t1', consultTarget: '202', consultLeg: 'old-1-c1', consultAnswered: true,
  talkingTo: 'caller', joinOnAnswer: false, callerGone: false,
} as unknown as CallRecord;

const FULL_ATTENDANT: AttendantRecord = attendant('att1', {
  state: 'busy', reason: 'answered', groups: ['reception', 'sales'], idleSince: T0 - MIN, currentCall: '1712345678.42',
  currentLeg: 'leg-1', loginUser: 'alice', loggedInAt: T0 - 60 * MIN, offline: false, callsTaken: 12, unansweredMs: 15_000.25,
});

function logEntry(time: number, over: Partial<LogEntryInput> = {}): LogEntryInput {
  return { time, operator: 'att1', action: 'answer', numbers: ['0612345678', '100'], result: 'ok', ...over };
}

const put = (attendant: AttendantRecord): StoreOp => ({ op: 'putAttendant', attendant });
const enqueue = (group: string, c: CallRecord): StoreOp => ({ op: 'enqueue', group, callId: c.id, score: queueScore(c.priority, c.arrivedAt) });

export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`Store contract: ${name}`, function () {
    let h: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      h = await factory();
      store = h.store;
    });

    afterEach(async () => {
      await h.cleanup();
    });

    describe('attendants', () => {
      for (const state of ATTENDANT_STATES) {
        it(`given an attendant in state ${state}, when it is written, then it reads back equal, numbers as numbers`, async () => {
          const a = attendant('att1', { state, idleSince: state === 'idle' ? T0 : 0, callsTaken: 3 });
          await store.commit([put(a)]);
          const back = await store.getAttendant('att1');
          assert.deepEqual(back, a);
          assert.equal(typeof back?.since, 'number');
          assert.deepEqual(await store.listAttendants(), [a]);
        });
      }

      it('given an attendant with every optional field, when written and then updated without them, then they read back absent', async () => {
        await store.commit([put(FULL_ATTENDANT)]);
        assert.deepEqual(await store.getAttendant('att1'), FULL_ATTENDANT);
        const { currentCall: _c, currentLeg: _l, loginUser: _u, loggedInAt: _i, offline: _o, unansweredMs: _s, ...bare } = FULL_ATTENDANT;
        await store.commit([put({ ...bare, state: 'idle', idleSince: T0 })]);
        const back = await store.getAttendant('att1');
        assert.deepEqual(back, { ...bare, state: 'idle', idleSince: T0 });
        assert.deepEqual(Object.keys(back ?? {}).sort(), Object.keys(bare).sort());
      });

      it('given an unknown attendant id, when read, then null', async () => {
        assert.equal(await store.getAttendant('nobody'), null);
        assert.deepEqual(await store.listAttendants(), []);
      });

      it('given three idle attendants, when the idle set is read, then the one idle longest comes first', async () => {
        await store.commit([
          put(attendant('att1', { idleSince: T0 + 2 * MIN })),
          put(attendant('att2', { idleSince: T0 })),
          put(attendant('att3', { idleSince: T0 + MIN })),
        ]);
        assert.deepEqual(await store.idleAttendants('reception'), ['att2', 'att3', 'att1']);
      });

      it('given an idle attendant, when it rings, then it leaves the idle set, and when idle again it rejoins with its new idleSince', async () => {
        await store.commit([put(attendant('att1', { idleSince: T0 })), put(attendant('att2', { idleSince: T0 + MIN }))]);
        await store.commit([put(attendant('att1', { state: 'ringing', idleSince: T0, currentCall: 'c1' }))]);
        assert.deepEqual(await store.idleAttendants('reception'), ['att2']);
        await store.commit([put(attendant('att1', { idleSince: T0 + 5 * MIN }))]);
        assert.deepEqual(await store.idleAttendants('reception'), ['att2', 'att1']);
      });

      it('given an idle attendant, when it moves through every other state, then it is never in the idle set', async () => {
        await store.commit([put(attendant('att1'))]);
        for (const state of ATTENDANT_STATES.filter((s) => s !== 'idle')) {
          await store.commit([put(attendant('att1', { state }))]);
          assert.deepEqual(await store.idleAttendants('reception'), [], state);
          await store.commit([put(attendant('att1'))]);
          assert.deepEqual(await store.idleAttendants('reception'), ['att1'], `idle after ${state}`);
        }
      });

      it('given an idle attendant logged into two groups, when the idle sets are read, then it is in both', async () => {
        await store.commit([put(attendant('att1', { groups: ['reception', 'sales'] })), put(attendant('att2', { groups: ['sales'], idleSince: T0 - MIN }))]);
        assert.deepEqual(await store.idleAttendants('reception'), ['att1']);
        assert.deepEqual(await store.idleAttendants('sales'), ['att2', 'att1']);
      });

      it('given an idle attendant in two groups, when it leaves one, then it is only in the idle set of the other', async () => {
        await store.commit([put(attendant('att1', { groups: ['reception', 'sales'] }))]);
        await store.commit([put(attendant('att1', { groups: ['sales'] }))]);
        assert.deepEqual(await store.idleAttendants('reception'), []);
        assert.deepEqual(await store.idleAttendants('sales'), ['att1']);
        await store.commit([put(attendant('att1', { state: 'unplugged', groups: [], idleSince: 0 }))]);
        assert.deepEqual(await store.idleAttendants('sales'), []);
      });

      it('given a record written and read, when the caller mutates either object, then the stored record does not change', async () => {
        const a = attendant('att1', { groups: ['reception'] });
        await store.commit([put(a)]);
        a.groups.push('sales');
        a.state = 'busy';
        const read = await store.getAttendant('att1');
        assert.ok(read, 'read');
        read.groups.push('night');
        assert.deepEqual(await store.getAttendant('att1'), attendant('att1', { groups: ['reception'] }));
      });
    });

    describe('groups', () => {
      it('given a group without override, when written, then it reads back equal', async () => {
        const g = group('reception', { rrCursor: 3, state: 'absent', mode: 'night' });
        await store.commit([{ op: 'putGroup', group: g }]);
        assert.deepEqual(await store.getGroup('reception'), g);
        assert.deepEqual(await store.listGroups(), [g]);
      });

      it('given a group with a supervisor override, when the override is cleared, then it reads back without it', async () => {
        await store.commit([{ op: 'putGroup', group: group('reception', { mode: 'mode1', override: 'mode1' }) }]);
        assert.deepEqual(await store.getGroup('reception'), group('reception', { mode: 'mode1', override: 'mode1' }));
        await store.commit([{ op: 'putGroup', group: group('reception') }]);
        const back = await store.getGroup('reception');
        assert.deepEqual(back, group('reception'));
        assert.equal(back !== null && 'override' in back, false);
      });

      it('given two groups, when listed, then both come back and an unknown one is null', async () => {
        await store.commit([{ op: 'putGroup', group: group('sales') }, { op: 'putGroup', group: group('reception') }]);
        assert.deepEqual(await store.listGroups(), [group('reception'), group('sales')]);
        assert.equal(await store.getGroup('night'), null);
      });
    });

    describe('calls', () => {
      it('given a call with every optional field, when written, then it reads back equal, numeric-looking strings as strings', async () => {
        await store.commit([{ op: 'putCall', call: FULL_CALL }]);
        const back = await store.getCall(FULL_CALL.id);
        assert.deepEqual(back, FULL_CALL);
        assert.equal(back?.callerNumber, '0033123');
      });

      it('given a call with no optional field, when written, then it reads back equal with no extra keys', async () => {
        const c = call('c1');
        await store.commit([{ op: 'putCall', call: c }]);
        const back = await store.getCall('c1');
        assert.deepEqual(back, c);
        assert.deepEqual(Object.keys(back ?? {}).sort(), Object.keys(c).sort());
      });

      it('given a call with every optional field, when updated without them, then they are cleared', async () => {
        await store.commit([{ op: 'putCall', call: FULL_CALL }]);
        const bare = call(FULL_CALL.id, { state: 'waiting', alsoGroups: [], ringingLegs: [] });
        await store.commit([{ op: 'putCall', call: bare }]);
        assert.deepEqual(await store.getCall(FULL_CALL.id), bare);
      });

      it('given fields explicitly set to undefined, when written, then they read back absent', async () => {
        await store.commit([{ op: 'putCall', call: FULL_CALL }]);
        await store.commit([{ op: 'putCall', call: { ...FULL_CALL, waitBridge: undefined, overflowedFrom: undefined } as CallRecord }]);
        const back = await store.getCall(FULL_CALL.id);
        assert.equal(back !== null && ('waitBridge' in back || 'overflowedFrom' in back), false);
        assert.equal(back?.state === 'talking' && back.talkBridge, 'mix-1');
      });

      it('given a call stored by the previous version with fields of states it left, when read, then it reads back as its state\'s variant, those fields dropped', async () => {
        await store.commit([{ op: 'putCall', call: OLD_TALKING_CALL }]);
        const expected = { ...FULL_CALL, id: 'old-1' };
        assert.deepEqual(await store.getCall('old-1'), expected);
        assert.deepEqual(await store.listCalls(), [expected]);
        assert.deepEqual((await store.snapshot()).calls, [expected]);
      });

      it('given an old record that cannot be valid in its state, when read, then it is kept as a waiting call needing attention, never lost', async () => {
        const broken = { ...call('old-2'), state: 'held', attendant: 'att1', holdBridge: 'hold-old-2-b1', ringingLegs: ['old-2-p1'] } as unknown as CallRecord;
        await store.commit([{ op: 'putCall', call: broken }]);
        const back = await store.getCall('old-2');
        assert.equal(back?.state, 'waiting');
        assert.match(back?.attention ?? '', /^stored as held but held without slot, held without heldAt/);
        assert.equal(back?.state === 'waiting' && back.holdBridge, 'hold-old-2-b1');
        assert.deepEqual(back?.ringingLegs, []);
        assert.deepEqual((await store.snapshot()).calls.map((c) => [c.id, c.state]), [['old-2', 'waiting']]);
      });

      it('given a call, when deleteCall, then the call, its claim and its listing are gone', async () => {
        await store.commit([{ op: 'putCall', call: call('c1') }, { op: 'putCall', call: call('c2') }]);
        assert.equal(await store.claimCall('c1', 'att1'), true);
        await store.commit([{ op: 'deleteCall', callId: 'c1' }]);
        assert.equal(await store.getCall('c1'), null);
        assert.equal(await store.claimOwner('c1'), null);
        assert.deepEqual((await store.listCalls()).map((c) => c.id), ['c2']);
        assert.equal(await store.claimCall('c1', 'att2'), true, 'the claim is free again');
      });
    });

    describe('queues', () => {
      it('given two normal calls waiting, when an urgent call arrives later, then it is served first', async () => {
        const n1 = call('n1', { arrivedAt: T0 });
        const n2 = call('n2', { arrivedAt: T0 + 1000 });
        const u = call('u', { priority: 9, arrivedAt: T0 + 2000 });
        await store.commit([enqueue('reception', n1), enqueue('reception', n2), enqueue('reception', u)]);
        assert.deepEqual(await store.queue('reception'), ['u', 'n1', 'n2']);
      });

      it('given calls of the same priority, when queued out of order, then they are served by arrival (FIFO)', async () => {
        const calls = [call('c3', { arrivedAt: T0 + 3 }), call('c1', { arrivedAt: T0 + 1 }), call('c2', { arrivedAt: T0 + 2 })];
        await store.commit(calls.map((c) => enqueue('reception', c)));
        assert.deepEqual(await store.queue('reception'), ['c1', 'c2', 'c3']);
      });

      it('given three queued calls, when the middle one is dequeued, then the others keep their order', async () => {
        const calls = [call('c1', { arrivedAt: T0 + 1 }), call('c2', { arrivedAt: T0 + 2 }), call('c3', { arrivedAt: T0 + 3 })];
        await store.commit(calls.map((c) => enqueue('reception', c)));
        await store.commit([{ op: 'dequeue', group: 'reception', callId: 'c2' }]);
        assert.deepEqual(await store.queue('reception'), ['c1', 'c3']);
        assert.deepEqual(await store.queue('empty'), []);
      });

      it('given a call in two queues (mutual help), when dequeued from one, then it stays in the other', async () => {
        const c = call('c1');
        const other = call('c0', { arrivedAt: T0 - 1000 });
        await store.commit([enqueue('reception', c), enqueue('sales', other), enqueue('sales', c)]);
        assert.deepEqual(await store.queue('reception'), ['c1']);
        assert.deepEqual(await store.queue('sales'), ['c0', 'c1']);
        await store.commit([{ op: 'dequeue', group: 'reception', callId: 'c1' }]);
        assert.deepEqual(await store.queue('reception'), []);
        assert.deepEqual(await store.queue('sales'), ['c0', 'c1']);
      });

      it('given a queued call, when enqueued again with a higher priority, then it moves forward instead of appearing twice', async () => {
        const c1 = call('c1', { arrivedAt: T0 });
        const c2 = call('c2', { arrivedAt: T0 + 1 });
        await store.commit([enqueue('reception', c1), enqueue('reception', c2)]);
        await store.commit([enqueue('reception', { ...c2, priority: 8 })]);
        assert.deepEqual(await store.queue('reception'), ['c2', 'c1']);
      });
    });

    describe('the hand-over (claimCall)', () => {
      it('given two controllers claiming the same call at once, then exactly one wins and only its ops are applied', async () => {
        const peer = await h.peer();
        await store.commit([{ op: 'putCall', call: call('c1') }, enqueue('reception', call('c1'))]);
        const opsFor = (att: string): StoreOp[] => [
          { op: 'putCall', call: call('c1', { state: 'ringing', attendant: att, presentedAt: T0 + 1, ringingLegs: [`c1-${att}`] }) },
          { op: 'dequeue', group: 'reception', callId: 'c1' },
          put(attendant(att, { state: 'ringing', currentCall: 'c1' })),
          { op: 'log', entry: logEntry(T0 + 1, { operator: att, action: 'present' }) },
        ];
        const [a, b] = await Promise.all([store.claimCall('c1', 'att1', opsFor('att1')), peer.claimCall('c1', 'att2', opsFor('att2'))]);
        assert.equal(Number(a) + Number(b), 1, `exactly one claim wins (got ${a}, ${b})`);
        const winner = a ? 'att1' : 'att2';
        const loser = a ? 'att2' : 'att1';
        assert.equal(await store.claimOwner('c1'), winner);
        const claimed = await store.getCall('c1');
        assert.equal(claimed && attendantOf(claimed), winner);
        assert.equal((await store.getAttendant(winner))?.state, 'ringing');
        assert.equal(await store.getAttendant(loser), null, 'the loser\'s ops are not applied');
        assert.deepEqual(await store.queue('reception'), []);
        assert.deepEqual((await store.queryLog({})).map((e) => e.operator), [winner]);
      });

      it('given a claimed call, when claimed again (even by the same attendant), then false and nothing applied', async () => {
        assert.equal(await store.claimCall('c1', 'att1'), true);
        assert.equal(await store.claimCall('c1', 'att1', [put(attendant('att1'))]), false);
        assert.equal(await store.getAttendant('att1'), null);
      });

      it('given a claimed call, when released, then another attendant can claim it', async () => {
        assert.equal(await store.claimOwner('c1'), null);
        assert.equal(await store.claimCall('c1', 'att1'), true);
        await store.releaseCall('c1');
        assert.equal(await store.claimOwner('c1'), null);
        assert.equal(await store.claimCall('c1', 'att2'), true);
        assert.equal(await store.claimOwner('c1'), 'att2');
      });

      it('given a claim whose ops contain an invalid one, when claimed, then it throws, the claim stays free and nothing is applied', async () => {
        await assert.rejects(
          store.claimCall('c1', 'att1', [put(attendant('att1')), { op: 'stats', scope: 'reception', intervalStart: T0, add: { offered: Number.NaN } }]),
          InvalidStoreOpError,
        );
        assert.equal(await store.claimOwner('c1'), null);
        assert.equal(await store.getAttendant('att1'), null);
      });
    });

    describe('commit', () => {
      it('given a batch whose last op is invalid (a non-finite counter), when committed, then nothing of it is applied', async () => {
        await assert.rejects(store.commit([
          { op: 'putCall', call: call('c1') },
          enqueue('reception', call('c1')),
          put(attendant('att1')),
          { op: 'log', entry: logEntry(T0) },
          { op: 'stats', scope: 'reception', intervalStart: T0, add: { offered: 1, talkSeconds: Number.POSITIVE_INFINITY } },
        ]), (err: unknown) => err instanceof InvalidStoreOpError && err.code === 'store_invalid_op');
        const snap = await store.snapshot();
        assert.deepEqual(snap, { attendants: [], groups: [], calls: [], queues: {} });
        assert.deepEqual(await store.queryLog({}), []);
        assert.deepEqual(await store.stats('reception', 0, Number.POSITIVE_INFINITY), []);
      });

      it('given a record that cannot be read back (NaN field, unknown state), when committed, then the batch is refused', async () => {
        await assert.rejects(store.commit([put(attendant('att1')), put(attendant('att2', { since: Number.NaN }))]), InvalidStoreOpError);
        const badState = { ...attendant('att3'), state: 'sleeping' } as unknown as AttendantRecord;
        await assert.rejects(store.commit([put(badState)]), InvalidStoreOpError);
        assert.deepEqual(await store.listAttendants(), []);
      });

      it('given an id that is empty, has whitespace or a colon, when used, then a typed error and nothing applied', async () => {
        for (const bad of ['', 'att 1', 'att\n1', 'g:idle']) {
          await assert.rejects(store.commit([{ op: 'putCall', call: call('ok') }, put(attendant(bad))]), InvalidStoreIdError, JSON.stringify(bad));
          await assert.rejects(store.getCall(bad), (err: unknown) => err instanceof InvalidStoreIdError && err.code === 'store_invalid_id');
        }
        await assert.rejects(store.commit([put(attendant('att1', { groups: ['reception', 'sales idle'] }))]), InvalidStoreIdError);
        await assert.rejects(store.commit([enqueue(' ', call('c1'))]), InvalidStoreIdError);
        assert.deepEqual(await store.listCalls(), []);
        assert.deepEqual(await store.listAttendants(), []);
      });

      it('given an empty batch, when committed, then nothing happens', async () => {
        await store.commit([]);
        assert.deepEqual(await store.snapshot(), { attendants: [], groups: [], calls: [], queues: {} });
      });
    });

    describe('snapshot', () => {
      it('given attendants, groups, calls and queues, when a snapshot is taken, then it holds all of them with queues in serving order', async () => {
        const calls = [call('c1', { arrivedAt: T0 + 1 }), call('c2', { arrivedAt: T0 + 2, priority: 7 }), call('c3', { arrivedAt: T0 + 3, group: 'sales' })];
        await store.commit([
          put(attendant('att2', { groups: ['sales'] })),
          put(FULL_ATTENDANT),
          { op: 'putGroup', group: group('reception') },
          { op: 'putGroup', group: group('sales', { override: 'night', mode: 'night' }) },
          ...calls.map((c): StoreOp => ({ op: 'putCall', call: c })),
          enqueue('reception', calls[0]!), enqueue('reception', calls[1]!), enqueue('sales', calls[2]!), enqueue('sales', calls[0]!),
          enqueue('night', calls[2]!), { op: 'dequeue', group: 'night', callId: 'c3' },
        ]);
        const snap = await store.snapshot();
        assert.deepEqual(snap.attendants, [FULL_ATTENDANT, attendant('att2', { groups: ['sales'] })]);
        assert.deepEqual(snap.groups, [group('reception'), group('sales', { override: 'night', mode: 'night' })]);
        assert.deepEqual(snap.calls, calls);
        assert.deepEqual(snap.queues, { reception: ['c2', 'c1'], sales: ['c1', 'c3'] });
      });
    });

    describe('guarded commits', () => {
      const counted: StoreOp = { op: 'stats', scope: 'reception', intervalStart: T0, add: { offered: 1 } };
      const offered = async (s: Store) => (await s.stats('reception', T0, T0))[0]?.counters.offered;

      it('given a batch committed by a writer with seq 3, when seq 3 or an older one comes again (a retry after a lost reply), then nothing is applied twice', async () => {
        const peer = await h.peer();
        await store.commit([counted, put(attendant('att1'))], { writer: { id: 'w1', seq: 3 } });
        await peer.commit([counted, put(attendant('att1', { state: 'busy' }))], { writer: { id: 'w1', seq: 3 } });
        await store.commit([counted], { writer: { id: 'w1', seq: 2 } });
        assert.equal(await offered(store), 1);
        assert.equal((await store.getAttendant('att1'))?.state, 'idle');
        await store.commit([counted], { writer: { id: 'w1', seq: 4 } });
        await store.commit([counted], { writer: { id: 'w2', seq: 0 } });
        assert.equal(await offered(store), 3);
      });

      it('given a lease held by another controller, when a batch or a claim guarded by it is written, then StoreFencedError and nothing is applied', async () => {
        const peer = await h.peer();
        assert.equal(await peer.acquireLease('controller', 'node-b', 5000), true);
        const lease = { name: 'controller', holder: 'node-a' };
        await assert.rejects(store.commit([counted], { lease, writer: { id: 'w1', seq: 1 } }), (err: unknown) => err instanceof StoreFencedError && err.code === 'store_fenced');
        await assert.rejects(store.claimCall('c1', 'att1', [counted], { lease }), StoreFencedError);
        assert.equal(await offered(store), undefined);
        assert.equal(await store.claimOwner('c1'), null);
        // the refused seq was not consumed: the same batch goes through once the lease is ours
        await peer.releaseLease('controller', 'node-b');
        assert.equal(await store.acquireLease('controller', 'node-a', 5000), true);
        await store.commit([counted], { lease, writer: { id: 'w1', seq: 1 } });
        assert.equal(await store.claimCall('c1', 'att1', [], { lease }), true);
        assert.equal(await offered(store), 1);
      });

      it('given a lapsed lease (nobody holds it), when a guarded batch is written, then it is applied', async () => {
        await store.commit([counted], { lease: { name: 'controller', holder: 'node-a' } });
        assert.equal(await offered(store), 1);
      });

      it('given a bad writer id or seq, when committing, then the batch is refused', async () => {
        await assert.rejects(store.commit([counted], { writer: { id: 'a:b', seq: 1 } }), InvalidStoreIdError);
        await assert.rejects(store.commit([counted], { writer: { id: 'w1', seq: -1 } }), InvalidStoreOpError);
        assert.equal(await offered(store), undefined);
      });
    });

    describe('leases', () => {
      it('given a free lease, when acquired, then the holder has it and may renew it', async () => {
        assert.equal(await store.leaseHolder('controller'), null);
        assert.equal(await store.acquireLease('controller', 'node-a', 5000), true);
        assert.equal(await store.leaseHolder('controller'), 'node-a');
        assert.equal(await store.acquireLease('controller', 'node-a', 5000), true);
      });

      it('given a lease held by one controller, when another asks for it, then it is refused', async () => {
        const peer = await h.peer();
        assert.equal(await store.acquireLease('controller', 'node-a', 5000), true);
        assert.equal(await peer.acquireLease('controller', 'node-b', 5000), false);
        assert.equal(await peer.leaseHolder('controller'), 'node-a');
      });

      it('given a held lease, when its TTL runs out, then another controller takes it', async () => {
        const peer = await h.peer();
        assert.equal(await store.acquireLease('controller', 'node-a', 150), true);
        await h.letLeaseTimePass(180);
        assert.equal(await peer.leaseHolder('controller'), null);
        assert.equal(await peer.acquireLease('controller', 'node-b', 150), true);
        assert.equal(await store.acquireLease('controller', 'node-a', 150), false);
      });

      it('given a held lease, when the holder renews before expiry, then it outlives the first TTL', async () => {
        assert.equal(await store.acquireLease('controller', 'node-a', 300), true);
        await h.letLeaseTimePass(200);
        assert.equal(await store.acquireLease('controller', 'node-a', 300), true);
        await h.letLeaseTimePass(200);
        assert.equal(await store.leaseHolder('controller'), 'node-a');
      });

      it('given a held lease, when another releases it, then it is kept; when the holder releases it, then it is free', async () => {
        await store.acquireLease('controller', 'node-a', 5000);
        await store.releaseLease('controller', 'node-b');
        assert.equal(await store.leaseHolder('controller'), 'node-a');
        await store.releaseLease('controller', 'node-a');
        assert.equal(await store.leaseHolder('controller'), null);
        assert.equal(await store.acquireLease('controller', 'node-b', 5000), true);
      });

      it('given a non-positive or fractional TTL, when acquiring, then the request is refused', async () => {
        await assert.rejects(store.acquireLease('controller', 'node-a', 0), InvalidStoreOpError);
        await assert.rejects(store.acquireLease('controller', 'node-a', 1.5), InvalidStoreOpError);
      });
    });

    describe('queue_log lines', () => {
      const lines: Array<[number, string]> = [
        [T0, `${T0 / 1000}|c1|operators|NONE|ENTERQUEUE||0611111111|1`],
        [T0 + 1000, `${T0 / 1000 + 1}|c1|operators|att1|CONNECT|1|c1-p1|1`],
        [T0 + 1000, `${T0 / 1000 + 1}|NONE|operators|att2|PAUSE|dnd`],
        [T0 + 5000, `${T0 / 1000 + 5}|c1|operators|att1|COMPLETECALLER|1|4|1`],
      ];
      const ops = (): StoreOp[] => lines.map(([time, line]) => ({ op: 'queueLog', time, line }));

      it('given stored lines, when read without bounds, then all come back in order, the same ms kept apart', async () => {
        await store.commit(ops());
        assert.deepEqual(await store.readQueueLog(-Infinity, Infinity), lines.map(([, l]) => l));
      });

      it('given stored lines, when read by a range or a limit, then bounds are inclusive (rounded inwards) and the oldest come first', async () => {
        await store.commit(ops());
        assert.deepEqual(await store.readQueueLog(T0 + 1000, T0 + 1000), [lines[1]![1], lines[2]![1]]);
        assert.deepEqual(await store.readQueueLog(T0 + 999.5, T0 + 4999.5), [lines[1]![1], lines[2]![1]]);
        assert.deepEqual(await store.readQueueLog(T0, Infinity, 2), [lines[0]![1], lines[1]![1]]);
        assert.deepEqual(await store.readQueueLog(T0 + 2000, T0 + 1000), []);
        assert.deepEqual(await store.readQueueLog(1e30, Infinity), []);
        assert.deepEqual(await store.readQueueLog(-1e30, -1), []);
        await assert.rejects(store.readQueueLog(0, Infinity, -1), InvalidStoreOpError);
      });

      it('given a line with a newline or no text, when committed, then the whole batch is refused', async () => {
        await assert.rejects(store.commit([{ op: 'queueLog', time: T0, line: 'a\nb' }]), InvalidStoreOpError);
        await assert.rejects(store.commit([...ops(), { op: 'queueLog', time: T0, line: '' }]), InvalidStoreOpError);
        await assert.rejects(store.commit([{ op: 'queueLog', time: -1, line: 'x' }]), InvalidStoreOpError);
        assert.deepEqual(await store.readQueueLog(-Infinity, Infinity), []);
      });
    });

    describe('operator log', () => {
      const entries: LogEntryInput[] = [
        logEntry(T0, { operator: 'att1', action: 'answer', numbers: ['0611111111'], callId: 'c1' }),
        logEntry(T0 + 1000, { operator: 'att2', action: 'transfer', numbers: ['0622222222', '201'], detail: { to: '201', kind: 'blind' } }),
        logEntry(T0 + 2000, { operator: 'att1', action: 'hold', numbers: ['0622222222'] }),
        logEntry(T0 + 3000, { operator: 'system', action: 'overflow', numbers: [], result: 'sales' }),
      ];

      it('given logged actions, when queried without bounds, then all come back oldest first with ids and every field', async () => {
        await store.commit(entries.map((entry): StoreOp => ({ op: 'log', entry })));
        const got = await store.queryLog({});
        assert.deepEqual(got.map(({ id: _id, ...rest }) => rest), entries);
        assert.equal(new Set(got.map((e) => e.id)).size, 4);
        assert.ok(got.every((e) => typeof e.id === 'string' && e.id.length > 0), 'got.every((e) => typeof e.id === \'string\' && e.id.length > 0)');
      });

      it('given logged actions, when queried by a time range, then only those in it (bounds included) come back in order', async () => {
        await store.commit(entries.map((entry): StoreOp => ({ op: 'log', entry })));
        const got = await store.queryLog({ from: T0 + 1000, to: T0 + 2000 });
        assert.deepEqual(got.map((e) => e.time), [T0 + 1000, T0 + 2000]);
        assert.deepEqual((await store.queryLog({ from: T0 + 2500 })).map((e) => e.action), ['overflow']);
        assert.deepEqual((await store.queryLog({ to: T0 + 500 })).map((e) => e.action), ['answer']);
      });

      it('given logged actions, when queried with fractional, reversed or out-of-range bounds, then the bounds round inwards and nothing breaks', async () => {
        await store.commit(entries.map((entry): StoreOp => ({ op: 'log', entry })));
        assert.deepEqual((await store.queryLog({ from: T0 + 999.5, to: T0 + 2000.5 })).map((e) => e.time), [T0 + 1000, T0 + 2000]);
        assert.deepEqual(await store.queryLog({ from: T0 + 2000, to: T0 + 1000 }), []);
        assert.deepEqual(await store.queryLog({ to: -1 }), []);
        assert.deepEqual(await store.queryLog({ from: 1e30 }), []);
        assert.equal((await store.queryLog({ from: -1e30, to: 1e30 })).length, 4);
        await assert.rejects(store.queryLog({ limit: -1 }), InvalidStoreOpError);
      });

      it('given logged actions, when queried by operator, then only that operator\'s come back', async () => {
        await store.commit(entries.map((entry): StoreOp => ({ op: 'log', entry })));
        assert.deepEqual((await store.queryLog({ operator: 'att1' })).map((e) => e.action), ['answer', 'hold']);
        assert.deepEqual(await store.queryLog({ operator: 'nobody' }), []);
      });

      it('given logged actions, when queried by number, then the actions involving it come back', async () => {
        await store.commit(entries.map((entry): StoreOp => ({ op: 'log', entry })));
        assert.deepEqual((await store.queryLog({ number: '0622222222' })).map((e) => e.action), ['transfer', 'hold']);
        assert.deepEqual((await store.queryLog({ number: '201', operator: 'att2' })).map((e) => e.action), ['transfer']);
      });

      it('given more matches than the limit, when queried, then the most recent ones come back, oldest first', async () => {
        await store.commit(entries.map((entry): StoreOp => ({ op: 'log', entry })));
        assert.deepEqual((await store.queryLog({ limit: 2 })).map((e) => e.action), ['hold', 'overflow']);
        assert.deepEqual((await store.queryLog({ operator: 'att1', limit: 1 })).map((e) => e.action), ['hold']);
        assert.deepEqual(await store.queryLog({ limit: 0 }), []);
      });

      it('given 150 entries, when queried without a limit, then the default limit of 100 applies', async () => {
        await store.commit(Array.from({ length: 150 }, (_, i): StoreOp => ({ op: 'log', entry: logEntry(T0 + i, { action: `a${i}` }) })));
        const got = await store.queryLog({});
        assert.equal(got.length, 100);
        assert.equal(got[0]?.action, 'a50');
        assert.equal(got[99]?.action, 'a149');
      });

      it('given many entries at the same ms, when queried, then they keep the order they were logged in', async () => {
        await store.commit([1, 2, 3].map((n): StoreOp => ({ op: 'log', entry: logEntry(T0, { action: `a${n}` }) })));
        await store.commit([{ op: 'log', entry: logEntry(T0, { action: 'a4' }) }]);
        assert.deepEqual((await store.queryLog({ from: T0, to: T0 })).map((e) => e.action), ['a1', 'a2', 'a3', 'a4']);
      });

      it('given an entry older than the last one logged, when appended, then it is still stored with its own time', async () => {
        await store.commit([{ op: 'log', entry: logEntry(T0 + 5000, { action: 'late' }) }]);
        await store.commit([{ op: 'log', entry: logEntry(T0, { action: 'early' }) }]);
        const got = await store.queryLog({});
        assert.deepEqual(got.map((e) => [e.action, e.time]), [['late', T0 + 5000], ['early', T0]]);
      });
    });

    describe('statistics', () => {
      it('given increments to one interval, when read, then they accumulate, fractional values included', async () => {
        await store.commit([{ op: 'stats', scope: 'reception', intervalStart: T0, add: { offered: 1, talkSeconds: 1.5 } }]);
        await store.commit([
          { op: 'stats', scope: 'reception', intervalStart: T0, add: { offered: 1, talkSeconds: 2.25, answered: 1 } },
          { op: 'stats', scope: 'reception', intervalStart: T0, add: { erlangs: 0.1 } },
          { op: 'stats', scope: 'reception', intervalStart: T0, add: { erlangs: 0.2, lost: -0 } },
        ]);
        const [only, ...rest] = await store.stats('reception', T0, T0);
        assert.deepEqual(rest, []);
        assert.equal(only?.intervalStart, T0);
        const { erlangs, ...exact } = only?.counters ?? {};
        assert.deepEqual(exact, { offered: 2, talkSeconds: 3.75, answered: 1, lost: 0 });
        assert.ok(Math.abs((erlangs ?? 0) - 0.3) < 1e-12, `erlangs ${erlangs}`);
      });

      it('given several intervals and scopes, when a range is read, then its intervals come back in order, bounds included', async () => {
        const q = 15 * MIN;
        await store.commit([
          { op: 'stats', scope: 'reception', intervalStart: T0 + 2 * q, add: { offered: 3 } },
          { op: 'stats', scope: 'reception', intervalStart: T0, add: { offered: 1 } },
          { op: 'stats', scope: 'reception', intervalStart: T0 + q, add: { offered: 2 } },
          { op: 'stats', scope: 'reception', intervalStart: T0 + 3 * q, add: { offered: 4 } },
          { op: 'stats', scope: 'sales', intervalStart: T0 + q, add: { offered: 9 } },
        ]);
        assert.deepEqual(await store.stats('reception', T0 + q, T0 + 2 * q), [
          { intervalStart: T0 + q, counters: { offered: 2 } },
          { intervalStart: T0 + 2 * q, counters: { offered: 3 } },
        ]);
        assert.deepEqual((await store.stats('reception', 0, Number.POSITIVE_INFINITY)).map((s) => s.counters.offered), [1, 2, 3, 4]);
        assert.deepEqual(await store.stats('sales', T0, T0 + 3 * q), [{ intervalStart: T0 + q, counters: { offered: 9 } }]);
        assert.deepEqual(await store.stats('night', 0, Number.POSITIVE_INFINITY), []);
      });

      it('given maximum counters, when batches raise them, then each keeps its largest value, and a claim applies them too', async () => {
        await store.commit([
          { op: 'stats', scope: 'group:a', intervalStart: T0, add: { offered: 1 }, max: { longestWaitSeconds: 12.5 } },
          { op: 'stats', scope: 'group:a', intervalStart: T0, add: { offered: 1 }, max: { longestWaitSeconds: 40, longestAbandonWaitSeconds: 0 } },
        ]);
        await store.commit([{ op: 'stats', scope: 'group:a', intervalStart: T0, add: {}, max: { longestWaitSeconds: 30 } }]);
        assert.ok(await store.claimCall('c1', 'att1', [{ op: 'stats', scope: 'group:a', intervalStart: T0, add: { answered: 1 }, max: { longestAbandonWaitSeconds: 3 } }]), 'await store.claimCall(\'c1\', \'att1\', [{ op: \'stats\', scope: \'group:a\', intervalStart: T0...');
        assert.deepEqual(await store.stats('group:a', T0, T0), [{ intervalStart: T0, counters: { offered: 2, answered: 1, longestWaitSeconds: 40, longestAbandonWaitSeconds: 3 } }]);
        await assert.rejects(store.commit([{ op: 'stats', scope: 'group:a', intervalStart: T0, add: {}, max: { longestWaitSeconds: Number.NaN } }]));
      });

      it('given kind-qualified scopes, when counted, then group:a, class:a and attendant:a stay apart and a scope with two colons is refused', async () => {
        await store.commit([
          { op: 'stats', scope: 'group:a', intervalStart: T0, add: { offered: 1 } },
          { op: 'stats', scope: 'class:a', intervalStart: T0, add: { offered: 2 } },
          { op: 'stats', scope: 'attendant:a', intervalStart: T0, add: { answered: 3 } },
        ]);
        assert.deepEqual(await store.stats('group:a', T0, T0), [{ intervalStart: T0, counters: { offered: 1 } }]);
        assert.deepEqual(await store.stats('class:a', T0, T0), [{ intervalStart: T0, counters: { offered: 2 } }]);
        assert.deepEqual(await store.stats('attendant:a', T0, T0), [{ intervalStart: T0, counters: { answered: 3 } }]);
        await assert.rejects(store.commit([{ op: 'stats', scope: 'group:a:index', intervalStart: T0, add: { offered: 1 } }]));
      });
    });

    describe('documents', () => {
      it('given documents of a kind, when put, read, listed and deleted, then each step shows the change', async () => {
        const wake = { number: '101', at: '07:30', attempts: 0, nested: { days: ['mon', 'tue'], on: true } };
        await store.commit([
          { op: 'putDoc', kind: 'wakeup', id: 'w2', doc: { number: '102', at: '06:00' } },
          { op: 'putDoc', kind: 'wakeup', id: 'w1', doc: wake },
          { op: 'putDoc', kind: 'dnd', id: 'w1', doc: { on: true } },
        ]);
        assert.deepEqual(await store.getDoc('wakeup', 'w1'), wake);
        assert.deepEqual(await store.listDocs('wakeup'), [{ id: 'w1', doc: wake }, { id: 'w2', doc: { number: '102', at: '06:00' } }]);
        await store.commit([{ op: 'putDoc', kind: 'wakeup', id: 'w1', doc: { number: '101', at: '08:00' } }, { op: 'deleteDoc', kind: 'wakeup', id: 'w2' }]);
        assert.deepEqual(await store.listDocs('wakeup'), [{ id: 'w1', doc: { number: '101', at: '08:00' } }]);
        assert.equal(await store.getDoc('wakeup', 'w2'), null);
        assert.deepEqual(await store.listDocs('dnd'), [{ id: 'w1', doc: { on: true } }]);
        assert.deepEqual(await store.listDocs('park'), []);
      });

      it('given a document read back, when the caller mutates it, then the stored one does not change', async () => {
        await store.commit([{ op: 'putDoc', kind: 'park', id: '701', doc: { call: 'c1', legs: ['a'] } }]);
        const doc = await store.getDoc('park', '701');
        assert.ok(doc, 'doc');
        (doc.legs as string[]).push('b');
        assert.deepEqual(await store.getDoc('park', '701'), { call: 'c1', legs: ['a'] });
      });
    });

    describe('retention (trim)', () => {
      const DAY = 86_400_000;
      const QUARTER = 15 * MIN;

      it('given action-log entries of several days, when trimmed before a time, then the older ones go, the rest stay in order and the count is told', async () => {
        await store.commit([T0 - 2 * DAY, T0 - DAY, T0 - DAY + 1, T0].map((t): StoreOp => ({ op: 'log', entry: logEntry(t) })));
        assert.equal(await store.trim('log', T0 - DAY), 1);
        assert.deepEqual((await store.queryLog({})).map((e) => e.time), [T0 - DAY, T0 - DAY + 1, T0]);
        assert.equal(await store.trim('log', T0 - DAY), 0, 'a second trim finds nothing');
        assert.equal(await store.trim('log', T0 + 1), 3);
        assert.deepEqual(await store.queryLog({}), []);
        await store.commit([{ op: 'log', entry: logEntry(T0 + 2) }]);
        assert.deepEqual((await store.queryLog({})).map((e) => e.time), [T0 + 2], 'the stream takes entries after it was emptied');
      });

      it('given queue_log lines, when trimmed, then only the lines before the cut-off go', async () => {
        await store.commit([[T0 - DAY, 'a'], [T0, 'b'], [T0 + 1000, 'c']].map(([time, line]): StoreOp => ({ op: 'queueLog', time: time as number, line: line as string })));
        assert.equal(await store.trim('queueLog', T0), 1);
        assert.deepEqual(await store.readQueueLog(-Infinity, Infinity), ['b', 'c']);
        assert.equal(await store.trim('log', T0 + 5000), 0, 'the action log is another stream');
        assert.deepEqual(await store.readQueueLog(-Infinity, Infinity), ['b', 'c']);
      });

      it('given statistics of several scopes, when trimmed, then the intervals that start before the cut-off go in every scope and later ones keep their counters', async () => {
        await store.commit([
          { op: 'stats', scope: 'group:reception', intervalStart: T0 - DAY, add: { offered: 1 } },
          { op: 'stats', scope: 'group:reception', intervalStart: T0, add: { offered: 2 } },
          { op: 'stats', scope: 'class:external', intervalStart: T0 - DAY, add: { offered: 3 } },
          { op: 'stats', scope: 'class:external', intervalStart: T0 - QUARTER, add: { offered: 4 } },
          { op: 'stats', scope: 'attendant:att1', intervalStart: T0 + QUARTER, add: { answered: 5 } },
        ]);
        assert.equal(await store.trim('stats', T0 - QUARTER), 2);
        assert.deepEqual(await store.stats('group:reception', 0, Infinity), [{ intervalStart: T0, counters: { offered: 2 } }]);
        assert.deepEqual(await store.stats('class:external', 0, Infinity), [{ intervalStart: T0 - QUARTER, counters: { offered: 4 } }]);
        assert.deepEqual(await store.stats('attendant:att1', 0, Infinity), [{ intervalStart: T0 + QUARTER, counters: { answered: 5 } }]);
        assert.equal(await store.trim('stats', T0 - QUARTER), 0);
        await store.commit([{ op: 'stats', scope: 'group:reception', intervalStart: T0 - DAY, add: { offered: 7 } }]);
        assert.deepEqual((await store.stats('group:reception', 0, Infinity)).map((i) => i.counters.offered), [7, 2], 'a trimmed interval starts again from nothing');
      });

      it('given another prefix on the same backend, when one store trims everything, then the other keeps its log, queue_log and statistics', async () => {
        const other = await h.otherPrefix();
        const ops: StoreOp[] = [
          { op: 'log', entry: logEntry(T0) }, { op: 'queueLog', time: T0, line: 'x' },
          { op: 'stats', scope: 'group:reception', intervalStart: T0, add: { offered: 1 } },
        ];
        await store.commit(ops);
        await other.commit(ops);
        for (const kind of ['log', 'queueLog', 'stats'] as const) assert.equal(await store.trim(kind, T0 + DAY), 1, kind);
        assert.equal((await other.queryLog({})).length, 1);
        assert.deepEqual(await other.readQueueLog(-Infinity, Infinity), ['x']);
        assert.equal((await other.stats('group:reception', 0, Infinity)).length, 1);
      });

      it('given a bad kind or cut-off, when trimming, then the request is refused and nothing goes', async () => {
        await store.commit([{ op: 'log', entry: logEntry(T0) }]);
        await assert.rejects(store.trim('calls' as never, T0 + 1), InvalidStoreOpError);
        for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) await assert.rejects(store.trim('log', bad), InvalidStoreOpError);
        assert.equal((await store.queryLog({})).length, 1);
      });
    });

    describe('attempt counters', () => {
      const limits = { limit: 3, windowMs: 60_000 };

      it('given ten attempts at once on one key from two controllers, when taken, then each gets its own count and exactly the limit are allowed', async () => {
        const peer = await h.peer();
        const counters = [store.attemptCounter('login', limits), peer.attemptCounter('login', limits)];
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => counters[i % 2]!.take('alice')));
        assert.deepEqual(results.map((r) => r.count).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert.equal(results.filter((r) => r.allowed).length, 3);
        for (const r of results) assert.ok(r.resetMs > 0 && r.resetMs <= 60_000, `resetMs ${r.resetMs}`);
        assert.equal((await counters[1]!.peek('alice')).count, 10);
        assert.deepEqual(await counters[0]!.peek('bob'), { count: 0, allowed: true, resetMs: 0 });
      });

      it('given attempts taken, when one is given back, then the count is one less; peek takes nothing', async () => {
        const c = store.attemptCounter('login', limits);
        await c.take('127.0.0.1');
        await c.take('127.0.0.1');
        await c.giveBack('127.0.0.1');
        assert.equal((await c.peek('127.0.0.1')).count, 1);
        assert.equal((await c.peek('127.0.0.1')).count, 1);
        assert.equal((await c.take('127.0.0.1')).count, 2);
      });

      it('given a window of one second, when it has passed, then the key starts from zero; a take may open a window of its own length', async () => {
        const c = store.attemptCounter('gate', { limit: 1, windowMs: 1000 });
        assert.deepEqual([(await c.take('k')).allowed, (await c.take('k')).allowed], [true, false]);
        const long = await c.take('other', 5000);
        assert.ok(long.resetMs > 1000, `a window of its own: ${long.resetMs}`);
        // the windows are the backend's own TTLs (Redis expiry, or the library's timers in memory): real time
        await new Promise((r) => setTimeout(r, 1100));
        assert.equal((await c.peek('k')).count, 0);
        assert.deepEqual([(await c.take('k')).count, (await c.peek('other')).count], [1, 1]);
      });

      it('given counters of two names or two prefixes, when the same key is taken, then they count apart', async () => {
        const other = await h.otherPrefix();
        await store.attemptCounter('login', limits).take('alice');
        assert.equal((await store.attemptCounter('gate', limits).peek('alice')).count, 0);
        assert.equal((await other.attemptCounter('login', limits).peek('alice')).count, 0);
      });

      it('given a name with a colon or a window that is not 1 s to 24 days, when a counter is asked for, then it is refused', () => {
        assert.throws(() => store.attemptCounter('a:b', limits), InvalidStoreIdError);
        assert.throws(() => store.attemptCounter('fast', { limit: 1, windowMs: 10 }), InvalidStoreOpError);
        assert.throws(() => store.attemptCounter('long', { limit: 1, windowMs: 25 * 24 * 3600_000 }), InvalidStoreOpError);
      });
    });

    describe('service', () => {
      it('given a working store, when pinged, then true', async () => {
        assert.equal(await store.ping(), true);
      });

      it('given two stores with different prefixes on the same backend, when both write the same ids, then neither sees the other', async () => {
        const other = await h.otherPrefix();
        await store.commit([put(attendant('att1')), { op: 'putCall', call: call('c1') }, enqueue('reception', call('c1')), { op: 'log', entry: logEntry(T0) }]);
        assert.deepEqual(await other.snapshot(), { attendants: [], groups: [], calls: [], queues: {} });
        assert.deepEqual(await other.idleAttendants('reception'), []);
        assert.deepEqual(await other.queryLog({}), []);
        assert.equal(await other.claimCall('c1', 'att9'), true);
        assert.equal(await store.claimOwner('c1'), null);
        await other.commit([put(attendant('att1', { state: 'busy', idleSince: 0 }))]);
        assert.deepEqual(await store.idleAttendants('reception'), ['att1']);
        assert.equal((await store.getAttendant('att1'))?.state, 'idle');
      });
    });
  });
}
