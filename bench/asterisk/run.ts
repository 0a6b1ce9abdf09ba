// npm run bench:asterisk [-- --rates 60,120,240] [--duration 15] [--seq 200] [--sets 30] [--paths dial,minimal,attendant]
//   [--search-steps 3] [--search-duration 10] [--answer-ms 10] [--talk-ms 30] [--no-crypt] [--out file] [--log warn] [--keep-logs]
//   [--rounds 4] (each load split into rounds, the paths' order reversed every other round; rounds.ts)
//   [--cpu-prof] (V8 profiles of the controller and the minimal app in bench/profiles/asterisk/)
// The real-Asterisk benchmark: one Asterisk (the suite's harness), N SIPp sets that answer, a SIPp trunk
// caller, and three ways of presenting its calls measured in the same run: Asterisk's own Dial(), a
// minimal ari-client app, and the controller. Latency is read from a capture of the wire (wire.ts).
// Run it under the suite's lock: flock /tmp/asterisk-suite.lock npm run bench:asterisk
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startThrowawayRedis, type ThrowawayRedis } from '../../scripts/redis-server.mjs';
import { AST, Asterisk, findAsterisk, findSipp } from '../../test/asterisk/support/asterisk.ts';
import { SippCallerLoad, SippPhone, removeScratch } from '../../test/asterisk/support/sipp.ts';
import { round, searchSustained } from '../figures.ts';
import { Child } from '../ipc.ts';
import { RedisWatch } from '../redis-stats.ts';
import { formatReport, type AsteriskBenchResults, type Load, type PhaseResult } from './report.ts';
import { attendantConfig, CRYPT_USER, DIDS, MINIMAL_APP, OVERLAY, PATHS, PLAIN_USER, setName, setPort, writeSetsOverlay, type PathName } from './site.ts';
import { Capture, findDumpcap, presentations } from './wire.ts';
import { pooled, roundOrder, roundShare, type RoundMeasure } from './rounds.ts';
import type { ProbeReport } from '../../lib/asterisk/probe.ts';

const { values: opts } = parseArgs({
  options: {
    rates: { type: 'string', default: '60,120,240' },
    duration: { type: 'string', default: '15' },
    seq: { type: 'string', default: '200' },
    sets: { type: 'string', default: '30' },
    paths: { type: 'string', default: PATHS.join(',') },
    'search-steps': { type: 'string', default: '3' },
    'search-duration': { type: 'string', default: '10' },
    'answer-ms': { type: 'string', default: '10' },
    'talk-ms': { type: 'string', default: '30' },
    'no-crypt': { type: 'boolean', default: false },
    out: { type: 'string' },
    log: { type: 'string', default: 'warn' },
    'keep-logs': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '4' },
  },
});

const plan = {
  rates: opts.rates.split(',').filter(Boolean).map(Number),
  durationMs: Number(opts.duration) * 1000,
  sequential: Number(opts.seq),
  /** one call at a time, at most this many a second: a set is free again before the next */
  sequentialRate: 20,
  sets: Math.min(Number(opts.sets), 99),
  paths: opts.paths.split(',').filter((p): p is PathName => (PATHS as readonly string[]).includes(p)),
  /** each load in this many rounds per path, the order of the paths reversed every other round (see rounds.ts) */
  rounds: Math.max(1, Number(opts.rounds)),
  search: { steps: Number(opts['search-steps']), durationMs: Number(opts['search-duration']) * 1000, cap: 2000 },
  answerMs: Number(opts['answer-ms']),
  talkMs: Number(opts['talk-ms']),
  /** a caller nobody presents gives up after this long (answered by an app, it hangs up then too) */
  giveUpMs: 3000,
  warm: { rate: 30, calls: 60 },
};

const say = (line: string) => process.stderr.write(`bench:asterisk: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** user + system CPU of a process (every thread) so far, ms; Linux /proc, 10 ms ticks */
function processCpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** the one-line skip of a machine without Asterisk, SIPp or a capture program */
function missingTool(): string | undefined {
  for (const found of [findAsterisk(), findSipp(), findDumpcap()]) if ('missing' in found) return found.missing;
  return undefined;
}

class Bench {
  private phases = 0;

  constructor(
    private readonly asterisk: Asterisk,
    private readonly apps: Partial<Record<PathName, Child>>,
    private readonly dumpcap: string,
    private readonly scratch: string,
  ) {}

  /** one load on one path, in one round (pooled with none) */
  async phase(path: PathName, load: Load, user: 'plain' | 'crypt' = 'plain'): Promise<PhaseResult> {
    return pooled(load, [await this.round(path, load, user)]);
  }

  /** one round of a load on one path: the calls placed, the wire captured, the app's CPU read before and after */
  async round(path: PathName, load: Load, user: 'plain' | 'crypt' = 'plain'): Promise<RoundMeasure> {
    const n = ++this.phases;
    const numberPrefix = `06${String(n).padStart(3, '0')}`;
    const calls = load.kind === 'sequential' ? load.calls : Math.round((load.rate * load.durationMs) / 1000);
    const rate = load.kind === 'sequential' ? plan.sequentialRate : load.rate;
    const app = this.apps[path];
    const capture = await Capture.start(this.dumpcap, join(this.scratch, `phase-${n}-${path}.pcap`), `udp port ${AST.sipPort} or tcp dst port ${AST.httpPort}`);
    const sessionWarnings0 = this.sessionWarnings();
    const cpu0 = app ? await app.ask<number>('cpuMs') : 0;
    const probed = path === 'attendant' && app !== undefined;
    if (probed) await app.ask<ProbeReport>('probe');
    const asteriskCpu0 = processCpuMs(this.asterisk.pid);
    const caller = await SippCallerLoad.start({ did: DIDS[path], numberPrefix, calls, rate, concurrent: load.kind === 'sequential' ? 1 : 100_000, talkMs: plan.giveUpMs });
    const placing = (calls / rate) * 1000 + plan.giveUpMs + 30_000;
    const finished = await Promise.race([caller.finished().then(() => true), sleep(placing).then(() => false)]);
    if (!finished) { say(`  the caller was still busy after ${placing} ms: stopped`); await caller.stop(); }
    const drained = await this.drain();
    const cpu1 = app ? await app.ask<number>('cpuMs') : 0;
    const decisionsMs = probed ? (await app.ask<ProbeReport>('probe')).decisionsMs : undefined;
    const asteriskCpu1 = processCpuMs(this.asterisk.pid);
    const captured = await capture.stop();
    // what is left is hung up after the figures are taken: the bench's requests are not the app's
    if (!drained) await this.clear();
    const wire = presentations(captured.sip, AST.trunkHost, AST.sipPort, numberPrefix);
    if (!opts['keep-logs']) rmSync(capture.file, { force: true });
    const measure: RoundMeasure = {
      path, user, load, offered: wire.offered, spanMs: wire.spanMs, latenciesMs: wire.latenciesMs, ...(decisionsMs ? { decisionsMs } : {}),
      cpuMs: app ? cpu1 - cpu0 : null, asteriskCpuMs: asteriskCpu1 - asteriskCpu0,
      // the bench's own look at Asterisk's channels (the drain) is not the app's
      ariRequests: captured.ari.filter((r) => !(r.method === 'GET' && r.path === '/ari/channels')).length,
      captureDropped: captured.dropped, httpSessionLimitWarnings: this.sessionWarnings() - sessionWarnings0, drained,
    };
    const result = pooled(load, [measure]);
    const { presentation, decision } = result;
    say(`  ${path}${user === 'crypt' ? ' (crypt)' : ''} ${load.kind === 'sequential' ? `sequential ×${calls}` : `${load.rate}/s`}: p50 ${presentation.p50} / p90 ${presentation.p90} / p99 ${presentation.p99} ms, `
      + `${decision ? `(controller's decision p50 ${decision.p50} / p99 ${decision.p99} ms), ` : ''}`
      + `${(result.presentedRatio * 100).toFixed(1)} % of ${wire.offered} presented${result.cpuMsPerCall !== null ? `, ${result.cpuMsPerCall} ms CPU/call, ${result.ariRequestsPerCall} ARI requests/call` : ''}, Asterisk ${result.asteriskCpuMsPerCall} ms/call`
      + `${result.httpSessionLimitWarnings ? `, ${result.httpSessionLimitWarnings} HTTP session limit warnings` : ''}${drained ? '' : ', NOT drained'}`
      + `${captured.dropped ? `, the capture dropped ${captured.dropped} packets` : ''}`);
    return measure;
  }

  /** a load on every path in `rounds` rounds, the paths' order reversed every other round; each path's rounds pooled */
  async inRounds(paths: readonly PathName[], load: Load, rounds: number, user: 'plain' | 'crypt' = 'plain'): Promise<PhaseResult[]> {
    const parts = new Map<PathName, RoundMeasure[]>(paths.map((p) => [p, []]));
    const share = roundShare(load, rounds);
    for (let r = 0; r < rounds; r++) for (const path of roundOrder(paths, r)) parts.get(path)!.push(await this.round(path, share, user));
    return paths.map((path) => pooled(load, parts.get(path)!));
  }

  /** every channel gone within 15 s (the calls end by themselves) */
  private async drain(): Promise<boolean> {
    // ARI may turn the bench's own request away while an app floods it (HTTP session limit): ask again
    const channels = () => this.asterisk.channels().then((c) => c.length, () => -1);
    const end = Date.now() + 15_000;
    while (Date.now() < end) {
      if ((await channels()) === 0) { await sleep(500); return true; }
      await sleep(200);
    }
    return false;
  }

  private async clear(): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await this.asterisk.clear().then(() => true, () => false)) return;
      await sleep(1000);
    }
  }

  /** Asterisk's "HTTP session count exceeded" lines so far: ARI requests it turned away */
  private sessionWarnings(): number {
    return this.asterisk.logs.match(/HTTP session count exceeded/g)?.length ?? 0;
  }
}

async function main(): Promise<void> {
  const missing = missingTool();
  if (missing) {
    process.stdout.write(`bench:asterisk: skipped: ${missing}\n`);
    return;
  }
  const bin = (findAsterisk() as { bin: string }).bin;
  const dumpcap = (findDumpcap() as { bin: string }).bin;
  const scratch = mkdtempSync(join(tmpdir(), 'attendant-bench-asterisk-'));
  const loadavgBefore = loadavg().map((x) => round(x));
  let throwaway: ThrowawayRedis | undefined;
  const redisUrl = process.env.REDIS_URL ?? (throwaway = await startThrowawayRedis()).url;
  const redis = await RedisWatch.connect(redisUrl);
  const prefixes: string[] = [];
  const asterisk = Asterisk.create(bin, [OVERLAY, writeSetsOverlay(join(scratch, 'overlay'), plan.sets)]);
  const phones = Array.from({ length: plan.sets }, (_, i) => new SippPhone(setName(i + 1), setPort(i + 1)));
  const children: Child[] = [];
  const stopAll = async () => {
    for (const c of children.splice(0).reverse()) await c.stop().catch(() => undefined);
    await Promise.all(phones.map((p) => p.stop()));
    await asterisk.stop();
  };
  const interrupted = (sig: NodeJS.Signals) => {
    Capture.killAll();
    for (const c of children) c.kill();
    void Promise.all(phones.map((p) => p.stop())).then(() => asterisk.kill()).then(() => throwaway?.stop()).then(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let done = false;
  say(`Asterisk ${asterisk.version} (${bin}) in ${asterisk.dir}; scratch ${scratch}; Redis ${throwaway ? 'throwaway' : 'REDIS_URL'}`);
  try {
    // the suite logs every dialplan step to a file (verbose 3): at hundreds of calls a second that
    // writing is Asterisk's work, not the paths', so the bench keeps notices and worse
    const logger = join(asterisk.dir, 'etc/logger.conf');
    writeFileSync(logger, readFileSync(logger, 'utf8').replace(/^messages\s*=>.*$/m, 'messages => notice,warning,error'));
    await asterisk.start();
    await Promise.all(phones.map((p) => p.start({ kind: 'answer', answerMs: plan.answerMs, talkMs: plan.talkMs }, false)));

    const profDir = fileURLToPath(new URL('../profiles/asterisk', import.meta.url));
    if (opts['cpu-prof']) mkdirSync(profDir, { recursive: true });
    const prof = opts['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
    /** the two ARI apps, connected as `user` */
    const startApps = async (user: typeof PLAIN_USER | typeof CRYPT_USER): Promise<Partial<Record<PathName, Child>>> => {
      const apps: Partial<Record<PathName, Child>> = {};
      const logDir = scratch;
      const sets = Array.from({ length: plan.sets }, (_, i) => `PJSIP/${setName(i + 1)}`);
      if (plan.paths.includes('minimal')) {
        apps.minimal = await Child.start('minimal', fileURLToPath(new URL('./minimal-app.ts', import.meta.url)), {
          logDir, nodeArgs: prof, args: [JSON.stringify({ url: asterisk.ariUrl, user: user.ariUser, password: user.ariPassword, app: MINIMAL_APP, sets })],
        });
        children.push(apps.minimal);
      }
      if (plan.paths.includes('attendant')) {
        const prefix = `bench-ast:${randomUUID().slice(0, 8)}:`;
        prefixes.push(prefix);
        const config = attendantConfig({ ariUrl: asterisk.ariUrl, redisUrl, prefix, logLevel: opts.log, ...user }, plan.sets);
        apps.attendant = await Child.start('attendant', fileURLToPath(new URL('../controller-process.ts', import.meta.url)), {
          logDir, nodeArgs: prof, env: { ATTENDANT_PROBE: '1' }, args: [JSON.stringify({ config, autoLogin: true })],
        });
        children.push(apps.attendant);
      }
      return apps;
    };

    const phases: PhaseResult[] = [];
    let bench = new Bench(asterisk, await startApps(PLAIN_USER), dumpcap, scratch);
    say(`warming up: ${plan.warm.calls} calls at ${plan.warm.rate}/s on each path`);
    for (const path of plan.paths) {
      const warm = await bench.phase(path, { kind: 'rate', rate: plan.warm.rate, durationMs: (plan.warm.calls / plan.warm.rate) * 1000 });
      if (!warm.presentation.count) throw new Error(`${path}: no call of the warm-up reached a set (logs in ${scratch})`);
    }
    // each load in rounds over the paths (their order reversed every other round): a drift in the machine's speed falls on all of them alike
    const loads: Load[] = [{ kind: 'sequential', calls: plan.sequential }, ...plan.rates.map((rate): Load => ({ kind: 'rate', rate, durationMs: plan.durationMs }))];
    for (const load of loads) {
      say(load.kind === 'sequential' ? `${load.calls} calls one after another` : `${load.rate} calls/s for ${load.durationMs / 1000} s`);
      phases.push(...await bench.inRounds(plan.paths, load, plan.rounds));
    }
    const sustained: AsteriskBenchResults['sustained'] = {};
    for (const path of plan.paths) {
      say(`highest rate sustained on ${path}`);
      const tried = phases.filter((p) => p.path === path && p.load.kind === 'rate').map((p) => ({ rate: (p.load as { rate: number }).rate, sustained: p.sustained }));
      sustained[path] = await searchSustained(tried, plan.search.steps, plan.search.cap, async (rate) => {
        // at least 300 calls (up to 30 s): with 80, the p99 is the slowest call, and one stall decides
        const durationMs = Math.max(plan.search.durationMs, Math.min(30_000, (300 / rate) * 1000));
        const r = await bench.phase(path, { kind: 'rate', rate, durationMs });
        phases.push({ ...r, search: true });
        return r.sustained;
      });
    }
    const cryptPaths = plan.paths.filter((p) => p !== 'dial');
    if (!opts['no-crypt'] && cryptPaths.length) {
      say('the shipped ARI user (SHA-512 crypt password): sequential and the first rate');
      for (const c of children.splice(0)) await c.stop();
      bench = new Bench(asterisk, await startApps(CRYPT_USER), dumpcap, scratch);
      for (const load of loads.slice(0, 2)) phases.push(...await bench.inRounds(cryptPaths, load, plan.rounds, 'crypt'));
    }

    const results: AsteriskBenchResults = {
      date: new Date().toISOString(),
      asterisk: asterisk.version,
      machine: { cpus: cpus().length, node: process.version, loadavgBefore, loadavgAfter: loadavg().map((x) => round(x)) },
      settings: {
        sets: plan.sets, answerMs: plan.answerMs, talkMs: plan.talkMs, giveUpMs: plan.giveUpMs, sequential: plan.sequential, sequentialRate: plan.sequentialRate,
        rates: plan.rates, durationMs: plan.durationMs, rounds: plan.rounds, ariUser: 'plain password (bench/asterisk/overlay/ari.conf); crypt rows: the shipped SHA-512 crypt', measuredBy: 'dumpcap on lo, kernel timestamps',
      },
      phases, sustained,
    };
    const out = opts.out ?? fileURLToPath(new URL(`./results/${results.date.replace(/[:.]/g, '-')}.json`, import.meta.url));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${formatReport(results)}\nwritten to ${out}\n`);
    done = true;
  } finally {
    Capture.killAll();
    await stopAll();
    await redis.close(prefixes).catch(() => undefined);
    await throwaway?.stop();
    // a failed run keeps Asterisk's folder and the apps' logs to read
    if (done && !opts['keep-logs']) {
      asterisk.remove();
      removeScratch();
      rmSync(scratch, { recursive: true, force: true });
    } else {
      say(`kept: Asterisk's folder ${asterisk.dir}, the apps' logs and captures in ${scratch}`);
    }
  }
}

main().catch((err: unknown) => {
  say(`failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
