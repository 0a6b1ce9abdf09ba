// The login limits. Every attempt takes its slots in the store's attempt counters before the password
// is checked (atomically, shared by both controllers), so parallel attempts cannot all slip past a
// limit that is checked first and counted after the slow hash:
// - per address: `perAddress` attempts a window, whatever the names;
// - per name at an address: `perUser` attempts a window (an attacker at one address stops there);
// - per name from anywhere (15 minutes): beyond `perUser` attempts, an address the name has never
//   logged in from gets one try per delay (1 s, 2 s, 4 s ... up to `maxDelay`), while the addresses
//   the owner logged in from (remembered 14 days from a first success there) pass: an attack on a name slows the attacker without
//   locking the owner out.
// A success gives its slots back (only failures keep counting). The hash itself runs under a bound
// (`concurrentHashes`, a short queue beyond): scrypt takes 30-80 ms of a core, and 200 of them at
// once made /healthz wait (785 ms in issue 19's measurement).
import type { LoginSettings } from '../../config.ts';
import type { AttemptCounter, Store } from '../../store/store.ts';
import { ApiError } from '../errors.ts';

/** how long attempts at a name count toward its back-off */
export const NAME_WINDOW_MS = 15 * 60_000;
/** how long an address is remembered as one the name logged in from */
export const KNOWN_ADDRESS_MS = 14 * 24 * 3600_000;
/** hashes waiting for a slot at most; beyond, a login is answered 429 at once */
export const MAX_WAITING_HASHES = 64;

export const tooManyAttempts = (waitMs: number, message = 'too many login attempts: try again later'): ApiError =>
  new ApiError(429, 'too_many_attempts', message, { headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) } });

/** One exponential step per attempt past the free ones: 1 s, 2 s, 4 s ... capped (whole seconds). */
export function backoffDelayMs(pastFree: number, maxDelayMs: number): number {
  const step = Math.min(Math.max(pastFree, 1) - 1, 30);
  return Math.max(1000, Math.min(1000 * 2 ** step, Math.floor(maxDelayMs / 1000) * 1000));
}

/** At most `size` tasks at once, `maxWaiting` more in line; the rest refused at once. */
export class Slots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number, private readonly maxWaiting: number) {}

  /** undefined when the line is full: the task did not run */
  async run<T>(task: () => Promise<T>): Promise<{ value: T } | undefined> {
    if (this.running >= this.size) {
      if (this.waiting.length >= this.maxWaiting) return undefined;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return { value: await task() };
    } finally {
      const next = this.waiting.shift();
      // the slot passes straight to the next in line
      if (next) next(); else this.running--;
    }
  }
}

export class LoginGuard {
  private readonly byAddress: AttemptCounter;
  private readonly byNameAtAddress: AttemptCounter;
  private readonly byName: AttemptCounter;
  private readonly nameGate: AttemptCounter;
  private readonly knownAddresses: AttemptCounter;
  private readonly hashes: Slots;

  constructor(store: Pick<Store, 'attemptCounter'>, private readonly limits: LoginSettings) {
    const windowMs = limits.window * 1000;
    this.byAddress = store.attemptCounter('login-address', { limit: limits.perAddress, windowMs });
    this.byNameAtAddress = store.attemptCounter('login-name-address', { limit: limits.perUser, windowMs });
    this.byName = store.attemptCounter('login-name', { limit: limits.perUser, windowMs: NAME_WINDOW_MS });
    // one try per delay: each take opens a window of that try's delay
    this.nameGate = store.attemptCounter('login-name-gate', { limit: 1, windowMs: 1000 });
    this.knownAddresses = store.attemptCounter('login-known', { limit: Number.MAX_SAFE_INTEGER, windowMs: KNOWN_ADDRESS_MS });
    this.hashes = new Slots(limits.concurrentHashes, MAX_WAITING_HASHES);
  }

  /**
   * One login attempt from `address` at `name`: the slots first (429 when a limit is reached), then
   * `check` (the password hash) under the hash bound. What `check` found (undefined: wrong).
   */
  async attempt<T>(address: string, name: string, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const nameKey = name.normalize('NFC').toLowerCase();
    const pairKey = `${nameKey}\n${address}`;
    const byAddress = await this.byAddress.take(address);
    if (!byAddress.allowed) throw tooManyAttempts(byAddress.resetMs);
    const byPair = await this.byNameAtAddress.take(pairKey);
    if (!byPair.allowed) throw tooManyAttempts(byPair.resetMs);
    const byName = await this.byName.take(nameKey);
    if (!byName.allowed && (await this.knownAddresses.peek(pairKey)).count === 0) {
      const gate = await this.nameGate.take(nameKey, backoffDelayMs(byName.count - this.limits.perUser, this.limits.maxDelay * 1000));
      if (!gate.allowed) {
        // refused before the hash: it does not make the next delay longer
        await this.byName.giveBack(nameKey);
        throw tooManyAttempts(gate.resetMs, 'too many login attempts at this name: try again later');
      }
    }
    const giveBack = () => Promise.all([this.byAddress.giveBack(address), this.byNameAtAddress.giveBack(pairKey), this.byName.giveBack(nameKey)]);
    const done = await this.hashes.run(check);
    if (!done) {
      await giveBack();
      throw tooManyAttempts(1000, 'too many logins at once: try again in a moment');
    }
    if (done.value !== undefined) {
      await giveBack();
      await this.knownAddresses.take(pairKey);
    }
    return done.value;
  }
}
