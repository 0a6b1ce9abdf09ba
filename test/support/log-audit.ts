// Every log line the controllers of a test run write is checked for secrets: the configured
// passwords (ARI, AMI, Redis), password hashes, API keys and tokens, and the plain passwords the
// tests log in with. The harness logs at trace level through this sink; child controllers' output
// goes through `auditText`; the root hook (test/support/hooks.ts) fails the run on any finding.
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import type { Config } from '../../lib/config.ts';
import { createLogger } from '../../lib/log.ts';

const secrets = new Map<string, string>();
const findings: string[] = [];
let linesSeen = 0;

/** a value that must never appear in a log line; `what` names it in a finding (never the value itself) */
export function registerSecret(what: string, value: string | undefined): void {
  // short values (a test's "x") would match by accident
  if (value && value.length >= 6) secrets.set(value, what);
}

/** the secrets of a parsed configuration */
export function registerConfigSecrets(config: Config): void {
  registerSecret('asterisk.ari.password', config.asterisk.ari.password);
  registerSecret('asterisk.ami.password', config.asterisk.ami?.password);
  if (config.redis.url) {
    try {
      registerSecret('redis.url password', decodeURIComponent(new URL(config.redis.url).password));
    } catch { /* not a URL: the config check refuses it */ }
  }
  for (const u of config.users) registerSecret(`users[${u.name}].passwordHash`, u.passwordHash);
  for (const k of config.apiKeys) registerSecret(`apiKeys[${k.name}].sha256`, k.sha256);
  registerSecret('metrics.token', config.metrics.token);
}

/** scan some log output */
export function auditText(text: string, source: string): void {
  for (const line of text.split('\n')) {
    if (!line) continue;
    linesSeen++;
    for (const [value, what] of secrets) {
      if (line.includes(value)) findings.push(`${source}: a log line holds ${what}: ${line.split(value).join('<SECRET>').slice(0, 300)}`);
    }
  }
}

/** a pino logger at trace level that writes nothing anywhere but is audited */
export function auditLogger(source = 'controller'): Logger {
  const sink = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      auditText(chunk.toString(), source);
      done();
    },
  });
  return createLogger('trace', sink);
}

export function logAudit(): { linesSeen: number; secrets: number; findings: readonly string[] } {
  return { linesSeen, secrets: secrets.size, findings };
}
