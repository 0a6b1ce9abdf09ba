// The bench's own Redis connection: server-side command counts (INFO commandstats, which counts the
// commands inside MULTI and Lua too) and, at the end, deleting the keys the bench wrote.
import { createClient } from 'redis';
import { deletePrefix } from '../test/contract/redis-keys.ts';

export class RedisWatch {
  private constructor(private readonly client: ReturnType<typeof createClient>) {}

  static async connect(url: string): Promise<RedisWatch> {
    const client = createClient({ url });
    // a lost connection shows as a failed command; the event itself needs a listener or it throws
    client.on('error', () => undefined);
    await client.connect();
    return new RedisWatch(client);
  }

  /** commands the server has run since its start (every client: a shared Redis adds others' traffic) */
  async commands(): Promise<number> {
    const info = await this.client.info('commandstats');
    let total = 0;
    for (const m of info.matchAll(/^cmdstat_[^:]+:calls=(\d+)/gm)) total += Number(m[1]);
    return total;
  }

  /** CPU the server has used since its start, ms (every client's work, like commands()) */
  async cpuMs(): Promise<number> {
    const info = await this.client.info('cpu');
    const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? 0);
    return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
  }

  async close(prefixes: string[]): Promise<void> {
    for (const p of prefixes) await deletePrefix(this.client, p);
    await this.client.close();
  }
}
