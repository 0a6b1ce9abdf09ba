// The benchmark's site: 200 attendant sets in two groups, and the controller configurations.
import type { ConfigInput } from '../lib/config.ts';

export const ARI_USER = 'bench';
export const ARI_PASSWORD = 'bench-ari-secret';
export const CONTROLLER_APP = 'attendant';
export const BASELINE_APP = 'bench-baseline';
export const HEAP_APP = 'bench-heap';
export const GROUPS = ['front', 'back'];
export const HEAP_GROUP = 'hold';

export const devices = (n: number): string[] => Array.from({ length: n }, (_, i) => `PJSIP/b${String(i + 1).padStart(3, '0')}`);

/** where the controller under test connects; the ARI user is the bench's own unless named */
export interface Site { ariUrl: string; redisUrl: string; prefix: string; logLevel: string; ariUser?: string; ariPassword?: string }

/** a controller configuration's connections: ARI as `app`, Redis under the site's prefix, HTTP on a free port */
export function controllerBase(site: Site, app: string): Pick<ConfigInput, 'asterisk' | 'redis' | 'http' | 'log'> {
  return {
    asterisk: { ari: { url: site.ariUrl, user: site.ariUser ?? ARI_USER, password: site.ariPassword ?? ARI_PASSWORD, app } },
    redis: { url: site.redisUrl, prefix: site.prefix },
    http: { host: '127.0.0.1', port: 0 },
    log: { level: site.logLevel as 'warn' },
  };
}

/** the attendants split in two longest-idle groups; a caller nobody can take goes to extension 2000 */
export function controllerConfig(site: Site, attendants: number, admission?: ConfigInput['admission']): ConfigInput {
  const sets = devices(attendants);
  const ids = sets.map((d) => d.slice('PJSIP/'.length));
  const half = Math.ceil(ids.length / 2);
  return {
    ...controllerBase(site, CONTROLLER_APP),
    ...(admission ? { admission } : {}),
    attendants: ids.map((id, i) => ({ id, name: `Bench ${id}`, device: sets[i]! })),
    groups: GROUPS.map((id, g) => ({
      id, name: `Bench ${id}`, members: g === 0 ? ids.slice(0, half) : ids.slice(half),
      strategy: 'longest-idle' as const, ringTimeout: 15, waiting: { music: 'default' },
      fallback: { type: 'extension' as const, number: '2000' },
    })),
  };
}

/**
 * One group whose only attendant never logs in: every caller waits in its queue. Callers hear
 * ringback: with music they would share one holding bridge, and every join would carry the whole
 * member list (10,000 ids) in its event, which measures Asterisk's event size, not our memory.
 */
export function heapConfig(site: Site): ConfigInput {
  return {
    ...controllerBase(site, HEAP_APP),
    // every caller placed at once is taken in: the heap of waiting calls, not admission control, is measured
    admission: { backlog: 100_000, maxWait: 60, storeBacklog: 1_000_000 },
    attendants: [{ id: 'h1', name: 'Heap', device: 'PJSIP/b001' }],
    groups: [{ id: HEAP_GROUP, name: 'Heap', members: ['h1'], waiting: 'ringback' }],
  };
}
