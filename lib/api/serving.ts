// What every listener on the HTTP port does, kept apart from the API so a starting process can
// listen before the controller's modules are loaded: security headers, the console's files, a JSON
// answer to requests Node's parser refuses, and the waiting app (/healthz, the console, 503 for the
// API) served while this process is not the active controller.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { healthReport, type HealthSources } from './health.ts';

export function defaultPublicDir(): string {
  // lib/api/ in the sources, dist/lib/api/ once compiled: public/ sits at the repository root
  for (const rel of ['../../public/', '../../../public/']) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(dir)) return dir;
  }
  return fileURLToPath(new URL('../../public/', import.meta.url));
}

export function securityHeaders() {
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
