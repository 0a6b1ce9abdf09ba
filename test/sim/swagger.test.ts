// The swagger documents are generated from the route table: exactly the implemented operations,
// an absolute basePath from the Host used, and a model for every event type the simulator sends.
import assert from 'node:assert/strict';
import { EVENT_TYPES } from '../../lib/sim/ari/models.ts';
import { ARI_ROUTES } from '../../lib/sim/ari/routes.ts';
import { startSimulator, type Simulator } from '../../lib/sim/index.ts';
import { ariCall, SIM_PASSWORD, SIM_USER } from '../support/sim-helpers.ts';

interface Doc {
  basePath: string;
  swaggerVersion: string;
  apis: Array<{ path: string; operations?: Array<{ httpMethod: string; nickname: string; parameters: Array<{ name: string; paramType: string; allowMultiple: boolean }> }> }>;
  models?: Record<string, { id: string; properties: Record<string, { type: string }> }>;
}

describe('generated swagger documents', () => {
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ user: SIM_USER, password: SIM_PASSWORD });
  });

  after(async () => {
    await sim.stop();
  });

  async function doc(name: string): Promise<Doc> {
    const r = await ariCall(sim, 'GET', `/api-docs/${name}.json`);
    assert.equal(r.status, 200, name);
    return r.body as Doc;
  }

  it('given the resource listing, when read, then it names one document per implemented resource with the basePath of the request', async () => {
    const listing = await doc('resources');
    assert.equal(listing.basePath, `${sim.url}/ari`);
    assert.deepEqual(listing.apis.map((a) => a.path), [
      '/api-docs/asterisk.{format}', '/api-docs/endpoints.{format}', '/api-docs/channels.{format}', '/api-docs/bridges.{format}',
      '/api-docs/playbacks.{format}', '/api-docs/deviceStates.{format}', '/api-docs/mailboxes.{format}', '/api-docs/events.{format}',
      '/api-docs/applications.{format}',
    ]);
    assert.equal((await ariCall(sim, 'GET', '/api-docs/recordings.json')).status, 404, 'recordings are not simulated, so not documented');
  });

  it('given each resource document, when compared with the route table, then it lists exactly the routed operations and parameters', async () => {
    for (const resource of new Set(ARI_ROUTES.map((r) => r.resource))) {
      const d = await doc(resource);
      const documented = d.apis.flatMap((a) => (a.operations ?? []).map((o) => `${o.httpMethod} ${a.path} ${o.nickname} ${o.parameters.map((p) => p.name).join(',')}`)).sort();
      const routed = ARI_ROUTES.filter((r) => r.resource === resource).map((r) => `${r.method} ${r.path} ${r.nickname} ${r.params.map((p) => p.name).join(',')}`).sort();
      assert.deepEqual(documented, routed, resource);
    }
  });

  it('given the channels document, when read, then addChannel-style lists are allowMultiple and variables travel in the body', async () => {
    const channels = await doc('channels');
    const originate = channels.apis.find((a) => a.path === '/channels')?.operations?.find((o) => o.nickname === 'originate');
    assert.equal(originate?.parameters.find((p) => p.name === 'variables')?.paramType, 'body');
    const bridges = await doc('bridges');
    const add = bridges.apis.find((a) => a.path === '/bridges/{bridgeId}/addChannel')?.operations?.[0];
    assert.equal(add?.parameters.find((p) => p.name === 'channel')?.allowMultiple, true);
  });

  it('given the events document, when read, then every event type the simulator can send has a model typed with Channel/Bridge', async () => {
    const events = await doc('events');
    assert.equal(events.swaggerVersion, '1.2');
    for (const type of EVENT_TYPES) assert.ok(events.models?.[type], `model for ${type}`);
    assert.equal(events.models?.StasisStart?.properties.channel?.type, 'Channel');
    assert.equal(events.models?.ChannelEnteredBridge?.properties.bridge?.type, 'Bridge');
    assert.equal(events.models?.Dial?.properties.peer?.type, 'Channel');
  });
});
