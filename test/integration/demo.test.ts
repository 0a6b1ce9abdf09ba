// `npm run demo`'s site on a manual clock: five minutes of its callers against its sets. Every set
// answers by itself, so no position turns absent before a newcomer has read the README, and the
// queue comes and goes instead of growing (it grew from 0 to 10 in five minutes when one set was
// left for the user to answer).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Harness, seeded, type HarnessOptions } from '../support/harness.ts';
import { DemoCallers, demoSets } from '../../lib/demo-site.ts';

const EXAMPLE = fileURLToPath(new URL('../../config/example.yaml', import.meta.url));

describe('the demo site', function () {
  this.timeout(120_000);
  let h: Harness | undefined;
  afterEach(async () => { await h?.stop(); h = undefined; });

  it('given the example configuration, its sets and one caller every ~6 s, when five minutes pass, then no position is absent, the queue stays short and calls are answered', async () => {
    const { asterisk: _a, redis: _r, http: _h, log: _l, metrics: _m, directory: _d, ...site } = parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;
    h = await Harness.start({ config: site as HarnessOptions['config'], endpoints: {} });
    for (const [device, behaviour] of demoSets(h.config)) h.sim.setEndpoint(device, behaviour);
    for (const g of h.config.groups) await h.switchboard.setGroupOverride(g.id, 'day', 'demo');
    const callers = new DemoCallers({ sim: h.sim, switchboard: h.switchboard, time: h.time, random: seeded(1), meanGapMs: 6_000 });
    callers.start();
    let longestQueue = 0;
    const absent = new Set<string>();
    for (let s = 0; s < 150; s++) {
      await h.advance(2_000);
      longestQueue = Math.max(longestQueue, h.queue('operators').length);
      for (const a of h.view.attendants()) if (a.state === 'absent') absent.add(a.id);
    }
    callers.stop();
    const answered = (await h.store.queryLog({ limit: 1000 })).filter((e) => e.action === 'answer').length;
    console.log(`      measured: ${callers.placed} calls placed, ${answered} answered, longest queue ${longestQueue}`);
    assert.deepEqual([...absent], [], 'no position absent');
    assert.ok(longestQueue <= 6, `the queue stays short (longest ${longestQueue})`);
    assert.ok(answered >= callers.placed * 0.6, `most calls are answered (${answered} of ${callers.placed})`);
  });
});
