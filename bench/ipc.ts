// Request/answer over the IPC channel of a forked child: the bench process asks, the simulator,
// controller and baseline processes answer. Errors travel back as messages.
import { fork, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

interface Ask { id: number; cmd: string; args: unknown }
interface Answer { id: number; ok: boolean; value?: unknown; error?: string }
type Handlers = Record<string, (args: never) => unknown>;

/** In a child: answer each request with its handler (a `stop` handler cleans up; the child then exits). */
export function serve(handlers: Handlers, ready: unknown): void {
  process.on('message', (msg: Ask) => {
    const handler = handlers[msg.cmd] as ((args: unknown) => unknown) | undefined;
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`unknown command ${msg.cmd}`);
        return handler(msg.args);
      })
      .then(
        (value) => ({ id: msg.id, ok: true, value }) satisfies Answer,
        (err: unknown) => ({ id: msg.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }) satisfies Answer,
      )
      // `stop` is answered, then the child leaves
      .then((answer) => process.send?.(answer, undefined, undefined, () => { if (msg.cmd === 'stop') process.exit(0); }));
  });
  process.send?.({ id: 0, ok: true, value: ready } satisfies Answer);
  // the parent went away: nothing left to measure for
  process.on('disconnect', () => process.exit(0));
}

export class Child<R = unknown> {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited: string | undefined;

  private constructor(readonly name: string, readonly process: ChildProcess, readonly ready: Promise<R>) {}

  /**
   * Fork a TypeScript entry (through tsx) with IPC; its stdout and stderr go to `<logDir>/<name>.log`.
   * Resolves once the child said it is ready.
   */
  static async start<R>(name: string, entry: string, opts: { logDir: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[]; args?: string[] }): Promise<Child<R>> {
    const log = createWriteStream(join(opts.logDir, `${name}.log`));
    const proc = fork(entry, opts.args ?? [], {
      execArgv: ['--import', 'tsx', ...(opts.nodeArgs ?? [])],
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    proc.stdout?.pipe(log);
    proc.stderr?.pipe(log);
    let resolveReady!: (v: R) => void;
    let rejectReady!: (e: Error) => void;
    const ready = new Promise<R>((res, rej) => { resolveReady = res; rejectReady = rej; });
    const child = new Child<R>(name, proc, ready);
    proc.on('message', (msg: Answer) => {
      if (msg.id === 0) { resolveReady(msg.value as R); return; }
      const w = child.waiting.get(msg.id);
      if (!w) return;
      child.waiting.delete(msg.id);
      if (msg.ok) w.resolve(msg.value);
      else w.reject(new Error(`${name}: ${msg.error}`));
    });
    proc.on('exit', (code, signal) => {
      child.exited = `${name} exited (${signal ?? code}); see ${join(opts.logDir, `${name}.log`)}`;
      const err = new Error(child.exited);
      rejectReady(err);
      for (const w of child.waiting.values()) w.reject(err);
      child.waiting.clear();
    });
    await ready;
    return child;
  }

  ask<T>(cmd: string, args: unknown = {}): Promise<T> {
    if (this.exited || !this.process.connected) return Promise.reject(new Error(this.exited ?? `${this.name} is not connected`));
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.process.send({ id, cmd, args } satisfies Ask, (err) => {
        if (!err) return;
        this.waiting.delete(id);
        reject(err);
      });
    });
  }

  /** ask it to stop; one that does not answer within 10 s (or exit 5 s later) is killed */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((r) => this.process.once('exit', () => r()));
    const answered = await Promise.race([this.ask('stop').then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    const timer = setTimeout(() => this.process.kill('SIGKILL'), answered ? 5000 : 0);
    await gone;
    clearTimeout(timer);
  }

  /** kill it now (the bench was interrupted) */
  kill(): void {
    if (!this.exited) this.process.kill('SIGKILL');
  }
}
