#!/usr/bin/env node
// Runs a command (the test suite) with a Redis to talk to: REDIS_URL when given, otherwise a
// throwaway redis-server on a free loopback port, stopped afterwards. Never touches a Redis it did not start.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: with-redis.mjs <command> [args...]');
  process.exit(2);
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

function run(env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
    const forward = (sig) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

let redis;
let dir;
const env = { ...process.env, PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH}` };
if (!env.REDIS_URL) {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error) {
    console.error('with-redis: redis-server not found. Install the Debian package "redis-server" (apt-get install redis-server), or set REDIS_URL to a Redis you own.');
    process.exit(2);
  }
  const port = await freePort();
  dir = mkdtempSync(join(tmpdir(), 'attendant-redis-'));
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  let up = false;
  for (let i = 0; i < 100 && !up; i++) {
    up = await answersPing(port);
    if (!up) await new Promise((r) => setTimeout(r, 50));
  }
  if (!up) {
    redis.kill('SIGKILL');
    console.error(`with-redis: the throwaway redis-server did not answer on port ${port}`);
    process.exit(2);
  }
  env.REDIS_URL = `redis://127.0.0.1:${port}`;
  console.log(`with-redis: throwaway redis-server on ${env.REDIS_URL}`);
}

const code = await run(env);
if (redis) {
  redis.kill('SIGTERM');
  await new Promise((r) => { redis.once('exit', r); setTimeout(r, 2000); });
  rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
