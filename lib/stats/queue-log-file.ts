// The queue_log file: lines appended in the order they were decided, one write stream kept open.
// A failing disk is logged (once per error streak) and never stops a call.
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Logger } from 'pino';

export interface QueueLogFile {
  write(lines: string[]): void;
  close(): Promise<void>;
}

export function openQueueLogFile(path: string, log: Logger): QueueLogFile {
  let failing = false;
  const stream: WriteStream = createWriteStream(path, { flags: 'a' });
  stream.on('error', (err) => {
    if (!failing) log.error({ err, path }, 'queue_log file cannot be written');
    failing = true;
  });
  return {
    write(lines) {
      if (stream.destroyed) return;
      stream.write(lines.map((l) => `${l}\n`).join(''), (err) => { if (!err) failing = false; });
    },
    close: () => new Promise<void>((resolve) => {
      if (stream.destroyed) resolve();
      else stream.end(() => resolve());
    }),
  };
}
