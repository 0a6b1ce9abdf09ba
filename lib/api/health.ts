// GET /healthz: what a load balancer, Docker and an admin need to know at a glance. Served from the
// process start, whatever Asterisk and Redis do: `links` says which one is missing and why.
import type { Request, Response } from 'express';

/** up; connecting (first try under way); unauthorized (ARI refused the user); down (unreachable, retried) */
export type LinkState = 'up' | 'connecting' | 'unauthorized' | 'down';

export interface HealthSources {
  ariConnected(): boolean;
  /** the ARI link in words (default: up or down from ariConnected) */
  ariState?(): LinkState;
  amiConnected?(): boolean;
  storePing(): Promise<boolean>;
  storeBacklog(): number;
  /** active: holds the lease and serves calls; standby: waits for the lease (default active) */
  role?(): 'active' | 'standby';
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down' | 'standby';
  role: 'active' | 'standby';
  ari: boolean;
  ami: boolean | null;
  store: boolean;
  storeBacklog: number;
  /** each link in words: `ari: unauthorized` is a wrong password, `down` an unreachable peer */
  links: { ari: LinkState; ami: LinkState | null; store: LinkState };
}

/**
 * Active: 200 while ARI is up (degraded when the store is not: writes are queued), 503 without ARI.
 * Standby: 200 with status standby while it reaches the store (it is healthy, waiting for the lease).
 */
export async function healthReport(src: HealthSources): Promise<{ httpStatus: number; report: HealthReport }> {
  const store = await src.storePing().catch(() => false);
  const role = src.role?.() ?? 'active';
  const ari = src.ariConnected();
  const ami = src.amiConnected ? src.amiConnected() : null;
  const links = {
    ari: src.ariState?.() ?? (ari ? 'up' : 'down'),
    ami: ami === null ? null : ami ? 'up' as const : 'down' as const,
    store: store ? 'up' as const : 'down' as const,
  };
  const base = { role, ari, ami, store, storeBacklog: src.storeBacklog(), links };
  if (role === 'standby') {
    return { httpStatus: store ? 200 : 503, report: { status: store ? 'standby' : 'down', ...base } };
  }
  // the controller can serve calls only with ARI; a store outage is degraded (writes are queued)
  const status = ari ? (store ? 'ok' : 'degraded') : 'down';
  return { httpStatus: ari ? 200 : 503, report: { status, ...base } };
}

export function healthHandler(src: HealthSources) {
  return async (_req: Request, res: Response): Promise<void> => {
    const { httpStatus, report } = await healthReport(src);
    res.status(httpStatus).json(report);
  };
}
