// The queue_log export fed from the ledger: each batch's action-log lines and attendant records go
// through the pure tracker (lib/stats/queue-log.ts); the lines it makes are stored with that batch
// (exactly once, like the statistics) and handed to a sink (the queue_log file) as they are decided.
import type { AttendantRecord, CallRecord } from '../domain/model.ts';
import type { TimeSource } from '../domain/clock.ts';
import { formatQueueLogLine, QueueLogTracker, type QueueLogView } from '../stats/queue-log.ts';
import type { Batch, Ledger } from './ledger.ts';

export interface QueueLogOptions {
  /** store the lines with each batch (`attendant queue-log` and GET /api/queue-log read them back) */
  store: boolean;
  transferContext: string;
  /** lines as they are decided (the queue_log file) */
  sink?: (lines: string[]) => void;
}

export class QueueLogRecorder {
  private readonly tracker = new QueueLogTracker();

  constructor(private readonly ledger: Ledger, private readonly time: TimeSource, private readonly opts: QueueLogOptions) {
    ledger.observe((b) => this.read(b));
  }

  /** after the store snapshot is loaded: visits and members already open are not entered again */
  prime(): void {
    this.tracker.prime(this.ledger.attendants.values(), this.ledger.calls.values(), this.view(new Map()));
  }

  private read(b: Batch): void {
    const entries = b.logEntries();
    const attendants: AttendantRecord[] = [];
    const calls = new Map<string, CallRecord>();
    for (const c of b.changes) {
      if (c.kind === 'attendant') attendants.push(c.attendant);
      else if (c.kind === 'call') calls.set(c.call.id, c.call);
    }
    if (!entries.length && !attendants.length) return;
    const lines = this.tracker.read(entries, attendants, this.time.now(), this.view(calls));
    if (!lines.length) return;
    const text = lines.map(formatQueueLogLine);
    if (this.opts.store) lines.forEach((l, i) => b.queueLog(l.time, text[i]!));
    this.opts.sink?.(text);
  }

  private view(batchCalls: Map<string, CallRecord>): QueueLogView {
    const { ledger } = this;
    return {
      call: (id) => batchCalls.get(id) ?? ledger.calls.get(id),
      queue: (group) => ledger.queues.get(group) ?? [],
      transferContext: this.opts.transferContext,
    };
  }
}
