// Recovery: make the working state (loaded from the store) agree with what Asterisk really has,
// after a start, an ARI reconnect or an Asterisk restart. Reads GET /channels, GET /bridges and
// Asterisk's startup time, then: closes calls whose caller is gone (counted: abandoned or
// completed when the caller hung up unseen, lost when Asterisk restarted), gives up ringing
// presentations of a previous run and presents again, leaves talking calls alone (their bridge is
// rebuilt only if it vanished), puts waiting and held callers back in their holding bridges,
// adopts callers in the app the store never heard of, hangs up orphan legs and destroys leftover
// bridges, resets attendants whose call is gone, and re-arms every timer. First of all it rebuilds
// the routing table (routes.ts) from the store's records and from what Asterisk reports (a channel's
// Stasis args, a bridge's name), so that every channel and bridge it finds has its owner again.
import type { BridgeInfo, ChannelInfo } from '../asterisk/port.ts';
import type { TimerHandle } from '../domain/clock.ts';
import type { CallRecord } from '../domain/model.ts';
import { attendantLegOf, awaitsAttendant, callerGone, consultLegOf, holdBridgeOf, talkBridgeOf, transferLegOf, waitBridgeOf, withAttention, withdraw } from '../domain/call.ts';
import { bestEffort, callerTarget } from './context.ts';
import { bridgeRouteOfName, routeOfChannelVars, type ChannelRoute } from './routes.ts';
import type { OpsDeps } from './ops/common.ts';
import { moveToHolding } from './ops/holding.ts';
import type { SwitchboardOperations } from './operations.ts';
import { PRESENT_ARG } from './presenter.ts';
import { FEATURE_ARG } from './services/wakeup-phone.ts';
import { TRANSFER_ARG } from './ops/transfer.ts';
import { CONSULT_ARG } from './ops/consult.ts';
import { MONITOR_ARG, SNOOP_ARG } from './ops/monitor.ts';
import { WAKEUP_ARG } from './services/wakeup.ts';
import { NIGHT_BELL_ARG } from './services/night-bell.ts';
import { AttendantSets } from './phone/sets.ts';

/** when Asterisk made the channel (never later than now), for a caller taken in after a restart */
function createdAt(ch: ChannelInfo, now: number): number | undefined {
  const created = ch.creationtime ? Date.parse(ch.creationtime) : NaN;
  return Number.isFinite(created) ? Math.min(created, now) : undefined;
}

/** the store document holding the startup time of the Asterisk last reconciled with */
export const ASTERISK_DOC = { kind: 'asterisk', id: 'server' } as const;

/** bridges a handed-off pair may talk in: a consultation handed over, a blind transfer, the night bell */
const PAIR_BRIDGES: ReadonlySet<string> = new Set(['call', 'xfer', 'bell']);
/** legs of a call that no call record names any more are hung up (a monitoring leg is the monitors') */
const ORPHAN_OWNERS: ReadonlySet<string> = new Set(['attendant', 'transfer', 'consultation']);
const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000];

export interface RecoveryDeps extends OpsDeps {
  operations: SwitchboardOperations;
  /** the attendant sets' key lamps, published again with the device states */
  phone?: { republishAll(): void };
}

export interface RecoveryReport {
  why: string;
  asteriskRestarted: boolean;
  /** calls whose caller was gone */
  closed: number;
  /** ringing presentations of a previous run given up (presented again) */
  represented: number;
  /** callers in the app the store did not know, taken in as new arrivals */
  adopted: number;
  /** orphan legs hung up and leftover bridges destroyed */
  orphans: number;
  /** bridges rebuilt or callers put back in their bridge */
  repaired: number;
  /** presentation legs found answered in Stasis (their StasisStart missed), connected to their caller */
  answeredLegs: number;
}

interface AsteriskView {
  /** the routing table's count of takes before the read (routes taken since are newer than the view) */
  mark: number;
  channels: Map<string, ChannelInfo>;
  bridges: Map<string, BridgeInfo>;
  /** channel id -> the bridge it is in */
  bridgeOf: Map<string, string>;
  startup: string | undefined;
}

export class Recovery {
  /** Asterisk's startup time when last reconciled (from the store at start) */
  private knownStartup: string | undefined;
  private running: Promise<void> | undefined;
  private queued: string | undefined;
  private retry: TimerHandle | undefined;
  private failures = 0;
  private stopped = false;
  /** told after every reconciliation (tests, logs) */
  onReconciled?: (r: RecoveryReport) => void;

  /** which attendant's set a channel is (a caller found talking with one is taken back) */
  private readonly sets: AttendantSets;

  constructor(private readonly o: RecoveryDeps) {
    this.sets = new AttendantSets(o.ctx.config);
  }

  /** what the previous run knew about Asterisk */
  remember(startup: string | undefined): void {
    this.knownStartup = startup;
  }

  /** Reconcile now, or right after the one in progress (never two at once). */
  reconcile(why: string): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.queued = why;
      return this.running;
    }
    this.retry?.cancel();
    this.running = this.run(why).finally(() => {
      this.running = undefined;
      const next = this.queued;
      this.queued = undefined;
      if (next !== undefined) void this.reconcile(next);
    });
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    this.retry?.cancel();
  }

  private async read(): Promise<AsteriskView> {
    const { ari, routes } = this.o.ctx;
    const mark = routes.mark();
    const [channels, bridges, startup] = await Promise.all([
      ari.listChannels(), ari.listBridges(), ari.startupTime().catch(() => undefined),
    ]);
    const bridgeOf = new Map<string, string>();
    for (const b of bridges) for (const ch of b.channels) bridgeOf.set(ch, b.id);
    return { mark, channels: new Map(channels.map((c) => [c.id, c])), bridges: new Map(bridges.map((b) => [b.id, b])), bridgeOf, startup: startup || undefined };
  }

  private async run(why: string): Promise<void> {
    const { ctx, presenter } = this.o;
    // nothing rings while the state is being made right: presentations of a previous run go first
    presenter.pause();
    try {
      let view: AsteriskView;
      try {
        view = await this.read();
      } catch (err) {
        // Asterisk booting or unreachable: try again with backoff (a reconnect also triggers one)
        const delay = RETRY_MS[Math.min(this.failures++, RETRY_MS.length - 1)]!;
        ctx.log.warn({ err: (err as Error).message, why, retryInMs: delay }, 'cannot read channels and bridges; reconciling later');
        this.retry = ctx.time.schedule(delay, () => { void this.reconcile(why); });
        return;
      }
      if (this.stopped) return;
      this.failures = 0;
      await this.apply(view, why);
    } finally {
      presenter.resume();
    }
  }

  private async apply(view: AsteriskView, why: string): Promise<void> {
    const { ctx, desk, presenter, inbound, operations } = this.o;
    const restarted = view.startup !== undefined && this.knownStartup !== undefined && view.startup !== this.knownStartup;
    const report: RecoveryReport = { why, asteriskRestarted: restarted, closed: 0, represented: 0, adopted: 0, orphans: 0, repaired: 0, answeredLegs: 0 };
    inbound.resetBridges();
    this.rebuildRoutes(view);
    // presentation legs answered while nobody heard it: their appArgs name the call and the attendant
    const answered = this.answeredLegs(view);

    // 1. calls whose caller is gone: their end was never seen
    for (const call of [...ctx.ledger.calls.values()]) {
      // after a caller left a consultation the attendant goes on with the third party: no caller to find
      if (view.channels.has(call.id) || callerGone(call)) continue;
      report.closed++;
      inbound.callerGone(call.id, restarted, why);
    }

    // 2. ringing: presentations of a previous run are stopped (and awaited), the call is presented again
    const b = ctx.ledger.batch();
    const stale: string[] = [];
    for (const call of [...ctx.ledger.calls.values()]) {
      if (call.state !== 'ringing') continue;
      const known = call.ringingLegs.filter((l) => presenter.isPresentationLeg(l));
      if (known.length === 0) {
        report.represented++;
        // a leg of a previous run the set answered is taken as the presentation (below), not hung up
        stale.push(...call.ringingLegs.filter((l) => view.channels.has(l) && answered.get(l)?.callId !== call.id));
        b.putCall(withdraw(call));
      } else {
        // this run's presentations whose ChannelDestroyed was missed during a drop (answered ones: below)
        for (const leg of known) if (!view.channels.has(leg)) presenter.legVanished(leg);
      }
    }

    // consultations, three-way calls and monitoring sessions check their own legs
    operations.reconcile(new Set(view.channels.keys()));

    // 3. attendants whose call is gone or no longer theirs return to idle (or their logged-in state)
    for (const a of [...ctx.ledger.attendants.values()]) {
      // as step 2 left the calls (the batch's view: it is not committed yet)
      const call = a.currentCall ? b.call(a.currentCall) : undefined;
      const gone = a.state === 'ringing'
        ? !call || call.state !== 'ringing' || !call.ringingLegs.includes(a.currentLeg ?? '')
        : a.state === 'busy' && a.currentCall !== undefined && !call;
      if (gone) desk.apply(b, a.id, { type: 'callEnded', ...(a.currentCall ? { callId: a.currentCall } : {}) });
    }
    if (view.startup) b.putDoc(ASTERISK_DOC.kind, ASTERISK_DOC.id, { startupTime: view.startup });
    // memory takes it at once and the write follows the ones queued before it: a slow store round trip
    // must not hold back the presentations paused until this reconcile ends (seen on the real Asterisk:
    // a write of ~1 s kept a caller who arrived meanwhile waiting with music for that long)
    void ctx.ledger.commit(b);
    if (view.startup) this.knownStartup = view.startup;

    // 4. calls that stay: each side where it belongs
    for (const call of [...ctx.ledger.calls.values()]) report.repaired += this.repair(call, view, why);

    // 5. what no call accounts for: transferred pairs, unknown callers, orphan legs, leftover bridges
    this.sweep(view, report, new Set(stale), answered);

    // 6. answered presentation legs: connected to their caller (stored or adopted just now), else released
    for (const [leg, a] of answered) {
      if (presenter.adoptAnsweredLeg(leg, a.callId, a.attendant)) {
        report.answeredLegs++;
        ctx.log.warn({ callId: a.callId, attendant: a.attendant, leg, why }, 'adopting an answered presentation leg');
      } else if (!presenter.isPresentationLeg(leg)) {
        report.orphans++;
        bestEffort(ctx, 'hang up answered leg of a call that cannot take it', ctx.ari.hangup(leg), { leg });
      }
    }

    desk.republishAll();
    this.o.phone?.republishAll();
    desk.rearmAll();
    inbound.rearm();
    await operations.rearm();
    // the old legs go before anything rings again: a call is never presented twice at once
    await Promise.all(stale.map((leg) => ctx.ari.hangup(leg).catch(() => undefined)));
    report.orphans += stale.length;
    // what Asterisk no longer has is nobody's now (its end was missed meanwhile)
    ctx.routes.prune(view.mark, new Set(view.channels.keys()), new Set(view.bridges.keys()));
    ctx.log.info({ ...report, live: view.channels.size, bridges: view.bridges.size, routes: ctx.routes.channelCount }, 'reconciled with Asterisk');
    this.onReconciled?.(report);
  }

  /**
   * The routing table again, for what this run did not make: from the store's records (a call's
   * caller, legs and bridges; a position busy on a leg that is not its call's is monitoring it: only a
   * monitoring session makes a position busy with a leg of its own), then from what Asterisk reports
   * (a channel's Stasis args, else the route variable a leg was originated with; a bridge's name).
   * What this run made or took itself is kept as it is.
   */
  private rebuildRoutes(view: AsteriskView): void {
    const { ctx } = this.o;
    const { routes } = ctx;
    for (const g of ctx.config.groups) ctx.ids.waitBridge(g.id);
    for (const c of ctx.ledger.calls.values()) {
      routes.adoptChannel(c.id, { owner: 'caller', callId: c.id });
      const leg = attendantLegOf(c);
      const transferLeg = transferLegOf(c);
      const consultLeg = consultLegOf(c);
      const talkBridge = talkBridgeOf(c);
      const holdBridge = holdBridgeOf(c);
      if (leg) routes.adoptChannel(leg, { owner: 'attendant', callId: c.id });
      for (const l of c.ringingLegs) routes.adoptChannel(l, { owner: 'attendant', callId: c.id, originated: true });
      if (transferLeg) routes.adoptChannel(transferLeg, { owner: 'transfer', callId: c.id, originated: true });
      if (consultLeg) routes.adoptChannel(consultLeg, { owner: 'consultation', callId: c.id, originated: true });
      if (talkBridge) routes.adoptBridge(talkBridge, { role: 'call', callId: c.id });
      if (holdBridge) routes.adoptBridge(holdBridge, { role: 'hold', callId: c.id });
    }
    for (const a of ctx.ledger.attendants.values()) {
      if (a.state !== 'busy' || !a.currentLeg || !a.currentCall) continue;
      const call = ctx.ledger.calls.get(a.currentCall);
      if (!call || attendantLegOf(call) === a.currentLeg || consultLegOf(call) === a.currentLeg) continue;
      routes.adoptChannel(a.currentLeg, { owner: 'monitor', callId: a.currentCall, originated: true });
    }
    for (const ch of view.channels.values()) {
      // in the app, its Stasis args; still ringing, the route variable it was originated with
      const args = stasisArgs(ch, ctx.ari.app);
      const route = (args ? routeOfArgs(ch.id, args) : undefined) ?? routeOfChannelVars(ch.channelvars);
      if (route) routes.adoptChannel(ch.id, route);
    }
    for (const b of view.bridges.values()) {
      const route = bridgeRouteOfName(b.name);
      if (route) routes.adoptBridge(b.id, route);
    }
  }

  /** Put the sides of a surviving call back where they belong; 1 when something was repaired. */
  private repair(call: CallRecord, view: AsteriskView, why: string): number {
    const { ctx, inbound, operations } = this.o;
    const current = ctx.ledger.calls.get(call.id);
    // changed meanwhile, or ARI steps for it in flight: those steps put it where it belongs
    if (!current || current !== call || inbound.isBusy(call.id)) return 0;
    const where = view.bridgeOf.get(call.id);
    switch (call.state) {
      case 'talking': {
        if (!call.leg) return 0;
        if (!view.channels.has(call.leg)) {
          // the attendant's side went while we were away: release the caller
          inbound.attendantLeft(call.leg);
          return 1;
        }
        const bridge = call.talkBridge ? view.bridges.get(call.talkBridge) : undefined;
        if (bridge && bridge.channels.includes(call.id) && bridge.channels.includes(call.leg)) return 0;
        ctx.log.warn({ callId: call.id, bridge: call.talkBridge, why }, 'call bridge vanished or incomplete: bridging again');
        void inbound.connect(call, call.leg);
        return 1;
      }
      case 'waiting':
      case 'ringing':
      case 'held':
      case 'parked':
      case 'transferring': {
        if (call.state === 'transferring' && call.transferLeg && !view.channels.has(call.transferLeg)) {
          // the transfer target's leg ended unseen: the call comes back
          operations.legDestroyed('transfer', call.transferLeg, 0);
        }
        // a caller whose channel is up was answered (by the run before, or this one): not answered again at the connect
        if (view.channels.get(call.id)?.state === 'Up') inbound.adoptAnswered(call.id);
        if (call.holdBridge) {
          if (where === call.holdBridge) return 0;
          this.rehold(call);
          return 1;
        }
        // the caller waits with music in its group's bridge (the one it joined, even after an overflow)
        const g = ctx.groupConfig(call.group);
        const expected = waitBridgeOf(call) ?? ctx.ids.waitBridge(call.group);
        if (g?.waiting === 'ringback' || where === expected) return 0;
        // a caller outside any bridge while a set rings for it hears ringback (presented at once)
        if (call.state === 'ringing' && where === undefined) {
          inbound.adoptRung(call.id);
          return 0;
        }
        inbound.resumeWaiting(call);
        return 1;
      }
      default:
        return 0;
    }
  }

  /**
   * A held, parked or transferring caller out of its holding bridge: a new holding bridge (an id is
   * never made twice: the old one may linger in Asterisk), the caller moved there. When Asterisk fails,
   * the call stays, flagged as needing attention, and the next reconciliation tries again.
   */
  private rehold(call: CallRecord): void {
    const { ctx } = this.o;
    const holdBridge = ctx.ids.callBridge('hold', call.id);
    void moveToHolding(this.o, call, holdBridge).then(async () => {
      const cur = ctx.ledger.calls.get(call.id);
      const old = cur ? holdBridgeOf(cur) : undefined;
      if (!cur || old !== holdBridgeOf(call) || !awaitsAttendant(cur)) {
        bestEffort(ctx, 'destroy unused holding bridge', ctx.ari.destroyBridge(holdBridge), { callId: call.id });
        return;
      }
      if (old) bestEffort(ctx, 'destroy old holding bridge', ctx.ari.destroyBridge(old), { callId: call.id });
      await ctx.ledger.commit(ctx.ledger.batch().putCall(withAttention({ ...cur, holdBridge }, undefined)));
    }, async (err: unknown) => {
      const cur = ctx.ledger.calls.get(call.id);
      ctx.log.error({ callId: call.id, err: (err as Error).message }, 'caller could not be put back in a holding bridge; the call needs attention');
      if (cur) await ctx.ledger.commit(ctx.ledger.batch().putCall(withAttention(cur, `the caller is out of its holding bridge: ${(err as Error).message}`)));
    });
  }

  /** a caller bridged with an attendant's set without a call record: recorded again as that attendant's talking call */
  private takeBack(caller: ChannelInfo, leg: string, bridge: string, attendantId: string): void {
    const { ctx, desk } = this.o;
    const args = stasisArgs(caller, ctx.ari.app) ?? [];
    const { cls, group } = callerTarget(ctx, args);
    const now = ctx.time.now();
    const arrivedAt = createdAt(caller, now) ?? now;
    const b = ctx.ledger.batch();
    const a = ctx.ledger.attendants.get(attendantId);
    let attention: string | undefined;
    if (a?.state === 'idle' || a?.state === 'absent') {
      if (a.state === 'absent') desk.apply(b, attendantId, { type: 'action' });
      desk.apply(b, attendantId, { type: 'present', callId: caller.id, leg });
      desk.apply(b, attendantId, { type: 'answer', callId: caller.id, leg });
    } else if (a?.currentCall !== caller.id) {
      attention = `taken back after a restart while the position was ${a?.state ?? 'unknown'}`;
    }
    const call: CallRecord = {
      id: caller.id, callClass: cls.id, priority: cls.priority, group, alsoGroups: [], state: 'talking',
      callerNumber: caller.caller.number, callerName: caller.caller.name, target: args[1] ?? '', arrivedAt,
      answeredAt: now, firstAnsweredAt: arrivedAt, attendant: attendantId, ringingLegs: [], leg, talkBridge: bridge, refusedBy: [],
      ...(attention ? { attention } : {}),
    };
    b.putCall(call);
    ctx.routes.takeChannel(caller.id, { owner: 'caller', callId: caller.id });
    ctx.routes.takeChannel(leg, { owner: 'attendant', callId: caller.id });
    b.log({ time: now, operator: 'system', action: 'take-back', callId: caller.id, numbers: [call.callerNumber], result: attendantId, detail: { bridge } });
    ctx.log.warn({ callId: caller.id, attendant: attendantId, leg, bridge }, 'taking back a caller still talking with an attendant set');
    void ctx.ledger.commit(b);
  }

  /** legs in our app with the presentation's appArgs [@present, call, attendant], in no bridge yet: answered sets */
  private answeredLegs(view: AsteriskView): Map<string, { callId: string; attendant: string }> {
    const out = new Map<string, { callId: string; attendant: string }>();
    // a leg a call already talks on (or consults, or transfers to) is that call's, answered long ago
    const taken = new Set<string>();
    for (const c of this.o.ctx.ledger.calls.values()) for (const l of [attendantLegOf(c), consultLegOf(c), transferLegOf(c)]) if (l) taken.add(l);
    for (const ch of view.channels.values()) {
      // a leg already bridged talks with someone: a pair the store forgot is taken back by the sweep (takeBack)
      if (taken.has(ch.id) || view.bridgeOf.has(ch.id)) continue;
      const args = stasisArgs(ch, this.o.ctx.ari.app);
      if (args?.[0] !== PRESENT_ARG || !args[1] || !args[2]) continue;
      out.set(ch.id, { callId: args[1], attendant: args[2] });
    }
    return out;
  }

  private sweep(view: AsteriskView, report: RecoveryReport, hangingUp: Set<string>, answered: ReadonlyMap<string, unknown>): void {
    const { ctx, inbound, operations } = this.o;
    const app = ctx.ari.app;
    const referenced = new Set<string>([...hangingUp, ...answered.keys()]);
    for (const c of ctx.ledger.calls.values()) {
      referenced.add(c.id);
      for (const l of [attendantLegOf(c), transferLegOf(c), consultLegOf(c), ...c.ringingLegs]) if (l) referenced.add(l);
    }

    // handed-off pairs (their call ended as completed-transfer): watched again, or the survivor released
    const transferred = new Set<string>();
    for (const bridge of view.bridges.values()) {
      const owner = ctx.routes.bridge(bridge.id);
      const callId = owner && PAIR_BRIDGES.has(owner.role) ? owner.callId : undefined;
      if (!callId || ctx.ledger.calls.has(callId) || inbound.isClosing(callId)) continue;
      const members = bridge.channels.filter((ch) => view.channels.has(ch));
      const leg = members.find((ch) => ch !== callId);
      const attendant = leg && owner?.role === 'call' ? this.sets.attendantOf(view.channels.get(leg)!) : undefined;
      if (members.includes(callId) && leg && members.length === 2 && attendant && !operations.isTransferred(callId)) {
        // a caller still talking with an attendant's set that the store forgot (an operation whose
        // hang-ups failed, a lost write): the call is the switchboard's again, the attendant busy on it
        report.repaired++;
        this.takeBack(view.channels.get(callId)!, leg, bridge.id, attendant.id);
      } else if (members.includes(callId) && leg && members.length === 2) {
        if (!operations.isTransferred(callId)) operations.watchTransferred(callId, leg, bridge.id);
      } else {
        report.orphans++;
        for (const ch of members) bestEffort(ctx, 'hang up half of a handed-off pair', ctx.ari.hangup(ch), { channel: ch });
        bestEffort(ctx, 'destroy leftover pair bridge', ctx.ari.destroyBridge(bridge.id), { bridge: bridge.id });
      }
      for (const ch of members) transferred.add(ch);
    }

    for (const ch of view.channels.values()) {
      if (referenced.has(ch.id) || transferred.has(ch.id) || operations.isTransferred(ch.id) || inbound.isClosing(ch.id)) continue;
      const leg = ctx.routes.channel(ch.id);
      // a leg the controller originated for a call (a supervisor's monitoring leg is the monitors' to
      // release: SwitchboardOperations.reconcile)
      if (leg?.originated && leg.callId !== undefined && ORPHAN_OWNERS.has(leg.owner)) {
        if (inbound.isClosing(leg.callId)) continue; // its call's end releases it
        // a leg of a call that ended, or of a previous run: nobody will ever answer for it
        report.orphans++;
        bestEffort(ctx, 'hang up orphan leg', ctx.ari.hangup(ch.id), { leg: ch.id });
        continue;
      }
      const args = stasisArgs(ch, app);
      // feature codes of room phones are short exchanges of their own, not calls
      if (args && !args[0]?.startsWith('@') && args[0] !== FEATURE_ARG) {
        // in our app but unknown to the store (its arrival was never written): take it in now
        report.adopted++;
        ctx.log.warn({ callId: ch.id, args }, 'adopting a caller the store did not know');
        inbound.arrive(ch, args, createdAt(ch, ctx.time.now()));
      }
    }

    // call and hold bridges no call uses any more (a call bridge without its call is a pair, above)
    for (const bridge of view.bridges.values()) {
      const owner = ctx.routes.bridge(bridge.id);
      if (!owner?.callId || (owner.role !== 'call' && owner.role !== 'hold')) continue;
      const call = ctx.ledger.calls.get(owner.callId);
      if (!call && owner.role === 'call') continue;
      const used = call && (owner.role === 'call' ? talkBridgeOf(call) === bridge.id : holdBridgeOf(call) === bridge.id);
      // ARI steps in flight for the call may be making that very bridge
      if (used || inbound.isClosing(owner.callId) || inbound.isBusy(owner.callId)) continue;
      report.orphans++;
      bestEffort(ctx, 'destroy leftover bridge', ctx.ari.destroyBridge(bridge.id), { bridge: bridge.id });
    }
  }
}

/**
 * The route a channel in our app has by its Stasis args (Asterisk reports them in GET /channels as
 * `dialplan.app_data` once the channel runs Stasis: `attendant,@present,<call>,<attendant>`): the legs the
 * controller originates say their verb and their call; anything else in the app but a feature code is a caller.
 */
function routeOfArgs(id: string, args: readonly string[]): ChannelRoute | undefined {
  const callId = args[1] || undefined;
  const of = (owner: ChannelRoute['owner']): ChannelRoute => ({ owner, originated: true, ...(callId !== undefined ? { callId } : {}) });
  switch (args[0]) {
    case PRESENT_ARG: return of('attendant');
    case TRANSFER_ARG: return of('transfer');
    case CONSULT_ARG: return of('consultation');
    case MONITOR_ARG: return of('monitor');
    case SNOOP_ARG: return { owner: 'snoop', originated: true };
    case WAKEUP_ARG: return { owner: 'wakeup', originated: true };
    case NIGHT_BELL_ARG: return { owner: 'night-bell', originated: true };
    // a phone's feature code is a short exchange of its own: whose it is, only its StasisStart said
    case FEATURE_ARG: return undefined;
    default: return args[0]?.startsWith('@') ? undefined : { owner: 'caller', callId: id };
  }
}

/** the arguments a channel runs Stasis(<app>,...) with, when it runs our app from the dialplan */
function stasisArgs(ch: ChannelInfo, app: string): string[] | undefined {
  if (ch.dialplan?.app_name !== 'Stasis' || !ch.dialplan.app_data) return undefined;
  const [name, ...args] = ch.dialplan.app_data.split(',');
  return name === app ? args : undefined;
}
