// The store in Redis (key schema in keys.ts): a batch is one call of the apply script, the hand-over one
// call of the claim script, both built from the same op -> command translation below.
import { createHash } from 'node:crypto';
import { createClient, ErrorReply } from 'redis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { AttendantRecord, CallRecord, GroupRecord, LogEntry, LogQuery } from '../domain/model.ts';
import type { AttemptCounter, AttemptCounterOptions, CommitGuard, Snapshot, StatsInterval, Store, StoreOp, TrimKind } from './store.ts';
import { checkAttemptOptions, sharedAttemptCounter, windowSeconds } from './attempts.ts';
import {
  checkGuard, checkId, checkLeaseTtl, checkLogQuery, checkQueueLogRange, checkRange, checkTrim, decodeAttendant, decodeCall, decodeCounters, decodeDoc, decodeGroup,
  decodeLogEntry, DEFAULT_PREFIX, prepareOps, StoreCommandError, StoreError, StoreFencedError, storeKeys, StoreUnavailableError,
  WRITER_TTL_MS,
} from './keys.ts';
import type { PreparedOp, StoreKeys } from './keys.ts';

export interface RedisStoreOptions {
  /** a command without an answer after this long fails with store_unavailable; default 5000 */
  commandTimeoutMs?: number;
  /** TCP connect timeout per attempt; default 5000 */
  connectTimeoutMs?: number;
  /** attempts before connect() gives up when Redis is down at start (later drops retry forever); default 3 */
  connectAttempts?: number;
  /** longest pause between reconnect attempts (exponential backoff with jitter up to it); default 2000 */
  maxReconnectDelayMs?: number;
  /** told when the connection comes up (true) and when it drops (false) */
  onConnection?: (up: boolean) => void;
  /** connection errors, for the log; the store itself surfaces them as StoreUnavailableError */
  onError?: (err: Error) => void;
}

/** Commands sent and network round trips made since connect (a batch is one command: a script call). */
export interface CommandStats {
  commands: number;
  roundTrips: number;
}

/** One Redis command as argument strings; `ATT.*` names are ours, run by the Lua helpers below. */
type Command = string[];

// ---------------------------------------------------------------------------------------------
// Lua. Scripts derive keys from ids (the idle sets of an attendant's groups, the records in an id set),
// which needs a standalone Redis; on a cluster, a prefix with a hash tag (`{att}:`) keeps every key in one slot.

/**
 * Shared by the apply script (a whole batch, atomically: one EVALSHA instead of a MULTI of many commands,
 * measured by the benchmark as fewer bytes and less CPU on both sides), the guarded commit script and the
 * claim script: ATT.IDLESYNC keeps the idle sets in step with the attendant hash; ATT.XADD appends to the
 * log; ATT.HMAX raises a hash field to a value (a maximum counter).
 */
const APPLY_LIB = `
local function idle_sync(hkey, kpre, ksuf, id, state, since, groups)
  -- the groups stored in the hash are the idle sets the attendant may be in: leave them all, then join the new ones
  local old = redis.call('HGET', hkey, 'groups')
  if old then
    for _, g in ipairs(cjson.decode(old)) do redis.call('ZREM', kpre .. g .. ksuf, id) end
  end
  if state == 'idle' then
    for _, g in ipairs(cjson.decode(groups)) do redis.call('ZADD', kpre .. g .. ksuf, since, id) end
  end
end

local function log_add(key, time, argv, first, last)
  local fields = {}
  for j = first, last do fields[#fields + 1] = argv[j] end
  -- the entry's own time as stream id; Redis refuses one lower than the last entry's, then it gets the server's
  local r = redis.pcall('XADD', key, time .. '-*', unpack(fields))
  if type(r) == 'table' and r.err then r = redis.call('XADD', key, '*', unpack(fields)) end
  return r
end

-- argv[start..]: count, command, args..., count, command, args...
local function apply(argv, start)
  local i = start
  while i <= #argv do
    local n = tonumber(argv[i])
    local name = argv[i + 1]
    if name == 'ATT.IDLESYNC' then
      idle_sync(argv[i + 2], argv[i + 3], argv[i + 4], argv[i + 5], argv[i + 6], argv[i + 7], argv[i + 8])
    elseif name == 'ATT.HMAX' then
      -- keep the larger of the stored value and this one (longest waits)
      local cur = tonumber(redis.call('HGET', argv[i + 2], argv[i + 3]))
      if not cur or tonumber(argv[i + 4]) > cur then redis.call('HSET', argv[i + 2], argv[i + 3], argv[i + 4]) end
    elseif name == 'ATT.XADD' then
      log_add(argv[i + 2], argv[i + 3], argv, i + 4, i + n)
    else
      local cmd = {}
      for j = 1, n do cmd[j] = argv[i + j] end
      redis.call(unpack(cmd))
    end
    i = i + n + 1
  end
end
`;

const APPLY_SCRIPT = `${APPLY_LIB}
apply(ARGV, 1)
return 1`;

/** Fencing: a guarded write is refused (an error reply naming the holder) while another holder has the lease. */
const FENCE_LIB = `
local function fence(lease, holder)
  if lease == '' then return end
  local current = redis.call('GET', lease)
  if current and current ~= holder then error({ err = 'FENCED ' .. lease .. ' ' .. current }) end
end
`;

/** KEYS[1] claim key, KEYS[2] lease key or ''; ARGV[1] attendant, ARGV[2] lease holder; ARGV[3..] encoded commands, applied only when the claim is won. */
const CLAIM_SCRIPT = `${APPLY_LIB}${FENCE_LIB}
fence(KEYS[2], ARGV[2])
if not redis.call('SET', KEYS[1], ARGV[1], 'NX') then return 0 end
apply(ARGV, 3)
return 1`;

/**
 * A guarded commit, atomic like MULTI. KEYS[1] writer key or '', KEYS[2] lease key or '';
 * ARGV[1] batch seq, ARGV[2] lease holder, ARGV[3] writer ttl ms, ARGV[4..] encoded commands.
 * A seq not above the writer's last one is a retry of a batch already applied: skipped (0).
 */
const COMMIT_SCRIPT = `${APPLY_LIB}${FENCE_LIB}
fence(KEYS[2], ARGV[2])
if KEYS[1] ~= '' then
  local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
  if last >= tonumber(ARGV[1]) then return 0 end
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
end
apply(ARGV, 4)
return 1`;

/** KEYS[1] lease; ARGV holder, ttl ms. The holder renews; anyone takes a free lease. */
const LEASE_ACQUIRE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if current then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;

const LEASE_RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const RECORDS_LIB = `
-- id, value, id, value... for each id of a set whose record exists
local function records(set, prefix, kind)
  local out = {}
  for _, id in ipairs(redis.call('SMEMBERS', set)) do
    local v
    if kind == 'hash' then
      v = redis.call('HGETALL', prefix .. id)
      if #v == 0 then v = false end
    else
      v = redis.call('GET', prefix .. id)
    end
    if v then out[#out + 1] = id; out[#out + 1] = v end
  end
  return out
end
`;

/** KEYS[1] id set; ARGV prefix of the record keys, 'hash' or 'string'. */
const LIST_SCRIPT = `${RECORDS_LIB}
return records(KEYS[1], ARGV[1], ARGV[2])`;

/** KEYS attendants, groups, calls, queues sets; ARGV the matching key prefixes. One consistent view. */
const SNAPSHOT_SCRIPT = `${RECORDS_LIB}
local queues = {}
for _, g in ipairs(redis.call('SMEMBERS', KEYS[4])) do
  local ids = redis.call('ZRANGE', ARGV[4] .. g, 0, -1)
  if #ids > 0 then queues[#queues + 1] = g; queues[#queues + 1] = ids end
end
return { records(KEYS[1], ARGV[1], 'hash'), records(KEYS[2], ARGV[2], 'hash'), records(KEYS[3], ARGV[3], 'hash'), queues }`;

/** KEYS[1] interval index; ARGV interval key prefix, from, to (inclusive). */
const STATS_SCRIPT = `
local out = {}
for _, start in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[2], ARGV[3])) do
  out[#out + 1] = start
  out[#out + 1] = redis.call('HGETALL', ARGV[1] .. start)
end
return out`;

/** KEYS[1] a scope's interval index; ARGV[1] its interval key prefix, ARGV[2] the cut-off: the intervals that start before it go */
const STATS_TRIM_SCRIPT = `
local starts = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2])
for _, start in ipairs(starts) do redis.call('DEL', ARGV[1] .. start) end
if #starts > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[2]) end
return #starts`;

interface Script { source: string; sha: string }
const script = (source: string): Script => ({ source, sha: createHash('sha1').update(source).digest('hex') });
const SCRIPTS = {
  apply: script(APPLY_SCRIPT),
  claim: script(CLAIM_SCRIPT),
  commit: script(COMMIT_SCRIPT),
  leaseAcquire: script(LEASE_ACQUIRE_SCRIPT),
  leaseRelease: script(LEASE_RELEASE_SCRIPT),
  list: script(LIST_SCRIPT),
  snapshot: script(SNAPSHOT_SCRIPT),
  stats: script(STATS_SCRIPT),
  statsTrim: script(STATS_TRIM_SCRIPT),
} as const;

// ---------------------------------------------------------------------------------------------
// The one translation of ops into commands, used by commit (apply script) and claimCall (claim script).

function translate(keys: StoreKeys, op: PreparedOp): Command[] {
  switch (op.op) {
    case 'putAttendant': {
      const a = op.attendant;
      const key = keys.attendant(a.id);
      return [
        // before HSET: it reads the groups the hash still holds
        ['ATT.IDLESYNC', key, keys.idlePrefix, keys.idleSuffix, a.id, a.state, String(a.idleSince), JSON.stringify(a.groups)],
        ...hashWrite(key, op.hash.set, op.hash.clear),
        ['SADD', keys.attendants, a.id],
      ];
    }
    case 'putGroup': {
      const key = keys.group(op.group.id);
      return [...hashWrite(key, op.hash.set, op.hash.clear), ['SADD', keys.groups, op.group.id]];
    }
    case 'putCall': {
      const key = keys.call(op.call.id);
      return [...hashWrite(key, op.hash.set, op.hash.clear), ['SADD', keys.calls, op.call.id]];
    }
    case 'deleteCall':
      return [['DEL', keys.call(op.callId), keys.claim(op.callId)], ['SREM', keys.calls, op.callId]];
    case 'enqueue':
      return [['ZADD', keys.queue(op.group), String(op.score), op.callId], ['SADD', keys.queues, op.group]];
    case 'dequeue':
      return [['ZREM', keys.queue(op.group), op.callId]];
    case 'log':
      return [['ATT.XADD', keys.log, String(op.entry.time), ...op.hash.set]];
    case 'queueLog':
      return [['ATT.XADD', keys.queueLog, String(op.time), 'l', op.line]];
    case 'stats': {
      const key = keys.stats(op.scope, op.intervalStart);
      return [
        ...op.add.map(([counter, value]): Command => ['HINCRBYFLOAT', key, counter, String(value)]),
        ...op.max.map(([counter, value]): Command => ['ATT.HMAX', key, counter, String(value)]),
        ['ZADD', keys.statsIndex(op.scope), String(op.intervalStart), String(op.intervalStart)],
      ];
    }
    case 'putDoc':
      return [['SET', keys.doc(op.kind, op.id), op.json], ['SADD', keys.docs(op.kind), op.id]];
    case 'deleteDoc':
      return [['DEL', keys.doc(op.kind, op.id)], ['SREM', keys.docs(op.kind), op.id]];
  }
}

/** fields set, and the optional fields that became undefined deleted, in the same transaction */
function hashWrite(key: string, set: string[], clear: string[]): Command[] {
  const out: Command[] = [['HSET', key, ...set]];
  if (clear.length > 0) out.push(['HDEL', key, ...clear]);
  return out;
}

/** count-prefixed commands, the argument form the Lua apply() reads */
function encodeCommands(commands: Command[]): string[] {
  return commands.flatMap((c) => [String(c.length), ...c]);
}

// ---------------------------------------------------------------------------------------------
// Replies (RESP2 through sendCommand: strings, numbers, arrays, null)

function isArray(reply: unknown): reply is unknown[] {
  return Array.isArray(reply);
}

function asStrings(reply: unknown, what: string): string[] {
  if (!isArray(reply) || !reply.every((x): x is string => typeof x === 'string')) {
    throw new StoreCommandError(`${what}: unexpected reply from redis`);
  }
  return reply;
}

function asHash(reply: unknown, what: string): Record<string, string> {
  const flat = asStrings(reply, what);
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}

/** [id, value, id, value, ...] as pairs */
function asPairs(reply: unknown, what: string): Array<[string, unknown]> {
  if (!isArray(reply) || reply.length % 2 !== 0) throw new StoreCommandError(`${what}: unexpected reply from redis`);
  const out: Array<[string, unknown]> = [];
  for (let i = 0; i < reply.length; i += 2) {
    const id = reply[i];
    if (typeof id !== 'string') throw new StoreCommandError(`${what}: unexpected reply from redis`);
    out.push([id, reply[i + 1]]);
  }
  return out;
}

function byId<T extends { id: string }>(records: T[]): T[] {
  return records.sort((a, b) => Buffer.compare(Buffer.from(a.id), Buffer.from(b.id)));
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable url)';
  }
}

/** A reply error is Redis refusing a command; anything else the client raises is the connection failing
 * (offline, closed, socket reset or timeout: node-redis rejects pending commands with the socket's own error). */
function toStoreError(err: unknown, what: string): StoreError {
  if (err instanceof StoreError) return err;
  const fenced = err instanceof ErrorReply ? /^FENCED (\S+) (\S+)/.exec(err.message) : null;
  if (fenced) return new StoreFencedError(fenced[1]!, fenced[2]!);
  if (err instanceof ErrorReply) return new StoreCommandError(`${what}: redis refused: ${err.message}`, { cause: err });
  const reason = err instanceof Error ? err.message : String(err);
  return new StoreUnavailableError(`${what}: redis unavailable (${reason})`, { cause: err });
}

function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StoreUnavailableError(`${what}: no answer from redis within ${ms} ms`)), ms);
    timer.unref();
    work.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (err: unknown) => { clearTimeout(timer); reject(err); },
    );
  });
}

type Client = ReturnType<typeof createClient>;

export class RedisStore implements Store {
  private readonly counters: CommandStats = { commands: 0, roundTrips: 0 };

  private constructor(
    private readonly client: Client,
    readonly keys: StoreKeys,
    private readonly commandTimeoutMs: number,
    private readonly connectionListeners: Array<(up: boolean) => void>,
    private readonly onError?: (err: Error) => void,
  ) {}

  onConnection(listener: (up: boolean) => void): void {
    this.connectionListeners.push(listener);
  }

  /**
   * Connect and load the scripts. Connection policy, chosen for a controller that must never hang on its store:
   * - disableOfflineQueue: while the connection is down, a command fails at once (StoreUnavailableError)
   *   instead of waiting in node-redis's offline queue for a reconnect that may never come;
   * - every command has a deadline (commandTimeoutMs), so a Redis that accepts the connection but stops
   *   answering fails the call too;
   * - reconnects: exponential backoff with jitter, capped at maxReconnectDelayMs, forever once connected;
   *   at start, connect() gives up after connectAttempts so a wrong URL is reported rather than retried silently.
   * A batch that timed out or lost its connection after being sent may still have been applied (no reply, unknown
   * outcome): callers treat StoreUnavailableError on commit as "re-read before retrying", never as "nothing happened".
   */
  static async connect(url: string, prefix: string = DEFAULT_PREFIX, opts: RedisStoreOptions = {}): Promise<RedisStore> {
    const keys = storeKeys(prefix);
    const attempts = opts.connectAttempts ?? 3;
    const maxDelay = opts.maxReconnectDelayMs ?? 2000;
    let everReady = false;
    let up = false;
    const listeners: Array<(up: boolean) => void> = [];
    const tell = (state: boolean) => {
      opts.onConnection?.(state);
      for (const l of listeners) l(state);
    };
    const client = createClient({
      url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: opts.connectTimeoutMs ?? 5000,
        reconnectStrategy: (retries: number, cause: Error) => {
          if (!everReady && retries + 1 >= attempts) return cause;
          const ceiling = Math.min(maxDelay, 50 * 2 ** Math.min(retries, 16));
          return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
        },
      },
    });
    client.on('error', (err: Error) => {
      if (up) { up = false; tell(false); }
      opts.onError?.(err);
    });
    client.on('ready', () => {
      everReady = true;
      if (!up) { up = true; tell(true); }
    });
    client.on('end', () => {
      if (up) { up = false; tell(false); }
    });
    try {
      await client.connect();
    } catch (err) {
      throw new StoreUnavailableError(`cannot connect to redis at ${redactUrl(url)} after ${attempts} attempt(s): ${(err as Error).message}`, { cause: err });
    }
    const store = new RedisStore(client, keys, opts.commandTimeoutMs ?? 5000, listeners, opts.onError);
    await store.loadScripts();
    return store;
  }

  commandStats(): CommandStats {
    return { ...this.counters };
  }

  async commit(ops: StoreOp[], guard?: CommitGuard): Promise<void> {
    const commands = prepareOps(ops).flatMap((op) => translate(this.keys, op));
    if (guard) {
      // one script instead of MULTI: the guard's checks and the batch are one atomic step
      const { writer, lease } = checkGuard(guard);
      if (commands.length === 0 && !writer) return;
      const keys = [writer ? this.keys.writer(writer.id) : '', lease ? this.keys.lease(lease.name) : ''];
      await this.evalScript(SCRIPTS.commit, keys, [String(writer?.seq ?? 0), lease?.holder ?? '', String(WRITER_TTL_MS), ...encodeCommands(commands)], 'commit');
      return;
    }
    if (commands.length === 0) return;
    await this.evalScript(SCRIPTS.apply, [], encodeCommands(commands), 'commit');
  }

  async getAttendant(id: string): Promise<AttendantRecord | null> {
    const key = this.keys.attendant(id);
    const h = asHash(await this.send(['HGETALL', key], 'getAttendant'), key);
    return Object.keys(h).length === 0 ? null : decodeAttendant(key, h);
  }

  async listAttendants(): Promise<AttendantRecord[]> {
    const rows = await this.list(this.keys.attendants, this.keys.attendantPrefix, 'hash');
    return byId(rows.map(([id, h]) => decodeAttendant(this.keys.attendantPrefix + id, asHash(h, id))));
  }

  async idleAttendants(group: string): Promise<string[]> {
    return asStrings(await this.send(['ZRANGE', this.keys.idle(group), '0', '-1'], 'idleAttendants'), 'idleAttendants');
  }

  async getGroup(id: string): Promise<GroupRecord | null> {
    const key = this.keys.group(id);
    const h = asHash(await this.send(['HGETALL', key], 'getGroup'), key);
    return Object.keys(h).length === 0 ? null : decodeGroup(key, h);
  }

  async listGroups(): Promise<GroupRecord[]> {
    const rows = await this.list(this.keys.groups, this.keys.groupPrefix, 'hash');
    return byId(rows.map(([id, h]) => decodeGroup(this.keys.groupPrefix + id, asHash(h, id))));
  }

  async getCall(id: string): Promise<CallRecord | null> {
    const key = this.keys.call(id);
    const h = asHash(await this.send(['HGETALL', key], 'getCall'), key);
    return Object.keys(h).length === 0 ? null : decodeCall(key, h);
  }

  async listCalls(): Promise<CallRecord[]> {
    const rows = await this.list(this.keys.calls, this.keys.callPrefix, 'hash');
    return byId(rows.map(([id, h]) => decodeCall(this.keys.callPrefix + id, asHash(h, id))));
  }

  async queue(group: string): Promise<string[]> {
    return asStrings(await this.send(['ZRANGE', this.keys.queue(group), '0', '-1'], 'queue'), 'queue');
  }

  async snapshot(): Promise<Snapshot> {
    const k = this.keys;
    const reply = await this.evalScript(SCRIPTS.snapshot, [k.attendants, k.groups, k.calls, k.queues],
      [k.attendantPrefix, k.groupPrefix, k.callPrefix, k.queuePrefix], 'snapshot');
    if (!isArray(reply) || reply.length !== 4) throw new StoreCommandError('snapshot: unexpected reply from redis');
    const [attendants, groups, calls, queues] = reply;
    const snapshot: Snapshot = {
      attendants: byId(asPairs(attendants, 'snapshot').map(([id, h]) => decodeAttendant(k.attendantPrefix + id, asHash(h, id)))),
      groups: byId(asPairs(groups, 'snapshot').map(([id, h]) => decodeGroup(k.groupPrefix + id, asHash(h, id)))),
      calls: byId(asPairs(calls, 'snapshot').map(([id, h]) => decodeCall(k.callPrefix + id, asHash(h, id)))),
      queues: {},
    };
    for (const [group, ids] of asPairs(queues, 'snapshot')) snapshot.queues[group] = asStrings(ids, 'snapshot');
    return snapshot;
  }

  async claimCall(callId: string, attendantId: string, ops: StoreOp[] = [], guard: Pick<CommitGuard, 'lease'> = {}): Promise<boolean> {
    const key = this.keys.claim(callId);
    checkId('attendant', attendantId);
    const { lease } = checkGuard(guard);
    const commands = prepareOps(ops).flatMap((op) => translate(this.keys, op));
    const keys = [key, lease ? this.keys.lease(lease.name) : ''];
    const won = await this.evalScript(SCRIPTS.claim, keys, [attendantId, lease?.holder ?? '', ...encodeCommands(commands)], 'claimCall');
    return won === 1;
  }

  async releaseCall(callId: string): Promise<void> {
    await this.send(['DEL', this.keys.claim(callId)], 'releaseCall');
  }

  async claimOwner(callId: string): Promise<string | null> {
    const owner = await this.send(['GET', this.keys.claim(callId)], 'claimOwner');
    return typeof owner === 'string' ? owner : null;
  }

  /** Oldest first through XRANGE in pages of 1,000 (so `limit` keeps the oldest of the range). */
  async readQueueLog(from: number, to: number, limit?: number): Promise<string[]> {
    const max = checkQueueLogRange(from, to, limit);
    const out: string[] = [];
    if (max === 0 || to < 0 || from > to || from > Number.MAX_SAFE_INTEGER) return out;
    // stream ids are whole ms: bounds round inwards
    let start = from <= 0 ? '-' : String(Math.ceil(from));
    const end = to >= Number.MAX_SAFE_INTEGER ? '+' : String(Math.floor(to));
    for (;;) {
      const count = Math.min(1000, max - out.length);
      const reply = await this.send(['XRANGE', this.keys.queueLog, start, end, 'COUNT', String(count)], 'readQueueLog');
      if (!isArray(reply)) throw new StoreCommandError('readQueueLog: unexpected reply from redis');
      let lastId: string | undefined;
      for (const item of reply) {
        if (!isArray(item) || typeof item[0] !== 'string' || !isArray(item[1])) throw new StoreCommandError('readQueueLog: unexpected reply from redis');
        lastId = item[0];
        const fields = item[1];
        const i = fields.indexOf('l');
        const line = i >= 0 ? fields[i + 1] : undefined;
        if (typeof line !== 'string') throw new StoreCommandError(`readQueueLog: entry ${lastId} has no line`);
        out.push(line);
      }
      if (reply.length < count || lastId === undefined || out.length >= max) return out;
      start = `(${lastId}`;
    }
  }

  /** Newest matches first through XREVRANGE (so `limit` keeps the most recent), returned oldest first. */
  async queryLog(q: LogQuery): Promise<LogEntry[]> {
    const { from, to, limit } = checkLogQuery(q);
    if (limit === 0 || (to !== undefined && to < 0) || (from !== undefined && to !== undefined && from > to)) return [];
    const filtered = q.operator !== undefined || q.number !== undefined;
    const batch = filtered ? Math.max(limit * 4, 200) : limit;
    const start = from === undefined ? '-' : String(from);
    let end = to === undefined ? '+' : String(to);
    const out: LogEntry[] = [];
    for (;;) {
      const reply = await this.send(['XREVRANGE', this.keys.log, end, start, 'COUNT', String(batch)], 'queryLog');
      if (!isArray(reply)) throw new StoreCommandError('queryLog: unexpected reply from redis');
      let lastId: string | undefined;
      for (const item of reply) {
        if (!isArray(item) || typeof item[0] !== 'string') throw new StoreCommandError('queryLog: unexpected reply from redis');
        lastId = item[0];
        const entry = decodeLogEntry(`${this.keys.log} ${lastId}`, lastId, asHash(item[1], 'queryLog'));
        if (q.operator !== undefined && entry.operator !== q.operator) continue;
        if (q.number !== undefined && !entry.numbers.includes(q.number)) continue;
        out.push(entry);
        if (out.length === limit) return out.reverse();
      }
      if (reply.length < batch || lastId === undefined) return out.reverse();
      end = `(${lastId}`;
    }
  }

  async stats(scope: string, from: number, to: number): Promise<StatsInterval[]> {
    checkRange('stats', from, to);
    const prefix = this.keys.statsPrefix(scope);
    const bound = (n: number) => (n === Infinity ? '+inf' : n === -Infinity ? '-inf' : String(n));
    const reply = await this.evalScript(SCRIPTS.stats, [this.keys.statsIndex(scope)], [prefix, bound(from), bound(to)], 'stats');
    return asPairs(reply, 'stats').map(([start, h]) => ({
      intervalStart: Number(start),
      counters: decodeCounters(prefix + start, asHash(h, 'stats')),
    }));
  }

  /**
   * Streams: XTRIM MINID (their ids are the entries' ms times). Statistics: every scope's index under
   * this prefix is found with SCAN, and each is trimmed by a script (its old interval hashes deleted
   * with their index entries), one scope at a time so no call waits behind a long trim.
   */
  async trim(kind: TrimKind, before: number): Promise<number> {
    checkTrim(kind, before);
    if (kind !== 'stats') {
      const key = kind === 'log' ? this.keys.log : this.keys.queueLog;
      const n = await this.send(['XTRIM', key, 'MINID', String(before)], 'trim');
      if (typeof n !== 'number') throw new StoreCommandError('trim: unexpected reply from redis');
      return n;
    }
    const suffix = 'index';
    // a key prefix holds no glob character (storeKeys refuses them): it matches itself
    const pattern = `${this.keys.statsRoot}*:${suffix}`;
    let removed = 0;
    let cursor = '0';
    do {
      const reply = await this.send(['SCAN', cursor, 'MATCH', pattern, 'COUNT', '500'], 'trim');
      if (!isArray(reply) || typeof reply[0] !== 'string') throw new StoreCommandError('trim: unexpected reply from redis');
      cursor = reply[0];
      for (const index of asStrings(reply[1], 'trim')) {
        const n = await this.evalScript(SCRIPTS.statsTrim, [index], [index.slice(0, -suffix.length), String(before)], 'trim');
        if (typeof n === 'number') removed += n;
      }
    } while (cursor !== '0');
    return removed;
  }

  async getDoc(kind: string, id: string): Promise<Record<string, unknown> | null> {
    const key = this.keys.doc(kind, id);
    const text = await this.send(['GET', key], 'getDoc');
    return typeof text === 'string' ? decodeDoc(key, text) : null;
  }

  async listDocs(kind: string): Promise<Array<{ id: string; doc: Record<string, unknown> }>> {
    const prefix = this.keys.docPrefix(kind);
    const rows = await this.list(this.keys.docs(kind), prefix, 'string');
    return rows
      .map(([id, text]) => {
        if (typeof text !== 'string') throw new StoreCommandError('listDocs: unexpected reply from redis');
        return { id, doc: decodeDoc(prefix + id, text) };
      })
      .sort((a, b) => Buffer.compare(Buffer.from(a.id), Buffer.from(b.id)));
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const key = this.keys.lease(name);
    checkId('lease holder', holder);
    checkLeaseTtl(ttlMs);
    return (await this.evalScript(SCRIPTS.leaseAcquire, [key], [holder, String(ttlMs)], 'acquireLease')) === 1;
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.evalScript(SCRIPTS.leaseRelease, [this.keys.lease(name)], [holder], 'releaseLease');
  }

  async leaseHolder(name: string): Promise<string | null> {
    const holder = await this.send(['GET', this.keys.lease(name)], 'leaseHolder');
    return typeof holder === 'string' ? holder : null;
  }

  /** RateLimiterRedis on this connection (one Lua call per attempt); counted in memory while Redis cannot answer */
  attemptCounter(name: string, opts: AttemptCounterOptions): AttemptCounter {
    checkAttemptOptions(opts);
    const keyPrefix = this.keys.attempts(name);
    const shared = new RateLimiterRedis({ storeClient: this.client, useRedisPackage: true, keyPrefix, points: opts.limit, duration: windowSeconds(opts.windowMs) });
    return sharedAttemptCounter(shared, keyPrefix, opts, {
      deadline: (work) => {
        if (!this.client.isReady) return Promise.reject(new StoreUnavailableError(`attempt counter ${name}: redis unavailable (not connected)`));
        return withDeadline(work, this.commandTimeoutMs, `attempt counter ${name}`);
      },
      onFallback: (err) => this.onError?.(new StoreUnavailableError(`attempt counter ${name}: counted in this process until redis answers (${err.message})`, { cause: err })),
    });
  }

  /** false, never a throw, when Redis does not answer (down, reconnecting, or slow beyond the deadline) */
  async ping(): Promise<boolean> {
    try {
      return (await this.send(['PING'], 'ping', Math.min(this.commandTimeoutMs, 1000))) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (!this.client.isOpen) return;
    if (!this.client.isReady) {
      this.client.destroy();
      return;
    }
    try {
      await withDeadline(this.client.close(), this.commandTimeoutMs, 'close');
    } catch {
      this.client.destroy();
    }
  }

  // -------------------------------------------------------------------------------------------

  private async loadScripts(): Promise<void> {
    const all = Object.values(SCRIPTS);
    // node-redis writes these together: one round trip
    await this.trip(all.length, 'load scripts', () => Promise.all(all.map((s) => this.client.sendCommand(['SCRIPT', 'LOAD', s.source]))));
  }

  private async list(setKey: string, prefix: string, kind: 'hash' | 'string'): Promise<Array<[string, unknown]>> {
    return asPairs(await this.evalScript(SCRIPTS.list, [setKey], [prefix, kind], 'list'), 'list');
  }

  private send(args: Command, what: string, timeoutMs?: number): Promise<unknown> {
    return this.trip(1, what, () => this.client.sendCommand(args), timeoutMs);
  }

  /** EVALSHA; a Redis restarted since connect has lost its script cache (NOSCRIPT reply code), then EVAL once */
  private async evalScript(s: Script, keys: string[], args: string[], what: string): Promise<unknown> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.send(['EVALSHA', s.sha, ...tail], what);
    } catch (err) {
      if (!(err instanceof StoreCommandError && err.cause instanceof ErrorReply && err.cause.message.startsWith('NOSCRIPT'))) throw err;
      return this.send(['EVAL', s.source, ...tail], what);
    }
  }

  /** one network round trip carrying `commands` commands, with the deadline and errors mapped to StoreError */
  private async trip<T>(commands: number, what: string, run: () => Promise<T>, timeoutMs = this.commandTimeoutMs): Promise<T> {
    // fail at once while disconnected: nothing is counted or sent
    if (!this.client.isReady) throw new StoreUnavailableError(`${what}: redis unavailable (not connected)`);
    this.counters.roundTrips += 1;
    this.counters.commands += commands;
    try {
      return await withDeadline(run(), timeoutMs, what);
    } catch (err) {
      throw toStoreError(err, what);
    }
  }
}
