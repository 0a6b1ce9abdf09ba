// The Docker files read statically (no Docker engine here), and the Asterisk entrypoint's
// rendering run for real with bash on a temporary directory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ENV_VARS, applyEnv, parseConfig } from '../../lib/config.ts';
import { parseConf, readConf, section } from './conf-reader.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dockerDir = join(root, 'docker');

type VolumeEntry = string | { type?: string; source?: string; target?: string };
interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string };
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: VolumeEntry[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }>;
  ports?: string[];
}
const composeText = readFileSync(join(dockerDir, 'compose.yml'), 'utf8');
const compose = parseYaml(composeText) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = Object.entries(compose.services);
const controller = compose.services.controller!;
const asterisk = compose.services.asterisk!;
const redis = compose.services.redis!;

/** host side of a volume entry, or undefined for a named volume */
function hostPath(v: VolumeEntry): string | undefined {
  const source = typeof v === 'string' ? v.split(':')[0]! : v.source ?? '';
  if (!source.startsWith('.') && !isAbsolute(source)) return undefined;
  return resolve(dockerDir, source);
}
function mounts(s: Service): Array<{ host?: string; target: string }> {
  return (s.volumes ?? []).map((v) => ({ ...(hostPath(v) ? { host: hostPath(v)! } : {}), target: typeof v === 'string' ? v.split(':')[1]! : v.target ?? '' }));
}

const envExample = new Map(readFileSync(join(dockerDir, '.env.example'), 'utf8').split('\n')
  .map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as [string, string]));
/** `${NAME}`, `${NAME:?msg}`, `${NAME:-default}` used by compose (`$$` is a literal dollar) */
const composeVars = new Set([...composeText.replace(/\$\$/g, '').matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!));

const entrypointText = readFileSync(join(dockerDir, 'asterisk-entrypoint.sh'), 'utf8');
const entrypointList = [...entrypointText.matchAll(/PLACEHOLDERS\+?=\(([^)]*)\)/g)].flatMap((g) => [...(g[1] ?? '').matchAll(/[A-Z][A-Z0-9_]+/g)].map((m) => m[0]));
/** placeholders the entrypoint derives (the ARI password's hash) and those with a default of its own (`: "${X:=...}"`) */
const derived = new Set(['ATTENDANT_ARI_PASSWORD_CRYPT']);
const defaulted = new Set([...entrypointText.matchAll(/: "\$\{(ATTENDANT_[A-Z0-9_]+):=/g)].map((m) => m[1]!));
/** what the environment gives the entrypoint */
const entrypointInputs = entrypointList.filter((p) => !derived.has(p));
const confPlaceholders = new Set(readdirSync(join(root, 'asterisk-conf')).filter((f) => f.endsWith('.conf'))
  .flatMap((f) => [...readFileSync(join(root, 'asterisk-conf', f), 'utf8').matchAll(/\$\{(ATTENDANT_[A-Z0-9_]+)\}/g)].map((m) => m[1]!)));

describe('deployment kit: docker compose', () => {
  it('given every mounted host path and build context, then it exists in the repository', () => {
    let checked = 0;
    for (const [name, s] of services) {
      for (const m of mounts(s)) {
        if (!m.host) { assert.ok(compose.volumes && m.target && Object.keys(compose.volumes).length, `${name}: named volume declared`); continue; }
        assert.ok(existsSync(m.host), `${name}: ${m.host} exists`);
        checked++;
      }
      if (s.build) {
        const ctx = resolve(dockerDir, s.build.context);
        assert.ok(statSync(ctx).isDirectory(), `${name}: build context`);
        assert.ok(existsSync(join(ctx, s.build.dockerfile ?? 'Dockerfile')), `${name}: dockerfile`);
      }
    }
    assert.ok(checked >= 4, `host mounts checked (${checked})`);
    for (const named of services.flatMap(([, s]) => mounts(s)).filter((m) => !m.host)) assert.ok(named.target.startsWith('/'), 'named.target.startsWith(\'/\')');
  });

  it('given every service, then it has a healthcheck, and the controller starts once Asterisk and Redis are healthy', () => {
    for (const [name, s] of services) {
      assert.ok(s.healthcheck && !s.healthcheck.disable && s.healthcheck.test && s.healthcheck.test.length > 0, `${name} has a healthcheck`);
    }
    assert.equal(controller.depends_on?.asterisk?.condition, 'service_healthy');
    assert.equal(controller.depends_on?.redis?.condition, 'service_healthy');
    assert.match(JSON.stringify(controller.healthcheck!.test), /\/healthz/);
    assert.match(JSON.stringify(controller.healthcheck!.test), /"node"/);
  });

  it('given the controller service, then it reads only variables lib/config.ts knows and a mounted configuration that parses', () => {
    const env = controller.environment ?? {};
    for (const k of Object.keys(env)) assert.ok((ENV_VARS as readonly string[]).includes(k), `${k} is in ENV_VARS`);
    const configMount = mounts(controller).find((m) => m.target === env.ATTENDANT_CONFIG);
    assert.ok(configMount?.host, 'ATTENDANT_CONFIG is the mounted file');
    // the values compose would give, secrets replaced by a stand-in
    const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.startsWith('${') ? 'secret-from-env' : v]));
    const cfg = parseConfig(applyEnv(parseYaml(readFileSync(configMount.host, 'utf8')), resolved));
    const hosts = new Set(Object.keys(compose.services));
    assert.ok(hosts.has(new URL(cfg.asterisk.ari.url).hostname), 'ARI URL names the asterisk service');
    assert.ok(cfg.asterisk.ami && hosts.has(cfg.asterisk.ami.host), 'AMI host is the asterisk service');
    assert.ok(cfg.redis.url && hosts.has(new URL(cfg.redis.url).hostname), 'Redis URL names the redis service');
    assert.equal(new URL(cfg.redis.url).password, 'secret-from-env', 'the Redis password comes from ATTENDANT_REDIS_PASSWORD');
    assert.equal(cfg.http.host, '0.0.0.0', 'reachable from outside the container');
    assert.equal(String(cfg.http.port), env.ATTENDANT_HTTP_PORT);
    // the users are the section names of ari.conf and manager.conf
    assert.ok(section(readConf(join(root, 'asterisk-conf/ari.conf')), cfg.asterisk.ari.user), 'section(readConf(join(root, \'asterisk-conf/ari.conf\')), cfg.asterisk.ari.user)');
    assert.ok(section(readConf(join(root, 'asterisk-conf/manager.conf')), cfg.asterisk.ami.user), 'section(readConf(join(root, \'asterisk-conf/manager.conf\')), cfg.asterisk.ami.user)');
    // and no secret is written into the file itself
    assert.doesNotMatch(readFileSync(configMount.host, 'utf8'), /password\s*:/i);
  });

  it('given .env.example, then it names every variable compose uses, each a CHANGE_ME placeholder', () => {
    assert.ok(composeVars.size >= 10, 'composeVars.size >= 10');
    for (const v of composeVars) assert.ok(envExample.has(v), `${v} is in docker/.env.example`);
    for (const [k, v] of envExample) assert.equal(v, 'CHANGE_ME', `${k} is a placeholder`);
    for (const k of envExample.keys()) assert.ok(composeVars.has(k), `${k} of .env.example is used by compose`);
    // every secret handed to a service comes from .env, none is written in compose
    for (const [name, s] of services) {
      for (const [k, v] of Object.entries(s.environment ?? {})) {
        if (/PASSWORD|SECRET|PIN|AUTH/.test(k)) assert.match(v, /^\$\{[A-Z0-9_]+:\?/, `${name}.${k} comes from docker/.env and is required`);
      }
    }
  });

  it('given the placeholders of asterisk-conf, then the entrypoint replaces each and compose hands each to Asterisk', () => {
    assert.ok(confPlaceholders.size >= 8, 'confPlaceholders.size >= 8');
    // every placeholder of the files is rendered; every input but the ARI password (hashed first) is one
    assert.deepEqual([...confPlaceholders].sort(), entrypointList.filter((p) => p !== 'ATTENDANT_ARI_PASSWORD').sort());
    assert.ok(!confPlaceholders.has('ATTENDANT_ARI_PASSWORD'), 'ari.conf holds the hash, never the password');
    for (const p of entrypointInputs) {
      assert.ok(asterisk.environment?.[p], `compose passes ${p} to asterisk`);
      if (!defaulted.has(p)) assert.ok(envExample.has(p), `${p} in .env.example`);
    }
    assert.ok(mounts(asterisk).some((m) => m.host?.endsWith('asterisk-conf')), 'asterisk-conf mounted');
    assert.ok(mounts(asterisk).some((m) => m.host?.endsWith('dialplan')), 'dialplan mounted');
    const entry = mounts(asterisk).find((m) => m.host?.endsWith('asterisk-entrypoint.sh'));
    assert.ok(entry && JSON.stringify(asterisk.entrypoint).includes(entry.target), 'the entrypoint is the mounted script');
    assert.ok(asterisk.command?.[0]?.endsWith('asterisk'), 'the Asterisk command is given again (a new entrypoint clears the image CMD)');
  });

  it('given the redis service, then it persists with an append-only file on a volume and asks for a password', () => {
    const cmd = JSON.stringify(redis.command);
    assert.match(cmd, /--appendonly yes/);
    assert.match(cmd, /--requirepass/);
    const data = mounts(redis).find((m) => m.target === '/data');
    assert.ok(data && !data.host, 'a named volume on /data');
  });

  it('given the RTP range of rtp.conf, then compose publishes the same range', () => {
    const rtp = section(readConf(join(root, 'asterisk-conf/rtp.conf')), 'general');
    const range = `${rtp?.entries.find((e) => e.key === 'rtpstart')?.value}-${rtp?.entries.find((e) => e.key === 'rtpend')?.value}`;
    assert.ok((asterisk.ports ?? []).some((p) => p.startsWith(`${range}:${range}/udp`)), `RTP ${range} published`);
    for (const p of asterisk.ports ?? []) assert.doesNotMatch(p, /^(8088|5038)/, 'ARI and AMI are not published');
  });
});

describe('deployment kit: Dockerfile', () => {
  const dockerfile = readFileSync(join(dockerDir, 'Dockerfile'), 'utf8');
  // one instruction a line: continuations (a trailing backslash) joined
  const lines = dockerfile.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const runtimeStart = lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
  const runtime = lines.slice(runtimeStart);

  it('given the build, then it is multi-stage: npm ci and tsc in the first, npm ci --omit=dev in the runtime one', () => {
    assert.ok(lines.filter((l) => /^FROM\s/i.test(l)).length >= 2, 'lines.filter((l) => /^FROM\\s/i.test(l)).length >= 2');
    const build = lines.slice(0, runtimeStart).join('\n');
    assert.match(build, /RUN npm ci\b/);
    assert.match(build, /npx tsc -p tsconfig\.json/);
    assert.match(runtime.join('\n'), /npm ci --omit=dev/);
    assert.match(runtime.join('\n'), /COPY --from=\w+ \/app\/dist/);
  });

  it('given the runtime stage, then it runs as a non-root user with a node healthcheck on /healthz and the documented command', () => {
    const user = runtime.find((l) => /^USER\s/i.test(l))?.split(/\s+/)[1];
    assert.ok(user && !['root', '0', '0:0'].includes(user), `USER ${user}`);
    const health = runtime.find((l) => /^HEALTHCHECK\s/i.test(l)) ?? '';
    assert.match(health, /CMD \["node", "-e", ".*\/healthz/);
    assert.match(health, /8080/);
    assert.doesNotMatch(health, /curl|wget/);
    assert.equal(runtime.find((l) => /^CMD\s/i.test(l)), 'CMD ["node", "dist/lib/main.js", "--config", "/etc/attendant/config.yaml"]');
  });

  it('given the build context filter, then it keeps node_modules, .git and .env files out', () => {
    const ignore = readFileSync(join(dockerDir, 'Dockerfile.dockerignore'), 'utf8');
    for (const p of ['**/node_modules', '.git', '**/.env']) assert.ok(ignore.split('\n').includes(p), p);
    for (const needed of ['lib', 'public', 'package.json', 'tsconfig.json']) assert.ok(!ignore.split('\n').includes(needed), `${needed} stays in the context`);
  });
});

describe('deployment kit: Asterisk entrypoint', () => {
  const secrets: Record<string, string> = {
    ...Object.fromEntries(entrypointInputs.map((k, i) => [k, `s3cr&t;${i}\\x`])),
    // not secrets: addresses
    ATTENDANT_TRUNK_HOST: 'sip.provider.example', ATTENDANT_ARI_BIND: '127.0.0.1', ATTENDANT_AMI_BIND: '127.0.0.1', ATTENDANT_AMI_PERMIT: '10.1.2.0/255.255.255.0',
  };
  let work: string;
  beforeEach(() => { work = mkdtempSync(join(tmpdir(), 'att-entry-')); });
  afterEach(() => { rmSync(work, { recursive: true, force: true }); });

  function run(env: Record<string, string>): { status: number | null; stderr: string } {
    const r = spawnSync('bash', [join(dockerDir, 'asterisk-entrypoint.sh'), 'true'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ATTENDANT_CONF_SRC: join(root, 'asterisk-conf'),
        ATTENDANT_DIALPLAN_SRC: join(root, 'dialplan'),
        ASTERISK_CONF_DIR: join(work, 'etc'),
        ATTENDANT_NEXT_ENTRYPOINT: join(work, 'none'),
        ...env,
      },
      encoding: 'utf8',
      timeout: 10_000,
    });
    return { status: r.status, stderr: r.stderr };
  }

  it('given every secret in the environment, then the rendered files hold them (";" escaped) and the dialplan is copied untouched', () => {
    const r = run(secrets);
    assert.equal(r.status, 0, r.stderr);
    const out = join(work, 'etc');
    const ari = readFileSync(join(out, 'ari.conf'), 'utf8');
    assert.ok(!ari.includes(secrets.ATTENDANT_ARI_PASSWORD!), 'the ARI password itself is not in ari.conf');
    // what Asterisk reads back is a SHA-512 crypt of the password (as `ari mkpasswd` makes it)
    const user = section(parseConf(ari), 'attendant');
    assert.equal(user?.entries.find((e) => e.key === 'password_format')?.value, 'crypt');
    const hash = user?.entries.find((e) => e.key === 'password')?.value ?? '';
    const salt = /^\$6\$([^$]+)\$/.exec(hash)?.[1];
    assert.ok(salt, `a $6$ crypt: ${hash}`);
    const again = spawnSync('openssl', ['passwd', '-6', '-salt', salt, '-stdin'], { input: `${secrets.ATTENDANT_ARI_PASSWORD}\n`, encoding: 'utf8' }).stdout.trim();
    assert.equal(hash, again, 'the hash verifies the password');
    const amiUser = section(parseConf(readFileSync(join(out, 'manager.conf'), 'utf8')), 'attendant');
    assert.ok(amiUser?.entries.some((e) => e.key === 'permit' && e.value === '10.1.2.0/255.255.255.0'), 'AMI permits the controller\'s network');
    for (const f of readdirSync(join(root, 'asterisk-conf')).filter((x) => x.endsWith('.conf'))) {
      assert.doesNotMatch(readFileSync(join(out, f), 'utf8'), /\$\{ATTENDANT_/, `${f}: no placeholder left`);
    }
    for (const f of readdirSync(join(root, 'dialplan')).filter((x) => x.endsWith('.conf'))) {
      assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(root, 'dialplan', f), 'utf8'), `${f} copied as is`);
    }
    assert.equal(statSync(join(out, 'ari.conf')).mode & 0o007, 0, 'secrets are not world-readable');
  });

  it('given a missing or CHANGE_ME secret, then the container refuses to start and says which one', () => {
    const missing = { ...secrets };
    delete missing.ATTENDANT_AMI_PASSWORD;
    const r1 = run(missing);
    assert.notEqual(r1.status, 0);
    assert.match(r1.stderr, /ATTENDANT_AMI_PASSWORD is not set/);
    const r2 = run({ ...secrets, ATTENDANT_SIP_ATT2_PASSWORD: 'CHANGE_ME' });
    assert.notEqual(r2.status, 0);
    assert.match(r2.stderr, /ATTENDANT_SIP_ATT2_PASSWORD is still CHANGE_ME/);
    assert.ok(!existsSync(join(work, 'etc', 'ari.conf')), 'nothing rendered');
  });
});
