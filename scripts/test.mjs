// `npm test`: lint, type check, bundle, install real tools through the Go module proxy into a
// temporary folder, then run every test with node's test runner. Nothing is cached by hand: Go's own
// build and module caches make the second run fast.
import { execFile, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { installTools, TOOLS } from './tools.mjs';

const run = promisify(execFile);
const t0 = Date.now();
const log = (msg) => console.log(`[test +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const npx = (args) => run('npx', ['--no-install', ...args], { maxBuffer: 64 << 20 });

async function step(name, fn) {
  log(name);
  try {
    return await fn();
  } catch (err) {
    console.error(`${name} failed:\n${err.stdout ?? ''}${err.stderr ?? ''}${err.stdout || err.stderr ? '' : err.message}`);
    process.exit(1);
  }
}

const files = process.argv.slice(2);
await step('eslint', () => npx(['eslint', '.']));
await step('prettier --check', () => npx(['prettier', '--check', '.']));
await step('import cycles', () => run(process.execPath, ['scripts/cycles.mjs']));
await step('tsc --noEmit', () => npx(['tsc', '--noEmit', '-p', '.']));
await step('esbuild (extension, CLI, tests)', () => run(process.execPath, ['scripts/build.mjs', '--tests']));

const installed = await step(`go install ${TOOLS.map((t) => `${t.bin}@${t.version}`).join(', ')}`, () => installTools());
process.on('exit', installed.cleanup);

const testFiles = files.length ? files : listTests('out/test');
log(`node --test (${testFiles.length} files)`);
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', '--enable-source-maps', ...testFiles], {
  stdio: 'inherit',
  env: { ...process.env, GDD_TEST_TOOLS: installed.file },
});
child.on('exit', (code, signal) => {
  log(`done (${signal ?? `exit ${code}`})`);
  process.exitCode = code ?? 1;
});

function listTests(root) {
  const found = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) found.push(...listTests(path));
    else if (entry.name.endsWith('.test.js')) found.push(path);
  }
  return found.sort();
}
