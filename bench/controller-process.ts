// The controller under test, in its own process: the same startController as `attendant run`,
// plus an IPC reporter (CPU, heap, queue and store backlog, Redis counts, the probe's decisions).
// Run with ATTENDANT_PROBE=1 for decision latencies and --expose-gc for heap figures.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ariProbe } from '../lib/asterisk/probe.ts';
import { parseConfig } from '../lib/config.ts';
import { startController } from '../lib/controller.ts';
import { createLogger } from '../lib/log.ts';
import { RedisStore } from '../lib/store/index.ts';
import { serve } from './ipc.ts';
import type { ControllerSample } from './protocol.ts';

const setup = JSON.parse(process.argv[2] ?? '{}') as { config: unknown; autoLogin: boolean };
const config = parseConfig(setup.config);
const controller = await startController(config, { log: createLogger(config.log.level), autoLogin: setup.autoLogin });
const { ledger, inbound, view } = controller.switchboard;
const lag = monitorEventLoopDelay({ resolution: 5 });
lag.enable();

function sample(): ControllerSample {
  let waiting = 0;
  for (const [, q] of view.queues()) waiting += q.length;
  const attendants: Record<string, number> = {};
  for (const a of view.attendants()) attendants[a.state] = (attendants[a.state] ?? 0) + 1;
  const cpu = process.cpuUsage();
  const out: ControllerSample = {
    calls: view.callCount(), waiting, attendants, backlog: view.storeBacklog(), serialActive: inbound.serial.active,
    admission: inbound.backlog, shed: inbound.shedCount,
    cpuMs: (cpu.user + cpu.system) / 1000, heapUsed: process.memoryUsage().heapUsed,
    redis: controller.store instanceof RedisStore ? controller.store.commandStats() : undefined,
    storeFlights: ledger.flights,
    lagP99Ms: lag.percentile(99) / 1e6,
  };
  lag.reset();
  return out;
}

/** heap after full collections (needs --expose-gc) */
async function heap(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('start the controller with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

serve({
  sample,
  cpuMs: () => sample().cpuMs,
  heap,
  probe: () => ariProbe?.report() ?? { decisionsMs: [], waiting: 0, framesTotal: 0 },
  settle: () => controller.switchboard.settle(),
  stop: () => controller.stop(),
}, { pid: process.pid, probe: ariProbe !== undefined });
