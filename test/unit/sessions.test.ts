// Sessions written through to the store and taken back at start, on the real memory store: what a
// new process accepts when the configuration changed between the two.
import assert from 'node:assert/strict';
import { hashPassword } from '../../lib/api/auth/passwords.ts';
import { SESSION_DOC_KIND, Sessions } from '../../lib/api/auth/sessions.ts';
import { ManualTime } from '../../lib/clock.ts';
import { parseConfig, type Config } from '../../lib/config.ts';
import { silentLogger } from '../../lib/log.ts';
import { MemoryStore } from '../../lib/store/memory.ts';

const HASH = hashPassword('unit-test-password');

function config(users: Array<{ name: string; role: string; attendant?: string }>): Config {
  return parseConfig({
    asterisk: { ari: { url: 'http://127.0.0.1:8088', user: 'attendant', password: 'pw' } },
    attendants: [{ id: 'att1', name: 'Alice', device: 'PJSIP/att1' }, { id: 'att2', name: 'Bob', device: 'PJSIP/att2' }],
    groups: [{ id: 'operators', name: 'Operators', members: ['att1', 'att2'] }],
    users: users.map((u) => ({ ...u, passwordHash: HASH })),
  });
}

const flush = () => new Promise((r) => setImmediate(r));

describe('sessions in the store', () => {
  let time: ManualTime;
  let store: MemoryStore;
  const sessions = (cfg: Config) => new Sessions(cfg, time, 3_600_000, { store, log: silentLogger() });

  beforeEach(() => {
    time = new ManualTime();
    store = new MemoryStore(time);
  });

  it('given sessions opened in one process, when another loads them, then the same tokens resolve to the same principals', async () => {
    const cfg = config([{ name: 'alice', role: 'operator', attendant: 'att1' }, { name: 'root', role: 'admin' }]);
    const first = sessions(cfg);
    const a = first.open({ name: 'alice', role: 'operator', attendant: 'att2' });
    const r = first.open({ name: 'root', role: 'admin' });
    await flush();
    const second = sessions(cfg);
    assert.equal(await second.load(), 2);
    assert.deepEqual(second.fromToken(a.token), a.principal);
    assert.deepEqual(second.fromToken(r.token), r.principal);
  });

  it('given a user removed, a role changed or a position no longer configured, when loading, then those sessions are dropped from memory and the store', async () => {
    const before = config([{ name: 'alice', role: 'operator' }, { name: 'bob', role: 'operator' }, { name: 'sam', role: 'operator' }, { name: 'eve', role: 'operator' }]);
    const first = sessions(before);
    const alice = first.open({ name: 'alice', role: 'operator', attendant: 'att1' });
    const bob = first.open({ name: 'bob', role: 'operator' });
    const sam = first.open({ name: 'sam', role: 'operator' });
    const eve = first.open({ name: 'eve', role: 'operator', attendant: 'att1' });
    await flush();
    // bob left, sam became a supervisor, eve's stored position is one this site no longer has
    await store.commit([{ op: 'putDoc', kind: SESSION_DOC_KIND, id: eve.principal.sessionId!, doc: { name: 'eve', role: 'operator', attendant: 'att9', expiresAt: eve.principal.expiresAt! } }]);
    const after = config([{ name: 'alice', role: 'operator' }, { name: 'sam', role: 'supervisor' }, { name: 'eve', role: 'operator' }]);
    const second = sessions(after);
    assert.equal(await second.load(), 1);
    assert.ok(second.fromToken(alice.token), 'alice is still configured as an operator');
    for (const t of [bob.token, sam.token, eve.token]) assert.equal(second.fromToken(t), undefined);
    await flush();
    assert.deepEqual((await store.listDocs(SESSION_DOC_KIND)).map((d) => d.id), [alice.principal.sessionId]);
  });

  it('given an expired session and documents that are not sessions, when loading, then none is taken back and they are deleted', async () => {
    const cfg = config([{ name: 'alice', role: 'operator' }]);
    const first = sessions(cfg);
    const old = first.open({ name: 'alice', role: 'operator' });
    await store.commit([
      { op: 'putDoc', kind: SESSION_DOC_KIND, id: 'not-a-digest', doc: { name: 'alice', role: 'operator', expiresAt: time.now() + 1000 } },
      { op: 'putDoc', kind: SESSION_DOC_KIND, id: 'a'.repeat(64), doc: { name: 'alice', role: 'operator', expiresAt: 'tomorrow' } },
    ]);
    time.advance(3_600_000);
    const second = sessions(cfg);
    assert.equal(await second.load(), 0);
    assert.equal(second.fromToken(old.token), undefined);
    await flush();
    assert.deepEqual(await store.listDocs(SESSION_DOC_KIND), []);
  });

  it('given a store that refuses writes, when a session is opened and ended, then it works in this process all the same', async () => {
    const cfg = config([{ name: 'alice', role: 'operator' }]);
    const refusing = { commit: () => Promise.reject(new Error('redis down')), listDocs: () => Promise.resolve([]) };
    const s = new Sessions(cfg, time, 3_600_000, { store: refusing, log: silentLogger() });
    const a = s.open({ name: 'alice', role: 'operator' });
    assert.ok(s.fromToken(a.token), 'the session works without the store');
    s.end(a.principal.sessionId!);
    assert.equal(s.fromToken(a.token), undefined);
    await flush();
  });
});
