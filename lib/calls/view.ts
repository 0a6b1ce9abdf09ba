// The switchboard as the API, the metrics, the demo and the tests read it: a read-only view of the
// ledger's working state. Outside lib/calls nothing reads the ledger's maps; what the view hands out
// is the working state itself (no copies), typed readonly so nobody outside can change it: read again
// to see later commits rather than keeping a record across turns.
import type { AttendantRecord, CallRecord, GroupRecord } from '../domain/model.ts';
import type { Ledger } from './ledger.ts';

/** a record as readers see it: neither it nor any list or object in it can be changed */
export type DeepReadonly<T> = T extends readonly (infer E)[]
  ? ReadonlyArray<DeepReadonly<E>>
  : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** a published change, as the ledger emits it after a commit (records readonly) */
export type StateChange =
  | { readonly kind: 'attendant'; readonly attendant: DeepReadonly<AttendantRecord> }
  | { readonly kind: 'group'; readonly group: DeepReadonly<GroupRecord> }
  | { readonly kind: 'call'; readonly call: DeepReadonly<CallRecord> }
  | { readonly kind: 'queue'; readonly group: string; readonly callIds: readonly string[] };

export interface SwitchboardView {
  attendant(id: string): DeepReadonly<AttendantRecord> | undefined;
  /** every attendant record, in the order they were loaded or created */
  attendants(): Iterable<DeepReadonly<AttendantRecord>>;
  group(id: string): DeepReadonly<GroupRecord> | undefined;
  groups(): Iterable<DeepReadonly<GroupRecord>>;
  /** a call the switchboard holds (an ended call is gone) */
  call(id: string): DeepReadonly<CallRecord> | undefined;
  calls(): Iterable<DeepReadonly<CallRecord>>;
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

  attendant(id: string): DeepReadonly<AttendantRecord> | undefined {
    return this.ledger.attendants.get(id);
  }

  attendants(): Iterable<DeepReadonly<AttendantRecord>> {
    return this.ledger.attendants.values();
  }

  group(id: string): DeepReadonly<GroupRecord> | undefined {
    return this.ledger.groups.get(id);
  }

  groups(): Iterable<DeepReadonly<GroupRecord>> {
    return this.ledger.groups.values();
  }

  call(id: string): DeepReadonly<CallRecord> | undefined {
    return this.ledger.calls.get(id);
  }

  calls(): Iterable<DeepReadonly<CallRecord>> {
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
