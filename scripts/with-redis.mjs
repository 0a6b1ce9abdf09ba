#!/usr/bin/env node
// Runs a command (the test suite) with a Redis to talk to: REDIS_URL when given, otherwise a
// throwaway redis-server on a free loopback port, stopped afterwards. Never touches a Redis it did not start.
import { spawn } from 'node:child_process';
import { MISSING_REDIS, redisServerInstalled, startThrowawayRedis } from './redis-server.mjs';

const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: with-redis.mjs <command> [args...]');
  process.exit(2);
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
const env = { ...process.env, PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH}` };
if (!env.REDIS_URL) {
  if (!redisServerInstalled()) {
    console.error(`with-redis: ${MISSING_REDIS}`);
    process.exit(2);
  }
  try {
    redis = await startThrowawayRedis();
  } catch (err) {
    console.error(`with-redis: ${err.message}`);
    process.exit(2);
  }
  env.REDIS_URL = redis.url;
  console.log(`with-redis: throwaway redis-server on ${env.REDIS_URL}`);
}

const code = await run(env);
if (redis) await redis.stop();
process.exit(code);
