// The key schema: every key under the prefix, and no id able to reach another key space.
import assert from 'node:assert/strict';
import { InvalidStoreIdError, storeKeys } from '../../lib/store/keys.ts';

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
});
