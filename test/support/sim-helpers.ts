// Test helpers for the ARI simulator: a raw event-WebSocket recorder, REST calls with credentials,
// and a settle() that waits for the simulator's pending work and the socket to catch up (no sleeps).
import { WebSocket } from 'ws';
import { ManualTime } from '../../lib/clock.ts';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../lib/sim/index.ts';
import { bridgeRouteOfName, type BridgeRole } from '../../lib/calls/routes.ts';

export const SIM_USER = 'asterisk';
export const SIM_PASSWORD = 'sim-secret';

export type AriEvent = Record<string, unknown> & { type: string };

/** the events one app receives, in order */
export class EventRecorder {
  readonly events: AriEvent[] = [];
  private readonly waiters: Array<() => void> = [];
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.events.push(JSON.parse(String(data)) as AriEvent);
      for (const w of this.waiters.splice(0)) w();
    });
    ws.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(url: string): Promise<EventRecorder> {
    const ws = new WebSocket(url);
    const rec = new EventRecorder(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket refused: ${res.statusCode}`)));
    });
    return rec;
  }

  /** everything received so far, emptying the buffer */
  take(): AriEvent[] {
    return this.events.splice(0);
  }

  /** wait (bounded) until an event matches */
  async waitFor(what: string, match: (e: AriEvent) => boolean, timeoutMs = 2000): Promise<AriEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      if (this.closed) throw new Error(`socket closed while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** wait (bounded) until the server closed the socket */
  async waitClosed(timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('socket still open');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  /** a ping's pong comes back after every frame the server sent before it */
  async sync(): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no pong')), 2000);
      this.ws.once('pong', () => { clearTimeout(timer); resolve(); });
      this.ws.ping();
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** let the simulator finish what follows a request, then let the socket deliver it */
export async function settle(sim: Simulator, ...recorders: EventRecorder[]): Promise<void> {
  await sim.idle();
  for (const r of recorders) await r.sync();
}

export interface AriAnswer {
  status: number;
  body: unknown;
}

/** one ARI REST call with basic auth; `path` is relative to /ari */
export async function ariCall(sim: Simulator, method: string, path: string, body?: unknown, auth = `${SIM_USER}:${SIM_PASSWORD}`): Promise<AriAnswer> {
  const res = await fetch(`${sim.ariUrl}${path}`, {
    method,
    headers: { Authorization: `Basic ${Buffer.from(auth).toString('base64')}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** the event sockets a test opened (all closed by close()), and REST calls after which every one of them has caught up */
export class SimListeners {
  readonly recorders: EventRecorder[] = [];

  constructor(private readonly sim: Simulator) {}

  async listen(app: string, subscribeAll = false): Promise<EventRecorder> {
    const r = await EventRecorder.connect(this.sim.eventsUrl(app, subscribeAll));
    this.recorders.push(r);
    return r;
  }

  async rest(method: string, path: string, body?: unknown): Promise<AriAnswer> {
    const r = await ariCall(this.sim, method, path, body);
    await settle(this.sim, ...this.recorders);
    return r;
  }

  close(): void {
    for (const r of this.recorders.splice(0)) r.close();
  }
}

export interface SimPerTest {
  sim: Simulator;
  io: SimListeners;
  /** what the `attendant` app's socket receives */
  events: EventRecorder;
}

/**
 * A simulator of its own for each test of the suite (mocha hooks): manual time from Monday
 * 2026-01-05 09:00 UTC, the `attendant` app listening; stopped with its sockets after the test.
 */
export function simPerTest(options: () => Omit<SimulatorOptions, 'user' | 'password' | 'time'>): SimPerTest {
  const t = {} as SimPerTest;
  beforeEach(async () => {
    t.sim = await startSimulator({ user: SIM_USER, password: SIM_PASSWORD, time: new ManualTime(Date.UTC(2026, 0, 5, 9, 0, 0)), ...options() });
    t.io = new SimListeners(t.sim);
    t.events = await t.io.listen('attendant');
  });
  afterEach(async () => {
    t.io.close();
    await t.sim.stop();
  });
  return t;
}

/** one /sim control call */
export async function controlCall(sim: Simulator, method: string, path: string, body?: unknown): Promise<AriAnswer> {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** the channel object of an event, when it has one */
export function channelOf(e: AriEvent): { id: string; name: string; state: string } | undefined {
  const c = (e.channel ?? e.peer) as { id: string; name: string; state: string } | undefined;
  return c;
}

/**
 * True when `bridge` (as the simulator or GET /bridges reports it) is the controller's bridge of
 * that role for that call: read from the name it gave the bridge (lib/calls/routes.ts), never its id.
 */
export function isCallBridge(bridge: { name?: string } | undefined, role: BridgeRole, callId: string): boolean {
  const r = bridgeRouteOfName(bridge?.name);
  return r?.role === role && r.callId === callId;
}
