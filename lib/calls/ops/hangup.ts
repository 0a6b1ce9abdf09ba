// Release: the attendant ends the call it is talking on; every party (the caller, a consulted or
// third party) and the call bridge go. The caller is hung up first and for sure: when Asterisk fails,
// the call is as it was (never forgotten with its caller still up) and the release can be tried again.
import { OperationError } from '../operations-port.ts';
import { logAction, requireOwnCall, type OpsDeps } from './common.ts';
import { hangupStep, operationFailed, type InFlight } from './steps.ts';

export async function hangup(o: OpsDeps, inFlight: InFlight, attendantId: string, callId: string): Promise<void> {
  // releasing is never refused for an operation under way: it is done after it, on the call as it left it
  await inFlight.settled(callId);
  const call = requireOwnCall(o, attendantId, callId);
  if (call.state !== 'talking' && call.state !== 'consulting' && call.state !== 'conference') throw new OperationError('invalid_state', `call "${callId}" is ${call.state}`);
  // the caller's own StasisEnd is this operation's: the call ends as released by the attendant
  await inFlight.run(callId, 'release', callId, async () => {
    try {
      await hangupStep(o, 'hang up the caller', callId);
    } catch (err) {
      throw operationFailed(o, 'release', callId, err, 'the call is as it was: the caller is still on the line; try again');
    }
    o.inbound.finish(callId, 'completed', 'attendant released');
  });
  await logAction(o, { operator: attendantId, action: 'hangup', call, result: 'ok' });
}
