// Password hashes as `scrypt$<salt hex>$<hash hex>` (node:crypto scrypt, N=2^14 r=8 p=1, 64-byte key),
// compared in constant time. API keys are kept as sha256 hex of the key.
import { createHash, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 64;
const PARAMS = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const FORMAT = /^scrypt\$([0-9a-f]{16,})\$([0-9a-f]{32,})$/;

/** A new hash with a random 16-byte salt (synchronous: for the CLI helper). */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFC'), salt, KEY_LENGTH, PARAMS);
  return `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`;
}

function scryptAsync(password: string, salt: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, PARAMS, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

// a hash to compare against when the user does not exist, so that an unknown name costs as much time as a wrong password
const DUMMY = `scrypt$${'00'.repeat(16)}$${'00'.repeat(KEY_LENGTH)}`;

/** True when `password` matches `stored`; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const m = FORMAT.exec(stored ?? DUMMY) ?? FORMAT.exec(DUMMY)!;
  const salt = Buffer.from(m[1]!, 'hex');
  const expected = Buffer.from(m[2]!, 'hex');
  const actual = await scryptAsync(password.normalize('NFC'), salt, expected.length);
  return stored !== undefined && FORMAT.test(stored) && timingSafeEqual(actual, expected);
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests of the same length. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
