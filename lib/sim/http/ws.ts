// The /ari/events WebSockets: each one registers its apps; a newer socket takes an app over.
import { WebSocket } from 'ws';
import type { SimCore } from '../core/core.ts';

interface OpenSocket {
  ws: WebSocket;
  apps: string[];
}

export class EventSockets {
  private nextId = 1;
  private readonly open = new Map<number, OpenSocket>();

  constructor(private readonly core: SimCore) {}

  accept(ws: WebSocket, apps: string[], subscribeAll: boolean): void {
    const id = this.nextId++;
    const sink = { id, send: (text: string) => { if (ws.readyState === WebSocket.OPEN) ws.send(text); } };
    this.open.set(id, { ws, apps });
    const replaced = this.core.apps.attach(apps, subscribeAll, sink);
    for (const { app, previous } of replaced) {
      // the app's event filter applies to this one too (ari_websocket_send_event)
      if (!app.allows('ApplicationReplaced')) continue;
      previous.send(JSON.stringify({ type: 'ApplicationReplaced', timestamp: this.core.timestamp(), application: app.name, asterisk_id: this.core.asteriskId }));
    }
    ws.on('close', () => {
      this.open.delete(id);
      this.core.apps.detach(sink);
    });
    // ARI does not take requests on this socket in the simulator; incoming frames are ignored
    ws.on('message', () => undefined);
    ws.on('error', () => undefined);
  }

  /** cut the TCP connections (no close frame), optionally only those holding `app` */
  drop(app?: string): number {
    let n = 0;
    for (const s of [...this.open.values()]) {
      if (app !== undefined && !s.apps.includes(app)) continue;
      s.ws.terminate();
      n++;
    }
    return n;
  }

  connectedApps(): string[] {
    return this.core.apps.all().filter((a) => a.active).map((a) => a.name);
  }

  get size(): number {
    return this.open.size;
  }
}
