// What recovery rebuilds the routing table from (lib/calls/routes.ts), as the real Asterisk reports it:
// a leg originated into the app lists its route variable (report_events) in GET /channels while it
// still rings, and a bridge lists the name it was created with.
import assert from 'node:assert/strict';
import { ROUTE_VARIABLE, bridgeName, bridgeRouteOfName, routeOfChannelVars, routeVariable } from '../../lib/calls/routes.ts';
import { AST } from './support/asterisk.ts';
import { site } from './support/hooks.ts';
import { until } from './support/site.ts';

describe('real Asterisk: what the routing table is rebuilt from', () => {
  it('given a leg originated with its route variable to a set that only rings, then GET /channels lists the variable; a bridge lists its name', async () => {
    const s = site();
    await s.phone('att2', { kind: 'ringing' });
    const auth = `Basic ${Buffer.from(`${AST.ariUser}:${AST.ariPassword}`).toString('base64')}`;
    const ari = (method: string, path: string, body?: unknown) => fetch(`${s.asterisk.ariUrl}/ari${path}`, {
      method, headers: { authorization: auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const route = { owner: 'attendant', callId: 'c-routes' } as const;
    const variables = Object.fromEntries(Object.entries(routeVariable(route)).map(([k, value]) => [k, { value, report_events: true }]));
    const made = await ari('POST', `/channels?endpoint=PJSIP/att2&app=attendant&channelId=routes-leg-1&timeout=10&appArgs=${encodeURIComponent('@present,c-routes,att2')}`, { variables });
    assert.equal(made.status, 200, await made.clone().text());
    // the originate's answer is the channel as made, before its variables are set: no channelvars yet
    assert.equal(((await made.json()) as { channelvars?: unknown }).channelvars, undefined, 'the originate answer lists no channelvars');
    const bridge = { role: 'hold', callId: 'c-routes' } as const;
    assert.equal((await ari('POST', `/bridges/routes-bridge-1?type=holding&name=${encodeURIComponent(bridgeName(bridge))}`)).status, 200);
    try {
      let listed: { id: string; state: string; channelvars?: Record<string, string> } | undefined;
      await until('the leg rings', async () => {
        const all = await (await ari('GET', '/channels')).json() as Array<{ id: string; state: string; channelvars?: Record<string, string> }>;
        listed = all.find((c) => c.id === 'routes-leg-1');
        return listed?.state === 'Ringing';
      });
      assert.equal(listed?.channelvars?.[ROUTE_VARIABLE], 'attendant:c-routes');
      assert.deepEqual(routeOfChannelVars(listed?.channelvars), { ...route, originated: true });
      const bridges = await (await ari('GET', '/bridges')).json() as Array<{ id: string; name: string }>;
      assert.deepEqual(bridgeRouteOfName(bridges.find((b) => b.id === 'routes-bridge-1')?.name), bridge);
    } finally {
      await ari('DELETE', '/channels/routes-leg-1');
      await ari('DELETE', '/bridges/routes-bridge-1');
    }
  });
});
