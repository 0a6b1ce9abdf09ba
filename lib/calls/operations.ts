// The attendant operations (the Operations port) on the switchboard's flows. Each family lives in
// lib/calls/ops; those not implemented yet are refused with OperationError('invalid_state').
import type { DirectoryEntry, MonitorMode, Operations } from './operations-port.ts';
import { OperationError } from './operations-port.ts';
import type { OpsDeps } from './ops/common.ts';
import { answerWaiting } from './ops/answer.ts';
import { hangup } from './ops/hangup.ts';
import { searchDirectory } from './ops/directory.ts';
import { HoldSlots } from './ops/hold.ts';
import { ParkSlots } from './ops/park.ts';
import { TRANSFER_ARG, Transfers } from './ops/transfer.ts';
import { CONSULT_ARG, Consults } from './ops/consult.ts';
import { Handoffs } from './ops/handoff.ts';
import { MONITOR_ARG, Monitors, SNOOP_ARG } from './ops/monitor.ts';

const notYet = async (): Promise<never> => { throw new OperationError('invalid_state', 'not available yet'); };

export class SwitchboardOperations implements Operations {
  private readonly entries: DirectoryEntry[];
  private readonly holds: HoldSlots;
  private readonly transfers: Transfers;
  private readonly parks: ParkSlots;
  private readonly handoffs: Handoffs;
  private readonly consults: Consults;
  private readonly monitors: Monitors;

  constructor(private readonly o: OpsDeps) {
    this.entries = o.ctx.config.directory.entries.map((e) => ({ ...e }));
    this.holds = new HoldSlots(o);
    this.handoffs = new Handoffs(o.ctx);
    this.transfers = new Transfers(o, this.handoffs);
    this.consults = new Consults(o, this.transfers, this.handoffs);
    this.parks = new ParkSlots(o);
    this.monitors = new Monitors(o);
  }

  park(attendantId: string, callId: string): Promise<{ slot: number }> {
    return this.parks.park(attendantId, callId);
  }

  pickupParked(attendantId: string, slot: number): Promise<string> {
    return this.parks.pickup(attendantId, slot);
  }

  /** `accepted`: told when the transfer is decided, before the attendant's leg goes (the set's transfer key) */
  blindTransfer(attendantId: string, callId: string, target: string, accepted?: () => Promise<void>): Promise<void> {
    return this.transfers.blindTransfer(attendantId, callId, target, accepted);
  }

  consult(attendantId: string, callId: string, target: string): Promise<void> {
    return this.consults.consult(attendantId, callId, target);
  }

  completeTransfer(attendantId: string, callId: string): Promise<void> {
    return this.consults.complete(attendantId, callId);
  }

  cancelConsult(attendantId: string, callId: string): Promise<void> {
    return this.consults.cancel(attendantId, callId);
  }

  swap(attendantId: string, callId: string): Promise<void> {
    return this.consults.swap(attendantId, callId);
  }

  conference(attendantId: string, callId: string, target?: string): Promise<void> {
    return this.consults.conference(attendantId, callId, target);
  }

  split(attendantId: string, callId: string, party: string): Promise<void> {
    return this.consults.split(attendantId, callId, party);
  }

  leaveConference(attendantId: string, callId: string): Promise<void> {
    return this.consults.leave(attendantId, callId);
  }

  monitor(supervisorId: string, callId: string, mode: MonitorMode): Promise<{ sessionId: string }> {
    return this.monitors.monitor(supervisorId, callId, mode);
  }

  stopMonitor(supervisorId: string, sessionId: string): Promise<void> {
    return this.monitors.stop(supervisorId, sessionId);
  }

  // ----- ARI events of the operations' own legs (routed by the switchboard) ----------------

  /** StasisStart of an internal leg (`@transfer,<callId>`, `@consult`, `@monitor`, `@snoop`); false when the verb is not an operation's */
  internalLegAnswered(channelId: string, args: string[]): boolean {
    switch (args[0]) {
      case TRANSFER_ARG: this.transfers.answered(channelId, args[1] ?? ''); return true;
      case CONSULT_ARG: this.consults.answered(channelId, args[1] ?? ''); return true;
      case MONITOR_ARG: this.monitors.answered(channelId); return true;
      case SNOOP_ARG: this.monitors.snoopStarted(channelId, args[1] ?? ''); return true;
      default: return false;
    }
  }

  /** ChannelDestroyed: a leg of an operation that never answered */
  legDestroyed(channelId: string, cause: number): void {
    this.transfers.legDestroyed(channelId, cause);
    this.consults.legDestroyed(channelId, cause);
    this.monitors.legDestroyed(channelId, cause);
  }

  /** StasisEnd: true when an operation took care of the channel (handed-off pair, consultation, monitoring) */
  channelLeft(channelId: string): boolean {
    return this.handoffs.channelLeft(channelId) || this.monitors.channelLeft(channelId) || this.consults.channelLeft(channelId);
  }

  /** after a restart or reconnect: operations whose channels vanished meanwhile */
  reconcile(live: ReadonlySet<string>): void {
    this.consults.reconcile(live);
    this.monitors.reconcile(live);
  }

  hold(attendantId: string, callId: string): Promise<{ slot: number }> {
    return this.holds.hold(attendantId, callId);
  }

  retrieve(attendantId: string, slot: number): Promise<string> {
    return this.holds.retrieve(attendantId, slot);
  }

  /** timers again after a restart or reconnect */
  rearm(): void {
    this.holds.rearm();
    this.parks.rearm();
  }

  stop(): void {
    this.holds.stop();
    this.transfers.stop();
    this.consults.stop();
    this.monitors.stopAll();
    this.parks.stop();
  }

  answerWaiting(attendantId: string, callId?: string): Promise<string> {
    return answerWaiting(this.o, attendantId, callId);
  }

  hangup(attendantId: string, callId: string): Promise<void> {
    return hangup(this.o, attendantId, callId);
  }

  searchDirectory(query: string): DirectoryEntry[] {
    return searchDirectory(this.entries, query);
  }

  // not implemented yet
  setExtensionDnd = notYet;
  listExtensionDnd = notYet;
  scheduleWakeup = notYet;
  cancelWakeup = notYet;
  listWakeups = notYet;
  leaveMessage = notYet;
  markMessageRead = notYet;
  listMessages = notYet;
}
