// Integration harness: the ARI simulator and the controller in one process, talking over real
// loopback sockets through ari-client, with the real Redis (REDIS_URL) under a random key prefix.
// Time is ManualTime shared by both, so a 15 s ring timeout or the 80 s absent timer never waits.
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { ManualTime } from '../../lib/clock.ts';
import { seededRandom } from '../../lib/random.ts';
import { parseConfig, type Config, type ConfigInput } from '../../lib/config.ts';
import { startController, type Controller } from '../../lib/controller.ts';
import type { Logger } from 'pino';
import { createLogger } from '../../lib/log.ts';
import { auditLogger, registerConfigSecrets } from './log-audit.ts';
import { createStore } from '../../lib/store/index.ts';
import type { Store } from '../../lib/store/store.ts';
import { startSimulator, type Simulator, type Behaviour } from '../../lib/sim/index.ts';
import type { DeepReadonly, SwitchboardView } from '../../lib/calls/view.ts';
import type { AttendantRecord, CallRecord, CallRecordBag, GroupRecord } from '../../lib/domain/model.ts';

/** a call read in a test: its state's fields, and any other state's field as absent */
export type CallFields = CallRecord & CallRecordBag;

export const ARI_USER = 'attendant';
export const ARI_PASSWORD = 'test-ari-secret';

/** a seeded uniform generator so random hunting repeats */
export const seeded = seededRandom;

export interface HarnessOptions {
  /** the configuration without asterisk/redis/http (filled in) */
  config: Omit<ConfigInput, 'asterisk' | 'redis' | 'http'> & { asterisk?: Partial<ConfigInput['asterisk']> };
  /** behaviour per endpoint; attendant devices default to manual (ring until answered by the test) */
  endpoints?: Record<string, Behaviour>;
  /** log in every attendant at start */
  login?: boolean;
  start?: number;
  /** use the memory store instead of Redis */
  memory?: boolean;
  /** this Redis instead of REDIS_URL (a test's own redis-server) */
  redisUrl?: string;
  /** ARI request timeouts on the shared manual time (tests of a slow Asterisk); default real time */
  manualAriTimeouts?: boolean;
  /** asterisk.ari.requestTimeout, seconds */
  ariRequestTimeout?: number;
  /** asterisk.ari.eventFilter (default: the configuration's default) */
  ariEventFilter?: boolean;
  /** the controller's logger instead of the audited silent one (give it auditText as well) */
  log?: Logger;
  /** run on the simulator before the controller connects (an older Asterisk, a fault) */
  beforeStart?: (sim: Simulator) => void;
  /** http settings besides the listener (trustProxy, login limits); the listener is always 127.0.0.1 on a free port */
  http?: Omit<NonNullable<ConfigInput['http']>, 'host' | 'port'>;
}

export class Harness {
  private constructor(
    readonly time: ManualTime,
    readonly sim: Simulator,
    private current: Controller,
    readonly store: Store,
    readonly config: Config,
    private readonly startAgain: () => Promise<Controller>,
    private readonly cleanup: () => Promise<void>,
  ) {}

  get controller(): Controller {
    return this.current;
  }

  static async start(opts: HarnessOptions): Promise<Harness> {
    const time = new ManualTime(opts.start ?? Date.UTC(2026, 0, 5, 9, 0, 0)); // a Monday, 10:00 in Paris
    const sim = await startSimulator({ port: 0, user: ARI_USER, password: ARI_PASSWORD, time, seed: 7 });
    const raw = {
      ...opts.config,
      asterisk: {
        ari: {
          url: sim.url, user: ARI_USER, password: ARI_PASSWORD, app: 'attendant', ...(opts.ariRequestTimeout ? { requestTimeout: opts.ariRequestTimeout } : {}),
          ...(opts.ariEventFilter !== undefined ? { eventFilter: opts.ariEventFilter } : {}),
        },
        ...(opts.config.asterisk ?? {}),
      },
      http: { ...(opts.http ?? {}), host: '127.0.0.1', port: 0 },
      log: { level: process.env.TEST_LOG ?? 'silent' },
    };
    const config = parseConfig(raw);
    for (const a of config.attendants) sim.setEndpoint(a.device, opts.endpoints?.[a.device] ?? { kind: 'manual' });
    for (const [name, b] of Object.entries(opts.endpoints ?? {})) sim.setEndpoint(name, b);
    sim.setEndpoint('PJSIP/pstn', { kind: 'answer', afterMs: 0 });
    opts.beforeStart?.(sim);

    const prefix = `itest:${randomUUID()}:`;
    const url = opts.redisUrl ?? process.env.REDIS_URL;
    const store = await createStore(url && !opts.memory ? { url, prefix } : { prefix }, time);
    // every line at trace level goes through the secrets audit (test/support/log-audit.ts)
    registerConfigSecrets(config);
    const log = opts.log ?? (process.env.TEST_LOG ? createLogger(process.env.TEST_LOG) : auditLogger());
    const start = () => startController(config, {
      log, time, store, random: seeded(42), autoLogin: opts.login ?? true, ...(opts.manualAriTimeouts ? { ariTime: time } : {}),
    });
    const controller = await start();
    const cleanup = async () => {
      await store.close();
      await sim.stop();
      if (url && !opts.memory) await deleteKeys(url, prefix);
    };
    return new Harness(time, sim, controller, store, config, start, cleanup);
  }

  /** a controller restart: this one stops, a new one starts on the same store, simulator and time */
  /** `meanwhile` runs while no controller runs (a store a previous run left in some state) */
  async restartController(meanwhile?: () => Promise<void>): Promise<void> {
    await this.current.stop();
    await meanwhile?.();
    this.current = await this.startAgain();
  }

  get switchboard() {
    return this.controller.switchboard;
  }

  /** an external caller dials the switchboard: Stasis(attendant,<class>,<group>) */
  call(opts: { class?: string; group?: string; number?: string; name?: string } = {}): string {
    return this.sim.placeCall({
      from: 'PJSIP/pstn', callerNumber: opts.number ?? '0155501234', callerName: opts.name ?? 'Caller',
      context: 'from-pstn', exten: '0', appArgs: [opts.class ?? 'external', opts.group ?? 'operators'],
    });
  }

  /** legs ringing at an attendant's device (not answered, not gone) */
  ringing(device: string): string[] {
    return this.sim.channels().filter((c) => c.endpoint === device && c.state === 'Ringing' && !c.hungUp).map((c) => c.id);
  }

  /** the caller is not answered and hears ringback (the controller asked Asterisk to indicate ringing) */
  hearsRingback(callId: string): boolean {
    return this.sim.channels().some((c) => c.id === callId && c.ringing && c.state !== 'Up' && !c.hungUp);
  }

  /** the caller sits in a group's waiting bridge (the record names that bridge from the arrival on, before it is there) */
  waitsWithMusic(callId: string): boolean {
    return this.sim.bridges().some((b) => b.id.startsWith('attendant-wait-') && b.channels.includes(callId));
  }

  /** the switchboard's read model (lib/calls/view.ts): the tests read its state through it, never the ledger */
  get view(): SwitchboardView {
    return this.switchboard.view;
  }

  attendant(id: string): DeepReadonly<AttendantRecord> {
    return this.view.attendant(id)!;
  }

  groupRecord(id: string): DeepReadonly<GroupRecord> | undefined {
    return this.view.group(id);
  }

  /**
   * The call as the tests read it: any state's field can be asked for, and is absent when the call's
   * state has none (the flows narrow on `state` instead: lib/domain/call.ts).
   */
  callRecord(id: string): DeepReadonly<CallFields> | undefined {
    return this.view.call(id);
  }

  /** the calls the switchboard holds now, in the order it took them */
  callRecords(): Array<DeepReadonly<CallRecord>> {
    return [...this.view.calls()];
  }

  callCount(): number {
    return this.view.callCount();
  }

  /** a copy of a group's queue (serving order) */
  queue(group: string): string[] {
    return [...this.view.queue(group)];
  }

  /** store batches not yet written */
  storeBacklog(): number {
    return this.view.storeBacklog();
  }

  /** move fake time on, then let the network catch up */
  async advance(ms: number): Promise<void> {
    this.time.advance(ms);
    await this.settle();
  }

  /** let in-flight requests and events finish (real time, bounded) */
  async settle(rounds = 3): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await new Promise((r) => setTimeout(r, 15));
      await this.switchboard.settle();
    }
  }

  /** wait (real time, bounded) until the condition holds */
  async until(what: string, cond: () => boolean, timeoutMs = 4000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** the test answers the set ringing at `device` */
  async answer(device: string): Promise<string> {
    await this.until(`${device} rings`, () => this.ringing(device).length > 0);
    const leg = this.ringing(device)[0]!;
    this.sim.answerChannel(leg);
    return leg;
  }

  async stop(): Promise<void> {
    await this.current.stop();
    await this.cleanup();
  }
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) keys.push(...(Array.isArray(batch) ? batch : [batch]));
    if (keys.length) await client.unlink(keys);
  } finally {
    await client.close();
  }
}
