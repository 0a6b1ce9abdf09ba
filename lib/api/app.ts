// The express app: security headers, CORS, JSON bodies, one router per resource, the console's
// static files, and the error mapping. Every route comes from the table in RESOURCES.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import cors from 'cors';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { ApiDeps } from './deps.ts';
import { ApiError, errorHandler } from './errors.ts';
import { healthReport, type HealthSources } from './health.ts';
import { openApiDocument } from './openapi.ts';
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

function defaultPublicDir(): string {
  // lib/api/ in the sources, dist/lib/api/ once compiled: public/ sits at the repository root
  for (const rel of ['../../public/', '../../../public/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  return fileURLToPath(new URL('../../public/', import.meta.url));
}

function hasBody(req: Request): boolean {
  const len = req.headers['content-length'];
  return (len !== undefined && len !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        // the console's WebSocket is same-origin ('self' covers ws: to the same host in current browsers)
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // the console is usually served over plain HTTP on a LAN: HSTS would lock it out
    strictTransportSecurity: false,
  });
}

/** why the API is not served yet: standby (another controller holds the lease) or starting */
export interface NotServing { code: 'standby' | 'starting'; message: string }

/**
 * What the HTTP port serves while this process is not the active controller (standby, or the store
 * not reached yet): /healthz, the console's files (so it can say what is wrong), 503 for the API.
 */
export function createWaitingApp(health: HealthSources, why: () => NotServing, publicDir = defaultPublicDir()): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders());
  app.get('/healthz', (_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('cache-control', 'no-store');
    healthReport(health).then(({ httpStatus, report }) => { res.status(httpStatus).json(report); }, next);
  });
  app.use('/api', (_req: Request, res: Response) => {
    const { code, message } = why();
    res.status(503).setHeader('retry-after', '1').setHeader('cache-control', 'no-store').json({ error: { code, message } });
  });
  app.use(express.static(publicDir, { index: 'index.html', fallthrough: true, maxAge: 0 }));
  app.use((req: Request, res: Response) => {
    const { code, message } = why();
    res.status(503).setHeader('retry-after', '1').json({ error: { code, message: `${req.path}: ${message}` } });
  });
  return app;
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

/**
 * Requests Node's parser refuses before express sees them (a request line and headers over 16 KB,
 * malformed HTTP) get a JSON error body like every other answer, instead of a bare status line.
 */
export function answerMalformedRequests(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) { socket.destroy(); return; }
    const [status, reason, code, message] = err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'the URL and headers are longer than the server accepts (16 KB)']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'request_timeout', 'the request took too long to arrive']
        : [400, 'Bad Request', 'bad_request', 'malformed HTTP request'];
    const body = JSON.stringify({ error: { code, message } });
    socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`
      + `cache-control: no-store\r\nconnection: close\r\n\r\n${body}`);
  });
}
