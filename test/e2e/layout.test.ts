// The console's layout at 1024×768, 1440×900 and 1920×1080 with a busy switchboard: every element
// stays inside its panel and the viewport (bounding boxes), names are not cut, disabled keys say
// why, the directory lists its entries before anything is typed, statistics say what they count,
// and a banner says when the Asterisk link is down. The 1440×900 screenshot is the README's
// (ATTENDANT_DOCS_SCREENSHOT=1 writes it to docs/console.png).
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { Harness } from '../support/harness.ts';
import { apiConfig } from '../api/support.ts';
import { ARTIFACTS, launchChromium, logIn, watchErrors, type Browser } from './support.ts';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const SIZES = [{ width: 1024, height: 768 }, { width: 1440, height: 900 }, { width: 1920, height: 1080 }];

/** what lies outside its panel or the viewport, and names cut short; [] when the layout holds */
function layoutProblems(): string[] {
  const problems: string[] = [];
  const tol = 1;
  const vw = window.innerWidth;
  const vh = window.innerHeight;
  const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
  const shown = (el: Element) => el.getClientRects().length > 0 && el.getBoundingClientRect().width > 0;
  const inside = (r: DOMRect, b: { left: number; right: number; top: number; bottom: number }, vertical = true) =>
    r.left >= b.left - tol && r.right <= b.right + tol && (!vertical || (r.top >= b.top - tol && r.bottom <= b.bottom + tol));
  const viewport = { left: 0, top: 0, right: vw, bottom: vh };
  for (const el of document.querySelectorAll('.topbar *, .statusbar > *')) {
    if (shown(el) && !inside(el.getBoundingClientRect(), viewport)) problems.push(`${name(el)} outside the window`);
  }
  for (const panel of document.querySelectorAll('#view-console .panel')) {
    const pr = panel.getBoundingClientRect();
    if (!inside(pr, viewport)) problems.push(`panel ${name(panel)} outside the window`);
    const scrolls = (el: Element) => { const cs = getComputedStyle(el); return cs.overflowX !== 'visible' || cs.overflowY !== 'visible'; };
    if (panel.scrollWidth > panel.clientWidth + tol) problems.push(`panel ${name(panel)} scrolls sideways`);
    for (const el of panel.querySelectorAll('*')) {
      if (!shown(el)) continue;
      let clip: Element = panel;
      for (let a = el.parentElement; a && a !== panel; a = a.parentElement) if (scrolls(a)) { clip = a; break; }
      // inside a scroller (or a panel that scrolls) an element may be below the fold, never beside it
      const vertical = clip === panel && !scrolls(panel);
      if (!inside(el.getBoundingClientRect(), clip.getBoundingClientRect(), vertical)) problems.push(`${name(el)} outside ${name(clip)}`);
    }
  }
  for (const el of document.querySelectorAll('.group-head .name, .call-number, .call-sub, .slot-number, .slot-name, .attendant-row strong')) {
    if (shown(el) && el.scrollWidth > el.clientWidth + tol) problems.push(`${name(el)} is cut`);
  }
  return problems;
}

/** tsx compiles named inner functions with esbuild's __name helper: the page gets a stand-in first */
async function problemsOn(page: Page): Promise<string[]> {
  await page.evaluate('window.__name = (f) => f');
  return page.evaluate(layoutProblems);
}

describe('console layout in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let h: Harness | undefined;
  const errors: string[] = [];

  before(async function () {
    browser = await launchChromium();
    if (!browser) this.skip();
  });
  after(async () => { await browser?.close(); });
  afterEach(async () => {
    for (const p of browser?.context.pages() ?? []) await p.close();
    errors.length = 0;
    await h?.stop();
    h = undefined;
  });

  it('given a busy switchboard, at 1024×768, 1440×900 and 1920×1080, then nothing leaves its panel, no name is cut, and disabled keys say why', async () => {
    const base = apiConfig();
    h = await Harness.start({
      config: apiConfig({
        // calls wait (delayed ring) so the queue is full; long names, as sites have
        classes: [{ id: 'external', priority: 5, delayedRing: 600 }, { id: 'urgent', priority: 9, delayedRing: 600 }, { id: 'recall', priority: 7, delayedRing: 0 }],
        groups: base.groups!.map((g, i) => ({ ...g, name: i === 0 ? 'Main switchboard and reception' : 'Backup operators (night desk)' })),
      }),
    });
    // Sam (supervisor, att3) is on a call: his logout and DND keys are disabled, and say why
    const talking = h.call({ number: '0144556677', name: 'Lefebvre-Dumoulin Anne-Catherine', group: 'backup', class: 'recall' });
    await h.answer('PJSIP/att3');
    await h.until('talking', () => h!.callRecord(talking)?.talkBridge !== undefined);
    await h.switchboard.operations.park('att3', talking);
    const second = h.call({ number: '+33612345678901', name: 'Établissements Dupont-Moreau et Fils', group: 'backup', class: 'recall' });
    await h.answer('PJSIP/att3');
    await h.until('talking', () => h!.callRecord(second)?.talkBridge !== undefined);
    const names = ['Bernard Sophie', 'Garnier Pierre-Alexandre', 'Hôtel du Lac, réception', 'Roux Émilie', 'Cabinet Fontaine & Associés', 'Nguyen Thi Thu Trang'];
    names.forEach((name, i) => h!.call({ number: `0155500${String(i * 137).padStart(3, '0')}`, name, class: i === 0 ? 'urgent' : 'external' }));
    await h.until('six waiting', () => h!.queue('operators').length === 6);

    const page = await browser!.context.newPage();
    watchErrors(page, errors);
    await logIn(page, `http://127.0.0.1:${h.controller.httpPort}/`, 'sam');
    await page.locator('#queue-list .call-row').nth(5).waitFor();
    await page.locator('#slot-list .slot-row').first().waitFor();
    // the directory before anything is typed: every entry, and a hint
    await page.locator('#dir-results tr.dir-row').nth(2).waitFor();
    assert.match(await page.locator('#dir-hint').textContent() ?? '', /^All 3 entries by name/);

    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.waitForTimeout(150);
      const shot = join(ARTIFACTS, `20-layout-${size.width}x${size.height}.png`);
      await page.screenshot({ path: shot });
      if (size.width === 1440 && process.env.ATTENDANT_DOCS_SCREENSHOT === '1') copyFileSync(shot, join(DOCS, 'console.png'));
      assert.deepEqual(await problemsOn(page), [], `layout at ${size.width}×${size.height}`);
    }

    assert.equal(await page.locator('#btn-dnd').isDisabled(), true);
    assert.match(await page.locator('#btn-dnd').getAttribute('title') ?? '', /^Only when the position is free \(now busy\)$/);
    assert.match(await page.locator('#btn-position-login').getAttribute('title') ?? '', /^Not during a call/);
    assert.match(await page.locator('#keys .key[data-op="complete"]').getAttribute('title') ?? '', /^Only during a consultation/);
    await page.keyboard.press('d');
    await page.locator('#message', { hasText: 'Do not disturb: Only when the position is free (now busy)' }).waitFor();

    // statistics of the position: what is counted, and when
    await page.locator('.tab[data-view="stats"]').click();
    await page.locator('#stats-scope').selectOption('attendant:att3');
    await page.locator('#stats-form button[type="submit"]').click();
    await page.locator('#stats-note', { hasText: 'still going on' }).waitFor();
    assert.match(await page.locator('#stats-note').textContent() ?? '', /^Figures count each call when it ends\. 2 answered calls still going on \(talking, held or parked\) are not counted yet\./);
    assert.equal(await page.locator('.tile:has(.k:text-is("Offered")) .v').textContent(), '—');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('given the Asterisk link lost, then the console says so in a banner, and the banner goes once it is back', async () => {
    h = await Harness.start({ config: apiConfig() });
    const page = await browser!.context.newPage();
    watchErrors(page, errors);
    await logIn(page, `http://127.0.0.1:${h.controller.httpPort}/`, 'alice');
    assert.equal(await page.locator('#link-banner').isVisible(), false);
    h.sim.restart({ bootMs: 60_000 });
    await page.locator('#link-banner', { hasText: 'Asterisk link down' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, '21-link-down.png') });
    assert.deepEqual(await problemsOn(page), [], 'the banner keeps the layout');
    await h.advance(60_000);
    await h.until('ARI back', () => h!.controller.ari.isConnected(), 15_000);
    await page.locator('#link-banner').waitFor({ state: 'hidden', timeout: 10_000 });
    assert.deepEqual(errors, []);
    await page.close();
  });
});
