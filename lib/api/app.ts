// The express app: security headers, CORS, JSON bodies, one router per resource, the console's
// static files, and the error mapping. Every route comes from the table in RESOURCES.
import cors from 'cors';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { ApiDeps } from './deps.ts';
import { ApiError, errorHandler } from './errors.ts';
import { openApiDocument } from './openapi.ts';
import { defaultPublicDir, securityHeaders } from './serving.ts';
import { authenticate, pathMatchers, routerFor, type Resource } from './route.ts';
import { adminResource } from './routes/admin.ts';
import { attendantsResource } from './routes/attendants.ts';
import { callsResource } from './routes/calls.ts';
import { directoryResource } from './routes/directory.ts';
import { erlangResource } from './routes/erlang.ts';
import { extensionsResource } from './routes/extensions.ts';
import { groupsResource } from './routes/groups.ts';
import { logResource } from './routes/log.ts';
import { queueLogResource } from './routes/queue-log.ts';
import { metaResource } from './routes/meta.ts';
import { sessionResource } from './routes/session.ts';
import { stateResource } from './routes/state.ts';
import { statsResource } from './routes/stats.ts';

export const BODY_LIMIT = '64kb';

/** The whole route table, resource by resource (the OpenAPI document is built from it too). */
export function apiResources(): Resource[] {
  const resources: Resource[] = [
    sessionResource, stateResource, attendantsResource, groupsResource, callsResource, extensionsResource,
    directoryResource, logResource, queueLogResource, statsResource, erlangResource, adminResource,
  ];
  let doc: unknown;
  const meta = metaResource(() => (doc ??= openApiDocument(all)));
  const all = [meta, ...resources];
  return all;
}

function hasBody(req: Request): boolean {
  const len = req.headers['content-length'];
  return (len !== undefined && len !== '0') || req.headers['transfer-encoding'] !== undefined;
}

export function createApp(deps: ApiDeps): Express {
  const resources = apiResources();
  const routes = resources.flatMap((r) => r.routes);
  const matchers = pathMatchers(routes);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // req.ip: X-Forwarded-For only as far as it was added by a proxy named in http.trustProxy
  const proxies = deps.config.http.trustProxy;
  app.set('trust proxy', proxies.length > 0 ? proxies : false);

  app.use(securityHeaders());

  if (deps.corsOrigins.length > 0) {
    app.use(['/api', '/healthz'], cors({
      origin: deps.corsOrigins,
      methods: ['GET', 'POST', 'PUT', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'x-api-key'],
      maxAge: 600,
    }));
  }

  app.use('/api', (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('cache-control', 'no-store');
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS' && hasBody(req) && !req.is('application/json')) {
      next(new ApiError(415, 'unsupported_media_type', 'bodies must be JSON (content-type: application/json)'));
      return;
    }
    next();
  });
  app.use('/api', express.json({ limit: BODY_LIMIT, strict: true, type: 'application/json' }));

  for (const resource of resources) app.use(routerFor(resource, deps));

  app.use(express.static(deps.options?.publicDir ?? defaultPublicDir(), { index: 'index.html', fallthrough: true, maxAge: 0 }));

  // nothing matched: 405 for a known path with another method, 404 otherwise; /api wants credentials first
  app.use((req: Request, res: Response, next: NextFunction) => {
    try {
      const isApi = req.path === '/api' || req.path.startsWith('/api/');
      if (isApi && !authenticate(req, deps)) throw new ApiError(401, 'unauthorized', 'authentication required', { headers: { 'www-authenticate': 'Bearer realm="attendant"' } });
      const known = matchers.find((m) => m.re.test(req.path));
      if (known) {
        const allow = [...known.methods].map((m) => m.toUpperCase());
        if (allow.includes('GET')) allow.push('HEAD');
        res.setHeader('allow', allow.join(', '));
        throw new ApiError(405, 'method_not_allowed', `${req.method} is not allowed here (allowed: ${allow.join(', ')})`);
      }
      throw new ApiError(404, 'not_found', isApi ? `no route ${req.method} ${req.path}` : `${req.path} not found`);
    } catch (err) {
      next(err);
    }
  });
  app.use(errorHandler(deps.log));
  return app;
}

