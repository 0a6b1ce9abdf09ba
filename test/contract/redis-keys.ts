// Test-only Redis housekeeping: every test writes under a random prefix and deletes exactly those keys.
import { randomUUID } from 'node:crypto';
import type { createClient } from 'redis';

export const testPrefix = (): string => `t:${randomUUID()}:`;

/** Deletes only the keys under a test's own prefix (never FLUSHDB: the database is shared). */
export async function deletePrefix(client: ReturnType<typeof createClient>, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const reply = await client.scan(cursor, { MATCH: `${prefix}*`, COUNT: 500 });
    cursor = reply.cursor;
    if (reply.keys.length > 0) await client.unlink(reply.keys);
  } while (cursor !== '0');
}
