// The switchboard: loads the state from the store, reconciles it with what Asterisk really has,
// then routes each ARI event to the flow it belongs to. Wiring and recovery only; decisions live
// in the flows (inbound, presenter, attendants) and the pure domain.
import type { Logger } from 'pino';
import type { AriEvent, AriPort, ChannelInfo } from '../asterisk/port.ts';
import type { Config } from '../config.ts';
import type { TimeSource } from '../domain/clock.ts';
import type { AttendantEvent } from '../domain/attendant.ts';
import type { AttendantRecord, LogEntryInput, Mode } from '../domain/model.ts';
import type { Store } from '../store/store.ts';
import { AttendantDesk } from './attendants.ts';
import { bestEffort, type CallContext } from './context.ts';
import { IdMaker } from './ids.ts';
import { Inbound } from './inbound.ts';
import { Ledger, type LedgerOptions } from './ledger.ts';
import { LedgerView, type SwitchboardView } from './view.ts';
import { Presenter } from './presenter.ts';
import { Routes, routedAri, type ChannelRoute } from './routes.ts';
import { DomainError } from '../domain/errors.ts';
import { recordCallEnd } from './traffic-recorder.ts';
import { recordBridgeStay } from './bridge-stays.ts';
import { effectiveMode } from '../domain/table.ts';
import { SwitchboardOperations } from './operations.ts';
import { ASTERISK_DOC, Recovery } from './recovery.ts';
import { AttendantPhone, FEATURE_ARG } from './phone/phone.ts';
import { QueueLogRecorder } from './queue-log-recorder.ts';
import { withCallContext } from '../log.ts';

export interface SwitchboardDeps {
  config: Config;
  ari: AriPort;
  store: Store;
  time: TimeSource;
  log: Logger;
  random?: () => number;
  /** the controller's lease: store writes are fenced by it */
  lease?: LedgerOptions['lease'];
  /** queue_log lines as they are decided (the controller appends them to `queueLog.file`) */
  queueLogSink?: (lines: string[]) => void;
}

export class Switchboard {
  readonly ledger: Ledger;
  /** what the API, the metrics and the tests read: the working state, readonly (view.ts) */
  readonly view: SwitchboardView;
  readonly desk: AttendantDesk;
  readonly presenter: Presenter;
  readonly inbound: Inbound;
  /** the operators' commands (answer from the console, release, ...) */
  readonly operations: SwitchboardOperations;
  /** reconciliation with Asterisk after a start, a reconnect or an Asterisk restart */
  readonly recovery: Recovery;
  /** the SIP set as the attendant set: feature codes, keypad commands, transfer key, key lamps */
  readonly phone: AttendantPhone;
  /** the queue_log export (`queueLog.enabled`) */
  readonly queueLog: QueueLogRecorder | undefined;
  /** who owns each channel and bridge: where each ARI event goes (routes.ts) */
  readonly routes: Routes;
  private readonly ctx: CallContext;
  private started = false;

  constructor(private readonly deps: SwitchboardDeps) {
    const { config, ari, store, time, log } = deps;
    this.ledger = new Ledger(store, time, log, deps.lease ? { lease: deps.lease } : {});
    this.view = new LedgerView(this.ledger);
    const groups = new Map(config.groups.map((g) => [g.id, g]));
    const attendants = new Map(config.attendants.map((a) => [a.id, a]));
    this.routes = new Routes();
    this.ctx = {
      config, ari: routedAri(ari, this.routes), time, ledger: this.ledger, ids: new IdMaker(this.routes), routes: this.routes,
      // decisions about a call name its group and attendant in the log
      log: withCallContext(log, (id) => this.ledger.calls.get(id)), random: deps.random ?? Math.random,
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
    const ql = config.queueLog;
    this.queueLog = ql.enabled
      ? new QueueLogRecorder(this.ledger, time, { store: ql.store, transferContext: ql.transferContext, ...(deps.queueLogSink ? { sink: deps.queueLogSink } : {}) })
      : undefined;
    this.recovery = new Recovery({ ctx: this.ctx, desk: this.desk, presenter: this.presenter, inbound: this.inbound, operations: this.operations, phone: this.phone });
  }

  /** Load the stored state, reconcile it with Asterisk, and start taking calls. */
  async start(): Promise<void> {
    const { ari, store, log } = this.deps;
    this.ledger.load(await store.snapshot());
    this.queueLog?.prime();
    const known = await store.getDoc(ASTERISK_DOC.kind, ASTERISK_DOC.id);
    this.recovery.remember(typeof known?.startupTime === 'string' ? known.startupTime : undefined);
    const seed = this.ledger.batch();
    this.desk.seed(seed);
    await this.ledger.commit(seed);
    await this.operations.load();
    ari.onEvent((e) => this.handle(e));
    ari.onConnection((up) => { if (up && this.started) void this.reconcile('reconnect'); });
    this.started = true;
    await this.reconcile('start');
    log.info({ attendants: this.ledger.attendants.size, calls: this.ledger.calls.size }, 'switchboard started');
  }

  /** Make the state agree with Asterisk (see recovery.ts); one at a time, retried while Asterisk cannot answer. */
  reconcile(why: string): Promise<void> {
    return this.recovery.reconcile(why);
  }

  /** the route of a channel an event is about; none: the event is dropped, said at debug */
  private ownerOf(channelId: string, event: string): ChannelRoute | undefined {
    const route = this.routes.channel(channelId);
    if (!route) this.deps.log.debug({ channel: channelId }, `${event} of a channel nobody owns`);
    return route;
  }

  /**
   * Each event goes to the one owner the routing table names for its channel (routes.ts); an event
   * of a channel nobody owns is dropped (logged at debug), except a StasisStart, which is a channel
   * new to the app (see `arrived`).
   */
  private handle(e: AriEvent): void {
    if (!this.started) return;
    switch (e.type) {
      case 'StasisStart': {
        const route = this.routes.channel(e.channel.id);
        if (!route) {
          this.arrived(e.channel, e.args);
          break;
        }
        switch (route.owner) {
          case 'caller': this.inbound.receive(e.channel, e.args); break;
          case 'attendant': this.presenter.legAnswered(e.channel.id, e.args[1] ?? '', e.args[2] ?? ''); break;
          case 'transfer': case 'consultation': case 'monitor': case 'snoop': case 'wakeup': case 'night-bell':
            this.operations.legAnswered(route.owner, e.channel.id, e.args);
            break;
          case 'handoff': case 'room':
            this.deps.log.debug({ channel: e.channel.id, owner: route.owner, args: e.args }, 'StasisStart of a channel already in the app');
            break;
        }
        break;
      }
      case 'StasisEnd': {
        const id = e.channel.id;
        const route = this.ownerOf(id, e.type);
        if (!route) break;
        this.routes.channelLeft(id);
        switch (route.owner) {
          case 'caller': {
            // a caller this run ended or handed back (admission control, a divert) is nobody's call now
            this.inbound.forget(id);
            if (!this.operations.callerLeft(id)) this.inbound.callerLeft(id);
            break;
          }
          case 'attendant':
            this.phone.channelLeft(id);
            if (!this.operations.attendantLegLeft(id)) this.inbound.attendantLeft(id);
            break;
          case 'handoff':
            this.inbound.forget(id);
            this.operations.channelLeft(route.owner, id);
            break;
          default:
            this.operations.channelLeft(route.owner, id);
        }
        break;
      }
      case 'ChannelStateChange': {
        // a presentation leg rings at its set: the caller hears ringback, the lamp blinks
        if (e.channel.state === 'Ringing' && this.routes.channel(e.channel.id)?.owner === 'attendant') this.presenter.legRinging(e.channel.id);
        break;
      }
      case 'ChannelDestroyed': {
        const id = e.channel.id;
        const route = this.ownerOf(id, e.type);
        if (!route) break;
        this.routes.dropChannel(id);
        switch (route.owner) {
          case 'attendant': this.presenter.legDestroyed(id, e.cause); break;
          case 'transfer': case 'consultation': case 'monitor': case 'snoop': case 'wakeup': case 'night-bell':
            this.operations.legDestroyed(route.owner, id, e.cause);
            break;
          default: break; // a caller's end is its StasisEnd
        }
        break;
      }
      case 'ChannelDtmfReceived':
        // only an attendant's leg has keypad commands
        if (this.routes.channel(e.channel.id)?.owner === 'attendant') this.phone.dtmf(e.channel.id, e.digit);
        break;
      case 'ChannelTransfer':
        // a REFER comes from an attendant's leg (only they are ari-only); the phone declines any other
        this.phone.transferRequested(e);
        break;
      case 'PlaybackFinished': {
        if (!e.channelId) break;
        const owner = this.routes.channel(e.channelId)?.owner;
        if (owner === 'attendant') this.phone.playbackFinished(e.channelId);
        else if (owner === 'wakeup' || owner === 'room') this.operations.playbackFinished(owner, e.channelId);
        break;
      }
      case 'ChannelEnteredBridge':
      case 'ChannelLeftBridge':
        // only callers have bridge stays
        if (this.routes.channel(e.channel.id)?.owner === 'caller') recordBridgeStay(this.ctx, e);
        break;
      default:
        break;
    }
  }

  /**
   * StasisStart of a channel the table does not know: a phone's feature code (`feature,<name>,…`),
   * a leg of the controller's (`@<verb>,…`) that this run did not make, or gave up (a previous
   * run's, answered late: hung up), or else a new caller.
   */
  private arrived(channel: ChannelInfo, args: string[]): void {
    if (args[0] === FEATURE_ARG) this.featureCall(channel, args.slice(1));
    else if (args[0]?.startsWith('@')) {
      this.deps.log.info({ channel: channel.id, args }, 'a leg nobody owns entered the app: hung up');
      bestEffort(this.ctx, 'hang up leg nobody owns', this.deps.ari.hangup(channel.id), { leg: channel.id });
    } else this.inbound.receive(channel, args);
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
    if (res instanceof Error) {
      // the batch is dropped: memory and the store keep the record, its absent timer goes back to it
      this.desk.rearm(id);
      throw res;
    }
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

  /** An action-log line decided outside a call flow (a shift change), written in order with the batches. */
  async logAction(entry: LogEntryInput): Promise<void> {
    await this.ledger.commit(this.ledger.batch().log(entry));
  }

  /** wait until every queued ARI step and store write has finished (tests, shutdown) */
  async settle(): Promise<void> {
    await this.inbound.serial.idle();
  }

  async stop(): Promise<void> {
    this.started = false;
    this.recovery.stop();
    this.phone.stop();
    this.presenter.stop();
    this.operations.stop();
    this.inbound.stop();
    this.desk.stop();
    await this.settle();
  }
}
