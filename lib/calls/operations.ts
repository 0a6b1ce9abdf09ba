// The attendant operations (the Operations port) on the switchboard's flows. Each family lives in
// lib/calls/ops; those not implemented yet are refused with OperationError('invalid_state').
import type { DirectoryEntry, Operations } from './operations-port.ts';
import { OperationError } from './operations-port.ts';
import type { OpsDeps } from './ops/common.ts';
import { answerWaiting } from './ops/answer.ts';
import { hangup } from './ops/hangup.ts';
import { searchDirectory } from './ops/directory.ts';
import { HoldSlots } from './ops/hold.ts';
import { ParkSlots } from './ops/park.ts';
import { TRANSFER_ARG, Transfers } from './ops/transfer.ts';

const notYet = async (): Promise<never> => { throw new OperationError('invalid_state', 'not available yet'); };

export class SwitchboardOperations implements Operations {
  private readonly entries: DirectoryEntry[];
  private readonly holds: HoldSlots;
  private readonly transfers: Transfers;
  private readonly parks: ParkSlots;

  constructor(private readonly o: OpsDeps) {
    this.entries = o.ctx.config.directory.entries.map((e) => ({ ...e }));
    this.holds = new HoldSlots(o);
    this.transfers = new Transfers(o);
    this.parks = new ParkSlots(o);
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

  // ----- ARI events of the operations' own legs (routed by the switchboard) ----------------

  /** StasisStart of an internal leg (`@transfer,<callId>`); false when the verb is not an operation's */
  internalLegAnswered(channelId: string, args: string[]): boolean {
    if (args[0] === TRANSFER_ARG) {
      this.transfers.answered(channelId, args[1] ?? '');
      return true;
    }
    return false;
  }

  /** ChannelDestroyed: a transfer leg that never answered */
  legDestroyed(channelId: string, cause: number): void {
    this.transfers.legDestroyed(channelId, cause);
  }

  /** StasisEnd: true when the channel was one side of a transferred pair (the other side is released) */
  channelLeft(channelId: string): boolean {
    return this.transfers.channelLeft(channelId);
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
  consult = notYet;
  completeTransfer = notYet;
  cancelConsult = notYet;
  swap = notYet;
  conference = notYet;
  split = notYet;
  leaveConference = notYet;
  monitor = notYet;
  stopMonitor = notYet;
  setExtensionDnd = notYet;
  listExtensionDnd = notYet;
  scheduleWakeup = notYet;
  cancelWakeup = notYet;
  listWakeups = notYet;
  leaveMessage = notYet;
  markMessageRead = notYet;
  listMessages = notYet;
}
