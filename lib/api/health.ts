// GET /healthz: what a load balancer, Docker and an admin need to know at a glance.
import type { Request, Response } from 'express';

export interface HealthSources {
  ariConnected(): boolean;
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
  if (role === 'standby') {
    return { httpStatus: store ? 200 : 503, report: { status: store ? 'standby' : 'down', role, ari, ami, store, storeBacklog: src.storeBacklog() } };
  }
  // the controller can serve calls only with ARI; a store outage is degraded (writes are queued)
  const status = ari ? (store ? 'ok' : 'degraded') : 'down';
  return { httpStatus: ari ? 200 : 503, report: { status, role, ari, ami, store, storeBacklog: src.storeBacklog() } };
}

export function healthHandler(src: HealthSources) {
  return async (_req: Request, res: Response): Promise<void> => {
    const { httpStatus, report } = await healthReport(src);
    res.status(httpStatus).json(report);
  };
}
