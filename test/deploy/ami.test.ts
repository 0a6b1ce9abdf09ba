// AMI supervision end to end over TCP: connectAmi (ami-socket.ts underneath) and the
// SupervisionService against the AMI stand-in. No sleeps: every step awaits the event it causes.
import assert from 'node:assert/strict';
import net from 'node:net';
import { Writable } from 'node:stream';
import { existsSync, readFileSync } from 'node:fs';
import { pino } from 'pino';
import { connectAmi, parseAmiEvent, toAmiError, type AmiConnectOptions } from '../../lib/asterisk/ami.ts';
import { AmiError, type AmiPort, type AmiPortEvents } from '../../lib/supervision/ami-port.ts';
import { SupervisionService, type SupervisionEvents } from '../../lib/supervision/service.ts';
import type { SupervisionConfig } from '../../lib/supervision/blf.ts';
import { ManualTime } from '../../lib/clock.ts';
import { AmiServerStandIn, type AmiServerOptions } from '../support/ami-server.ts';
import { waitFor, type Subscribe } from './wait.ts';

const fixtureUrl = new URL('../../../shared/ami-fixtures/session.jsonl', import.meta.url);

function portEvent<K extends keyof AmiPortEvents>(port: AmiPort, name: K): Subscribe<AmiPortEvents[K]> {
  return (listener) => port.on(name, listener);
}
function serviceEvent<K extends keyof SupervisionEvents>(svc: SupervisionService, name: K): Subscribe<SupervisionEvents[K]> {
  return (listener) => {
    const l = listener as (...args: unknown[]) => void;
    svc.on(name, l as never);
    return () => { svc.off(name, l as never); };
  };
}

const SUPERVISION: SupervisionConfig = {
  extensions: [
    { number: '200', name: 'Reception desk', context: 'default' },
    { number: '201', name: 'Room 101', context: 'default' },
    { number: '202', name: 'Room 102', context: 'default' },
    { number: '2000', name: 'Night porter', context: 'default' },
  ],
  trunks: [{ id: 'pstn', name: 'PSTN trunk', endpoint: 'PJSIP/pstn' }],
};
const TRUNK_URI = 'sip:203.0.113.5:5060';

async function standIn(opts: AmiServerOptions = {}): Promise<AmiServerStandIn> {
  const srv = await AmiServerStandIn.start({ users: { attendant: { secret: 'ami-secret' } }, ...opts });
  srv.addHint('200', 'default', 'PJSIP/ext200', 0)
    .addHint('201', 'default', 'PJSIP/ext201', 0)
    .addHint('202', 'default', 'PJSIP/ext202', 4)
    .addHint('att1', 'attendant-hints', 'Stasis:att1', 0)
    .addEndpoint('ext200').addEndpoint('ext201').addEndpoint('ext202', 'UNAVAILABLE')
    .addEndpoint('pstn', 'NOT_INUSE')
    .addContact('pstn', TRUNK_URI, 'Reachable');
  return srv;
}

function options(srv: AmiServerStandIn, more: Partial<AmiConnectOptions> = {}): AmiConnectOptions {
  return { host: '127.0.0.1', port: srv.port, user: 'attendant', password: 'ami-secret', reconnect: { initialDelayMs: 10, maxDelayMs: 50 }, actionTimeoutMs: 2000, keepAliveMs: 0, ...more };
}

function lamp(svc: SupervisionService, id: string): string | undefined {
  const s = svc.snapshot();
  return s.extensions.find((e) => e.id === id)?.state ?? s.trunks.find((t) => t.id === id)?.state;
}

/** lower-cased keys, as ami-socket.ts hands events over */
function asManagerEvent(msg: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(msg).map(([k, v]) => [k.toLowerCase(), v]));
}

describe('AMI edge: parsing what Asterisk sends', () => {
  it('given the events recorded from Asterisk 23.4, then the ones supervision uses come out typed and the others are dropped', function () {
    if (!existsSync(fixtureUrl)) this.skip();
    const records = readFileSync(fixtureUrl, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; msg?: Record<string, string> });
    const events = records.filter((r) => r.kind === 'in' && r.msg?.Event && !r.msg.ActionID).map((r) => r.msg!);
    const parsed = events.map((m) => parseAmiEvent(asManagerEvent(m)));
    const kept = parsed.filter((e) => e !== undefined).map((e) => e.type);
    assert.deepEqual([...new Set(kept)].sort(), ['DeviceStateChange', 'ExtensionStatus', 'FullyBooted']);
    for (const m of events.filter((e) => ['Newchannel', 'VarSet', 'DialBegin', 'Hangup', 'SuccessfulAuth', 'RequestBadFormat'].includes(e.Event!))) {
      assert.equal(parseAmiEvent(asManagerEvent(m)), undefined, `${m.Event} is dropped`);
    }
    const ringing = parsed.find((e) => e?.type === 'ExtensionStatus' && e.status === 8);
    assert.deepEqual(ringing, { type: 'ExtensionStatus', exten: '201', context: 'hints', hint: 'PJSIP/att2', status: 8, statusText: 'Ringing' });
    const busy = parsed.find((e) => e?.type === 'DeviceStateChange' && e.state === 'BUSY');
    assert.deepEqual(busy, { type: 'DeviceStateChange', device: 'Stasis:att1', state: 'BUSY' });
  });

  it('given a malformed event, then it is dropped rather than half-read', () => {
    assert.equal(parseAmiEvent({ event: 'ExtensionStatus', exten: '201', context: 'default', status: 'ringing' }), undefined);
    assert.equal(parseAmiEvent({ event: 'ExtensionStatus', exten: ['201', '202'], context: 'default', status: '0' }), undefined);
    assert.equal(parseAmiEvent({ response: 'Success' }), undefined);
    assert.equal(parseAmiEvent(null), undefined);
    assert.deepEqual(parseAmiEvent({ event: 'ContactStatus', uri: TRUNK_URI, contactstatus: 'Unreachable', aor: 'pstn', endpointname: 'pstn', roundtripusec: '0' }),
      { type: 'ContactStatus', aor: 'pstn', endpointName: 'pstn', uri: TRUNK_URI, contactStatus: 'Unreachable', roundtripUsec: 0 });
  });

  it('given the error answers Asterisk gives, then each maps to a stable code', () => {
    assert.equal(toAmiError({ response: 'Error', message: 'Invalid/unknown command: PJSIPNotify. Use Action: ListCommands to show available commands.' }, 'PJSIPNotify').code, 'ami_action_unsupported');
    assert.equal(toAmiError({ response: 'Error', message: 'Permission denied' }, 'PJSIPShowEndpoints').code, 'ami_permission_denied');
    const other = toAmiError({ response: 'Error', message: 'Unable to retrieve endpoint nope' }, 'PJSIPNotify');
    assert.equal(other.code, 'ami_action_failed');
    assert.equal(other.message, 'PJSIPNotify: Unable to retrieve endpoint nope');
  });
});

describe('AMI supervision against the stand-in (TCP)', function () {
  this.timeout(10_000);
  let srv: AmiServerStandIn;
  let ami: AmiPort | undefined;
  let svc: SupervisionService | undefined;
  const time = new ManualTime();

  afterEach(async () => {
    svc?.stop();
    await ami?.close();
    await srv?.close();
    svc = undefined;
    ami = undefined;
  });

  async function running(opts: AmiServerOptions = {}, more: Partial<AmiConnectOptions> = {}): Promise<SupervisionService> {
    srv = await standIn(opts);
    ami = await connectAmi(options(srv, more));
    svc = new SupervisionService(ami, SUPERVISION, { clock: time });
    await svc.start();
    return svc;
  }

  it('given a connected port, then the list actions answer typed items, and list items are not replayed as live events', async () => {
    srv = await standIn();
    ami = await connectAmi(options(srv));
    const live: string[] = [];
    ami.on('event', (e) => live.push(e.type));
    const hints = await ami.extensionStateList();
    assert.deepEqual(hints.map((h) => [h.exten, h.context, h.status]), [['200', 'default', 0], ['201', 'default', 0], ['202', 'default', 4], ['att1', 'attendant-hints', 0]]);
    const endpoints = await ami.pjsipShowEndpoints();
    assert.deepEqual(endpoints.find((e) => e.name === 'pstn'), { name: 'pstn', aor: 'pstn', contacts: [`pstn/${TRUNK_URI}`], deviceState: 'NOT_INUSE', activeChannels: 0 });
    const contacts = await ami.pjsipShowContacts();
    assert.deepEqual(contacts.map((c) => [c.aor, c.endpoint, c.uri, c.status]), [['pstn', 'pstn', TRUNK_URI, 'Reachable']]);
    assert.deepEqual((await ami.deviceStateList()).find((d) => d.device === 'PJSIP/ext202'), { device: 'PJSIP/ext202', state: 'UNAVAILABLE' });
    await ami.ping();
    assert.deepEqual(live, [], 'no list item leaked into the live events');
  });

  it('given no contact at all, then PJSIPShowContacts ("No Contacts found") reads as an empty list', async () => {
    srv = await AmiServerStandIn.start({ users: { attendant: { secret: 'ami-secret' } } });
    ami = await connectAmi(options(srv));
    assert.deepEqual(await ami.pjsipShowContacts(), []);
  });

  it('given the grid is running, when an extension rings and is answered and the trunk loses its contact, then the lamps follow', async () => {
    await running();
    const snap = svc!.snapshot();
    assert.equal(snap.connected, true);
    assert.deepEqual(snap.extensions.map((e) => [e.id, e.state]), [['200', 'idle'], ['201', 'idle'], ['202', 'unavailable'], ['2000', 'unknown']]);
    assert.deepEqual(snap.trunks.map((t) => [t.id, t.state]), [['pstn', 'online']]);

    const ringing = waitFor(serviceEvent(svc!, 'change'), '201 ringing', (c) => c.id === '201' && c.state === 'ringing');
    srv.extensionStatus('201', 'default', 8);
    const [change] = await ringing;
    assert.deepEqual(change, { kind: 'extension', id: '201', state: 'ringing', previous: 'idle', at: time.now() });

    const answered = waitFor(serviceEvent(svc!, 'change'), '201 in use', (c) => c.id === '201' && c.state === 'inuse');
    srv.extensionStatus('201', 'default', 1);
    await answered;

    const offline = waitFor(serviceEvent(svc!, 'change'), 'trunk offline', (c) => c.kind === 'trunk' && c.state === 'offline');
    srv.contactStatus('pstn', TRUNK_URI, 'Unreachable');
    await offline;
    const online = waitFor(serviceEvent(svc!, 'change'), 'trunk online', (c) => c.kind === 'trunk' && c.state === 'online');
    srv.contactStatus('pstn', TRUNK_URI, 'Reachable');
    await online;
    assert.equal(lamp(svc!, '201'), 'inuse');
    assert.equal(lamp(svc!, 'pstn'), 'online');
  });

  it('given the stand-in drops every connection, when Asterisk is back, then the service reconnects and shows a change made while it was away', async () => {
    await running();
    const down = waitFor(portEvent(ami!, 'down'), 'AMI down');
    const resynced = waitFor(serviceEvent(svc!, 'resync'), 'resync after the reconnect');
    const back = waitFor(serviceEvent(svc!, 'connection'), 'connection back', (up) => up);
    srv.dropConnections();
    await down;
    assert.equal(svc!.snapshot().connected, false, 'the grid says it is stale');
    // while nobody listens: 202 answers a call and the trunk's contact is lost
    srv.setExtensionState('202', 'default', 1);
    srv.setContactStatus('pstn', TRUNK_URI, 'Unreachable');
    srv.setDevice('PJSIP/pstn', 'UNAVAILABLE');
    await back;
    const [report] = await resynced;
    assert.equal(report.changes, 2);
    assert.deepEqual(report.failed, {});
    assert.equal(lamp(svc!, '202'), 'inuse');
    assert.equal(lamp(svc!, 'pstn'), 'offline');
    assert.equal(svc!.snapshot().connected, true);
    assert.equal(srv.clients, 1, 'one session, not a pile of them');
    // and live events flow again on the new session
    const ringing = waitFor(serviceEvent(svc!, 'change'), '200 ringing', (c) => c.id === '200' && c.state === 'ringing');
    srv.extensionStatus('200', 'default', 8);
    await ringing;
  });

  it('given an event written after a list answered but before the resync ended, then the newer event wins over the list', async () => {
    srv = await standIn();
    // the moment the last list is asked for, ExtensionStateList has answered "201 idle": 201 rings now
    srv.on('action', ({ fields }) => {
      if (fields.some(([k, v]) => k === 'Action' && v === 'PJSIPShowContacts')) srv.extensionStatus('201', 'default', 8);
    });
    ami = await connectAmi(options(srv));
    svc = new SupervisionService(ami, SUPERVISION, { clock: time });
    await svc.start();
    assert.equal(lamp(svc, '201'), 'ringing');
  });

  it('given a wrong secret, then connectAmi rejects at once with ami_auth_failed naming the user, and does not retry', async () => {
    srv = await standIn();
    const err = await connectAmi(options(srv, { password: 'wrong' })).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof AmiError, 'an AmiError');
    assert.equal(err.code, 'ami_auth_failed');
    assert.match(err.message, /AMI login refused for user "attendant" at 127\.0\.0\.1:\d+: Authentication failed/);
    assert.doesNotMatch(err.message, /wrong/, 'the secret is not in the message');
    assert.equal(srv.loginAttempts, 1);
  });

  it('given the secret changed while disconnected, then the port stops with a failed event instead of retrying forever', async () => {
    await running();
    const failed = waitFor(serviceEvent(svc!, 'failed'), 'supervision failed');
    const down = waitFor(portEvent(ami!, 'down'), 'AMI down');
    srv.setSecret('attendant', 'rotated');
    srv.dropConnections();
    await down;
    const [err] = await failed;
    assert.equal(err.code, 'ami_auth_failed');
    assert.equal(ami!.isConnected(), false);
    const attempts = srv.loginAttempts;
    assert.equal(attempts, 2, 'the first login, then one refused reconnect');
    await assert.rejects(ami!.extensionStateList(), (e: AmiError) => e.code === 'ami_not_connected');
  });

  it('given Asterisk is not listening yet, then connectAmi keeps trying and logs in once it is', async () => {
    const port = await freePort();
    const lines: string[] = [];
    let firstFailure: () => void = () => undefined;
    const failedOnce = new Promise<void>((r) => { firstFailure = r; });
    const log = pino({ level: 'warn' }, new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        if (chunk.toString().includes('AMI connection failed')) firstFailure();
        done();
      },
    }));
    const connecting = connectAmi({ host: '127.0.0.1', port, user: 'attendant', password: 'ami-secret', reconnect: { initialDelayMs: 10, maxDelayMs: 20 }, keepAliveMs: 0 }, log);
    await failedOnce;
    srv = await AmiServerStandIn.start({ port, users: { attendant: { secret: 'ami-secret' } } });
    ami = await connecting;
    assert.equal(ami.isConnected(), true);
    assert.ok(lines.some((l) => l.includes('"attempt":1')), 'lines.some((l) => l.includes(\'"attempt":1\'))');
    assert.ok(lines.every((l) => !l.includes('ami-secret')), 'the secret is never logged');
  });

  it('given the caller gives up (AbortSignal), then connectAmi stops retrying and rejects', async () => {
    const port = await freePort();
    const controller = new AbortController();
    const connecting = connectAmi({ host: '127.0.0.1', port, user: 'a', password: 'b', reconnect: { initialDelayMs: 5_000 }, signal: controller.signal, keepAliveMs: 0 });
    controller.abort();
    await assert.rejects(connecting, (e: AmiError) => e.code === 'ami_closed');
  });

  it('given a keep-alive Ping goes unanswered, then the port drops the session and logs in again', async () => {
    srv = await standIn({ unanswered: ['Ping'] });
    ami = await connectAmi(options(srv, { keepAliveMs: 50, actionTimeoutMs: 100 }));
    const [reason] = await waitFor(portEvent(ami, 'down'), 'down on keep-alive');
    assert.equal(reason, 'keep-alive Ping unanswered');
    await waitFor(portEvent(ami, 'up'), 'up again');
  });

  it('given Asterisk without res_pjsip_notify (as recorded), then PJSIPNotify fails as unsupported; with it, the NOTIFY is sent', async () => {
    srv = await standIn({ pjsipNotify: false });
    ami = await connectAmi(options(srv));
    await assert.rejects(ami.pjsipNotify('ext200', 'Event=check-sync'), (e: AmiError) => e.code === 'ami_action_unsupported' && /PJSIPNotify/.test(e.message));
    await ami.close();
    await srv.close();
    srv = await standIn();
    ami = await connectAmi(options(srv));
    await ami.pjsipNotify('ext200', { Event: 'check-sync' });
    const sent = srv.received.find((r) => r.fields.some(([k, v]) => k === 'Action' && v === 'PJSIPNotify'));
    assert.deepEqual(sent?.fields.filter(([k]) => k === 'Endpoint' || k === 'Variable'), [['Endpoint', 'ext200'], ['Variable', 'Event=check-sync']]);
    await assert.rejects(ami.pjsipNotify('nobody', 'Event=check-sync'), (e: AmiError) => e.code === 'ami_action_failed' && /Unable to retrieve endpoint nobody/.test(e.message));
  });

  it('given an AMI user without the system write class (as shipped), then the grid still works, trunk lamps come from DeviceStateList, and the lists it may not run are not counted as failures nor asked again', async () => {
    await running({ users: { attendant: { secret: 'ami-secret', write: ['call', 'reporting'] } } });
    const resynced = waitFor(serviceEvent(svc!, 'resync'), 'resync');
    void svc!.resync();
    const [report] = await resynced;
    assert.deepEqual(report.failed, {}, 'a permission is a setting, not a failure');
    assert.equal(lamp(svc!, 'pstn'), 'online', 'PJSIP/pstn NOT_INUSE in DeviceStateList');
    assert.equal(lamp(svc!, '201'), 'idle');
    const asked = () => srv!.received.filter((r) => r.fields.some(([k, v]) => k === 'Action' && v === 'PJSIPShowEndpoints')).length;
    const before = asked();
    const again = waitFor(serviceEvent(svc!, 'resync'), 'resync');
    void svc!.resync();
    await again;
    assert.equal(asked(), before, 'PJSIPShowEndpoints is not asked again');
  });

  it('given a supervised extension without a hint, then the resync reports it and its lamp stays unknown', async () => {
    await running();
    const resynced = waitFor(serviceEvent(svc!, 'resync'), 'resync');
    void svc!.resync();
    const [report] = await resynced;
    assert.deepEqual(report.missingHints, ['2000@default']);
    assert.equal(lamp(svc!, '2000'), 'unknown');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}
