// A simulated Stasis bridge and its JSON snapshot (fields as a real Asterisk 23 Bridge).
import { byIdAscending, type SimChannel } from './channel.ts';

export type BridgeKind = 'mixing' | 'holding';

export interface BridgeJson {
  id: string;
  technology: string;
  bridge_type: BridgeKind;
  bridge_class: string;
  creator: string;
  name: string;
  channels: string[];
  creationtime: string;
  video_mode: string;
}

export class SimBridge {
  readonly members = new Map<string, SimChannel>();
  /** music on hold played into the bridge through an internal announcer channel */
  moh: string | undefined;
  /** created with `dtmf_events` (or `proxy_media`): never bridged natively, so its channels' DTMF reaches the apps */
  noNative = false;
  destroyed = false;

  constructor(
    readonly id: string,
    readonly kind: BridgeKind,
    readonly name: string,
    readonly creationtime: string,
  ) {}

  get size(): number {
    return this.members.size;
  }

  /** the order Asterisk walks the members when it sets BRIDGEPEER (highest id first) */
  membersDescending(): SimChannel[] {
    return [...this.members.values()].sort(byIdAscending).reverse();
  }

  /** the other member of a two-party mixing bridge */
  peerOf(channel: SimChannel): SimChannel | undefined {
    if (this.kind !== 'mixing' || this.members.size !== 2) return undefined;
    for (const c of this.members.values()) if (c !== channel) return c;
    return undefined;
  }

  /** the bridge technology Asterisk's smart bridging would pick for the current members */
  technology(): string {
    if (this.kind === 'holding') return 'holding_bridge';
    if (this.members.size >= 3) return 'softmix';
    if (this.members.size === 2) {
      const native = [...this.members.values()].every((c) => c.driver === 'PJSIP' && c.snoops.size === 0);
      return native ? 'native_rtp' : 'simple_bridge';
    }
    return 'simple_bridge';
  }

  toJson(): BridgeJson {
    return {
      id: this.id,
      technology: this.technology(),
      bridge_type: this.kind,
      bridge_class: 'stasis',
      creator: 'Stasis',
      name: this.name,
      channels: [...this.members.values()].sort(byIdAscending).map((c) => c.id),
      creationtime: this.creationtime,
      video_mode: 'talker',
    };
  }
}
