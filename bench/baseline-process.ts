// The baseline: the least an ari-client app can do to present a call. No state, no store, no
// hunting: StasisStart of a caller → originate to the next set of a fixed list; when the caller
// leaves, its leg (named after it) is hung up. The controller is compared with this.
import ari from 'ari-client';
import { serve } from './ipc.ts';

interface Setup { url: string; user: string; password: string; app: string; devices: string[] }
interface Channel { id: string }
interface StasisEvent { args?: string[] }
interface Client {
  channels: { originate(p: Record<string, unknown>): Promise<unknown>; hangup(p: { channelId: string }): Promise<unknown> };
  on(event: string, fn: (event: StasisEvent, channel: Channel) => void): void;
  start(app: string): Promise<void>;
  stop(): void;
}

const setup = JSON.parse(process.argv[2] ?? '{}') as Setup;
const client = await (ari as { connect(url: string, user: string, password: string): Promise<Client> }).connect(setup.url, setup.user, setup.password);
let next = 0;
const ignore = (): void => undefined;

client.on('StasisStart', (event, channel) => {
  if (event.args?.[0] === '@present') return;
  const device = setup.devices[next++ % setup.devices.length]!;
  client.channels.originate({ endpoint: device, app: setup.app, appArgs: '@present', channelId: `${channel.id}-p1`, timeout: 20 }).catch(ignore);
});
client.on('StasisEnd', (_event, channel) => {
  if (!channel.id.endsWith('-p1')) client.channels.hangup({ channelId: `${channel.id}-p1` }).catch(ignore);
});
await client.start(setup.app);

serve({
  cpuMs: () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; },
  stop: () => client.stop(),
}, { pid: process.pid });
