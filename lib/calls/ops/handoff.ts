// Two parties the controller put together and then left to themselves (a completed transfer, an
// attendant leaving a three-way call): no longer a call of the switchboard, only watched so that
// when one side hangs up, the other side and their bridge go too.
import { bestEffort, releaseChannel, type CallContext } from '../context.ts';

interface Pair {
  peer: string;
  bridge: string;
}

export class Handoffs {
  private readonly pairs = new Map<string, Pair>();

  constructor(private readonly ctx: CallContext) {}

  /** `a` is the call's caller: both channels are the handoff's from now on (routes.ts) */
  watch(a: string, b: string, bridge: string): void {
    this.ctx.routes.takeChannel(a, { owner: 'handoff', callId: a });
    this.ctx.routes.takeChannel(b, { owner: 'handoff', callId: a });
    this.pairs.set(a, { peer: b, bridge });
    this.pairs.set(b, { peer: a, bridge });
  }

  /** one side of a watched pair */
  has(id: string): boolean {
    return this.pairs.has(id);
  }

  /** StasisEnd of one side of a watched pair: the other is released (nothing once that is done) */
  channelLeft(id: string): void {
    const p = this.pairs.get(id);
    if (!p) return;
    this.pairs.delete(id);
    this.pairs.delete(p.peer);
    releaseChannel(this.ctx, p.peer, 'hang up handed-off peer');
    bestEffort(this.ctx, 'destroy handed-off bridge', this.ctx.ari.destroyBridge(p.bridge), { bridge: p.bridge });
  }
}
