// `attendant` as an admin types it: commands, help and exit codes come from commander; a mistyped
// command is "unknown command" with exit 2 (never a started controller); commands that read the store
// fail with a non-zero exit when they cannot; `| head` ends the output quietly.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = 'config/example.yaml';

function attendant(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'lib/main.ts', ...args], {
    cwd: ROOT, env: { ...process.env, ATTENDANT_REDIS_URL: '', REDIS_URL: '', ...env }, encoding: 'utf8', timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('attendant CLI', function () {
  this.timeout(60_000);

  it('given a mistyped or unknown command, then it says "unknown command", suggests the right one and exits 2 without starting anything', () => {
    const typo = attendant(['chek-config', '--config', EXAMPLE]);
    assert.equal(typo.status, 2);
    assert.match(typo.stderr, /unknown command 'chek-config'/);
    assert.match(typo.stderr, /Did you mean check-config\?/);
    assert.equal(typo.stdout, '', 'no controller log line: nothing started');
    const bogus = attendant(['bogus']);
    assert.equal(bogus.status, 2);
    assert.match(bogus.stderr, /unknown command 'bogus'/);
  });

  it('given help, a valid configuration or a bad flag, then the exit codes are 0, 0 and 2', () => {
    const help = attendant(['--help']);
    assert.equal(help.status, 0);
    for (const cmd of ['run', 'check-config', 'erlang', 'stats', 'queue-log', 'hash-password', 'feature-codes']) assert.match(help.stdout, new RegExp(`\\n  ${cmd} `), cmd);
    assert.deepEqual([attendant(['check-config', '--config', EXAMPLE]).status, attendant(['check-config', '--config', EXAMPLE, '--bogus']).status], [0, 2]);
    const negative = attendant(['erlang', 'b', '--traffic', '-3', '--lines', '3']);
    assert.equal(negative.status, 2);
    assert.match(negative.stdout, /--traffic must be a number >= 0/);
  });

  it('given stats or queue-log without redis.url, or with Redis unreachable, then it says why and exits non-zero', () => {
    const noRedis = attendant(['stats', '--config', EXAMPLE, '--group', 'operators']);
    assert.equal(noRedis.status, 2);
    assert.match(noRedis.stderr, /no redis\.url/);
    assert.equal(noRedis.stdout, '', 'no rows of zeros');
    const down = attendant(['queue-log', '--config', EXAMPLE], { ATTENDANT_REDIS_URL: 'redis://127.0.0.1:1' });
    assert.equal(down.status, 1);
    assert.match(down.stderr, /cannot read the store/);
  });

  it('given stats piped into a reader that stops early (| head), then it ends quietly', async function () {
    if (!process.env.REDIS_URL) this.skip();
    const proc = spawn(process.execPath, ['--import', 'tsx', 'lib/main.ts', 'stats', '--config', EXAMPLE, '--group', 'operators', '--format', 'csv', '--from', '2026-01-01T00:00Z', '--to', '2026-12-31T00:00Z'], {
      cwd: ROOT, env: { ...process.env, ATTENDANT_REDIS_URL: process.env.REDIS_URL }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    await new Promise<void>((resolve) => proc.stdout.once('data', () => { proc.stdout.destroy(); resolve(); }));
    const code = await new Promise<number | null>((resolve) => proc.once('exit', (c) => resolve(c)));
    assert.equal(code, 0);
    assert.equal(stderr, '', 'no EPIPE stack trace');
  });
});
