// The attendant operations (the Operations port) on the switchboard's flows. Each family lives in
// lib/calls/ops, the desk services (extension DND, wake-up calls, messages, night bell) in lib/calls/services.
import type { ChannelInfo } from '../asterisk/port.ts';
import type { DndFields } from '../domain/call.ts';
import type { DirectoryEntry, ExtensionDnd, MonitorMode, Operations, TextMessage, WakeupCall } from './operations-port.ts';
import type { OpsDeps } from './ops/common.ts';
import { answerWaiting } from './ops/answer.ts';
import { hangup } from './ops/hangup.ts';
import { searchDirectory } from './ops/directory.ts';
import { HoldSlots } from './ops/hold.ts';
import { ParkSlots } from './ops/park.ts';
import { Transfers } from './ops/transfer.ts';
import { Consults } from './ops/consult.ts';
import { Handoffs } from './ops/handoff.ts';
import { Monitors } from './ops/monitor.ts';
import { ExtensionDndService } from './services/dnd.ts';
import { MessageService } from './services/messages.ts';
import { NightBell } from './services/night-bell.ts';
import { WakeupService } from './services/wakeup.ts';
import { RoomWakeupCodes } from './services/wakeup-phone.ts';
import { siteNumbering, type SiteNumbering } from './numbering.ts';
import { InFlight } from './ops/steps.ts';
import type { ChannelOwner } from './routes.ts';

/** the channels an operation or a service originates (routes.ts) */
export type OperationOwner = Extract<ChannelOwner, 'transfer' | 'consultation' | 'monitor' | 'snoop' | 'wakeup' | 'night-bell'>;


export class SwitchboardOperations implements Operations {
  private readonly entries: DirectoryEntry[];
  private readonly holds: HoldSlots;
  private readonly transfers: Transfers;
  private readonly parks: ParkSlots;
  private readonly handoffs: Handoffs;
  private readonly consults: Consults;
  private readonly monitors: Monitors;
  private readonly dnd: ExtensionDndService;
  private readonly wakeups: WakeupService;
  private readonly roomCodes: RoomWakeupCodes;
  private readonly messages: MessageService;
  private readonly nightBell: NightBell;
  private readonly numbering: SiteNumbering;
  /** operations whose ARI steps are running, one per call */
  private readonly inFlight = new InFlight();

  constructor(private readonly o: OpsDeps) {
    this.numbering = siteNumbering(o.ctx.config);
    this.entries = o.ctx.config.directory.entries.map((e) => ({ ...e }));
    this.holds = new HoldSlots(o, this.inFlight);
    this.handoffs = new Handoffs(o.ctx);
    this.transfers = new Transfers(o, this.handoffs, this.inFlight);
    this.consults = new Consults(o, this.transfers, this.handoffs, this.inFlight);
    this.parks = new ParkSlots(o, this.inFlight);
    this.monitors = new Monitors(o);
    this.dnd = new ExtensionDndService(o.ctx);
    this.wakeups = new WakeupService(o.ctx);
    this.roomCodes = new RoomWakeupCodes(o.ctx, this.wakeups);
    this.messages = new MessageService(o.ctx);
    this.nightBell = new NightBell(o, (a, b, bridge) => this.handoffs.watch(a, b, bridge));
  }

  /** the services' stored documents, before the first reconcile arms their timers */
  async load(): Promise<void> {
    await Promise.all([this.dnd.load(), this.wakeups.load(), this.messages.load()]);
  }

  park(attendantId: string, callId: string): Promise<{ slot: number }> {
    return this.whenSettled(callId, () => this.parks.park(attendantId, callId));
  }

  pickupParked(attendantId: string, slot: number): Promise<string> {
    return this.parks.pickup(attendantId, slot);
  }

  /** `accepted`: told when the transfer is decided, before the attendant's leg goes (the set's transfer key) */
  async blindTransfer(attendantId: string, callId: string, target: string, accepted?: () => Promise<void>): Promise<void> {
    this.checkDial(attendantId, target);
    return this.whenSettled(callId, () => this.transfers.blindTransfer(attendantId, callId, target, accepted));
  }

  async consult(attendantId: string, callId: string, target: string): Promise<void> {
    this.checkDial(attendantId, target);
    return this.whenSettled(callId, () => this.consults.consult(attendantId, callId, target));
  }

  completeTransfer(attendantId: string, callId: string): Promise<void> {
    return this.whenSettled(callId, () => this.consults.complete(attendantId, callId));
  }

  cancelConsult(attendantId: string, callId: string): Promise<void> {
    return this.whenSettled(callId, () => this.consults.cancel(attendantId, callId));
  }

  swap(attendantId: string, callId: string): Promise<void> {
    return this.whenSettled(callId, () => this.consults.swap(attendantId, callId));
  }

  async conference(attendantId: string, callId: string, target?: string): Promise<void> {
    if (target !== undefined) this.checkDial(attendantId, target);
    return this.whenSettled(callId, () => this.consults.conference(attendantId, callId, target));
  }

  split(attendantId: string, callId: string, party: string): Promise<void> {
    return this.whenSettled(callId, () => this.consults.split(attendantId, callId, party));
  }

  leaveConference(attendantId: string, callId: string): Promise<void> {
    return this.whenSettled(callId, () => this.consults.leave(attendantId, callId));
  }

  monitor(supervisorId: string, callId: string, mode: MonitorMode): Promise<{ sessionId: string }> {
    return this.whenSettled(callId, () => this.monitors.monitor(supervisorId, callId, mode));
  }

  stopMonitor(supervisorId: string, sessionId: string): Promise<void> {
    return this.monitors.stop(supervisorId, sessionId);
  }

  // ----- ARI events of the operations' own legs (routed by the switchboard) ----------------

  /**
   * StasisStart of a leg an operation or a service originated, routed by its owner in the routing
   * table (its Stasis args still say the call, the session, the booking or the group)
   */
  legAnswered(owner: OperationOwner, channelId: string, args: string[]): void {
    switch (owner) {
      case 'transfer': this.transfers.answered(channelId, args[1] ?? ''); break;
      case 'consultation': this.consults.answered(channelId, args[1] ?? ''); break;
      case 'monitor': this.monitors.answered(channelId); break;
      case 'snoop': this.monitors.snoopStarted(channelId, args[1] ?? ''); break;
      case 'wakeup': this.wakeups.answered(channelId, args[1] ?? ''); break;
      case 'night-bell': this.nightBell.answered(channelId, args[1] ?? ''); break;
    }
  }

  /**
   * StasisStart of a feature code (`feature,<name>,…`): true when a service took it (a room's wake-up
   * code). Only from the site's own phones (numbering.phoneContexts): from any other channel (a trunk)
   * false, and the switchboard hangs it up as an unknown code.
   */
  featureCode(channel: ChannelInfo, args: string[]): boolean {
    if (!this.numbering.isPhone(channel)) {
      this.o.ctx.log.warn({ channel: channel.id, name: channel.name, context: channel.dialplan?.context, feature: args[1] }, 'feature code from a channel that is not one of the site\'s phones (numbering.phoneContexts): refused');
      return false;
    }
    return this.roomCodes.handle(channel, args);
  }

  /** what the services add to an arriving call's record (class dnd: whose DND, until when) */
  describeArrival(args: string[]): DndFields {
    return this.dnd.describe(args);
  }

  /** ChannelDestroyed of a leg an operation or a service originated (one that never answered, mostly) */
  legDestroyed(owner: OperationOwner, channelId: string, cause: number): void {
    switch (owner) {
      case 'transfer': this.transfers.legDestroyed(channelId, cause); break;
      case 'consultation': this.consults.legDestroyed(channelId, cause); break;
      case 'monitor': this.monitors.legDestroyed(channelId, cause); break;
      case 'wakeup': this.wakeups.legDestroyed(channelId, cause); break;
      case 'night-bell': this.nightBell.legDestroyed(channelId); break;
      case 'snoop': break;
    }
  }

  /**
   * StasisEnd of a caller: true when an operation on its call takes care of it (one in flight whose
   * steps decide, a consultation or three-way call), false when the call just ends (Inbound.callerLeft)
   */
  callerLeft(callId: string): boolean {
    return this.inFlight.channelLeft(callId) || this.consults.callerLeft(callId);
  }

  /** StasisEnd of an attendant's leg: true when an operation on its call takes care of it, as for the caller */
  attendantLegLeft(leg: string): boolean {
    return this.inFlight.channelLeft(leg) || this.consults.attendantLegLeft(leg);
  }

  /** StasisEnd of a leg an operation or a service originated, or of a pair it handed off */
  channelLeft(owner: OperationOwner | 'handoff' | 'room', channelId: string): void {
    switch (owner) {
      case 'handoff': this.handoffs.channelLeft(channelId); break;
      case 'consultation': if (!this.inFlight.channelLeft(channelId)) this.consults.thirdPartyLeft(channelId); break;
      case 'monitor': case 'snoop': this.monitors.channelLeft(channelId); break;
      case 'wakeup': this.wakeups.channelLeft(channelId); break;
      case 'room': this.roomCodes.channelLeft(channelId); break;
      // a transfer target or a night bell leaves once handed off (then it is the handoff's): nothing to do
      case 'transfer': case 'night-bell': break;
    }
  }

  /** after a restart or reconnect: operations whose channels vanished meanwhile */
  reconcile(live: ReadonlySet<string>): void {
    this.consults.reconcile(live);
    this.monitors.reconcile(live);
  }

  /** PlaybackFinished of an announcement a service played: a wake-up's, or a room code's confirmation */
  playbackFinished(owner: 'wakeup' | 'room', channelId: string): void {
    if (owner === 'wakeup') this.wakeups.playbackFinished(channelId);
    else this.roomCodes.playbackFinished(channelId);
  }

  hold(attendantId: string, callId: string): Promise<{ slot: number }> {
    return this.whenSettled(callId, () => this.holds.hold(attendantId, callId));
  }

  retrieve(attendantId: string, slot: number): Promise<string> {
    return this.holds.retrieve(attendantId, slot);
  }

  /**
   * An operation on a call answered a moment ago, whose call bridge is still being made, waits for that
   * and then sees the call as it left it (an operator, or a test, may act as soon as the set answers);
   * otherwise it starts in this very turn (a set's transfer key must find the transfer started before
   * the set's own hang-up arrives).
   */
  private whenSettled<T>(callId: string, op: () => Promise<T>): Promise<T> {
    const serial = this.o.inbound.serial;
    const call = this.o.ctx.ledger.calls.get(callId);
    // the hand-over's claim (a store round trip) comes before the bridge's ARI steps are queued
    const handing = call?.state === 'talking' && call.talkBridge === undefined ? this.o.presenter.handOverOf(callId) : undefined;
    const bridging = call?.state === 'talking' && call.talkBridge === undefined && (handing !== undefined || serial.has(callId));
    return bridging ? Promise.resolve(handing).catch(() => undefined).then(() => serial.settled(callId)).then(op) : op();
  }

  /**
   * Timers again after a restart or reconnect; resolves once the DND lamps Asterisk shows agree with
   * the store (a stale one would divert a room's calls to the desk).
   */
  rearm(): Promise<void> {
    this.holds.rearm();
    this.parks.rearm();
    this.transfers.rearm();
    const lamps = this.dnd.rearm();
    this.wakeups.rearm();
    this.messages.rearm();
    this.nightBell.rearm();
    return lamps;
  }

  /** a handed-off pair (a completed transfer in its xfer bridge) found after a restart: watch it again */
  watchTransferred(callId: string, leg: string, bridge: string): void {
    this.handoffs.watch(callId, leg, bridge);
  }

  /** a channel of a handed-off pair the controller watches */
  isTransferred(channelId: string): boolean {
    return this.handoffs.has(channelId);
  }

  stop(): void {
    this.holds.stop();
    this.transfers.stop();
    this.consults.stop();
    this.monitors.stopAll();
    this.parks.stop();
    this.dnd.stop();
    this.wakeups.stop();
    this.roomCodes.stop();
    this.nightBell.stop();
  }

  // ----- desk services ---------------------------------------------------------------------

  setExtensionDnd(extension: string, on: boolean, by: string, until?: number): Promise<void> {
    return this.dnd.set(extension, on, by, until);
  }

  async listExtensionDnd(): Promise<ExtensionDnd[]> {
    return this.dnd.list();
  }

  scheduleWakeup(req: { extension: string; time: string; daily: boolean }, by: string): Promise<WakeupCall> {
    return this.wakeups.schedule(req, by);
  }

  cancelWakeup(id: string, by: string): Promise<void> {
    return this.wakeups.cancel(id, by);
  }

  async listWakeups(): Promise<WakeupCall[]> {
    return this.wakeups.list();
  }

  leaveMessage(extension: string, text: string, by: string): Promise<TextMessage> {
    return this.messages.leave(extension, text, by);
  }

  markMessageRead(extension: string, id: string, by: string): Promise<void> {
    return this.messages.markRead(extension, id, by);
  }

  async listMessages(extension: string): Promise<TextMessage[]> {
    return this.messages.list(extension);
  }

  answerWaiting(attendantId: string, callId?: string): Promise<string> {
    return answerWaiting(this.o, attendantId, callId);
  }

  hangup(attendantId: string, callId: string): Promise<void> {
    return hangup(this.o, this.inFlight, attendantId, callId);
  }

  searchDirectory(query: string): DirectoryEntry[] {
    return searchDirectory(this.entries, query);
  }

  /** the numbering plan, for the role of whoever works at the position, before a number is rung */
  private checkDial(attendantId: string, target: string): void {
    this.numbering.dialTarget(target, this.numbering.roleAt(this.o.ctx.ledger.attendants.get(attendantId)));
  }
}
