// The console under an operator's fingers, keyboard only, in a real Chromium against the real
// controller + ARI simulator + Redis: answer (Space), transfer (T, number, Enter) then park with P at
// once, hold and retrieve (H, R), consult and complete (C, number, Enter, K), and Esc that cancels and
// asks but never releases by itself; a supervisor without a position monitors from the configured
// supervisor set and is not offered Answer.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Harness } from '../support/harness.ts';
import { apiConfig } from '../api/support.ts';
import { ARTIFACTS, launchChromium, logIn, watchErrors, type Browser } from './support.ts';

/** external calls wait (delayed ring) so that Space is what presents them */
const WAITING_CLASSES = [
  { id: 'external', priority: 5, delayedRing: 600 },
  { id: 'internal', priority: 4, delayedRing: 0 },
  { id: 'recall', priority: 7, delayedRing: 0 },
  { id: 'urgent', priority: 9, delayedRing: 0 },
];

describe('console by keyboard in Chromium', function () {
  this.timeout(90_000);
  let browser: Browser | undefined;
  let h: Harness | undefined;
  let page: Page | undefined;
  const errors: string[] = [];

  before(async function () {
    browser = await launchChromium({ width: 1440, height: 900 });
    if (!browser) this.skip();
  });
  after(async () => { await browser?.close(); });
  afterEach(async () => {
    await page?.close();
    page = undefined;
    errors.length = 0;
    await h?.stop();
    h = undefined;
  });

  async function open(user: 'alice' | 'sam'): Promise<Page> {
    const p = await browser!.context.newPage();
    watchErrors(p, errors);
    await logIn(p, `http://127.0.0.1:${h!.controller.httpPort}/`, user);
    page = p;
    return p;
  }

  const focused = (p: Page) => p.evaluate(() => document.activeElement?.id ?? '');
  const message = (p: Page) => p.locator('#message').textContent();

  /** Space presents the waiting call to this position; the set answers it */
  async function answerBySpace(p: Page, callId: string): Promise<void> {
    await p.locator('#queue-list .call-row').first().waitFor();
    await p.keyboard.press(' ');
    await h!.until('the call rings at att1', () => h!.callRecord(callId)?.state === 'ringing' && h!.callRecord(callId)?.attendant === 'att1');
    await h!.answer('PJSIP/att1');
    await p.locator('#current-state', { hasText: 'talking' }).waitFor();
  }

  it('given calls waiting, when the operator answers with Space, transfers with T 201 Enter and parks the next with P, holds and retrieves with H and R, consults and completes with C 202 Enter K, then each key acts and the number field never keeps the keys', async () => {
    h = await Harness.start({
      config: apiConfig({ classes: WAITING_CLASSES }),
      endpoints: { 'PJSIP/201': { kind: 'answer', afterMs: 1_000 }, 'PJSIP/202': { kind: 'answer', afterMs: 500 } },
    });
    const p = await open('alice');
    await p.locator('#position-state', { hasText: 'idle' }).waitFor();

    // Space answers; T, 201, Enter transfers, and leaves the field empty and unfocused
    const first = h.call({ number: '0155500001', name: 'Dupont Marie' });
    await answerBySpace(p, first);
    await p.keyboard.press('t');
    assert.equal(await focused(p), 'target');
    // the field takes only what a number has (a pasted "2a 01" is 201)
    await p.keyboard.insertText('2a 01');
    assert.equal(await p.locator('#target').inputValue(), '201');
    await p.keyboard.press('Enter');
    await p.locator('#message', { hasText: /^Transfer 201$/ }).waitFor();
    assert.equal(await focused(p), '', 'focus left the number field');
    assert.equal(await p.locator('#target').inputValue(), '', 'the number is gone');
    await h.advance(1_000);
    await h.until('the caller talks with 201', () => !h!.callRecord(first));

    // the very next key acts: P parks the next call; Held & Parked shows the whole number, the name and what the timer counts
    const second = h.call({ number: '+33155500002', name: 'Martin Paul' });
    await answerBySpace(p, second);
    await p.keyboard.press('p');
    await p.locator('#message', { hasText: /^Parked in slot \d+$/ }).waitFor();
    const parked = p.locator('#slot-list .slot-row', { hasText: '+33155500002' });
    await parked.waitFor();
    assert.match(await parked.textContent() ?? '', /P\d+\+33155500002parked \d:\d\dMartin Paul/);

    // H holds, R takes it back (the set rings again and answers)
    const third = h.call({ number: '0155500003', name: 'Durand Luc' });
    await answerBySpace(p, third);
    await p.keyboard.press('h');
    await p.locator('#message', { hasText: /^Held in slot \d+$/ }).waitFor();
    await p.locator('#slot-list .slot-row', { hasText: /held \d:\d\d/ }).waitFor();
    await p.keyboard.press('r');
    await h.until('presented again', () => h!.callRecord(third)?.state === 'ringing');
    await h.answer('PJSIP/att1');
    await p.locator('#current-number', { hasText: '0155500003' }).waitFor();
    await p.locator('#current-state', { hasText: 'talking' }).waitFor();

    // C, 202, Enter consults (the caller waits with music); K completes: caller and 202 talk, the position is free
    await p.keyboard.press('c');
    await p.keyboard.type('202');
    await p.keyboard.press('Enter');
    await p.locator('#message', { hasText: /^Consult 202$/ }).waitFor();
    assert.equal(await focused(p), '');
    await h.advance(500);
    await h.until('202 answered', () => h!.callRecord(third)?.consultAnswered === true);
    await p.keyboard.press('k');
    await p.locator('#message', { hasText: /^Complete$/ }).waitFor();
    await h.until('handed over', () => !h!.callRecord(third));
    await p.locator('#current-state', { hasText: 'no call' }).waitFor();
    await p.screenshot({ path: join(ARTIFACTS, '10-keyboard-after-flows.png') });

    const log = await h.store.queryLog({});
    const did = (call: string, action: string) => log.some((e) => e.callId === call && e.action === action);
    assert.ok(did(first, 'transfer') && did(second, 'park') && did(third, 'hold') && did(third, 'retrieve'), 'transfer, park, hold and retrieve are logged');
    assert.deepEqual(errors, []);
  });

  it('given a call talking, when the operator presses T, 20, Esc, Esc, then nothing is released: the number is cancelled and a question asks; Esc keeps talking, Enter releases', async () => {
    h = await Harness.start({ config: apiConfig({ classes: WAITING_CLASSES }) });
    const p = await open('alice');
    const call = h.call({ number: '0155500009', name: 'Petit Anne' });
    await answerBySpace(p, call);
    await p.keyboard.press('t');
    await p.keyboard.type('20');
    await p.keyboard.press('Escape');
    assert.equal(await focused(p), '');
    assert.equal(await p.locator('#target').inputValue(), '', 'the transfer is cancelled');
    await p.keyboard.press('Escape');
    await p.locator('#release-dialog').waitFor({ state: 'visible' });
    assert.equal(h.callRecord(call)?.state, 'talking', 'Esc did not release');
    await p.screenshot({ path: join(ARTIFACTS, '11-release-question.png') });
    await p.keyboard.press('Escape');
    await p.locator('#release-dialog').waitFor({ state: 'hidden' });
    await p.locator('#message', { hasText: 'Still talking' }).waitFor();
    assert.equal(h.callRecord(call)?.state, 'talking');
    await p.keyboard.press('Escape');
    await p.locator('#release-dialog').waitFor({ state: 'visible' });
    await p.keyboard.press('Enter');
    await p.locator('#message', { hasText: /^Released$/ }).waitFor();
    await h.until('the call ended', () => !h!.callRecord(call));
    assert.deepEqual(errors, []);
  });

  it('given a supervisor without a position, then Answer is not offered and Space answers nothing; M monitors the position on a call from the configured supervisor set', async () => {
    const base = apiConfig();
    const config = apiConfig({
      attendants: base.attendants!.map((a) => (a.id === 'att3' ? { ...a, supervisor: true } : a)),
      users: base.users!.map((u) => (u.name === 'sam' ? { name: u.name, role: u.role, passwordHash: u.passwordHash } : u)),
    });
    h = await Harness.start({ config });
    const call = h.call({ number: '0155500010', name: 'Moreau Jean' });
    await h.answer('PJSIP/att1');
    await h.until('talking', () => h!.callRecord(call)?.state === 'talking' && h!.callRecord(call)?.talkBridge !== undefined);
    const p = await open('sam');
    await p.locator('#attendant-list [data-attendant="att1"]', { hasText: 'busy' }).waitFor();
    assert.equal(await p.locator('#keys .key[data-op="answer-next"]').isVisible(), false, 'Answer is not offered');
    assert.equal(await p.locator('#keys .key[data-op="hold"]').isVisible(), false, 'nor the keys of a position');
    assert.equal(await p.locator('#keys .key[data-op="monitor"]').isEnabled(), true);
    await p.keyboard.press(' ');
    assert.match(await message(p) ?? '', /no position/);

    await p.keyboard.press('m');
    await p.locator('#message', { hasText: /^Monitor: Sam's set rings$/ }).waitFor();
    await h.until('the supervisor set rings', () => h!.ringing('PJSIP/att3').length > 0);
    await h.answer('PJSIP/att3');
    await h.until('the supervisor listens', () => h!.sim.bridges().some((b) => b.id.startsWith('mon-') && b.channels.length === 2));
    assert.equal(h.attendant('att3').state, 'busy');
    await p.screenshot({ path: join(ARTIFACTS, '12-supervisor-monitoring.png') });
    const monitors = (await h.store.queryLog({})).filter((e) => e.action === 'monitor-start');
    assert.deepEqual([...new Set(monitors.map((e) => `${e.operator} ${e.callId}`))], [`att3 ${call}`], 'monitored from the supervisor set');
    assert.deepEqual(errors, []);
  });
});
