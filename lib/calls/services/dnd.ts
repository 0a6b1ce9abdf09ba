// Hotel do-not-disturb for extensions: the desk "locks" a room's phone, optionally until a time.
// Each DND is a store document (it survives a restart) and a custom device state
// `Stasis:dnd-<ext>` (BUSY while on) that the dialplan's [attendant-dnd] Gosub tests before
// dialling the room: a DND'd room's callers come to the desk as class `dnd`, and the call record
// says whose DND it is and until when.
import { z } from 'zod';
import type { DndFields } from '../../domain/call.ts';
import type { CallContext } from '../context.ts';
import { OperationError, type ExtensionDnd } from '../operations-port.ts';
import { DocCollection, DueTimers, EXTENSION } from './docs.ts';
import { checkQuota, siteNumbering } from '../numbering.ts';

export const DND_CLASS = 'dnd';

const dndDoc = z.object({ extension: z.string(), by: z.string(), since: z.number(), until: z.number().optional() });

/** the device state the dialplan reads: DEVICE_STATE(Stasis:dnd-<ext>) */
const DND_DEVICE_PREFIX = 'Stasis:dnd-';
export const dndDevice = (extension: string): string => `${DND_DEVICE_PREFIX}${extension}`;

export class ExtensionDndService {
  private readonly docs: DocCollection<ExtensionDnd>;
  private readonly timers: DueTimers;

  constructor(private readonly ctx: CallContext) {
    this.docs = new DocCollection(ctx, 'dnd', dndDoc);
    this.timers = new DueTimers(ctx);
  }

  load(): Promise<void> {
    return this.docs.load();
  }

  list(): ExtensionDnd[] {
    return [...this.docs.items.values()].sort((a, b) => a.extension.localeCompare(b.extension)).map((d) => ({ ...d }));
  }

  async set(extension: string, on: boolean, by: string, until?: number): Promise<void> {
    const { ctx } = this;
    if (!EXTENSION.test(extension)) throw new OperationError('invalid_target', `"${extension}" is not an extension number`);
    const now = ctx.time.now();
    const b = ctx.ledger.batch();
    if (on) {
      // an extension of the numbering plan; released whatever it is (the plan may have changed since)
      siteNumbering(ctx.config).extension(extension);
      if (!this.docs.items.has(extension)) checkQuota(ctx.config.quotas, 'dnd', this.docs.items.size, 'extensions in do not disturb');
      if (until !== undefined && until <= now) throw new OperationError('invalid_value', `until (${new Date(until).toISOString()}) is not in the future`);
      const rec: ExtensionDnd = { extension, by, since: now, ...(until !== undefined ? { until } : {}) };
      this.docs.put(b, extension, rec);
      b.log({ time: now, operator: by, action: 'dnd-on', numbers: [extension], result: 'ok', ...(until !== undefined ? { detail: { until: new Date(until).toISOString() } } : {}) });
      await ctx.ledger.commit(b);
      this.arm(rec);
    } else {
      const rec = this.docs.items.get(extension);
      if (!rec) throw new OperationError('not_found', `extension ${extension} is not in do not disturb`);
      this.docs.remove(b, extension);
      b.log({ time: now, operator: by, action: 'dnd-off', numbers: [extension], result: 'ok', detail: { setBy: rec.by } });
      await ctx.ledger.commit(b);
      this.timers.cancel(extension);
    }
    ctx.log.info({ extension, on, by, until }, 'extension do not disturb');
    await this.publish(extension, on);
  }

  /** Stasis(attendant,dnd,<group>,<ext>): the call shows whose DND diverted it */
  describe(args: string[]): DndFields {
    const extension = args[2];
    if (args[0] !== DND_CLASS || !extension) return {};
    const rec = this.docs.items.get(extension);
    return { dndExtension: extension, ...(rec ? { dndBy: rec.by, ...(rec.until !== undefined ? { dndUntil: rec.until } : {}) } : {}) };
  }

  /**
   * After a start or a reconnect: every DND lamp again, and the expiry timers. A lamp Asterisk still
   * shows BUSY for an extension the store has no DND for (a DND released while this controller was
   * down, or a store started afresh) would keep diverting that room's calls: it is cleared.
   */
  rearm(): Promise<void> {
    for (const rec of this.docs.items.values()) {
      void this.publish(rec.extension, true);
      if (!this.timers.has(rec.extension)) this.arm(rec);
    }
    return this.clearStaleLamps();
  }

  private async clearStaleLamps(): Promise<void> {
    let states: Array<{ name: string; state: string }>;
    try {
      states = await this.ctx.ari.listDeviceStates();
    } catch (err) {
      this.ctx.log.warn({ err: (err as Error).message }, 'cannot list device states: stale DND lamps stay until the next reconnect');
      return;
    }
    for (const { name, state } of states) {
      const extension = name.startsWith(DND_DEVICE_PREFIX) ? name.slice(DND_DEVICE_PREFIX.length) : undefined;
      if (extension === undefined || state === 'NOT_INUSE' || this.docs.items.has(extension)) continue;
      this.ctx.log.info({ extension, state }, 'DND lamp with no DND in the store: cleared');
      await this.publish(extension, false);
    }
  }

  stop(): void {
    this.timers.stop();
  }

  private arm(rec: ExtensionDnd): void {
    if (rec.until === undefined) {
      this.timers.cancel(rec.extension);
      return;
    }
    this.timers.at(rec.extension, rec.until, () => { void this.expire(rec.extension, rec.until!); });
  }

  /** the until time came: released by itself (re-checked: it may have been set again meanwhile) */
  private async expire(extension: string, until: number): Promise<void> {
    const { ctx } = this;
    const rec = this.docs.items.get(extension);
    if (rec?.until !== until) return;
    const b = ctx.ledger.batch();
    this.docs.remove(b, extension);
    b.log({ time: ctx.time.now(), operator: 'system', action: 'dnd-expired', numbers: [extension], result: 'ok', detail: { setBy: rec.by, until: new Date(until).toISOString() } });
    await ctx.ledger.commit(b);
    ctx.log.info({ extension, setBy: rec.by }, 'extension do not disturb expired');
    await this.publish(extension, false);
  }

  private async publish(extension: string, on: boolean): Promise<void> {
    try {
      await this.ctx.ari.setDeviceState(dndDevice(extension), on ? 'BUSY' : 'NOT_INUSE');
    } catch (err) {
      // the document is the truth: the lamp is published again on the next reconnect
      this.ctx.log.warn({ extension, err: (err as Error).message }, 'cannot publish the DND device state');
    }
  }
}
