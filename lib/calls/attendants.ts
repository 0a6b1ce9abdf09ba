// Attendant state changes as the controller applies them: the pure transition, the derived group
// state, the BLF device state `Stasis:<id>`, the absent timer (timer 76), one log line each.
import { absentDue, applyAttendantEvent, deviceStateFor, newAttendant, type AttendantEvent } from '../domain/attendant.ts';
import { DomainError, isDomainError } from '../domain/errors.ts';
import { groupMembers, groupState } from '../domain/group.ts';
import type { TimerHandle } from '../domain/clock.ts';
import type { AttendantRecord, GroupRecord } from '../domain/model.ts';
import { bestEffort, type CallContext } from './context.ts';
import type { Batch } from './ledger.ts';
import { recordAttendantStretch } from './traffic-recorder.ts';

export class AttendantDesk {
  private readonly absentTimers = new Map<string, TimerHandle>();
  /** last device state sent per attendant: only changes go to Asterisk */
  private readonly published = new Map<string, string>();

  constructor(private readonly ctx: CallContext) {}

  /** Make sure every configured attendant and group has a record (first start, or config grew). */
  seed(b: Batch): void {
    const { ledger, config, time } = this.ctx;
    for (const a of config.attendants) {
      const existing = ledger.attendants.get(a.id);
      if (!existing) b.putAttendant(newAttendant({ id: a.id, device: a.device }, time.now()));
      else if (existing.device !== a.device) b.putAttendant({ ...existing, device: a.device });
    }
    for (const g of config.groups) {
      if (!b.group(g.id)) b.putGroup({ id: g.id, mode: 'day', state: 'unplugged', rrCursor: -1 });
    }
    for (const g of config.groups) this.refreshGroup(b, g.id);
  }

  get(id: string): AttendantRecord | undefined {
    return this.ctx.ledger.attendants.get(id);
  }

  /**
   * Apply an event in a batch. Returns the new record, or the domain error when the event does not
   * apply in the current state (the record is then unchanged).
   */
  apply(b: Batch, id: string, ev: AttendantEvent, why?: Record<string, string | undefined>): AttendantRecord | DomainError {
    const { ctx } = this;
    // as the batch sees it: two events in one batch apply one after the other
    const current = b.attendant(id);
    if (!current) return new DomainError('invalid_transition', `unknown attendant "${id}"`, { attendant: id });
    const out = applyAttendantEvent(current, ev, ctx.time.now());
    if (isDomainError(out)) return out;
    if (out.attendant === current) return current;
    b.putAttendant(out.attendant);
    if (out.transition) {
      const t = out.transition;
      recordAttendantStretch(current, t.at, b);
      ctx.log.info({ attendant: id, from: t.from, to: t.to, reason: t.reason, ...why }, 'attendant state');
      b.log({ time: t.at, operator: id, action: `state:${t.to}`, numbers: [], result: t.reason, ...(why?.callId ? { callId: why.callId } : {}) });
      for (const g of this.groupsOf(id)) this.refreshGroup(b, g);
    }
    // armed as decided (a ring timer scheduled later in the same instant must fire after it); a batch
    // dropped after this puts it back with `rearm`
    this.armAbsentTimer(out.attendant);
    return out.attendant;
  }

  /** Groups an attendant is configured in (state is derived for these). */
  groupsOf(attendantId: string): string[] {
    return this.ctx.config.groups.filter((g) => g.members.includes(attendantId)).map((g) => g.id);
  }

  refreshGroup(b: Batch, groupId: string): GroupRecord | undefined {
    const cfg = this.ctx.groupConfig(groupId);
    const rec = b.group(groupId);
    if (!cfg || !rec) return rec;
    const state = groupState(groupMembers(cfg.members, b.attendantView), groupId);
    if (state === rec.state) return rec;
    const next = { ...rec, state };
    b.putGroup(next);
    this.ctx.log.info({ group: groupId, state }, 'group state');
    return next;
  }

  /** Send each changed attendant's state to Asterisk as `Stasis:<id>` (after the batch is stored). */
  publishDeviceStates(changed: Iterable<AttendantRecord>): void {
    for (const a of changed) {
      const state = deviceStateFor(a.state);
      if (this.published.get(a.id) === state) continue;
      this.published.set(a.id, state);
      bestEffort(this.ctx, 'device state', this.ctx.ari.setDeviceState(`Stasis:${a.id}`, state), { attendant: a.id });
    }
  }

  /** after a reconnect Asterisk may have lost custom device states: send them all again */
  republishAll(): void {
    this.published.clear();
    this.publishDeviceStates(this.ctx.ledger.attendants.values());
  }

  private armAbsentTimer(a: AttendantRecord): void {
    const { ctx } = this;
    const due = absentDue(a, ctx.config.timers.absentAfter * 1000);
    const existing = this.absentTimers.get(a.id);
    existing?.cancel();
    this.absentTimers.delete(a.id);
    if (due === undefined) return;
    // timers re-check the state before they act: the attendant may have answered meanwhile
    this.absentTimers.set(a.id, ctx.time.schedule(Math.max(0, due - ctx.time.now()), () => {
      this.absentTimers.delete(a.id);
      this.onAbsentTimer?.(a.id);
    }));
  }

  /** set by the presenter: it must also stop a ringing presentation when the attendant goes absent */
  onAbsentTimer?: (attendantId: string) => void;

  /** the absent timer of an attendant as memory has it (after a batch that applied events to it was dropped) */
  rearm(id: string): void {
    const a = this.ctx.ledger.attendants.get(id);
    if (a) this.armAbsentTimer(a);
  }

  /** re-arm timers after a restart */
  rearmAll(): void {
    for (const a of this.ctx.ledger.attendants.values()) this.armAbsentTimer(a);
  }

  stop(): void {
    for (const t of this.absentTimers.values()) t.cancel();
    this.absentTimers.clear();
  }
}

export { isDomainError };
