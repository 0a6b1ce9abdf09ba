// The caller's bridge stays (talk in a mixing bridge, held in its holding bridge), written to its
// CallRecord as ARI reports ChannelEnteredBridge / ChannelLeftBridge: what holding and held time
// are measured from when the call ends (traffic-recorder.ts).
import type { AriEvent } from '../asterisk/port.ts';
import { enterBridge, leaveBridge } from '../domain/stays.ts';
import type { CallContext } from './context.ts';

export type BridgeEvent = Extract<AriEvent, { type: 'ChannelEnteredBridge' | 'ChannelLeftBridge' }>;

/** Only callers the controller holds have stays; attendant legs and transfer targets are skipped. */
export function recordBridgeStay(ctx: CallContext, e: BridgeEvent): void {
  const call = ctx.ledger.calls.get(e.channel.id);
  if (!call || call.state === 'ended') return;
  const now = ctx.time.now();
  const next = e.type === 'ChannelEnteredBridge'
    ? enterBridge(call, { id: e.bridge.id, bridge_type: e.bridge.bridge_type, purpose: ctx.routes.bridge(e.bridge.id) }, now)
    : leaveBridge(call, e.bridge.id, now);
  if (next !== call) void ctx.ledger.commit(ctx.ledger.batch().putCall(next, { stays: true }));
}
