// A throwaway redis-server on a free loopback port (no persistence, its own temp dir), for the
// test runner (with-redis.mjs) and the benchmark. Never touches a Redis it did not start.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MISSING_REDIS = 'redis-server not found. Install the Debian package "redis-server" (apt-get install redis-server), or set REDIS_URL to a Redis you own.';

export function redisServerInstalled() {
  return !spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function answersPing(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    const done = (ok) => { sock.destroy(); resolve(ok); };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

/** Start redis-server and wait until it answers PING; resolves to its URL and a stop(). */
export async function startThrowawayRedis() {
  if (!redisServerInstalled()) throw new Error(MISSING_REDIS);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'attendant-redis-'));
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  let up = false;
  for (let i = 0; i < 100 && !up; i++) {
    up = await answersPing(port);
    if (!up) await new Promise((r) => setTimeout(r, 50));
  }
  if (!up) {
    redis.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the throwaway redis-server did not answer on port ${port}`);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: redis.pid,
    async stop() {
      redis.kill('SIGTERM');
      await new Promise((r) => { redis.once('exit', r); setTimeout(r, 2000); });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
