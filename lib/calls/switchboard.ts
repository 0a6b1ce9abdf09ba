// The switchboard: loads the state from the store, reconciles it with what Asterisk really has,
// then routes each ARI event to the flow it belongs to. Wiring and recovery only; decisions live
// in the flows (inbound, presenter, attendants) and the pure domain.
import type { Logger } from 'pino';
import type { AriEvent, AriPort, ChannelInfo } from '../asterisk/port.ts';
import type { Config } from '../config.ts';
import type { TimeSource } from '../domain/clock.ts';
import type { AttendantEvent } from '../domain/attendant.ts';
import type { AttendantRecord, CallRecord, Mode } from '../domain/model.ts';
import type { Store } from '../store/store.ts';
import { AttendantDesk } from './attendants.ts';
import { bestEffort, type CallContext } from './context.ts';
import { Inbound } from './inbound.ts';
import { Ledger, type Change } from './ledger.ts';
import { PRESENT_ARG, Presenter } from './presenter.ts';
import { DomainError } from '../domain/errors.ts';
import { recordCallEnd } from './traffic-recorder.ts';
import { recordBridgeStay } from './bridge-stays.ts';
import { effectiveMode } from '../domain/table.ts';
import { SwitchboardOperations } from './operations.ts';
import { AttendantPhone, FEATURE_ARG } from './phone/phone.ts';

export interface SwitchboardDeps {
  config: Config;
  ari: AriPort;
  store: Store;
  time: TimeSource;
  log: Logger;
  random?: () => number;
}

export class Switchboard {
  readonly ledger: Ledger;
  readonly desk: AttendantDesk;
  readonly presenter: Presenter;
  readonly inbound: Inbound;
  /** the operators' commands (answer from the console, release, ...) */
  readonly operations: SwitchboardOperations;
  /** the SIP set as the attendant set: feature codes, keypad commands, transfer key, key lamps */
  readonly phone: AttendantPhone;
  private readonly ctx: CallContext;
  private started = false;

  constructor(private readonly deps: SwitchboardDeps) {
    const { config, ari, store, time, log } = deps;
    this.ledger = new Ledger(store, time, log);
    const groups = new Map(config.groups.map((g) => [g.id, g]));
    const attendants = new Map(config.attendants.map((a) => [a.id, a]));
    this.ctx = {
      config, ari, time, log, ledger: this.ledger, random: deps.random ?? Math.random,
      groupConfig: (id) => groups.get(id),
      attendantConfig: (id) => attendants.get(id),
      requestDispatch: () => this.presenter.requestDispatch(),
    };
    this.desk = new AttendantDesk(this.ctx);
    this.presenter = new Presenter(this.ctx, this.desk);
    this.inbound = new Inbound(this.ctx, this.desk, this.presenter);
    this.inbound.onCallEnded = (call, b) => recordCallEnd(call, b, config.statistics.serviceTargetSeconds);
    this.operations = new SwitchboardOperations({ ctx: this.ctx, desk: this.desk, presenter: this.presenter, inbound: this.inbound });
    this.inbound.describeArrival = (args) => this.operations.describeArrival(args);
    this.phone = new AttendantPhone({ ctx: this.ctx, ops: this.operations, presenter: this.presenter, desk: this });
  }

  /** Subscribe to every published change (the API's WebSocket uses this). */
  onChange(fn: (c: Change) => void): void {
    this.ledger.on('change', fn);
  }

  /** Load the stored state, reconcile it with Asterisk, and start taking calls. */
  async start(): Promise<void> {
    const { ari, store, log } = this.deps;
    this.ledger.load(await store.snapshot());
    const seed = this.ledger.batch();
    this.desk.seed(seed);
    await this.ledger.commit(seed);
    await this.operations.load();
    ari.onEvent((e) => this.handle(e));
    ari.onConnection((up) => { if (up) void this.reconcile('reconnect'); });
    this.started = true;
    await this.reconcile('start');
    log.info({ attendants: this.ledger.attendants.size, calls: this.ledger.calls.size }, 'switchboard started');
  }

  /**
   * Make the stored state agree with Asterisk after a start or a reconnect: calls whose caller is
   * gone are closed (and counted), presentations that were ringing are given up and presented
   * again, talking calls are left alone, timers are armed again.
   */
  async reconcile(why: string): Promise<void> {
    const { ari, log } = this.deps;
    let live: Set<string>;
    try {
      live = new Set((await ari.listChannels()).map((c) => c.id));
    } catch (err) {
      log.warn({ err: (err as Error).message, why }, 'cannot list channels; reconciling later');
      return;
    }
    this.inbound.resetBridges();
    const b = this.ledger.batch();
    let closed = 0;
    let represented = 0;
    for (const call of [...this.ledger.calls.values()]) {
      // after a caller left a consultation the attendant goes on with the third party: no caller to find
      if (!live.has(call.id) && !call.callerGone) {
        closed++;
        this.inbound.finish(call.id, 'lost', `caller gone after ${why}`);
        continue;
      }
      if (call.state === 'ringing' && !call.ringingLegs.some((l) => this.presenter.isPresentationLeg(l))) {
        // presentations of a previous run: stop them, present again
        represented++;
        for (const leg of call.ringingLegs) if (live.has(leg)) void ari.hangup(leg).catch(() => undefined);
        const next: CallRecord = { ...call, state: call.slot !== undefined ? 'held' : call.parkSlot !== undefined ? 'parked' : 'waiting', ringingLegs: [] };
        if (call.slot === undefined && call.parkSlot === undefined) delete next.attendant;
        b.putCall(next);
      }
      if (call.state === 'talking' && call.leg && !live.has(call.leg)) {
        // the attendant's side vanished while we were away: release the caller
        this.inbound.attendantLeft(call.leg);
      }
    }
    this.operations.reconcile(live);
    for (const a of [...this.ledger.attendants.values()]) {
      const call = a.currentCall ? this.ledger.calls.get(a.currentCall) : undefined;
      const stale = a.state === 'ringing' ? !call || call.state !== 'ringing' || !call.ringingLegs.includes(a.currentLeg ?? '') : a.state === 'busy' && a.currentCall !== undefined && !call;
      if (stale) this.desk.apply(b, a.id, { type: 'callEnded', ...(a.currentCall ? { callId: a.currentCall } : {}) });
    }
    await this.ledger.commit(b);
    this.desk.republishAll();
    this.phone.republishAll();
    this.desk.rearmAll();
    this.inbound.rearm();
    this.operations.rearm();
    log.info({ why, closed, represented, live: live.size }, 'reconciled with Asterisk');
    this.presenter.requestDispatch();
  }

  private handle(e: AriEvent): void {
    if (!this.started) return;
    switch (e.type) {
      case 'StasisStart': {
        if (e.args[0] === PRESENT_ARG) this.presenter.legAnswered(e.channel.id, e.args[1] ?? '', e.args[2] ?? '');
        else if (e.args[0] === FEATURE_ARG) this.featureCall(e.channel, e.args.slice(1));
        else if (e.args[0]?.startsWith('@')) {
          if (!this.operations.internalLegAnswered(e.channel.id, e.args)) this.deps.log.debug({ channel: e.channel.id, args: e.args }, 'internal leg');
        }
        else this.inbound.arrive(e.channel, e.args);
        break;
      }
      case 'StasisEnd': {
        const id = e.channel.id;
        this.phone.channelLeft(id);
        if (this.operations.channelLeft(id)) break;
        if (this.ledger.calls.has(id)) this.inbound.callerLeft(id);
        else this.inbound.attendantLeft(id);
        break;
      }
      case 'ChannelDestroyed':
        this.presenter.legDestroyed(e.channel.id, e.cause);
        this.operations.legDestroyed(e.channel.id, e.cause);
        break;
      case 'ChannelDtmfReceived':
        this.phone.dtmf(e.channel.id, e.digit);
        break;
      case 'ChannelTransfer':
        this.phone.transferRequested(e);
        break;
      case 'PlaybackFinished':
        if (e.channelId) {
          this.phone.playbackFinished(e.channelId);
          this.operations.playbackFinished(e.channelId);
        }
        break;
      case 'ChannelEnteredBridge':
      case 'ChannelLeftBridge':
        recordBridgeStay(this.ctx, e);
        break;
      default:
        break;
    }
  }

  /**
   * Stasis(attendant,feature,<name>[,<arg>...]): an attendant set's feature codes go to the phone;
   * any other feature (a room phone's) is handled below.
   */
  private featureCall(channel: ChannelInfo, args: string[]): void {
    if (this.phone.featureCall(channel, args)) return;
    // --- features of other phones (a room's wake-up booking) ---
    if (this.operations.featureCode(channel, [FEATURE_ARG, ...args])) return;
    this.deps.log.info({ channel: channel.id, feature: args[0] }, 'unknown feature code');
    bestEffort(this.ctx, 'hang up unknown feature call', this.deps.ari.hangup(channel.id, 'unallocated'), { channel: channel.id });
  }

  // ----- attendant actions (console keys, feature codes) ----------------------------------

  /** Apply an attendant action; any key also brings an absent attendant back. */
  async attendantAction(id: string, ev: AttendantEvent): Promise<AttendantRecord> {
    const b = this.ledger.batch();
    if (!this.ledger.attendants.has(id)) throw new DomainError('invalid_transition', `unknown attendant "${id}"`, { attendant: id });
    if (ev.type !== 'logout' && ev.type !== 'login') this.desk.apply(b, id, { type: 'action' });
    const res = this.desk.apply(b, id, ev);
    if (res instanceof Error) throw res;
    await this.ledger.commit(b);
    this.desk.publishDeviceStates([res]);
    this.presenter.requestDispatch();
    return res;
  }

  async login(id: string, user?: string): Promise<AttendantRecord> {
    return this.attendantAction(id, { type: 'login', groups: this.desk.groupsOf(id), ...(user ? { user } : {}) });
  }

  /** Manual switch of a group's mode by a supervisor (undefined clears the override); `by` is who, for the log. */
  async setGroupOverride(groupId: string, mode: Mode | undefined, by = 'supervisor'): Promise<void> {
    const rec = this.ledger.groups.get(groupId);
    if (!rec) throw new DomainError('invalid_transition', `unknown group "${groupId}"`, { group: groupId });
    const next = { ...rec };
    if (mode) { next.override = mode; next.mode = mode; } else {
      // back to the schedule (or day): the mode shown must be the one calls are served by
      delete next.override;
      const cfg = this.ctx.groupConfig(groupId);
      next.mode = cfg ? effectiveMode(cfg, {}, this.deps.time.now()) : 'day';
    }
    const b = this.ledger.batch().putGroup(next);
    b.log({ time: this.deps.time.now(), operator: by, action: 'mode', numbers: [], result: mode ?? 'schedule', detail: { group: groupId } });
    await this.ledger.commit(b);
  }

  /** wait until every queued ARI step and store write has finished (tests, shutdown) */
  async settle(): Promise<void> {
    await this.inbound.serial.idle();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.phone.stop();
    this.presenter.stop();
    this.operations.stop();
    this.inbound.stop();
    this.desk.stop();
    await this.settle();
  }
}
