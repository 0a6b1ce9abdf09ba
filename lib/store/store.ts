// The one contract both stores (Redis and memory) fulfil; test/contract runs the same suite on both.
// The controller keeps its working state in memory and writes every change here, batched:
// a batch is applied atomically (Redis MULTI), so no call is ever half-written.
export { queueScore } from '../domain/presentation.ts';
import type { AttendantRecord, CallRecord, GroupRecord, LogEntry, LogEntryInput, LogQuery } from '../domain/model.ts';

export type StoreOp =
  | { op: 'putAttendant'; attendant: AttendantRecord }
  | { op: 'putGroup'; group: GroupRecord }
  | { op: 'putCall'; call: CallRecord }
  | { op: 'deleteCall'; callId: string }
  /** score: see queueScore(); lower is served first */
  | { op: 'enqueue'; group: string; callId: string; score: number }
  | { op: 'dequeue'; group: string; callId: string }
  | { op: 'log'; entry: LogEntryInput }
  /** one line of the queue_log export (`time|callid|queue|agent|EVENT|params`), kept in time order */
  | { op: 'queueLog'; time: number; line: string }
  /** add to the counters of one statistics interval (values may be fractional); `max` raises counters to at least a value */
  | { op: 'stats'; scope: string; intervalStart: number; add: Record<string, number>; max?: Record<string, number> }
  /** small documents for later features (wake-up calls, DND, park slots, messages) */
  | { op: 'putDoc'; kind: string; id: string; doc: Record<string, unknown> }
  | { op: 'deleteDoc'; kind: string; id: string };

export interface StatsInterval {
  intervalStart: number;
  counters: Record<string, number>;
}

export interface Snapshot {
  attendants: AttendantRecord[];
  groups: GroupRecord[];
  calls: CallRecord[];
  /** group id -> call ids, served first at index 0 */
  queues: Record<string, string[]>;
}

/** Conditions on a write (the controller's ledger sets both). */
export interface CommitGuard {
  /**
   * Exactly once: the batch is skipped when this writer already committed `seq` or a later one, so a batch
   * retried after its reply was lost (applied or not: unknown) is never applied twice.
   */
  writer?: { id: string; seq: number };
  /** Fencing: refused with StoreFencedError while another holder has this lease (a lapsed lease refuses nothing). */
  lease?: { name: string; holder: string };
}

/** One attempt counted (AttemptCounter.take), or the count read (peek). */
export interface AttemptCount {
  /** attempts counted in the key's open window, this one included; 0 when no window is open */
  count: number;
  /** count <= the counter's limit */
  allowed: boolean;
  /** ms until the window closes and the key starts from zero again (0 when none is open) */
  resetMs: number;
}

/**
 * Attempts per key in fixed windows (the login limits), counted atomically and shared by every
 * controller on the same store: a slot is taken before the work it guards, so parallel attempts
 * cannot all pass, and a standby that takes over counts on from where the active one was.
 */
export interface AttemptCounter {
  /** Count one attempt. A key with no open window opens one of `windowMs` (this call's, else the counter's); whole seconds. */
  take(key: string, windowMs?: number): Promise<AttemptCount>;
  /** Give one attempt back (one that should not count after all: a success, a refusal before the work). */
  giveBack(key: string): Promise<void>;
  /** The count without taking a slot. */
  peek(key: string): Promise<AttemptCount>;
}

export interface AttemptCounterOptions {
  /** attempts allowed in a window */
  limit: number;
  /** window length in ms, whole seconds (1 s to 24 days) */
  windowMs: number;
}

/** what retention trims (Store.trim) */
export const TRIM_KINDS = ['log', 'queueLog', 'stats'] as const;
export type TrimKind = (typeof TRIM_KINDS)[number];

export interface Store {
  /** Apply every op or none (with a guard: only when it allows, see CommitGuard). */
  commit(ops: StoreOp[], guard?: CommitGuard): Promise<void>;

  getAttendant(id: string): Promise<AttendantRecord | null>;
  listAttendants(): Promise<AttendantRecord[]>;
  /** attendants idle in a group, longest idle first */
  idleAttendants(group: string): Promise<string[]>;
  getGroup(id: string): Promise<GroupRecord | null>;
  listGroups(): Promise<GroupRecord[]>;
  getCall(id: string): Promise<CallRecord | null>;
  listCalls(): Promise<CallRecord[]>;
  /** call ids in serving order */
  queue(group: string): Promise<string[]>;
  /** everything a restarted controller needs to resume */
  snapshot(): Promise<Snapshot>;

  /**
   * The hand-over: atomically give a call to one attendant. True for exactly one caller
   * until releaseCall; the ops are applied in the same atomic step only when the claim wins.
   */
  claimCall(callId: string, attendantId: string, ops?: StoreOp[], guard?: Pick<CommitGuard, 'lease'>): Promise<boolean>;
  releaseCall(callId: string): Promise<void>;
  claimOwner(callId: string): Promise<string | null>;

  queryLog(q: LogQuery): Promise<LogEntry[]>;
  /** queue_log lines stored from `from` to `to` (inclusive ms epochs), oldest first, at most `limit` (the oldest) */
  readQueueLog(from: number, to: number, limit?: number): Promise<string[]>;
  stats(scope: string, from: number, to: number): Promise<StatsInterval[]>;
  /**
   * Retention: remove what is older than `before` (ms epoch): action-log or queue_log entries with a
   * time before it, or statistics intervals (of every scope) that start before it. How many went.
   */
  trim(kind: TrimKind, before: number): Promise<number>;

  getDoc(kind: string, id: string): Promise<Record<string, unknown> | null>;
  listDocs(kind: string): Promise<Array<{ id: string; doc: Record<string, unknown> }>>;

  /** Hold or renew a lease (the active controller); false when another holder has it. */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  leaseHolder(name: string): Promise<string | null>;

  /**
   * The attempt counter `name` (1-64 characters without whitespace or ':'): the same name on the same
   * store (or Redis prefix) is the same counter. Keys are kept as their sha256, never as given.
   */
  attemptCounter(name: string, opts: AttemptCounterOptions): AttemptCounter;

  /** true when the backing service answers */
  ping(): Promise<boolean>;
  /** told when the connection to the backing service comes back (true) or drops (false); memory never does */
  onConnection?(listener: (up: boolean) => void): void;
  close(): Promise<void>;
}


