// What the API is built from. `apiDeps` adds the parts the REST app and the WebSocket share
// (sessions, the login guard, the event hub, the views) to what the controller hands over.
import type { Logger } from 'pino';
import type { Operations } from '../calls/operations-port.ts';
import type { Switchboard } from '../calls/switchboard.ts';
import type { Config } from '../config.ts';
import type { TimeSource } from '../domain/clock.ts';
import type { Store } from '../store/store.ts';
import type { MetricsEndpoint } from '../metrics/http.ts';
import { LoginGuard } from './auth/login-guard.ts';
import { Sessions } from './auth/sessions.ts';
import { EventHub } from './events.ts';
import type { HealthSources } from './health.ts';
import { Views, type SupervisionSource } from './views.ts';

export interface ApiOptions {
  /** origins (scheme://host:port) allowed to call the API from another page; default none (same origin only) */
  corsOrigins?: string[];
  /** the console's static files; default public/ at the repository root */
  publicDir?: string;
  /** how long a login token lives, ms (default 12 h: one shift) */
  tokenTtlMs?: number;
  /** events kept for resuming (default 1000) */
  eventBuffer?: number;
}

export interface ApiBaseDeps {
  switchboard: Switchboard;
  store: Store;
  operations: Operations;
  config: Config;
  log: Logger;
  time: TimeSource;
  health: HealthSources;
  /** the BLF feed (lib/supervision/service.ts) once it is wired; without it the lamps show unknown */
  supervision?: SupervisionSource;
  /** GET /metrics on this port (lib/metrics/): answered only with its token */
  metrics?: MetricsEndpoint;
  options?: ApiOptions;
}

export interface ApiDeps extends ApiBaseDeps {
  sessions: Sessions;
  loginGuard: LoginGuard;
  views: Views;
  hub: EventHub;
  corsOrigins: string[];
}

export function apiDeps(base: ApiBaseDeps): ApiDeps {
  const opts = base.options ?? {};
  const views = new Views(base.config, base.switchboard.view, base.supervision, base.time.now());
  return {
    ...base,
    sessions: new Sessions(base.config, base.time, opts.tokenTtlMs, { store: base.store, log: base.log }),
    loginGuard: new LoginGuard(base.store, base.config.http.login),
    views,
    hub: new EventHub(views, base.time, base.switchboard.view, base.supervision, opts.eventBuffer ?? 1000),
    corsOrigins: opts.corsOrigins ?? [],
  };
}
