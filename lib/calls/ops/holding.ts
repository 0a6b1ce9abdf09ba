// The ARI side shared by hold, park and blind transfer: the caller leaves the call bridge for its own
// holding bridge with the group's music; the attendant's leg and the call bridge go either way.
import type { CallRecord } from '../../domain/model.ts';
import { bestEffort, ensureBridge } from '../context.ts';
import { OperationError } from '../operations-port.ts';
import type { OpsDeps } from './common.ts';

/** A holding bridge `holdBridge` playing the music of the call's group (waiting callers hear the same). */
export async function openHoldingBridge(o: OpsDeps, call: CallRecord, holdBridge: string): Promise<void> {
  const { ctx } = o;
  const g = ctx.groupConfig(call.group);
  await ensureBridge(ctx, 'holding', holdBridge);
  await ctx.ari.bridgeStartMoh(holdBridge, g && g.waiting !== 'ringback' ? g.waiting.music : 'default');
}

/** Move the caller of `call` (as it was while talking) into `holdBridge`; the error when it failed. */
export async function toHoldingBridge(o: OpsDeps, call: CallRecord, holdBridge: string): Promise<unknown> {
  const { ctx } = o;
  const leg = call.leg;
  const talkBridge = call.talkBridge;
  let failed: unknown;
  await o.inbound.serial.run(call.id, async () => {
    try {
      await openHoldingBridge(o, call, holdBridge);
      await ctx.ari.addChannel(holdBridge, [call.id], 'participant');
    } catch (err) {
      failed = err;
    }
    if (leg) bestEffort(ctx, 'hang up attendant leg', ctx.ari.hangup(leg), { leg });
    if (talkBridge) bestEffort(ctx, 'destroy call bridge', ctx.ari.destroyBridge(talkBridge), { callId: call.id });
  });
  return failed;
}

/** The caller could not be moved: release it (no orphan left) and refuse the operation. */
export function holdingFailed(o: OpsDeps, callId: string, what: string, failed: unknown): OperationError {
  const { ctx } = o;
  const status = (failed as { status?: number }).status;
  ctx.log.error({ callId, err: (failed as Error).message }, `${what} failed; releasing the caller`);
  if (ctx.ledger.calls.has(callId)) {
    bestEffort(ctx, `hang up caller after failed ${what}`, ctx.ari.hangup(callId), { callId });
    o.inbound.finish(callId, status === 404 ? 'abandoned' : 'lost', `${what} failed`);
  }
  return new OperationError('ari_failed', `${what} failed: ${(failed as Error).message}`);
}
