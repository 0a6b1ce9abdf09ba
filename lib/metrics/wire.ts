// The controller's metrics wired to what it runs: the ledger's batches (counters, latency stamps),
// the switchboard's read model (scrape-time gauges) and the connection events of ARI, AMI and the store.
import type { AriPort } from '../asterisk/port.ts';
import type { Ledger } from '../calls/ledger.ts';
import type { SwitchboardView } from '../calls/view.ts';
import type { Config } from '../config.ts';
import type { ShedReason } from '../domain/admission.ts';
import type { CallRecord } from '../domain/model.ts';
import type { Store } from '../store/store.ts';
import type { AmiPort } from '../supervision/ami-port.ts';
import { countBatch } from './batch-counts.ts';
import { LatencyTracker, timedAriPort } from './latency.ts';
import { AttendantMetrics, type Link } from './registry.ts';

export class ControllerMetrics {
  readonly metrics: AttendantMetrics;
  readonly latency: LatencyTracker;
  private readonly links: Partial<Record<Link, () => boolean>> = {};

  constructor(config: Config) {
    this.metrics = new AttendantMetrics(config);
    this.latency = new LatencyTracker(this.metrics);
  }

  /** the port the switchboard is given: presentation originates timed */
  timedAri(ari: AriPort): AriPort {
    return timedAriPort(ari, this.latency);
  }

  /**
   * every batch once, before it is written: counters from its log lines, arrival stamps; the gauges
   * read the view at scrape time
   */
  watchSwitchboard(sb: { ledger: Pick<Ledger, 'observe'>; view: SwitchboardView }, live: { now(): number; active(): boolean }): void {
    const { view } = sb;
    sb.ledger.observe((b) => {
      const entries = b.logEntries();
      if (entries.length === 0) return;
      const records = new Map<string, CallRecord>();
      for (const c of b.changes) if (c.kind === 'call') records.set(c.call.id, c.call);
      this.metrics.count(countBatch(entries, (id) => records.get(id) ?? view.call(id), this.metrics.bounds));
      for (const e of entries) {
        if (e.callId === undefined) continue;
        if (e.action === 'answer' || e.action === 'end') this.latency.forget(e.callId);
      }
    });
    this.metrics.watch({
      state: view, now: () => live.now(), active: () => live.active(),
      links: () => Object.fromEntries(Object.entries(this.links).map(([link, isUp]) => [link, isUp()])),
    });
  }

  /**
   * the callers' intake: callers handed back by admission control, counted as they are, the backlog at
   * scrape time, and each caller queued on arrival stamped as it is handled (the decision latency)
   */
  watchInbound(inbound: { backlog: number; onShed?: (group: string, reason: ShedReason) => void; onQueued?: (callId: string) => void }): void {
    this.metrics.watchAdmission(() => inbound.backlog);
    inbound.onShed = (group, reason) => this.metrics.shedCall(group, reason);
    inbound.onQueued = (callId) => this.latency.arrived(callId);
  }

  /** ARI: up now from the port; a reconnect is an up after a down (the first connection is not one) */
  watchAri(ari: AriPort): void {
    this.links.ari = () => ari.isConnected();
    this.countReconnects('ari', ari.isConnected(), (fn) => ari.onConnection(fn));
  }

  watchAmi(ami: AmiPort): void {
    this.links.ami = () => ami.isConnected();
    let wasDown = !ami.isConnected();
    ami.on('down', () => { wasDown = true; });
    ami.on('up', () => {
      if (wasDown) this.metrics.reconnected('ami');
      wasDown = false;
    });
  }

  /** a store that reports its connection (Redis); the memory store has no link to watch */
  watchStore(store: Store): void {
    if (!store.onConnection) return;
    let up = true;
    this.links.redis = () => up;
    this.countReconnects('redis', true, (fn) => store.onConnection!(fn), (state) => { up = state; });
  }

  private countReconnects(link: Link, upNow: boolean, subscribe: (fn: (up: boolean) => void) => void, also?: (up: boolean) => void): void {
    let wasDown = !upNow;
    subscribe((up) => {
      also?.(up);
      if (up && wasDown) this.metrics.reconnected(link);
      wasDown = !up;
    });
  }

  scrape(): Promise<{ contentType: string; body: string }> {
    return this.metrics.scrape();
  }
}
