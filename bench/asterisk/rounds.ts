// A load on one path is measured in rounds, the paths' order reversed every other round (minimal,
// Attendant, Attendant, minimal, ...): this machine's speed drifts over a run, and two paths measured
// one after the other in single long phases read that drift as a difference between them. The
// rounds' samples and counters are pooled into one phase result.
import { round, summarise } from '../figures.ts';
import type { Load, PhaseResult } from './report.ts';
import type { PathName } from './site.ts';

/** what one round of a load on one path measured: samples and counters, not yet figures */
export interface RoundMeasure {
  path: PathName;
  user: PhaseResult['user'];
  /** this round's share of the load */
  load: Load;
  /** callers' INVITEs seen, and the span from the first to the last, ms */
  offered: number;
  spanMs: number;
  /** caller's INVITE → the set's first INVITE, ms, one per presented call */
  latenciesMs: number[];
  /** Attendant's own decision times (the probe), ms */
  decisionsMs?: number[];
  /** the app's and Asterisk's CPU over the round, ms (null: no app on this path) */
  cpuMs: number | null;
  asteriskCpuMs: number;
  ariRequests: number;
  captureDropped: number;
  httpSessionLimitWarnings: number;
  drained: boolean;
}

/** the order of the paths in round `r` (0-based): as given, then reversed, and so on */
export function roundOrder<T>(paths: readonly T[], r: number): T[] {
  return r % 2 ? [...paths].reverse() : [...paths];
}

/** one round's share of a load: its calls, or its duration, divided evenly */
export function roundShare(load: Load, rounds: number): Load {
  return load.kind === 'sequential'
    ? { kind: 'sequential', calls: Math.max(1, Math.round(load.calls / rounds)) }
    : { kind: 'rate', rate: load.rate, durationMs: Math.round(load.durationMs / rounds) };
}

/** the rounds of one path under one load pooled into one result, reported as the whole `load` */
export function pooled(load: Load, parts: readonly RoundMeasure[]): PhaseResult {
  const first = parts[0];
  if (!first) throw new Error('no round to pool');
  const sum = (f: (m: RoundMeasure) => number) => parts.reduce((s, m) => s + f(m), 0);
  const offered = sum((m) => m.offered);
  const presentation = summarise(parts.flatMap((m) => m.latenciesMs));
  const decisions = parts.flatMap((m) => m.decisionsMs ?? []);
  const presentedRatio = offered ? presentation.count / offered : 0;
  // the rate each round really offered, weighted by its calls
  const offeredRate = offered ? sum((m) => (m.spanMs > 0 ? ((m.offered - 1) / (m.spanMs / 1000)) * m.offered : 0)) / offered : 0;
  const calls = load.kind === 'sequential' ? load.calls : Math.round((load.rate * load.durationMs) / 1000);
  const perCall = (x: number) => round(x / Math.max(1, offered), 3);
  return {
    path: first.path, user: first.user, load, offered, offeredRate: round(offeredRate, 1),
    presentedRatio: round(presentedRatio, 4), presentation, ...(decisions.length ? { decision: summarise(decisions) } : {}),
    cpuMsPerCall: first.cpuMs === null ? null : perCall(sum((m) => m.cpuMs ?? 0)),
    asteriskCpuMsPerCall: perCall(sum((m) => m.asteriskCpuMs)),
    ariRequestsPerCall: round(sum((m) => m.ariRequests) / Math.max(1, offered), 2),
    captureDropped: sum((m) => m.captureDropped),
    httpSessionLimitWarnings: sum((m) => m.httpSessionLimitWarnings),
    drained: parts.every((m) => m.drained),
    sustained: presentation.p99 < 50 && presentedRatio >= 0.99 && offered >= 0.95 * calls && (load.kind === 'sequential' || offeredRate >= 0.95 * load.rate),
    ...(parts.length > 1 ? { rounds: parts.map((m) => { const l = summarise(m.latenciesMs); return { p50: l.p50, p99: l.p99 }; }) } : {}),
  };
}
