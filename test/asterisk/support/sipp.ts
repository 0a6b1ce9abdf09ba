// SIPp user agents for the real-Asterisk suite: the attendant sets and extensions (UAS, one process a
// phone at its fixed port) and the trunk's callers (UAC, one process a call). Every process traces its
// messages; the tests judge a flow from what the phones saw on the wire (who was offered a call, who
// answered, who hung up whom, and when), not from what the controller says.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AST, ROOT } from './asterisk.ts';
import { writeDtmfPcap } from './dtmf-pcap.ts';

const SCENARIOS = join(ROOT, 'test/asterisk/sipp');
let workDir: string | undefined;

function dir(): string {
  workDir ??= mkdtempSync(join(tmpdir(), 'attendant-sipp-'));
  return workDir;
}

/** a scenario of test/asterisk/sipp/ with its {{NAME}} placeholders filled in, written to the work folder */
function scenario(file: string, values: Record<string, string | number>, tag: string): string {
  let text = readFileSync(join(SCENARIOS, file), 'utf8');
  for (const [k, v] of Object.entries(values)) text = text.replaceAll(`{{${k}}}`, String(v));
  const left = /\{\{([A-Z_]+)\}\}/.exec(text);
  if (left) throw new Error(`${file}: no value for {{${left[1]}}}`);
  const out = join(dir(), `${tag}-${file}`);
  writeFileSync(out, text);
  return out;
}

/** one SIP message as a SIPp process sent or received it */
export interface SipMessage {
  /** ms epoch */
  t: number;
  dir: 'in' | 'out';
  /** request method, or undefined for a response */
  method?: string;
  status?: number;
  callId: string;
  cseq: string;
  from: string;
  to: string;
  /** the user part of the request URI (a request) */
  ruser?: string;
  raw: string;
}

function header(lines: string[], name: string): string {
  const n = name.toLowerCase();
  const line = lines.find((l) => l.toLowerCase().startsWith(`${n}:`));
  return line ? line.slice(line.indexOf(':') + 1).trim() : '';
}

/** read a `-trace_msg` file (SIPp runs with TZ=UTC, so its local times are UTC) */
export function parseTrace(text: string): SipMessage[] {
  const out: SipMessage[] = [];
  for (const block of text.split(/^-{47} /m).slice(1)) {
    const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6})\n\S+ (?:control )?message (sent|received)[^\n]*\n\n([\s\S]*)$/.exec(block);
    if (!m) continue;
    const t = Date.parse(`${m[1]!.replace(' ', 'T').slice(0, 23)}Z`);
    const raw = m[3]!.trim();
    const lines = raw.split(/\r?\n/);
    const first = lines[0] ?? '';
    const resp = /^SIP\/2\.0 (\d{3})/.exec(first);
    const req = /^([A-Z]+) sip:([^@;>\s]*)@?/.exec(first);
    out.push({
      t, dir: m[2] === 'sent' ? 'out' : 'in', raw,
      ...(resp ? { status: Number(resp[1]) } : req ? { method: req[1]!, ruser: req[2]! } : {}),
      callId: header(lines, 'Call-ID') || header(lines, 'i'), cseq: header(lines, 'CSeq'), from: header(lines, 'From') || header(lines, 'f'), to: header(lines, 'To') || header(lines, 't'),
    });
  }
  return out;
}

/** nobody has bound this UDP port of `host` */
function udpPortFree(host: string, port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const u = createSocket('udp4');
    u.once('error', () => resolve(false));
    u.bind(port, host, () => u.close(() => resolve(true)));
  });
}

/** a free UDP port on `host` (SIPp's media port must not collide between processes) */
export async function freeUdpPort(host: string): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, host, () => { const p = (s.address() as { port: number }).port; s.close(() => resolve(p)); });
    });
    if (await udpPortFree(host, port)) return port;
  }
}

abstract class SippProcess {
  protected proc: ChildProcess | undefined;
  protected output = '';
  protected traceFile = '';
  protected exit: Promise<number> = Promise.resolve(0);

  /**
   * `trace: false` (the bench's load): no message trace, whose writing costs SIPp CPU at high rates;
   * then SIPp is taken to be listening once its `-i`/`-p` address is taken
   */
  protected async launch(tag: string, args: string[], trace = true): Promise<void> {
    this.traceFile = trace ? join(dir(), `${tag}-${Date.now()}.msg`) : '';
    const errFile = join(dir(), `${tag}-${Date.now()}.err`);
    const traceArgs = trace ? ['-trace_msg', '-message_file', this.traceFile] : [];
    const proc = spawn(process.env.SIPP_BIN ?? 'sipp', [...args, '-nostdin', ...traceArgs, '-trace_err', '-error_file', errFile], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' },
    });
    this.proc = proc;
    proc.stdout?.on('data', () => undefined);
    proc.stderr?.on('data', (d: Buffer) => { this.output += d.toString(); });
    this.exit = new Promise((resolve) => proc.once('exit', (code) => resolve(code ?? 1)));
    // SIPp is listening once it has opened its trace (it opens it after binding), or holds its port
    const arg = (name: string) => args[args.indexOf(name) + 1] ?? '';
    const listening = trace ? async () => existsSync(this.traceFile) : async () => !(await udpPortFree(arg('-i'), Number(arg('-p'))));
    const end = Date.now() + 5000;
    while (!(await listening()) && proc.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    if (proc.exitCode !== null && proc.exitCode !== 0) throw new Error(`sipp ${tag} exited (${proc.exitCode}): ${this.output}`);
  }

  /** a UAC towards Asterisk from `host` (at `port`, else a free one) */
  protected async launchFrom(tag: string, host: string, port: number | undefined, args: string[], trace = true): Promise<void> {
    // ports found free can be taken by another SIPp starting at the same moment: try again with others
    for (let attempt = 1; ; attempt++) {
      const p = port ?? await freeUdpPort(host);
      const mp = await freeUdpPort(host);
      try {
        await this.launch(tag, [`${AST.host}:${AST.sipPort}`, ...args, '-i', host, '-p', String(p), '-mp', String(mp), '-t', 'u1'], trace);
        return;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  }

  /** resolves with SIPp's exit code once it is done (a UAC: its calls are over) */
  finished(): Promise<number> {
    return this.exit;
  }

  /** every message so far */
  messages(): SipMessage[] {
    return this.traceFile && existsSync(this.traceFile) ? parseTrace(readFileSync(this.traceFile, 'utf8')) : [];
  }

  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    proc.kill('SIGKILL');
    await this.exit;
  }
}

export type PhoneBehaviour =
  /** rings, answers after answerMs, hangs up after talkMs of talk (default: never, the far end does) */
  | { kind: 'answer'; answerMs?: number; talkMs?: number }
  | { kind: 'busy' }
  | { kind: 'ringing' }
  /** answers, then afterMs into the call presses `keys` (RFC 4733 events), then talks */
  | { kind: 'keys'; answerMs?: number; afterMs: number; keys: string; talkMs?: number }
  /** answers, then afterMs into the call presses its transfer key: a blind REFER to `to` */
  | { kind: 'refer'; answerMs?: number; afterMs: number; to: string; talkMs?: number };

/** the scenario lines that press `keys`: a capture of their RFC 4733 events, played into the call, and time to send it */
function keyPresses(keys: string, tag: string): string {
  const file = join(dir(), `${tag}-keys-${Date.now()}.pcap`);
  writeDtmfPcap(file, keys);
  return `  <nop><action><exec play_pcap_audio="${file}"/></action></nop>\n  <pause milliseconds="${keys.length * 400 + 200}"/>`;
}

/** far enough in the future to mean "never" for a SIPp timeout */
const NEVER_MS = 24 * 3600 * 1000;

/** A phone at a fixed port of 127.0.0.1 (the overlay's contact for its endpoint), or the provider at the trunk's address. */
export class SippPhone extends SippProcess {
  behaviour: PhoneBehaviour = { kind: 'answer' };

  constructor(readonly user: string, readonly port: number, readonly host = '127.0.0.1') {
    super();
  }

  /** `trace: false`: no message trace (the bench; offers() and the like then see nothing) */
  async start(behaviour: PhoneBehaviour, trace = true): Promise<void> {
    await this.stop();
    this.behaviour = behaviour;
    const files: Record<PhoneBehaviour['kind'], string> = {
      answer: 'phone.xml', busy: 'phone-busy.xml', ringing: 'phone-ringing.xml', keys: 'phone-keys.xml', refer: 'phone-refer.xml',
    };
    const file = files[behaviour.kind];
    const values: Record<string, string | number> = { USER: this.user };
    if (behaviour.kind === 'answer' || behaviour.kind === 'keys' || behaviour.kind === 'refer') {
      Object.assign(values, { ANSWER_MS: Math.max(1, behaviour.answerMs ?? 300), TALK_MS: behaviour.talkMs ?? NEVER_MS });
    }
    if (behaviour.kind === 'keys') Object.assign(values, { KEYS_AFTER_MS: Math.max(1, behaviour.afterMs), KEYS: keyPresses(behaviour.keys, this.user) });
    if (behaviour.kind === 'refer') Object.assign(values, { KEYS_AFTER_MS: Math.max(1, behaviour.afterMs), REFER_TO: behaviour.to, ASTERISK: `${AST.host}:${AST.sipPort}` });
    const sf = scenario(file, values, this.user);
    // a fixed media port of its own: free ports picked for several phones at once could collide
    const mp = 20_000 + (this.port % 1000) * 4;
    await this.launch(this.user, ['-sf', sf, '-i', this.host, '-p', String(this.port), '-mp', String(mp), '-t', 'u1'], trace);
  }

  /** INVITEs that started a call here (re-INVITEs excluded), in order */
  offers(since = 0): SipMessage[] {
    const seen = new Set<string>();
    return this.messages().filter((m) => m.dir === 'in' && m.method === 'INVITE' && m.t >= since && !seen.has(m.callId) && seen.add(m.callId));
  }

  /** calls this phone answered (sent 200 to their first INVITE) */
  answered(since = 0): SipMessage[] {
    return this.messages().filter((m) => m.dir === 'out' && m.status === 200 && / INVITE$/.test(m.cseq) && m.t >= since)
      .filter((m, i, all) => all.findIndex((o) => o.callId === m.callId) === i);
  }

  /** BYEs this phone received (the far end hung up) or sent (it hung up) */
  byes(dir: 'in' | 'out', since = 0): SipMessage[] {
    return this.messages().filter((m) => m.dir === dir && m.method === 'BYE' && m.t >= since);
  }

  /** CANCELs received: presentations the far end stopped while this phone rang */
  cancels(since = 0): SipMessage[] {
    return this.messages().filter((m) => m.dir === 'in' && m.method === 'CANCEL' && m.t >= since);
  }

  /** calls up at this phone now: answered and no BYE either way */
  activeCalls(): string[] {
    const msgs = this.messages();
    const ended = new Set(msgs.filter((m) => m.method === 'BYE' || m.method === 'CANCEL').map((m) => m.callId));
    return [...new Set(this.answered().map((m) => m.callId))].filter((c) => !ended.has(c));
  }
}

export interface CallerOptions {
  /** the number dialled (the DID: [attendant-incoming]) */
  did?: string;
  number?: string;
  name?: string;
  /** unanswered after this long, the caller cancels (default: never) */
  giveUpMs?: number;
  /** answered, the caller hangs up after this long (default: never, the far end does) */
  talkMs?: number;
  /** a phone of the site instead of the trunk: its endpoint name and password (it answers the digest challenge) */
  phone?: { endpoint: string; password: string };
  /** the local port to call from (a set that registered from it) */
  port?: number;
}

/** One call: from the trunk (a SIPp UAC at the provider's address, 127.0.0.2), or from a phone of the site. */
export class SippCaller extends SippProcess {
  readonly number: string;
  private constructor(number: string) {
    super();
    this.number = number;
  }

  static async dial(opts: CallerOptions = {}): Promise<SippCaller> {
    const number = opts.phone?.endpoint ?? opts.number ?? `06${Math.floor(10_000_000 + Math.random() * 89_999_999)}`;
    const c = new SippCaller(number);
    const values = { CALLER_NUM: number, CALLER_NAME: opts.name ?? `Caller ${number.slice(-4)}`, GIVEUP_MS: opts.giveUpMs ?? NEVER_MS, TALK_MS: opts.talkMs ?? NEVER_MS };
    const sf = opts.phone
      ? scenario('dialer.xml', { ...values, PASSWORD: opts.phone.password }, `dialer-${number}`)
      : scenario('caller.xml', values, `caller-${number}`);
    await c.launchFrom(`caller-${number}`, opts.phone ? AST.host : AST.trunkHost, opts.port, ['-sf', sf, '-s', opts.did ?? '0155512000', '-m', '1']);
    return c;
  }

  /** the caller's call was answered (by the controller: as its attendant answers, or as it comes to wait with music) */
  answeredAt(): number | undefined {
    return this.messages().find((m) => m.dir === 'in' && m.status === 200 && / INVITE$/.test(m.cseq))?.t;
  }

  /** when the caller hung up (sent BYE or CANCEL), or undefined */
  hungUpAt(): number | undefined {
    return this.messages().find((m) => m.dir === 'out' && (m.method === 'BYE' || m.method === 'CANCEL'))?.t;
  }

  /** when the far end hung up on the caller (BYE received), or undefined */
  releasedAt(): number | undefined {
    return this.messages().find((m) => m.dir === 'in' && m.method === 'BYE')?.t;
  }

  /** a final refusal of the INVITE (4xx-6xx), or undefined */
  refusedWith(): number | undefined {
    return this.messages().find((m) => m.dir === 'in' && m.status !== undefined && m.status >= 400 && m.status !== 401 && m.status !== 407 && / INVITE$/.test(m.cseq))?.status;
  }

  /** still in the call: answered, and nobody hung up */
  connected(): boolean {
    return this.answeredAt() !== undefined && this.hungUpAt() === undefined && this.releasedAt() === undefined;
  }

  /** still calling, answered or not (a caller a set rings for hears ringback): nobody hung up, nothing refused it */
  inCall(): boolean {
    return this.hungUpAt() === undefined && this.releasedAt() === undefined && this.refusedWith() === undefined;
  }

  /** the SIP Call-ID of the caller's call (the key to find it in Asterisk) */
  callId(): string | undefined {
    return this.messages()[0]?.callId;
  }
}

/** many calls from the trunk in one SIPp process (the real-Asterisk bench) */
export interface CallerLoadOptions {
  did: string;
  /** every call comes from this prefix followed by SIPp's call number (1, 2, ...): the key to find it on the wire */
  numberPrefix: string;
  calls: number;
  /** new calls a second */
  rate: number;
  /** calls up at once at most: 1 places them one after another */
  concurrent: number;
  /** the caller hangs up this long after its answer, unless the far end did first; unanswered, it gives up after it */
  talkMs: number;
}

/** The trunk's far end placing `calls` calls at `rate` a second, without a message trace (the wire is captured instead). */
export class SippCallerLoad extends SippProcess {
  static async start(o: CallerLoadOptions): Promise<SippCallerLoad> {
    const load = new SippCallerLoad();
    const sf = scenario('caller.xml', { CALLER_NUM: `${o.numberPrefix}[call_number]`, CALLER_NAME: 'Load', GIVEUP_MS: o.talkMs, TALK_MS: o.talkMs }, `load-${o.numberPrefix}`);
    await load.launchFrom(`load-${o.numberPrefix}`, AST.trunkHost, undefined, [
      '-sf', sf, '-s', o.did, '-m', String(o.calls), '-r', String(o.rate), '-rp', '1000', '-l', String(o.concurrent),
      // a call left without an answer to its message is dropped, not kept until the run ends
      '-recv_timeout', String(o.talkMs + 10_000),
    ], false);
    return load;
  }
}

/** the end of a run: SIPp's traces and scenarios go, unless KEEP_ASTERISK_DIR asks to keep them */
export function removeScratch(): void {
  if (workDir && !process.env.KEEP_ASTERISK_DIR) rmSync(workDir, { recursive: true, force: true });
  workDir = undefined;
}

/** a folder for the suite's own scratch files (controller configs) */
export function scratchDir(name: string): string {
  const d = join(dir(), name);
  mkdirSync(d, { recursive: true });
  return d;
}

/** a set registers its contact, at this port of 127.0.0.1, with its password; resolves with SIPp's exit code */
export async function registerSet(endpoint: string, password: string, port: number): Promise<number> {
  const r = new (class extends SippProcess {
    async run(): Promise<number> {
      const sf = scenario('register.xml', { USER: endpoint, PASSWORD: password }, `register-${endpoint}`);
      const mp = await freeUdpPort(AST.host);
      await this.launch(`register-${endpoint}`, [`${AST.host}:${AST.sipPort}`, '-sf', sf, '-i', AST.host, '-p', String(port), '-mp', String(mp), '-m', '1', '-t', 'u1']);
      return this.exit;
    }
  })();
  return r.run();
}
