// Calls over HTTP: listing, and the operations' input checks, positions and roles. The operations
// themselves are the switchboard's (test/integration/operations.test.ts, consult.test.ts and
// services.test.ts cover them over ARI; test/api/call-flow.test.ts drives them end to end over HTTP).
import assert from 'node:assert/strict';
import type { Harness } from '../support/harness.ts';
import { startApiHarness, type Api, type ErrorReply } from './support.ts';

interface CallReply { id: string; state: string; callerNumber: string; callerName: string; className: string; group: string; priority: number; removed: boolean }

describe('API calls', function () {
  this.timeout(30_000);
  let h: Harness;
  let api: Api;
  let ringing: string;
  let waiting: string;
  before(async () => {
    ({ h, api } = await startApiHarness());
    await h.switchboard.attendantAction('att2', { type: 'dnd', on: true });
    ringing = h.call({ number: '0155501234', name: 'Dupont' });
    await h.until('att1 rings', () => h.attendant('att1').state === 'ringing');
    waiting = h.call({ number: '0611223344', name: 'Martin', class: 'urgent' });
    await h.until('second call waits', () => h.callRecord(waiting)?.state === 'waiting');
  });
  after(async () => { await h.stop(); });

  it('given a ringing and a waiting call, when listed, then both come oldest first with class, priority and caller', async () => {
    const r = await api.as<{ calls: CallReply[] }>('alice', 'GET', '/api/calls');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.calls.map((c) => [c.id, c.state, c.callerNumber, c.className, c.priority, c.removed]), [
      [ringing, 'ringing', '0155501234', 'external', 5, false],
      [waiting, 'waiting', '0611223344', 'urgent', 9, false],
    ]);
    const onlyWaiting = await api.as<{ calls: CallReply[] }>('alice', 'GET', '/api/calls?state=waiting');
    assert.deepEqual(onlyWaiting.body.calls.map((c) => c.id), [waiting]);
    const otherGroup = await api.as<{ calls: CallReply[] }>('alice', 'GET', '/api/calls?group=backup');
    assert.deepEqual(otherGroup.body.calls, []);
    const one = await api.as<CallReply>('alice', 'GET', `/api/calls/${waiting}`);
    assert.equal(one.body.callerName, 'Martin');
    assert.equal((await api.as('alice', 'GET', '/api/calls/1.999')).status, 404);
  });

  it('given bad filters, when calls are listed, then 400 names the query field', async () => {
    for (const [q, field] of [['state=lost', 'query.state'], ['group=a:b', 'query.group'], ['colour=red', 'query.colour'], ['state=waiting&state=held', 'query.state']] as const) {
      const r = await api.as<ErrorReply>('alice', 'GET', `/api/calls?${q}`);
      assert.deepEqual([r.status, r.body.error.field], [400, field], q);
    }
  });

  it('given alice ringing, when she picks the waiting call, asks for the next, or releases or transfers the call still ringing, then 409 invalid_state and no state changes', async () => {
    const before = JSON.stringify(h.callRecords());
    const answer = await api.as<ErrorReply>('alice', 'POST', `/api/calls/${waiting}/answer`);
    assert.deepEqual([answer.status, answer.body.error.code], [409, 'invalid_state']);
    assert.equal((await api.as('alice', 'POST', '/api/calls/answer-next')).status, 409);
    const release = await api.as<ErrorReply>('alice', 'POST', `/api/calls/${ringing}/hangup`);
    assert.deepEqual([release.status, release.body.error.code], [409, 'invalid_state']);
    assert.equal((await api.as('alice', 'POST', `/api/calls/${ringing}/transfer`, { target: '201' })).status, 409);
    assert.equal(JSON.stringify(h.callRecords()), before);
  });

  it('given a call presented to alice, when bob releases it, then 403 not_your_call; an unknown call is 404 unknown_call', async () => {
    const before = JSON.stringify(h.callRecords());
    const theirs = await api.as<ErrorReply>('bob', 'POST', `/api/calls/${ringing}/hangup`);
    assert.deepEqual([theirs.status, theirs.body.error.code], [403, 'not_your_call']);
    const unknown = await api.as<ErrorReply>('alice', 'POST', '/api/calls/1.999/hangup');
    assert.deepEqual([unknown.status, unknown.body.error.code], [404, 'unknown_call']);
    assert.equal(JSON.stringify(h.callRecords()), before);
  });

  it('given each call operation, when its body is wrong, then 400 names the field', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['transfer', {}, 'body.target'],
      ['transfer', { target: 'reception' }, 'body.target'],
      ['transfer', { target: '1'.repeat(33) }, 'body.target'],
      ['transfer', { target: 201 }, 'body.target'],
      ['consult', { target: '' }, 'body.target'],
      ['conference', { target: '12a' }, 'body.target'],
      ['split', {}, 'body.party'],
      ['split', { party: '../etc' }, 'body.party'],
      ['hold', { slot: 3 }, 'body.slot'],
      ['park', { attendant: 'a b' }, 'body.attendant'],
      ['hangup', { now: true }, 'body.now'],
      ['complete', [], 'body'],
      ['cancel', { attendant: 7 }, 'body.attendant'],
      ['swap', { x: 1 }, 'body.x'],
      ['leave', { y: 1 }, 'body.y'],
      ['answer', { attendant: null }, 'body.attendant'],
    ];
    for (const [op, body, field] of cases) {
      const r = await api.as<ErrorReply>('alice', 'POST', `/api/calls/${ringing}/${op}`, body);
      assert.equal(r.status, 400, `${op} ${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.body.error.field, field, `${op} ${JSON.stringify(body)}`);
      assert.ok(r.body.error.details && r.body.error.details.length >= 1, 'r.body.error.details && r.body.error.details.length >= 1');
    }
    const badId = await api.as<ErrorReply>('alice', 'POST', '/api/calls/%20x/hangup');
    assert.deepEqual([badId.status, badId.body.error.field], [400, 'params.id']);
    const badSlot = await api.as<ErrorReply>('alice', 'POST', '/api/park/one/pickup');
    assert.deepEqual([badSlot.status, badSlot.body.error.field], [400, 'params.slot']);
    const badHold = await api.as<ErrorReply>('alice', 'POST', '/api/hold/99999/retrieve');
    assert.deepEqual([badHold.status, badHold.body.error.field], [400, 'params.slot']);
  });

  it('given monitoring, when an operator asks, then 403; a supervisor reaches the operation (409: a ringing call is not a conversation); a bad mode is 400', async () => {
    assert.equal((await api.as('alice', 'POST', `/api/calls/${ringing}/monitor`, { mode: 'listen' })).status, 403);
    const sup = await api.as<ErrorReply>('sam', 'POST', `/api/calls/${ringing}/monitor`, { mode: 'whisper' });
    assert.deepEqual([sup.status, sup.body.error.code], [409, 'invalid_state']);
    const mode = await api.as<ErrorReply>('sam', 'POST', `/api/calls/${ringing}/monitor`, { mode: 'spy' });
    assert.deepEqual([mode.status, mode.body.error.field], [400, 'body.mode']);
    assert.equal((await api.as('alice', 'POST', '/api/monitor/s1/stop')).status, 403);
  });

  it('given a login without a position, when it answers a call, then 422 no_position names body.attendant; naming a position as an operator is 403', async () => {
    const r = await api.as<ErrorReply>('nopos', 'POST', `/api/calls/${waiting}/answer`);
    assert.deepEqual([r.status, r.body.error.code, r.body.error.field], [422, 'no_position', 'body.attendant']);
    assert.equal((await api.as('nopos', 'POST', `/api/calls/${waiting}/answer`, { attendant: 'att1' })).status, 403);
    assert.equal((await api.as('root', 'POST', `/api/calls/${waiting}/answer`, { attendant: 'att9' })).status, 404);
    assert.equal((await api.as('root', 'POST', `/api/calls/${waiting}/answer`, { attendant: 'att2' })).status, 409);
  });

  it('given the extension services, when their inputs are wrong, then 400 names the field; valid ones reach the operations', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['PUT', '/api/extensions/200/dnd', {}, 'body.on'],
      ['PUT', '/api/extensions/abc/dnd', { on: true }, 'params.number'],
      ['PUT', '/api/extensions/200/dnd', { on: true, until: -5 }, 'body.until'],
      ['POST', '/api/wakeups', { extension: '200', time: '25:00' }, 'body.time'],
      ['POST', '/api/wakeups', { extension: '200', time: '07:30', daily: 'yes' }, 'body.daily'],
      ['POST', '/api/wakeups', { time: '07:30' }, 'body.extension'],
      ['DELETE', '/api/wakeups/a:b', undefined, 'params.id'],
      ['POST', '/api/extensions/200/messages', { text: '   ' }, 'body.text'],
      ['POST', '/api/extensions/200/messages', { text: 'x'.repeat(501) }, 'body.text'],
      ['POST', '/api/extensions/200/messages/m:1/read', undefined, 'params.id'],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await api.as<ErrorReply>('alice', method, path, body);
      assert.equal(r.status, 400, `${method} ${path} ${JSON.stringify(body)}: ${r.text}`);
      assert.equal(r.body.error.field, field, `${method} ${path}`);
    }
    // valid ones reach the services (test/integration/services.test.ts covers them over ARI)
    for (const [method, path, body, status] of [
      ['PUT', '/api/extensions/200/dnd', { on: true }, 204], ['GET', '/api/dnd', undefined, 200], ['PUT', '/api/extensions/200/dnd', { on: false }, 204],
      ['PUT', '/api/extensions/200/dnd', { on: false }, 404], ['PUT', '/api/extensions/200/dnd', { on: true, until: 1000 }, 422],
      ['GET', '/api/wakeups', undefined, 200], ['POST', '/api/wakeups', { extension: '200', time: '07:30', daily: true }, 201],
      ['DELETE', '/api/wakeups/w1', undefined, 404],
      ['GET', '/api/extensions/200/messages', undefined, 200], ['POST', '/api/extensions/200/messages', { text: 'Call your office' }, 201],
      ['POST', '/api/extensions/200/messages/m1/read', undefined, 404],
    ] as const) {
      const r = await api.as('alice', method, path, body);
      assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
    }
    const booked = await api.as<{ wakeups: Array<{ id: string; extension: string; time: string; daily: boolean; by: string }> }>('alice', 'GET', '/api/wakeups');
    assert.deepEqual(booked.body.wakeups.map((w) => [w.extension, w.time, w.daily, w.by]), [['200', '07:30', true, 'alice']]);
    assert.equal((await api.as('alice', 'DELETE', `/api/wakeups/${booked.body.wakeups[0]!.id}`)).status, 204);
    const left = await api.as<{ messages: Array<{ id: string; read: boolean }> }>('alice', 'GET', '/api/extensions/200/messages');
    assert.equal((await api.as('alice', 'POST', `/api/extensions/200/messages/${left.body.messages[0]!.id}/read`)).status, 204);
  });
});
