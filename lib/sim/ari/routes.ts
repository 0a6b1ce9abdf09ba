// The simulator's whole ARI route table.
import { applicationRoutes } from './routes-applications.ts';
import { bridgeRoutes } from './routes-bridges.ts';
import { channelRoutes } from './routes-channels.ts';
import { deviceStateRoutes, mailboxRoutes } from './routes-devices.ts';
import { endpointRoutes } from './routes-endpoints.ts';
import { asteriskRoutes, eventRoutes, playbackRoutes } from './routes-system.ts';
import type { SimCore } from '../core/core.ts';
import type { RouteSpec } from './route.ts';

export const ARI_ROUTES: readonly RouteSpec[] = [
  ...asteriskRoutes,
  ...endpointRoutes,
  ...channelRoutes,
  ...bridgeRoutes,
  ...playbackRoutes,
  ...deviceStateRoutes,
  ...mailboxRoutes,
  ...eventRoutes,
  ...applicationRoutes,
];

/** PUT /applications/{applicationName}/eventFilter arrived in Asterisk 13.26 / 16.3 */
export const EVENT_FILTER_PATH = '/applications/{applicationName}/eventFilter';
const WITHOUT_EVENT_FILTER = ARI_ROUTES.filter((r) => r.path !== EVENT_FILTER_PATH);

/** the routes this Asterisk serves and documents: an older one (`core.eventFilterSupported` off) lacks the event filter */
export function activeRoutes(core: SimCore, routes: readonly RouteSpec[] = ARI_ROUTES): readonly RouteSpec[] {
  if (core.eventFilterSupported) return routes;
  return routes === ARI_ROUTES ? WITHOUT_EVENT_FILTER : routes.filter((r) => r.path !== EVENT_FILTER_PATH);
}
