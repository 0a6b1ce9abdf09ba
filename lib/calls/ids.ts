// Every channel and bridge id the controller chooses is made here (formats: lib/domain/ids.ts), and
// registered in the routing table (routes.ts) as it is made: its owner, its role, its call. Asterisk
// keeps a bridge id taken until the bridge is really gone (POST /bridges/{id} is 409 "already exists"
// meanwhile) and a leg's late events can arrive after its call moved on, so no id is ever made twice:
// each carries a counter that starts at a random point for every run of the controller.
import { randomInt } from 'node:crypto';
import { callBridgeId, channelId, legId, monitorBridgeId, snoopChannelId, waitBridgeId, type CallBridgeKind, type LegKind } from '../domain/ids.ts';
import type { ChannelOwner, Routes } from './routes.ts';

export type { CallBridgeKind, LegKind } from '../domain/ids.ts';

/** who owns a leg of each kind */
const LEG_OWNERS: Record<LegKind, ChannelOwner> = { p: 'attendant', t: 'transfer', c: 'consultation', m: 'monitor' };

export class IdMaker {
  private seq: number;

  constructor(readonly routes: Routes, start = randomInt(2 ** 40)) {
    this.seq = start;
  }

  /** a bridge for a call, new every time */
  callBridge(kind: CallBridgeKind, callId: string): string {
    const id = callBridgeId(kind, callId, ++this.seq);
    this.routes.takeBridge(id, { role: kind, callId });
    return id;
  }

  /** a leg the controller originates for a call, new every time */
  leg(kind: LegKind, callId: string): string {
    const id = legId(kind, callId, ++this.seq);
    this.routes.takeChannel(id, { owner: LEG_OWNERS[kind], callId, originated: true });
    return id;
  }

  /** any other channel the controller originates (a wake-up try, the night bell), new every time */
  channel(owner: ChannelOwner, prefix: string): string {
    const id = channelId(prefix, ++this.seq);
    this.routes.takeChannel(id, owner === 'caller' ? { owner, callId: id, originated: true } : { owner, originated: true });
    return id;
  }

  /** the monitoring bridge of a supervisor's leg (unique as the leg is) */
  monitorBridge(supervisorLeg: string, callId: string): string {
    const id = monitorBridgeId(supervisorLeg);
    this.routes.takeBridge(id, { role: 'monitor', callId });
    return id;
  }

  /** the snoop channel a supervisor's leg listens through (unique as the leg is) */
  snoop(supervisorLeg: string, callId: string): string {
    const id = snoopChannelId(supervisorLeg);
    this.routes.takeChannel(id, { owner: 'snoop', callId, originated: true });
    return id;
  }

  /** a group's wait bridge: the same id in every run (taken over when a previous run left it) */
  waitBridge(groupId: string): string {
    const id = waitBridgeId(groupId);
    this.routes.takeBridge(id, { role: 'wait', group: groupId });
    return id;
  }
}
