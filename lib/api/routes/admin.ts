// Configuration read-back for admins, with every secret redacted.
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { route, type Resource } from '../route.ts';

const SECRET_KEY = /pass(word)?|secret|sha256|token|key$/i;

/** A deep copy with secrets replaced: passwords, password hashes, API key digests, credentials in URLs. */
export function redactConfig(config: Config): unknown {
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') {
      if (SECRET_KEY.test(key)) return '[redacted]';
      if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(v) && URL.canParse(v)) {
        const u = new URL(v);
        if (u.password) u.password = 'redacted';
        return u.toString();
      }
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(config, '');
}

export const adminResource: Resource = {
  name: 'admin',
  description: 'Configuration (admins)',
  routes: [
    route({
      method: 'get', path: '/api/config', access: 'admin',
      summary: 'The configuration in force, passwords, hashes and keys redacted',
      ok: { status: 200, description: 'the configuration', schema: z.record(z.string(), z.unknown()) },
      handler: ({ deps }) => redactConfig(deps.config),
    }),
  ],
};
