// What the API shows of the working state: the stored records with the names and settings an
// operator reads them by. The REST resources and the WebSocket use the same views.
import type { Config, Mode } from '../config.ts';
import { MODES } from '../config.ts';
import type { DeepReadonly, SwitchboardView } from '../calls/view.ts';
import { deviceStateFor, type AttendantDeviceState } from '../domain/attendant.ts';
import type { AttendantRecord, CallRecord, GroupRecord } from '../domain/model.ts';
import { BlfGrid } from '../supervision/blf.ts';
import type { BlfChange, BlfSnapshot } from '../supervision/blf.ts';

/** the record as stored (readonly: it is the working state itself) with what an operator reads it by */
export type AttendantView = DeepReadonly<AttendantRecord> & AttendantExtras;

interface AttendantExtras {
  name: string;
  extension?: string;
  /** a supervisor's set (attendants[].supervisor): the console monitors from it when the login has no position */
  supervisor?: true;
  /** the custom device state published as Stasis:<id> (what a BLF key shows) */
  deviceState: AttendantDeviceState;
}

export interface GroupView extends GroupRecord {
  name: string;
  members: string[];
  strategy: string;
  /** modes the distribution table has a destination for (day always) */
  modes: Mode[];
  /** waiting call ids in serving order */
  queue: string[];
}

/** a call as stored (readonly, whatever its state) with its class's name and whether it has gone */
export type CallView = DeepReadonly<CallRecord> & CallExtras;

interface CallExtras {
  className: string;
  /** the call has ended and left the switchboard (sent once on the WebSocket) */
  removed: boolean;
}

export interface SupervisionView extends BlfSnapshot {
  /** a live feed (AMI) stands behind the lamps; false: the states are unknown or stale */
  connected: boolean;
  source: 'ami' | 'none';
  resyncedAt?: number;
}

/** The supervision seam: lib/supervision/service.ts SupervisionService fits it. */
export interface SupervisionSource {
  snapshot(): BlfSnapshot & { connected: boolean; resyncedAt?: number };
  on(event: 'change', listener: (change: BlfChange) => void): unknown;
}

export class Views {
  private readonly attendants: Map<string, Config['attendants'][number]>;
  private readonly groups: Map<string, Config['groups'][number]>;
  private readonly classes: Map<string, Config['classes'][number]>;
  /** the lamps as configured, all unknown: shown until a supervision feed is wired */
  private readonly staticGrid: BlfSnapshot;

  constructor(private readonly config: Config, private readonly state: SwitchboardView, private readonly supervision: SupervisionSource | undefined, now: number) {
    this.attendants = new Map(config.attendants.map((a) => [a.id, a]));
    this.groups = new Map(config.groups.map((g) => [g.id, g]));
    this.classes = new Map(config.classes.map((c) => [c.id, c]));
    this.staticGrid = new BlfGrid(config.supervision, now).snapshot();
  }

  attendant(a: DeepReadonly<AttendantRecord>): AttendantView {
    const cfg = this.attendants.get(a.id);
    return {
      ...a,
      name: cfg?.name ?? a.id,
      ...(cfg?.extension !== undefined ? { extension: cfg.extension } : {}),
      ...(cfg?.supervisor ? { supervisor: true as const } : {}),
      deviceState: deviceStateFor(a.state),
    };
  }

  group(g: DeepReadonly<GroupRecord>): GroupView {
    const cfg = this.groups.get(g.id);
    const modes = MODES.filter((m) => m === 'day' || cfg?.table[m] !== undefined);
    return {
      ...g,
      name: cfg?.name ?? g.id,
      members: [...(cfg?.members ?? [])],
      strategy: cfg?.strategy ?? 'longest-idle',
      modes,
      queue: [...this.state.queue(g.id)],
    };
  }

  call(c: DeepReadonly<CallRecord>): CallView {
    return {
      ...c,
      className: this.classes.get(c.callClass)?.name ?? c.callClass,
      removed: c.state === 'ended' || this.state.call(c.id) === undefined,
    };
  }

  allAttendants(): AttendantView[] {
    return this.config.attendants.flatMap((cfg) => {
      const rec = this.state.attendant(cfg.id);
      return rec ? [this.attendant(rec)] : [];
    });
  }

  allGroups(): GroupView[] {
    return this.config.groups.flatMap((cfg) => {
      const rec = this.state.group(cfg.id);
      return rec ? [this.group(rec)] : [];
    });
  }

  allCalls(): CallView[] {
    return [...this.state.calls()].sort((a, b) => a.arrivedAt - b.arrivedAt).map((c) => this.call(c));
  }

  supervisionView(): SupervisionView {
    if (!this.supervision) return { ...this.staticGrid, connected: false, source: 'none' };
    const s = this.supervision.snapshot();
    return { extensions: s.extensions, trunks: s.trunks, connected: s.connected, source: 'ami', ...(s.resyncedAt !== undefined ? { resyncedAt: s.resyncedAt } : {}) };
  }

  classList(): Array<{ id: string; name: string; priority: number }> {
    return this.config.classes.map((c) => ({ id: c.id, name: c.name ?? c.id, priority: c.priority }));
  }
}
