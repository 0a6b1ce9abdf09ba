// One controller process with a standby role. Its HTTP port listens from the first moment, whatever
// Asterisk and Redis do: until this process is the active controller it answers /healthz (saying
// which link is missing), serves the console's files (which show it) and 503 for the API. It
// reaches the store (retrying for ever), waits for the lease as standby, becomes the active
// controller once it holds it (load snapshot + reconcile; ARI is waited for in the background), and
// goes back to standby if it is fenced. Two of these on one store give one active controller and one
// ready to take over within the lease time.
import { createServer, type RequestListener, type Server } from 'node:http';
import { assertSafeToServe, type Config } from '../config.ts';
import { realTime } from '../clock.ts';
import type { Controller, ControllerOptions, SharedHttp } from '../controller.ts';
import { answerMalformedRequests, createWaitingApp, type NotServing } from '../api/serving.ts';
import type { Store } from '../store/store.ts';
import { LeaseKeeper, nodeIdOf } from './lease.ts';

export interface ControllerNode {
  role(): 'active' | 'standby';
  /** the active controller, while this node is active */
  readonly controller: Controller | undefined;
  /** the HTTP port (the same in both roles) */
  readonly httpPort: number;
  readonly nodeId: string;
  stop(): Promise<void>;
}

const STORE_RETRY_MS = [1000, 2000, 5000, 10_000];

/** Start a node: its HTTP port at once, standby until it holds the lease, then active. */
export async function runNode(config: Config, opts: ControllerOptions): Promise<ControllerNode> {
  // refused at once (not retried as a failed start): see exposureProblems
  assertSafeToServe(config);
  const { log } = opts;
  const time = opts.time ?? realTime;
  const nodeId = nodeIdOf(config);
  let store: Store | undefined = opts.store;
  let controller: Controller | undefined;
  let stopped = false;
  let wakeStop: () => void = () => undefined;
  let stopLease: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => { wakeStop = resolve; });

  // the one listening socket: the waiting app until a controller mounts its own
  const notServing = (): NotServing => (store
    ? { code: 'standby', message: 'this controller is on standby; the active one serves the API' }
    : { code: 'starting', message: 'this controller cannot reach its store (Redis) yet; it keeps trying' });
  const waiting = createWaitingApp({
    ariConnected: () => false,
    ariState: () => 'down',
    storePing: () => store?.ping() ?? Promise.resolve(false),
    storeBacklog: () => 0,
    role: () => 'standby',
  }, notServing);
  let mounted: RequestListener | undefined;
  const server = createServer((req, res) => (mounted ?? waiting)(req, res));
  answerMalformedRequests(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.http.port, config.http.host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as { port: number }).port;
  const shared: SharedHttp = { server, port, mount: (handler) => { mounted = handler; } };
  log.info({ nodeId, url: `http://${config.http.host}:${port}` }, 'HTTP listening');

  // the controller's modules (ARI, Redis, the API) load once the port answers: /healthz and the
  // console are up in the time Node takes to load express, not the whole program
  const { createStore } = await import('../store/index.ts');
  const { startController } = await import('../controller.ts');
  const connectStore = async (): Promise<Store | undefined> => {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        return await createStore({ ...(config.redis.url ? { url: config.redis.url } : {}), prefix: config.redis.prefix }, time);
      } catch (err) {
        const retryInMs = STORE_RETRY_MS[Math.min(attempt, STORE_RETRY_MS.length - 1)]!;
        log.error({ err: (err as Error).message, retryInMs }, 'store (Redis) not reachable; retrying');
        await Promise.race([new Promise((r) => setTimeout(r, retryInMs)), stopSignal]);
      }
    }
    return undefined;
  };

  const loop = async () => {
    store ??= await connectStore();
    if (!store || stopped) return;
    const lease = new LeaseKeeper({ store, holder: nodeId, ttlMs: config.timers.leaseTtl * 1000, time: opts.leaseTime ?? realTime, log });
    stopLease = () => lease.stop();
    log.info({ nodeId, port }, 'standby: waiting for the lease');
    while (!stopped) {
      if (!(await lease.acquire()) || stopped) break;
      let onFenced: (why: string) => void = () => undefined;
      const fenced = new Promise<string>((resolve) => { onFenced = resolve; });
      try {
        controller = await startController(config, { awaitAri: false, ...opts, store, lease, onFenced, sharedHttp: shared });
      } catch (err) {
        log.error({ err: (err as Error).message }, 'could not start as the active controller; standby again');
        await lease.release();
        continue;
      }
      await Promise.race([fenced, stopSignal]);
      if (stopped) break;
      const fencedController = controller;
      controller = undefined;
      await fencedController.stop();
      log.warn({ nodeId }, 'standby again: another controller holds the lease');
    }
  };
  const running = loop().catch((err: unknown) => log.fatal({ err }, 'controller node failed'));

  return {
    role: () => (controller?.role() === 'active' ? 'active' : 'standby'),
    get controller() { return controller; },
    httpPort: port,
    nodeId,
    async stop() {
      stopped = true;
      wakeStop();
      stopLease();
      await running;
      if (controller) await controller.stop();
      controller = undefined;
      await closeServer(server);
      if (!opts.store) await store?.close();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
