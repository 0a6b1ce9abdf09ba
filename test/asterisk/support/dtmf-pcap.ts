// Key presses as a set sends them, RFC 4733 telephone events (payload type 101, as the phones' SDP
// says), written as a pcap file that SIPp replays into the call (`play_pcap_audio`). SIPp's own
// captures give every key the same RTP timestamp, so Asterisk takes a second key for the first one
// still going on; here each key is an event of its own: new timestamp, marker bit, three end packets.
import { writeFileSync } from 'node:fs';

const PT = 101;
const EVENT: Record<string, number> = { '*': 10, '#': 11 };
/** one key: events every 20 ms for 140 ms, then the end three times */
const TONE_PACKETS = 7;
const END_PACKETS = 3;
const KEY_GAP_MS = 250;

function packet(seq: number, timestamp: number, ssrc: number, marker: boolean, event: number, end: boolean, duration: number): Buffer {
  const rtp = Buffer.alloc(16);
  rtp.writeUInt8(0x80, 0);
  rtp.writeUInt8((marker ? 0x80 : 0) | PT, 1);
  rtp.writeUInt16BE(seq & 0xffff, 2);
  rtp.writeUInt32BE(timestamp >>> 0, 4);
  rtp.writeUInt32BE(ssrc >>> 0, 8);
  rtp.writeUInt8(event, 12);
  rtp.writeUInt8((end ? 0x80 : 0) | 10, 13);
  rtp.writeUInt16BE(duration, 14);
  return udpFrame(rtp);
}

/** an Ethernet frame holding one IPv4 UDP datagram (SIPp replays only the payload: the addresses are its own) */
export function udpFrame(payload: Buffer, from = { host: '127.0.0.1', port: 6000 }, to = { host: '127.0.0.1', port: 6000 }): Buffer {
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(from.port, 0);
  udp.writeUInt16BE(to.port, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(20 + udp.length + payload.length, 2);
  ip.writeUInt8(64, 8);
  ip.writeUInt8(17, 9);
  Buffer.from(from.host.split('.').map(Number)).copy(ip, 12);
  Buffer.from(to.host.split('.').map(Number)).copy(ip, 16);
  const eth = Buffer.alloc(14);
  eth.writeUInt16BE(0x0800, 12);
  return Buffer.concat([eth, ip, udp, payload]);
}

/** a classic pcap file (µs timestamps, Ethernet) of these frames at these times (ms) */
export function pcapFile(records: ReadonlyArray<{ ms: number; frame: Buffer }>): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const out: Buffer[] = [header];
  for (const { ms, frame } of records) {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(ms / 1000), 0);
    rec.writeUInt32LE(Math.round((ms % 1000) * 1000), 4);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    out.push(rec, frame);
  }
  return Buffer.concat(out);
}

/** write `keys` (0-9, *, #) to `file` as one pcap of RFC 4733 events, a quarter of a second apart */
export function writeDtmfPcap(file: string, keys: string): void {
  const records: Array<{ ms: number; frame: Buffer }> = [];
  const ssrc = Math.floor(Math.random() * 2 ** 32);
  let seq = Math.floor(Math.random() * 30_000);
  let timestamp = Math.floor(Math.random() * 2 ** 30);
  let atMs = 0;
  for (const key of keys) {
    const event = EVENT[key] ?? Number(key);
    if (!Number.isInteger(event) || event < 0 || event > 11) throw new Error(`no RFC 4733 event for key "${key}"`);
    for (let i = 0; i < TONE_PACKETS + END_PACKETS; i++) {
      const end = i >= TONE_PACKETS;
      const duration = (end ? TONE_PACKETS : i + 1) * 160;
      records.push({ ms: atMs + Math.min(i, TONE_PACKETS) * 20, frame: packet(seq++, timestamp, ssrc, i === 0, event, end, duration) });
    }
    timestamp += 8000;
    atMs += TONE_PACKETS * 20 + KEY_GAP_MS;
  }
  writeFileSync(file, pcapFile(records));
}
