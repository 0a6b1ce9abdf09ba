// The simulated Asterisk of the benchmark, in its own process and in real time, with the caller
// generator beside it (calls are placed without an HTTP hop) and the presentation clock: from a
// call placed to the first leg for it ringing at a set (SimCore.probe).
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { startSimulator, type Behaviour } from '../lib/sim/index.ts';
import { serve } from './ipc.ts';
import type { LoadRequest, LoadResult, SimSetup } from './protocol.ts';

const setup = JSON.parse(process.argv[2] ?? '{}') as SimSetup;
const endpoints: Record<string, Behaviour & { context?: string }> = { 'PJSIP/pstn': { kind: 'answer', afterMs: 0 } };
for (const device of setup.devices) endpoints[device] = { kind: 'random', minMs: setup.answerMinMs, maxMs: setup.answerMaxMs, context: 'from-attendant' };
const sim = await startSimulator({ port: 0, user: setup.user, password: setup.password, seed: setup.seed, endpoints });

interface Trace { placedAt: number; ringAt?: number; continuedAt?: number; counted: boolean }
/** callers of the running load, by channel id */
let traces = new Map<string, Trace>();
/** callers placed and not yet hung up by the generator */
const live = new Set<string>();
let callerSeq = 0;

sim.core.probe = {
  ringing(channelId) {
    // presentation legs are `<callerId>-p<n>`, for the controller and the baseline alike
    const t = traces.get(channelId.replace(/-p\d+$/, ''));
    if (t && t.ringAt === undefined) t.ringAt = performance.now();
  },
  continued(channelId) {
    // a caller handed back to the dialplan (the controller's admission control, a divert)
    const t = traces.get(channelId);
    if (t && t.continuedAt === undefined && t.ringAt === undefined) t.continuedAt = performance.now();
  },
};

/** events sent to apps, by type: counted by wrapping the one place they leave from */
const eventsSent: Record<string, number> = {};
const deliver = sim.core.deliver.bind(sim.core);
sim.core.deliver = (app, event) => {
  const type = String(event.type);
  eventsSent[type] = (eventsSent[type] ?? 0) + 1;
  deliver(app, event);
};

function place(app: string, group: string): string {
  const id = sim.placeCall({
    from: 'PJSIP/pstn', callerNumber: `0155${String(++callerSeq % 1_000_000).padStart(6, '0')}`, callerName: 'Bench',
    context: 'from-pstn', exten: '0', app, appArgs: ['external', group],
  });
  live.add(id);
  return id;
}

function hangup(id: string): void {
  if (!live.delete(id)) return;
  try { sim.hangupCaller(id); } catch { /* already gone (diverted, or hung up by the app) */ }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Offer `rate` calls per second for `durationMs`, each caller hanging up `holdMs` after it was placed. */
async function load(req: LoadRequest): Promise<LoadResult> {
  traces = new Map();
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const cpu0 = process.cpuUsage();
  const requests0 = sim.requests().byRoute;
  const events0 = { ...eventsSent };
  const start = performance.now();
  let placed = 0;
  for (;;) {
    const elapsed = performance.now() - start;
    if (elapsed >= req.durationMs) break;
    const due = Math.min(Math.floor((req.rate * elapsed) / 1000) + 1, Math.ceil((req.rate * req.durationMs) / 1000));
    while (placed < due) {
      const placedAt = performance.now();
      const id = place(req.app, req.groups[placed % req.groups.length]!);
      traces.set(id, { placedAt, counted: placedAt - start >= req.warmupMs });
      setTimeout(() => hangup(id), req.holdMs);
      placed++;
    }
    await sleep(1);
  }
  const offeredMs = performance.now() - start;
  await sleep(req.holdMs + 100);
  lag.disable();
  const cpu = process.cpuUsage(cpu0);
  const latenciesMs: number[] = [];
  const handedBackMs: number[] = [];
  let counted = 0;
  let presented = 0;
  for (const t of traces.values()) {
    if (t.ringAt !== undefined) presented++;
    if (!t.counted) continue;
    counted++;
    if (t.ringAt !== undefined) latenciesMs.push(t.ringAt - t.placedAt);
    else if (t.continuedAt !== undefined) handedBackMs.push(t.continuedAt - t.placedAt);
  }
  traces = new Map();
  return {
    placed, offeredMs, counted, presented, latenciesMs, handedBackMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    requestsByRoute: perCall(sim.requests().byRoute, requests0, placed),
    eventsByType: perCall(eventsSent, events0, placed),
    lagP99Ms: lag.percentile(99) / 1e6,
  };
}

/** Place `count` callers who wait (never hang up by themselves), a slice per event-loop turn. */
/** per placed call, by key (route, event type), since `before` */
function perCall(now: Record<string, number>, before: Record<string, number>, calls: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [route, n] of Object.entries(now)) {
    const d = n - (before[route] ?? 0);
    if (d > 0) out[route] = Math.round((d / Math.max(1, calls)) * 100) / 100;
  }
  return out;
}

async function placeWaiting(req: { app: string; group: string; count: number }): Promise<number> {
  for (let i = 0; i < req.count; i++) {
    place(req.app, req.group);
    if (i % 100 === 99) await new Promise((r) => setImmediate(r));
  }
  return live.size;
}

async function hangupAll(): Promise<number> {
  let n = 0;
  for (const id of [...live]) {
    hangup(id);
    if (++n % 200 === 0) await new Promise((r) => setImmediate(r));
  }
  return n;
}

serve({
  load,
  placeWaiting,
  hangupAll,
  /** channels Asterisk still has (callers and legs): 0 once everything is torn down */
  channels: () => sim.core.channels.size,
  stop: async () => { await sim.stop(); },
}, { url: sim.url });
