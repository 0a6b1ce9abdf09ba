// The ChannelTransfer event of an ari-only REFER (PJSIP_TRANSFER_HANDLING()=ari-only) and its echoes.
import type { SimChannel, TransferRequest } from './channel.ts';
import type { SimCore } from './core.ts';

/** refer_to: what the phone asked for; referred_by: the channel the REFER came in on, its peer and bridge */
export function emitChannelTransfer(core: SimCore, source: SimChannel, req: TransferRequest, state?: string): void {
  const peer = source.bridge?.peerOf(source);
  const target = req.replacesChannelId ? core.channels.get(req.replacesChannelId) : undefined;
  const targetPeer = target?.bridge?.peerOf(target);
  const involved = [source, ...(peer ? [peer] : []), ...(target ? [target] : [])];
  core.emit('ChannelTransfer', () => ({
    refer_to: {
      requested_destination: target ? { protocol_id: target.protocolId } : { destination: req.destination },
      ...(target ? { destination_channel: target.toJson() } : {}),
      ...(targetPeer ? { connected_channel: targetPeer.toJson() } : {}),
      ...(target?.bridge ? { bridge: target.bridge.toJson() } : {}),
    },
    referred_by: {
      source_channel: source.toJson(),
      ...(peer ? { connected_channel: peer.toJson() } : {}),
      ...(source.bridge ? { bridge: source.bridge.toJson() } : {}),
    },
    ...(state ? { state } : {}),
  }), { channels: involved, ...(source.bridge ? { bridgeId: source.bridge.id } : {}) });
}
