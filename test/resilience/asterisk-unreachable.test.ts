// The controller as `attendant run` starts it, with Asterisk stopped or refusing its password: the
// HTTP port (console, API, /healthz) answers from the start and says which link is missing; a 401
// is an outage like any other (one clear line per try, never an uncaught exception), and the
// controller connects once the password agrees; stdout carries nothing but JSON lines.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { hashPassword } from '../../lib/api/auth/passwords.ts';
import { freePort } from '../support/redis-server.ts';
import { until } from '../support/child-controller.ts';
import { auditText, registerSecret } from '../support/log-audit.ts';
import { siteConfig } from './support.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OPERATOR = { name: 'olga', password: 'olga-at-the-desk' };
registerSecret('the password of olga', OPERATOR.password);

interface Health { status: string; role: string; ari: boolean; links: { ari: string; store: string } }

class Run {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly startedAt = Date.now();
  firstAnswerMs: number | undefined;
  constructor(readonly proc: ChildProcess, readonly port: number, private readonly dir: string) {
    proc.stdout?.on('data', (d: Buffer) => this.stdout.push(d.toString()));
    proc.stderr?.on('data', (d: Buffer) => this.stderr.push(d.toString()));
  }

  static start(config: Record<string, unknown>, port: number): Run {
    const dir = mkdtempSync(join(tmpdir(), 'attendant-unreachable-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, stringify({ ...config, http: { host: '127.0.0.1', port }, log: { level: 'info' } }));
    const proc = spawn(process.execPath, ['--import', 'tsx', 'lib/main.ts', 'run', '--config', file], {
      cwd: ROOT, env: { ...process.env, ATTENDANT_REDIS_URL: '', REDIS_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Run(proc, port, dir);
  }

  /** stdout split into lines, each parsed as JSON (a line that is not JSON fails the test) */
  lines(): Array<Record<string, unknown>> {
    return this.stdout.join('').split('\n').filter(Boolean).map((l) => {
      try { return JSON.parse(l) as Record<string, unknown>; } catch { assert.fail(`a stdout line that is not JSON: ${l}`); }
    });
  }

  async health(): Promise<{ status: number; body: Health } | undefined> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/healthz`, { signal: AbortSignal.timeout(1000) });
      const body = (await res.json()) as Health;
      this.firstAnswerMs ??= Date.now() - this.startedAt;
      return { status: res.status, body };
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    await new Promise((r) => { if (this.proc.exitCode !== null) r(undefined); else this.proc.once('exit', r); });
    auditText(this.stdout.join('') + this.stderr.join(''), 'controller with Asterisk unreachable');
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function withOperator(config: Record<string, unknown>): Record<string, unknown> {
  return { ...config, users: [{ name: OPERATOR.name, role: 'operator', attendant: 'att1', passwordHash: hashPassword(OPERATOR.password) }] };
}

describe('resilience: Asterisk stopped or refusing the password at start', function () {
  this.timeout(60_000);
  let run: Run | undefined;
  let sim: Simulator | undefined;
  const measured: Record<string, number | undefined> = {};

  afterEach(async () => {
    await run?.stop();
    run = undefined;
    await sim?.stop();
    sim = undefined;
  });
  after(() => console.log(`      measured: ${JSON.stringify(measured)}`));

  it('given Asterisk stopped, when the controller starts, then /healthz, the console and the API answer at once and say ARI is down', async () => {
    const ariPort = await freePort();
    run = Run.start(withOperator(siteConfig({ ariUrl: `http://127.0.0.1:${ariPort}` })), await freePort());
    await until('/healthz answers', async () => (await run!.health()) !== undefined, 20_000);
    measured.firstHealthzAfterSpawnMs = run.firstAnswerMs;
    const listening = run.lines().find((l) => l.msg === 'HTTP listening');
    assert.ok(listening, 'the HTTP listening line');
    // the process start includes loading TypeScript through tsx; the port listens before anything waits on Asterisk
    measured.listeningAfterSpawnMs = Number(listening.time) - run.startedAt;
    await until('the controller serves its API', async () => (await run!.health())?.body.role === 'active', 10_000);
    measured.activeAfterSpawnMs = Date.now() - run.startedAt;

    const h = (await run.health())!;
    assert.equal(h.status, 503);
    assert.equal(h.body.status, 'down');
    assert.equal(h.body.links.ari, 'down');
    assert.equal(h.body.links.store, 'up');
    const page = await fetch(`http://127.0.0.1:${run.port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Attendant console/);
    const login = await fetch(`http://127.0.0.1:${run.port}/api/session/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OPERATOR) });
    assert.equal(login.status, 200, 'an operator logs in while Asterisk is down');
    assert.equal(run.proc.exitCode, null, 'still running');
    assert.ok(run.lines().some((l) => l.level === 40 && String(l.msg).includes('not reachable') && l.url === `http://127.0.0.1:${ariPort}`), 'the outage is logged with the URL');
  });

  it('given Redis unreachable, when the controller starts, then /healthz and the console answer and say the store is down, and the API says why it waits', async () => {
    const redisPort = await freePort();
    const config = siteConfig({ ariUrl: `http://127.0.0.1:${await freePort()}`, redisUrl: `redis://127.0.0.1:${redisPort}` });
    run = Run.start(config, await freePort());
    await until('/healthz answers', async () => (await run!.health()) !== undefined, 20_000);
    const h = (await run.health())!;
    assert.deepEqual([h.status, h.body.status, h.body.links.store], [503, 'down', 'down']);
    assert.equal((await fetch(`http://127.0.0.1:${run.port}/`)).status, 200, 'the console page');
    const api = await fetch(`http://127.0.0.1:${run.port}/api/state`);
    assert.equal(api.status, 503);
    assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'starting');
    await until('a retry is logged', () => run!.lines().some((l) => String(l.msg).startsWith('store (Redis) not reachable')), 15_000);
    assert.equal(run.proc.exitCode, null, 'still running');
  });

  it('given a wrong ARI password, then the controller stays up, logs one clear line per try, /healthz says unauthorized, and it connects once Asterisk has the password', async () => {
    const ariPort = await freePort();
    const config = siteConfig({ ariUrl: `http://127.0.0.1:${ariPort}` }) as { asterisk: { ari: { user: string; password: string } } };
    const { user, password } = config.asterisk.ari;
    registerSecret('asterisk.ari.password', password);
    sim = await startSimulator({ port: ariPort, host: '127.0.0.1', user, password: 'what-asterisk-has', seed: 3 });
    run = Run.start(config as unknown as Record<string, unknown>, await freePort());
    await until('/healthz says unauthorized', async () => (await run!.health())?.body.links.ari === 'unauthorized', 20_000);
    const refusals = () => run!.lines().filter((l) => l.level === 50 && String(l.msg).startsWith(`ARI refused user "${user}"`));
    await until('two tries refused', () => refusals().length >= 2, 10_000);
    for (const l of refusals()) {
      assert.equal(l.user, user);
      assert.equal(l.url, `http://127.0.0.1:${ariPort}`);
      assert.equal(l.status, 401);
      assert.equal(typeof l.retryInMs, 'number');
    }
    const h = (await run.health())!;
    assert.deepEqual([h.status, h.body.status, h.body.ari, h.body.links.ari], [503, 'down', false, 'unauthorized']);
    assert.equal(run.proc.exitCode, null, 'no uncaught exception');

    // the admin fixes ari.conf and reloads: the next try connects
    await sim.stop();
    sim = await startSimulator({ port: ariPort, host: '127.0.0.1', user, password, seed: 3 });
    const fixedAt = Date.now();
    await until('connected', async () => (await run!.health())?.body.status === 'ok', 20_000);
    measured.connectedAfterFixMs = Date.now() - fixedAt;
    assert.equal(run.proc.exitCode, null);
    assert.equal((await run.health())!.body.links.ari, 'up');

    // nothing but JSON lines on stdout: the swagger warning is not printed (it is a debug line)
    const lines = run.lines();
    assert.ok(lines.length > 0, 'some log lines');
    assert.ok(!run.stdout.join('').includes('deprecated version of Swagger'), 'the swagger warning is not on stdout');
    assert.equal(run.stderr.join(''), '', 'nothing on stderr either');
  });
});
