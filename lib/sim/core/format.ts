// How Asterisk writes times on the wire: 2026-11-23T11:03:00.156+0000 (the simulator runs in UTC).

export function ariTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}+0000`;
}

/** `%08x`, the suffix channel drivers put after an endpoint name */
export function hex8(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
