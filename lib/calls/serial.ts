// ARI commands on one caller run one after another (answer, then bridge, then ...), while
// different calls proceed in parallel. A failing step never blocks the steps queued behind it.
export class SerialRunner {
  private readonly tails = new Map<string, Promise<void>>();

  run(key: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => { if (this.tails.get(key) === tail) this.tails.delete(key); });
    return next;
  }

  /** resolves once the steps queued for this key so far are done (however they ended) */
  settled(key: string): Promise<void> {
    return this.tails.get(key) ?? Promise.resolve();
  }

  /** true while steps for this key are queued or running */
  has(key: string): boolean {
    return this.tails.has(key);
  }

  /** steps still queued or running */
  get active(): number {
    return this.tails.size;
  }

  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }
}
