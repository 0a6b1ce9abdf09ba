// Which attendant a channel belongs to: a set is known by its endpoint, the configured `device`.
import type { ChannelInfo } from '../../asterisk/port.ts';
import type { AttendantConfig, Config } from '../../config.ts';

/** `PJSIP/att1-0000002a` → `PJSIP/att1` (Asterisk names a channel after its endpoint and a counter) */
export function endpointOf(channelName: string): string {
  return channelName.replace(/-[0-9a-f]{8}$/i, '');
}

export class AttendantSets {
  private readonly byDevice: Map<string, AttendantConfig>;

  constructor(config: Config) {
    // the technology is case-insensitive in Asterisk (pjsip/att1 dials PJSIP/att1)
    this.byDevice = new Map(config.attendants.map((a) => [deviceKey(a.device), a]));
  }

  /** the attendant whose set the channel is, if any */
  attendantOf(channel: ChannelInfo): AttendantConfig | undefined {
    return this.byDevice.get(deviceKey(endpointOf(channel.name)));
  }
}

function deviceKey(device: string): string {
  const slash = device.indexOf('/');
  return `${device.slice(0, slash).toUpperCase()}${device.slice(slash)}`;
}
