// Structured JSON logs (pino): one object per decision, secrets never written.
import { pino, type Logger } from 'pino';

/** paths pino blanks out wherever they appear in a log object */
export const REDACT_PATHS = [
  'password', '*.password', '*.*.password', 'secret', '*.secret', 'token', '*.token', 'authorization', '*.authorization',
  'req.headers.authorization', 'req.headers.cookie', 'apiKey', '*.apiKey',
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const opts = { level, base: { app: 'attendant' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(opts, destination as unknown as pino.DestinationStream) : pino(opts);
}

/** a logger that writes nothing (tests that do not look at logs) */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace']);

/**
 * Every decision logged about a call says which group and attendant it concerns: a line whose
 * object has a `callId` gets the call's `group` and `attendant` (when it has one) added, unless the
 * line names them itself.
 */
export function withCallContext(log: Logger, lookup: (callId: string) => { group: string; attendant?: string } | undefined): Logger {
  const enrich = (obj: unknown): unknown => {
    if (!obj || typeof obj !== 'object') return obj;
    const o = obj as { callId?: unknown; group?: unknown; attendant?: unknown };
    if (typeof o.callId !== 'string' || (o.group !== undefined && o.attendant !== undefined)) return obj;
    const c = lookup(o.callId);
    if (!c) return obj;
    return { group: c.group, ...(c.attendant !== undefined ? { attendant: c.attendant } : {}), ...o };
  };
  return new Proxy(log, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || !LEVELS.has(prop) || typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => void;
      return (first: unknown, ...rest: unknown[]) => {
        if (!target.isLevelEnabled(prop)) return;
        fn.call(target, enrich(first), ...rest);
      };
    },
  });
}
