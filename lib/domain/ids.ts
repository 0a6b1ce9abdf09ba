// The shapes of the channel and bridge ids the controller chooses, and what an id says about its call.
// lib/calls/ids.ts makes them (IdMaker); this is the one place that knows their format. Pure.

/**
 * Bridges the controller makes for a call, by purpose:
 * call: the caller talks with an attendant (and the consulted party, in a three-way call);
 * hold: the caller waits alone with music (hold, park, a transfer or consultation ringing);
 * xfer: the caller with the party a blind transfer reached; bell: with whoever lifted the night bell.
 */
export const CALL_BRIDGE_KINDS = ['call', 'hold', 'xfer', 'bell'] as const;
export type CallBridgeKind = (typeof CALL_BRIDGE_KINDS)[number];

/**
 * Legs the controller originates for a call, by purpose (the letter in the id):
 * p: a presentation to an attendant set; t: a blind transfer's target; c: a consulted party;
 * m: a supervisor's set monitoring the call.
 */
export const LEG_KINDS = { p: 'presentation', t: 'transfer', c: 'consultation', m: 'monitor' } as const;
export type LegKind = keyof typeof LEG_KINDS;

/** `<kind>-<callId>-b<n>`: the call's id may hold "-" itself, the suffix never does */
const CALL_BRIDGE = /^(call|hold|xfer|bell)-(.+)-b\d+$/;
/** `<callId>-<kind><n>` */
const LEG = /^(.+)-([ptcm])\d+$/;

/** the id of bridge number `n` of a call (IdMaker gives each its own n) */
export function callBridgeId(kind: CallBridgeKind, callId: string, n: number): string {
  return `${kind}-${callId}-b${n}`;
}

/** the id of leg number `n` of a call */
export function legId(kind: LegKind, callId: string, n: number): string {
  return `${callId}-${kind}${n}`;
}

/** any other channel the controller originates (a wake-up try, the night bell): `<prefix>-<n>`, never read back */
export function channelId(prefix: string, n: number): string {
  return `${prefix}-${n}`;
}

/** the group's holding bridge for its waiting callers: one per group, long-lived, the same in every run */
export function waitBridgeId(groupId: string): string {
  return `attendant-wait-${groupId}`;
}

/** the monitoring bridge of a supervisor's leg (the leg id is unique already) */
export function monitorBridgeId(supervisorLeg: string): string {
  return `mon-${supervisorLeg}`;
}

/** the snoop channel on the attendant's leg that a supervisor's leg listens through */
export function snoopChannelId(supervisorLeg: string): string {
  return `${supervisorLeg}-s`;
}

/** a supervisor's monitoring leg, or the snoop channel of one: the monitoring leg's id */
export function monitorLegOf(channelId: string): string | undefined {
  const leg = channelId.endsWith('-s') ? channelId.slice(0, -2) : channelId;
  return legOf(leg)?.kind === 'm' ? leg : undefined;
}

/** what a bridge id made by `IdMaker.callBridge` is for, or undefined for any other bridge */
export function callBridgeOf(bridgeId: string): { kind: CallBridgeKind; callId: string } | undefined {
  const m = CALL_BRIDGE.exec(bridgeId);
  return m ? { kind: m[1] as CallBridgeKind, callId: m[2]! } : undefined;
}

/** true when `bridgeId` is a bridge of this kind made for this call */
export function isCallBridge(bridgeId: string, kind: CallBridgeKind, callId: string): boolean {
  const b = callBridgeOf(bridgeId);
  return b !== undefined && b.kind === kind && b.callId === callId;
}

/** what a leg id made by `IdMaker.leg` is for, or undefined for a channel the controller did not name */
export function legOf(channelId: string): { kind: LegKind; callId: string } | undefined {
  const m = LEG.exec(channelId);
  return m ? { kind: m[2] as LegKind, callId: m[1]! } : undefined;
}

