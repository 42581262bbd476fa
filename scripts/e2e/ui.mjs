// Runs the Playwright UI tests (test/e2e/*.e2e.mjs) in one workbench window, in registration
// order, each with its own timeout; a failing test leaves a FAILED-… screenshot. Recipe step 7.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { pathToFileURL } from 'node:url';
import { registered, Workbench } from '../../test/e2e/workbench.mjs';
import { interrupted, log, onCleanup } from './proc.mjs';

/**
 * Runs the tests of `files` (names in test/e2e, default: every *.e2e.mjs) in one window; returns
 * { passed, failed }. `grep` (a string) runs only the tests whose names contain it; `prefix` starts
 * the screenshots' names (one artifacts folder for every profile).
 */
export async function runUiTests({ root, files, base, workspace, artifacts, env, grep, prefix }) {
  const dir = join(root, 'test', 'e2e');
  const chosen =
    files ??
    readdirSync(dir)
      .filter((f) => f.endsWith('.e2e.mjs'))
      .sort();
  for (const file of chosen) await import(pathToFileURL(join(dir, file)).href);
  const tests = registered.filter((t) => chosen.includes(t.file) && (!grep || t.name.includes(grep)));
  const wb = await Workbench.launch({ base, workspace, artifacts, env, prefix });
  const forget = onCleanup('chromium (UI tests)', () => wb.close());
  let passed = 0;
  let failed = 0;
  try {
    const t0 = performance.now();
    await wb.open();
    log(`workbench restored in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    for (const [i, t] of tests.entries()) {
      if (interrupted.signal) break;
      const start = performance.now();
      let timer;
      try {
        await Promise.race([
          t.fn(wb),
          new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${t.timeoutMs / 1000} s`)), t.timeoutMs))),
        ]);
        passed++;
        console.log(`  ✔ ${t.name} (${((performance.now() - start) / 1000).toFixed(1)}s)`);
      } catch (err) {
        if (interrupted.signal) break;
        failed++;
        console.log(`  ✘ ${t.name} (${((performance.now() - start) / 1000).toFixed(1)}s)`);
        console.log(
          `    ${String(err.stack ?? err)
            .split('\n')
            .slice(0, 12)
            .join('\n    ')}`,
        );
        const shot = await wb.screenshot(`FAILED-${i + 1}`).catch(() => undefined);
        if (shot) console.log(`    screenshot: ${shot}`);
        await wb.escape().catch(() => {});
      } finally {
        clearTimeout(timer);
      }
    }
  } finally {
    forget();
    await wb.close();
  }
  console.log(`  ${passed} passed, ${failed} failed`);
  return { passed, failed };
}
