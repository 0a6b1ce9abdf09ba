// Reading the fields of a message from Asterisk at the edge (an ARI event's JSON, an AMI message's
// `Key: value` lines), shared by ari-events.ts and ami.ts: a reader takes the fields it needs and
// throws Malformed at the first one missing or of the wrong type; readOrDrop turns that into
// undefined, so a message is used whole or dropped whole, never half-read.

export type Raw = Record<string, unknown>;

/** thrown by a reader at the first bad field */
export class Malformed extends Error {}

export const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

export function str(o: Raw, key: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new Malformed(key);
  return v;
}

export function strOr(o: Raw, key: string, fallback: string): string {
  const v = o[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new Malformed(key);
  return v;
}

export function optStr(o: Raw, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new Malformed(key);
  return v;
}

/** `read(raw)`, or undefined when a field is missing or malformed */
export function readOrDrop<T>(read: (raw: Raw) => T, raw: Raw): T | undefined {
  try {
    return read(raw);
  } catch (err) {
    if (err instanceof Malformed) return undefined;
    throw err;
  }
}
