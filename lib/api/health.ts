// GET /healthz: what a load balancer, Docker and an admin need to know at a glance.
import type { Request, Response } from 'express';

export interface HealthSources {
  ariConnected(): boolean;
  amiConnected?(): boolean;
  storePing(): Promise<boolean>;
  storeBacklog(): number;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  ari: boolean;
  ami: boolean | null;
  store: boolean;
  storeBacklog: number;
}

/** 200 while ARI is up (degraded when the store is not: writes are queued), 503 without ARI. */
export async function healthReport(src: HealthSources): Promise<{ httpStatus: number; report: HealthReport }> {
  const store = await src.storePing().catch(() => false);
  const ari = src.ariConnected();
  const ami = src.amiConnected ? src.amiConnected() : null;
  // the controller can serve calls only with ARI; a store outage is degraded (writes are queued)
  const status = ari ? (store ? 'ok' : 'degraded') : 'down';
  return { httpStatus: ari ? 200 : 503, report: { status, ari, ami, store, storeBacklog: src.storeBacklog() } };
}

export function healthHandler(src: HealthSources) {
  return async (_req: Request, res: Response): Promise<void> => {
    const { httpStatus, report } = await healthReport(src);
    res.status(httpStatus).json(report);
  };
}
