import assert from 'node:assert/strict';
import { historyOf } from '../../../lib/calls/traffic-recorder.ts';
import type { CallRecord, CallRecordBag } from '../../../lib/domain/model.ts';
import { callBridgeId } from '../../../lib/domain/ids.ts';
import { enterBridge, leaveBridge, openStay, stayKind, type BridgeRef } from '../../../lib/domain/stays.ts';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const s = (sec: number): number => T0 + sec * 1000;
// the ids the controller gives call c1's bridges (lib/calls/ids.ts), and what its routing table says each is for
const CALL = callBridgeId('call', 'c1', 7);
const HOLD = callBridgeId('hold', 'c1', 8);
const XFER = callBridgeId('xfer', 'c1', 9);
const OTHER_HOLD = callBridgeId('hold', 'c2', 10);
const PURPOSES = new Map<string, BridgeRef['purpose']>([
  [CALL, { role: 'call', callId: 'c1' }], [HOLD, { role: 'hold', callId: 'c1' }], [XFER, { role: 'xfer', callId: 'c1' }],
  [OTHER_HOLD, { role: 'hold', callId: 'c2' }], ['attendant-wait-operators', { role: 'wait' }],
]);
const mixing = (id: string): BridgeRef => ({ id, bridge_type: 'mixing', purpose: PURPOSES.get(id) });
const holding = (id: string): BridgeRef => ({ id, bridge_type: 'holding', purpose: PURPOSES.get(id) });

function call(fields: Partial<CallRecordBag> = {}): CallRecord {
  return {
    id: 'c1', callClass: 'external', priority: 5, group: 'operators', alsoGroups: [], state: 'talking', callerNumber: '0155501234',
    callerName: '', target: 'operators', arrivedAt: T0, ringingLegs: [], refusedBy: [], attendant: 'att1', leg: 'c1-p1', ...fields,
  } as CallRecord;
}

describe('bridge stays', () => {
  it('given the bridges the controller uses, when classified, then its hold bridges are held, mixing bridges but its xfer bridges are talk, queue bridges neither', () => {
    assert.equal(stayKind('c1', holding(HOLD)), 'held');
    assert.equal(stayKind('c1', mixing(CALL)), 'talk');
    assert.equal(stayKind('c1', mixing('conf-c1')), 'talk', 'a conference the caller is in');
    assert.equal(stayKind('c1', mixing(XFER)), undefined, 'handed over to a transfer target');
    assert.equal(stayKind('c1', holding('attendant-wait-operators')), undefined);
    assert.equal(stayKind('c1', holding(OTHER_HOLD)), undefined, 'another call\'s holding bridge');
    assert.equal(stayKind('c1', holding(callBridgeId('hold', 'c1', 11))), undefined, 'a bridge the routing table does not know: its id says nothing');
  });

  it('given talk, hold and retrieve, when the caller moves between bridges, then each stay opens on enter and closes on leave or on the next enter', () => {
    let c = call();
    c = leaveBridge(enterBridge(c, holding('attendant-wait-operators'), s(0)), 'attendant-wait-operators', s(5));
    assert.equal(c.stays, undefined, 'waiting in the queue is no stay');
    c = enterBridge(c, mixing(CALL), s(5));
    assert.deepEqual(openStay(c), { kind: 'talk', bridge: CALL, start: s(5), attendant: 'att1' });
    assert.equal(enterBridge(c, mixing(CALL), s(6)), c, 'a repeated enter changes nothing');
    c = leaveBridge(c, CALL, s(65));
    c = enterBridge(c, holding(HOLD), s(65));
    c = enterBridge({ ...c, attendant: 'att2' } as CallRecord, mixing(CALL), s(95)); // moved without a left event seen first
    c = leaveBridge(c, HOLD, s(95));
    assert.equal(leaveBridge(c, 'other', s(100)), c, 'leaving a bridge the caller is not in changes nothing');
    assert.deepEqual(c.stays, [
      { kind: 'talk', bridge: CALL, start: s(5), end: s(65), attendant: 'att1' },
      { kind: 'held', bridge: HOLD, start: s(65), end: s(95) },
      { kind: 'talk', bridge: CALL, start: s(95), attendant: 'att2' },
    ]);
  });

  it('given a call ending with the caller still in its bridge, when it is counted, then the open stay ends at the end and the wait at the first answer', () => {
    const ended = call({
      state: 'ended', firstAnsweredAt: s(5), answeredAt: s(95), endedAt: s(155), endReason: 'completed', attendant: 'att2',
      stays: [
        { kind: 'talk', bridge: 'call-c1', start: s(5), end: s(65), attendant: 'att1' },
        { kind: 'held', bridge: 'hold-c1', start: s(65), end: s(95) },
        { kind: 'talk', bridge: 'call-c1', start: s(95), attendant: 'att2' },
      ],
    });
    const h = historyOf(ended);
    assert.equal(h.answeredAt, s(5));
    assert.equal(h.outcome, 'answered');
    assert.deepEqual(h.talk, [{ start: s(5), end: s(65), attendant: 'att1' }, { start: s(95), end: s(155), attendant: 'att2' }]);
    assert.deepEqual(h.held, [{ start: s(65), end: s(95) }]);
  });

  it('given a record without stays (stored before they were kept), when counted, then it talks from answer to end as before', () => {
    const h = historyOf(call({ state: 'ended', answeredAt: s(5), endedAt: s(65), endReason: 'completed' }));
    assert.deepEqual(h.talk, [{ start: s(5), end: s(65) }]);
    assert.equal(h.held, undefined);
  });

  it('given a call overflowed with mutual help (it stays in its group, overflowedFrom its own group), when counted, then the helpers are named and it is no overflow-in visit', () => {
    const h = historyOf(call({ state: 'ended', answeredAt: s(70), endedAt: s(130), endReason: 'completed', alsoGroups: ['backup'], overflowedFrom: 'operators' }));
    assert.deepEqual([h.group, h.overflowedFrom, h.helpedBy], ['operators', undefined, ['backup']]);
    const moved = historyOf(call({ state: 'ended', group: 'backup', answeredAt: s(70), endedAt: s(130), endReason: 'completed', overflowedFrom: 'operators' }));
    assert.deepEqual([moved.group, moved.overflowedFrom, moved.helpedBy], ['backup', 'operators', undefined]);
  });

  it('given a blocked call of a loss group, when counted, then it is lost, not night service', () => {
    assert.equal(historyOf(call({ state: 'ended', endedAt: T0, endReason: 'divert:queue-full' })).outcome, 'lost');
    assert.equal(historyOf(call({ state: 'ended', endedAt: T0, endReason: 'divert:night' })).outcome, 'night');
  });
});
