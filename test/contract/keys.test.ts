// The key schema: every key under the prefix, and no id able to reach another key space.
import assert from 'node:assert/strict';
import type { CallRecord } from '../../lib/domain/model.ts';
import { InvalidStoreIdError, InvalidStoreOpError, decodeCall, decodeLogEntry, encodeCall, encodeLogEntry, storeKeys } from '../../lib/store/keys.ts';
import type { LogEntryInput } from '../../lib/domain/model.ts';

describe('store key schema', () => {
  it('given the default prefix, when keys are built, then they follow the documented schema', () => {
    const k = storeKeys();
    assert.deepEqual(
      [k.attendant('att1'), k.attendants, k.group('reception'), k.groups, k.idle('reception'), k.call('1712.5'), k.calls,
        k.queue('reception'), k.claim('1712.5'), k.log, k.stats('reception', 900_000), k.statsIndex('reception'),
        k.doc('wakeup', 'w1'), k.docs('wakeup'), k.lease('controller'), k.writer('w1')],
      ['att:attendant:att1', 'att:attendants', 'att:group:reception', 'att:groups', 'att:group:reception:idle', 'att:call:1712.5', 'att:calls',
        'att:queue:reception', 'att:claim:1712.5', 'att:log', 'att:stats:reception:900000', 'att:stats:reception:index',
        'att:doc:wakeup:w1', 'att:docs:wakeup', 'att:lease:controller', 'att:writer:w1'],
    );
  });

  it('given another prefix, when keys are built, then every key starts with it', () => {
    const k = storeKeys('site2:');
    assert.equal(k.attendant('att1'), 'site2:attendant:att1');
    assert.equal(k.idle('g'), `${k.idlePrefix}g${k.idleSuffix}`);
  });

  it('given an id that is empty, holds whitespace, a colon or a control character, when a key is built, then InvalidStoreIdError', () => {
    const k = storeKeys();
    for (const bad of ['', ' ', 'a b', 'a\tb', 'a\nb', 'g:idle', 'a\u0000b', 'x'.repeat(201)]) {
      assert.throws(() => k.call(bad), (err: unknown) => err instanceof InvalidStoreIdError && err.code === 'store_invalid_id', JSON.stringify(bad));
    }
  });

  it('given a prefix with whitespace or glob characters, when the schema is made, then it is refused', () => {
    for (const bad of ['', 'a b:', 'att*:', 'a?:']) assert.throws(() => storeKeys(bad), InvalidStoreIdError, bad);
  });

  it('given call records, when encoded, then what is stored reads back as the record (the fast check agrees with decoding every field)', () => {
    // valid records of their state: what is read back is made into the state's variant (lib/domain/call.ts)
    const base: CallRecord = {
      id: '1712.5', callClass: 'external', priority: 5, group: 'operators', alsoGroups: ['backup'], state: 'waiting', callerNumber: '0155501234',
      callerName: 'Caller "Q"', target: 'operators', arrivedAt: 1_700_000_000_123, ringingLegs: [], refusedBy: ['att2'],
    };
    const answered = { attendant: 'att1', leg: '1712.5-p9', answeredAt: 1_700_000_001_000, firstAnsweredAt: 1_700_000_001_000, talkBridge: 'call-1712.5-b1' };
    const records: CallRecord[] = [
      base,
      { ...base, ...answered, state: 'consulting', consultTarget: '201', consultLeg: '1712.5-c1', consultAnswered: false, callerGone: true, talkingTo: 'target' },
      { ...base, state: 'held', attendant: 'att1', slot: 0, heldAt: 1_700_000_002_000, holdBridge: 'hold-1' },
      { ...base, stays: [{ kind: 'talk', bridge: 'call-1712.5-b1', start: 1, end: 2, attendant: 'att1' }, { kind: 'held', bridge: 'hold-1', start: 3 }] },
      { ...base, priority: -0, callerName: '' },
    ];
    for (const c of records) {
      const { hash, stored } = encodeCall(c);
      const fields: Record<string, string> = {};
      for (let i = 0; i < hash.set.length; i += 2) fields[hash.set[i]!] = hash.set[i + 1]!;
      assert.deepEqual(stored, decodeCall('k', fields));
      assert.deepEqual(decodeCall('k', fields), JSON.parse(JSON.stringify({ ...c, priority: c.priority === 0 ? 0 : c.priority })));
    }
  });

  it('given log entries with and without detail, when encoded, then what is stored reads back as the entry; a detail that is not a map of strings is refused naming it', () => {
    const base: LogEntryInput = { time: 1_700_000_000_123, operator: 'system', action: 'present', callId: '1712.5', numbers: ['0155501234'], result: 'att1' };
    for (const e of [base, { ...base, detail: {} }, { ...base, detail: { group: 'operators', waitedMs: '12', 'odd "key"': 'a\nb' } }]) {
      const { hash, stored } = encodeLogEntry(e);
      const fields: Record<string, string> = {};
      for (let i = 0; i < hash.set.length; i += 2) fields[hash.set[i]!] = hash.set[i + 1]!;
      const { id, ...read } = decodeLogEntry('k', 'l1', fields);
      assert.equal(id, 'l1');
      assert.deepEqual(stored, read);
      assert.deepEqual(read, e);
    }
    for (const detail of [{ n: 5 }, ['a'], { __proto__: null, a: 'b' }]) {
      const e = { ...base, detail } as unknown as LogEntryInput;
      const out = (() => { try { return encodeLogEntry(e).stored.detail; } catch (err) { return err; } })();
      // a null-prototype map of strings is still a map of strings (the full check takes it); the others are refused
      if (out instanceof Error) assert.ok(out instanceof InvalidStoreOpError && /detail/.test(out.message), out.message);
      else assert.deepEqual(out, { a: 'b' });
    }
  });

  it('given a call record that is not what its type says, when encoded, then it is refused naming the field', () => {
    const bad = { id: '1712.5', callClass: 'external', priority: '5x', group: 'g', alsoGroups: [], state: 'waiting', callerNumber: '1', callerName: '', target: 'g', arrivedAt: 1, ringingLegs: [], refusedBy: [] };
    assert.throws(() => encodeCall(bad as unknown as CallRecord), (e: unknown) => e instanceof InvalidStoreOpError && /priority/.test(e.message));
    assert.throws(() => encodeCall({ ...bad, priority: 5, state: 'dancing' } as unknown as CallRecord), (e: unknown) => e instanceof InvalidStoreOpError && /state/.test(e.message));
    assert.throws(() => encodeCall({ ...bad, priority: 5, stays: [{ kind: 'talk' }] } as unknown as CallRecord), (e: unknown) => e instanceof InvalidStoreOpError && /stays/.test(e.message));
  });
});
