// What the resilience tests share: a site configuration, attendants logged in through the store,
// a watcher of every channel the simulator makes, and the call accounting read back from the store.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';
import { applyAttendantEventOrThrow, newAttendant } from '../../lib/domain/attendant.ts';
import { realTime } from '../../lib/clock.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { createStore } from '../../lib/store/index.ts';
import type { Store } from '../../lib/store/store.ts';
import type { ChildController } from '../support/child-controller.ts';
import type { Harness } from '../support/harness.ts';
import { EventRecorder } from '../support/sim-helpers.ts';
import { deletePrefix } from '../contract/redis-keys.ts';

export const ARI = { user: 'attendant', password: 'test-ari-secret', app: 'attendant' };
export const DEVICES = ['PJSIP/att1', 'PJSIP/att2', 'PJSIP/att3'];

/** three manual sets in one group; timers long enough that real time never fires them during a test */
export function siteConfig(opts: { ariUrl: string; redisUrl?: string; prefix?: string; nodeId?: string; leaseTtl?: number }): Record<string, unknown> {
  return {
    asterisk: { ari: { url: opts.ariUrl, ...ARI, requestTimeout: 3 } },
    ...(opts.redisUrl ? { redis: { url: opts.redisUrl, prefix: opts.prefix ?? 'att:' } } : {}),
    ...(opts.nodeId ? { ha: { nodeId: opts.nodeId } } : {}),
    timers: { absentAfter: 600, recall: 300, park: 600, leaseTtl: opts.leaseTtl ?? 5 },
    classes: [{ id: 'external', priority: 5, delayedRing: 0 }, { id: 'recall', priority: 7, delayedRing: 0 }],
    attendants: DEVICES.map((device, i) => ({ id: `att${i + 1}`, name: `Attendant ${i + 1}`, device })),
    groups: [{
      id: 'operators', name: 'Operators', members: ['att1', 'att2', 'att3'], strategy: 'longest-idle', ringTimeout: 120,
      table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' } }, fallback: { type: 'extension', number: '2000' },
    }],
  };
}

/** the attendants logged in before the controller starts (as a previous run would have left them) */
export async function seedLoggedIn(store: Store, at: number): Promise<void> {
  await store.commit(DEVICES.map((device, i) => {
    const a = newAttendant({ id: `att${i + 1}`, device }, at - 1000);
    return { op: 'putAttendant', attendant: applyAttendantEventOrThrow(a, { type: 'login', groups: ['operators'] }, at - 1000 + i).attendant };
  }));
}

/** a key prefix of the test's own, short enough for `redis.prefix` (32 characters) */
export function testPrefix(): string {
  return `rs:${randomBytes(8).toString('hex')}:`;
}

/** delete what a test wrote under its own prefix (never anything else) */
export async function cleanPrefix(url: string, prefix: string): Promise<void> {
  const client = createClient({ url });
  await client.connect();
  try {
    await deletePrefix(client, prefix);
  } finally {
    await client.close();
  }
}

export function placeCall(sim: Simulator, number: string): string {
  return sim.placeCall({ from: 'PJSIP/pstn', callerNumber: number, callerName: `Caller ${number}`, context: 'from-pstn', exten: '0', appArgs: ['external', 'operators'] });
}

/** the presentation legs of a call ringing now */
export function ringingLegsOf(sim: Simulator, callId: string): string[] {
  return sim.channels().filter((c) => c.id.startsWith(`${callId}-p`) && c.state === 'Ringing' && !c.hungUp).map((c) => c.id);
}

/** the one presentation leg of a call, once it rings */
export async function ringingLeg(hh: Harness, callId: string): Promise<string> {
  await hh.until(`${callId} rings`, () => ringingLegsOf(hh.sim, callId).length === 1);
  return ringingLegsOf(hh.sim, callId)[0]!;
}

/** the call's ringing leg answered, and the call bridged with it: that leg */
export async function answerRinging(hh: Harness, callId: string): Promise<string> {
  const leg = await ringingLeg(hh, callId);
  hh.sim.answerChannel(leg);
  await hh.until(`${callId} talking`, () => hh.callRecord(callId)?.talkBridge !== undefined);
  return leg;
}

export function live(sim: Simulator, id: string): boolean {
  return sim.channels().some((c) => c.id === id && !c.hungUp);
}

/**
 * Watches every channel the simulator creates (an app with subscribeAll): for each call, how many of
 * its presentation legs were alive at once, at most. Two at once would be a call presented twice.
 */
export class LegWatcher {
  private readonly alive = new Map<string, Set<string>>();
  private readonly peak = new Map<string, number>();
  private seen = 0;

  private constructor(private readonly rec: EventRecorder) {}

  static async start(sim: Simulator): Promise<LegWatcher> {
    return new LegWatcher(await EventRecorder.connect(sim.eventsUrl('watcher', true)));
  }

  private consume(): void {
    for (const e of this.rec.events.slice(this.seen)) {
      const ch = e.channel as { id?: string } | undefined;
      const m = ch?.id ? /^(.+)-p\d+$/.exec(ch.id) : null;
      if (!m) continue;
      const set = this.alive.get(m[1]!) ?? new Set<string>();
      this.alive.set(m[1]!, set);
      if (e.type === 'ChannelCreated') set.add(ch!.id!);
      if (e.type === 'ChannelDestroyed') set.delete(ch!.id!);
      this.peak.set(m[1]!, Math.max(this.peak.get(m[1]!) ?? 0, set.size));
    }
    this.seen = this.rec.events.length;
  }

  /** the ChannelCreated / ChannelDestroyed of a call's presentation legs, in order (to explain a failure) */
  timeline(callId: string): string[] {
    return this.rec.events.filter((e) => (e.type === 'ChannelCreated' || e.type === 'ChannelDestroyed') && String((e.channel as { id?: string } | undefined)?.id ?? '').startsWith(`${callId}-p`))
      .map((e) => `${e.type} ${(e.channel as { id: string }).id}`);
  }

  /** calls that had two presentation legs alive at the same time */
  async presentedTwice(): Promise<string[]> {
    await this.rec.sync();
    this.consume();
    return [...this.peak.entries()].filter(([, n]) => n > 1).map(([id]) => id);
  }

  /** every call that was presented at least once */
  async presented(): Promise<string[]> {
    await this.rec.sync();
    this.consume();
    return [...this.peak.keys()];
  }

  close(): void {
    this.rec.close();
  }
}

/** How each call ended, from the log and the statistics: every call must end exactly once. */
export async function accounting(store: Store, calls: string[]): Promise<{ ends: Record<string, string[]>; offered: number; outcomes: Record<string, number> }> {
  const log = await store.queryLog({ limit: 10_000 });
  const ends: Record<string, string[]> = Object.fromEntries(calls.map((id) => [id, []]));
  for (const e of log) if (e.action === 'end' && e.callId && ends[e.callId]) ends[e.callId]!.push(e.result);
  const stats = await store.stats('group:operators', 0, Number.POSITIVE_INFINITY);
  const sum = (k: string) => stats.reduce((n, s) => n + (s.counters[k] ?? 0), 0);
  return { ends, offered: sum('offered'), outcomes: { answered: sum('answered'), abandoned: sum('abandoned'), lost: sum('lost'), night: sum('night'), overflowOut: sum('overflowOut') } };
}

/** each call ended once in the log, and the statistics count each call once */
export async function assertEachCallEndedOnce(store: Store, calls: string[]): Promise<Record<string, string>> {
  const { ends, offered, outcomes } = await accounting(store, calls);
  for (const [id, results] of Object.entries(ends)) assert.equal(results.length, 1, `call ${id} ended ${results.length} times (${results.join(', ')})`);
  assert.equal(offered, calls.length, 'offered once per call');
  assert.equal(outcomes.answered! + outcomes.abandoned! + outcomes.lost! + outcomes.night!, calls.length, `one outcome per call: ${JSON.stringify(outcomes)}`);
  return Object.fromEntries(Object.entries(ends).map(([id, r]) => [id, r[0]!]));
}

/**
 * The fixture of the tests with controller processes (mocha hooks): a real-time simulator with manual
 * sets, a Redis prefix of the test's own with the attendants logged in, a leg watcher, and the child
 * processes to dispose of (their logs printed when the test failed).
 */
export interface ChildSite {
  sim: Simulator;
  store: Store;
  prefix: string;
  watcher: LegWatcher;
  children: ChildController[];
}

export function useChildSite(redisUrl: string | undefined, seed: number): ChildSite {
  const site = { children: [] as ChildController[] } as unknown as ChildSite;
  before(function () {
    if (!redisUrl) this.skip();
  });
  beforeEach(async () => {
    site.sim = await startSimulator({ port: 0, user: ARI.user, password: ARI.password, seed });
    for (const d of DEVICES) site.sim.setEndpoint(d, { kind: 'manual' });
    site.sim.setEndpoint('PJSIP/pstn', { kind: 'answer', afterMs: 0 });
    site.prefix = testPrefix();
    site.store = await createStore({ url: redisUrl!, prefix: site.prefix }, realTime);
    await seedLoggedIn(site.store, Date.now());
    site.watcher = await LegWatcher.start(site.sim);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') for (const c of site.children) process.stderr.write(`--- ${c.name} ---\n${c.logs.slice(-20_000)}\n`);
    for (const c of site.children.splice(0)) await c.dispose();
    site.watcher.close();
    await site.sim.stop();
    await site.store.close();
    await cleanPrefix(redisUrl!, site.prefix);
  });
  return site;
}
