// The store's key schema and the stored form of every value, shared by the Redis and the memory store:
// both check a batch here before applying anything, so they accept and refuse exactly the same ops.
import { z } from 'zod';
import { MODES } from '../config.ts';
import { ATTENDANT_STATES, CALL_STATES, GROUP_STATES } from '../domain/model.ts';
import type { AttendantRecord, CallRecord, CallRecordBag, GroupRecord, LogEntry, LogEntryInput } from '../domain/model.ts';
import { TRIM_KINDS, type CommitGuard, type StoreOp } from './store.ts';
import { normalizeCall } from '../domain/call.ts';

// ---------------------------------------------------------------------------------------------
// Errors: one class per case, each with a stable code the API maps to a status.

export type StoreErrorCode = 'store_invalid_id' | 'store_invalid_op' | 'store_corrupt' | 'store_unavailable' | 'store_command_failed' | 'store_fenced';

export abstract class StoreError extends Error {
  override readonly name: string = 'StoreError';
  abstract readonly code: StoreErrorCode;
}

/** An id that could address another key space (empty, whitespace, ':' or control characters, too long). */
export class InvalidStoreIdError extends StoreError {
  readonly code = 'store_invalid_id';
  constructor(readonly what: string, readonly id: string) {
    super(`invalid ${what} id ${JSON.stringify(id)}: must be 1-200 characters without whitespace, ':' or control characters`);
  }
}

/** An op (or query) the store refuses; a batch containing one applies nothing. */
export class InvalidStoreOpError extends StoreError {
  readonly code = 'store_invalid_op';
  constructor(message: string) {
    super(message);
  }
}

/** What the backing service holds cannot be read back as the record type. */
export class CorruptRecordError extends StoreError {
  readonly code = 'store_corrupt';
  constructor(readonly key: string, detail: string) {
    super(`${key}: stored value is not a valid record (${detail})`);
  }
}

/** The backing service is unreachable, reconnecting or too slow: fail fast, let the caller decide. */
export class StoreUnavailableError extends StoreError {
  readonly code = 'store_unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The backing service refused a command (a bug or a foreign value under our prefix). */
export class StoreCommandError extends StoreError {
  readonly code = 'store_command_failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A guarded write refused because another controller holds the lease: this one must stop writing. */
export class StoreFencedError extends StoreError {
  readonly code = 'store_fenced';
  constructor(readonly lease: string, readonly holder: string) {
    super(`lease "${lease}" is held by "${holder}": write refused`);
  }
}

// ---------------------------------------------------------------------------------------------
// Keys

// ':' separates key segments, so an id with ':' could reach another record (group "g:idle" would be g's idle set).
const SAFE_ID = /^[^\s:\p{Cc}]{1,200}$/u;

export function checkId(what: string, id: string): string {
  if (typeof id !== 'string' || !SAFE_ID.test(id)) throw new InvalidStoreIdError(what, String(id));
  return id;
}

// A statistics scope names what is counted: `group:<id>`, `class:<id>`, `attendant:<id>` or a bare id.
// At most one ':' and neither part may hold another, so `stats:<kind>:<id>:<interval>` stays unambiguous.
const SAFE_SCOPE = /^(?:[a-z]{1,32}:)?[^\s:\p{Cc}]{1,200}$/u;

export function checkScope(scope: string): string {
  if (typeof scope !== 'string' || !SAFE_SCOPE.test(scope)) throw new InvalidStoreIdError('stats scope', String(scope));
  return scope;
}

export const DEFAULT_PREFIX = 'att:';

export interface StoreKeys {
  readonly prefix: string;
  attendant(id: string): string;
  /** set of attendant ids */
  readonly attendants: string;
  /** every attendant hash key is attendantPrefix + id (scripts derive keys from the id sets) */
  readonly attendantPrefix: string;
  group(id: string): string;
  readonly groups: string;
  readonly groupPrefix: string;
  /** sorted set of idle attendants, score idleSince: longest idle first */
  idle(group: string): string;
  /** idle(group) === idlePrefix + group + idleSuffix */
  readonly idlePrefix: string;
  readonly idleSuffix: string;
  call(id: string): string;
  readonly calls: string;
  readonly callPrefix: string;
  /** sorted set of waiting call ids, score queueScore(): lower served first */
  queue(group: string): string;
  /** set of groups that have had a queue (snapshot finds the queues through it) */
  readonly queues: string;
  readonly queuePrefix: string;
  /** string: the attendant holding the call (the hand-over) */
  claim(callId: string): string;
  /** stream of operator actions */
  readonly log: string;
  /** stream of queue_log lines (field `l`) */
  readonly queueLog: string;
  /** hash of counters for one interval */
  stats(scope: string, intervalStart: number): string;
  /** sorted set of interval starts of a scope */
  statsIndex(scope: string): string;
  /** stats(scope, n) === statsPrefix(scope) + n */
  statsPrefix(scope: string): string;
  /** what every statistics key starts with (retention finds the scopes' indexes under it) */
  readonly statsRoot: string;
  doc(kind: string, id: string): string;
  docs(kind: string): string;
  docPrefix(kind: string): string;
  /** string with a TTL: the holder */
  lease(name: string): string;
  /** string with a TTL: the last batch sequence a writer committed (exactly-once retries) */
  writer(id: string): string;
  /** what the keys of one attempt counter start with: `<prefix>attempts:<name>`, then `:<sha256 of the key>` (strings with a TTL) */
  attempts(name: string): string;
}

export function storeKeys(prefix: string = DEFAULT_PREFIX): StoreKeys {
  if (typeof prefix !== 'string' || !/^[^\s\p{Cc}*?[\]\\]{1,64}$/u.test(prefix)) {
    throw new InvalidStoreIdError('key prefix', String(prefix));
  }
  const p = prefix;
  const statsRoot = `${p}stats:`;
  return {
    prefix: p,
    attendant: (id) => `${p}attendant:${checkId('attendant', id)}`,
    attendants: `${p}attendants`,
    attendantPrefix: `${p}attendant:`,
    group: (id) => `${p}group:${checkId('group', id)}`,
    groups: `${p}groups`,
    groupPrefix: `${p}group:`,
    idle: (group) => `${p}group:${checkId('group', group)}:idle`,
    idlePrefix: `${p}group:`,
    idleSuffix: ':idle',
    call: (id) => `${p}call:${checkId('call', id)}`,
    calls: `${p}calls`,
    callPrefix: `${p}call:`,
    queue: (group) => `${p}queue:${checkId('group', group)}`,
    queues: `${p}queues`,
    queuePrefix: `${p}queue:`,
    claim: (callId) => `${p}claim:${checkId('call', callId)}`,
    log: `${p}log`,
    queueLog: `${p}queuelog`,
    stats: (scope, intervalStart) => `${statsRoot}${checkScope(scope)}:${checkInterval(intervalStart)}`,
    statsIndex: (scope) => `${statsRoot}${checkScope(scope)}:index`,
    statsPrefix: (scope) => `${statsRoot}${checkScope(scope)}:`,
    statsRoot,
    doc: (kind, id) => `${p}doc:${checkId('document kind', kind)}:${checkId('document', id)}`,
    docs: (kind) => `${p}docs:${checkId('document kind', kind)}`,
    docPrefix: (kind) => `${p}doc:${checkId('document kind', kind)}:`,
    lease: (name) => `${p}lease:${checkId('lease', name)}`,
    writer: (id) => `${p}writer:${checkId('writer', id)}`,
    attempts: (name) => `${p}attempts:${checkId('attempt counter', name)}`,
  };
}

function checkInterval(intervalStart: number): number {
  if (!Number.isSafeInteger(intervalStart)) throw new InvalidStoreOpError(`stats interval start must be an integer ms epoch, got ${intervalStart}`);
  return intervalStart;
}

// ---------------------------------------------------------------------------------------------
// Stored form of records: a hash of strings, field by field; numbers as decimal strings,
// booleans as true/false, string lists as JSON, optional fields absent when undefined.

type HashIn = Record<string, string>;

const text = z.string();
const num = z.string().transform((s, ctx) => {
  const n = s.trim() === '' ? Number.NaN : Number(s);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `not a finite number: ${JSON.stringify(s)}` });
    return z.NEVER;
  }
  return n;
});
const json = z.string().transform((s, ctx): unknown => {
  try {
    return JSON.parse(s);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
});
const flag = z.enum(['true', 'false']).transform((s) => s === 'true');
const list = json.pipe(z.array(z.string()));
const stringMap = json.pipe(z.record(z.string(), z.string()));

type Shape<T> = { [K in keyof T]-?: z.ZodType };

const attendantShape = {
  id: text,
  state: z.enum(ATTENDANT_STATES),
  since: num,
  reason: text,
  groups: list,
  device: text,
  idleSince: num,
  currentCall: text.optional(),
  currentLeg: text.optional(),
  loginUser: text.optional(),
  loggedInAt: num.optional(),
  offline: flag.optional(),
  callsTaken: num,
  unansweredMs: num.optional(),
} satisfies Shape<AttendantRecord>;

const groupShape = {
  id: text,
  mode: z.enum(MODES),
  override: z.enum(MODES).optional(),
  state: z.enum(GROUP_STATES),
  rrCursor: num,
} satisfies Shape<GroupRecord>;

/** every field any state may have (and the previous version's bag had): a stored hash reads through it, then loadCall makes it its state's variant */
const callShape = {
  id: text,
  callClass: text,
  priority: num,
  group: text,
  alsoGroups: list,
  state: z.enum(CALL_STATES),
  callerNumber: text,
  callerName: text,
  target: text,
  arrivedAt: num,
  presentedAt: num.optional(),
  answeredAt: num.optional(),
  firstAnsweredAt: num.optional(),
  endedAt: num.optional(),
  attendant: text.optional(),
  ringingLegs: list,
  leg: text.optional(),
  waitBridge: text.optional(),
  talkBridge: text.optional(),
  refusedBy: list,
  overflowedFrom: text.optional(),
  endReason: text.optional(),
  slot: num.optional(),
  heldAt: num.optional(),
  parkSlot: num.optional(),
  holdBridge: text.optional(),
  transferTarget: text.optional(),
  transferLeg: text.optional(),
  consultTarget: text.optional(),
  consultLeg: text.optional(),
  consultAnswered: flag.optional(),
  talkingTo: z.enum(['caller', 'target']).optional(),
  joinOnAnswer: flag.optional(),
  callerGone: flag.optional(),
  dndExtension: text.optional(),
  dndBy: text.optional(),
  dndUntil: num.optional(),
  stays: json.pipe(z.array(z.object({
    kind: z.enum(['talk', 'held']), bridge: z.string(), start: z.number(), end: z.number().optional(), attendant: z.string().optional(),
  }).strict())).optional(),
  attention: text.optional(),
} satisfies Shape<CallRecordBag>;

const logShape = {
  time: num,
  operator: text,
  action: text,
  callId: text.optional(),
  numbers: list,
  result: text,
  detail: stringMap.optional(),
} satisfies Shape<LogEntryInput>;

const attendantHash = z.object(attendantShape);
const groupHash = z.object(groupShape);
const callHash = z.object(callShape);
const logHash = z.object(logShape);

/** A record as hash fields: `set` is a flat [field, value, ...] list, `clear` the optional fields to delete. */
export interface EncodedHash {
  set: string[];
  clear: string[];
}

function encodeValue(what: string, field: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InvalidStoreOpError(`${what}.${field} must be a finite number, got ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) return JSON.stringify(value);
  throw new InvalidStoreOpError(`${what}.${field}: cannot store a ${typeof value}`);
}

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(record)'}: ${i.message}`).join('; ');
}

/** how a field of a shape is checked on the fast path: its kind, and whether it may be left out */
interface FastField {
  field: string;
  optional: boolean;
  kind: 'text' | 'num' | 'flag' | 'list' | 'map' | 'enum' | 'zod';
  values?: ReadonlySet<string>;
  /** 'zod': the field's own schema, run on its encoded value (structured JSON fields) */
  schema: z.ZodType;
}

const fastFieldsOf = new WeakMap<object, FastField[]>();

function fastFields(shape: Record<string, z.ZodType>): FastField[] {
  let out = fastFieldsOf.get(shape);
  if (out) return out;
  out = Object.entries(shape).map(([field, declared]) => {
    const optional = declared instanceof z.ZodOptional;
    const s = (optional ? (declared as z.ZodOptional<z.ZodType>).unwrap() : declared) as z.ZodType;
    if (s instanceof z.ZodEnum) return { field, optional, kind: 'enum', values: new Set((s as z.ZodEnum).options as string[]), schema: s };
    const kind = s === text ? 'text' : s === num ? 'num' : s === flag ? 'flag' : s === list ? 'list' : s === stringMap ? 'map' : 'zod';
    return { field, optional, kind, schema: s };
  });
  fastFieldsOf.set(shape, out);
  return out;
}

/**
 * The same encoding, checked on the typed record instead of decoding every field back through zod (a
 * string stays a string, a finite number reads back as itself, ...): structured fields alone go through
 * their schema. Undefined when anything is not what the type says: the full check then says what.
 */
function encodeFast<T>(what: string, fields: readonly FastField[], source: Record<string, unknown>): { hash: EncodedHash; stored: T } | undefined {
  const set: string[] = [];
  const clear: string[] = [];
  const stored: Record<string, unknown> = {};
  for (const f of fields) {
    const v = source[f.field];
    if (v === undefined) {
      if (!f.optional) return undefined;
      clear.push(f.field);
      continue;
    }
    switch (f.kind) {
      case 'text':
        if (typeof v !== 'string') return undefined;
        set.push(f.field, v);
        stored[f.field] = v;
        break;
      case 'num':
        if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
        set.push(f.field, String(v));
        stored[f.field] = v === 0 ? 0 : v;
        break;
      case 'flag':
        if (typeof v !== 'boolean') return undefined;
        set.push(f.field, v ? 'true' : 'false');
        stored[f.field] = v;
        break;
      case 'enum':
        if (typeof v !== 'string' || !f.values!.has(v)) return undefined;
        set.push(f.field, v);
        stored[f.field] = v;
        break;
      case 'list':
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return undefined;
        set.push(f.field, JSON.stringify(v));
        stored[f.field] = v.slice();
        break;
      case 'map': {
        // a log entry's detail, on every write: checked here rather than through its schema
        if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) return undefined;
        const copy: Record<string, string> = {};
        for (const [k, x] of Object.entries(v)) {
          if (typeof x !== 'string' || k === '__proto__') return undefined;
          copy[k] = x;
        }
        set.push(f.field, JSON.stringify(copy));
        stored[f.field] = copy;
        break;
      }
      case 'zod': {
        const encoded = encodeValue(what, f.field, v);
        const parsed = f.schema.safeParse(encoded);
        if (!parsed.success) return undefined;
        set.push(f.field, encoded);
        stored[f.field] = parsed.data;
        break;
      }
    }
  }
  return { hash: { set, clear }, stored: stored as T };
}

/** Encode field by field, then decode: a record is accepted only if it reads back as its type. */
function encodeRecord<T extends object>(what: string, shape: Shape<T>, schema: z.ZodType<T>, record: T): { hash: EncodedHash; stored: T } {
  if (typeof record !== 'object' || record === null) throw new InvalidStoreOpError(`${what} must be an object`);
  const fast = encodeFast<T>(what, fastFields(shape as Record<string, z.ZodType>), record as Record<string, unknown>);
  if (fast) return fast;
  const source = record as Record<string, unknown>;
  const set: string[] = [];
  const clear: string[] = [];
  const fields: HashIn = {};
  for (const field of Object.keys(shape)) {
    const value = source[field];
    if (value === undefined) {
      clear.push(field);
      continue;
    }
    const encoded = encodeValue(what, field, value);
    set.push(field, encoded);
    fields[field] = encoded;
  }
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw new InvalidStoreOpError(`${what} ${JSON.stringify(source.id ?? '')} is not storable: ${issuesText(parsed.error)}`);
  return { hash: { set, clear }, stored: parsed.data };
}

function decodeRecord<T>(key: string, schema: z.ZodType<T>, stored: HashIn | string): T {
  const parsed = schema.safeParse(stored);
  if (!parsed.success) throw new CorruptRecordError(key, issuesText(parsed.error));
  return parsed.data;
}

export function encodeAttendant(a: AttendantRecord): { hash: EncodedHash; stored: AttendantRecord } {
  checkId('attendant', a?.id);
  const out = encodeRecord('attendant', attendantShape, attendantHash, a);
  for (const g of out.stored.groups) checkId('group', g);
  return out;
}
export function encodeGroup(g: GroupRecord): { hash: EncodedHash; stored: GroupRecord } {
  checkId('group', g?.id);
  return encodeRecord('group', groupShape, groupHash, g);
}
export function encodeCall(c: CallRecord): { hash: EncodedHash; stored: CallRecord } {
  checkId('call', c?.id);
  const out = encodeRecord<CallRecordBag>('call', callShape, callHash, c);
  // what goes in is a call of its state (the type says so): it reads back as that
  return { hash: out.hash, stored: out.stored as CallRecord };
}
export function encodeLogEntry(e: LogEntryInput): { hash: EncodedHash; stored: LogEntryInput } {
  const out = encodeRecord('log entry', logShape, logHash, e);
  if (!Number.isSafeInteger(out.stored.time) || out.stored.time < 0) {
    throw new InvalidStoreOpError(`log entry time must be a non-negative integer ms epoch, got ${out.stored.time}`);
  }
  return out;
}

export const decodeAttendant = (key: string, h: HashIn): AttendantRecord => decodeRecord(key, attendantHash, h);
export const decodeGroup = (key: string, h: HashIn): GroupRecord => decodeRecord(key, groupHash, h);
/**
 * A call as read back: a record of the previous version (every field of every state, some left behind
 * by a state the call had left, fields this version no longer knows) is made into its state's variant;
 * one that cannot be is kept as a waiting call needing attention (lib/domain/call.ts normalizeCall).
 */
export function loadCall(stored: object): CallRecord {
  return normalizeCall(stored).call;
}
export const decodeCall = (key: string, h: HashIn): CallRecord => loadCall(decodeRecord(key, callHash, h));
export function decodeLogEntry(key: string, id: string, h: HashIn): LogEntry {
  return { id, ...decodeRecord(key, logHash, h) };
}

/** Documents are stored as JSON: what goes in is what JSON can carry, and it must be an object. */
export function encodeDoc(kind: string, id: string, doc: Record<string, unknown>): string {
  let encoded: string | undefined;
  try {
    encoded = JSON.stringify(doc);
  } catch (err) {
    throw new InvalidStoreOpError(`document ${kind}/${id} is not JSON-serialisable: ${(err as Error).message}`);
  }
  if (encoded === undefined || !encoded.startsWith('{')) throw new InvalidStoreOpError(`document ${kind}/${id} must be a JSON object`);
  return encoded;
}

const docSchema = json.pipe(z.record(z.string(), z.unknown()));
export function decodeDoc(key: string, stored: string): Record<string, unknown> {
  return decodeRecord(key, docSchema, stored);
}

export function decodeCounters(key: string, h: HashIn): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [field, value] of Object.entries(h)) {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) throw new CorruptRecordError(key, `counter ${field} is ${JSON.stringify(value)}`);
    out[field] = n;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ops, checked as a whole batch before either store applies any of them.

export type PreparedOp =
  | { op: 'putAttendant'; attendant: AttendantRecord; hash: EncodedHash }
  | { op: 'putGroup'; group: GroupRecord; hash: EncodedHash }
  | { op: 'putCall'; call: CallRecord; hash: EncodedHash }
  | { op: 'deleteCall'; callId: string }
  | { op: 'enqueue'; group: string; callId: string; score: number }
  | { op: 'dequeue'; group: string; callId: string }
  | { op: 'log'; entry: LogEntryInput; hash: EncodedHash }
  | { op: 'queueLog'; time: number; line: string }
  | { op: 'stats'; scope: string; intervalStart: number; add: Array<[counter: string, value: number]>; max: Array<[counter: string, value: number]> }
  | { op: 'putDoc'; kind: string; id: string; json: string }
  | { op: 'deleteDoc'; kind: string; id: string };

function counterList(counters: Record<string, number>): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const [counter, value] of Object.entries(counters)) {
    if (counter === '') throw new InvalidStoreOpError('stats counter name must not be empty');
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidStoreOpError(`stats counter ${counter} must be a finite number, got ${value}`);
    out.push([counter, value]);
  }
  return out;
}

export function prepareOp(op: StoreOp): PreparedOp {
  switch (op?.op) {
    case 'putAttendant': {
      const { hash, stored } = encodeAttendant(op.attendant);
      return { op: 'putAttendant', attendant: stored, hash };
    }
    case 'putGroup': {
      const { hash, stored } = encodeGroup(op.group);
      return { op: 'putGroup', group: stored, hash };
    }
    case 'putCall': {
      const { hash, stored } = encodeCall(op.call);
      return { op: 'putCall', call: stored, hash };
    }
    case 'deleteCall':
      return { op: 'deleteCall', callId: checkId('call', op.callId) };
    case 'enqueue':
      if (typeof op.score !== 'number' || !Number.isFinite(op.score)) throw new InvalidStoreOpError(`enqueue ${op.callId}: score must be a finite number, got ${op.score}`);
      return { op: 'enqueue', group: checkId('group', op.group), callId: checkId('call', op.callId), score: op.score };
    case 'dequeue':
      return { op: 'dequeue', group: checkId('group', op.group), callId: checkId('call', op.callId) };
    case 'log': {
      const { hash, stored } = encodeLogEntry(op.entry);
      return { op: 'log', entry: stored, hash };
    }
    case 'queueLog':
      if (!Number.isSafeInteger(op.time) || op.time < 0) throw new InvalidStoreOpError(`queue_log time must be a non-negative integer ms epoch, got ${op.time}`);
      if (typeof op.line !== 'string' || op.line === '' || /[\r\n]/.test(op.line)) throw new InvalidStoreOpError('queue_log line must be one non-empty line');
      return { op: 'queueLog', time: op.time, line: op.line };
    case 'stats': {
      checkScope(op.scope);
      checkInterval(op.intervalStart);
      if (typeof op.add !== 'object' || op.add === null) throw new InvalidStoreOpError('stats.add must be an object of counters');
      if (op.max !== undefined && (typeof op.max !== 'object' || op.max === null)) throw new InvalidStoreOpError('stats.max must be an object of counters');
      return { op: 'stats', scope: op.scope, intervalStart: op.intervalStart, add: counterList(op.add), max: counterList(op.max ?? {}) };
    }
    case 'putDoc':
      checkId('document kind', op.kind);
      checkId('document', op.id);
      return { op: 'putDoc', kind: op.kind, id: op.id, json: encodeDoc(op.kind, op.id, op.doc) };
    case 'deleteDoc':
      return { op: 'deleteDoc', kind: checkId('document kind', op.kind), id: checkId('document', op.id) };
    default:
      throw new InvalidStoreOpError(`unknown store op ${JSON.stringify((op as { op?: unknown } | null)?.op)}`);
  }
}

export function prepareOps(ops: readonly StoreOp[]): PreparedOp[] {
  if (!Array.isArray(ops)) throw new InvalidStoreOpError('ops must be an array');
  return ops.map(prepareOp);
}

// ---------------------------------------------------------------------------------------------
// Queries

export const DEFAULT_LOG_LIMIT = 100;
/** most queue_log lines one read returns unless asked for fewer */
export const MAX_QUEUE_LOG_LINES = 100_000;

export function checkQueueLogRange(from: number, to: number, limit: number = MAX_QUEUE_LOG_LINES): number {
  for (const [name, v] of [['from', from], ['to', to]] as const) {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new InvalidStoreOpError(`queue_log ${name} must be a number`);
  }
  if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidStoreOpError(`queue_log limit must be a non-negative integer, got ${limit}`);
  return Math.min(limit, MAX_QUEUE_LOG_LINES);
}

/** from/to are inclusive ms epochs; limit keeps the newest matches (returned oldest first); `to` below 0 matches nothing. */
export function checkLogQuery(q: { from?: number; to?: number; limit?: number }): { from?: number; to?: number; limit: number } {
  for (const [name, v] of [['from', q.from], ['to', q.to]] as const) {
    if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) throw new InvalidStoreOpError(`log query ${name} must be a number`);
  }
  const limit = q.limit ?? DEFAULT_LOG_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidStoreOpError(`log query limit must be a non-negative integer, got ${limit}`);
  const out: { from?: number; to?: number; limit: number } = { limit };
  // stream ids are non-negative integer ms: bounds are rounded inwards and kept in that range
  if (q.from !== undefined && q.from > 0) out.from = Math.min(Math.ceil(q.from), Number.MAX_SAFE_INTEGER);
  if (q.to !== undefined && q.to < Number.MAX_SAFE_INTEGER) out.to = Math.floor(q.to);
  return out;
}

export function checkRange(what: string, from: number, to: number): void {
  if (typeof from !== 'number' || typeof to !== 'number' || Number.isNaN(from) || Number.isNaN(to)) {
    throw new InvalidStoreOpError(`${what} range must be two numbers`);
  }
}

/** a trim's kind and cut-off: a known kind and a whole, non-negative ms epoch */
export function checkTrim(kind: string, before: number): void {
  if (!(TRIM_KINDS as readonly string[]).includes(kind)) throw new InvalidStoreOpError(`trim kind must be ${TRIM_KINDS.join(', ')}, got ${kind}`);
  if (!Number.isSafeInteger(before) || before < 0) throw new InvalidStoreOpError(`trim cut-off must be a non-negative integer ms epoch, got ${before}`);
}

export function checkLeaseTtl(ttlMs: number): number {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new InvalidStoreOpError(`lease ttl must be a positive integer of ms, got ${ttlMs}`);
  return ttlMs;
}

/** how long a writer's last sequence is remembered: far longer than any retry of its batches */
export const WRITER_TTL_MS = 24 * 3600 * 1000;

export function checkGuard(guard: CommitGuard): CommitGuard {
  if (guard.writer) {
    checkId('writer', guard.writer.id);
    if (!Number.isSafeInteger(guard.writer.seq) || guard.writer.seq < 0) throw new InvalidStoreOpError(`writer seq must be a non-negative integer, got ${guard.writer.seq}`);
  }
  if (guard.lease) {
    checkId('lease', guard.lease.name);
    checkId('lease holder', guard.lease.holder);
  }
  return guard;
}
