// Mocha root hooks of the real-Asterisk suite (npm run test:asterisk): one Asterisk and the SIPp
// phones for the whole run; each test starts its own controller (test/asterisk/support/site.ts).
import { Asterisk, findAsterisk, findSipp } from './asterisk.ts';
import { removeScratch } from './sipp.ts';
import { Site } from './site.ts';

let current: Site | undefined;

/** the site of this run (Asterisk up, phones answering) */
export function site(): Site {
  if (!current) throw new Error('the real-Asterisk suite has no site: run it with npm run test:asterisk');
  return current;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context): Promise<void> {
    this.timeout(90_000);
    const ast = findAsterisk();
    const sipp = findSipp();
    if ('missing' in ast || 'missing' in sipp) {
      process.stdout.write(`test:asterisk: skipped: ${'missing' in ast ? ast.missing : (sipp as { missing: string }).missing}\n`);
      this.skip();
    }
    const redisUrl = process.env.REDIS_URL;
    if (!redisUrl) throw new Error('REDIS_URL is not set (npm run test:asterisk sets it)');
    const asterisk = Asterisk.create((ast as { bin: string }).bin);
    process.stdout.write(`test:asterisk: Asterisk ${asterisk.version} (${(ast as { bin: string }).bin}) in ${asterisk.dir}\n`);
    await asterisk.start();
    current = new Site(asterisk, redisUrl);
    await current.resetPhones();
  },
  async afterEach(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    if (!current) return;
    if (this.currentTest?.state === 'failed' || process.env.SUITE_LOGS) {
      process.stdout.write(`\n--- controller log (last 60 lines) ---\n${(current.controller?.logs ?? '').split('\n').slice(-60).join('\n')}\n`);
      process.stdout.write(`--- Asterisk log (last 40 lines) ---\n${current.asterisk.logs.split('\n').slice(-40).join('\n')}\n`);
    }
    await current.stopController();
    await current.asterisk.clear();
    await current.resetPhones();
  },
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(30_000);
    if (!current) return;
    await current.stopAll();
    // the shipped modules.conf loads only what it lists: a dialplan step whose module is missing says so here
    const missing = current.asterisk.logs.split('\n').filter((l) => /No application '|Function '?[A-Z_]+'? not registered|was not found, or could not be loaded/i.test(l));
    await current.asterisk.stop();
    current.asterisk.remove();
    removeScratch();
    current = undefined;
    if (missing.length) throw new Error(`Asterisk ran dialplan steps it has no module for (asterisk-conf/modules.conf):\n${missing.slice(0, 10).join('\n')}`);
  },
};
