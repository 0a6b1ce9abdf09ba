// The OpenAPI document and the routers come from one table: every registered route is documented,
// every documented route is registered and answers over HTTP.
import assert from 'node:assert/strict';
import type { Express } from 'express';
import { apiDeps, apiResources, createApp, pendingOperations } from '../../lib/api/index.ts';
import { silentLogger } from '../../lib/log.ts';
import type { Harness } from '../support/harness.ts';
import { startApiHarness, type Api } from './support.ts';

interface Layer { route?: { path: string; methods: Record<string, boolean> }; handle: { stack?: Layer[] } }

/** method + express path of every route registered in the app, found by walking its routers */
function registeredRoutes(app: Express): Set<string> {
  const out = new Set<string>();
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const [m, on] of Object.entries(layer.route.methods)) if (on && m !== '_all') out.add(`${m.toUpperCase()} ${layer.route.path}`);
      } else if (layer.handle.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

type Doc = { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown>; security: unknown[]; 'x-role': string; operationId: string; parameters: Array<{ name: string; in: string }> }>>; components: { schemas: Record<string, unknown> } };

describe('OpenAPI document', function () {
  this.timeout(20_000);
  let h: Harness;
  let api: Api;
  let doc: Doc;
  before(async () => {
    ({ h, api } = await startApiHarness());
    const r = await api.request<Doc>('GET', '/api/openapi.json');
    assert.equal(r.status, 200);
    doc = r.body;
  });
  after(async () => { await h.stop(); });

  const documented = () => new Set(Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{([^}]+)\}/g, ':$1')}`)));

  it('given the app\'s routers, when the document is read without credentials, then every registered route is in it and nothing else', () => {
    const app = createApp(apiDeps({
      switchboard: h.switchboard, store: h.store, operations: pendingOperations(h.config), config: h.config, log: silentLogger(), time: h.time,
      health: { ariConnected: () => true, storePing: async () => true, storeBacklog: () => 0 },
    }));
    const registered = registeredRoutes(app);
    assert.ok(registered.size >= 40, `found only ${registered.size} routes`);
    assert.deepEqual([...registered].sort(), [...documented()].sort());
  });

  it('given the route table, when the document is built, then each operation has an id, a role, security, its error answers and its path parameters', () => {
    assert.equal(doc.openapi, '3.1.0');
    const ids = new Set<string>();
    for (const r of apiResources().flatMap((x) => x.routes)) {
      const op = doc.paths[r.path]?.[r.method];
      assert.ok(op, `${r.method} ${r.path} documented`);
      assert.ok(!ids.has(op.operationId), `unique operationId ${op.operationId}`);
      ids.add(op.operationId);
      assert.equal(op['x-role'], r.access);
      assert.equal(op.security.length === 0, r.access === 'public');
      assert.ok(op.responses[String(r.ok.status)], `${r.path} documents its success`);
      assert.ok(op.responses['400'], `${r.path} documents 400`);
      if (r.access !== 'public') assert.ok(op.responses['401'], `${r.path} documents 401`);
      if (r.access === 'supervisor' || r.access === 'admin') assert.ok(op.responses['403'], `${r.path} documents 403`);
      for (const name of [...r.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])) {
        assert.ok(op.parameters.some((p) => p.in === 'path' && p.name === name), `${r.path} documents path parameter ${name}`);
      }
    }
    assert.ok(doc.components.schemas.Error && doc.components.schemas.Call && doc.components.schemas.Attendant, 'doc.components.schemas.Error && doc.components.schemas.Call && doc.components.schemas.A...');
  });

  it('given every documented operation, when it is called as an admin, then a handler answers (never the unknown-route 404 or a 405)', async () => {
    const token = await api.login('root');
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        if (path === '/api/session/logout') continue; // would end the admin's session
        const concrete = path.replace('{id}', 'x1').replace('{slot}', '1').replace('{number}', '200').replace('{sessionId}', 's1');
        const r = await api.request<{ error?: { code: string; message: string } }>(method.toUpperCase(), concrete, { token, ...(method === 'get' ? {} : { body: {} }) });
        assert.notEqual(r.status, 405, `${method} ${path}`);
        assert.ok(!(r.status === 404 && r.body.error?.message.startsWith('no route')), `${method} ${path} is routed`);
        assert.ok(r.status < 500 || path === '/healthz', `${method} ${path}: ${r.status} ${r.text}`);
      }
    }
  });
});
