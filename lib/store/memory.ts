// The store in process memory: same contract as Redis, for tests, the demo and a controller without Redis.
// Records are copied in and out, so a caller never holds a reference to stored state.
import type { Clock } from '../domain/clock.ts';
import type { AttendantRecord, CallRecord, GroupRecord, LogEntry, LogQuery } from '../domain/model.ts';
import type { AttemptCounter, AttemptCounterOptions, CommitGuard, Snapshot, StatsInterval, Store, StoreOp, TrimKind } from './store.ts';
import { memoryAttemptCounter } from './attempts.ts';
import {
  loadCall,
  checkGuard, checkId, checkScope, checkLeaseTtl, checkLogQuery, checkQueueLogRange, checkRange, checkTrim, decodeDoc, prepareOps, StoreFencedError, StoreUnavailableError,
} from './keys.ts';
import type { PreparedOp } from './keys.ts';

/** Members of a sorted set in Redis order: score, then member bytes. */
function ordered(set: Map<string, number> | undefined): string[] {
  if (!set) return [];
  return [...set.entries()]
    .sort(([a, sa], [b, sb]) => sa - sb || Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .map(([member]) => member);
}

function byId<T extends { id: string }>(records: Iterable<T>): T[] {
  return [...records].sort((a, b) => Buffer.compare(Buffer.from(a.id), Buffer.from(b.id))).map((r) => structuredClone(r));
}

interface StreamId { ms: number; seq: number }

interface StoredLogEntry { sid: StreamId; entry: LogEntry }

export class MemoryStore implements Store {
  private readonly attendants = new Map<string, AttendantRecord>();
  private readonly groups = new Map<string, GroupRecord>();
  private readonly calls = new Map<string, CallRecord>();
  /** group -> attendant id -> idleSince */
  private readonly idle = new Map<string, Map<string, number>>();
  /** group -> call id -> score */
  private readonly queues = new Map<string, Map<string, number>>();
  private readonly claims = new Map<string, string>();
  private readonly logEntries: StoredLogEntry[] = [];
  private lastLogId: StreamId = { ms: 0, seq: 0 };
  private readonly queueLines: Array<{ ms: number; line: string }> = [];
  /** scope -> interval start -> counters */
  private readonly counters = new Map<string, Map<number, Record<string, number>>>();
  /** kind -> id -> JSON text (stored as text so what comes out is what JSON carries, like Redis) */
  private readonly docs = new Map<string, Map<string, string>>();
  private readonly leases = new Map<string, { holder: string; expiresAt: number }>();
  /** writer id -> last batch seq committed */
  private readonly writers = new Map<string, number>();
  /** name -> counter: the same name is the same counter, as in Redis */
  private readonly attemptCounters = new Map<string, AttemptCounter>();
  private closed = false;

  constructor(private readonly clock: Clock) {}

  async commit(ops: StoreOp[], guard: CommitGuard = {}): Promise<void> {
    this.open();
    // every op is checked before the first one is applied: a bad batch changes nothing
    const prepared = prepareOps(ops);
    const { writer, lease } = checkGuard(guard);
    if (lease) this.fence(lease);
    if (writer) {
      if ((this.writers.get(writer.id) ?? -1) >= writer.seq) return;
      this.writers.set(writer.id, writer.seq);
    }
    for (const op of prepared) this.apply(op);
  }

  async getAttendant(id: string): Promise<AttendantRecord | null> {
    this.open();
    const a = this.attendants.get(checkId('attendant', id));
    return a ? structuredClone(a) : null;
  }

  async listAttendants(): Promise<AttendantRecord[]> {
    this.open();
    return byId(this.attendants.values());
  }

  async idleAttendants(group: string): Promise<string[]> {
    this.open();
    return ordered(this.idle.get(checkId('group', group)));
  }

  async getGroup(id: string): Promise<GroupRecord | null> {
    this.open();
    const g = this.groups.get(checkId('group', id));
    return g ? structuredClone(g) : null;
  }

  async listGroups(): Promise<GroupRecord[]> {
    this.open();
    return byId(this.groups.values());
  }

  async getCall(id: string): Promise<CallRecord | null> {
    this.open();
    const c = this.calls.get(checkId('call', id));
    return c ? loadCall(structuredClone(c)) : null;
  }

  async listCalls(): Promise<CallRecord[]> {
    this.open();
    return byId(this.calls.values()).map(loadCall);
  }

  async queue(group: string): Promise<string[]> {
    this.open();
    return ordered(this.queues.get(checkId('group', group)));
  }

  async snapshot(): Promise<Snapshot> {
    this.open();
    const queues: Record<string, string[]> = {};
    for (const [group, set] of this.queues) if (set.size > 0) queues[group] = ordered(set);
    return {
      attendants: byId(this.attendants.values()),
      groups: byId(this.groups.values()),
      calls: byId(this.calls.values()).map(loadCall),
      queues,
    };
  }

  async claimCall(callId: string, attendantId: string, ops: StoreOp[] = [], guard: Pick<CommitGuard, 'lease'> = {}): Promise<boolean> {
    this.open();
    checkId('call', callId);
    checkId('attendant', attendantId);
    const prepared = prepareOps(ops);
    const { lease } = checkGuard(guard);
    if (lease) this.fence(lease);
    if (this.claims.has(callId)) return false;
    this.claims.set(callId, attendantId);
    for (const op of prepared) this.apply(op);
    return true;
  }

  async releaseCall(callId: string): Promise<void> {
    this.open();
    this.claims.delete(checkId('call', callId));
  }

  async claimOwner(callId: string): Promise<string | null> {
    this.open();
    return this.claims.get(checkId('call', callId)) ?? null;
  }

  async readQueueLog(from: number, to: number, limit?: number): Promise<string[]> {
    this.open();
    const max = checkQueueLogRange(from, to, limit);
    const out: string[] = [];
    for (const { ms, line } of this.queueLines) {
      if (out.length >= max || ms > to) break;
      if (ms >= from) out.push(line);
    }
    return out;
  }

  async queryLog(q: LogQuery): Promise<LogEntry[]> {
    this.open();
    const { from, to, limit } = checkLogQuery(q);
    const out: LogEntry[] = [];
    // newest first, like XREVRANGE: the limit keeps the most recent matches
    for (let i = this.logEntries.length - 1; i >= 0 && out.length < limit; i--) {
      const { sid, entry } = this.logEntries[i]!;
      if (to !== undefined && sid.ms > to) continue;
      if (from !== undefined && sid.ms < from) break;
      if (q.operator !== undefined && entry.operator !== q.operator) continue;
      if (q.number !== undefined && !entry.numbers.includes(q.number)) continue;
      out.push(structuredClone(entry));
    }
    return out.reverse();
  }

  async stats(scope: string, from: number, to: number): Promise<StatsInterval[]> {
    this.open();
    checkScope(scope);
    checkRange('stats', from, to);
    const intervals = this.counters.get(scope);
    if (!intervals) return [];
    return [...intervals.entries()]
      .filter(([start]) => start >= from && start <= to)
      .sort(([a], [b]) => a - b)
      .map(([intervalStart, counters]) => ({ intervalStart, counters: { ...counters } }));
  }

  async trim(kind: TrimKind, before: number): Promise<number> {
    this.open();
    checkTrim(kind, before);
    if (kind === 'stats') {
      let removed = 0;
      for (const intervals of this.counters.values()) {
        for (const start of intervals.keys()) if (start < before) { intervals.delete(start); removed++; }
      }
      return removed;
    }
    // both streams are kept in time order: what goes is a head
    if (kind === 'log') return this.logEntries.splice(0, headBefore(this.logEntries, (e) => e.sid.ms, before)).length;
    return this.queueLines.splice(0, headBefore(this.queueLines, (l) => l.ms, before)).length;
  }

  async getDoc(kind: string, id: string): Promise<Record<string, unknown> | null> {
    this.open();
    const text = this.docs.get(checkId('document kind', kind))?.get(checkId('document', id));
    return text === undefined ? null : decodeDoc(`${kind}/${id}`, text);
  }

  async listDocs(kind: string): Promise<Array<{ id: string; doc: Record<string, unknown> }>> {
    this.open();
    const docs = this.docs.get(checkId('document kind', kind));
    if (!docs) return [];
    return [...docs.entries()]
      .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map(([id, text]) => ({ id, doc: decodeDoc(`${kind}/${id}`, text) }));
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    this.open();
    checkId('lease', name);
    checkId('lease holder', holder);
    checkLeaseTtl(ttlMs);
    const current = this.liveLease(name);
    if (current && current.holder !== holder) return false;
    this.leases.set(name, { holder, expiresAt: this.clock.now() + ttlMs });
    return true;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    this.open();
    checkId('lease', name);
    if (this.liveLease(name)?.holder === holder) this.leases.delete(name);
  }

  async leaseHolder(name: string): Promise<string | null> {
    this.open();
    return this.liveLease(checkId('lease', name))?.holder ?? null;
  }

  /** RateLimiterMemory: counted in this process (its windows run on real time, like Redis TTLs) */
  attemptCounter(name: string, opts: AttemptCounterOptions): AttemptCounter {
    checkId('attempt counter', name);
    let counter = this.attemptCounters.get(name);
    if (!counter) this.attemptCounters.set(name, (counter = memoryAttemptCounter(`attempts:${name}`, opts)));
    return counter;
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** memory has no commands or round trips; here so a benchmark can ask either store */
  commandStats(): { commands: number; roundTrips: number } {
    return { commands: 0, roundTrips: 0 };
  }

  private open(): void {
    if (this.closed) throw new StoreUnavailableError('memory store is closed');
  }

  private fence(lease: { name: string; holder: string }): void {
    const current = this.liveLease(lease.name);
    if (current && current.holder !== lease.holder) throw new StoreFencedError(lease.name, current.holder);
  }

  private liveLease(name: string): { holder: string; expiresAt: number } | undefined {
    const lease = this.leases.get(name);
    if (lease && lease.expiresAt <= this.clock.now()) {
      this.leases.delete(name);
      return undefined;
    }
    return lease;
  }

  private sortedSet(sets: Map<string, Map<string, number>>, key: string): Map<string, number> {
    let set = sets.get(key);
    if (!set) sets.set(key, (set = new Map()));
    return set;
  }

  /** the next stream id, as Redis XADD `<time>-*` would give it, falling back to `*` for a time before the last entry */
  private nextLogId(time: number): StreamId {
    const last = this.lastLogId;
    let ms = time;
    if (ms < last.ms) ms = Math.max(this.clock.now(), last.ms);
    const id = ms === last.ms ? { ms, seq: last.seq + 1 } : { ms, seq: 0 };
    this.lastLogId = id;
    return id;
  }

  private apply(op: PreparedOp): void {
    switch (op.op) {
      case 'putAttendant': {
        const a = op.attendant;
        const before = this.attendants.get(a.id);
        for (const g of before?.groups ?? []) this.idle.get(g)?.delete(a.id);
        if (a.state === 'idle') for (const g of a.groups) this.sortedSet(this.idle, g).set(a.id, a.idleSince);
        this.attendants.set(a.id, a);
        break;
      }
      case 'putGroup':
        this.groups.set(op.group.id, op.group);
        break;
      case 'putCall':
        this.calls.set(op.call.id, op.call);
        break;
      case 'deleteCall':
        this.calls.delete(op.callId);
        this.claims.delete(op.callId);
        break;
      case 'enqueue':
        this.sortedSet(this.queues, op.group).set(op.callId, op.score);
        break;
      case 'dequeue':
        this.queues.get(op.group)?.delete(op.callId);
        break;
      case 'queueLog': {
        const last = this.queueLines.at(-1);
        // like the Redis stream: an entry never goes before the last one
        this.queueLines.push({ ms: last && op.time < last.ms ? Math.max(this.clock.now(), last.ms) : op.time, line: op.line });
        break;
      }
      case 'log': {
        const sid = this.nextLogId(op.entry.time);
        this.logEntries.push({ sid, entry: { id: `${sid.ms}-${sid.seq}`, ...op.entry } });
        break;
      }
      case 'stats': {
        let scope = this.counters.get(op.scope);
        if (!scope) this.counters.set(op.scope, (scope = new Map()));
        let counters = scope.get(op.intervalStart);
        if (!counters) scope.set(op.intervalStart, (counters = {}));
        for (const [counter, value] of op.add) counters[counter] = (counters[counter] ?? 0) + value;
        for (const [counter, value] of op.max) if (counters[counter] === undefined || value > counters[counter]) counters[counter] = value;
        break;
      }
      case 'putDoc': {
        let docs = this.docs.get(op.kind);
        if (!docs) this.docs.set(op.kind, (docs = new Map()));
        docs.set(op.id, op.json);
        break;
      }
      case 'deleteDoc':
        this.docs.get(op.kind)?.delete(op.id);
        break;
    }
  }
}

/** how many entries at the head of a time-ordered list are older than `before` */
function headBefore<T>(list: readonly T[], ms: (x: T) => number, before: number): number {
  let n = 0;
  while (n < list.length && ms(list[n]!) < before) n++;
  return n;
}
