// The controller as a separate process (`attendant run --config <file>`), as it runs in production:
// the test can kill it with SIGKILL (no stop path runs: no lease release, no socket closed cleanly)
// and start another one on the same store. Its logs are kept to explain a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { freePort } from './redis-server.ts';
import { auditText, registerSecret } from './log-audit.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Health {
  status: string;
  role: 'active' | 'standby';
  ari: boolean;
  store: boolean;
  storeBacklog: number;
}

/** wait (real time, bounded) until the condition holds */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export class ChildController {
  private readonly output: string[] = [];
  private exited: Promise<void>;

  private constructor(readonly name: string, readonly port: number, private readonly proc: ChildProcess, private readonly dir: string) {
    for (const stream of [proc.stdout, proc.stderr]) stream?.on('data', (d: Buffer) => this.output.push(d.toString()));
    // its whole output goes through the secrets audit once it has exited (test/support/log-audit.ts)
    this.exited = new Promise((resolve) => proc.once('exit', () => { auditText(this.logs, `child controller ${name}`); resolve(); }));
  }

  /** `config` is the YAML document (http is filled in); resolves once /healthz answers */
  static async start(name: string, config: Record<string, unknown>): Promise<ChildController> {
    const dir = mkdtempSync(join(tmpdir(), `attendant-${name}-`));
    const port = await freePort();
    const file = join(dir, 'config.yaml');
    registerSecret('asterisk.ari.password', (config as { asterisk?: { ari?: { password?: string } } }).asterisk?.ari?.password);
    writeFileSync(file, stringify({ ...config, http: { host: '127.0.0.1', port }, log: { level: process.env.TEST_LOG ?? 'info' } }));
    const proc = spawn(process.execPath, ['--import', 'tsx', 'lib/main.ts', 'run', '--config', file], {
      cwd: ROOT, env: { ...process.env, ATTENDANT_REDIS_URL: '', REDIS_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = new ChildController(name, port, proc, dir);
    await until(`${name} answers /healthz`, async () => {
      if (proc.exitCode !== null) throw new Error(`${name} exited (${proc.exitCode}):\n${child.logs}`);
      return (await child.health()) !== undefined;
    }, 30_000);
    return child;
  }

  get logs(): string {
    return this.output.join('');
  }

  get pid(): number {
    return this.proc.pid!;
  }

  async health(): Promise<Health | undefined> {
    try {
      const res = await fetch(`http://127.0.0.1:${this.port}/healthz`, { signal: AbortSignal.timeout(1000) });
      return (await res.json()) as Health;
    } catch {
      return undefined;
    }
  }

  async waitRole(role: Health['role'], timeoutMs = 15_000): Promise<void> {
    // a standby is one that reached its store and waits for the lease: before that its port already
    // answers as standby, with status down (the store link is missing)
    await until(`${this.name} is ${role}`, async () => {
      const health = await this.health();
      return health?.role === role && (role === 'standby' ? health.status === 'standby' : health.ari === true);
    }, timeoutMs);
  }

  /** dies at once: no stop path runs */
  async kill(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
    await this.exited;
  }

  /** graceful: SIGTERM, the controller releases its lease */
  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGTERM');
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 10_000))]);
    await this.kill();
  }

  async dispose(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
