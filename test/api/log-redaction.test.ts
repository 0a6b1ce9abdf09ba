// Secrets never reach the logs: the controller's trace-level log of a session that logs in with a
// wrong and a right password, sends malformed bodies holding a password, and uses API keys, is
// checked line by line (test/support/log-audit.ts audits every other test's logs the same way).
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../lib/log.ts';
import type { Harness } from '../support/harness.ts';
import { ARI_PASSWORD } from '../support/harness.ts';
import { logAudit } from '../support/log-audit.ts';
import { KEYS, PASSWORDS, startApiHarness, type Api } from './support.ts';

describe('log redaction', function () {
  this.timeout(30_000);
  let h: Harness;
  let api: Api;
  before(async () => { ({ h, api } = await startApiHarness()); });
  after(async () => { await h.stop(); });

  it('given a session with wrong and right passwords, malformed bodies and API keys, when the trace-level log is read, then no configured secret is in it', async () => {
    const before = logAudit();
    assert.ok(before.secrets >= 4, 'the ARI password, user passwords and API keys are registered');
    assert.equal((await api.request('POST', '/api/session/login', { body: { name: 'alice', password: `${PASSWORDS.alice}-wrong` } })).status, 401);
    assert.equal((await api.request('POST', '/api/session/login', { body: { name: 'alice', password: PASSWORDS.alice } })).status, 200);
    assert.equal((await api.request('POST', '/api/session/login', { raw: `{"name":"sam","password":"${PASSWORDS.sam}"`, headers: { 'content-type': 'application/json' } })).status, 400);
    assert.equal((await api.request('POST', '/api/session/login', { body: { name: 'sam', password: PASSWORDS.sam, extra: PASSWORDS.root } })).status, 400);
    assert.equal((await api.request('GET', '/api/state', { apiKey: KEYS.integration })).status, 200);
    assert.equal((await api.request('GET', '/api/state', { apiKey: `${KEYS.integration}x` })).status, 401);
    assert.equal((await api.request('GET', '/api/state', { token: PASSWORDS.bob })).status, 401);
    const caller = h.call();
    await h.until('presented', () => h.callRecord(caller)?.state === 'ringing');
    h.sim.hangupCaller(caller);
    await h.until('gone', () => !h.callRecord(caller));
    const after = logAudit();
    assert.ok(after.linesSeen > before.linesSeen + 4, `the controller logged at trace level (${after.linesSeen - before.linesSeen} lines)`);
    assert.deepEqual(after.findings, [], 'no log line holds a secret');
  });

  it('given objects holding passwords, tokens and authorization headers, when logged, then pino writes [redacted] in their place', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _e, done) { lines.push(chunk.toString()); done(); } });
    const log = createLogger('info', sink);
    log.info({ password: ARI_PASSWORD, user: { token: 'tok-123456', apiKey: KEYS.reader }, req: { headers: { authorization: `Bearer ${KEYS.integration}`, cookie: 'sid=abcdef' } } }, 'x');
    const text = lines.join('');
    for (const secret of [ARI_PASSWORD, 'tok-123456', KEYS.reader, KEYS.integration, 'sid=abcdef']) assert.ok(!text.includes(secret), `${secret} is not written`);
    assert.equal(text.split('[redacted]').length - 1, 5, text);
  });
});
