// `npm run bench -- --quick` end to end: the simulator, the controller and the baseline as processes,
// on the suite's Redis. Only that it completes and writes every figure: speeds are the bench's job.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResults, PhaseResult } from '../../bench/results.ts';

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const isLatency = (l: unknown) => ['count', 'p50', 'p99', 'max'].every((k) => typeof (l as Record<string, unknown>)[k] === 'number');

function checkPhase(p: PhaseResult, target: 'controller' | 'baseline'): void {
  assert.equal(p.target, target);
  for (const k of ['rate', 'offeredRate', 'placed', 'counted', 'presentedRatio', 'cpuMsPerCall'] as const) assert.equal(typeof p[k], 'number', `${target}.${k}`);
  assert.ok(p.placed > 0, `${target} placed calls`);
  assert.ok(isLatency(p.presentation), `${target}.presentation`);
  assert.ok(p.presentation.count > 0, `${target} presented calls`);
  for (const k of ['cpuPercent', 'cpuMsPerCall', 'requestsPerCall', 'eventsPerCall', 'lagP99Ms'] as const) assert.equal(typeof p.sim[k], 'number', `${target}.sim.${k}`);
  assert.equal(typeof p.sustained, 'boolean');
  assert.equal(typeof p.drained, 'boolean');
  if (target === 'controller') {
    assert.ok(isLatency(p.decision), 'decision latency');
    assert.ok(p.decision!.count > 0, 'the probe saw decisions');
    for (const k of ['requestsPerCall', 'commandsPerCall', 'roundTripsPerCall', 'serverCommandsPerCall', 'serverCpuMsPerCall'] as const) assert.equal(typeof p.redis?.[k], 'number', `redis.${k}`);
    assert.equal(typeof p.backlog?.max, 'number');
    assert.equal(typeof p.controllerLagP99Ms, 'number');
    assert.ok(typeof p.ariFramesPerCall === 'number' && p.ariFramesPerCall > 0, 'events that reached the controller per call');
  }
}

describe('npm run bench -- --quick', function () {
  this.timeout(240_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'attendant-bench-test-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('given the quick mode, when run, then it completes, prints the table and writes results with every figure', async () => {
    const out = join(dir, 'results.json');
    const { code, output } = await run(['--quick', '--out', out]);
    assert.equal(code, 0, output);
    assert.match(output, /presentation ms p50\/p99\/max/);
    const r = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
    assert.equal(r.quick, true);
    assert.ok(r.rates.length > 0, 'r.rates.length > 0');
    for (const x of r.rates) {
      checkPhase(x.controller, 'controller');
      checkPhase(x.baseline, 'baseline');
      assert.equal(typeof x.ratio.p50, 'number');
      assert.equal(typeof x.ratio.p99, 'number');
    }
    assert.equal(typeof r.sustained.rate, 'number');
    assert.ok(r.sustained.steps.length >= r.rates.length, 'r.sustained.steps.length >= r.rates.length');
    assert.ok(r.heap.waitingCalls > 0 && typeof r.heap.bytesPerCall === 'number', 'r.heap.waitingCalls > 0 && typeof r.heap.bytesPerCall === \'number\'');
    assert.deepEqual(Object.keys(r.targets).sort(), ['decisionP99', 'heapPerWaitingCall', 'redisRoundTrips', 'sustainedRate']);
    for (const t of Object.values(r.targets)) assert.equal(typeof t.met, 'boolean');
    assert.equal(typeof r.machine.cpus, 'number');
  });
});
