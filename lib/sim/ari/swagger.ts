// The swagger 1.1/1.2 documents served under /ari/api-docs, generated from the route table.
// ari-client (swagger-client 2.0.26) reads resources.json, then each `<resource>.json`; it uses the
// absolute basePath of each document, so it is built from the Host the client used.
import { EVENT_MODELS, RESOURCE_MODELS, type Model } from './models.ts';
import type { RouteSpec } from './route.ts';

const RESOURCE_DESCRIPTIONS: Record<string, string> = {
  asterisk: 'Asterisk resources',
  endpoints: 'Endpoint resources',
  channels: 'Channel resources',
  bridges: 'Bridge resources',
  playbacks: 'Playback control resources',
  deviceStates: 'Device state resources',
  mailboxes: 'Mailboxes resources',
  events: 'WebSocket resource',
  applications: 'Stasis application resources',
};

export function resourceNames(routes: readonly RouteSpec[]): string[] {
  const seen = new Set(routes.map((r) => r.resource));
  return Object.keys(RESOURCE_DESCRIPTIONS).filter((name) => seen.has(name));
}

export function resourceListing(routes: readonly RouteSpec[], basePath: string): Record<string, unknown> {
  return {
    apiVersion: '11.0.0',
    swaggerVersion: '1.1',
    basePath,
    apis: resourceNames(routes).map((name) => ({ path: `/api-docs/${name}.{format}`, description: RESOURCE_DESCRIPTIONS[name] ?? name })),
  };
}

function operation(route: RouteSpec): Record<string, unknown> {
  return {
    httpMethod: route.method,
    summary: route.summary,
    nickname: route.nickname,
    responseClass: route.responseClass,
    ...(route.upgrade ? { upgrade: route.upgrade, websocketProtocol: 'ari' } : {}),
    parameters: route.params.map((p) => ({
      name: p.name,
      description: p.description,
      paramType: p.paramType,
      required: p.required ?? false,
      allowMultiple: p.allowMultiple ?? false,
      dataType: p.dataType,
      ...(p.defaultValue !== undefined ? { defaultValue: p.defaultValue } : {}),
      ...(p.allowableValues ? { allowableValues: { valueType: 'LIST', values: [...p.allowableValues] } } : {}),
    })),
    ...(route.errors && route.errors.length > 0 ? { errorResponses: route.errors.map((e) => ({ code: e.code, reason: e.reason })) } : {}),
  };
}

function modelMap(models: readonly Model[]): Record<string, Model> {
  const out: Record<string, Model> = {};
  for (const m of models) out[m.id] ??= m;
  return out;
}

/** `<resource>.json`, or undefined for a resource the simulator does not implement */
export function apiDeclaration(routes: readonly RouteSpec[], resource: string, basePath: string): Record<string, unknown> | undefined {
  const mine = routes.filter((r) => r.resource === resource);
  if (mine.length === 0) return undefined;
  const byPath = new Map<string, RouteSpec[]>();
  for (const r of mine) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r]);
  const models = resource === 'events' ? [...(RESOURCE_MODELS.events ?? []), ...EVENT_MODELS] : (RESOURCE_MODELS[resource] ?? []);
  return {
    apiVersion: '2.0.0',
    swaggerVersion: resource === 'events' ? '1.2' : '1.1',
    basePath,
    resourcePath: `/api-docs/${resource}.{format}`,
    apis: [...byPath.entries()].map(([path, ops]) => ({ path, description: `${path} operations`, operations: ops.map(operation) })),
    models: modelMap(models),
  };
}
