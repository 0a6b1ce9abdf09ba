// The simulator's whole ARI route table.
import { applicationRoutes } from './routes-applications.ts';
import { bridgeRoutes } from './routes-bridges.ts';
import { channelRoutes } from './routes-channels.ts';
import { deviceStateRoutes, mailboxRoutes } from './routes-devices.ts';
import { endpointRoutes } from './routes-endpoints.ts';
import { asteriskRoutes, eventRoutes, playbackRoutes } from './routes-system.ts';
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
