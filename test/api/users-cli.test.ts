// `attendant hash-password`: hashes the configuration accepts and the login verifies.
import assert from 'node:assert/strict';
import { parseConfig } from '../../lib/config.ts';
import { verifyPassword } from '../../lib/api/auth/passwords.ts';
import { runHashPassword } from '../../lib/cli/users.ts';

describe('attendant hash-password', () => {
  it('given a password on stdin, when hashed, then the output is a scrypt hash the configuration accepts and that verifies only that password', async () => {
    const r = runHashPassword(['--stdin'], () => 'correct horse battery\n');
    assert.equal(r.exitCode, 0);
    const hash = r.stdout.trim();
    assert.match(hash, /^scrypt\$[0-9a-f]{32}\$[0-9a-f]{128}$/);
    const cfg = parseConfig({
      asterisk: { ari: { url: 'http://127.0.0.1:8088', user: 'u', password: 'p' } },
      attendants: [{ id: 'att1', name: 'A', device: 'PJSIP/att1' }],
      groups: [{ id: 'g', name: 'G', members: ['att1'] }],
      users: [{ name: 'alice', role: 'operator', passwordHash: hash, attendant: 'att1' }],
    });
    assert.equal(cfg.users[0]!.passwordHash, hash);
    assert.equal(await verifyPassword('correct horse battery', hash), true);
    assert.equal(await verifyPassword('correct horse battery\n', hash), false);
    assert.equal(await verifyPassword('wrong', hash), false);
  });

  it('given the same password twice, when hashed, then the salts differ', () => {
    const a = runHashPassword(['same-password']).stdout;
    const b = runHashPassword(['same-password']).stdout;
    assert.notEqual(a, b);
  });

  it('given no password, a short one, both forms or an unknown flag, when run, then exit code 2 with the usage', () => {
    assert.equal(runHashPassword([]).exitCode, 2);
    assert.match(runHashPassword([]).stdout, /usage:/);
    assert.deepEqual([runHashPassword(['short']).exitCode, runHashPassword(['short']).stdout], [2, 'hash-password: the password must have at least 8 characters\n']);
    assert.equal(runHashPassword(['--stdin', 'also-positional'], () => 'x').exitCode, 2);
    assert.equal(runHashPassword(['--rounds=3', 'long-enough']).exitCode, 2);
    assert.equal(runHashPassword(['--stdin'], () => { throw new Error('closed'); }).exitCode, 2);
    assert.deepEqual([runHashPassword(['--help']).exitCode, runHashPassword(['--help']).stdout.startsWith('Usage: hash-password')], [0, true]);
  });

  it('given a malformed stored hash, when a password is checked against it, then it never matches', async () => {
    assert.equal(await verifyPassword('anything', 'scrypt$zz$00'), false);
    assert.equal(await verifyPassword('anything', undefined), false);
    assert.equal(await verifyPassword('', `scrypt$${'00'.repeat(16)}$${'00'.repeat(64)}`), false);
  });
});
