// The benchmark's probe inside the controller, off unless ATTENDANT_PROBE=1 (then `ariProbe` exists):
// hrtime stamps of a caller's StasisStart frame arriving on the ARI WebSocket and of the first
// originate request for that call leaving the process. `npm run bench` reads them (bench/).
import type { EventEmitter } from 'node:events';

/** arrivals never presented (diverted, abandoned, still waiting) are forgotten after this */
const FORGET_AFTER_NS = 60_000_000_000n;
/** a presentation leg is `<callId>-p<n>` (lib/calls/presenter.ts) */
const LEG_ID = /[?&]channelId=([^&]+)/;

export interface ProbeReport {
  /** StasisStart frame of a caller → its first originate request flushed to the socket, in ms */
  decisionsMs: number[];
  /** callers seen but not (yet) presented */
  waiting: number;
  /** frames (events) that arrived on the ARI WebSocket since the probe started: the benchmark's events per call */
  framesTotal: number;
}

export class AriProbe {
  private lastFrameAt = 0n;
  private frames = 0;
  private readonly arrived = new Map<string, bigint>();
  private decisionsMs: number[] = [];

  /** each (re)connect opens a new WebSocket: stamp its frames before the port parses them */
  attach(ws: EventEmitter): void {
    ws.prependListener('message', () => {
      this.lastFrameAt = process.hrtime.bigint();
      this.frames++;
    });
  }

  /** a caller's StasisStart was parsed: it arrived with the frame just stamped (the port parses synchronously) */
  callerArrived(channelId: string): void {
    if (this.lastFrameAt !== 0n) this.arrived.set(channelId, this.lastFrameAt);
  }

  /** an originate's bytes were handed to its socket (ari-rest.ts) */
  requestSent(method: string, path: string): void {
    if (method !== 'POST') return;
    const m = LEG_ID.exec(path);
    if (!m) return;
    const callId = decodeURIComponent(m[1]!).replace(/-p\d+$/, '');
    const at = this.arrived.get(callId);
    if (at === undefined) return;
    this.arrived.delete(callId);
    this.decisionsMs.push(Number(process.hrtime.bigint() - at) / 1e6);
  }

  /** the decisions measured since the last report */
  report(): ProbeReport {
    const now = process.hrtime.bigint();
    for (const [id, at] of this.arrived) if (now - at > FORGET_AFTER_NS) this.arrived.delete(id);
    const out = { decisionsMs: this.decisionsMs, waiting: this.arrived.size, framesTotal: this.frames };
    this.decisionsMs = [];
    return out;
  }
}

export const ariProbe: AriProbe | undefined = process.env.ATTENDANT_PROBE === '1' ? new AriProbe() : undefined;
