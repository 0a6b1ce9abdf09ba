// One controller process with a standby role: it waits for the lease (answering /healthz as
// standby, 503 for the rest, no ARI connection), becomes the active controller once it holds the
// lease (load snapshot + reconcile), and goes back to standby if it is fenced. Two of these on one
// store give one active controller and one ready to take over within the lease time.
import { createServer, type Server } from 'node:http';
import { assertSafeToServe, type Config } from '../config.ts';
import { realTime } from '../clock.ts';
import { startController, type Controller, type ControllerOptions } from '../controller.ts';
import { healthReport } from '../api/health.ts';
import { answerMalformedRequests } from '../api/app.ts';
import { createStore } from '../store/index.ts';
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

/** Start a node: standby at once, active as soon as it holds the lease. */
export async function runNode(config: Config, opts: ControllerOptions): Promise<ControllerNode> {
  // refused at once (not retried as a failed start): see exposureProblems
  assertSafeToServe(config);
  const { log } = opts;
  const time = opts.time ?? realTime;
  const store: Store = opts.store ?? await createStore({ ...(config.redis.url ? { url: config.redis.url } : {}), prefix: config.redis.prefix }, time);
  const nodeId = nodeIdOf(config);
  const lease = new LeaseKeeper({ store, holder: nodeId, ttlMs: config.timers.leaseTtl * 1000, time: opts.leaseTime ?? realTime, log });
  let port = config.http.port;
  let standby: Server | undefined = await serveStandby(config.http.host, port, store);
  port = (standby.address() as { port: number }).port;
  let controller: Controller | undefined;
  let stopped = false;
  let wakeStop: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => { wakeStop = resolve; });
  log.info({ nodeId, port }, 'standby: waiting for the lease');

  const loop = async () => {
    while (!stopped) {
      if (!(await lease.acquire()) || stopped) break;
      if (standby) await closeServer(standby);
      standby = undefined;
      let onFenced: (why: string) => void = () => undefined;
      const fenced = new Promise<string>((resolve) => { onFenced = resolve; });
      try {
        controller = await startController({ ...config, http: { ...config.http, port } }, { ...opts, store, lease, onFenced });
      } catch (err) {
        log.error({ err: (err as Error).message }, 'could not start as the active controller; standby again');
        await lease.release();
        if (!stopped) standby = await serveStandby(config.http.host, port, store);
        continue;
      }
      await Promise.race([fenced, stopSignal]);
      if (stopped) break;
      const fencedController = controller;
      controller = undefined;
      await fencedController.stop();
      standby = await serveStandby(config.http.host, port, store);
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
      lease.stop();
      await running;
      if (controller) await controller.stop();
      controller = undefined;
      if (standby) await closeServer(standby);
      if (!opts.store) await store.close();
    },
  };
}

/** /healthz says standby; everything else is refused until this node is active */
async function serveStandby(host: string, port: number, store: Store): Promise<Server> {
  const server = createServer((req, res) => {
    void (async () => {
      res.setHeader('content-type', 'application/json');
      res.setHeader('cache-control', 'no-store');
      if (req.method === 'GET' && req.url?.split('?')[0] === '/healthz') {
        const { httpStatus, report } = await healthReport({ ariConnected: () => false, storePing: () => store.ping(), storeBacklog: () => 0, role: () => 'standby' });
        res.statusCode = httpStatus;
        res.end(JSON.stringify(report));
        return;
      }
      res.statusCode = 503;
      res.setHeader('retry-after', '1');
      res.end(JSON.stringify({ error: { code: 'standby', message: 'this controller is on standby; the active one serves the API' } }));
    })();
  });
  answerMalformedRequests(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
