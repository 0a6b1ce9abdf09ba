// Injected trouble for ARI requests (errors, slowness, a restart's boot time) and request counting.
import type { ServerResponse } from 'node:http';
import type { FailRequestsOptions, RequestStats } from '../types.ts';

/** the bodies res_ari answers with for each status */
const FAILURE_MESSAGES: Record<FailRequestsOptions['status'], string> = {
  400: 'Bad Request',
  404: 'Resource not found',
  405: 'Invalid method',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

const REQUEST_ORDER_KEPT = 1000;

interface FailRule {
  status: FailRequestsOptions['status'];
  remaining: number | undefined;
  until: number | undefined;
  prefix: string;
  method: string | undefined;
}

export class Faults {
  private rule: FailRule | undefined;
  delayMs = 0;
  private bootedAt = 0;
  private total = 0;
  private readonly byRoute = new Map<string, number>();
  /** the last REQUEST_ORDER_KEPT route keys, oldest first */
  private readonly order: string[] = [];
  /** requests held back by delayRequests(); a restart cuts their connections */
  readonly delayed = new Set<ServerResponse>();

  constructor(private readonly now: () => number) {}

  failRequests(opts: FailRequestsOptions): void {
    this.rule = {
      status: opts.status,
      remaining: opts.count,
      until: opts.forMs !== undefined ? this.now() + opts.forMs : undefined,
      prefix: opts.pathPrefix ?? '',
      method: opts.method,
    };
  }

  clear(): void {
    this.rule = undefined;
    this.delayMs = 0;
  }

  /** Asterisk answers 503 "Asterisk not booted" until it is fully booted */
  bootFor(ms: number): void {
    this.bootedAt = this.now() + ms;
  }

  get booting(): boolean {
    return this.now() < this.bootedAt;
  }

  /** the injected failure for this request, if one applies (consumes one of `count`) */
  failureFor(path: string, method: string): { status: number; body: Record<string, unknown> } | undefined {
    const rule = this.rule;
    if (!rule) return undefined;
    if (rule.until !== undefined && this.now() >= rule.until) {
      this.rule = undefined;
      return undefined;
    }
    if (!path.startsWith(rule.prefix) || (rule.method !== undefined && rule.method !== method)) return undefined;
    if (rule.remaining !== undefined) {
      if (rule.remaining <= 0) {
        this.rule = undefined;
        return undefined;
      }
      rule.remaining--;
    }
    return { status: rule.status, body: { message: FAILURE_MESSAGES[rule.status] } };
  }

  abortDelayed(): void {
    for (const res of this.delayed) res.destroy();
    this.delayed.clear();
  }

  count(routeKey: string): void {
    this.total++;
    this.byRoute.set(routeKey, (this.byRoute.get(routeKey) ?? 0) + 1);
    this.order.push(routeKey);
    if (this.order.length > REQUEST_ORDER_KEPT) this.order.splice(0, this.order.length - REQUEST_ORDER_KEPT);
  }

  /** the last requests' route keys in the order they came */
  recent(): string[] {
    return [...this.order];
  }

  stats(): RequestStats {
    return { total: this.total, byRoute: Object.fromEntries(this.byRoute) };
  }
}
