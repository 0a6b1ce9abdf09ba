// Every channel and bridge id the controller chooses is made here (formats: lib/domain/ids.ts). Asterisk
// keeps a bridge id taken until the bridge is really gone (POST /bridges/{id} is 409 "already exists"
// meanwhile) and a leg's late events can arrive after its call moved on, so no id is ever made twice:
// each carries a counter that starts at a random point for every run of the controller.
import { randomInt } from 'node:crypto';
import { callBridgeId, channelId, legId, type CallBridgeKind, type LegKind } from '../domain/ids.ts';

export { callBridgeOf, isCallBridge, legOf, monitorBridgeId, monitorLegOf, snoopChannelId, waitBridgeId } from '../domain/ids.ts';
export type { CallBridgeKind, LegKind } from '../domain/ids.ts';

export class IdMaker {
  private seq: number;

  constructor(start = randomInt(2 ** 40)) {
    this.seq = start;
  }

  /** a bridge for a call, new every time */
  callBridge(kind: CallBridgeKind, callId: string): string {
    return callBridgeId(kind, callId, ++this.seq);
  }

  /** a leg the controller originates for a call, new every time */
  leg(kind: LegKind, callId: string): string {
    return legId(kind, callId, ++this.seq);
  }

  /** any other channel the controller originates (a wake-up try, the night bell), new every time */
  channel(prefix: string): string {
    return channelId(prefix, ++this.seq);
  }
}
