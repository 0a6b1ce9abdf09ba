// The HTTP front: /ari (auth, faults, api-docs, routes), the /ari/events WebSocket upgrade, /sim.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { activeRoutes, ARI_ROUTES } from '../ari/routes.ts';
import { matchRoute, RouteArgs, type RouteSpec } from '../ari/route.ts';
import { apiDeclaration, resourceListing } from '../ari/swagger.ts';
import type { SimCore } from '../core/core.ts';
import { AriError } from '../core/errors.ts';
import type { Faults } from './faults.ts';
import { readBody, sendJson } from './respond.ts';
import type { EventSockets } from './ws.ts';

export interface ServerDeps {
  core: SimCore;
  faults: Faults;
  sockets: EventSockets;
  user: string;
  password: string;
  routes?: readonly RouteSpec[];
  control: (req: IncomingMessage, res: ServerResponse, url: URL, body: unknown) => void;
}

const AUTH_HEADERS = { 'WWW-Authenticate': 'Basic realm="Asterisk REST Interface"' };

/** basic auth, or ?api_key=user:password (res_ari authenticate_user) */
function authorized(req: IncomingMessage, url: URL, deps: ServerDeps): boolean {
  const header = req.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 && decoded.slice(0, colon) === deps.user && decoded.slice(colon + 1) === deps.password;
  }
  const key = url.searchParams.get('api_key');
  if (key === null) return false;
  const colon = key.indexOf(':');
  return colon >= 0 && key.slice(0, colon) === deps.user && key.slice(colon + 1) === deps.password;
}

function basePathFor(req: IncomingMessage): string {
  return `http://${req.headers.host ?? 'localhost'}/ari`;
}

function serveDocs(req: IncomingMessage, res: ServerResponse, path: string, routes: readonly RouteSpec[]): void {
  const m = /^\/api-docs\/([A-Za-z]+)\.json$/.exec(path);
  const name = m?.[1];
  if (name === 'resources') {
    sendJson(res, 200, resourceListing(routes, basePathFor(req)));
    return;
  }
  const doc = name ? apiDeclaration(routes, name, basePathFor(req)) : undefined;
  if (!doc) sendJson(res, 404, { message: 'Resource not found' });
  else sendJson(res, 200, doc);
}

function dispatch(deps: ServerDeps, res: ServerResponse, method: string, path: string, url: URL, body: unknown): void {
  const routes = activeRoutes(deps.core, deps.routes ?? ARI_ROUTES);
  const { match, pathExists, allow } = matchRoute(routes, method, path);
  deps.faults.count(match ? `${method} ${match.route.path}` : `${method} ${path}`);
  const failure = deps.faults.failureFor(path, method);
  if (failure) {
    sendJson(res, failure.status, failure.body);
    return;
  }
  if (!match) {
    if (pathExists) sendJson(res, 405, { message: 'Invalid method' }, { Allow: allow.join(',') });
    else sendJson(res, 404, { message: 'Resource not found' });
    return;
  }
  const run = (): void => {
    deps.faults.delayed.delete(res);
    if (res.destroyed) return;
    try {
      const result = match.route.handle(deps.core, new RouteArgs(match.params, url.searchParams, body));
      sendJson(res, result.status, result.body, result.headers);
    } catch (err) {
      if (err instanceof AriError) sendJson(res, err.status, err.body);
      else {
        console.error('[ari-sim] request failed', err);
        sendJson(res, 500, { message: 'Internal Server Error' });
      }
    }
  };
  if (deps.faults.delayMs > 0) {
    deps.faults.delayed.add(res);
    deps.core.scheduler.after(deps.faults.delayMs, run);
  } else {
    run();
  }
}

async function handleAri(deps: ServerDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.slice('/ari'.length) || '/';
  if (!authorized(req, url, deps)) {
    sendJson(res, 401, { message: 'Authentication required' }, AUTH_HEADERS);
    return;
  }
  if (deps.faults.booting) {
    sendJson(res, 503, { message: 'Asterisk not booted' });
    return;
  }
  const parsed = await readBody(req);
  if ('error' in parsed) {
    sendJson(res, 400, { message: parsed.error });
    return;
  }
  if (path.startsWith('/api-docs/')) {
    serveDocs(req, res, path, activeRoutes(deps.core, deps.routes ?? ARI_ROUTES));
    return;
  }
  dispatch(deps, res, (req.method ?? 'GET').toUpperCase(), path, url, parsed.body);
}

function rejectUpgrade(socket: Duplex, status: number, reason: string, body: Record<string, unknown>, extra = ''): void {
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extra}Connection: close\r\n\r\n${text}`);
}

export function createSimServer(deps: ServerDeps): { server: Server; wss: WebSocketServer } {
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    const done = (p: Promise<void>): void => {
      p.catch((err: unknown) => {
        console.error('[ari-sim] request failed', err);
        sendJson(res, 500, { message: 'Internal Server Error' });
      });
    };
    if (url.pathname === '/ari' || url.pathname.startsWith('/ari/')) {
      done(handleAri(deps, req, res, url));
    } else if (url.pathname === '/sim' || url.pathname.startsWith('/sim/')) {
      done(readBody(req).then((parsed) => {
        if ('error' in parsed) sendJson(res, 400, { error: parsed.error });
        else deps.control(req, res, url, parsed.body);
      }));
    } else {
      sendJson(res, 404, { message: 'Not Found' });
    }
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://sim.local');
    if (url.pathname !== '/ari/events') {
      rejectUpgrade(socket, 404, 'Not Found', { message: 'Resource not found' });
      return;
    }
    if (!authorized(req, url, deps)) {
      rejectUpgrade(socket, 401, 'Unauthorized', { message: 'Authentication required' }, `WWW-Authenticate: ${AUTH_HEADERS['WWW-Authenticate']}\r\n`);
      return;
    }
    if (deps.faults.booting) {
      rejectUpgrade(socket, 503, 'Service Unavailable', { message: 'Asterisk not booted' });
      return;
    }
    const apps = url.searchParams.getAll('app').flatMap((a) => a.split(',')).map((a) => a.trim()).filter((a) => a !== '');
    if (apps.length === 0) {
      rejectUpgrade(socket, 400, 'Bad Request', { message: "Missing param 'app'" });
      return;
    }
    const subscribeAll = ['yes', 'true', 'y', 't', '1', 'on'].includes((url.searchParams.get('subscribeAll') ?? '').toLowerCase());
    wss.handleUpgrade(req, socket, head, (ws) => deps.sockets.accept(ws, apps, subscribeAll));
  });

  return { server, wss };
}
