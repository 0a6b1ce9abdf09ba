// The shapes of the channel and bridge ids the controller chooses: the one place that defines them.
// lib/calls/ids.ts makes them (IdMaker) and registers each in the routing table (lib/calls/routes.ts),
// which is what says what an id is for: no code reads an id back. Pure.

/**
 * Bridges the controller makes for a call, by purpose:
 * call: the caller talks with an attendant (and the consulted party, in a three-way call);
 * hold: the caller waits alone with music (hold, park, a transfer or consultation ringing);
 * xfer: the caller with the party a blind transfer reached; bell: with whoever lifted the night bell.
 */
export const CALL_BRIDGE_KINDS = ['call', 'hold', 'xfer', 'bell'] as const;
export type CallBridgeKind = (typeof CALL_BRIDGE_KINDS)[number];

/** what a bridge is for: a call's bridges (above), a group's wait bridge, a supervisor's monitoring bridge */
export type BridgeRole = CallBridgeKind | 'wait' | 'monitor';

/**
 * Legs the controller originates for a call, by purpose (the letter in the id, for the logs):
 * p: a presentation to an attendant set; t: a blind transfer's target; c: a consulted party;
 * m: a supervisor's set monitoring the call.
 */
export const LEG_KINDS = { p: 'presentation', t: 'transfer', c: 'consultation', m: 'monitor' } as const;
export type LegKind = keyof typeof LEG_KINDS;

/** the id of bridge number `n` of a call (IdMaker gives each its own n): `<kind>-<callId>-b<n>` */
export function callBridgeId(kind: CallBridgeKind, callId: string, n: number): string {
  return `${kind}-${callId}-b${n}`;
}

/** the id of leg number `n` of a call: `<callId>-<kind><n>` */
export function legId(kind: LegKind, callId: string, n: number): string {
  return `${callId}-${kind}${n}`;
}

/** any other channel the controller originates (a wake-up try, the night bell): `<prefix>-<n>` */
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
