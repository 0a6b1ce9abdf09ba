// What the real-Asterisk bench measures, taken from the wire: dumpcap captures Asterisk's SIP and
// HTTP (ARI) ports on the loopback interface while a load runs, and the presentation latency of a call is the kernel's
// timestamp of the set's first INVITE minus that of the caller's INVITE. Both packets are stamped by
// the same kernel on the same interface when they are sent, so neither SIPp's scheduling (its own
// trace stamps a message when its loop gets to it) nor a busy core at either end is in the figure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** the capture program: dumpcap (Debian package wireshark-common, pulled in by tshark) */
export function findDumpcap(): { bin: string } | { missing: string } {
  const bin = process.env.DUMPCAP_BIN ?? 'dumpcap';
  const res = spawnSync(bin, ['-D'], { encoding: 'utf8' });
  if (res.error) return { missing: 'no dumpcap (Debian package wireshark-common or tshark)' };
  if (!/\blo\b/.test(res.stdout ?? '')) return { missing: `dumpcap cannot capture on the loopback interface (needs root or CAP_NET_RAW): ${(res.stderr ?? '').trim().split('\n')[0]}` };
  return { bin };
}

/** one capture of the loopback interface (a capture filter, `udp port 15060`), into a classic pcap file */
export class Capture {
  /** the captures running: a run that fails or is interrupted stops them (killAll) */
  private static readonly live = new Set<ChildProcess>();

  private constructor(private readonly proc: ChildProcess, readonly file: string, private readonly exited: Promise<void>, private readonly said: () => string) {}

  static async start(bin: string, file: string, filter: string): Promise<Capture> {
    // a kernel buffer of 64 MiB: at hundreds of calls a second the default 2 MiB drops packets
    const proc = spawn(bin, ['-i', 'lo', '-f', filter, '-B', '64', '-P', '-q', '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    Capture.live.add(proc);
    const exited = new Promise<void>((r) => proc.once('exit', () => { Capture.live.delete(proc); r(); }));
    let said = '';
    // it says "Capturing on ..." once the filter is set and the interface open
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dumpcap did not start capturing: ${said}`)), 10_000);
      proc.stderr?.on('data', (d: Buffer) => {
        said += d.toString();
        if (said.includes('Capturing on')) { clearTimeout(timer); resolve(); }
      });
      proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`dumpcap exited (${code}): ${said}`)); });
    });
    // it says so a moment before its loop takes the first packet: without this pause the first call
    // of a load was missing from one capture in three
    await new Promise((r) => setTimeout(r, 500));
    return new Capture(proc, file, exited, () => said);
  }

  static killAll(): void {
    for (const proc of Capture.live) proc.kill('SIGKILL');
  }

  /** stop (it writes what it holds), then what was captured, and how many packets it says it dropped */
  async stop(): Promise<ReturnType<typeof readCapture> & { dropped: number }> {
    this.proc.kill('SIGTERM');
    await this.exited;
    // "Packets received/dropped on interface 'lo': 1200/3 (pcap:3/dumpcap:0/flushed:0/ps_ifdrop:0)"
    const dropped = /received\/dropped.*:\s*\d+\/(\d+)\s*\(/.exec(this.said())?.[1];
    return { ...readCapture(readFileSync(this.file)), dropped: Number(dropped ?? 0) };
  }
}

/** a SIP message seen on the wire */
export interface SipPacket {
  /** kernel timestamp, ms since the epoch with µs precision */
  t: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** the request's method, or undefined for a response */
  method?: string;
  /** the user part of From */
  fromUser: string;
  /** To carries a tag: a request inside a dialog (a re-INVITE), not one that starts a call */
  inDialog: boolean;
}

const LINK_HEADER: Record<number, number> = { 1: 14, 113: 16, 276: 20 };

/** an ARI request an app sent (the first segment of an HTTP request to Asterisk's port) */
export interface AriRequest {
  t: number;
  method: string;
  path: string;
}

/**
 * A classic pcap file (µs or ns stamps; Ethernet, or Linux cooked from `-i any`): its UDP payloads
 * read as SIP, its TCP segments that start an HTTP request to ARI (`/ari/...`) as ARI requests
 */
export function readCapture(buf: Buffer): { sip: SipPacket[]; ari: AriRequest[] } {
  const sip: SipPacket[] = [];
  const ari: AriRequest[] = [];
  if (buf.length < 24) return { sip, ari };
  const magic = buf.readUInt32LE(0);
  const nanos = magic === 0xa1b23c4d;
  if (magic !== 0xa1b2c3d4 && !nanos) throw new Error('not a little-endian classic pcap file (dumpcap -P)');
  const linkHeader = LINK_HEADER[buf.readUInt32LE(20)];
  if (linkHeader === undefined) throw new Error(`pcap link type ${buf.readUInt32LE(20)} is not read here`);
  for (let at = 24; at + 16 <= buf.length;) {
    const t = buf.readUInt32LE(at) * 1000 + buf.readUInt32LE(at + 4) / (nanos ? 1e6 : 1e3);
    const caught = buf.readUInt32LE(at + 8);
    const ip = at + 16 + linkHeader;
    at += 16 + caught;
    if (ip + 28 > at || buf[ip]! >> 4 !== 4) continue;
    const l4 = ip + (buf[ip]! & 0x0f) * 4;
    if (buf[ip + 9] === 6 && l4 + 20 <= at) {
      const http = /^([A-Z]+) (\/ari\/[^ ?]*)/.exec(buf.toString('latin1', l4 + (buf[l4 + 12]! >> 4) * 4, Math.min(at, l4 + 200)));
      if (http) ari.push({ t, method: http[1]!, path: http[2]! });
      continue;
    }
    if (buf[ip + 9] !== 17) continue;
    const message = parseSip(buf.toString('latin1', l4 + 8, at));
    if (!message) continue;
    sip.push({
      t, src: buf.subarray(ip + 12, ip + 16).join('.'), dst: buf.subarray(ip + 16, ip + 20).join('.'),
      sport: buf.readUInt16BE(l4), dport: buf.readUInt16BE(l4 + 2), ...message,
    });
  }
  return { sip, ari };
}

function parseSip(text: string): Pick<SipPacket, 'method' | 'fromUser' | 'inDialog'> | undefined {
  const end = text.indexOf('\r\n\r\n');
  const lines = (end < 0 ? text : text.slice(0, end)).split('\r\n');
  const first = lines[0] ?? '';
  const request = /^([A-Z]+) sip:/.exec(first);
  if (!request && !first.startsWith('SIP/2.0 ')) return undefined;
  const header = (...names: string[]) => lines.find((l) => names.includes(l.slice(0, l.indexOf(':')).trim().toLowerCase())) ?? '';
  return {
    ...(request ? { method: request[1]! } : {}),
    fromUser: /sips?:([^@;>\s]+)@/.exec(header('from', 'f'))?.[1] ?? '',
    inDialog: /;\s*tag=/i.test(header('to', 't')),
  };
}

/** what a load gave, call by call: when its INVITE left the caller and when a set first received one for it */
export interface Presentations {
  /** callers' INVITEs seen (calls offered) */
  offered: number;
  /** ms from the caller's INVITE to the first INVITE a set received, one per presented call */
  latenciesMs: number[];
  /** first to last caller INVITE, ms (the rate really offered is offered / this) */
  spanMs: number;
}

/**
 * Pairs each caller's first INVITE (from `callerHost` to Asterisk) with the first new INVITE Asterisk
 * sent for that caller's number to anyone else (the set: the callers' numbers are unique in a load).
 */
export function presentations(packets: readonly SipPacket[], callerHost: string, asteriskPort: number, numberPrefix: string): Presentations {
  const sent = new Map<string, number>();
  const rang = new Map<string, number>();
  for (const p of packets) {
    if (p.method !== 'INVITE' || p.inDialog || !p.fromUser.startsWith(numberPrefix)) continue;
    if (p.src === callerHost && p.dport === asteriskPort) {
      if (!sent.has(p.fromUser)) sent.set(p.fromUser, p.t);
    } else if (p.sport === asteriskPort && p.dst !== callerHost && !rang.has(p.fromUser)) {
      rang.set(p.fromUser, p.t);
    }
  }
  const latenciesMs: number[] = [];
  for (const [number, t0] of sent) {
    const t1 = rang.get(number);
    if (t1 !== undefined && t1 >= t0) latenciesMs.push(t1 - t0);
  }
  const times = [...sent.values()];
  return { offered: sent.size, latenciesMs, spanMs: times.length > 1 ? Math.max(...times) - Math.min(...times) : 0 };
}
