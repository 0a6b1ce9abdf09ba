// Answer from the console: the operator picks a waiting call (or the next one of its groups) and
// it is presented to this attendant only, on the presenter's originate/answer path.
import type { CallRecord } from '../../domain/model.ts';
import { queueScore } from '../../domain/presentation.ts';
import { OperationError } from '../operations-port.ts';
import { logAction, requireAttendant, type OpsDeps } from './common.ts';

export async function answerWaiting(o: OpsDeps, attendantId: string, callId?: string): Promise<string> {
  const { ctx } = o;
  let a = requireAttendant(o, attendantId);
  if (a.state === 'absent') {
    // any key brings an absent attendant back
    const b = ctx.ledger.batch();
    o.desk.apply(b, attendantId, { type: 'action' });
    await ctx.ledger.commit(b);
    a = requireAttendant(o, attendantId);
  }
  const inMyGroups = (c: CallRecord) => [c.group, ...c.alsoGroups].some((g) => a.groups.includes(g));
  let call: CallRecord | undefined;
  if (callId) {
    call = ctx.ledger.calls.get(callId);
    if (!call || call.state === 'ended') throw new OperationError('unknown_call', `unknown call "${callId}"`);
    if (!inMyGroups(call)) throw new OperationError('not_your_call', `call "${callId}" is not in the groups of "${attendantId}"`);
    if (call.state !== 'waiting') throw new OperationError('invalid_state', `call "${callId}" is ${call.state}`);
  }
  if (a.state !== 'idle') throw new OperationError('invalid_state', `attendant "${attendantId}" is ${a.state}`);
  if (!call) {
    call = [...ctx.ledger.calls.values()]
      .filter((c) => c.state === 'waiting' && inMyGroups(c))
      .sort((x, y) => queueScore(x.priority, x.arrivedAt) - queueScore(y.priority, y.arrivedAt))[0];
    if (!call) throw new OperationError('not_found', 'no call is waiting');
  }
  if (!o.presenter.presentTo(call, attendantId)) throw new OperationError('invalid_state', `cannot present to "${attendantId}"`);
  await logAction(o, { operator: attendantId, action: 'answer-waiting', call, result: 'presented' });
  return call.id;
}
