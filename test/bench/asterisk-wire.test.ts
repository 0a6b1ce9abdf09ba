// The real-Asterisk bench reads its latencies from a capture of the wire (bench/asterisk/wire.ts):
// a capture built here, with the messages a load sends, gives the figures it should.
import assert from 'node:assert/strict';
import { presentations, readCapture } from '../../bench/asterisk/wire.ts';
import { pcapFile, udpFrame } from '../asterisk/support/dtmf-pcap.ts';

const CALLER = { host: '127.0.0.2', port: 40000 };
const ASTERISK = { host: '127.0.0.1', port: 15060 };
const SET1 = { host: '127.0.0.1', port: 15071 };
const SET2 = { host: '127.0.0.1', port: 15302 };

function sip(first: string, from: string, toTag = ''): Buffer {
  return Buffer.from(`${first}\r\nVia: SIP/2.0/UDP x\r\nFrom: "Load" <sip:${from}@127.0.0.2:40000>;tag=1\r\nTo: <sip:x@127.0.0.1>${toTag}\r\nCSeq: 1 INVITE\r\n\r\nv=0\r\n`);
}

const at = (ms: number, frame: Buffer) => ({ ms: 1_800_000_000_000 + ms, frame });

describe('bench:asterisk wire capture', () => {
  const capture = pcapFile([
    at(0, udpFrame(sip('INVITE sip:7770002@127.0.0.1:15060 SIP/2.0', '060011'), CALLER, ASTERISK)),
    at(0.1, udpFrame(sip('SIP/2.0 100 Trying', '060011', ';tag=as'), ASTERISK, CALLER)),
    at(4.25, udpFrame(sip('INVITE sip:att1@127.0.0.1:15071 SIP/2.0', '060011'), ASTERISK, SET1)),
    // a retransmission of the caller's INVITE, and a re-INVITE in the set's dialog: neither starts anything
    at(500, udpFrame(sip('INVITE sip:7770002@127.0.0.1:15060 SIP/2.0', '060011'), CALLER, ASTERISK)),
    at(600, udpFrame(sip('INVITE sip:att1@127.0.0.1:15071 SIP/2.0', '060011', ';tag=s1'), ASTERISK, SET1)),
    at(10, udpFrame(sip('INVITE sip:7770002@127.0.0.1:15060 SIP/2.0', '060012'), CALLER, ASTERISK)),
    at(12.5, udpFrame(sip('INVITE sip:att2@127.0.0.1:15302 SIP/2.0', '060012'), ASTERISK, SET2)),
    // nobody was offered this one; and a call of another load
    at(20, udpFrame(sip('INVITE sip:7770002@127.0.0.1:15060 SIP/2.0', '060013'), CALLER, ASTERISK)),
    at(21, udpFrame(sip('INVITE sip:7770002@127.0.0.1:15060 SIP/2.0', '060021'), CALLER, ASTERISK)),
  ]);

  it('given a pcap of SIP over loopback, when read, then every message has its time, addresses, method, caller and dialog', () => {
    const packets = readCapture(capture).sip;
    assert.equal(packets.length, 9, 'nine messages');
    const [invite, trying] = packets;
    assert.deepEqual({ ...invite, t: Math.round(invite!.t) }, {
      t: 1_800_000_000_000, src: '127.0.0.2', sport: 40000, dst: '127.0.0.1', dport: 15060, method: 'INVITE', fromUser: '060011', inDialog: false,
    });
    assert.equal(trying!.method, undefined, 'a response has no method');
    assert.equal(packets[4]!.inDialog, true, 'a To tag: inside a dialog');
  });

  it('given a load\'s messages, when paired, then each latency is the caller\'s first INVITE to the first INVITE a set received for it', () => {
    const p = presentations(readCapture(capture).sip, '127.0.0.2', 15060, '06001');
    assert.equal(p.offered, 3, 'three callers of this load');
    assert.deepEqual(p.latenciesMs.map((x) => Math.round(x * 1000) / 1000).sort((a, b) => a - b), [2.5, 4.25]);
    assert.equal(Math.round(p.spanMs), 20, 'first to last caller INVITE');
  });
});
