// The real-Asterisk bench's results (the JSON it writes) and the table it prints: one block per
// load, a row per path, then Attendant ÷ the minimal app, then the highest rate each path sustained.
import type { Latency } from '../figures.ts';
import { table } from '../report.ts';
import { PATH_LABELS, type PathName } from './site.ts';

export type Load = { kind: 'sequential'; calls: number } | { kind: 'rate'; rate: number; durationMs: number };

export interface PhaseResult {
  path: PathName;
  /** the ARI user the app logged in as: the bench's plain password, or the shipped crypt one */
  user: 'plain' | 'crypt';
  load: Load;
  /** a step of the search for the highest rate sustained */
  search?: boolean;
  /** callers' INVITEs seen on the wire, and the rate they really came at */
  offered: number;
  offeredRate: number;
  /** share of the offered calls a set received an INVITE for */
  presentedRatio: number;
  /** caller's INVITE → the first INVITE a set received, ms (wire timestamps) */
  presentation: Latency;
  /** Attendant only: its caller's StasisStart frame in → its originate request out, ms (the controller's probe) */
  decision?: Latency;
  /** user + system CPU of the ARI app's process from the first call to the last channel gone, per offered call; Dial: null */
  cpuMsPerCall: number | null;
  /** HTTP requests to ARI on the wire (the bench's own excepted) per offered call */
  ariRequestsPerCall: number;
  /** the same for the Asterisk process (every thread; /proc, 10 ms ticks) */
  asteriskCpuMsPerCall: number;
  /** packets dumpcap says it dropped (then a call may be missing from the figures) */
  captureDropped: number;
  /** Asterisk's "HTTP session count exceeded" warnings during the load (ARI requests turned away) */
  httpSessionLimitWarnings: number;
  /** every channel was gone within 15 s of the last call */
  drained: boolean;
  /** ≥ 99 % presented, p99 < 50 ms, ≥ 95 % of the calls and of the rate offered */
  sustained: boolean;
  /** measured in rounds (the paths' order reversed every other round): each round's own figures, the pooled ones above */
  rounds?: Array<{ p50: number; p99: number }>;
}

export interface AsteriskBenchResults {
  date: string;
  asterisk: string;
  machine: { cpus: number; node: string; loadavgBefore: number[]; loadavgAfter: number[] };
  settings: {
    sets: number; answerMs: number; talkMs: number; giveUpMs: number; sequential: number; sequentialRate: number;
    rates: number[]; durationMs: number; rounds: number; ariUser: string; measuredBy: string;
  };
  phases: PhaseResult[];
  /** per path: the highest rate sustained, and the lowest that was not (null: none failed) */
  sustained: Partial<Record<PathName, { rate: number; below: number | null }>>;
}

const loadName = (l: Load) => (l.kind === 'sequential' ? `sequential ×${l.calls}` : `${l.rate}/s`);
const ms = (x: number) => x.toFixed(1);
const times = (a: number | null | undefined, b: number | null | undefined) => (a != null && b ? `${(a / b).toFixed(2)}×` : '-');

function row(p: PhaseResult): string[] {
  const l = p.presentation;
  return [
    `${PATH_LABELS[p.path]}${p.user === 'crypt' ? ' (crypt password)' : ''}`, loadName(p.load), ms(l.p50), ms(l.p90), ms(l.p99),
    `${(p.presentedRatio * 100).toFixed(1)}`, p.cpuMsPerCall === null ? '-' : p.cpuMsPerCall.toFixed(2), p.asteriskCpuMsPerCall.toFixed(2), p.cpuMsPerCall === null ? '-' : p.ariRequestsPerCall.toFixed(1),
    p.httpSessionLimitWarnings ? String(p.httpSessionLimitWarnings) : '', p.load.kind === 'sequential' ? '' : p.sustained ? 'yes' : 'no',
  ];
}

export function formatReport(r: AsteriskBenchResults): string {
  const header = ['path', 'load', 'p50 ms', 'p90 ms', 'p99 ms', 'presented %', 'CPU ms/call', 'Asterisk CPU ms/call', 'ARI req/call', 'HTTP limit', 'sustained'];
  const rows: string[][] = [];
  const fixed = r.phases.filter((p) => !p.search);
  const blocks = [...new Map(fixed.map((p) => [`${p.user} ${loadName(p.load)}`, fixed.filter((q) => q.user === p.user && loadName(q.load) === loadName(p.load))])).values()];
  for (const block of blocks) {
    for (const p of block) rows.push(row(p));
    const a = block.find((p) => p.path === 'attendant');
    const m = block.find((p) => p.path === 'minimal');
    if (a && m) {
      rows.push(['  Attendant ÷ minimal app', '', times(a.presentation.p50, m.presentation.p50), times(a.presentation.p90, m.presentation.p90),
        times(a.presentation.p99, m.presentation.p99), '', times(a.cpuMsPerCall, m.cpuMsPerCall), times(a.asteriskCpuMsPerCall, m.asteriskCpuMsPerCall), times(a.ariRequestsPerCall, m.ariRequestsPerCall), '', '']);
      if (a.rounds && m.rounds && a.rounds.length === m.rounds.length) {
        rows.push(['    each round', '', a.rounds.map((r, i) => times(r.p50, m.rounds![i]!.p50)).join(' '), '', a.rounds.map((r, i) => times(r.p99, m.rounds![i]!.p99)).join(' '), '', '', '', '', '', '']);
      }
    }
  }
  const sustained = Object.entries(r.sustained).map(([path, s]) => {
    const steps = r.phases.filter((p) => p.path === path && p.load.kind === 'rate' && p.user === 'plain')
      .map((p) => `${(p.load as { rate: number }).rate}/s ${p.sustained ? 'ok' : 'no'}`).join(', ');
    return `  ${PATH_LABELS[path as PathName]}: ${s.rate}/s${s.below !== null ? ` (${s.below}/s was not)` : ''}  [${steps}]`;
  });
  const s = r.settings;
  return [
    `Real-Asterisk benchmark: Asterisk ${r.asterisk}, ${s.sets} SIPp sets answering after ${s.answerMs} ms and hanging up after ${s.talkMs} ms; `
      + `${r.machine.cpus} CPUs, load average ${r.machine.loadavgBefore.join(' ')} before, ${r.machine.loadavgAfter.join(' ')} after`,
    `presentation = caller's INVITE → the first INVITE a set received (${s.measuredBy}); ARI user: ${s.ariUser}`,
    `each load in ${s.rounds ?? 1} round(s) per path, the paths' order reversed every other round, the rounds pooled`,
    '',
    table(header, rows),
    '',
    'highest rate sustained (≥ 99 % presented, p99 < 50 ms):',
    ...sustained,
  ].join('\n');
}
