// Awaiting events with a bounded timeout: tests never sleep, they wait for what must happen.

export type Subscribe<A extends unknown[]> = (listener: (...args: A) => void) => () => void;

/** Resolve with the first arguments the subscription delivers that satisfy `match`, or fail after timeoutMs. */
export function waitFor<A extends unknown[]>(subscribe: Subscribe<A>, what: string, match: (...args: A) => boolean = () => true, timeoutMs = 3000): Promise<A> {
  return new Promise((resolve, reject) => {
    const sub: { off?: () => void } = {};
    const timer = setTimeout(() => { sub.off?.(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)); }, timeoutMs);
    sub.off = subscribe((...args) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      sub.off?.();
      resolve(args);
    });
  });
}
