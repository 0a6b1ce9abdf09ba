// Wiring only: store, ARI, switchboard and the HTTP server, started and stopped together.
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { connectAri } from './asterisk/ari.ts';
import type { AriPort } from './asterisk/port.ts';
import type { Config } from './config.ts';
import type { TimeSource } from './domain/clock.ts';
import { realTime } from './clock.ts';
import { createStore } from './store/index.ts';
import type { Store } from './store/store.ts';
import { Switchboard } from './calls/switchboard.ts';
import { connectAmi } from './asterisk/ami.ts';
import type { AmiPort } from './supervision/ami-port.ts';
import { SupervisionService } from './supervision/service.ts';
import { apiDeps, attachEvents, createApp } from './api/index.ts';

export interface Controller {
  config: Config;
  store: Store;
  ari: AriPort;
  switchboard: Switchboard;
  /** the HTTP server (API, console, health); its port when started on 0 */
  http: Server;
  httpPort: number;
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
}

export async function startController(config: Config, opts: ControllerOptions): Promise<Controller> {
  const { log } = opts;
  const time = opts.time ?? realTime;
  const store = opts.store ?? await createStore({ ...(config.redis.url ? { url: config.redis.url } : {}), prefix: config.redis.prefix }, time);
  log.info({ store: config.redis.url ? 'redis' : 'memory', prefix: config.redis.prefix }, 'store ready');
  const ari = await connectAri({ url: config.asterisk.ari.url, user: config.asterisk.ari.user, password: config.asterisk.ari.password, app: config.asterisk.ari.app, log });
  const switchboard = new Switchboard({ config, ari, store, time, log, ...(opts.random ? { random: opts.random } : {}) });
  await switchboard.start();
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
    supervision = new SupervisionService(ami, config.supervision, { clock: time, log });
    await supervision.start();
  }

  // the REST API, the console and the live feed; the operators' commands are the switchboard's
  const api = apiDeps({
    switchboard, store, config, log, time,
    operations: switchboard.operations,
    ...(supervision ? { supervision } : {}),
    health: {
      ariConnected: () => ari.isConnected(),
      ...(ami ? { amiConnected: () => ami.isConnected() } : {}),
      storePing: () => store.ping(),
      storeBacklog: () => switchboard.ledger.backlog,
    },
  });
  const app = createApp(api);
  const http = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.http.port, config.http.host, () => resolve(s));
    s.once('error', reject);
  });
  const address = http.address();
  const httpPort = typeof address === 'object' && address ? address.port : config.http.port;
  const events = attachEvents(http, { hub: api.hub, sessions: api.sessions, time, log, corsOrigins: api.corsOrigins });
  log.info({ url: `http://${config.http.host}:${httpPort}` }, 'HTTP listening');

  return {
    config, store, ari, switchboard, http, httpPort,
    async stop() {
      events.close();
      await new Promise<void>((r) => { http.close(() => r()); http.closeAllConnections?.(); });
      await switchboard.stop();
      supervision?.stop();
      await ami?.close();
      await ari.close();
      if (!opts.store) await store.close();
    },
  };
}
