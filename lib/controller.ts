// Wiring only: store, lease, ARI, switchboard and the HTTP server, started and stopped together.
import type { RequestListener, Server } from 'node:http';
import type { Logger } from 'pino';
import { createAriLink } from './asterisk/ari.ts';
import type { AriPort } from './asterisk/port.ts';
import { assertSafeToServe, type Config } from './config.ts';
import type { TimeSource } from './domain/clock.ts';
import { realTime } from './clock.ts';
import { createStore } from './store/index.ts';
import type { Store } from './store/store.ts';
import { Switchboard } from './calls/switchboard.ts';
import { startAmi } from './asterisk/ami.ts';
import type { AmiPort } from './supervision/ami-port.ts';
import { SupervisionService } from './supervision/service.ts';
import { answerMalformedRequests, apiDeps, attachEvents, createApp } from './api/index.ts';
import { LeaseKeeper, nodeIdOf } from './ha/lease.ts';
import { openQueueLogFile } from './stats/queue-log-file.ts';
import { ControllerMetrics } from './metrics/wire.ts';
import { startMetricsServer } from './metrics/http.ts';
import { RetentionKeeper } from './stats/retention.ts';

/** how long a controller that serves without Asterisk waits for the first ARI try before serving */
const FIRST_ARI_TRY_MS = 2000;

export interface Controller {
  config: Config;
  store: Store;
  ari: AriPort;
  switchboard: Switchboard;
  /** the HTTP server (API, console, health); its port when started on 0 */
  http: Server;
  httpPort: number;
  lease: LeaseKeeper;
  /** Prometheus metrics (metrics.enabled); `port` is the separate listener's when metrics.port is set */
  metrics?: { scrape(): Promise<{ contentType: string; body: string }>; port?: number };
  /** active until another controller took over (fenced: it consumes nothing any more) */
  role(): 'active' | 'fenced';
  /** graceful: stops consuming, then releases the lease so a standby takes over at once */
  stop(): Promise<void>;
}

/** A server already listening: the controller mounts its app there while it is active. */
export interface SharedHttp {
  server: Server;
  port: number;
  /** serve requests with this handler; undefined gives the server back to its owner */
  mount(handler: RequestListener | undefined): void;
}

export interface ControllerOptions {
  log: Logger;
  time?: TimeSource;
  random?: () => number;
  /** use this store instead of creating one from the configuration (tests share one) */
  store?: Store;
  /** log every attendant in to its groups at start, whatever `positions` says (the demo, tests) */
  autoLogin?: boolean;
  /**
   * resolve only once ARI is connected (the default: tests and the benchmark place calls at once); false:
   * the API and the console are served at once and the link is shown as down until Asterisk answers
   */
  awaitAri?: boolean;
  /** serve on this listening server (runNode's, up from the process start) instead of listening on config.http */
  sharedHttp?: SharedHttp;
  /** the lease, already held (runNode); without it the controller waits until it holds the lease */
  lease?: LeaseKeeper;
  /** clock of lease renewals; default real time (the store lets a lease lapse by its own clock) */
  leaseTime?: TimeSource;
  /** clock of ARI request timeouts; default real time (tests of a slow Asterisk share the simulator's) */
  ariTime?: TimeSource;
  /** told when this controller stopped consuming because another one holds the lease */
  onFenced?: (why: string) => void;
}

export async function startController(config: Config, opts: ControllerOptions): Promise<Controller> {
  // demo passwords (or no user) on a listener beyond this machine: refused before anything starts
  assertSafeToServe(config);
  const { log } = opts;
  const time = opts.time ?? realTime;
  const store = opts.store ?? await createStore({ ...(config.redis.url ? { url: config.redis.url } : {}), prefix: config.redis.prefix }, time);
  log.info({ store: config.redis.url ? 'redis' : 'memory', prefix: config.redis.prefix }, 'store ready');
  // only the lease holder opens the app's WebSocket: Asterisk gives an app to the newest socket
  const lease = opts.lease ?? new LeaseKeeper({ store, holder: nodeIdOf(config), ttlMs: config.timers.leaseTtl * 1000, time: opts.leaseTime ?? realTime, log });
  if (!lease.held && !(await lease.acquire())) throw new Error('stopped before holding the lease');
  const ari = createAriLink({
    url: config.asterisk.ari.url, user: config.asterisk.ari.user, password: config.asterisk.ari.password, app: config.asterisk.ari.app, log,
    requestTimeoutMs: config.asterisk.ari.requestTimeout * 1000, eventFilter: config.asterisk.ari.eventFilter, ...(opts.ariTime ? { time: opts.ariTime } : {}),
  });
  // an Asterisk that is down or refuses the login is an outage like any other: retried for ever, and
  // meanwhile the switchboard runs on the stored state (its reconcile waits for the link)
  const ariOpened = ari.open().catch(() => undefined);
  // a reachable Asterisk is reconciled before the API is served, as ever; an unreachable one is not waited for
  if (opts.awaitAri !== false) await ariOpened;
  else await Promise.race([ari.triedOnce(), new Promise((r) => setTimeout(r, FIRST_ARI_TRY_MS).unref())]);
  const queueLogFile = config.queueLog.enabled && config.queueLog.file ? openQueueLogFile(config.queueLog.file, log) : undefined;
  // metrics see every batch from the first one (load, reconcile) and time the presentation originates
  const metrics = config.metrics.enabled ? new ControllerMetrics(config) : undefined;
  const switchboard = new Switchboard({
    config, ari: metrics ? metrics.timedAri(ari) : ari, store, time, log, lease: { name: lease.name, holder: lease.holder }, ...(opts.random ? { random: opts.random } : {}),
    ...(queueLogFile ? { queueLogSink: (lines: string[]) => queueLogFile.write(lines) } : {}),
  });

  // fencing: once another controller holds the lease (or took the app), stop consuming at once
  let fenced = false;
  let stopping = false;
  // the store's reports kept for `retention` days: trimmed by the active controller only
  const retention = new RetentionKeeper(store, time, log, config.retention);
  const fence = (why: string) => {
    if (fenced || stopping) return;
    fenced = true;
    log.error({ why }, 'fenced: another controller is active; this one stops consuming');
    switchboard.ledger.halt();
    void retention.stop();
    lease.stop();
    void ari.close();
    void switchboard.stop();
    opts.onFenced?.(why);
  };
  lease.on('lost', (other) => fence(`lease held by ${other ?? 'another controller'}`));
  // after a store outage (Redis restarted, maybe empty), the store is rewritten from memory
  lease.on('restored', () => { void switchboard.ledger.resync(); });
  store.onConnection?.((up) => { if (up && !fenced) void switchboard.ledger.resync(); });
  switchboard.ledger.on('fenced', (holder) => fence(`store refused a write: lease held by ${holder}`));
  ari.onEvent((e) => { if (e.type === 'ApplicationReplaced') fence('the Stasis app was taken by a newer connection'); });
  if (metrics) {
    metrics.watchSwitchboard(switchboard, { now: () => time.now(), active: () => !fenced });
    metrics.watchInbound(switchboard.inbound);
    metrics.watchAri(ari);
    metrics.watchStore(store);
  }
  await switchboard.start();
  if (!fenced) retention.start();
  await applyStartPositions(config, switchboard, log, opts.autoLogin === true);

  // BLF grid from AMI when configured; the controller serves calls without it, and does not wait for it
  let ami: AmiPort | undefined;
  let supervision: SupervisionService | undefined;
  if (config.asterisk.ami) {
    const a = config.asterisk.ami;
    const started = startAmi({ host: a.host, port: a.port, user: a.user, password: a.password }, log);
    ami = started.port;
    started.opened.catch(() => undefined);
    metrics?.watchAmi(ami);
    supervision = new SupervisionService(ami, config.supervision, { clock: time, log });
    await supervision.start();
  }

  // the REST API, the console and the live feed; the operators' commands are the switchboard's
  const api = apiDeps({
    switchboard, store, config, log, time,
    operations: switchboard.operations,
    ...(supervision ? { supervision } : {}),
    ...(metrics ? { metrics: { scrape: () => metrics.scrape(), ...(config.metrics.token ? { token: config.metrics.token } : {}) } } : {}),
    health: {
      ariConnected: () => ari.isConnected(),
      ariState: () => ari.linkState(),
      ...(ami ? { amiConnected: () => ami.isConnected() } : {}),
      storePing: () => store.ping(),
      storeBacklog: () => switchboard.view.storeBacklog(),
      role: () => (fenced ? 'standby' : 'active'),
    },
  });
  // the consoles' sessions of before a restart or a takeover; written again, like the working
  // state, after a store outage
  const sessions = await api.sessions.load().catch((err: unknown) => { log.warn({ err }, 'stored sessions not read: consoles log in again'); return 0; });
  if (sessions) log.info({ sessions }, 'sessions taken back from the store');
  lease.on('restored', () => api.sessions.rewrite());
  store.onConnection?.((up) => { if (up && !fenced) api.sessions.rewrite(); });
  const app = createApp(api);
  const shared = opts.sharedHttp;
  const http = shared ? shared.server : await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
    s.once('error', reject);
  });
  answerMalformedRequests(http);
  const address = http.address();
  const httpPort = shared ? shared.port : typeof address === 'object' && address ? address.port : config.http.port;
  const events = attachEvents(http, { hub: api.hub, sessions: api.sessions, time, log, corsOrigins: api.corsOrigins });
  shared?.mount(app);
  log.info({ url: `http://${config.http.host}:${httpPort}` }, shared ? 'API and console served' : 'HTTP listening');
  // the scrape network's listener: /metrics without credentials
  const metricsServer = metrics && config.metrics.port !== undefined ? await startMetricsServer(metrics, config.metrics.host, config.metrics.port) : undefined;
  if (metricsServer) log.info({ url: `http://${config.metrics.host}:${metricsServer.port}/metrics` }, 'metrics listening');

  return {
    config, store, ari, switchboard, http, httpPort, lease,
    ...(metrics ? { metrics: { scrape: () => metrics.scrape(), ...(metricsServer ? { port: metricsServer.port } : {}) } } : {}),
    role: () => (fenced ? 'fenced' : 'active'),
    async stop() {
      stopping = true;
      events.close();
      if (shared) shared.mount(undefined);
      else await new Promise<void>((r) => { http.close(() => r()); http.closeAllConnections?.(); });
      await metricsServer?.close();
      await retention.stop();
      await switchboard.stop();
      supervision?.stop();
      await ami?.close();
      await ari.close();
      await queueLogFile?.close();
      // released last, once nothing here consumes: the standby may connect at once
      if (fenced) lease.stop(); else await lease.release();
      if (!opts.store) await store.close();
    },
  };
}

/**
 * How the positions start (config `positions` and `attendants[].startLoggedIn`): a position that
 * should be logged in and is not is logged in to its groups, one that should be logged out is logged
 * out (not while on a call: it stays, and the line says so); `restore` leaves what the store had.
 */
async function applyStartPositions(config: Config, switchboard: Switchboard, log: Logger, allLoggedIn: boolean): Promise<void> {
  for (const a of config.attendants) {
    const want = allLoggedIn ? true : startsLoggedIn(config, a.id);
    const rec = switchboard.view.attendant(a.id);
    if (want === undefined || !rec) continue;
    const loggedIn = rec.state !== 'unplugged';
    if (want === loggedIn) continue;
    try {
      if (want) await switchboard.login(a.id);
      else await switchboard.attendantAction(a.id, { type: 'logout' });
      log.info({ attendant: a.id, loggedIn: want }, want ? 'position logged in at start' : 'position logged out at start');
    } catch (err) {
      log.warn({ attendant: a.id, err: (err as Error).message }, `position left ${rec.state} at start`);
    }
  }
}

/** true / false: the position is put in that state at start; undefined: as the store had it */
export function startsLoggedIn(config: Config, attendantId: string): boolean | undefined {
  const own = config.attendants.find((a) => a.id === attendantId)?.startLoggedIn;
  if (own !== undefined) return own;
  return config.positions === 'logged-in' ? true : config.positions === 'logged-out' ? false : undefined;
}
