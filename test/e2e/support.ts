// What the console tests share: Debian's Chromium through playwright-core (headless, a fresh
// profile each run), a page watched for script errors, and a login.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PASSWORDS, type UserName } from '../api/support.ts';

export const CHROMIUM = '/usr/bin/chromium';
/** screenshots of the runs (git-ignored) */
export const ARTIFACTS = fileURLToPath(new URL('./artifacts/', import.meta.url));

export interface Browser { context: BrowserContext; close(): Promise<void> }

/** undefined when Chromium is not installed (the suite then skips, saying so) */
export async function launchChromium(viewport = { width: 1280, height: 800 }): Promise<Browser | undefined> {
  if (!existsSync(CHROMIUM)) {
    console.log(`      (skipped: no Chromium at ${CHROMIUM}; install it with apt-get install chromium)`);
    return undefined;
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'attendant-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** what a page reported that a person would call broken: script errors, CSP refusals */
export function watchErrors(page: Page, into: string[]): void {
  page.on('pageerror', (err) => into.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // a refused operation answers 4xx, which Chromium reports as a failed resource: that is the console's normal way to show it
    if (msg.type() === 'error' && !/Failed to load resource: the server responded with a status of (4\d\d|503)/.test(msg.text())) into.push(`console: ${msg.text()}`);
  });
}

export async function logIn(page: Page, base: string, user: UserName): Promise<void> {
  await page.goto(base);
  await page.locator('#login-name').fill(user);
  await page.locator('#login-password').fill(PASSWORDS[user]);
  await page.locator('#login-submit').click();
  await page.locator('#app-view').waitFor({ state: 'visible' });
  await page.locator('#link-state', { hasText: 'live' }).waitFor();
}
