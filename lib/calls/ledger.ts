// The controller's working state: attendants, groups, calls and queues in memory (decisions are
// made synchronously on it, so two decisions can never interleave), written through to the store
// in atomic batches. While the store is unreachable, batches wait in order and are retried.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { AttendantRecord, CallRecord, GroupRecord, LogEntryInput } from '../domain/model.ts';
import { queueScore } from '../domain/presentation.ts';
import type { Snapshot, Store, StoreOp } from '../store/store.ts';
import type { TimeSource } from '../domain/clock.ts';

export type Change =
  | { kind: 'attendant'; attendant: AttendantRecord }
  | { kind: 'group'; group: GroupRecord }
  | { kind: 'call'; call: CallRecord }
  | { kind: 'queue'; group: string; callIds: string[] };

/** A set of changes decided together: applied to memory at once, committed to the store as one batch. */
export class Batch {
  readonly ops: StoreOp[] = [];
  readonly changes: Change[] = [];
  private readonly touchedQueues = new Set<string>();

  constructor(private readonly ledger: Ledger) {}

  putAttendant(a: AttendantRecord): this {
    this.ledger.attendants.set(a.id, a);
    this.ops.push({ op: 'putAttendant', attendant: a });
    this.changes.push({ kind: 'attendant', attendant: a });
    return this;
  }

  putGroup(g: GroupRecord): this {
    this.ledger.groups.set(g.id, g);
    this.ops.push({ op: 'putGroup', group: g });
    this.changes.push({ kind: 'group', group: g });
    return this;
  }

  putCall(c: CallRecord): this {
    this.ledger.calls.set(c.id, c);
    this.ops.push({ op: 'putCall', call: c });
    this.changes.push({ kind: 'call', call: c });
    return this;
  }

  deleteCall(c: CallRecord): this {
    this.ledger.calls.delete(c.id);
    this.ops.push({ op: 'deleteCall', callId: c.id });
    this.changes.push({ kind: 'call', call: c });
    return this;
  }

  enqueue(group: string, call: CallRecord): this {
    const q = this.ledger.queueOf(group);
    if (!q.includes(call.id)) {
      const score = queueScore(call.priority, call.arrivedAt);
      const calls = this.ledger.calls;
      // keep the in-memory queue sorted exactly as the store's sorted set is
      let i = q.length;
      while (i > 0) {
        const prev = calls.get(q[i - 1]!);
        if (!prev || queueScore(prev.priority, prev.arrivedAt) <= score) break;
        i--;
      }
      q.splice(i, 0, call.id);
      this.ops.push({ op: 'enqueue', group, callId: call.id, score });
      this.touchedQueues.add(group);
    }
    return this;
  }

  dequeue(group: string, callId: string): this {
    const q = this.ledger.queueOf(group);
    const i = q.indexOf(callId);
    if (i >= 0) {
      q.splice(i, 1);
      this.ops.push({ op: 'dequeue', group, callId });
      this.touchedQueues.add(group);
    }
    return this;
  }

  log(entry: LogEntryInput): this {
    this.ops.push({ op: 'log', entry });
    return this;
  }

  stats(scope: string, intervalStart: number, add: Record<string, number>): this {
    this.ops.push({ op: 'stats', scope, intervalStart, add });
    return this;
  }

  /** queue changes are published once per batch, after the records */
  finish(): Change[] {
    for (const g of this.touchedQueues) this.changes.push({ kind: 'queue', group: g, callIds: [...this.ledger.queueOf(g)] });
    return this.changes;
  }
}

/** most ops in one store write: a burst (10,000 callers at once) is written in slices, not one giant write */
const MAX_OPS_PER_WRITE = 2000;
/** most ops sent before waiting for the answers: a burst's slices go one flight after another, so none
 * of them waits behind the others long enough to pass the store's command deadline */
const MAX_OPS_PER_FLIGHT = 4000;

/** a batch waiting to be written; a claim is written on its own, in its place in the order */
interface PendingWrite {
  ops: StoreOp[];
  claim?: { callId: string; attendantId: string };
  /** tells the committer: written (or the claim's answer), or queued for retry when the store failed */
  settle?: (won: boolean) => void;
}

export class Ledger extends EventEmitter<{ change: [Change]; storeState: [boolean] }> {
  readonly attendants = new Map<string, AttendantRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly calls = new Map<string, CallRecord>();
  readonly queues = new Map<string, string[]>();
  private pending: PendingWrite[] = [];
  private flushing = false;
  private storeUp = true;
  private retryDelay = 100;
  /** pipelined sends of pending writes so far: the store round trips the controller really waited for */
  flights = 0;

  constructor(private readonly store: Store, private readonly time: TimeSource, private readonly log: Logger) {
    super();
  }

  load(s: Snapshot): void {
    for (const a of s.attendants) this.attendants.set(a.id, a);
    for (const g of s.groups) this.groups.set(g.id, g);
    for (const c of s.calls) this.calls.set(c.id, c);
    for (const [g, ids] of Object.entries(s.queues)) this.queues.set(g, ids.filter((id) => this.calls.has(id)));
  }

  queueOf(group: string): string[] {
    let q = this.queues.get(group);
    if (!q) this.queues.set(group, (q = []));
    return q;
  }

  batch(): Batch {
    return new Batch(this);
  }

  /**
   * Write a batch to the store, then publish its changes. Resolves once this batch is written (not
   * the ones queued after it), or once queued for retry when the store is down: calls keep being
   * served from memory meanwhile.
   */
  async commit(b: Batch): Promise<void> {
    const changes = b.finish();
    if (b.ops.length) await this.enqueueWrite({ ops: b.ops });
    for (const c of changes) this.emit('change', c);
  }

  /**
   * The hand-over: the batch is written only if the store gives this call to this attendant
   * (a second controller can never take the same call). While the store is down, memory decides.
   */
  async claim(callId: string, attendantId: string, b: Batch): Promise<boolean> {
    const changes = b.finish();
    const won = await this.enqueueWrite(this.storeUp ? { ops: b.ops, claim: { callId, attendantId } } : { ops: b.ops });
    if (won) for (const c of changes) this.emit('change', c);
    return won;
  }

  /** Give up the hand-over of a call (it went on hold): the next answer claims it again. */
  async release(callId: string): Promise<void> {
    // after every write decided before it
    await this.enqueueWrite({ ops: [] });
    try {
      await this.store.releaseCall(callId);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, callId }, 'store release failed');
    }
  }

  get storeAvailable(): boolean {
    return this.storeUp;
  }

  /** batches not yet written */
  get backlog(): number {
    return this.pending.length;
  }

  private enqueueWrite(w: PendingWrite): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      this.pending.push({ ...w, settle: resolve });
      this.flush();
    });
  }

  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    // start after this turn's I/O callbacks: a caller's arrival and its presentation (decided in the
    // same turn) go in one write, and a burst of events in one write per turn
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    try {
      await this.writePending();
    } finally {
      // cleared before anyone woken by the last write can queue another: it starts a new drain
      this.flushing = false;
    }
  }

  private async writePending(): Promise<void> {
    while (this.pending.length) {
      // every write waiting goes out now, in order, without waiting for answers in between: the store
      // applies the writes of its one connection in the order they were sent, so a claim still lands
      // after the batches decided before it, and a busy controller pays one round trip per turn, not one per write
      const writes = this.slices();
      this.flights++;
      const results = await Promise.allSettled(writes.map((w) => (w.claim
        ? this.store.claimCall(w.claim.callId, w.claim.attendantId, w.ops)
        : w.ops.length ? this.store.commit(w.ops).then(() => true) : Promise.resolve(true))));
      const failed = results.findIndex((r) => r.status === 'rejected');
      const written = failed < 0 ? writes.length : failed;
      for (let i = 0; i < written; i++) {
        const won = (results[i] as PromiseFulfilledResult<boolean>).value;
        for (const w of this.pending.splice(0, writes[i]!.entries)) w.settle?.(won);
      }
      if (failed < 0) {
        this.retryDelay = 100;
        if (!this.storeUp) { this.storeUp = true; this.emit('storeState', true); this.log.info('store writes resumed'); }
        continue;
      }
      const err = (results[failed] as PromiseRejectedResult).reason as Error;
      if (this.storeUp) { this.storeUp = false; this.emit('storeState', false); }
      this.log.error({ err: err.message, backlog: this.pending.length, callId: writes[failed]!.claim?.callId }, 'store write failed; retrying');
      // everyone waiting goes on from memory; the writes stay queued (from the first that failed: the
      // later ones' outcome is unknown), and a claim becomes a plain write (memory decided)
      for (const w of this.pending) {
        delete w.claim;
        w.settle?.(true);
        delete w.settle;
      }
      const delay = this.retryDelay;
      this.retryDelay = Math.min(this.retryDelay * 2, 5000);
      this.time.schedule(delay, () => this.flush());
      return;
    }
  }

  /** the next pending writes as store writes: runs of batches joined (up to a size), each claim alone, up to a flight's worth */
  private slices(): Array<{ ops: StoreOp[]; entries: number; claim?: PendingWrite['claim'] }> {
    const out: Array<{ ops: StoreOp[]; entries: number; claim?: PendingWrite['claim'] }> = [];
    const count = this.pending.length;
    let i = 0;
    let flight = 0;
    while (i < count && (out.length === 0 || flight + this.pending[i]!.ops.length <= MAX_OPS_PER_FLIGHT)) {
      const head = this.pending[i++]!;
      const slice = { ops: [...head.ops], entries: 1, ...(head.claim ? { claim: head.claim } : {}) };
      while (!head.claim && i < count && !this.pending[i]!.claim && slice.ops.length + this.pending[i]!.ops.length <= MAX_OPS_PER_WRITE) {
        slice.ops.push(...this.pending[i++]!.ops);
        slice.entries++;
      }
      flight += slice.ops.length;
      out.push(slice);
    }
    return out;
  }
}
