// The controller asks Asterisk for only the event types it reads (PUT /applications/{app}/eventFilter)
// on every ARI socket opening, before the reconcile reads GET /channels and GET /bridges: at start,
// and again after the socket drops and comes back (the app may have been forgotten meanwhile).
// An Asterisk that refuses (an older one without the route, or an error answer) gets one warning and
// the controller runs unfiltered; `asterisk.ari.eventFilter: false` sends no filter. Calls flow in
// every case, over real sockets against the simulator.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ARI_EVENT_TYPES } from '../../lib/asterisk/port.ts';
import type { RecoveryReport } from '../../lib/calls/recovery.ts';
import { createLogger } from '../../lib/log.ts';
import type { Simulator } from '../../lib/sim/index.ts';
import { Harness, type HarnessOptions } from '../support/harness.ts';
import { auditText } from '../support/log-audit.ts';

const FILTER = 'PUT /applications/{applicationName}/eventFilter';
const RECONCILE = 'GET /channels';

function config(): HarnessOptions['config'] {
  return {
    attendants: [{ id: 'att1', name: 'Attendant 1', device: 'PJSIP/att1' }],
    classes: [{ id: 'external', priority: 5, delayedRing: 0 }],
    groups: [{ id: 'operators', name: 'Operators', members: ['att1'], strategy: 'longest-idle', ringTimeout: 60, table: { day: { type: 'group' }, night: { type: 'extension', number: '2000' } } }],
  };
}

/** the controller's log lines (audited for secrets like the harness's own logger) */
class LogLines {
  readonly lines: Array<{ level: number; msg: string; status?: number }> = [];
  readonly logger = createLogger('info', new Writable({
    write: (chunk: Buffer | string, _enc, done) => {
      const text = chunk.toString();
      auditText(text, 'controller');
      for (const l of text.split('\n')) if (l) this.lines.push(JSON.parse(l) as { level: number; msg: string });
      done();
    },
  }));

  /** warnings about the event filter */
  filterWarnings(): string[] {
    return this.lines.filter((l) => l.level === 40 && l.msg.includes('event filter')).map((l) => l.msg);
  }
}

/** event types the simulator sent to the controller's app, counted where every event leaves */
function countDelivered(sim: Simulator): Map<string, number> {
  const sent = new Map<string, number>();
  const deliver = sim.core.deliver.bind(sim.core);
  sim.core.deliver = (app, event) => {
    if (app.name === 'attendant') sent.set(String(event.type), (sent.get(String(event.type)) ?? 0) + 1);
    deliver(app, event);
  };
  return sent;
}

/** positions of the filter requests and of the reconciles' channel reads, in request order */
function order(sim: Simulator): { filters: number[]; reconciles: number[] } {
  const seq = sim.requestOrder();
  const at = (key: string) => seq.flatMap((k, i) => (k === key ? [i] : []));
  return { filters: at(FILTER), reconciles: at(RECONCILE) };
}

/** a call arrives, rings att1, is answered, talks, and the caller hangs up: the whole flow on whatever events arrive */
async function oneCall(h: Harness, number: string): Promise<void> {
  const id = h.call({ number });
  const leg = await h.answer('PJSIP/att1');
  await h.until(`${number} talking`, () => h.callRecord(id)?.state === 'talking' && h.callRecord(id)?.talkBridge !== undefined);
  h.sim.hangupCaller(id);
  await h.until(`${number} ended`, () => h.callRecord(id) === undefined);
  await h.until('att1 idle again', () => h.attendant('att1').state === 'idle');
  await h.until('the leg is gone', () => h.sim.channel(leg)?.hungUp === true);
}

function allowedOf(sim: Simulator): unknown {
  return sim.core.apps.get('attendant')?.toJson().events_allowed;
}

describe('resilience: the ARI event filter', function () {
  this.timeout(30_000);
  let h: Harness | undefined;

  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('given a current Asterisk, when the controller connects, then it sets the allowed list before reconciling and receives only those types while calls flow', async () => {
    let delivered = new Map<string, number>();
    h = await Harness.start({ config: config(), beforeStart: (sim) => { delivered = countDelivered(sim); } });
    const first = order(h.sim);
    assert.equal(first.filters.length, 1, 'one filter request');
    assert.ok(first.reconciles.length >= 1 && first.filters[0]! < first.reconciles[0]!, `the filter comes before the first reconcile: ${h.sim.requestOrder().join(', ')}`);
    assert.deepEqual(allowedOf(h.sim), ARI_EVENT_TYPES.map((type) => ({ type })), 'the app\'s allowed list is what the port reads');
    assert.deepEqual(h.sim.core.apps.get('attendant')?.toJson().events_disallowed, [], 'nothing disallowed');

    await oneCall(h, '0100000001');
    const types = [...delivered.keys()];
    assert.deepEqual(types.filter((t) => !(ARI_EVENT_TYPES as readonly string[]).includes(t)), [], `only allowed types delivered: ${types.join(',')}`);
    assert.ok(types.includes('StasisStart') && types.includes('ChannelEnteredBridge'), `the call's own events arrive: ${types.join(',')}`);
  });

  it('given the filter set, when the socket drops and comes back, then the filter is set again before the reconnect\'s reconcile and calls go on filtered', async () => {
    h = await Harness.start({ config: config() });
    const hh = h;
    const reports: RecoveryReport[] = [];
    hh.switchboard.recovery.onReconciled = (r) => reports.push(r);
    await oneCall(hh, '0100000001');
    const before = order(hh.sim);
    // no call is in Stasis: the app retires with the socket, and with it the filter
    assert.equal(hh.sim.dropWebSocket(), 1, 'dropped');
    await hh.until('reconciled after the reconnect', () => reports.some((r) => r.why === 'reconnect'), 10_000);
    const after = order(hh.sim);
    assert.equal(after.filters.length, before.filters.length + 1, 'set again once');
    const again = after.filters.at(-1)!;
    const reconcile = after.reconciles.find((i) => i > before.reconciles.at(-1)!);
    assert.ok(reconcile !== undefined && again < reconcile, `set again before the reconnect's reconcile: ${hh.sim.requestOrder().slice(-12).join(', ')}`);
    assert.deepEqual(allowedOf(hh.sim), ARI_EVENT_TYPES.map((type) => ({ type })), 'the new app has the allowed list');

    const delivered = countDelivered(hh.sim);
    await oneCall(hh, '0100000002');
    assert.deepEqual([...delivered.keys()].filter((t) => !(ARI_EVENT_TYPES as readonly string[]).includes(t)), [], 'still filtered');
  });

  it('given an Asterisk older than 13.26 / 16.3 (no such route), when the controller connects and reconnects, then one warning, unfiltered, and calls flow', async () => {
    const log = new LogLines();
    let delivered = new Map<string, number>();
    h = await Harness.start({ config: config(), log: log.logger, beforeStart: (sim) => { sim.setEventFilterSupport(false); delivered = countDelivered(sim); } });
    const hh = h;
    assert.equal(log.filterWarnings().length, 1, `one warning: ${JSON.stringify(log.lines.filter((l) => l.msg.includes('filter')))}`);
    assert.deepEqual(order(hh.sim).filters, [], 'ari-client has no applications.filter: nothing asked');
    await oneCall(hh, '0100000001');
    assert.ok((delivered.get('ChannelVarset') ?? 0) > 0, 'unfiltered: ChannelVarset arrives');

    const reports: RecoveryReport[] = [];
    hh.switchboard.recovery.onReconciled = (r) => reports.push(r);
    hh.sim.dropWebSocket();
    await hh.until('reconciled after the reconnect', () => reports.some((r) => r.why === 'reconnect'), 10_000);
    await oneCall(hh, '0100000002');
    assert.equal(log.filterWarnings().length, 1, 'still one warning after the reconnect');
  });

  for (const status of [404, 400, 405, 501, 500] as const) {
    it(`given an Asterisk that answers the filter with ${status}, when the controller connects, then one warning, unfiltered, and calls flow`, async () => {
      const log = new LogLines();
      let delivered = new Map<string, number>();
      h = await Harness.start({
        config: config(), log: log.logger,
        beforeStart: (sim) => { sim.failRequests({ status, pathPrefix: '/applications/attendant/eventFilter' }); delivered = countDelivered(sim); },
      });
      assert.equal(log.filterWarnings().length, 1, `one warning: ${JSON.stringify(log.lines.filter((l) => l.msg.includes('filter')))}`);
      assert.equal(order(h.sim).filters.length, 1, 'asked once');
      assert.deepEqual(allowedOf(h.sim), [], 'no filter on the app');
      assert.ok(h.controller.ari.isConnected(), 'connected');
      await oneCall(h, '0100000001');
      assert.ok((delivered.get('ChannelVarset') ?? 0) > 0, 'unfiltered: ChannelVarset arrives');
    });
  }

  it('given asterisk.ari.eventFilter false, when the controller connects and reconnects, then no filter is asked for and calls flow unfiltered', async () => {
    let delivered = new Map<string, number>();
    h = await Harness.start({ config: config(), ariEventFilter: false, beforeStart: (sim) => { delivered = countDelivered(sim); } });
    const hh = h;
    await oneCall(hh, '0100000001');
    const reports: RecoveryReport[] = [];
    hh.switchboard.recovery.onReconciled = (r) => reports.push(r);
    hh.sim.dropWebSocket();
    await hh.until('reconciled after the reconnect', () => reports.some((r) => r.why === 'reconnect'), 10_000);
    await oneCall(hh, '0100000002');
    assert.deepEqual(order(hh.sim).filters, [], 'never asked');
    assert.deepEqual(allowedOf(hh.sim), [], 'no filter on the app');
    assert.ok((delivered.get('ChannelVarset') ?? 0) > 0, 'unfiltered: ChannelVarset arrives');
  });
});
