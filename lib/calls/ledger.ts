// The controller's working state: attendants, groups, calls and queues in memory (decisions are
// made synchronously on it, so two decisions can never interleave), written through to the store
// in atomic batches. While the store is unreachable, batches wait in order and are retried.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { AttendantRecord, CallRecord, GroupRecord, LogEntryInput } from '../domain/model.ts';
import { queueScore } from '../domain/presentation.ts';
import type { CommitGuard, Snapshot, Store, StoreOp } from '../store/store.ts';
import { StoreFencedError } from '../store/keys.ts';
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

  /**
   * `stays` (the caller's bridge stays) are written only with `{ stays: true }` (bridge-stays.ts):
   * any other write keeps the ledger's, so a record read before an await cannot turn them back.
   */
  putCall(record: CallRecord, opts: { stays?: boolean } = {}): this {
    const current = this.ledger.calls.get(record.id);
    let c = record;
    if (!opts.stays && current && current.stays !== record.stays) {
      c = { ...record };
      if (current.stays) c.stays = current.stays;
      else delete c.stays;
    }
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

  stats(scope: string, intervalStart: number, add: Record<string, number>, max?: Record<string, number>): this {
    this.ops.push({ op: 'stats', scope, intervalStart, add, ...(max ? { max } : {}) });
    return this;
  }

  /** a small document of a service (DND, wake-up call, message), written with the batch */
  putDoc(kind: string, id: string, doc: Record<string, unknown>): this {
    this.ops.push({ op: 'putDoc', kind, id, doc });
    return this;
  }

  deleteDoc(kind: string, id: string): this {
    this.ops.push({ op: 'deleteDoc', kind, id });
    return this;
  }

  /** queue changes are published once per batch, after the records */
  finish(): Change[] {
    for (const g of this.touchedQueues) this.changes.push({ kind: 'queue', group: g, callIds: [...this.ledger.queueOf(g)] });
    return this.changes;
  }
}

export interface LedgerOptions {
  /** the controller's lease: writes are refused by the store once another controller holds it (fencing) */
  lease?: { name: string; holder: string };
}

export class Ledger extends EventEmitter<{ change: [Change]; storeState: [boolean]; fenced: [string] }> {
  readonly attendants = new Map<string, AttendantRecord>();
  readonly groups = new Map<string, GroupRecord>();
  readonly calls = new Map<string, CallRecord>();
  readonly queues = new Map<string, string[]>();
  private pending: StoreOp[][] = [];
  private flushing: Promise<void> | undefined;
  private storeUp = true;
  private retryDelay = 100;
  /** this ledger's batches carry (writer, seq) so a retry of a batch whose reply was lost is not applied twice */
  private readonly writer = randomUUID();
  private seq = 0;
  /** the batches sent in the last attempt, and their seq: a retry resends exactly these first */
  private inflight: { seq: number; count: number } | undefined;
  private halted = false;
  private resyncing: Promise<void> | undefined;

  constructor(private readonly store: Store, private readonly time: TimeSource, private readonly log: Logger, private readonly opts: LedgerOptions = {}) {
    super();
  }

  load(s: Snapshot): void {
    for (const a of s.attendants) this.attendants.set(a.id, a);
    for (const g of s.groups) this.groups.set(g.id, g);
    for (const c of s.calls) this.calls.set(c.id, c);
    for (const [g, ids] of Object.entries(s.queues)) this.queues.set(g, ids.filter((id) => this.calls.has(id)));
  }

  /** the stored documents of a kind (services load theirs at start; their memory is written through batches) */
  listDocs(kind: string): Promise<Array<{ id: string; doc: Record<string, unknown> }>> {
    return this.store.listDocs(kind);
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
   * Write a batch to the store, then publish its changes. Resolves once written, or once queued for
   * retry when the store is down: calls keep being served from memory meanwhile.
   */
  async commit(b: Batch): Promise<void> {
    const changes = b.finish();
    if (b.ops.length && !this.halted) {
      this.pending.push(b.ops);
      await this.flush();
    }
    for (const c of changes) this.emit('change', c);
  }

  /**
   * The hand-over: the batch is written only if the store gives this call to this attendant
   * (a second controller can never take the same call). While the store is down, memory decides.
   */
  async claim(callId: string, attendantId: string, b: Batch): Promise<boolean> {
    const changes = b.finish();
    await this.flush();
    let won = true;
    if (this.pending.length) {
      this.pending.push(b.ops);
    } else {
      try {
        won = await this.store.claimCall(callId, attendantId, b.ops, this.opts.lease ? { lease: this.opts.lease } : {});
      } catch (err) {
        if (err instanceof StoreFencedError) {
          // another controller holds the lease: this one takes nothing more
          this.emit('fenced', err.holder);
          return false;
        }
        this.log.error({ err: (err as Error).message, callId }, 'store claim failed; queued for retry');
        this.pending.push(b.ops);
        void this.flush();
      }
    }
    if (won) for (const c of changes) this.emit('change', c);
    return won;
  }

  /** Give up the hand-over of a call (it went on hold): the next answer claims it again. */
  async release(callId: string): Promise<void> {
    await this.flush();
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

  /** Fenced (another controller is active): keep deciding nothing more to the store, drop what waits. */
  halt(): void {
    this.halted = true;
    this.pending = [];
    this.inflight = undefined;
  }

  /**
   * After a store outage (Redis restarted, maybe empty): write the whole working state again, and
   * remove calls the store still has that ended meanwhile. Queued behind the batches still waiting.
   */
  resync(): Promise<void> {
    this.resyncing ??= this.rewrite().finally(() => { this.resyncing = undefined; });
    return this.resyncing;
  }

  private async rewrite(): Promise<void> {
    let stored: Snapshot;
    try {
      stored = await this.store.snapshot();
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'store resync postponed: cannot read the store');
      return;
    }
    if (this.halted) return;
    // built synchronously from memory as it is now: a batch decided meanwhile is already in it
    const ops: StoreOp[] = [];
    for (const a of this.attendants.values()) ops.push({ op: 'putAttendant', attendant: a });
    for (const g of this.groups.values()) ops.push({ op: 'putGroup', group: g });
    for (const c of this.calls.values()) ops.push({ op: 'putCall', call: c });
    for (const c of stored.calls) if (!this.calls.has(c.id)) ops.push({ op: 'deleteCall', callId: c.id });
    for (const [group, ids] of this.queues) {
      for (const id of ids) {
        const c = this.calls.get(id);
        if (c) ops.push({ op: 'enqueue', group, callId: id, score: queueScore(c.priority, c.arrivedAt) });
      }
    }
    for (const [group, ids] of Object.entries(stored.queues)) {
      const mine = new Set(this.queues.get(group) ?? []);
      for (const id of ids) if (!mine.has(id)) ops.push({ op: 'dequeue', group, callId: id });
    }
    this.log.info({ attendants: this.attendants.size, calls: this.calls.size, removed: stored.calls.filter((c) => !this.calls.has(c.id)).length }, 'store resynchronised from memory');
    this.pending.push(ops);
    await this.flush();
  }

  private flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.drain().finally(() => { this.flushing = undefined; });
    }
    return this.flushing;
  }

  private guard(seq: number): CommitGuard {
    return { writer: { id: this.writer, seq }, ...(this.opts.lease ? { lease: this.opts.lease } : {}) };
  }

  private async drain(): Promise<void> {
    while (this.pending.length && !this.halted) {
      // everything waiting goes in one atomic write (fewer round trips under load); a retry resends the same chunk
      const chunk = this.inflight ?? { seq: ++this.seq, count: this.pending.length };
      this.inflight = chunk;
      const ops = this.pending.slice(0, chunk.count).flat();
      try {
        await this.store.commit(ops, this.guard(chunk.seq));
        this.pending.splice(0, chunk.count);
        this.inflight = undefined;
        this.retryDelay = 100;
        if (!this.storeUp) {
          this.storeUp = true;
          this.emit('storeState', true);
          this.log.info('store writes resumed');
          void this.resync();
        }
      } catch (err) {
        if (this.halted) return;
        if (err instanceof StoreFencedError) this.emit('fenced', err.holder);
        if (this.storeUp) { this.storeUp = false; this.emit('storeState', false); }
        this.log.error({ err: (err as Error).message, backlog: this.pending.length }, 'store write failed; retrying');
        const delay = this.retryDelay;
        this.retryDelay = Math.min(this.retryDelay * 2, 5000);
        this.time.schedule(delay, () => { void this.flush(); });
        return;
      }
    }
  }
}
