// The ARI simulator: a stand-in for Asterisk 23 on the wire (REST, swagger, events WebSocket),
// with scripted phones and a /sim/ control API. startSimulator() listens and returns the Simulator.
import type { AddressInfo } from 'node:net';
import { realTime } from '../clock.ts';
import { SimCore } from './core/core.ts';
import { Faults } from './http/faults.ts';
import { handleControl } from './http/control.ts';
import { createSimServer } from './http/server.ts';
import { EventSockets } from './http/ws.ts';
import { Simulator } from './simulator.ts';
import type { SimulatorOptions } from './types.ts';

export { Simulator } from './simulator.ts';
export type { EndpointView } from './simulator.ts';
export type * from './types.ts';

export async function startSimulator(opts: SimulatorOptions): Promise<Simulator> {
  const time = opts.time ?? realTime;
  const host = opts.host ?? '127.0.0.1';
  const core = new SimCore({
    time,
    seed: opts.seed ?? 1,
    asteriskId: opts.asteriskId ?? '02:fc:00:00:00:01',
    playbackMs: opts.playbackMs ?? 1000,
    onError: (err) => console.error('[ari-sim] internal error', err),
  });
  for (const [name, spec] of Object.entries(opts.endpoints ?? {})) {
    const { context, ...behaviour } = spec as typeof spec & { context?: string };
    core.setEndpoint(name, behaviour, context);
  }
  const faults = new Faults(() => time.now());
  const sockets = new EventSockets(core);
  // the control API needs the Simulator, which needs the listening server: bound once both exist
  const bound: { sim?: Simulator } = {};
  const { server, wss } = createSimServer({
    core, faults, sockets, user: opts.user, password: opts.password,
    control: (req, res, url, body) => {
      if (bound.sim) handleControl(bound.sim, req, res, url, body);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  bound.sim = new Simulator(core, sockets, faults, server, wss, host, port, { user: opts.user, password: opts.password });
  return bound.sim;
}
