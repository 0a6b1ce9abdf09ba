// Wiring only: store, lease, ARI, switchboard and the HTTP server, started and stopped together.
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { connectAri } from './asterisk/ari.ts';
import type { AriPort } from './asterisk/port.ts';
import { assertSafeToServe, type Config } from './config.ts';
import type { TimeSource } from './domain/clock.ts';
import { realTime } from './clock.ts';
import { createStore } from './store/index.ts';
import type { Store } from './store/store.ts';
import { Switchboard } from './calls/switchboard.ts';
import { connectAmi } from './asterisk/ami.ts';
import type { AmiPort } from './supervision/ami-port.ts';
import { SupervisionService } from './supervision/service.ts';
import { answerMalformedRequests, apiDeps, attachEvents, createApp } from './api/index.ts';
import { LeaseKeeper, nodeIdOf } from './ha/lease.ts';
import { openQueueLogFile } from './stats/queue-log-file.ts';
import { ControllerMetrics } from './metrics/wire.ts';
import { startMetricsServer } from './metrics/http.ts';
import { RetentionKeeper } from './stats/retention.ts';

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

export interface ControllerOptions {
  log: Logger;
  time?: TimeSource;
  random?: () => number;
  /** use this store instead of creating one from the configuration (tests share one) */
  store?: Store;
  /** log every attendant in to its groups at start (the demo; a real site logs in from sets or the console) */
  autoLogin?: boolean;
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
  const ari = await connectAri({
    url: config.asterisk.ari.url, user: config.asterisk.ari.user, password: config.asterisk.ari.password, app: config.asterisk.ari.app, log,
    requestTimeoutMs: config.asterisk.ari.requestTimeout * 1000, eventFilter: config.asterisk.ari.eventFilter, ...(opts.ariTime ? { time: opts.ariTime } : {}),
  });
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
    metrics.watchLedger(switchboard.ledger, { now: () => time.now(), active: () => !fenced });
    metrics.watchAri(ari);
    metrics.watchStore(store);
  }
  await switchboard.start();
  if (!fenced) retention.start();
  if (opts.autoLogin) {
    for (const a of config.attendants) {
      if (switchboard.ledger.attendants.get(a.id)?.state === 'unplugged') await switchboard.login(a.id).catch(() => undefined);
    }
  }

  // BLF grid from AMI when configured; the controller serves calls without it
  let ami: AmiPort | undefined;
  let supervision: SupervisionService | undefined;
  if (config.asterisk.ami) {
    const a = config.asterisk.ami;
    ami = await connectAmi({ host: a.host, port: a.port, user: a.user, password: a.password }, log);
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
      ...(ami ? { amiConnected: () => ami.isConnected() } : {}),
      storePing: () => store.ping(),
      storeBacklog: () => switchboard.ledger.backlog,
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
  const http = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
    s.once('error', reject);
  });
  answerMalformedRequests(http);
  const address = http.address();
  const httpPort = typeof address === 'object' && address ? address.port : config.http.port;
  const events = attachEvents(http, { hub: api.hub, sessions: api.sessions, time, log, corsOrigins: api.corsOrigins });
  log.info({ url: `http://${config.http.host}:${httpPort}` }, 'HTTP listening');
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
      await new Promise<void>((r) => { http.close(() => r()); http.closeAllConnections?.(); });
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
