#!/usr/bin/env node
// npm run test:asterisk: the real-Asterisk acceptance suite (test/asterisk/). It needs an Asterisk
// binary (ASTERISK_BIN, else `asterisk` on PATH) and SIPp (`sipp`, Debian package sip-tester); without
// them it says so in one line and exits 0, so CI without Asterisk stays green. Redis as for npm test.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const onPath = (name) => (process.env.PATH ?? '').split(delimiter).map((d) => join(d, name)).find((p) => existsSync(p));
const asterisk = process.env.ASTERISK_BIN ?? onPath('asterisk') ?? ['/usr/sbin/asterisk', '/usr/local/sbin/asterisk'].find((p) => existsSync(p));
const sipp = process.env.SIPP_BIN ?? onPath('sipp');
let missing;
if (!asterisk || !existsSync(asterisk)) missing = process.env.ASTERISK_BIN ? `ASTERISK_BIN=${process.env.ASTERISK_BIN} does not exist` : 'no Asterisk binary (set ASTERISK_BIN, or put asterisk on PATH)';
else if (!sipp || !existsSync(sipp)) missing = 'no sipp (Debian package sip-tester)';
if (missing) {
  console.log(`test:asterisk: skipped: ${missing}`);
  process.exit(0);
}

const args = [
  'scripts/with-redis.mjs', 'mocha', '--no-config', '--node-option', 'import=tsx', '--exit', '--timeout', '90000',
  '--require', 'test/support/hooks.ts', '--require', 'test/asterisk/support/hooks.ts',
  ...(process.argv.slice(2).length ? process.argv.slice(2) : ['test/asterisk/**/*.test.ts']),
];
const res = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ASTERISK_BIN: asterisk } });
process.exit(res.status ?? 1);
