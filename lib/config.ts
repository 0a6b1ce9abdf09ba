// One schema for the whole configuration. Every field error names its path,
// so an admin sees `groups[1].overflow.to: unknown group "sales"` and nothing starts.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { directoryEntrySchema, readDirectoryFile } from './directory-file.ts';
import { DEFAULT_NUMBERING, DIAL_ROLES, patternProblem } from './domain/numbering.ts';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, "_", "." or "-"');
const seconds = z.number().nonnegative().max(86_400);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00 to 24:00)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

export const MODES = ['day', 'night', 'mode1', 'mode2'] as const;
export type Mode = (typeof MODES)[number];
export const STRATEGIES = ['ring-all', 'longest-idle', 'round-robin', 'linear', 'fewest-calls', 'random'] as const;
export type Strategy = (typeof STRATEGIES)[number];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Where a call goes in a given mode of the distribution table. */
const destinationSchema = z.discriminatedUnion('type', [
  // present to the attendants of a group (this one when `group` is left out)
  z.object({ type: z.literal('group'), group: id.optional() }).strict(),
  // leave Stasis and ring an extension through the dialplan
  z.object({ type: z.literal('extension'), number: z.string().regex(/^[0-9*#+]{1,32}$/), context: z.string().min(1).optional() }).strict(),
  z.object({ type: z.literal('voicemail'), mailbox: z.string().min(1), context: z.string().min(1).optional() }).strict(),
  // play a recording then hang up (closed announcement)
  z.object({ type: z.literal('announcement'), sound: z.string().min(1) }).strict(),
  z.object({ type: z.literal('dialplan'), context: z.string().min(1), extension: z.string().min(1), priority: z.number().int().positive().default(1) }).strict(),
]);
export type Destination = z.infer<typeof destinationSchema>;

const scheduleRule = z.object({
  days: z.array(z.enum(WEEKDAYS)).min(1),
  from: hhmm,
  to: hhmm,
  mode: z.enum(MODES).default('day'),
}).strict().superRefine((r, ctx) => {
  if (r.from >= r.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be later than from (${r.from})` });
});

const timeZone = z.string().superRefine((tz, ctx) => {
  try { new Intl.DateTimeFormat('en-GB', { timeZone: tz }); } catch { ctx.addIssue({ code: 'custom', message: `unknown time zone "${tz}"` }); }
});

const scheduleSchema = z.object({
  timezone: timeZone.default('UTC'),
  // mode outside every rule (typically night)
  otherwise: z.enum(MODES).default('night'),
  rules: z.array(scheduleRule).default([]),
  holidays: z.array(z.object({ date: isoDate, mode: z.enum(MODES).default('night'), name: z.string().optional() }).strict()).default([]),
}).strict();
export type Schedule = z.infer<typeof scheduleSchema>;

/** an address or a CIDR range of a trusted reverse proxy, or one of express's names for a range */
const proxyAddress = z.string().superRefine((v, ctx) => {
  if (['loopback', 'linklocal', 'uniquelocal'].includes(v)) return;
  const [addr = '', bits, ...more] = v.split('/');
  const family = isIP(addr);
  const max = family === 6 ? 128 : 32;
  const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max);
  if (!family || !okBits || more.length) ctx.addIssue({ code: 'custom', message: `"${v}" is not an address, a CIDR range (10.0.0.0/8) or loopback / linklocal / uniquelocal` });
});

const loginSchema = z.object({
  // seconds the attempts from an address (and at a name from an address) are counted in
  window: seconds.positive().min(1).max(3600).default(60),
  // attempts from one address in a window, whatever the names
  perAddress: z.number().int().min(1).max(10_000).default(20),
  // attempts at one name from one address in a window; and the attempts at a name (from anywhere, in 15 min)
  // after which an address the name never logged in from waits an exponential delay between tries
  perUser: z.number().int().min(1).max(1000).default(5),
  // the longest of those delays, seconds (1, 2, 4 ... up to it)
  maxDelay: seconds.min(1).max(3600).default(30),
  // password hashes (scrypt) computed at once; the others wait their turn, so a flood never starves the event loop
  concurrentHashes: z.number().int().min(1).max(16).default(1),
}).strict().prefault({});
export type LoginSettings = z.infer<typeof loginSchema>;

/** an extension pattern of the numbering plan (Asterisk syntax) or a literal number */
const extensionPattern = z.string().superRefine((p, ctx) => {
  const problem = patternProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const dialString = z.string().regex(/^[0-9*#+]{1,32}$/, 'must be 1-32 digits, "*", "#" or "+"');

/** who may dial what (lib/domain/numbering.ts), and which channels are the site's own phones */
const numberingSchema = z.object({
  // the site's extensions: what transfers may reach and services may be booked for
  internal: z.array(extensionPattern).min(1).default([...DEFAULT_NUMBERING.internal]),
  // prefixes that leave the site, with the least role that may dial each (longest prefix decides; role none: barred)
  external: z.array(z.object({
    prefix: z.string().regex(/^(\+[0-9]{0,15}|[0-9*#]{1,16})$/, 'must be digits, or + and digits'),
    role: z.enum([...DIAL_ROLES, 'none']),
    name: z.string().min(1).max(64).optional(),
  }).strict()).default([]),
  // numbers every attendant may always send a caller to; never an extension a service is booked for
  emergency: z.array(dialString).default([...DEFAULT_NUMBERING.emergency]),
  // the dialplan contexts of the site's own phones: a feature code (Stasis(attendant,feature,...)) is
  // taken only from a channel whose StasisStart names one of them as its context
  phoneContexts: z.array(z.string().regex(/^[A-Za-z0-9_.-]{1,79}$/, 'must be a dialplan context name')).min(1).default(['attendant-sets', 'attendant-internal']),
}).strict().prefault({});
export type NumberingConfig = z.infer<typeof numberingSchema>;

const quota = (max: number, dflt: number) => z.number().int().min(1).max(max).default(dflt);
/** how much the desk services may store: per extension, and in all */
const quotasSchema = z.object({
  wakeupsPerExtension: quota(100, 5),
  wakeups: quota(100_000, 2000),
  // beyond it the oldest read messages of the extension make room; only unread ones refuse a new one
  messagesPerExtension: quota(1000, 25),
  messages: quota(1_000_000, 10_000),
  dnd: quota(100_000, 2000),
}).strict().prefault({});
export type QuotasConfig = z.infer<typeof quotasSchema>;

const groupSchema = z.object({
  id,
  name: z.string().min(1),
  members: z.array(id).default([]),
  strategy: z.enum(STRATEGIES).default('longest-idle'),
  ringTimeout: seconds.positive().default(15),
  // what a waiting caller hears: music on hold class, or ringback
  waiting: z.union([z.object({ music: z.string().min(1) }).strict(), z.literal('ringback')]).default({ music: 'default' }),
  // calls that may wait for an attendant; 0 makes a loss system (a call finding every member busy goes to the fallback)
  maxQueue: z.number().int().nonnegative().max(100_000).optional(),
  overflow: z.object({
    to: id,
    queueLength: z.number().int().positive().optional(),
    waitSeconds: seconds.positive().optional(),
    // mutual help: the overflow group's members see the call, this group's members keep seeing it
    mutualHelp: z.boolean().default(true),
  }).strict().superRefine((o, ctx) => {
    if (o.queueLength === undefined && o.waitSeconds === undefined) {
      ctx.addIssue({ code: 'custom', message: 'needs queueLength or waitSeconds (or both)' });
    }
  }).optional(),
  table: z.object({
    day: destinationSchema.default({ type: 'group' }),
    night: destinationSchema.optional(),
    mode1: destinationSchema.optional(),
    mode2: destinationSchema.optional(),
  }).strict().default({ day: { type: 'group' } }),
  schedule: scheduleSchema.optional(),
  // night bell: a device rung while calls wait for this group in night mode; whoever lifts it takes the first in the queue
  nightBell: z.object({ device: z.string().regex(/^[A-Za-z]+\/\S+$/, 'must be a dial string such as PJSIP/bell'), ringSeconds: seconds.positive().max(600).default(60) }).strict().optional(),
  // where a caller goes when nobody can take it (all unplugged, ARI failure): never dropped
  fallback: destinationSchema.optional(),
}).strict();
export type GroupConfig = z.infer<typeof groupSchema>;

const attendantSchema = z.object({
  id,
  name: z.string().min(1),
  device: z.string().regex(/^[A-Za-z]+\/\S+$/, 'must be a dial string such as PJSIP/att1'),
  autoAnswer: z.boolean().default(false),
  extension: z.string().optional(),
  // a supervisor's set: its feature codes may switch the groups' mode (day / night / mode 1 / mode 2)
  supervisor: z.boolean().default(false),
  // true: logged in to its groups at every start; false: logged out at every start; left out: `positions` decides
  startLoggedIn: z.boolean().optional(),
}).strict();
export type AttendantConfig = z.infer<typeof attendantSchema>;

const callClassSchema = z.object({
  id,
  name: z.string().optional(),
  // 1 (lowest) to 9 (most urgent): the waiting queue serves higher first, then the oldest
  priority: z.number().int().min(1).max(9),
  // seconds before the presentation starts ringing (delayed ring)
  delayedRing: seconds.default(0),
}).strict();
export type CallClassConfig = z.infer<typeof callClassSchema>;

/**
 * Feature codes an attendant set dials, by the feature name the dialplan hands to the controller
 * (`Stasis(attendant,feature,<name>[,<argument>])`); the defaults are dialplan/extensions_attendant.conf's.
 */
export const FEATURE_CODE_DEFAULTS = {
  login: '*50',
  logout: '*51',
  'dnd-on': '*52',
  // DND off, and back from absent
  present: '*53',
  // + 0 schedule, 1 day, 2 night, 3 mode 1, 4 mode 2 (supervisor sets)
  mode: '*54',
  // my held call: the lowest slot, or + slot
  retrieve: '*55',
  // + park slot
  'park-retrieve': '*58',
  'queue-pickup': '*59',
  callback: '*69',
} as const;
export type FeatureName = keyof typeof FEATURE_CODE_DEFAULTS;
export const FEATURE_NAMES = Object.keys(FEATURE_CODE_DEFAULTS) as FeatureName[];

/** In-call commands on the attendant set's keypad: prefix, then this key (transfer and consult: then the number and #). */
export const KEYPAD_DEFAULTS = {
  blindTransfer: '1', consult: '2', complete: '3', cancel: '4', swap: '5', conference: '6', hold: '7', park: '8',
} as const;
export type KeypadCommand = keyof typeof KEYPAD_DEFAULTS;
export const KEYPAD_COMMANDS = Object.keys(KEYPAD_DEFAULTS) as KeypadCommand[];

const featureCode = z.string().regex(/^[*#0-9]{1,8}$/, 'must be 1-8 of 0-9, * and #');
const keypadKey = z.string().regex(/^[0-9A-D]$/, 'must be one key: 0-9 or A-D');

const phoneSchema = z.object({
  featureCodes: z.object(Object.fromEntries(FEATURE_NAMES.map((n) => [n, featureCode.default(FEATURE_CODE_DEFAULTS[n])])) as Record<FeatureName, z.ZodDefault<typeof featureCode>>).strict().prefault({}),
  keypad: z.object({
    // in-call commands from the set: its call bridges are then never native (RTP passes through Asterisk's
    // core so the DTMF reaches the controller: bridge type dtmf_events); false gives native RTP bridging back
    enabled: z.boolean().default(true),
    prefix: z.enum(['*', '#']).default('*'),
    // seconds of silence that end a number (or abandon an incomplete command)
    interDigit: seconds.positive().max(30).default(3),
    keys: z.object(Object.fromEntries(KEYPAD_COMMANDS.map((c) => [c, keypadKey.default(KEYPAD_DEFAULTS[c])])) as Record<KeypadCommand, z.ZodDefault<typeof keypadKey>>).strict().prefault({}),
  }).strict().prefault({}),
  // set PJSIP_TRANSFER_HANDLING(ari-only) on attendant legs so the set's transfer key reaches the controller (Asterisk 20.13 / 21.8 / 22.3+)
  transferKey: z.boolean().default(true),
  // what the set hears after a feature code or keypad command (ARI media URIs)
  sounds: z.object({ ok: z.string().min(1).default('sound:beep'), error: z.string().min(1).default('sound:beeperr') }).strict().prefault({}),
  // a feature call is hung up when its sound has played, at the latest this long after it started
  toneSeconds: seconds.positive().max(30).default(3),
  // the dialplan context a call-back is dialled in (the sets' own)
  callbackContext: z.string().min(1).default('attendant-sets'),
}).strict();
export type PhoneConfig = z.infer<typeof phoneSchema>;

const DEFAULT_CLASSES: CallClassConfig[] = [
  { id: 'external', priority: 5, delayedRing: 0 },
  { id: 'internal', priority: 4, delayedRing: 0 },
  { id: 'recall', priority: 7, delayedRing: 0 },
  { id: 'urgent', priority: 9, delayedRing: 0 },
  { id: 'dnd', priority: 5, delayedRing: 0 },
  { id: 'wakeup-failed', priority: 8, delayedRing: 0 },
];

/** how positions start: what the store had (a restart changes nothing), or all logged in / out */
export const POSITION_STARTS = ['restore', 'logged-out', 'logged-in'] as const;

/** the admission bounds' defaults: a burst of callers is taken in whole, a backlog that lasts is not */
export const ADMISSION_DEFAULTS = { backlog: 50, maxWait: 0.03, storeBacklog: 1000 } as const;

const retentionDays = z.number().int().min(0).max(36_500);

const configSchema = z.object({
  asterisk: z.object({
    ari: z.object({
      url: z.string().url(),
      user: z.string().min(1),
      password: z.string().min(1),
      app: id.default('attendant'),
      // seconds a REST request may take before it counts as failed (the caller is routed around it)
      requestTimeout: seconds.positive().default(5),
      // ask Asterisk (13.26 / 16.3+) to send the app only the event types the controller reads
      eventFilter: z.boolean().default(true),
    }).strict(),
    ami: z.object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(5038),
      user: z.string().min(1),
      password: z.string().min(1),
    }).strict().optional(),
    // dialplan context used when a call leaves Stasis for an extension
    context: z.string().min(1).default('attendant-out'),
    // where the controller rings a number an operator or a guest gave (transfers, consultations,
    // wake-up calls): Local/<number>@<dialContext>, as a phone of the site would dial it
    dialContext: z.string().regex(/^[A-Za-z0-9_.-]{1,79}$/, 'must be a dialplan context name').default('attendant-dial'),
  }).strict(),
  redis: z.object({ url: z.string().url().optional(), prefix: z.string().regex(/^[A-Za-z0-9:_-]{1,32}$/).default('att:') }).strict().default({ prefix: 'att:' }),
  http: z.object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    // the reverse proxies in front (addresses or CIDR ranges): only from them is X-Forwarded-For believed; left out, the socket's address is the client's
    trustProxy: z.array(proxyAddress).default([]),
    // logins (lib/api/auth/login-guard.ts): attempts counted before the password is checked, in the store
    login: loginSchema,
  }).strict().prefault({}),
  log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).strict().default({ level: 'info' }),
  // two controllers on one store: each needs its own stable id (default <hostname>-<pid>)
  ha: z.object({ nodeId: id.optional() }).strict().default({}),
  timers: z.object({
    absentAfter: seconds.positive().default(80),
    recall: seconds.positive().default(30),
    park: seconds.positive().default(120),
    leaseTtl: seconds.positive().default(5),
    // a set that refused a presentation (busy, declined, failed) is not offered any call for this long,
    // doubled for each refusal in a row up to 12 times as long: a busy phone never gets an INVITE storm
    refusalBackoff: seconds.positive().max(600).default(5),
  }).strict().default({ absentAfter: 80, recall: 30, park: 120, leaseTtl: 5, refusalBackoff: 5 }),
  // admission control (lib/domain/admission.ts): callers received (StasisStart) and not yet handled wait in a
  // bounded backlog; past `backlog` of them, or after `maxWait` seconds there, a caller goes back to its group's
  // fallback (else the dialplan's, after Stasis()) at once: an overload hands the excess on instead of collapsing
  admission: z.object({
    backlog: z.number({ error: 'must be a whole number of calls (1-100000)' }).int('must be a whole number of calls (1-100000)')
      .min(1, 'must be at least 1 call').max(100_000, 'must be at most 100000 calls').default(ADMISSION_DEFAULTS.backlog),
    maxWait: z.number({ error: 'must be a number of seconds (0.001-60)' }).min(0.001, 'must be at least 0.001 s').max(60, 'must be at most 60 s').default(ADMISSION_DEFAULTS.maxWait),
    // store writes (batches) waiting for a store that answers: past it a new caller is handed back too (a store
    // outage is not counted: calls are served from memory meanwhile)
    storeBacklog: z.number({ error: 'must be a whole number of writes (10-1000000)' }).int('must be a whole number of writes (10-1000000)')
      .min(10, 'must be at least 10 writes').max(1_000_000, 'must be at most 1000000 writes').default(ADMISSION_DEFAULTS.storeBacklog),
  }).strict().prefault({}),
  // traffic statistics: T of the service level (answered within T seconds), and the zone days are counted in (busy hour)
  statistics: z.object({
    serviceTargetSeconds: seconds.default(20),
    timezone: timeZone.default('UTC'),
  }).strict().default({ serviceTargetSeconds: 20, timezone: 'UTC' }),
  // Asterisk queue_log lines of the groups' activity (lib/stats/queue-log.ts): stored with each batch,
  // and appended to `file` (absolute, or relative to the working directory) as they are decided
  queueLog: z.object({
    enabled: z.boolean().default(true),
    store: z.boolean().default(true),
    file: z.string().min(1).optional(),
    // the context written in TRANSFER lines (app_queue writes the dialplan context of the transfer)
    transferContext: z.string().regex(/^[^|\s]+$/, 'a dialplan context name without spaces or |').default('attendant'),
  }).strict().default({ enabled: true, store: true, transferContext: 'attendant' }),
  // days the store keeps what reports read (lib/stats/retention.ts); 0 keeps it for ever
  retention: z.object({
    logDays: retentionDays.default(90),
    queueLogDays: retentionDays.default(90),
    statsDays: retentionDays.default(400),
  }).strict().prefault({}),
  classes: z.array(callClassSchema).default(DEFAULT_CLASSES),
  // how the positions start (attendants[].startLoggedIn overrides it per position)
  positions: z.enum(POSITION_STARTS).default('restore'),
  attendants: z.array(attendantSchema).min(1),
  groups: z.array(groupSchema).min(1),
  // the SIP set as the attendant set: feature codes, in-call keypad commands, the transfer key
  phone: phoneSchema.prefault({}),
  // the number library: name, number, short code (dialled in transfers), department, location
  directory: z.object({
    // CSV (name,number,shortCode,department,location with a header line) or YAML list, relative to the config file
    file: z.string().min(1).optional(),
    entries: z.array(directoryEntrySchema).default([]),
  }).strict().default({ entries: [] }),
  // the site's wall clock (wake-up times); left out: the first group schedule's zone, else UTC
  site: z.object({ timezone: timeZone.optional() }).strict().default({}),
  // wake-up calls: announcement, retries, and the group that hears about a room that never answered
  wakeup: z.object({
    sound: z.string().min(1).default('sound:this-is-yr-wakeup-call'),
    attempts: z.number().int().min(1).max(10).default(3),
    retryAfter: seconds.positive().default(300),
    ringSeconds: seconds.positive().max(300).default(30),
    callerName: z.string().min(1).max(40).default('Wake-up call'),
    // group presented a wake-up that was never answered (class wakeup-failed); left out: the first group
    group: id.optional(),
    // what a room phone hears after *56HHMM / *57, and after a wrong code
    bookedSound: z.string().min(1).default('sound:auth-thankyou'),
    refusedSound: z.string().min(1).default('sound:beeperr'),
  }).strict().default({
    sound: 'sound:this-is-yr-wakeup-call', attempts: 3, retryAfter: 300, ringSeconds: 30, callerName: 'Wake-up call',
    bookedSound: 'sound:auth-thankyou', refusedSound: 'sound:beeperr',
  }),
  // the numbering plan: internal extensions, external prefixes by role, emergency numbers, the phones' contexts
  numbering: numberingSchema,
  // how many wake-up calls, messages and DNDs the desk services keep, per extension and in all
  quotas: quotasSchema,
  // people who log in to the console and the API; passwords only as scrypt hashes
  users: z.array(z.object({
    name: id,
    role: z.enum(['operator', 'supervisor', 'admin']),
    // scrypt$<salt hex>$<hash hex>: `attendant hash-password` makes one
    passwordHash: z.string().regex(/^scrypt\$[0-9a-f]{16,}\$[0-9a-f]{32,}$/, 'must be scrypt$<salt>$<hash> (attendant hash-password)'),
    // the attendant position this user works at (operators)
    attendant: id.optional(),
  }).strict()).default([]),
  // keys for integrations (header x-api-key); stored as sha256 hex of the key
  apiKeys: z.array(z.object({ name: id, role: z.enum(['operator', 'supervisor', 'admin']), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict()).default([]),
  // what the console's BLF grid shows: extensions (by hint) and trunks (by PJSIP endpoint), fed by AMI
  supervision: z.object({
    extensions: z.array(z.object({
      number: z.string().regex(/^[0-9*#+]{1,32}$/),
      name: z.string().min(1),
      context: z.string().min(1).default('default'),
      device: z.string().optional(),
    }).strict()).default([]),
    trunks: z.array(z.object({ id, name: z.string().min(1), endpoint: z.string().min(1) }).strict()).default([]),
  }).strict().default({ extensions: [], trunks: [] }),
  // Prometheus metrics (lib/metrics/): GET /metrics on the main port with this Bearer token, and/or without auth on a port of its own
  metrics: z.object({
    enabled: z.boolean().default(true),
    token: z.string().regex(/^[\x21-\x7e]{16,256}$/, 'must be 16-256 printable characters without spaces').optional(),
    // a separate listener for a scrape network (no token there); left out: only the main port, with the token
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().min(1).default('127.0.0.1'),
  }).strict().prefault({}),
}).strict();

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** `groups[1].overflow.to` from zod's path array. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

function duplicates(ids: string[]): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const i of ids) (seen.has(i) ? dup : seen).add(i);
  return dup;
}

/**
 * The part of a configuration the cross-references read. The parsed Config is one; so is the raw
 * document when a field has the wrong type (`looseView`), so a type error does not hide
 * `groups[1].overflow.to: unknown group "sales"` until it is fixed: every problem is told at once.
 */
interface RefDestination { type?: string; group?: string }
interface RefView {
  attendants: Array<{ id?: string; device?: string }>;
  groups: Array<{
    id?: string; members?: string[]; overflow?: { to?: string }; table?: Partial<Record<Mode, RefDestination>>; fallback?: RefDestination;
    schedule?: { rules?: Array<{ mode?: string }>; otherwise?: string };
  }>;
  classes: Array<{ id?: string }>;
  users: Array<{ name?: string; attendant?: string }>;
  phone?: { featureCodes?: Partial<Record<FeatureName, string>>; keypad?: { keys?: Partial<Record<KeypadCommand, string>> } };
  wakeup?: { group?: string };
  numbering?: { external?: Array<{ prefix?: string }> };
}

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Loose : {});
const list = (v: unknown): Loose[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** only the string fields of an object, by name */
function strings<K extends string>(v: unknown, keys: readonly K[]): Partial<Record<K, string>> {
  const o = obj(v);
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) { const x = str(o[k]); if (x !== undefined) out[k] = x; }
  return out;
}
const dest = (v: unknown): RefDestination | undefined => (v === undefined ? undefined : strings(v, ['type', 'group']));

/** the raw document read as a RefView: fields of the wrong type are left out, list positions kept */
function looseView(raw: unknown): RefView {
  const doc = obj(raw);
  const phone = obj(doc.phone);
  return {
    attendants: list(doc.attendants).map((a) => strings(a, ['id', 'device'])),
    groups: list(doc.groups).map((g) => {
      const schedule = g.schedule === undefined ? undefined : obj(g.schedule);
      const table = g.table === undefined ? undefined : Object.fromEntries(MODES.flatMap((m) => { const d = dest(obj(g.table)[m]); return d ? [[m, d]] : []; }));
      return {
        ...strings(g, ['id']),
        ...(Array.isArray(g.members) ? { members: g.members.filter((m): m is string => typeof m === 'string') } : {}),
        ...(g.overflow !== undefined ? { overflow: strings(g.overflow, ['to']) } : {}),
        ...(table ? { table } : {}),
        ...(g.fallback !== undefined ? { fallback: dest(g.fallback)! } : {}),
        ...(schedule ? { schedule: { rules: list(schedule.rules).map((r) => strings(r, ['mode'])), ...strings(schedule, ['otherwise']) } } : {}),
      };
    }),
    classes: list(doc.classes).map((c) => strings(c, ['id'])),
    users: list(doc.users).map((u) => strings(u, ['name', 'attendant'])),
    phone: { featureCodes: strings(phone.featureCodes, FEATURE_NAMES), keypad: { keys: strings(obj(phone.keypad).keys, KEYPAD_COMMANDS) } },
    wakeup: strings(doc.wakeup, ['group']),
    numbering: { external: list(obj(doc.numbering).external).map((e) => strings(e, ['prefix'])) },
  };
}

/** Cross-references zod cannot see field by field: ids that must exist, ids that must be unique. */
function checkReferences(cfg: RefView): string[] {
  const problems: string[] = [];
  const attendantIds = new Set(cfg.attendants.map((a) => a.id));
  const groupIds = new Set(cfg.groups.map((g) => g.id));
  for (const [items, name] of [[cfg.attendants, 'attendants'], [cfg.groups, 'groups'], [cfg.classes, 'classes']] as const) {
    const dup = duplicates(items.flatMap((x) => (x.id === undefined ? [] : [x.id])));
    items.forEach((x, i) => { if (x.id !== undefined && dup.has(x.id)) problems.push(`${name}[${i}].id: duplicate id "${x.id}"`); });
  }
  const dupDevices = duplicates(cfg.attendants.flatMap((a) => (a.device === undefined ? [] : [a.device])));
  cfg.attendants.forEach((a, i) => { if (a.device !== undefined && dupDevices.has(a.device)) problems.push(`attendants[${i}].device: device "${a.device}" is used by another attendant`); });
  const checkDest = (d: RefDestination | undefined, path: string) => {
    if (d?.type === 'group' && d.group !== undefined && !groupIds.has(d.group)) problems.push(`${path}.group: unknown group "${d.group}"`);
  };
  cfg.groups.forEach((g, i) => {
    const members = g.members ?? [];
    members.forEach((m, j) => { if (!attendantIds.has(m)) problems.push(`groups[${i}].members[${j}]: unknown attendant "${m}"`); });
    for (const m of duplicates(members)) problems.push(`groups[${i}].members: attendant "${m}" listed twice`);
    const to = g.overflow?.to;
    if (to !== undefined) {
      if (!groupIds.has(to)) problems.push(`groups[${i}].overflow.to: unknown group "${to}"`);
      else if (to === g.id) problems.push(`groups[${i}].overflow.to: a group cannot overflow to itself`);
    }
    const table = g.table ?? {};
    for (const mode of MODES) checkDest(table[mode], `groups[${i}].table.${mode}`);
    checkDest(g.fallback, `groups[${i}].fallback`);
    const hasMode = (mode: string) => mode === 'day' || !(MODES as readonly string[]).includes(mode) || table[mode as Mode] !== undefined;
    g.schedule?.rules?.forEach((r, j) => {
      if (r.mode !== undefined && !hasMode(r.mode)) problems.push(`groups[${i}].schedule.rules[${j}].mode: the table has no "${r.mode}" destination`);
    });
    const otherwise = g.schedule?.otherwise;
    if (otherwise !== undefined && !hasMode(otherwise)) problems.push(`groups[${i}].schedule.otherwise: the table has no "${otherwise}" destination`);
  });
  const dupUsers = duplicates(cfg.users.flatMap((u) => (u.name === undefined ? [] : [u.name])));
  cfg.users.forEach((u, i) => {
    if (u.name !== undefined && dupUsers.has(u.name)) problems.push(`users[${i}].name: duplicate user "${u.name}"`);
    if (u.attendant !== undefined && !attendantIds.has(u.attendant)) problems.push(`users[${i}].attendant: unknown attendant "${u.attendant}"`);
  });
  const codes = FEATURE_NAMES.flatMap((n) => { const code = cfg.phone?.featureCodes?.[n]; return code === undefined ? [] : [[n, code] as const]; });
  for (const [n, code] of codes) {
    // a code that starts another would swallow it in the dialplan (codes take trailing arguments)
    const clash = codes.find(([m, other]) => m !== n && other.startsWith(code));
    if (clash) problems.push(`phone.featureCodes.${n}: "${code}" is also the start of ${clash[0]} ("${clash[1]}")`);
  }
  const keys = KEYPAD_COMMANDS.flatMap((c) => { const k = cfg.phone?.keypad?.keys?.[c]; return k === undefined ? [] : [[c, k] as const]; });
  const dupKeys = duplicates(keys.map(([, k]) => k));
  for (const [c, k] of keys) if (dupKeys.has(k)) problems.push(`phone.keypad.keys.${c}: key "${k}" is used by another command`);
  const wakeGroup = cfg.wakeup?.group;
  if (wakeGroup !== undefined && !groupIds.has(wakeGroup)) problems.push(`wakeup.group: unknown group "${wakeGroup}"`);
  const prefixes = cfg.numbering?.external?.map((e) => e.prefix) ?? [];
  const dupPrefixes = duplicates(prefixes.filter((x): x is string => x !== undefined));
  prefixes.forEach((x, i) => { if (x !== undefined && dupPrefixes.has(x)) problems.push(`numbering.external[${i}].prefix: prefix "${x}" is listed twice`); });
  return problems;
}

/** short codes dial one number each: inline entries named by path, file entries by their row */
function checkShortCodes(cfg: Config, inline: number, file: string | undefined, rows: number[]): string[] {
  const dupCodes = duplicates(cfg.directory.entries.flatMap((e) => (e.shortCode ? [e.shortCode] : [])));
  const problems: string[] = [];
  cfg.directory.entries.forEach((e, i) => {
    if (!e.shortCode || !dupCodes.has(e.shortCode)) return;
    const where = i < inline ? `directory.entries[${i}].shortCode` : `directory.file: ${file ?? ''} row ${rows[i - inline] ?? '?'}, shortCode`;
    problems.push(`${where}: short code "${e.shortCode}" used twice`);
  });
  return problems;
}

export interface ParseOptions {
  /** where `directory.file` is looked up when relative (the configuration file's folder); default the working directory */
  baseDir?: string;
}

/** Parse an already loaded object: throws ConfigError listing every problem by path. */
export function parseConfig(raw: unknown, opts: ParseOptions = {}): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    // the cross-references of what could be read are told with the type errors, not after them
    const typeErrors = result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new ConfigError([...typeErrors, ...checkReferences(looseView(raw)).filter((p) => !typeErrors.includes(p))]);
  }
  const cfg = result.data;
  const problems = checkReferences(cfg);
  const inline = cfg.directory.entries.length;
  let rows: number[] = [];
  if (cfg.directory.file !== undefined) {
    const path = isAbsolute(cfg.directory.file) ? cfg.directory.file : resolve(opts.baseDir ?? process.cwd(), cfg.directory.file);
    const loaded = readDirectoryFile(path, cfg.directory.file);
    problems.push(...loaded.problems);
    rows = loaded.rows;
    cfg.directory.entries = [...cfg.directory.entries, ...loaded.entries];
  }
  problems.push(...checkShortCodes(cfg, inline, cfg.directory.file, rows));
  if (problems.length) throw new ConfigError(problems);
  return cfg;
}

// ---------------------------------------------------------------------------------------------
// Serving beyond this machine: only with users of the site's own.

/**
 * Password hashes published in the repository's example configurations: their passwords are in the
 * README, so anyone can log in with them. test/deploy checks that every hash of config/example.yaml
 * and docker/attendant.yaml is listed here.
 */
export const SHIPPED_PASSWORD_HASHES: ReadonlyMap<string, string> = new Map([
  ['scrypt$cd75ee001f1f1ae86d2aede02a87e960$53dd3cb69715648db180ee54d1cefd6f8851a0a8b2879ea46cac1f9a26937295213c916ee994bfda0c985fa4a78fec2a3eaf41bad0563df6aab5599f799b5c19', 'config/example.yaml (alice / operator-demo)'],
  ['scrypt$09e00a54f8822669a92ff1b0dda1b84f$4122f90082cca0a33bb33d613b7e82fbe48e285e4fa0dc74204a7adf58fb44ae5a1cfc5d13ef43755bf669beda197b454e9752e4ffb306fa3df07abc3073830f', 'config/example.yaml (sam / supervisor-demo)'],
]);

/** a listener address only this machine reaches: 127.0.0.0/8, ::1, localhost */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^(0{1,4}:){7}0{0,3}1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

/**
 * What forbids serving this configuration on its listener: when http.host is not loopback, a user
 * whose password hash is one of the shipped examples', or no user at all (nobody could use the
 * console, and nothing says the site configured its own). Loopback (the demo, the tests, a proxy on
 * the same machine) is not refused.
 */
export function exposureProblems(cfg: Config): string[] {
  const host = cfg.http.host;
  if (isLoopbackHost(host)) return [];
  const why = `while http.host (${JSON.stringify(host)}) is not loopback`;
  const problems: string[] = [];
  if (cfg.users.length === 0) {
    problems.push(`users: no user is configured ${why}: add users with passwords of your own (attendant hash-password), or listen on 127.0.0.1`);
  }
  cfg.users.forEach((u, i) => {
    const shipped = SHIPPED_PASSWORD_HASHES.get(u.passwordHash);
    if (shipped) problems.push(`users[${i}].passwordHash: "${u.name}" still has the demo password of ${shipped}, which anyone can use ${why}: make a hash of your own with attendant hash-password`);
  });
  return problems;
}

/** ConfigError (exit 2, every problem named by its field) when exposureProblems finds any */
export function assertSafeToServe(cfg: Config): void {
  const problems = exposureProblems(cfg);
  if (problems.length) throw new ConfigError(problems);
}

type Env = Record<string, string | undefined>;

/** Environment variables the controller reads (docker/.env.example lists the same). */
export const ENV_VARS = [
  'ATTENDANT_CONFIG', 'ATTENDANT_ARI_URL', 'ATTENDANT_ARI_USER', 'ATTENDANT_ARI_PASSWORD',
  'ATTENDANT_AMI_HOST', 'ATTENDANT_AMI_USER', 'ATTENDANT_AMI_PASSWORD',
  'ATTENDANT_REDIS_URL', 'REDIS_URL', 'ATTENDANT_REDIS_PASSWORD', 'ATTENDANT_HTTP_PORT', 'ATTENDANT_NODE_ID',
  'ATTENDANT_METRICS_TOKEN',
] as const;

/** Secrets and addresses may come from the environment so they stay out of the YAML file. */
export function applyEnv(raw: unknown, env: Env): unknown {
  if (typeof raw !== 'object' || raw === null) return raw;
  const doc = structuredClone(raw) as Record<string, unknown>;
  const setIn = (path: string[], value: string | undefined, asNumber = false) => {
    if (value === undefined || value === '') return;
    let node: Record<string, unknown> = doc;
    for (const key of path.slice(0, -1)) {
      if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = asNumber ? Number(value) : value;
  };
  setIn(['asterisk', 'ari', 'url'], env.ATTENDANT_ARI_URL);
  setIn(['asterisk', 'ari', 'user'], env.ATTENDANT_ARI_USER);
  setIn(['asterisk', 'ari', 'password'], env.ATTENDANT_ARI_PASSWORD);
  setIn(['asterisk', 'ami', 'host'], env.ATTENDANT_AMI_HOST);
  setIn(['asterisk', 'ami', 'user'], env.ATTENDANT_AMI_USER);
  setIn(['asterisk', 'ami', 'password'], env.ATTENDANT_AMI_PASSWORD);
  setIn(['redis', 'url'], env.ATTENDANT_REDIS_URL ?? env.REDIS_URL);
  setIn(['http', 'port'], env.ATTENDANT_HTTP_PORT, true);
  setIn(['ha', 'nodeId'], env.ATTENDANT_NODE_ID);
  setIn(['metrics', 'token'], env.ATTENDANT_METRICS_TOKEN);
  const redis = doc.redis as Record<string, unknown> | undefined;
  if (env.ATTENDANT_REDIS_PASSWORD && typeof redis?.url === 'string' && URL.canParse(redis.url)) {
    const u = new URL(redis.url);
    u.password = env.ATTENDANT_REDIS_PASSWORD;
    redis.url = u.toString();
  }
  return doc;
}

/**
 * Read, parse and check a configuration file; with `serving` (the default: every command of the CLI
 * reads the file a controller serves) the listener checks of exposureProblems run too.
 */
export function loadConfigFile(path: string, env: Env = process.env, opts: { serving?: boolean } = {}): Config {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (err) {
    throw new ConfigError([`(file): cannot read ${path}: ${(err as Error).message}`]);
  }
  let raw: unknown;
  try { raw = parseYaml(text); } catch (err) {
    throw new ConfigError([`(file): ${path} is not valid YAML: ${(err as Error).message}`]);
  }
  const cfg = parseConfig(applyEnv(raw, env), { baseDir: dirname(path) });
  if (opts.serving ?? true) assertSafeToServe(cfg);
  return cfg;
}

/** Lookups the rest of the code needs often. */
export function classById(cfg: Config, classId: string): CallClassConfig | undefined {
  return cfg.classes.find((c) => c.id === classId);
}

/** the site's wall clock: site.timezone, else the first group schedule's zone, else UTC */
export function siteTimezone(cfg: Config): string {
  return cfg.site.timezone ?? cfg.groups.find((g) => g.schedule)?.schedule?.timezone ?? 'UTC';
}

/** the group told about wake-up calls nobody answered */
export function wakeupGroup(cfg: Config): string {
  return cfg.wakeup.group ?? cfg.groups[0]!.id;
}
