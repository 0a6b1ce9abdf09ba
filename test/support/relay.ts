// A TCP relay in front of a server (Redis, Asterisk's HTTP) that a test can cut, restore, make lose
// one reply, or make hold requests: an outage, a command the server applied whose answer never reaches
// the client, a client stopped (killed) between two requests.
import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export class Relay {
  private server = net.createServer((client) => this.relay(client));
  private readonly sockets = new Set<net.Socket>();
  private loseReply: (() => void) | undefined;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(port = 0): Promise<void> {
    this.server = net.createServer((client) => this.relay(client));
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** refuse new connections and reset the open ones */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  /**
   * The next request whose bytes contain `marker` reaches the server, but its reply is swallowed and the
   * client's connection reset: the client cannot know whether it was applied. Resolves once that happened.
   */
  loseReplyTo(marker: string): Promise<void> {
    return new Promise((resolve) => {
      this.armed = marker;
      this.loseReply = resolve;
    });
  }

  private armed: string | undefined;
  private holding: { marker: string; held: () => void } | undefined;

  /**
   * From now on, a request whose bytes contain `marker`, and everything the client sends after it on that
   * connection, is kept back: the server never sees it. Resolves once the first such request is held.
   */
  holdRequestsWith(marker: string): Promise<void> {
    return new Promise((resolve) => { this.holding = { marker, held: resolve }; });
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => { this.sockets.delete(s); client.destroy(); upstream.destroy(); });
    }
    let swallowing = false;
    let held = false;
    client.on('data', (chunk: Buffer) => {
      if (held) return;
      if (this.holding && chunk.includes(this.holding.marker)) {
        held = true;
        this.holding.held();
        return;
      }
      if (this.armed !== undefined && chunk.includes(this.armed)) {
        this.armed = undefined;
        swallowing = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!swallowing) { client.write(chunk); return; }
      // the server answered: it applied the request; the client never hears of it
      client.destroy();
      upstream.destroy();
      const done = this.loseReply;
      this.loseReply = undefined;
      done?.();
    });
  }
}
