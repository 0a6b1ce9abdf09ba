// The table `npm run bench` prints: one row per rate and target, then the search and the targets.
import type { BenchResults, PhaseResult } from './results.ts';

/** columns padded to their widest cell: the first left-aligned, the others right-aligned */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const ms = (x: number | undefined) => (x === undefined ? '-' : x.toFixed(2));
const lat = (l: { p50: number; p99: number; max: number } | null) => (l ? `${ms(l.p50)}/${ms(l.p99)}/${ms(l.max)}` : '-');

function row(label: string, p: PhaseResult, ratio?: string): string[] {
  return [
    label, `${p.rate}`, p.offeredRate.toFixed(0), lat(p.decision), lat(p.presentation), ratio ?? '', `${(p.presentedRatio * 100).toFixed(1)}`,
    `${p.presentedFastPerSecond}`, p.handedBack.ratio ? `${(p.handedBack.ratio * 100).toFixed(1)} % / ${ms(p.handedBack.latency.p99)}` : '-',
    p.cpuMsPerCall.toFixed(2), p.redis ? `${p.redis.roundTripsPerCall}/${p.redis.requestsPerCall}/${p.redis.serverCommandsPerCall}` : '-',
    `${p.sim.requestsPerCall}/${p.sim.eventsPerCall}`, p.ariFramesPerCall === null ? '-' : `${p.ariFramesPerCall}`, p.backlog ? `${p.backlog.max}${p.backlog.growing ? ' grows' : ''}` : '-', `${p.sim.cpuPercent}`,
    p.sustained ? 'yes' : 'no',
  ];
}

export function formatTable(r: BenchResults): string {
  const header = ['run', 'rate/s', 'offered', 'decision ms p50/p99/max', 'presentation ms p50/p99/max', 'ratio p50/p99', 'presented %', 'in 50 ms/s', 'handed back % / p99 ms',
    'CPU ms/call', 'Redis trips/writes/server cmds', 'ARI req/events', 'events in/call', 'backlog max', 'sim CPU %', 'sustained'];
  const rows: string[][] = [];
  for (const x of r.rates) {
    rows.push(row('controller', x.controller, `${x.ratio.p50}/${x.ratio.p99}`));
    rows.push(row('baseline', x.baseline));
  }
  const steps = r.sustained.steps.map((s) => `${s.rate}/s ${s.sustained ? 'ok' : 'no'} (p99 ${ms(s.p99)} ms, ${(s.presentedRatio * 100).toFixed(1)} %)`).join(', ');
  const targets = Object.values(r.targets).map((t) => `  ${t.met ? 'met    ' : 'NOT met'}  ${t.target}: ${t.measured ?? '-'}${t.atRate ? ` (at ${t.atRate}/s)` : ''}`);
  return [
    `Attendant benchmark${r.quick ? ' (quick)' : ''}: ${r.settings.attendants} attendants in ${r.settings.groups.length} groups, answer after ${r.settings.answerDelayMs.join('-')} ms, callers hang up ${r.settings.holdMs} ms after placing; ${r.machine.cpus} CPUs, load average ${r.machine.loadavgBefore.join(' ')} before, ${r.machine.loadavgAfter.join(' ')} after`,
    '',
    table(header, rows),
    '',
    `highest rate sustained (p99 presentation < 50 ms, >= 99 % presented, no growing backlog): ${r.sustained.rate}/s${r.sustained.below ? ` (${r.sustained.below}/s was not)` : ''}`,
    `  steps: ${steps}`,
    `heap per waiting call: ${r.heap.bytesPerCall} bytes (${r.heap.waitingCalls} callers waiting)`,
    'targets:',
    ...targets,
  ].join('\n');
}
