#!/usr/bin/env node
// Runs the compiled controller when built (dist/), the TypeScript sources through tsx otherwise.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('..', import.meta.url));
if (existsSync(`${here}dist/lib/main.js`)) {
  await import(`${here}dist/lib/main.js`);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(`${here}lib/main.ts`);
}
