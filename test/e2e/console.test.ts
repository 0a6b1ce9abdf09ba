// The attendant console in a real Chromium against the real controller + ARI simulator + Redis:
// an operator logs in, sees a call arrive, answers it from the set, transfers it to an extension
// with the keyboard, and the queue and the panel follow live;
// a supervisor switches the group to night and the next call goes to the night destination.
// Screenshots land in test/e2e/artifacts/ (git-ignored).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Harness } from '../support/harness.ts';
import { apiConfig } from '../api/support.ts';
import { ARTIFACTS, launchChromium, logIn, watchErrors, type Browser } from './support.ts';

/** a morning of calls, some answered and some abandoned, so the statistics have something to draw */
async function someTraffic(h: Harness): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const answered = h.call({ number: `014000000${i}` });
    await h.until('att1 rings', () => h.attendant('att1').state === 'ringing');
    await h.advance(2_000 + i * 3_000);
    await h.answer('PJSIP/att1');
    await h.until('talking', () => h.callRecord(answered)?.stays?.at(-1)?.kind === 'talk');
    if (i % 2 === 0) {
      const gaveUp = h.call({ number: `015000000${i}` });
      await h.until('presented to att2', () => h.attendant('att2').state === 'ringing');
      await h.advance(8_000);
      h.sim.hangupCaller(gaveUp);
      await h.until('abandoned', () => !h.callRecord(gaveUp));
    }
    await h.advance(90_000 + i * 30_000);
    h.sim.hangupCaller(answered);
    await h.until('ended', () => !h.callRecord(answered));
    await h.advance(15 * 60_000);
  }
}

describe('attendant console in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let h: Harness | undefined;
  let errors: string[] = [];
  const pages: Page[] = [];

  async function newPage(): Promise<Page> {
    const page = await browser!.context.newPage();
    watchErrors(page, errors);
    pages.push(page);
    return page;
  }

  before(async function () {
    browser = await launchChromium();
    if (!browser) this.skip();
  });

  after(async () => {
    await browser?.close();
  });

  afterEach(async () => {
    for (const p of pages.splice(0)) await p.close();
    errors = [];
    await h?.stop();
    h = undefined;
  });

  it('given an operator logged in, when a call arrives, the set answers it and the operator transfers it to 201, then the queue and the call panel follow live without a reload', async () => {
    h = await Harness.start({ config: apiConfig(), endpoints: { 'PJSIP/201': { kind: 'answer', afterMs: 1_000 } } });
    const base = `http://127.0.0.1:${h.controller.httpPort}/`;
    const page = await newPage();
    await page.goto(base);
    await page.locator('#login-form').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '01-login.png') });
    await logIn(page, base, 'alice');
    await page.locator('#position-state', { hasText: 'idle' }).waitFor();
    await page.evaluate(() => { (window as unknown as { loadedOnce: boolean }).loadedOnce = true; });
    await page.screenshot({ path: join(ARTIFACTS, '02-console-idle.png') });

    // att2 in do not disturb and att1 ringing with the first call: the second one waits
    await h.switchboard.attendantAction('att2', { type: 'dnd', on: true });
    const caller = h.call({ number: '0155501234', name: 'Dupont Marie' });
    await page.locator('#queue-list .call-row', { hasText: '0155501234' }).waitFor();
    await h.until('att1 rings', () => h!.attendant('att1').state === 'ringing');
    h.call({ number: '0611223344', name: 'Martin Paul', class: 'urgent' });
    await page.locator('#queue-list .call-row', { hasText: '0611223344' }).waitFor();
    await page.locator('#current-state', { hasText: 'ringing' }).waitFor();
    assert.equal(await page.locator('#current-number').textContent(), '0155501234');
    // the waiting time ticks in the browser from the controller's clock
    await page.waitForFunction(() => /^0:0[1-9]$/.test(document.querySelector('#queue-list .call-row .call-wait')?.textContent ?? ''));
    await page.screenshot({ path: join(ARTIFACTS, '03-call-waiting.png') });

    await h.answer('PJSIP/att1');
    await page.locator('#current-state', { hasText: 'talking' }).waitFor();
    assert.equal(await page.locator('#current-number').textContent(), '0155501234');
    assert.equal(await page.locator('#current-name').textContent(), 'Dupont Marie');
    await page.locator('#position-state', { hasText: 'busy' }).waitFor();
    await page.locator('#queue-list .call-row', { hasText: '0155501234' }).waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce), true, 'no reload happened');
    await page.locator('#dir-search').fill('acc');
    await page.locator('#dir-results tr', { hasText: 'Accounts' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '04-call-answered.png') });

    // T with an empty number field arms the transfer; typing the number and Enter sends it to the API
    await page.locator('#current-number').click();
    await page.keyboard.press('t');
    await page.locator('#target-hint', { hasText: 'Enter: transfer' }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'target');
    await page.keyboard.type('201');
    await page.keyboard.press('Enter');
    await page.locator('#message', { hasText: /^Transfer 201$/ }).waitFor();

    // the position is free at once: the call that waited is presented next while 201 rings for the caller
    await page.locator('#current-number', { hasText: '0611223344' }).waitFor();
    await page.locator('#current-state', { hasText: 'ringing' }).waitFor();
    await page.locator('#queue-list .call-row', { hasText: 'rings Alice' }).waitFor();
    assert.equal(h.callRecord(caller)?.state, 'transferring');
    await h.advance(1_000);
    await h.until('the caller talks with 201', () => !h!.callRecord(caller) && h!.sim.bridges().some((b) => b.channels.includes(caller) && b.channels.length === 2));
    await page.screenshot({ path: join(ARTIFACTS, '04b-transferred.png') });
    const log = await h.store.queryLog({ number: '201' });
    assert.deepEqual(log.filter((e) => e.callId === caller).map((e) => [e.operator, e.action, e.result]), [['att1', 'transfer', 'ringing'], ['att1', 'transfer-complete', 'completed-transfer']]);
    assert.deepEqual(errors, []);
  });

  it('given a supervisor, when they switch the operators group to night, then the console shows it and the next call goes to the night destination', async () => {
    h = await Harness.start({ config: apiConfig() });
    await someTraffic(h);
    const base = `http://127.0.0.1:${h.controller.httpPort}/`;
    const operator = await newPage();
    const supervisor = await newPage();
    await logIn(operator, base, 'alice');
    await logIn(supervisor, base, 'sam');

    // operators see no mode keys; supervisors do
    assert.equal(await operator.locator('[data-group="operators"] button[data-mode="night"]').count(), 0);
    await supervisor.locator('[data-group="operators"] button[data-mode="night"]').click();
    await supervisor.locator('[data-group="operators"] [data-role="mode"]', { hasText: 'night' }).waitFor();
    await operator.locator('[data-group="operators"] [data-role="mode"]', { hasText: 'night' }).waitFor();
    assert.equal(h.groupRecord('operators')?.override, 'night');
    await supervisor.screenshot({ path: join(ARTIFACTS, '05-supervisor-night.png') });

    const caller = h.call({ number: '0299900000', name: 'Late caller' });
    await h.until('the call is sent to the night destination', () => h!.sim.continued().some((c) => c.channelId === caller));
    const where = h.sim.continued().find((c) => c.channelId === caller)!;
    assert.equal(where.extension, '2000');
    assert.equal(h.ringing('PJSIP/att1').length, 0);

    // the action log shows the diversion
    await supervisor.locator('.tab[data-view="log"]').click();
    await supervisor.locator('#log-rows tr', { hasText: '0299900000' }).waitFor();
    // in words: no internal codes (divert:night, state:ringing, waitedMs=...)
    assert.match(await supervisor.locator('#log-rows tr', { hasText: '0299900000' }).first().textContent() ?? '', /Call arrived.*sent to the night destination/);
    const logText = await supervisor.locator('#log-rows').textContent() ?? '';
    assert.doesNotMatch(logText, /state:|divert:|[a-z]Ms=|presentation-ended/);
    await supervisor.screenshot({ path: join(ARTIFACTS, '06-log.png') });

    // N is the supervisor's night toggle: back to day
    await supervisor.locator('.tab[data-view="console"]').click();
    await supervisor.locator('[data-group="operators"] .group-head .name').click();
    await supervisor.keyboard.press('n');
    await supervisor.screenshot({ path: join(ARTIFACTS, '06b-after-n.png') });
    await supervisor.locator('[data-group="operators"] [data-role="mode"]', { hasText: 'day' }).waitFor();

    // the statistics view: the morning's calls per interval, service level and Erlangs, then the calculator
    await supervisor.locator('.tab[data-view="stats"]').click();
    await supervisor.locator('#stats-tiles .tile').first().waitFor();
    await supervisor.locator('#stats-range').selectOption('2');
    await supervisor.locator('#stats-form button[type="submit"]').click();
    await supervisor.locator('#chart-calls svg rect.bar-answered').first().waitFor();
    assert.equal(await supervisor.locator('#chart-calls svg rect.bar-answered').count(), 4, 'one bar per interval with an answered call');
    assert.ok(await supervisor.locator('#chart-calls svg rect.bar-abandoned').count() >= 1, 'await supervisor.locator(\'#chart-calls svg rect.bar-abandoned\').count() >= 1');
    assert.ok(await supervisor.locator('#chart-sl svg circle.dot-sl').count() >= 1, 'await supervisor.locator(\'#chart-sl svg circle.dot-sl\').count() >= 1');
    assert.match(await supervisor.locator('#chart-erlang svg path.line-carried').getAttribute('d') ?? '', /^M[\d.]+ [\d.]+ L/);
    assert.match(await supervisor.locator('#stats-tiles .tile').first().locator('.v').textContent() ?? '', /^[1-9]/, 'offered');
    assert.match(await supervisor.locator('.tile', { hasText: 'Occupancy' }).locator('.v').textContent() ?? '', /%$/);
    assert.match(await supervisor.locator('#stats-busy-hour').textContent() ?? '', /^Busy hour: \d{4}-\d{2}-\d{2} \d\d:\d\d–\d\d:\d\d [\d.]+ E/);
    await supervisor.locator('#erlang-c button[type="submit"]').click();
    await supervisor.locator('#erlang-c-out', { hasText: 'attendants' }).waitFor();
    await supervisor.locator('#erlang-b button[type="submit"]').click();
    await supervisor.locator('#erlang-b-out', { hasText: 'blocking' }).waitFor();
    await supervisor.screenshot({ path: join(ARTIFACTS, '07-stats.png') });

    await supervisor.locator('.tab[data-view="console"]').click();
    await supervisor.keyboard.press('?');
    await supervisor.locator('#help-dialog').waitFor({ state: 'visible' });
    await supervisor.screenshot({ path: join(ARTIFACTS, '08-help.png') });
    assert.deepEqual(errors, []);
  });
});
