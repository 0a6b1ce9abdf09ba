// A controller is not served beyond this machine with the shipped demo passwords, nor without any
// user: `attendant` refuses to start (exit 2, the field named), `check-config` says the same, and a
// controller started from code refuses before it listens. Loopback (the demo, the tests) is fine.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify } from 'yaml';
import { verifyPassword } from '../../lib/api/auth/passwords.ts';
import { ConfigError, SHIPPED_PASSWORD_HASHES, applyEnv, exposureProblems, isLoopbackHost, parseConfig, type ConfigInput } from '../../lib/config.ts';
import { startController } from '../../lib/controller.ts';
import { runNode } from '../../lib/ha/node.ts';
import { createLogger } from '../../lib/log.ts';
import { MemoryStore } from '../../lib/store/memory.ts';
import { ManualTime } from '../../lib/clock.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const example = parseYaml(readFileSync(join(root, 'config/example.yaml'), 'utf8')) as ConfigInput;
const docker = parseYaml(readFileSync(join(root, 'docker/attendant.yaml'), 'utf8')) as ConfigInput;
const withHost = (raw: ConfigInput, host: string, over: Partial<ConfigInput> = {}) => parseConfig({ ...raw, http: { ...raw.http, host }, ...over }, { baseDir: join(root, 'config') });
const OWN_HASH = `scrypt$${'ab'.repeat(16)}$${'cd'.repeat(64)}`;

/** `attendant <args>` as the package runs it (tsx on the sources), with a deadline */
function attendant(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'lib/main.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 30_000, env: { ...process.env, ATTENDANT_CONFIG: '' } });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

describe('start refused on a public address with demo passwords or no user', function () {
  this.timeout(60_000);

  it('given listener addresses, when checked, then 127.0.0.0/8, ::1 and localhost are loopback and every other one is not', () => {
    for (const h of ['127.0.0.1', '127.3.2.1', '::1', '[::1]', 'localhost', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(h), true, h);
    for (const h of ['0.0.0.0', '::', '', '192.168.1.10', '10.0.0.5', 'attendant.example', '128.0.0.1', '::2']) assert.equal(isLoopbackHost(h), false, h);
  });

  it('given the example configuration on 0.0.0.0, when checked, then each demo user is named by its passwordHash field; on loopback nothing is', () => {
    const problems = exposureProblems(withHost(example, '0.0.0.0'));
    assert.equal(problems.length, 2);
    assert.match(problems[0]!, /^users\[0\]\.passwordHash: "alice" still has the demo password .*http\.host \("0\.0\.0\.0"\) is not loopback/);
    assert.match(problems[1]!, /^users\[1\]\.passwordHash: "sam"/);
    assert.deepEqual(exposureProblems(withHost(example, '127.0.0.1')), []);
  });

  it('given no user at all on a public address, then users is named; with users of the site\'s own, nothing is', () => {
    assert.match(exposureProblems(withHost(example, '192.168.1.10', { users: [] })).join('\n'), /^users: no user is configured while http\.host \("192\.168\.1\.10"\)/);
    assert.deepEqual(exposureProblems(withHost(example, '0.0.0.0', { users: [{ name: 'alice', role: 'operator', passwordHash: OWN_HASH }] })), []);
    assert.deepEqual(exposureProblems(withHost(example, '127.0.0.1', { users: [] })), [], 'loopback without users: the tests and the demo');
  });

  it('given the shipped configurations, then every password hash they hold is listed as shipped, and the listed ones are the README\'s demo passwords', async () => {
    const hashes = [...readFileSync(join(root, 'config/example.yaml'), 'utf8').matchAll(/scrypt\$[0-9a-f]+\$[0-9a-f]+/g), ...readFileSync(join(root, 'docker/attendant.yaml'), 'utf8').matchAll(/scrypt\$[0-9a-f]+\$[0-9a-f]+/g)].map((m) => m[0]);
    assert.ok(hashes.length >= 2, 'the example has its demo users');
    for (const h of hashes) assert.ok(SHIPPED_PASSWORD_HASHES.has(h), `${h.slice(0, 20)}... is listed`);
    const [alice, sam] = [...SHIPPED_PASSWORD_HASHES.keys()];
    assert.equal(await verifyPassword('operator-demo', alice), true);
    assert.equal(await verifyPassword('supervisor-demo', sam), true);
  });

  it('given docker/attendant.yaml as shipped (0.0.0.0 inside the container, no users), then it is refused until the site adds its users', () => {
    const cfg = parseConfig(applyEnv(docker, { ATTENDANT_ARI_PASSWORD: 'x' }));
    assert.equal(cfg.http.host, '0.0.0.0');
    assert.match(exposureProblems(cfg).join('\n'), /^users: no user is configured/);
  });

  describe('the command line', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'attendant-exposed-'));
      copyFileSync(join(root, 'config/directory.csv'), join(dir, 'directory.csv'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));
    const write = (name: string, raw: ConfigInput) => { const f = join(dir, name); writeFileSync(f, stringify(raw)); return f; };

    it('given config/example.yaml with http.host 0.0.0.0, when the controller is started or the file checked, then exit 2 naming each demo user\'s passwordHash and nothing listens', () => {
      const file = write('exposed.yaml', { ...example, http: { ...example.http, host: '0.0.0.0', port: 0 } });
      for (const args of [['run', '--config', file], ['check-config', '--config', file]]) {
        const r = attendant(args);
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /users\[0\]\.passwordHash: "alice" still has the demo password/);
        assert.match(r.stderr, /users\[1\]\.passwordHash: "sam"/);
        assert.doesNotMatch(r.stderr, /at [A-Za-z]+ \(|\.ts:\d+/, 'no stack trace');
      }
    });

    it('given the same file on 127.0.0.1, when checked, then it passes', () => {
      const r = attendant(['check-config', '--config', write('loopback.yaml', example)]);
      assert.equal(r.status, 0, r.stderr);
    });
  });

  it('given a controller started from code on 0.0.0.0 with the demo users, then it refuses before it listens or connects', async () => {
    const cfg = withHost(example, '0.0.0.0');
    const time = new ManualTime();
    const opts = { log: createLogger('silent'), store: new MemoryStore(time), time };
    await assert.rejects(startController(cfg, opts), (err: unknown) => err instanceof ConfigError && /users\[0\]\.passwordHash/.test(err.message));
    await assert.rejects(runNode(cfg, opts), ConfigError);
  });
});
