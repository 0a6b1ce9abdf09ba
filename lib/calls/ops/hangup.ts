// Release: the attendant ends the call it is talking on; every party (the caller, a consulted or
// third party) and the call bridge go.
import { bestEffort } from '../context.ts';
import { OperationError } from '../operations-port.ts';
import { logAction, requireOwnCall, type OpsDeps } from './common.ts';

export async function hangup(o: OpsDeps, attendantId: string, callId: string): Promise<void> {
  const call = requireOwnCall(o, attendantId, callId);
  if (call.state !== 'talking' && call.state !== 'consulting' && call.state !== 'conference') throw new OperationError('invalid_state', `call "${callId}" is ${call.state}`);
  // close it in memory first: the StasisEnd events that follow find nothing left to do
  o.inbound.finish(callId, 'completed', 'attendant released');
  bestEffort(o.ctx, 'hang up caller on release', o.ctx.ari.hangup(callId), { callId });
  await logAction(o, { operator: attendantId, action: 'hangup', call, result: 'ok' });
}
