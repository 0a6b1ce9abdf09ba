// The switchboard as the API, the metrics, the demo and the tests read it: a read-only view of the
// ledger's working state. Outside lib/calls nothing reads the ledger's maps; what the view hands out
// is the working state itself (no copies), typed readonly so nobody outside can change it. Records
// are replaced, never changed in place, by a commit: one read stays as it was, read again to see later
// commits.
import type { AttendantRecord, CallRecord, GroupRecord } from '../domain/model.ts';
import type { Ledger } from './ledger.ts';

/** a published change, as the ledger emits it after a commit (records readonly) */
export type StateChange =
  | { readonly kind: 'attendant'; readonly attendant: Readonly<AttendantRecord> }
  | { readonly kind: 'group'; readonly group: Readonly<GroupRecord> }
  | { readonly kind: 'call'; readonly call: Readonly<CallRecord> }
  | { readonly kind: 'queue'; readonly group: string; readonly callIds: readonly string[] };

export interface SwitchboardView {
  attendant(id: string): Readonly<AttendantRecord> | undefined;
  /** every attendant record, in the order they were loaded or created */
  attendants(): Iterable<Readonly<AttendantRecord>>;
  group(id: string): Readonly<GroupRecord> | undefined;
  groups(): Iterable<Readonly<GroupRecord>>;
  /** a call the switchboard holds (an ended call is gone) */
  call(id: string): Readonly<CallRecord> | undefined;
  calls(): Iterable<Readonly<CallRecord>>;
  callCount(): number;
  /** a group's waiting call ids in serving order (empty when none) */
  queue(groupId: string): readonly string[];
  /** every queue the switchboard keeps, a group no longer configured included */
  queues(): Iterable<readonly [groupId: string, callIds: readonly string[]]>;
  /** store batches decided and not yet written (grows while the store is unreachable) */
  storeBacklog(): number;
  /** every change once committed, in commit order; returns the unsubscribe */
  onChange(fn: (c: StateChange) => void): () => void;
}

const NONE: readonly string[] = Object.freeze([]);

/** the view over a ledger: reads go to its maps as they are now */
export class LedgerView implements SwitchboardView {
  constructor(private readonly ledger: Ledger) {}

  attendant(id: string): Readonly<AttendantRecord> | undefined {
    return this.ledger.attendants.get(id);
  }

  attendants(): Iterable<Readonly<AttendantRecord>> {
    return this.ledger.attendants.values();
  }

  group(id: string): Readonly<GroupRecord> | undefined {
    return this.ledger.groups.get(id);
  }

  groups(): Iterable<Readonly<GroupRecord>> {
    return this.ledger.groups.values();
  }

  call(id: string): Readonly<CallRecord> | undefined {
    return this.ledger.calls.get(id);
  }

  calls(): Iterable<Readonly<CallRecord>> {
    return this.ledger.calls.values();
  }

  callCount(): number {
    return this.ledger.calls.size;
  }

  queue(groupId: string): readonly string[] {
    return this.ledger.queues.get(groupId) ?? NONE;
  }

  queues(): Iterable<readonly [string, readonly string[]]> {
    return this.ledger.queues.entries();
  }

  storeBacklog(): number {
    return this.ledger.backlog;
  }

  onChange(fn: (c: StateChange) => void): () => void {
    this.ledger.on('change', fn);
    return () => { this.ledger.off('change', fn); };
  }
}
