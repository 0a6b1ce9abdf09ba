// The minimal ari-client app the real-Asterisk bench sets beside the controller: a caller enters
// Stasis → originate to the next set in turn, showing the caller's number; the set answers (its leg
// enters Stasis) → answer the caller and bridge the two; either leaves → hang up the other, drop the
// bridge. No store, no queue, no choice of set: the least an ARI app does to present and connect a call.
import ari from 'ari-client';
import { serve } from '../ipc.ts';

const { url, user, password, app, sets } = JSON.parse(process.argv[2] ?? '{}') as { url: string; user: string; password: string; app: string; sets: string[] };

type Request = (params: Record<string, unknown>) => Promise<unknown>;
interface Ari {
  channels: { originate: Request; answer: Request; hangup: Request };
  bridges: { create: Request; addChannel: Request; destroy: Request };
  on(type: 'StasisStart' | 'StasisEnd', fn: (event: { args?: string[] }, channel: { id: string; caller?: { number?: string } }) => void): void;
  start(app: string): Promise<void>;
  stop(): void;
}

const client = await (ari as { connect(url: string, user: string, password: string): Promise<Ari> }).connect(url, user, password);
/** each leg's other leg: a caller's set leg, a set leg's caller */
const other = new Map<string, string>();
let turn = 0;
const drop = (): undefined => undefined;

client.on('StasisStart', ({ args }, channel) => {
  const caller = args?.[0];
  if (caller === undefined) {
    const leg = `${channel.id}-set`;
    other.set(channel.id, leg).set(leg, channel.id);
    const endpoint = sets[turn++ % sets.length];
    client.channels.originate({ endpoint, app, appArgs: channel.id, channelId: leg, callerId: channel.caller?.number ?? '', timeout: 20 }).catch(drop);
    return;
  }
  const bridgeId = `${caller}-b`;
  client.channels.answer({ channelId: caller })
    .then(() => client.bridges.create({ type: 'mixing', bridgeId }))
    .then(() => client.bridges.addChannel({ bridgeId, channel: `${caller},${channel.id}` }))
    .catch(drop);
});

client.on('StasisEnd', (_event, channel) => {
  const peer = other.get(channel.id);
  other.delete(channel.id);
  if (peer === undefined || !other.delete(peer)) return;
  client.channels.hangup({ channelId: peer }).catch(drop);
  const caller = channel.id.endsWith('-set') ? peer : channel.id;
  client.bridges.destroy({ bridgeId: `${caller}-b` }).catch(drop);
});

await client.start(app);

serve({
  cpuMs: () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; },
  stop: () => client.stop(),
}, { pid: process.pid });
