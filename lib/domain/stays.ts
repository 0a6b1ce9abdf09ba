// Where a caller sits, from bridge enter / leave: the stays the holding time and the held time of
// a call are measured from. Kept on the CallRecord, so a restart does not lose them. Pure.
//
// A bridge means, for call <id> (the bridge kinds of ids.ts; what a bridge is for comes with it, from
// the controller's routing table, lib/calls/routes.ts):
// - a hold bridge of the call: held time. The controller moves a caller there for hold, park, blind
//   transfer ringing and consultation, so any state with the caller in it counts as held.
// - any other mixing bridge but the call's xfer bridge: talk with the call's attendant (its call
//   bridge, and a conference the caller is part of). The xfer bridge is the caller with a transfer
//   target: the call has left the attendants by then.
// - anything else (the queue's wait bridge): neither; waiting is counted by the queue.
import type { BridgeRole, CallBridgeKind } from './ids.ts';
import { attendantOf } from './call.ts';
import type { BridgeStay, CallRecord, StayKind } from './model.ts';

export type { BridgeStay, StayKind };

export interface BridgeRef {
  id: string;
  /** ARI bridge_type: 'mixing' or 'holding' */
  bridge_type: string;
  /** what the controller made the bridge for (its route in the routing table: role, and whose call) */
  purpose?: { readonly role: BridgeRole; readonly callId?: string } | undefined;
}

function isBridgeOf(bridge: BridgeRef, role: CallBridgeKind, callId: string): boolean {
  return bridge.purpose?.role === role && bridge.purpose.callId === callId;
}

/** What staying in `bridge` is for call `callId`, or undefined when it is neither talk nor held. */
export function stayKind(callId: string, bridge: BridgeRef): StayKind | undefined {
  if (isBridgeOf(bridge, 'hold', callId)) return 'held';
  if (bridge.bridge_type === 'mixing' && !isBridgeOf(bridge, 'xfer', callId)) return 'talk';
  return undefined;
}

/** The open stay (the caller is still in that bridge), if any. */
export function openStay(call: CallRecord): BridgeStay | undefined {
  const last = call.stays?.at(-1);
  return last !== undefined && last.end === undefined ? last : undefined;
}

function closed(stays: readonly BridgeStay[], now: number): BridgeStay[] {
  return stays.map((s) => (s.end === undefined ? { ...s, end: Math.max(s.start, now) } : s));
}

/**
 * The caller entered `bridge` at `now`: any open stay ends (a move leaves one bridge for the next)
 * and a talk or held stay starts. The same record when nothing changes.
 */
export function enterBridge(call: CallRecord, bridge: BridgeRef, now: number): CallRecord {
  const kind = stayKind(call.id, bridge);
  const open = openStay(call);
  if (open?.bridge === bridge.id) return call;
  if (kind === undefined && open === undefined) return call;
  const stays = closed(call.stays ?? [], now);
  if (kind !== undefined) stays.push({ kind, bridge: bridge.id, start: now, ...(kind === 'talk' && attendantOf(call) ? { attendant: attendantOf(call)! } : {}) });
  return { ...call, stays };
}

/** The caller left `bridgeId` at `now`: its open stay there ends. The same record otherwise. */
export function leaveBridge(call: CallRecord, bridgeId: string, now: number): CallRecord {
  if (openStay(call)?.bridge !== bridgeId) return call;
  return { ...call, stays: closed(call.stays ?? [], now) };
}

/** The stays as they stand at `now` (an open one ends there): what the statistics count at the call's end. */
export function staysAt(call: CallRecord, now: number): BridgeStay[] {
  return closed(call.stays ?? [], now);
}
