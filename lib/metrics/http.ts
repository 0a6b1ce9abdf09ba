// Serving the metrics: a small HTTP server of its own on `metrics.port` (a scrape network, no
// credentials), and the check of the main port's Bearer token (lib/api/routes/meta.ts serves it there).
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';

export interface MetricsSource {
  scrape(): Promise<{ contentType: string; body: string }>;
}

/** what the API's `/metrics` route is given: the scrape, and the token it asks for (none: not served there) */
export interface MetricsEndpoint extends MetricsSource {
  token?: string;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `Authorization: Bearer <token>` with this token, compared in constant time */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = header === undefined ? null : /^Bearer ([^\s]+)$/i.exec(header);
  return m !== null && timingSafeEqual(digest(m[1]!), digest(token));
}

function sendError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** GET /metrics on host:port, nothing else; resolves once listening */
export async function startMetricsServer(source: MetricsSource, host: string, port: number): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') { sendError(res, 404, 'not_found', `${path} not found: only /metrics is served here`); return; }
    if (req.method !== 'GET' && req.method !== 'HEAD') { sendError(res, 405, 'method_not_allowed', `${req.method} is not allowed here (allowed: GET, HEAD)`, { allow: 'GET, HEAD' }); return; }
    source.scrape().then(({ contentType, body }) => {
      res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    }, (err: Error) => sendError(res, 500, 'internal', `metrics failed: ${err.message}`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
