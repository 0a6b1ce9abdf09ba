// One table of routes drives both the express routers and the OpenAPI document: a route is its
// method, path, access, zod schemas for params / query / body and its success answer. The runner
// authenticates, checks the role, parses every input with zod, then calls the handler.
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { ApiDeps } from './deps.ts';
import { fieldProblems, forbidden, invalidInput, unauthorized } from './errors.ts';
import { hasRole, type Principal, type Role } from './auth/sessions.ts';

export type Method = 'get' | 'post' | 'put' | 'delete';
/** public: no credentials; otherwise the least role that may call the route */
export type Access = 'public' | Role;

export interface Ctx<A extends Access, P, Q, B> {
  principal: A extends 'public' ? Principal | undefined : Principal;
  params: P;
  query: Q;
  body: B;
  deps: ApiDeps;
  req: Request;
  res: Response;
}

export interface Answer {
  status: number;
  description: string;
  schema?: z.ZodType;
  /** a body that is not JSON (the Prometheus text of /metrics): documented as a string of this type */
  contentType?: string;
}

const EMPTY = z.object({}).strict();
type Empty = typeof EMPTY;

export interface RouteSpec<A extends Access, P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: Method;
  /** OpenAPI form: /api/calls/{id}/answer */
  path: string;
  summary: string;
  description?: string;
  access: A;
  params?: P;
  query?: Q;
  body?: B;
  ok: Answer;
  /** error statuses the route can answer with besides the ones every route of its kind has */
  errors?: number[];
  handler: (ctx: Ctx<A, z.output<P>, z.output<Q>, z.output<B>>) => unknown;
}

export interface ApiRoute {
  method: Method;
  path: string;
  /** express form: /api/calls/:id/answer */
  expressPath: string;
  summary: string;
  description?: string;
  access: Access;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  ok: Answer;
  errors: number[];
  run(req: Request, res: Response, deps: ApiDeps): Promise<void>;
}

export interface Resource {
  /** OpenAPI tag and router name */
  name: string;
  description: string;
  routes: ApiRoute[];
}

export function toExpressPath(path: string): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

/** Credentials of a request: undefined when none are sent, a 401 when they are wrong. */
export function authenticate(req: Request, deps: ApiDeps): Principal | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer ([^\s]+)$/i.exec(auth);
    const p = m ? deps.sessions.fromToken(m[1]!) : undefined;
    if (!p) throw unauthorized('invalid or expired token: log in again');
    return p;
  }
  const key = req.headers['x-api-key'];
  if (key !== undefined) {
    const p = typeof key === 'string' ? deps.sessions.fromApiKey(key) : undefined;
    if (!p) throw unauthorized('invalid API key');
    return p;
  }
  return undefined;
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'params'): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw invalidInput(r.error.issues.length ? fieldProblems(where, r.error) : [{ field: where, message: 'invalid' }]);
  }
  return r.data;
}

export function route<A extends Access, P extends z.ZodType = Empty, Q extends z.ZodType = Empty, B extends z.ZodType = Empty>(
  spec: RouteSpec<A, P, Q, B>,
): ApiRoute {
  const { handler, ...meta } = spec;
  return {
    ...meta,
    expressPath: toExpressPath(spec.path),
    errors: spec.errors ?? [],
    async run(req, res, deps) {
      const principal = spec.access === 'public' ? undefined : authenticate(req, deps);
      if (spec.access !== 'public') {
        if (!principal) throw unauthorized();
        if (!hasRole(principal.role, spec.access)) throw forbidden(`${spec.access} role required`);
      }
      const params = parse(spec.params ?? EMPTY, { ...req.params }, 'params');
      const query = parse(spec.query ?? EMPTY, { ...(req.query as Record<string, unknown>) }, 'query');
      // GET carries no body; elsewhere a route without a body schema takes none (or `{}`)
      const body = spec.method === 'get' ? {} : parse(spec.body ?? EMPTY, req.body ?? {}, 'body');
      const ctx = { principal, params, query, body, deps, req, res } as Ctx<A, z.output<P>, z.output<Q>, z.output<B>>;
      const result = await handler(ctx);
      if (res.headersSent) return;
      if (spec.ok.status === 204) res.status(204).end();
      else res.status(spec.ok.status).json(result ?? {});
    },
  };
}

/** One express Router for a resource's routes. */
export function routerFor(resource: Resource, deps: ApiDeps): Router {
  const router = Router();
  for (const r of resource.routes) {
    router[r.method](r.expressPath, (req, res, next) => {
      r.run(req, res, deps).catch(next);
    });
  }
  return router;
}

/** Paths of the table as matchers, to tell a 405 (known path, other method) from a 404. */
export function pathMatchers(routes: readonly ApiRoute[]): Array<{ re: RegExp; methods: Set<Method> }> {
  const byPath = new Map<string, Set<Method>>();
  for (const r of routes) {
    const set = byPath.get(r.path) ?? new Set<Method>();
    set.add(r.method);
    byPath.set(r.path, set);
  }
  return [...byPath].map(([path, methods]) => ({
    re: new RegExp(`^${path.split(/\{[^}]+\}/).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}/?$`),
    methods,
  }));
}
