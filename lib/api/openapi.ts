// The OpenAPI 3.1 document, built from the same route table the routers are built from: a route
// cannot exist undocumented, nor a documented one be missing.
import { z } from 'zod';
import type { ApiRoute, Resource } from './route.ts';
import { errorSchema } from './schemas.ts';

type Json = Record<string, unknown>;

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'invalid input: `error.field` names the first bad field, `error.details` lists all',
  401: 'no or bad credentials',
  403: 'the role or position may not do this',
  404: 'no such resource',
  409: 'refused in the current state',
  413: 'body larger than 64 kB',
  415: 'the body is not JSON',
  422: 'well-formed but cannot be done: `error.field` says why',
  429: 'too many failed logins (Retry-After)',
  502: 'Asterisk failed the request',
  503: 'not available',
};

/** JSON Schema of a zod schema, with named sub-schemas gathered into `defs`. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output', defs: Json): Json {
  const js = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  const { $schema: _s, $defs, ...rest } = js;
  if ($defs && typeof $defs === 'object') Object.assign(defs, JSON.parse(JSON.stringify($defs).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json);
  return JSON.parse(JSON.stringify(rest).replaceAll('"#/$defs/', '"#/components/schemas/')) as Json;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query', defs: Json): Json[] {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input', defs);
  const props = (js.properties ?? {}) as Record<string, Json>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: where, required: where === 'path' || required.has(name), schema: rest, ...(typeof description === 'string' ? { description } : {}) };
  });
}

function operationId(r: ApiRoute): string {
  const words = r.path.replace(/^\/(api\/)?/, '').split(/[/{}.-]+/).filter(Boolean);
  return r.method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function errorStatuses(r: ApiRoute): number[] {
  const s = new Set<number>([400, ...r.errors]);
  if (r.access !== 'public') s.add(401);
  if (r.access === 'supervisor' || r.access === 'admin') s.add(403);
  if (r.method !== 'get') { s.add(413); s.add(415); }
  return [...s].sort((a, b) => a - b);
}

export function openApiDocument(resources: readonly Resource[]): Json {
  const defs: Json = { Error: jsonSchema(errorSchema, 'output', {}) };
  const paths: Record<string, Record<string, Json>> = {};
  const errorRef = { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  for (const res of resources) {
    for (const r of res.routes) {
      const responses: Record<string, Json> = {
        [String(r.ok.status)]: {
          description: r.ok.description,
          ...(r.ok.schema && r.ok.status !== 204 ? { content: { 'application/json': { schema: jsonSchema(r.ok.schema, 'output', defs) } } } : {}),
          ...(r.ok.contentType ? { content: { [r.ok.contentType]: { schema: { type: 'string' } } } } : {}),
        },
      };
      for (const status of errorStatuses(r)) {
        if (status === r.ok.status) continue;
        responses[String(status)] = { description: STATUS_TEXT[status] ?? 'error', ...errorRef };
      }
      const op: Json = {
        operationId: operationId(r),
        summary: r.summary,
        ...(r.description ? { description: r.description } : {}),
        tags: [res.name],
        'x-role': r.access,
        security: r.access === 'public' ? [] : [{ bearer: [] }, { apiKey: [] }],
        parameters: [...parameters(r.params, 'path', defs), ...parameters(r.query, 'query', defs)],
        responses,
      };
      if (r.body) {
        const body = jsonSchema(r.body, 'input', defs);
        const required = Array.isArray(body.required) && body.required.length > 0;
        op.requestBody = { required, content: { 'application/json': { schema: body } } };
      }
      (paths[r.path] ??= {})[r.method] = op;
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Attendant switchboard API',
      version: '1',
      description: 'REST API of the Attendant switchboard controller. Authenticate with POST /api/session/login '
        + '(Authorization: Bearer <token>) or an API key (x-api-key). Live changes: WebSocket /api/events '
        + '(a first message {"type":"auth","token":...}, or Authorization / x-api-key on the upgrade; never a token in the URL; '
        + 'at most 8 streams per login; resume with `?since=<seq>&epoch=<epoch>`). '
        + 'Errors are {"error":{"code","message","field?","details?"}}. Roles: operator < supervisor < admin.',
    },
    tags: resources.map((r) => ({ name: r.name, description: r.description })),
    paths,
    components: {
      schemas: defs,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'token from POST /api/session/login' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
    },
  };
}
