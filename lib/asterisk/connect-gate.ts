// At most a few TCP connects to Asterisk's HTTP server in flight at once. Asterisk listens with a
// backlog of 10 (main/tcptls.c, `listen(fd, 10)`): a burst of new connections past it (a pool growing
// under a burst of requests, every lamp sent again after a reconnect) has its SYNs dropped, and the
// kernel tries again one second later. Seen on Asterisk 23.4.1: after an ARI reconnect the ~20
// device states sent at once took 1.03-1.07 s each, and the reconcile that waited for them kept a
// new caller unpresented for that second. Connects past the limit wait for one in flight to finish.
import type http from 'node:http';
import type { Duplex } from 'node:stream';

type Create = (options: unknown, cb: (err: Error | null, socket?: Duplex) => void) => Duplex | undefined;

export class ConnectGate {
  private connecting = 0;
  private readonly waiting: Array<() => void> = [];
  /** the most connects seen in flight at once (the tests read it) */
  peak = 0;

  constructor(private readonly limit: number) {}

  /** `agent` opens its sockets through this gate from now on */
  attach(agent: http.Agent): void {
    const agentInternals = agent as unknown as { createConnection: Create };
    const create = agentInternals.createConnection.bind(agent);
    // Node's agent takes a socket given later to the callback when createConnection returns none
    agentInternals.createConnection = (options, cb) => {
      this.whenFree(() => {
        let socket: Duplex | undefined;
        try {
          socket = create(options, () => undefined);
        } catch (err) {
          this.release();
          cb(err as Error);
          return;
        }
        if (!socket) {
          this.release();
          cb(new Error('no socket'));
          return;
        }
        let done = false;
        const release = () => { if (!done) { done = true; this.release(); } };
        socket.once('connect', release);
        socket.once('secureConnect', release);
        socket.once('error', release);
        socket.once('close', release);
        cb(null, socket);
      });
      return undefined;
    };
  }

  private whenFree(start: () => void): void {
    if (this.connecting < this.limit) {
      this.connecting++;
      if (this.connecting > this.peak) this.peak = this.connecting;
      start();
    } else {
      this.waiting.push(start);
    }
  }

  private release(): void {
    this.connecting--;
    const next = this.waiting.shift();
    if (next) this.whenFree(next);
  }
}
