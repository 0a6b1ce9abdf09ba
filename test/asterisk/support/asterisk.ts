// A real Asterisk for the acceptance suite: the binary named by ASTERISK_BIN (else `asterisk` on
// PATH) started in the foreground in a temporary folder, on the project's own asterisk-conf/ and
// dialplan/ rendered by docker/asterisk-entrypoint.sh, plus the small overlay of test/asterisk/overlay/
// (loopback binds and ports, the SIPp phones' addresses, a logger). Nothing of Asterisk is in the repository.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OVERLAY = join(ROOT, 'test/asterisk/overlay');

/** where the suite's Asterisk listens (the overlay's values: keep both in step) */
export const AST = {
  host: '127.0.0.1',
  sipPort: 15060,
  httpPort: 18088,
  amiPort: 15038,
  ariUser: 'attendant',
  ariPassword: 'suite-ari-secret',
  amiUser: 'attendant',
  amiPassword: 'suite-ami-secret',
  /** the trunk's far end: the SIPp "provider" (callers come from this address, external numbers go to it) */
  trunkHost: '127.0.0.2',
} as const;

/** the placeholders docker/asterisk-entrypoint.sh renders, with the suite's values */
export const PLACEHOLDER_VALUES: Record<string, string> = {
  ATTENDANT_ARI_PASSWORD: AST.ariPassword,
  ATTENDANT_AMI_PASSWORD: AST.amiPassword,
  ATTENDANT_SIP_ATT1_PASSWORD: 'suite-att1',
  ATTENDANT_SIP_ATT2_PASSWORD: 'suite-att2',
  ATTENDANT_SIP_ATT3_PASSWORD: 'suite-att3',
  ATTENDANT_SIP_ATT4_PASSWORD: 'suite-att4',
  ATTENDANT_SIP_BELL_PASSWORD: 'suite-bell',
  ATTENDANT_SIP_DEMO_PASSWORD: 'suite-demo',
  ATTENDANT_TRUNK_HOST: AST.trunkHost,
  ATTENDANT_TRUNK_USER: 'suite-trunk',
  ATTENDANT_TRUNK_PASSWORD: 'suite-trunk-secret',
  ATTENDANT_VM_PIN_2000: '4242',
};

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** the Asterisk binary to test with, or why there is none */
export function findAsterisk(): { bin: string } | { missing: string } {
  const named = process.env.ASTERISK_BIN;
  if (named) return existsSync(named) ? { bin: named } : { missing: `ASTERISK_BIN=${named} does not exist` };
  const found = onPath('asterisk') ?? ['/usr/sbin/asterisk', '/usr/local/sbin/asterisk'].find((p) => existsSync(p));
  return found ? { bin: found } : { missing: 'no Asterisk binary (set ASTERISK_BIN, or put asterisk on PATH)' };
}

export function findSipp(): { bin: string } | { missing: string } {
  const found = process.env.SIPP_BIN ?? onPath('sipp');
  return found && existsSync(found) ? { bin: found } : { missing: 'no sipp (Debian package sip-tester)' };
}

/** the version the binary says it is ("23.4.1") */
export function asteriskVersion(bin: string): string {
  const out = spawnSync(bin, ['-V'], { encoding: 'utf8' }).stdout ?? '';
  return out.trim().replace(/^Asterisk\s+/, '') || 'unknown';
}

/**
 * The data folder: Asterisk's own (rest-api/ for ARI's documents, the binary's compiled default or
 * ASTERISK_DATADIR) with the sounds and music of Debian's asterisk-core-sounds-en-wav and
 * asterisk-moh-opsound-wav (ASTERISK_SOUNDS_DIR / ASTERISK_MOH_DIR to use others).
 */
function dataDirFor(bin: string, dir: string): string {
  const prefix = dirname(dirname(bin));
  const candidates = [process.env.ASTERISK_DATADIR, join(prefix, 'var/lib/asterisk'), join(prefix, 'share/asterisk'), '/var/lib/asterisk', '/usr/share/asterisk']
    .filter((p): p is string => !!p);
  const own = candidates.find((p) => existsSync(join(p, 'rest-api')));
  if (!own) throw new Error(`no rest-api/ folder of Asterisk found in ${candidates.join(', ')}: set ASTERISK_DATADIR`);
  const data = join(dir, 'data');
  mkdirSync(data, { recursive: true });
  const link = (name: string, target: string | undefined): void => {
    if (target && existsSync(target)) symlinkSync(target, join(data, name));
  };
  link('rest-api', join(own, 'rest-api'));
  link('sounds', process.env.ASTERISK_SOUNDS_DIR ?? (existsSync('/usr/share/asterisk/sounds') ? '/usr/share/asterisk/sounds' : join(own, 'sounds')));
  link('moh', process.env.ASTERISK_MOH_DIR ?? (existsSync('/usr/share/asterisk/moh') ? '/usr/share/asterisk/moh' : join(own, 'moh')));
  for (const name of ['documentation', 'static-http', 'phoneprov', 'images', 'keys', 'firmware', 'scripts', 'third-party']) link(name, join(own, name));
  return data;
}

/**
 * asterisk-conf/ and dialplan/ as the Docker entrypoint renders them, then the suite's overlay appended,
 * then any further overlay folders in order (the real-Asterisk bench adds bench/asterisk/overlay/)
 */
export function renderConfiguration(etc: string, overlays: readonly string[] = []): void {
  mkdirSync(etc, { recursive: true });
  const res = spawnSync('bash', [join(ROOT, 'docker/asterisk-entrypoint.sh'), 'true'], {
    env: {
      ...process.env, ...PLACEHOLDER_VALUES,
      ATTENDANT_CONF_SRC: join(ROOT, 'asterisk-conf'), ATTENDANT_DIALPLAN_SRC: join(ROOT, 'dialplan'),
      ASTERISK_CONF_DIR: etc, ATTENDANT_NEXT_ENTRYPOINT: '/nonexistent',
    },
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`docker/asterisk-entrypoint.sh refused the project's files: ${res.stderr}`);
  for (const folder of [OVERLAY, ...overlays]) {
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.conf'))) {
      const overlay = readFileSync(join(folder, file), 'utf8');
      // appended: its sections add to the project's (`[name](+)`) or are files of their own (logger.conf)
      appendFileSync(join(etc, file), `\n; ---- ${relative(ROOT, join(folder, file))} ----\n${overlay}`);
    }
  }
}

export class Asterisk {
  private proc: ChildProcess | undefined;
  private output: string[] = [];

  private constructor(readonly bin: string, readonly dir: string, readonly version: string) {}

  /** `overlays`: folders of .conf files appended after the suite's overlay */
  static create(bin: string, overlays: readonly string[] = []): Asterisk {
    const dir = mkdtempSync(join(tmpdir(), 'attendant-asterisk-'));
    const etc = join(dir, 'etc');
    renderConfiguration(etc, overlays);
    const data = dataDirFor(bin, dir);
    for (const d of ['run', 'log', 'spool', 'lib']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(etc, 'asterisk.conf'), [
      '[directories]',
      `astetcdir => ${etc}`,
      `astvarlibdir => ${join(dir, 'lib')}`,
      `astdbdir => ${join(dir, 'lib')}`,
      `astkeydir => ${join(dir, 'lib')}`,
      `astdatadir => ${data}`,
      `astagidir => ${join(data, 'agi-bin')}`,
      `astspooldir => ${join(dir, 'spool')}`,
      `astrundir => ${join(dir, 'run')}`,
      `astlogdir => ${join(dir, 'log')}`,
      '[options]',
      'verbose = 3',
      'maxfiles = 8192',
      'cache_media_frames = yes',
      '',
    ].join('\n'));
    return new Asterisk(bin, dir, asteriskVersion(bin));
  }

  get confFile(): string {
    return join(this.dir, 'etc/asterisk.conf');
  }

  get logs(): string {
    const messages = join(this.dir, 'log/messages');
    return (existsSync(messages) ? readFileSync(messages, 'utf8') : '') + this.output.join('');
  }

  /** the running Asterisk's process id (undefined before start and after it exited) */
  get pid(): number | undefined {
    return this.proc && this.proc.exitCode === null ? this.proc.pid : undefined;
  }

  get ariUrl(): string {
    return `http://${AST.host}:${AST.httpPort}`;
  }

  /** start in the foreground; resolves once ARI answers */
  async start(): Promise<void> {
    this.output = [];
    // the ports are fixed: an Asterisk already answering there belongs to another run, and this run would
    // drive (and clear) that one's calls; one run at a time (flock /tmp/asterisk-suite.lock)
    if (await this.ari('GET', '/asterisk/info').then(() => true, () => false)) {
      throw new Error(`an Asterisk already answers on ${this.ariUrl}: another run of the suite or the bench holds the ports (run them one at a time: flock /tmp/asterisk-suite.lock ...)`);
    }
    const proc = spawn(this.bin, ['-f', '-C', this.confFile, '-n'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    for (const s of [proc.stdout, proc.stderr]) s?.on('data', (d: Buffer) => { this.output.push(d.toString()); if (this.output.length > 2000) this.output.splice(0, 1000); });
    const end = Date.now() + 60_000;
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`Asterisk exited (${proc.exitCode}) while starting:\n${this.logs.slice(-4000)}`);
      if (await this.fullyBooted()) return;
      if (Date.now() > end) throw new Error(`Asterisk did not answer on ARI within 60 s:\n${this.logs.slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async fullyBooted(): Promise<boolean> {
    try {
      const res = await this.ari('GET', '/asterisk/info');
      if (res.status !== 200) return false;
      return this.cli('core waitfullybooted').includes('fully booted');
    } catch {
      return false;
    }
  }

  /** stop (core stop now), then SIGKILL what is left */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    spawnSync(this.bin, ['-C', this.confFile, '-rx', 'core stop now'], { timeout: 5000 });
    const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  }

  /** a crash: SIGKILL, no channel hung up, nothing told to anyone */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGKILL');
    await exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** ari.conf's user now has this password (crypt, as the entrypoint writes it), reloaded without a restart */
  setAriPassword(password: string): void {
    const file = join(this.dir, 'etc/ari.conf');
    const crypt = spawnSync('openssl', ['passwd', '-6', '-stdin'], { input: `${password}\n`, encoding: 'utf8' }).stdout.trim();
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^password=.*$/m, `password=${crypt}`));
    this.cli('module reload res_ari.so');
    this.ariPassword = password;
  }

  /** the password the suite's own ARI requests use */
  private ariPassword: string = AST.ariPassword;

  /** a CLI command through the control socket (`asterisk -rx`) */
  cli(command: string): string {
    try {
      return execFileSync(this.bin, ['-C', this.confFile, '-rx', command], { encoding: 'utf8', timeout: 10_000 });
    } catch (err) {
      return String((err as { stdout?: string }).stdout ?? '');
    }
  }

  /** an ARI REST request as the controller's user (for the suite's own checks and clean-up) */
  async ari(method: string, path: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.ariUrl}/ari${path}`, {
      method, headers: { authorization: `Basic ${Buffer.from(`${AST.ariUser}:${this.ariPassword}`).toString('base64')}` },
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    let body: unknown = text;
    try { body = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, body };
  }

  async channels(): Promise<Array<{ id: string; name: string; state: string }>> {
    return (await this.ari('GET', '/channels')).body as Array<{ id: string; name: string; state: string }>;
  }

  async bridges(): Promise<Array<{ id: string; name: string; bridge_type: string; channels: string[] }>> {
    return (await this.ari('GET', '/bridges')).body as Array<{ id: string; name: string; bridge_type: string; channels: string[] }>;
  }

  /** between tests: no channel and no bridge left over from the last one */
  async clear(): Promise<void> {
    for (const c of await this.channels()) await this.ari('DELETE', `/channels/${encodeURIComponent(c.id)}`).catch(() => undefined);
    for (const b of await this.bridges()) await this.ari('DELETE', `/bridges/${encodeURIComponent(b.id)}`).catch(() => undefined);
    const end = Date.now() + 5000;
    while ((await this.channels()).length && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  }

  remove(): void {
    if (!process.env.KEEP_ASTERISK_DIR) rmSync(this.dir, { recursive: true, force: true });
  }
}
