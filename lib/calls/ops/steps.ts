// How an operation meets a failing Asterisk. Each ARI request of an operation is a named step; the
// steps that can fail run before the call's record changes, and a step that fails undoes the steps made
// so far, so the call is as it was (the caller talking with the attendant) and the operation can be
// tried again. The operator is answered with the operation, the step and the status Asterisk sent.
// Only what cannot be undone (the caller stranded in a bridge) is left flagged on the call as needing
// attention, with its bridge moves retried.
import { OperationError } from '../operations-port.ts';
import type { OpsDeps } from './common.ts';
import { isChannelGone } from '../../asterisk/port.ts';

/** An ARI step of an operation failed: which one, and the error Asterisk answered with. */
export class StepFailed extends Error {
  override readonly name = 'StepFailed';
  constructor(readonly step: string, readonly error: unknown) {
    super(`${step}: ${(error as Error).message}`);
  }

  /** the HTTP status Asterisk answered (AriError.status), when it answered */
  get status(): number | undefined {
    return statusOf(this.error);
  }
}

/** the HTTP status of an ARI error; 0 (Asterisk's answer unknown) is none */
export function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown } | undefined)?.status;
  return typeof s === 'number' && s > 0 ? s : undefined;
}

/** one named ARI step: its failure is a StepFailed that names it */
export async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw err instanceof StepFailed ? err : new StepFailed(name, err);
  }
}

/** Release a channel, waiting for Asterisk's answer: a channel already gone (404) counts as released. */
export async function hangupStep(o: OpsDeps, name: string, channelId: string, reason?: 'no_answer'): Promise<void> {
  await step(name, () => o.ctx.ari.hangup(channelId, reason).catch((err: unknown) => {
    if (!isChannelGone(err)) throw err;
  }));
}

/**
 * The operator's answer to an operation that failed half way: the operation, the step, the ARI status,
 * and what became of the call (`outcome`: "the call is as it was", ...). Errors that are not a failed
 * step (a refusal found on the way) go through as they are.
 */
export function operationFailed(o: OpsDeps, op: string, callId: string, err: unknown, outcome: string): Error {
  if (err instanceof OperationError) return err;
  const failed = err instanceof StepFailed ? err : new StepFailed(op, err);
  o.ctx.log.error({ callId, op, step: failed.step, status: failed.status, err: (failed.error as Error).message }, `${op} failed; ${outcome}`);
  return new OperationError('ari_failed', `${op} failed at "${failed.step}"${failed.status !== undefined ? ` (Asterisk answered ${failed.status})` : ''}: ${outcome}`, {
    operation: op, step: failed.step, ...(failed.status !== undefined ? { ariStatus: failed.status } : {}), outcome,
  });
}

interface Flight {
  op: string;
  /** resolves when the operation is over, however it ended */
  done: Promise<void>;
  finish: () => void;
  /** the attendant's leg the operation is about to release: its StasisEnd meanwhile is noted, not acted on */
  leg?: string;
  legLeft: boolean;
}

/**
 * Operations in flight: one per call at a time (a second key press is refused while the first one's
 * ARI steps run), and the attendant's leg each is about to release, so that the set hanging up in the
 * middle (a transfer key's set does, right after its 202) does not release the caller under it.
 */
export class InFlight {
  private readonly byCall = new Map<string, Flight>();
  private readonly byLeg = new Map<string, Flight>();

  /** start an operation on a call: refused while another one runs on it */
  begin(callId: string, op: string, leg?: string): Flight {
    const running = this.byCall.get(callId);
    if (running) throw new OperationError('invalid_state', `call "${callId}" is in the middle of ${running.op}: try again in a moment`);
    let finish!: () => void;
    const done = new Promise<void>((resolve) => { finish = resolve; });
    const f: Flight = { op, done, finish, legLeft: false, ...(leg ? { leg } : {}) };
    this.byCall.set(callId, f);
    if (leg) this.byLeg.set(leg, f);
    return f;
  }

  end(callId: string): void {
    const f = this.byCall.get(callId);
    if (!f) return;
    this.byCall.delete(callId);
    if (f.leg && this.byLeg.get(f.leg) === f) this.byLeg.delete(f.leg);
    f.finish();
  }

  /** resolves once no operation runs on the call (at once when none does) */
  async settled(callId: string): Promise<void> {
    for (let f = this.byCall.get(callId); f; f = this.byCall.get(callId)) await f.done;
  }

  /** run `fn` as the call's operation in flight */
  async run<T>(callId: string, op: string, leg: string | undefined, fn: (f: Flight) => Promise<T>): Promise<T> {
    const f = this.begin(callId, op, leg);
    try {
      return await fn(f);
    } finally {
      this.end(callId);
    }
  }

  /** StasisEnd of a channel: true when it is the leg of an operation in flight (which then decides) */
  channelLeft(id: string): boolean {
    const f = this.byLeg.get(id);
    if (!f) return false;
    f.legLeft = true;
    return true;
  }

  /** a channel an operation in flight is releasing itself: its events are that operation's */
  hasLeg(id: string): boolean {
    return this.byLeg.has(id);
  }

}
