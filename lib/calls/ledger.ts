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
import type { TimeSource, TimerHandle } from '../domain/clock.ts';

export type Change =
  | { kind: 'attendant'; attendant: AttendantRecord }
  | { kind: 'group'; group: GroupRecord }
  | { kind: 'call'; call: CallRecord }
  | { kind: 'queue'; group: string; callIds: string[] };

/**
 * A set of changes decided together, staged: nothing of it reaches the working state until it is
 * committed, and then all of it at once, in the same turn as its store write is queued. A batch that
 * is dropped (an action refused half way) leaves memory as it was. While it is built, its own reads
 * (`attendant`, `group`, `call`, `queue`) see the working state with the batch's changes on top.
 */
export class Batch {
  readonly ops: StoreOp[] = [];
  readonly changes: Change[] = [];
  private readonly touchedQueues = new Set<string>();
  private readonly attendants = new Map<string, AttendantRecord>();
  private readonly groups = new Map<string, GroupRecord>();
  /** null: deleted by this batch */
  private readonly calls = new Map<string, CallRecord | null>();
  /** the queues as this batch leaves them (copied from the working state when first touched) */
  private readonly queues = new Map<string, string[]>();
  /** the memory changes, in the order decided, run at commit */
  private readonly steps: Array<() => void> = [];
  private applied = false;

  constructor(private readonly ledger: Ledger) {}

  /** an attendant as this batch sees it */
  attendant(id: string): AttendantRecord | undefined {
    return this.attendants.get(id) ?? this.ledger.attendants.get(id);
  }

  /** the attendants as this batch sees them (to derive a group's state) */
  readonly attendantView: Pick<ReadonlyMap<string, AttendantRecord>, 'get'> = {
    get: (id: string) => this.attendant(id),
  };

  group(id: string): GroupRecord | undefined {
    return this.groups.get(id) ?? this.ledger.groups.get(id);
  }

  call(id: string): CallRecord | undefined {
    const c = this.calls.get(id);
    return c === null ? undefined : c ?? this.ledger.calls.get(id);
  }

  /** a group's queue as this batch leaves it */
  queue(group: string): readonly string[] {
    return this.queues.get(group) ?? this.ledger.queues.get(group) ?? [];
  }

  putAttendant(a: AttendantRecord): this {
    this.attendants.set(a.id, a);
    this.steps.push(() => this.ledger.attendants.set(a.id, a));
    this.ops.push({ op: 'putAttendant', attendant: a });
    this.changes.push({ kind: 'attendant', attendant: a });
    return this;
  }

  putGroup(g: GroupRecord): this {
    this.groups.set(g.id, g);
    this.steps.push(() => this.ledger.groups.set(g.id, g));
    this.ops.push({ op: 'putGroup', group: g });
    this.changes.push({ kind: 'group', group: g });
    return this;
  }

  /**
   * `stays` (the caller's bridge stays) are written only with `{ stays: true }` (bridge-stays.ts):
   * any other write keeps the ledger's, so a record read before an await cannot turn them back.
   */
  putCall(record: CallRecord, opts: { stays?: boolean } = {}): this {
    const op: StoreOp & { op: 'putCall' } = { op: 'putCall', call: record };
    const change: Change & { kind: 'call' } = { kind: 'call', call: record };
    this.calls.set(record.id, record);
    // the stays kept are the ledger's when the batch is committed, not when it was built
    this.steps.push(() => {
      const current = this.ledger.calls.get(record.id);
      let c = record;
      if (!opts.stays && current && current.stays !== record.stays) {
        c = { ...record };
        if (current.stays) c.stays = current.stays;
        else delete c.stays;
      }
      this.ledger.calls.set(c.id, c);
      op.call = c;
      change.call = c;
    });
    this.ops.push(op);
    this.changes.push(change);
    return this;
  }

  deleteCall(c: CallRecord): this {
    this.calls.set(c.id, null);
    this.steps.push(() => this.ledger.calls.delete(c.id));
    this.ops.push({ op: 'deleteCall', callId: c.id });
    this.changes.push({ kind: 'call', call: c });
    return this;
  }

  private stagedQueue(group: string): string[] {
    let q = this.queues.get(group);
    if (!q) this.queues.set(group, (q = [...(this.ledger.queues.get(group) ?? [])]));
    return q;
  }

  enqueue(group: string, call: CallRecord): this {
    const q = this.stagedQueue(group);
    if (!q.includes(call.id)) {
      const score = queueScore(call.priority, call.arrivedAt);
      insertSorted(q, call.id, score, (id) => this.call(id));
      this.steps.push(() => {
        const live = this.ledger.queueOf(group);
        // kept sorted exactly as the store's sorted set is
        if (!live.includes(call.id)) insertSorted(live, call.id, score, (id) => this.ledger.calls.get(id));
      });
      this.ops.push({ op: 'enqueue', group, callId: call.id, score });
      this.touchedQueues.add(group);
    }
    return this;
  }

  dequeue(group: string, callId: string): this {
    const q = this.stagedQueue(group);
    const i = q.indexOf(callId);
    if (i >= 0) {
      q.splice(i, 1);
      this.steps.push(() => {
        const live = this.ledger.queueOf(group);
        const at = live.indexOf(callId);
        if (at >= 0) live.splice(at, 1);
      });
      this.ops.push({ op: 'dequeue', group, callId });
      this.touchedQueues.add(group);
    }
    return this;
  }

  log(entry: LogEntryInput): this {
    this.ops.push({ op: 'log', entry });
    return this;
  }

  /** the action-log lines of this batch, in order (observers read what was decided) */
  logEntries(): LogEntryInput[] {
    const out: LogEntryInput[] = [];
    for (const op of this.ops) if (op.op === 'log') out.push(op.entry);
    return out;
  }

  /** a line of the queue_log export (lib/stats/queue-log.ts), stored with the batch: never twice */
  queueLog(time: number, line: string): this {
    this.ops.push({ op: 'queueLog', time, line });
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

  /** the batch's memory changes, all at once (the ledger does this as it commits the batch; once) */
  apply(): void {
    if (this.applied) return;
    this.applied = true;
    for (const step of this.steps) step();
  }

  /** queue changes are published once per batch, after the records */
  finish(): Change[] {
    for (const g of this.touchedQueues) this.changes.push({ kind: 'queue', group: g, callIds: [...this.ledger.queueOf(g)] });
    return this.changes;
  }
}

/** insert into a queue kept in the store's order: by score, then arrival in the queue */
function insertSorted(q: string[], callId: string, score: number, callOf: (id: string) => CallRecord | undefined): void {
  let i = q.length;
  while (i > 0) {
    const prev = callOf(q[i - 1]!);
    if (!prev || queueScore(prev.priority, prev.arrivedAt) <= score) break;
    i--;
  }
  q.splice(i, 0, callId);
}

export interface LedgerOptions {
  /** the controller's lease: writes are refused by the store once another controller holds it (fencing) */
  lease?: { name: string; holder: string };
}

/** most ops in one store write: a burst (10,000 callers at once) is written in slices, not one giant write */
const MAX_OPS_PER_WRITE = 2000;
/** most ops sent before waiting for the answers: a burst's slices go one flight after another, so none
 * of them waits behind the others long enough to pass the store's command deadline */
const MAX_OPS_PER_FLIGHT = 4000;

/**
 * Longest a write is held back for a set to ring (see `holdWritesUntil`): a set that never says it
 * rings, or presentations started one after another, never keep the store behind by more.
 */
const WRITE_HOLD_MAX_MS = 10;

/** a batch waiting to be written; a claim is written on its own, in its place in the order */
interface PendingWrite {
  ops: StoreOp[];
  claim?: { callId: string; attendantId: string };
  /** tells the committer: written (or the claim's answer), or queued for retry when the store failed */
  settle?: (won: boolean) => void;
}

/** one store write: the first `entries` pending writes joined, numbered when cut so a resend keeps its number */
interface Flight {
  ops: StoreOp[];
  entries: number;
  seq: number;
  claim?: PendingWrite['claim'];
}

/** sees every batch as it is committed, before it is written; may add ops to it (queue_log lines) */
export type BatchObserver = (b: Batch) => void;

export class Ledger extends EventEmitter<{ change: [Change]; storeState: [boolean]; fenced: [string] }> {
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
  /** this ledger's writes carry (writer, seq) so a resend of a write whose reply was lost is not applied twice */
  private readonly writer = randomUUID();
  private seq = 0;
  /** the writes of a failed attempt whose outcome is unknown: resent first, exactly as they were */
  private unsure: Flight[] = [];
  private halted = false;
  /** a retry after a failed write is scheduled: nothing else starts a drain meanwhile */
  private retrying = false;
  private resyncing: Promise<void> | undefined;
  private readonly observers: BatchObserver[] = [];
  /**
   * batches memory has taken whose observers and write wait: an arrival for the originate that follows
   * it (commitAfterOriginates), a presentation for its set to ring (commitHeld)
   */
  private parked: Array<{ b: Batch; settle: () => void; held: boolean }> = [];
  /** what the next drain waits for (sets about to ring); empty most of the time */
  private readonly holds = new Set<Promise<unknown>>();
  /** ends the holds WRITE_HOLD_MAX_MS after the first of them: a stream of presentations never keeps the store further behind */
  private holdTimer: TimerHandle | undefined;
  /** starts the held drain (at most once), while one is held */
  private releaseHeld: (() => void) | undefined;
  /** the documents kept in memory by the services, written again by a resync */
  private readonly docSources: Array<{ kind: string; items: () => Iterable<[string, object]> }> = [];

  constructor(private readonly store: Store, private readonly time: TimeSource, private readonly log: Logger, private readonly opts: LedgerOptions = {}) {
    super();
  }

  load(s: Snapshot): void {
    for (const a of s.attendants) this.attendants.set(a.id, a);
    for (const g of s.groups) this.groups.set(g.id, g);
    for (const c of s.calls) {
      this.calls.set(c.id, c);
      // the store made old records into their state's shape; one it could not is kept, flagged, and said here
      if (c.attention !== undefined) this.log.warn({ callId: c.id, state: c.state, attention: c.attention }, 'call loaded needing attention');
    }
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

  /** documents of `kind` that memory holds (a service's collection): a resync writes them again */
  keepDocs(kind: string, items: () => Iterable<[string, object]>): void {
    this.docSources.push({ kind, items });
  }

  /** metrics and the queue_log see each batch once, in commit order; a failing observer never stops a write */
  observe(fn: BatchObserver): void {
    this.observers.push(fn);
  }

  private notify(b: Batch): void {
    for (const fn of this.observers) {
      try {
        fn(b);
      } catch (err) {
        this.log.error({ err }, 'batch observer failed');
      }
    }
  }

  /**
   * Write a batch to the store, then publish its changes. Resolves once this batch is written (not
   * the ones queued after it), or once queued for retry when the store is down: calls keep being
   * served from memory meanwhile.
   */
  async commit(b: Batch): Promise<void> {
    this.unpark();
    b.apply();
    await this.publish(b);
  }

  /** observers, the write, then the changes to listeners, of a batch memory has taken */
  private async publish(b: Batch): Promise<void> {
    this.notify(b);
    const changes = b.finish();
    if (b.ops.length && !this.halted) await this.enqueueWrite({ ops: b.ops });
    for (const c of changes) this.emit('change', c);
  }

  /**
   * A caller's arrival: memory takes the batch now (the presentation decided next reads it), its
   * observers (metrics, the queue_log) and its write come after the originates of this turn: with the
   * presentation's batch (commitHeld), or in a microtask queued now when no presentation holds it, or
   * before any other batch is taken. Call it after asking for the dispatch that presents the call (its
   * microtask must come before this one).
   */
  commitAfterOriginates(b: Batch): Promise<void> {
    this.unpark();
    b.apply();
    const parked = this.park(b, false);
    queueMicrotask(() => { if (!this.parked.some((p) => p.held)) this.unpark(); });
    return parked;
  }

  /**
   * A presentation whose set is about to ring: memory takes the batch now; its observers and its write
   * (with the arrival parked before it) wait while the writes are held (holdWritesUntil: until the set
   * rings), WRITE_HOLD_MAX_MS at most, or until another batch is taken: on a machine Asterisk shares,
   * the controller's own work then does not compete with Asterisk's dial. Observers still see every
   * batch once, in commit order; an arrival's observers may see memory with the presentations of its
   * turn in it (they change no queue).
   */
  commitHeld(b: Batch): Promise<void> {
    // an earlier presentation is published before this one is taken
    if (this.parked.some((p) => p.held)) this.unpark();
    b.apply();
    const parked = this.park(b, true);
    if (!this.holds.size) queueMicrotask(() => this.unpark());
    return parked;
  }

  private park(b: Batch, held: boolean): Promise<void> {
    return new Promise<void>((settle) => { this.parked.push({ b, settle, held }); });
  }

  /** publish the parked batches, in order, before anything else is taken or written */
  private unpark(): void {
    if (!this.parked.length) return;
    const parked = this.parked;
    this.parked = [];
    for (const { b, settle } of parked) void this.publish(b).then(settle);
  }

  /**
   * The hand-over: the batch is written only if the store gives this call to this attendant
   * (a second controller can never take the same call). While the store is down, memory decides.
   */
  async claim(callId: string, attendantId: string, b: Batch): Promise<boolean> {
    this.unpark();
    // decided now: memory takes the hand-over at once, so no other decision sees the attendant free
    b.apply();
    this.notify(b);
    const changes = b.finish();
    // fenced: another controller is active, this one takes nothing more
    if (this.halted) return false;
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

  /** Fenced (another controller is active): keep deciding nothing more to the store, drop what waits. */
  halt(): void {
    this.halted = true;
    const dropped = this.pending;
    this.pending = [];
    this.unsure = [];
    // their committers go on; a claim is not won: this controller takes nothing more
    for (const w of dropped) w.settle?.(!w.claim);
  }

  /**
   * After a store outage (Redis restarted, maybe empty): write the whole working state again (the
   * services' documents included), and remove calls the store still has that ended meanwhile.
   * Queued behind the batches still waiting.
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
    for (const src of this.docSources) {
      for (const [id, doc] of src.items()) ops.push({ op: 'putDoc', kind: src.kind, id, doc: doc as Record<string, unknown> });
    }
    this.log.info({ attendants: this.attendants.size, calls: this.calls.size, removed: stored.calls.filter((c) => !this.calls.has(c.id)).length }, 'store resynchronised from memory');
    await this.enqueueWrite({ ops });
  }

  /**
   * Hold the writes back until `signal` settles (a presentation's set rings), WRITE_HOLD_MAX_MS at
   * most: on a machine Asterisk shares, the store's round trip and the store's own work land in
   * Asterisk's dial otherwise and delay the set's INVITE. A claim (a hand-over) is never held: it
   * lets everything queued before it go at once. Memory and the observers see a batch at commit as
   * before; only its write waits. A controller killed meanwhile finds the caller in Stasis and the leg
   * ringing (its route variable) or answered (its appArgs name the call and the attendant), as it does
   * when killed before any write.
   */
  holdWritesUntil(signal: Promise<unknown>): void {
    this.holds.add(signal);
    this.holdTimer ??= this.time.schedule(WRITE_HOLD_MAX_MS, () => {
      this.holdTimer = undefined;
      this.holds.clear();
      this.holdsEnded();
    });
    const done = () => {
      if (this.holds.delete(signal) && !this.holds.size) this.holdsEnded();
    };
    signal.then(done, done);
  }

  /** the sets rang (or the limit passed): what was parked is published, the held drain goes */
  private holdsEnded(): void {
    this.holdTimer?.cancel();
    this.holdTimer = undefined;
    this.unpark();
    this.releaseHeld?.();
  }

  private enqueueWrite(w: PendingWrite): Promise<boolean> {
    this.unpark();
    return new Promise<boolean>((resolve) => {
      this.pending.push({ ...w, settle: resolve });
      if (w.claim) this.releaseHeld?.();
      this.flush();
    });
  }

  private flush(): void {
    if (this.flushing || this.halted) return;
    this.flushing = true;
    // start after this turn's I/O callbacks: a caller's arrival and its presentation (decided in the
    // same turn) go in one write, and a burst of events in one write per turn
    setImmediate(() => this.drainUnlessHeld());
  }

  /** drain now, or once the holds end (a set rings, or WRITE_HOLD_MAX_MS passed) or a claim is queued */
  private drainUnlessHeld(): void {
    if (!this.holds.size || this.retrying || this.pending.some((w) => w.claim)) {
      void this.drain();
      return;
    }
    this.releaseHeld = () => {
      this.releaseHeld = undefined;
      setImmediate(() => void this.drain());
    };
  }

  private async drain(): Promise<void> {
    try {
      await this.writePending();
    } finally {
      this.flushing = false;
      // a writer woken by the last answers runs before this, finds flushing still set and starts no
      // drain: start one for what it queued (not while a retry after a failure is already scheduled)
      if (!this.retrying && (this.pending.length || this.unsure.length)) this.flush();
    }
  }

  private guard(seq: number): CommitGuard {
    return { writer: { id: this.writer, seq }, ...(this.opts.lease ? { lease: this.opts.lease } : {}) };
  }

  private send(w: Flight): Promise<boolean> {
    if (w.claim) return this.store.claimCall(w.claim.callId, w.claim.attendantId, w.ops, this.opts.lease ? { lease: this.opts.lease } : {});
    return w.ops.length ? this.store.commit(w.ops, this.guard(w.seq)).then(() => true) : Promise.resolve(true);
  }

  private async writePending(): Promise<void> {
    while ((this.unsure.length || this.pending.length) && !this.halted) {
      // every write waiting goes out now, in order, without waiting for answers in between: the store
      // applies the writes of its one connection in the order they were sent, so a claim still lands
      // after the batches decided before it, and a busy controller pays one round trip per turn, not one
      // per write. The writes of a failed attempt go first, unchanged: their numbers make them exactly-once.
      const writes = this.unsure.length ? this.unsure : this.slices();
      this.unsure = [];
      this.flights++;
      const results = await Promise.allSettled(writes.map((w) => this.send(w)));
      if (this.halted) return;
      const failed = results.findIndex((r) => r.status === 'rejected');
      const written = failed < 0 ? writes.length : failed;
      for (let i = 0; i < written; i++) {
        const won = (results[i] as PromiseFulfilledResult<boolean>).value;
        for (const w of this.pending.splice(0, writes[i]!.entries)) w.settle?.(won);
      }
      if (failed < 0) {
        this.retryDelay = 100;
        if (!this.storeUp) {
          this.storeUp = true;
          this.emit('storeState', true);
          this.log.info('store writes resumed');
          void this.resync();
        }
        // the next flight after this turn's I/O: a store answering at once (memory) never holds the loop
        if (this.pending.length) await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      const err = (results[failed] as PromiseRejectedResult).reason as Error;
      if (err instanceof StoreFencedError) {
        // another controller holds the lease: the controller halts this ledger
        this.emit('fenced', err.holder);
        return;
      }
      if (this.storeUp) { this.storeUp = false; this.emit('storeState', false); }
      this.log.error({ err: err.message, backlog: this.pending.length, callId: writes[failed]!.claim?.callId }, 'store write failed; retrying');
      // from the first that failed, the writes' outcome is unknown: they are resent as they are, and a claim
      // becomes a plain write (memory decided); everyone waiting goes on from memory meanwhile
      this.unsure = writes.slice(failed).map((w) => ({ ops: w.ops, entries: w.entries, seq: w.seq }));
      for (const w of this.pending) {
        delete w.claim;
        w.settle?.(true);
        delete w.settle;
      }
      const delay = this.retryDelay;
      this.retryDelay = Math.min(this.retryDelay * 2, 5000);
      this.retrying = true;
      this.time.schedule(delay, () => { this.retrying = false; this.flush(); });
      return;
    }
  }

  /** the next pending writes as store writes: runs of batches joined (up to a size), each claim alone, up to a flight's worth */
  private slices(): Flight[] {
    const out: Flight[] = [];
    const count = this.pending.length;
    let i = 0;
    let flight = 0;
    while (i < count && (out.length === 0 || flight + this.pending[i]!.ops.length <= MAX_OPS_PER_FLIGHT)) {
      const head = this.pending[i++]!;
      const slice: Flight = { ops: [...head.ops], entries: 1, seq: ++this.seq, ...(head.claim ? { claim: head.claim } : {}) };
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
