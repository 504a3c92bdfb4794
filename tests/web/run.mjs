#!/usr/bin/env node
// CTest entry of the console's browser tests (label "browser"): checks what they need, then
// runs console.spec.mjs. Exits 77 (CTest's SKIP_RETURN_CODE) only when Chromium is absent.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const chromium = process.env.PROVISIO_CHROMIUM ?? '/usr/bin/chromium';

if (!existsSync(chromium)) {
  console.log(`SKIP: ${chromium} is absent; scripts/setup installs Debian's chromium for these tests.`);
  process.exit(77);
}
const binDir = process.env.PROVISIO_BIN_DIR ?? join(root, 'build', 'bin');
const missing = [];
for (const f of [join(binDir, 'provisio'), join(binDir, 'provisio-emulator')]) {
  if (!existsSync(f)) missing.push(`${f} (build the project first)`);
}
if (!existsSync(join(root, 'web', 'node_modules', 'playwright-core'))) {
  missing.push('web/node_modules/playwright-core (run scripts/setup, or npm ci in web/)');
}
if (!existsSync(join(root, 'web', 'dist', 'index.html'))) {
  missing.push('web/dist/index.html (run scripts/setup, or npm run build in web/)');
}
if (missing.length) {
  console.error(`FAIL: missing ${missing.join('; ')}`);
  process.exit(1);
}

const { runConsoleTests } = await import('./console.spec.mjs');
try {
  await runConsoleTests({ root, binDir, chromium });
  console.log('PASS: web console');
  process.exit(0);
} catch (e) {
  console.error(`FAIL: ${e?.stack ?? e}`);
  process.exit(1);
}
