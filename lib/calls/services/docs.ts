// What the desk services share: their records kept in memory and written through the ledger as
// store documents (`att:doc:<kind>:<id>`), read back at start through a zod schema (the store is an
// edge too), and timers for instants that may be days away.
import type { z } from 'zod';
import type { TimerHandle } from '../../domain/clock.ts';
import type { CallContext } from '../context.ts';
import type { Batch } from '../ledger.ts';

export class DocCollection<T extends object> {
  readonly items = new Map<string, T>();

  constructor(private readonly ctx: CallContext, readonly kind: string, private readonly schema: z.ZodType<T>) {
    // an emptied Redis gets them back with the rest of the working state
    ctx.ledger.keepDocs(kind, () => this.items.entries());
  }

  /** the stored documents; one that does not read back as its type is logged and left out */
  async load(): Promise<void> {
    this.items.clear();
    for (const { id, doc } of await this.ctx.ledger.listDocs(this.kind)) {
      const r = this.schema.safeParse(doc);
      if (r.success) this.items.set(id, r.data);
      else this.ctx.log.error({ kind: this.kind, id, err: r.error.message }, 'stored document unreadable; ignored');
    }
  }

  put(b: Batch, id: string, item: T): T {
    this.items.set(id, item);
    b.putDoc(this.kind, id, item as Record<string, unknown>);
    return item;
  }

  remove(b: Batch, id: string): void {
    this.items.delete(id);
    b.deleteDoc(this.kind, id);
  }
}

/** at most a day per timer: Node's timers overflow after 24.8 days, and a far date is re-checked on the way */
const MAX_STEP = 24 * 3600_000;

/** One timer per key, due at an instant (ms epoch); setting a key again replaces its timer. */
export class DueTimers {
  private readonly timers = new Map<string, TimerHandle>();

  constructor(private readonly ctx: CallContext) {}

  at(key: string, due: number, fn: () => void): void {
    this.cancel(key);
    const wait = due - this.ctx.time.now();
    this.timers.set(key, this.ctx.time.schedule(Math.max(0, Math.min(wait, MAX_STEP)), () => {
      this.timers.delete(key);
      if (this.ctx.time.now() < due) this.at(key, due, fn);
      else fn();
    }));
  }

  has(key: string): boolean {
    return this.timers.has(key);
  }

  cancel(key: string): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}

/** extensions as the API and the dialplan take them */
export const EXTENSION = /^[0-9*#+]{1,32}$/;
