// npm run bench [-- --quick] [--out file] [--cpu-prof] [--log level] [--rates 50,200,500] [--duration seconds]
//                 [--heap-calls 10000] [--search-steps 4] [--admission-backlog n] [--admission-wait seconds] [--keep-logs] [--verbose]
// The ARI simulator, the controller and a stateless baseline app as separate processes on real
// Redis; offered rates of 50, 200 and 500 calls/s, then a search for the highest rate sustained,
// then the heap of 10,000 waiting callers. Prints a table and writes bench/results.json.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startThrowawayRedis, type ThrowawayRedis } from '../scripts/redis-server.mjs';
import type { ProbeReport } from '../lib/asterisk/probe.ts';
import { growing, round, searchSustained, summarise } from './figures.ts';
import { Child } from './ipc.ts';
import type { ControllerSample, LoadResult, SimSetup } from './protocol.ts';
import { RedisWatch } from './redis-stats.ts';
import { formatTable } from './report.ts';
import { TARGETS, type BenchResults, type PhaseResult, type Target } from './results.ts';
import {
  ARI_PASSWORD, ARI_USER, BASELINE_APP, CONTROLLER_APP, controllerConfig, devices, GROUPS, HEAP_APP, HEAP_GROUP, heapConfig,
} from './setup.ts';

interface Plan {
  attendants: number;
  rates: number[];
  durationMs: number;
  warmupMs: number;
  holdMs: number;
  answerMs: [number, number];
  /** a short unreported load first, so the JIT has run before anything is measured */
  warm: { rate: number; durationMs: number };
  search: { durationMs: number; steps: number; cap: number };
  heapCalls: number;
}

const FULL: Plan = {
  attendants: 200, rates: [50, 200, 500], durationMs: 10_000, warmupMs: 1000, holdMs: 250, answerMs: [20, 120],
  warm: { rate: 100, durationMs: 2000 }, search: { durationMs: 6000, steps: 4, cap: 2000 }, heapCalls: 10_000,
};
const QUICK: Plan = {
  attendants: 200, rates: [20], durationMs: 1500, warmupMs: 300, holdMs: 200, answerMs: [10, 50],
  warm: { rate: 20, durationMs: 300 }, search: { durationMs: 800, steps: 1, cap: 100 }, heapCalls: 300,
};

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    log: { type: 'string', default: 'warn' },
    rates: { type: 'string' },
    duration: { type: 'string' },
    'heap-calls': { type: 'string' },
    'search-steps': { type: 'string' },
    // the controller's admission control (default: the configuration's defaults)
    'admission-backlog': { type: 'string' },
    'admission-wait': { type: 'string' },
    'keep-logs': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const plan: Plan = {
  ...(opts.quick ? QUICK : FULL),
  ...(opts.rates ? { rates: opts.rates.split(',').map(Number) } : {}),
  ...(opts.duration ? { durationMs: Number(opts.duration) * 1000 } : {}),
  ...(opts['heap-calls'] ? { heapCalls: Number(opts['heap-calls']) } : {}),
};
if (opts['search-steps']) plan.search = { ...plan.search, steps: Number(opts['search-steps']) };
const admission = () => (opts['admission-backlog'] || opts['admission-wait'] ? {
  ...(opts['admission-backlog'] ? { backlog: Number(opts['admission-backlog']) } : {}),
  ...(opts['admission-wait'] ? { maxWait: Number(opts['admission-wait']) } : {}),
} : undefined);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
const entry = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

async function until(what: string, cond: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) { say(`gave up waiting for ${what}`); return false; }
    await sleep(100);
  }
  return true;
}

class Bench {
  constructor(
    private readonly sim: Child,
    private readonly controller: Child,
    private readonly baseline: Child,
    private readonly redis: RedisWatch,
  ) {}

  /** one load on one target: everything measured, then everything torn down */
  async phase(target: 'controller' | 'baseline', rate: number, durationMs: number, warmingUp = false): Promise<PhaseResult> {
    const { sim, controller, redis } = this;
    const app = target === 'controller' ? CONTROLLER_APP : BASELINE_APP;
    const before = await controller.ask<ControllerSample>('sample');
    const baseCpu0 = target === 'baseline' ? await this.baseline.ask<number>('cpuMs') : 0;
    const server0 = await redis.commands();
    const redisCpu0 = await redis.cpuMs();
    const frames0 = (await controller.ask<ProbeReport>('probe')).framesTotal;

    // backlog samples while the calls are offered, after the warm-up
    const started = Date.now();
    const backlog: number[] = [];
    let lag = 0;
    let offering = true;
    const sampler = (async () => {
      while (offering) {
        await sleep(250);
        const s = await controller.ask<ControllerSample>('sample');
        const t = Date.now() - started;
        lag = Math.max(lag, s.lagP99Ms);
        if (opts.verbose) say(`  ${t} ms: ${JSON.stringify({ calls: s.calls, waiting: s.waiting, storeBacklog: s.backlog, admission: s.admission, shed: s.shed, ariSteps: s.serialActive, attendants: s.attendants, lagP99Ms: s.lagP99Ms })}`);
        if (t >= plan.warmupMs && t <= durationMs) backlog.push(s.waiting + s.backlog + s.admission);
      }
    })();
    const warmCut = sleep(plan.warmupMs).then(() => controller.ask('probe'));
    const load = await sim.ask<LoadResult>('load', {
      app, groups: GROUPS, rate, durationMs, holdMs: plan.holdMs, warmupMs: plan.warmupMs,
    });
    offering = false;
    await Promise.all([sampler, warmCut]);
    const probe = await controller.ask<ProbeReport>('probe');
    const drained = await until('the calls to end', async () =>
      (await sim.ask<number>('channels')) === 0 && (await controller.ask<ControllerSample>('sample')).calls === 0, 20_000);
    const after = await controller.ask<ControllerSample>('sample');
    const frames1 = (await controller.ask<ProbeReport>('probe')).framesTotal;
    const server1 = await redis.commands();
    const redisCpu1 = await redis.cpuMs();
    const cpuMs = target === 'controller' ? after.cpuMs - before.cpuMs : (await this.baseline.ask<number>('cpuMs')) - baseCpu0;

    const presentation = summarise(load.latenciesMs);
    const presentedRatio = load.counted ? presentation.count / load.counted : 0;
    const countedSeconds = Math.max(0.001, (durationMs - plan.warmupMs) / 1000);
    const handedBack = summarise(load.handedBackMs);
    const offeredRate = load.placed / (load.offeredMs / 1000);
    const presentedAll = load.presented;
    const isController = target === 'controller';
    const grew = growing(backlog);
    const result: PhaseResult = {
      target, rate, offeredRate: round(offeredRate, 1), placed: load.placed, counted: load.counted,
      presentedRatio: round(presentedRatio, 4), presentation,
      presentedFastPerSecond: round(load.latenciesMs.filter((x) => x < 50).length / countedSeconds, 1),
      handedBack: { ratio: round(load.counted ? handedBack.count / load.counted : 0, 4), latency: handedBack },
      lostRatio: round(load.counted ? (load.counted - presentation.count - handedBack.count) / load.counted : 0, 4),
      decision: isController ? summarise(probe.decisionsMs) : null,
      cpuMsPerCall: round(cpuMs / Math.max(1, load.placed), 3),
      redis: isController && before.redis && after.redis && presentedAll > 0 ? {
        requestsPerCall: round((after.redis.roundTrips - before.redis.roundTrips) / presentedAll),
        commandsPerCall: round((after.redis.commands - before.redis.commands) / presentedAll),
        roundTripsPerCall: round((after.storeFlights - before.storeFlights) / presentedAll),
        serverCommandsPerCall: round((server1 - server0) / presentedAll),
        serverCpuMsPerCall: round((redisCpu1 - redisCpu0) / presentedAll, 3),
      } : null,
      backlog: isController ? { max: Math.max(0, ...backlog), growing: grew } : null,
      controllerLagP99Ms: isController ? round(lag) : null,
      ariFramesPerCall: isController ? round((frames1 - frames0) / Math.max(1, load.placed), 1) : null,
      sim: {
        cpuPercent: round((load.cpuMs / load.offeredMs) * 100, 1),
        cpuMsPerCall: round(load.cpuMs / Math.max(1, load.placed), 3),
        requestsPerCall: round(Object.values(load.requestsByRoute).reduce((a, b) => a + b, 0)),
        requestsByRoute: load.requestsByRoute,
        eventsPerCall: round(Object.values(load.eventsByType).reduce((a, b) => a + b, 0)),
        eventsByType: load.eventsByType,
        lagP99Ms: round(load.lagP99Ms),
      },
      drained,
      sustained: presentation.p99 < 50 && presentedRatio >= 0.99 && !grew && offeredRate >= 0.95 * rate,
    };
    if (!warmingUp) {
      say(`${target} at ${rate}/s: presentation p99 ${presentation.p99} ms, ${(presentedRatio * 100).toFixed(1)} % presented${result.decision ? `, decision p99 ${result.decision.p99} ms` : ''}, ${result.sustained ? 'sustained' : 'NOT sustained'}`);
      if (handedBack.count) say(`  ${result.presentedFastPerSecond}/s presented within 50 ms; ${(result.handedBack.ratio * 100).toFixed(1)} % handed back to the dialplan (p99 ${handedBack.p99} ms, max ${handedBack.max} ms); ${(result.lostRatio * 100).toFixed(1)} % neither; backlog max ${result.backlog?.max ?? '-'}${grew ? ' (grows)' : ''}`);
    }
    return result;
  }

  /** the highest rate sustained: up from the best fixed rate until one fails, then bisect */
  async search(tried: Map<number, PhaseResult>): Promise<BenchResults['sustained']> {
    const found = await searchSustained([...tried.values()], plan.search.steps, plan.search.cap, async (rate) => {
      const r = await this.phase('controller', rate, plan.search.durationMs);
      tried.set(rate, r);
      return r.sustained;
    });
    const steps = [...tried.values()].sort((a, b) => a.rate - b.rate)
      .map((r) => ({ rate: r.rate, sustained: r.sustained, p99: r.presentation.p99, presentedRatio: r.presentedRatio }));
    return { ...found, steps };
  }
}

/** heap per waiting caller: a controller (no probe) whose only attendant is logged out, N callers placed */
async function measureHeap(sim: Child, site: Parameters<typeof heapConfig>[0], logDir: string, prof: string[]): Promise<BenchResults['heap']> {
  const ctl = await Child.start('controller-heap', entry('controller-process.ts'), {
    logDir, nodeArgs: ['--expose-gc', ...prof], args: [JSON.stringify({ config: heapConfig(site), autoLogin: false })],
  });
  try {
    const h0 = await ctl.ask<number>('heap');
    const t0 = Date.now();
    await sim.ask('placeWaiting', { app: HEAP_APP, group: HEAP_GROUP, count: plan.heapCalls });
    let waiting = 0;
    await until('every caller to wait', async () => {
      const s = await ctl.ask<ControllerSample>('sample');
      waiting = s.waiting;
      return s.waiting === plan.heapCalls && s.serialActive === 0 && s.backlog === 0;
    }, 120_000);
    say(`${waiting} callers waiting after ${Date.now() - t0} ms`);
    const h1 = await ctl.ask<number>('heap');
    await sim.ask('hangupAll');
    await until('the waiting callers to leave', async () =>
      (await sim.ask<number>('channels')) === 0 && (await ctl.ask<ControllerSample>('sample')).calls === 0, 60_000);
    return { waitingCalls: waiting, bytesPerCall: Math.round((h1 - h0) / Math.max(1, waiting)) };
  } finally {
    await ctl.stop();
  }
}

function closest(rates: BenchResults['rates'], rate: number) {
  return [...rates].sort((a, b) => Math.abs(a.rate - rate) - Math.abs(b.rate - rate))[0]!;
}

function targets(r: Omit<BenchResults, 'targets'>): BenchResults['targets'] {
  const at200 = closest(r.rates, TARGETS.decisionAtRate);
  const target = (text: string, measured: number | null, met: boolean, atRate?: number): Target => ({ target: text, measured, met, ...(atRate ? { atRate } : {}) });
  const decision = at200.controller.decision?.p99 ?? null;
  const trips = at200.controller.redis?.roundTripsPerCall ?? null;
  return {
    decisionP99: target(`decision p99 < ${TARGETS.decisionP99Ms} ms at ${TARGETS.decisionAtRate} calls/s`, decision, decision !== null && decision < TARGETS.decisionP99Ms, at200.rate),
    redisRoundTrips: target(`<= ${TARGETS.redisRoundTrips} Redis round trips per presented call`, trips, trips !== null && trips <= TARGETS.redisRoundTrips, at200.rate),
    heapPerWaitingCall: target(`< ${TARGETS.heapBytes} heap bytes per waiting call`, r.heap.bytesPerCall, r.heap.bytesPerCall < TARGETS.heapBytes),
    sustainedRate: target(`>= ${TARGETS.sustainedRate} calls/s sustained`, r.sustained.rate, r.sustained.rate >= TARGETS.sustainedRate),
  };
}

async function main(): Promise<void> {
  const logDir = mkdtempSync(join(tmpdir(), 'attendant-bench-'));
  const profDir = entry('profiles');
  if (opts['cpu-prof']) mkdirSync(profDir, { recursive: true });
  const prof = opts['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
  const loadavgBefore = loadavg().map((x) => round(x));
  let throwaway: ThrowawayRedis | undefined;
  const redisUrl = process.env.REDIS_URL ?? (throwaway = await startThrowawayRedis()).url;
  const prefix = `bench:${randomUUID().slice(0, 8)}:`;
  const heapPrefix = `bench:${randomUUID().slice(0, 8)}:`;
  const redis = await RedisWatch.connect(redisUrl);
  const children: Child[] = [];
  // interrupted: nothing of ours is left running (the children, the throwaway Redis)
  const interrupted = (sig: NodeJS.Signals) => {
    for (const c of children) c.kill();
    void (throwaway?.stop() ?? Promise.resolve()).then(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  say(`logs in ${logDir}; Redis ${throwaway ? 'throwaway' : 'REDIS_URL'}; ${plan.attendants} attendants`);
  try {
    const simSetup: SimSetup = {
      user: ARI_USER, password: ARI_PASSWORD, seed: 9, devices: devices(plan.attendants), answerMinMs: plan.answerMs[0], answerMaxMs: plan.answerMs[1],
    };
    const sim = await Child.start<{ url: string }>('simulator', entry('sim-process.ts'), { logDir, nodeArgs: prof, args: [JSON.stringify(simSetup)] });
    children.push(sim);
    const { url } = await sim.ready;
    const site = { ariUrl: url, redisUrl, prefix, logLevel: opts.log };
    const controller = await Child.start('controller', entry('controller-process.ts'), {
      logDir, env: { ATTENDANT_PROBE: '1' }, nodeArgs: prof,
      args: [JSON.stringify({ config: controllerConfig(site, plan.attendants, admission()), autoLogin: true })],
    });
    children.push(controller);
    const baseline = await Child.start('baseline', entry('baseline-process.ts'), {
      logDir, args: [JSON.stringify({ url, user: ARI_USER, password: ARI_PASSWORD, app: BASELINE_APP, devices: devices(plan.attendants) })],
    });
    children.push(baseline);
    const bench = new Bench(sim, controller, baseline, redis);

    say(`warming up at ${plan.warm.rate}/s`);
    await bench.phase('controller', plan.warm.rate, plan.warm.durationMs, true);
    await bench.phase('baseline', plan.warm.rate, plan.warm.durationMs, true);

    const rates: BenchResults['rates'] = [];
    const tried = new Map<number, PhaseResult>();
    for (const rate of plan.rates) {
      const c = await bench.phase('controller', rate, plan.durationMs);
      const b = await bench.phase('baseline', rate, plan.durationMs);
      tried.set(rate, c);
      const ratio = (x: number, y: number) => (y > 0 ? round(x / y) : 0);
      rates.push({ rate, controller: c, baseline: b, ratio: { p50: ratio(c.presentation.p50, b.presentation.p50), p99: ratio(c.presentation.p99, b.presentation.p99) } });
    }
    const sustained = await bench.search(tried);
    say(`heap with ${plan.heapCalls} waiting callers`);
    const heap = await measureHeap(sim, { ...site, prefix: heapPrefix }, logDir, prof);

    const partial: Omit<BenchResults, 'targets'> = {
      date: new Date().toISOString(), quick: opts.quick ?? false,
      machine: { cpus: cpus().length, node: process.version, loadavgBefore, loadavgAfter: loadavg().map((x) => round(x)) },
      settings: {
        attendants: plan.attendants, groups: GROUPS, answerDelayMs: plan.answerMs, holdMs: plan.holdMs, durationMs: plan.durationMs,
        warmupMs: plan.warmupMs, logLevel: opts.log ?? 'warn', redis: throwaway ? 'throwaway' : 'REDIS_URL',
      },
      rates, sustained, heap,
    };
    const results: BenchResults = { ...partial, targets: targets(partial) };
    const out = opts.out ?? entry('results.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${formatTable(results)}\nwritten to ${out}\n`);
  } finally {
    for (const c of children.reverse()) await c.stop().catch(() => undefined);
    await redis.close([prefix, heapPrefix]).catch(() => undefined);
    await throwaway?.stop();
  }
  if (!opts['keep-logs']) rmSync(logDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  say(`failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
