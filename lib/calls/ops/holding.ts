// The ARI side shared by hold, park and blind transfer: the caller leaves the call bridge for its own
// holding bridge with the group's music, and only then does the record change and the attendant's leg
// and the call bridge go. A step that fails leaves the caller talking with the attendant.
import type { CallRecord } from '../../domain/model.ts';
import { bestEffort, ensureBridge, releaseChannel } from '../context.ts';
import type { OpsDeps } from './common.ts';
import { step } from './steps.ts';

/** A holding bridge `holdBridge` playing the music of the call's group (waiting callers hear the same). */
export async function openHoldingBridge(o: OpsDeps, call: CallRecord, holdBridge: string): Promise<void> {
  const { ctx } = o;
  const g = ctx.groupConfig(call.group);
  await step('create holding bridge', () => ensureBridge(ctx, 'holding', holdBridge));
  await step('start music on hold', () => ctx.ari.bridgeStartMoh(holdBridge, g && g.waiting !== 'ringback' ? g.waiting.music : 'default'));
}

/**
 * Move the caller of `call` into a new holding bridge `holdBridge`, in the caller's ARI order. Throws
 * the failed step, with the holding bridge gone again: Asterisk moves a channel only when the request
 * succeeds, so the caller is still where it was (with the attendant).
 */
export async function moveToHolding(o: OpsDeps, call: CallRecord, holdBridge: string): Promise<void> {
  const { ctx } = o;
  await o.inbound.serial.run(call.id, async () => {
    try {
      await openHoldingBridge(o, call, holdBridge);
      await step('move the caller to the holding bridge', () => ctx.ari.addChannel(holdBridge, [call.id], 'participant'));
    } catch (err) {
      bestEffort(ctx, 'destroy unused holding bridge', ctx.ari.destroyBridge(holdBridge), { callId: call.id });
      throw err;
    }
  });
}

/**
 * The caller is safe in its holding bridge and the record says so: the attendant's leg and the call
 * bridge of the conversation go. A leg Asterisk does not release at once is tried again (the set must
 * not stay off-hook on a dead call while the position is counted free).
 */
export function releaseConversation(o: OpsDeps, call: { id: string; leg?: string; talkBridge?: string }): void {
  const { ctx } = o;
  if (call.leg) releaseChannel(ctx, call.leg, 'hang up attendant leg');
  if (call.talkBridge) bestEffort(ctx, 'destroy call bridge', ctx.ari.destroyBridge(call.talkBridge), { callId: call.id });
}
