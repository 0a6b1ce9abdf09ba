// Decision and presentation latency, measured inside the controller (no probe, no diagnostics
// channel): the arrival is stamped as the caller's StasisStart is handled and it is queued (the intake
// tells it), the originate of its first presentation leg through a thin wrapper of the AriPort. Only
// calls presented on arrival count: a call that has to wait for an attendant (none idle, delayed ring)
// would measure the wait, which `attendant_answered_wait_seconds` and `attendant_longest_wait_seconds`
// already show. A call presented on arrival has its originate sent in the dispatch that follows the
// arrival (a microtask): a `setImmediate` after the arrival comes later, and drops the calls with none.
import { performance } from 'node:perf_hooks';
import type { AriPort, OriginateRequest } from '../asterisk/port.ts';
import { PRESENT_ARG } from '../calls/presenter.ts';

export interface LatencySink {
  observeDecision(seconds: number): void;
  observePresentation(seconds: number): void;
}

interface Arrival {
  at: number;
  /** when its first presentation's originate went out: the decision */
  sentAt?: number;
}

/** an arrival never accepted (a hung originate, a lost event) is forgotten after this */
const FORGET_AFTER_MS = 60_000;

export class LatencyTracker {
  private readonly arrivals = new Map<string, Arrival>();
  private fresh: string[] = [];
  private sweepQueued = false;

  constructor(private readonly sink: LatencySink, private readonly clock: () => number = () => performance.now()) {}

  /** the caller was queued on arrival: its StasisStart is being handled now */
  arrived(callId: string): void {
    this.arrivals.set(callId, { at: this.clock() });
    this.fresh.push(callId);
    if (!this.sweepQueued) {
      this.sweepQueued = true;
      setImmediate(() => this.sweep());
    }
  }

  /** the call ended or was answered: nothing more to measure */
  forget(callId: string): void {
    this.arrivals.delete(callId);
  }

  /** the first presentation leg's originate request goes out: the decision, for a call presented on arrival */
  originateSent(callId: string): void {
    const a = this.arrivals.get(callId);
    if (!a || a.sentAt !== undefined) return;
    a.sentAt = this.clock();
    this.sink.observeDecision((a.sentAt - a.at) / 1000);
  }

  /** Asterisk accepted it (the leg rings) */
  originateAccepted(callId: string): void {
    const a = this.arrivals.get(callId);
    if (a?.sentAt === undefined) return;
    this.arrivals.delete(callId);
    this.sink.observePresentation((this.clock() - a.at) / 1000);
  }

  originateFailed(callId: string): void {
    this.arrivals.delete(callId);
  }

  /** calls still tracked (tests) */
  get tracked(): number {
    return this.arrivals.size;
  }

  private sweep(): void {
    this.sweepQueued = false;
    const fresh = this.fresh;
    this.fresh = [];
    for (const id of fresh) if (this.arrivals.get(id)?.sentAt === undefined) this.arrivals.delete(id);
    const old = this.clock() - FORGET_AFTER_MS;
    if (this.arrivals.size > fresh.length) for (const [id, a] of this.arrivals) if (a.at < old) this.arrivals.delete(id);
  }
}

/** the call a presentation leg's originate is for (appArgs `@present,<callId>,<attendant>`), else undefined */
export function presentedCallOf(req: OriginateRequest): string | undefined {
  return req.appArgs?.[0] === PRESENT_ARG ? req.appArgs[1] : undefined;
}

/**
 * The AriPort the switchboard uses, with the presentation legs' originates timed. Everything else
 * is the port itself (methods bound to it, cached so a hot path does not bind again).
 */
export function timedAriPort(ari: AriPort, tracker: LatencyTracker): AriPort {
  const originate: AriPort['originate'] = (req) => {
    const callId = presentedCallOf(req);
    if (callId === undefined) return ari.originate(req);
    tracker.originateSent(callId);
    const p = ari.originate(req);
    p.then(() => tracker.originateAccepted(callId), () => tracker.originateFailed(callId));
    return p;
  };
  const bound = new Map<PropertyKey, unknown>([['originate', originate]]);
  return new Proxy(ari, {
    get(target, prop) {
      if (bound.has(prop)) return bound.get(prop);
      const v: unknown = Reflect.get(target, prop, target);
      if (typeof v !== 'function') return v;
      const fn = (v as (...args: unknown[]) => unknown).bind(target);
      bound.set(prop, fn);
      return fn;
    },
  });
}
