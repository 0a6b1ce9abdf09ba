import assert from 'node:assert/strict';
import type { AriPort } from '../../lib/asterisk/port.ts';
import { IdMaker } from '../../lib/calls/ids.ts';
import { bridgeName, bridgeRouteOfName, LEFT_KEPT, ROUTE_VARIABLE, Routes, routedAri, routeOfChannelVars, routeVariable } from '../../lib/calls/routes.ts';

describe('the routing table (lib/calls/routes.ts)', () => {
  it('given IdMaker makes legs, channels and bridges, then each is registered with its owner, its role and its call', () => {
    const routes = new Routes();
    const ids = new IdMaker(routes, 100);
    const p = ids.leg('p', 'c1');
    const t = ids.leg('t', 'c1');
    const c = ids.leg('c', 'c1');
    const m = ids.leg('m', 'c2');
    assert.deepEqual(routes.channel(p), { owner: 'attendant', callId: 'c1', originated: true });
    assert.deepEqual(routes.channel(t), { owner: 'transfer', callId: 'c1', originated: true });
    assert.deepEqual(routes.channel(c), { owner: 'consultation', callId: 'c1', originated: true });
    assert.deepEqual(routes.channel(m), { owner: 'monitor', callId: 'c2', originated: true });
    assert.deepEqual(routes.channel(ids.snoop(m, 'c2')), { owner: 'snoop', callId: 'c2', originated: true });
    assert.deepEqual(routes.channel(ids.channel('night-bell', 'bell-operators')), { owner: 'night-bell', originated: true });
    const alert = ids.channel('caller', 'w1-x');
    assert.deepEqual(routes.channel(alert), { owner: 'caller', callId: alert, originated: true }, 'a channel that comes back as a caller is its own call');
    const hold = ids.callBridge('hold', 'c1');
    assert.deepEqual(routes.bridge(hold), { role: 'hold', callId: 'c1' });
    assert.deepEqual(routes.bridge(ids.callBridge('xfer', 'c1')), { role: 'xfer', callId: 'c1' });
    assert.deepEqual(routes.bridge(ids.monitorBridge(m, 'c2')), { role: 'monitor', callId: 'c2' });
    assert.deepEqual(routes.bridge(ids.waitBridge('operators')), { role: 'wait', group: 'operators' });
    assert.notEqual(ids.callBridge('hold', 'c1'), hold, 'never the same id twice');
    assert.equal(routes.channel('1767603600.0'), undefined, 'a channel nobody made or took is nobody\'s');
  });

  it('given a channel handed to another flow, when taken again, then the new owner is the one routed to', () => {
    const routes = new Routes();
    const ids = new IdMaker(routes, 1);
    const leg = ids.leg('c', 'c1');
    routes.takeChannel('c1', { owner: 'caller', callId: 'c1' });
    routes.takeChannel(leg, { owner: 'handoff', callId: 'c1' });
    routes.takeChannel('c1', { owner: 'handoff', callId: 'c1' });
    assert.equal(routes.channel(leg)?.owner, 'handoff');
    assert.equal(routes.channel('c1')?.owner, 'handoff');
    routes.adoptChannel(leg, { owner: 'consultation', callId: 'c1' });
    assert.equal(routes.channel(leg)?.owner, 'handoff', 'adopting (recovery) never overrides what this run knows');
  });

  it('given a channel leaves the app, then a caller\'s route goes at once, an originated leg\'s stays for its ChannelDestroyed; only the last LEFT_KEPT that left are kept', () => {
    const routes = new Routes();
    routes.takeChannel('caller', { owner: 'caller', callId: 'caller' });
    routes.channelLeft('caller');
    assert.equal(routes.channel('caller'), undefined, 'Asterisk sends a channel that came by itself nothing after its StasisEnd');
    const ids = new IdMaker(routes, 1);
    const leg = ids.leg('t', 'c1');
    routes.channelLeft(leg);
    assert.equal(routes.channel(leg)?.owner, 'transfer', 'its late ChannelDestroyed is still its owner\'s');
    routes.dropChannel(leg);
    assert.equal(routes.channel(leg), undefined);
    const legs = Array.from({ length: LEFT_KEPT + 1 }, () => ids.leg('p', 'c2'));
    for (const l of legs) routes.channelLeft(l);
    assert.equal(routes.channel(legs[0]!), undefined, 'the oldest that left (its ChannelDestroyed missed) is forgotten');
    assert.equal(routes.channel(legs[1]!)?.owner, 'attendant');
    assert.equal(routes.channelCount, LEFT_KEPT);
  });

  it('given reconciliations, when they prune, then routes Asterisk did not list twice in a row go, but not those taken after a read began', () => {
    const routes = new Routes();
    routes.takeChannel('gone', { owner: 'caller', callId: 'gone' });
    routes.takeChannel('live', { owner: 'caller', callId: 'live' });
    routes.takeBridge('b-gone', { role: 'hold', callId: 'gone' });
    routes.takeBridge('b-live', { role: 'call', callId: 'live' });
    const mark = routes.mark();
    routes.takeChannel('new-leg', { owner: 'attendant', callId: 'live' });
    routes.takeBridge('b-new', { role: 'call', callId: 'live' });
    routes.prune(mark, new Set(['live']), new Set(['b-live']));
    assert.equal(routes.channel('gone')?.owner, 'caller', 'missing once: an originate sent just before the read may not have reached Asterisk yet');
    assert.equal(routes.bridge('b-gone')?.role, 'hold');
    routes.prune(routes.mark(), new Set(['live', 'new-leg']), new Set(['b-live', 'b-new']));
    assert.deepEqual(['gone', 'live', 'new-leg'].map((id) => routes.channel(id)?.owner), [undefined, 'caller', 'attendant']);
    assert.deepEqual(['b-gone', 'b-live', 'b-new'].map((id) => routes.bridge(id)?.role), [undefined, 'call', 'call']);
  });

  it('given a bridge route, then its name says it and reads back to the same route; other names say nothing', () => {
    for (const r of [{ role: 'call', callId: '1767603600.0' }, { role: 'hold', callId: 'a:b' }, { role: 'wait', group: 'operators' }, { role: 'monitor', callId: 'c1' }] as const) {
      assert.deepEqual(bridgeRouteOfName(bridgeName(r)), r);
    }
    assert.equal(bridgeName({ role: 'xfer', callId: 'c1' }), 'attendant:xfer:c1');
    for (const other of [undefined, '', 'call-c1-b7', 'attendant:call:', 'attendant:party:c1', 'other:call:c1']) assert.equal(bridgeRouteOfName(other), undefined, String(other));
    const routes = new Routes();
    const ids = new IdMaker(routes, 1);
    const b = ids.callBridge('call', 'c9');
    assert.equal(routes.nameOf(b), 'attendant:call:c9');
    assert.equal(routes.nameOf('someone-elses'), 'someone-elses');
  });

  it('given a leg the controller originates, then it carries its route in a reported variable that reads back to that route (what GET /channels shows while it rings)', () => {
    const routes = new Routes();
    const ids = new IdMaker(routes, 1);
    const leg = ids.leg('p', '1767603600.0');
    assert.deepEqual(routes.reportedOf(leg), { [ROUTE_VARIABLE]: 'attendant:1767603600.0' });
    assert.deepEqual(routeOfChannelVars(routes.reportedOf(leg)), { owner: 'attendant', callId: '1767603600.0', originated: true });
    assert.deepEqual(routeOfChannelVars(routeVariable({ owner: 'night-bell' })), { owner: 'night-bell', originated: true });
    assert.deepEqual(routes.reportedOf('unknown'), {});
    const others: Array<Record<string, string> | undefined> = [undefined, {}, { OTHER: 'attendant:c1' }, { [ROUTE_VARIABLE]: 'nobody:c1' }, { [ROUTE_VARIABLE]: 'attendant' }];
    for (const other of others) assert.equal(routeOfChannelVars(other), undefined, JSON.stringify(other));
  });

  it('given the routed ARI port, when a flow destroys a bridge, then its route goes with it and the port is otherwise the same', async () => {
    const routes = new Routes();
    routes.takeBridge('b1', { role: 'hold', callId: 'c1' });
    const destroyed: string[] = [];
    const port = { app: 'attendant', destroyBridge: async (id: string) => { destroyed.push(id); }, hangup: async function (this: { app: string }) { return this.app; } };
    const ari = routedAri(port as unknown as AriPort, routes);
    await ari.destroyBridge('b1');
    assert.deepEqual(destroyed, ['b1']);
    assert.equal(routes.bridge('b1'), undefined);
    assert.equal(ari.app, 'attendant');
    assert.equal(await (ari.hangup as unknown as () => Promise<string>)(), 'attendant', 'methods run on the port itself');
  });
});
