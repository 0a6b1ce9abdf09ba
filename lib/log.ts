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
