// Writing HTTP answers the way Asterisk's HTTP server does (JSON, its Server header).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ASTERISK_VERSION } from '../ari/routes-system.ts';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const base = { Server: `Asterisk/${ASTERISK_VERSION}`, ...headers };
  if (status === 204 || body === undefined) {
    res.writeHead(status, { ...base, 'Content-Length': '0' });
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { ...base, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(text);
}

/** the whole request body, parsed: JSON object, form fields (as an object), or undefined when empty */
export async function readBody(req: IncomingMessage): Promise<{ body: unknown } | { error: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { body: undefined };
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('application/x-www-form-urlencoded')) return { body: Object.fromEntries(new URLSearchParams(text)) };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return { error: 'Error parsing request body' };
  }
}
