// The controller's Prometheus metrics: one prom-client Registry per controller (two controllers in
// one process, as in the tests, never share a series), with the process metrics (event-loop lag,
// memory, CPU, GC) in one registry per process, collected once however many controllers run.
// Gauges are computed at scrape time from the switchboard's read model (lib/calls/view.ts); counters
// and histograms are fed by wire.ts. Every label value comes from the configuration or an enum, anything else is `other`.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config.ts';
import { ATTENDANT_STATES, CALL_STATES } from '../domain/model.ts';
import type { SwitchboardView } from '../calls/view.ts';
import { SHED_REASONS, type ShedReason } from '../domain/admission.ts';
import { DIVERT_REASONS, OTHER, boundedLabel, type BatchCounts, type CallCounter, type LabelBounds } from './batch-counts.ts';

/** the links whose state is exported; redis only with a Redis store, ami only when configured */
export const LINKS = ['ari', 'ami', 'redis'] as const;
export type Link = (typeof LINKS)[number];

/** what the scrape-time gauges read: the switchboard's state (queues, calls, attendants, store backlog), the clock, the role */
export interface LiveState {
  state: Pick<SwitchboardView, 'queues' | 'call' | 'calls' | 'attendant' | 'storeBacklog'>;
  now(): number;
  /** consuming (true) or fenced (false) */
  active(): boolean;
  /** the links this controller has, and whether each is up now */
  links(): Partial<Record<Link, boolean>>;
}

/** decision and presentation: a caller's StasisStart handled → its first originate sent / accepted; ms to s */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** an answered call's wait; the configured service target is added as a bucket of its own */
export const WAIT_BUCKETS = [1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600];

let processRegistry: Registry | undefined;
/** the process metrics (prom-client's default set), once per process: each collection starts observers that never stop */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const WAITING: ReadonlySet<string> = new Set(['waiting', 'ringing']);

export class AttendantMetrics {
  readonly registry = new Registry();
  readonly bounds: LabelBounds;
  private live: LiveState | undefined;
  private readonly calls: Record<Exclude<CallCounter, 'diverted'>, Counter<'group' | 'class'>>;
  private readonly diverted: Counter<'class' | 'reason'>;
  private readonly answeredWait: Histogram<'group'>;
  private readonly decision: Histogram;
  private readonly presentation: Histogram;
  private readonly reconnects: Counter<'link'>;
  private readonly shed: Counter<'group' | 'reason'>;
  /** callers received and not yet handled (admission control's backlog) */
  private admissionBacklog: () => number = () => 0;

  constructor(private readonly config: Config) {
    const groups = config.groups.map((g) => g.id);
    const classes = config.classes.map((c) => c.id);
    this.bounds = { groups: new Set(groups), classes: new Set(classes) };
    const registers = [this.registry];
    const GC = ['group', 'class'] as const;

    // scrape-time gauges
    const waiting = new Gauge({
      name: 'attendant_calls_waiting', help: 'Calls in the group\'s queue, waiting or ringing at a set', labelNames: ['group'] as const, registers,
      collect: () => { waiting.reset(); for (const [g, n] of this.queueFigures()) waiting.set({ group: g }, n.count); },
    });
    const longest = new Gauge({
      name: 'attendant_longest_wait_seconds', help: 'Wait of the oldest call in the group\'s queue, 0 when none waits', labelNames: ['group'] as const, registers,
      collect: () => { longest.reset(); for (const [g, n] of this.queueFigures()) longest.set({ group: g }, n.longestSeconds); },
    });
    const attendants = new Gauge({
      name: 'attendant_attendants', help: 'Members of the group by attendant state (an attendant in two groups counts in both)', labelNames: ['group', 'state'] as const, registers,
      collect: () => {
        attendants.reset();
        for (const g of this.config.groups) {
          const byState = new Map<string, number>(ATTENDANT_STATES.map((s) => [s, 0]));
          for (const m of g.members) {
            const state = this.live?.state.attendant(m)?.state;
            if (state !== undefined && byState.has(state)) byState.set(state, byState.get(state)! + 1);
          }
          for (const [state, n] of byState) attendants.set({ group: g.id, state }, n);
        }
      },
    });
    const active = new Gauge({
      name: 'attendant_calls_active', help: 'Calls the controller holds, by call state', labelNames: ['state'] as const, registers,
      collect: () => {
        const byState = new Map<string, number>(CALL_STATES.map((s) => [s, 0]));
        for (const c of this.live?.state.calls() ?? []) if (byState.has(c.state)) byState.set(c.state, byState.get(c.state)! + 1);
        for (const [state, n] of byState) active.set({ state }, n);
      },
    });
    const backlog = new Gauge({
      name: 'attendant_store_backlog', help: 'Store batches waiting to be written (grows while Redis is unreachable)', registers,
      collect: () => { backlog.set(this.live?.state.storeBacklog() ?? 0); },
    });
    const role = new Gauge({
      name: 'attendant_active', help: '1 while this controller consumes calls, 0 once fenced (another controller holds the lease)', registers,
      collect: () => { role.set(this.live?.active() ? 1 : 0); },
    });
    const up = new Gauge({
      name: 'attendant_connection_up', help: 'Whether the link to Asterisk (ari, ami) or the store (redis) is up', labelNames: ['link'] as const, registers,
      collect: () => { up.reset(); for (const [link, isUp] of Object.entries(this.live?.links() ?? {})) up.set({ link }, isUp ? 1 : 0); },
    });

    // counters, fed from the ledger's batches
    const family = (counter: Exclude<CallCounter, 'diverted'>, help: string) => new Counter({ name: `attendant_calls_${counter}_total`, help, labelNames: GC, registers });
    this.calls = {
      offered: family('offered', 'Calls queued for the group on arrival (class of the call)'),
      presented: family('presented', 'Presentations of calls to the group\'s sets: one per presentation however many sets ring, again when a call is presented anew'),
      answered: family('answered', 'Calls answered by an attendant (first answer only), by the group the call was in'),
      abandoned: family('abandoned', 'Callers who hung up while waiting or ringing'),
      overflowed: family('overflowed', 'Calls overflowed out of the group (to the group its overflow names)'),
    };
    this.diverted = new Counter({ name: 'attendant_calls_diverted_total', help: 'Arriving calls the distribution table sent away (extension, voicemail, announcement), by reason', labelNames: ['class', 'reason'] as const, registers });
    const target = config.statistics.serviceTargetSeconds;
    this.answeredWait = new Histogram({
      name: 'attendant_answered_wait_seconds', help: `Wait of answered calls, arrival to first answer (the bucket le="${target}" is the service target)`,
      labelNames: ['group'] as const, buckets: [...new Set([...WAIT_BUCKETS, target])].filter((b) => b > 0).sort((a, b) => a - b), registers,
    });
    this.decision = new Histogram({
      name: 'attendant_decision_latency_seconds', help: 'A caller\'s StasisStart handled to its first originate sent, calls presented on arrival only (includes the store write)', buckets: LATENCY_BUCKETS, registers,
    });
    this.presentation = new Histogram({
      name: 'attendant_presentation_latency_seconds', help: 'A caller\'s StasisStart handled to its first presentation leg accepted by Asterisk (ringing), calls presented on arrival only', buckets: LATENCY_BUCKETS, registers,
    });
    this.shed = new Counter({
      name: 'attendant_calls_shed_total', help: 'Callers handed back to the dialplan by admission control (reason backlog: the backlog of calls not yet handled was full; late: one waited there longer than admission.maxWait; store: admission.storeBacklog writes waited for the store)',
      labelNames: ['group', 'reason'] as const, registers,
    });
    const admission = new Gauge({
      name: 'attendant_admission_backlog', help: 'Callers received (StasisStart) and not yet handled; bounded by admission.backlog', registers,
      collect: () => { admission.set(this.admissionBacklog()); },
    });
    this.reconnects = new Counter({ name: 'attendant_reconnects_total', help: 'Links that came back after a drop', labelNames: ['link'] as const, registers });

    // every series the configuration allows starts at 0, so rate() sees the first call
    for (const g of groups) {
      for (const c of classes) for (const counter of ['offered', 'presented', 'answered', 'abandoned', 'overflowed'] as const) this.calls[counter].inc({ group: g, class: c }, 0);
      this.answeredWait.zero({ group: g });
    }
    for (const c of classes) for (const reason of DIVERT_REASONS) this.diverted.inc({ class: c, reason }, 0);
    for (const link of LINKS) this.reconnects.inc({ link }, 0);
    for (const g of groups) for (const reason of SHED_REASONS) this.shed.inc({ group: g, reason }, 0);
  }

  /** admission control's backlog, read at scrape time */
  watchAdmission(backlog: () => number): void {
    this.admissionBacklog = backlog;
  }

  /** a caller handed back by admission control */
  shedCall(group: string, reason: ShedReason): void {
    this.shed.inc({ group: boundedLabel(group, this.bounds.groups), reason });
  }

  /** the live state the gauges read (the switchboard's view exists once the switchboard does) */
  watch(live: LiveState): void {
    this.live = live;
  }

  count(counts: BatchCounts): void {
    for (const i of counts.increments) {
      if (i.counter === 'diverted') this.diverted.inc({ class: i.class, reason: i.reason ?? OTHER });
      else this.calls[i.counter].inc({ group: i.group, class: i.class });
    }
    for (const w of counts.answeredWaits) this.answeredWait.observe({ group: w.group }, w.seconds);
  }

  observeDecision(seconds: number): void {
    this.decision.observe(seconds);
  }

  observePresentation(seconds: number): void {
    this.presentation.observe(seconds);
  }

  reconnected(link: Link): void {
    this.reconnects.inc({ link });
  }

  /** the text format: this controller's families, then the process's */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const own = await this.registry.metrics();
    const proc = await processMetrics().metrics();
    return { contentType: this.registry.contentType, body: `${own}\n${proc}` };
  }

  /** per configured group (and `other` for a queue of a group no longer configured): waiting calls and the longest wait */
  private queueFigures(): Map<string, { count: number; longestSeconds: number }> {
    const out = new Map<string, { count: number; longestSeconds: number }>(this.config.groups.map((g) => [g.id, { count: 0, longestSeconds: 0 }]));
    const live = this.live;
    if (!live) return out;
    const now = live.now();
    for (const [gid, ids] of live.state.queues()) {
      const key = boundedLabel(gid, this.bounds.groups);
      let fig = out.get(key);
      for (const id of ids) {
        const c = live.state.call(id);
        if (!c || !WAITING.has(c.state)) continue;
        if (!fig) out.set(key, (fig = { count: 0, longestSeconds: 0 }));
        fig.count++;
        fig.longestSeconds = Math.max(fig.longestSeconds, Math.max(0, now - c.arrivedAt) / 1000);
      }
    }
    return out;
  }
}
