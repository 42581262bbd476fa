// `npm run test:e2e`: the extension in a real VS Code (code-server 4.139.1 under Node 24) driven by
// Debian's headless Chromium, following /work/shared/docs/vscode-e2e-recipe.md:
//   1. install what is missing (chromium, libkrb5-dev, Node 24, code-server into .vscode-host/)
//   2. npm run package → go-debug-doctor.vsix
//   3. bundle the extension-host suite (test/vscode → out/vscode-test)
//   4. go install dlv v1.27.2 into a temporary folder (put on the server's PATH)
//   5. a throw-away profile and Go workspace; install the vsix; start code-server on 127.0.0.1
//   6. the mocha suite inside the extension host (this checkout, through the payload URL)
//   7. the Playwright UI tests against the installed vsix; screenshots in e2e-artifacts/ ($ARTIFACTS)
// Exit 0 only when both suites pass. code-server, Chromium and every temporary folder are removed
// on every path, Ctrl-C included.
//   npm run test:e2e -- [--grep TEXT] [--only ext|ui]
import { accessSync, constants, copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import { runExtensionTests } from './e2e/extTests.mjs';
import { ensureCodeServer, ensureNode24, ensureSystemPackages, hostPaths, needsCodeServerBuild } from './e2e/host.mjs';
import { elapsed, handleSignals, killProcessesMentioning, log, onCleanup, phase, run, runCleanups, timings } from './e2e/proc.mjs';
import { createRunDir, installVsix, serverEnv, startCodeServer } from './e2e/server.mjs';
import { runUiTests } from './e2e/ui.mjs';
import { installTools } from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const { values: args } = parseArgs({ options: { grep: { type: 'string' }, only: { type: 'string' } } });
if (args.only && !['ext', 'ui'].includes(args.only)) {
  console.error('--only takes ext or ui');
  process.exit(2);
}
const artifacts = resolve(process.env.ARTIFACTS || join(root, 'e2e-artifacts'));
const VSIX = join(root, 'go-debug-doctor.vsix');
handleSignals();

/** The go the extension host will find: PATH first, then Go's default install folder. */
function findGo() {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/local/go/bin']) {
    try {
      accessSync(join(dir, 'go'), constants.X_OK);
      return join(dir, 'go');
    } catch {
      // not here
    }
  }
  throw new Error('go was not found on PATH or in /usr/local/go/bin');
}

/** Removes only what earlier runs wrote into the artifacts folder (NN-name.png, code-server.log). */
function prepareArtifacts() {
  mkdirSync(artifacts, { recursive: true });
  for (const f of readdirSync(artifacts)) if (/^\d\d-.*\.png$/.test(f) || f === 'code-server.log') rmSync(join(artifacts, f), { force: true });
}

const results = { vsixKB: undefined, ext: undefined, ui: undefined };
let exitCode = 1;
try {
  const host = hostPaths(root);
  await phase('prerequisites', async () => {
    await ensureSystemPackages({ needKrb5: needsCodeServerBuild(host) });
    await ensureNode24(host);
    await ensureCodeServer(host);
  });

  await phase('npm run package', async () => {
    const out = await run('npm', ['run', 'package'], { timeoutMs: 5 * 60_000 });
    results.vsixKB = Math.round(statSync(VSIX).size / 1024);
    log(stripVTControlCharacters(out).trim().split('\n').filter((l) => /Packaged/.test(l)).pop()?.trim() ?? `packaged ${VSIX}`);
    log(`vsix: ${results.vsixKB} KB`);
  });

  await phase('esbuild (extension, extension-host tests)', () => run(process.execPath, ['scripts/build.mjs', '--e2e']));

  const rd = createRunDir();
  onCleanup('run folder', () => {
    if (existsSync(rd.log)) copyFileSync(rd.log, join(artifacts, 'code-server.log'));
    rmSync(rd.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });
  onCleanup('leftover processes', () => killProcessesMentioning(rd.dir));
  prepareArtifacts();
  // Everything temporary from here on lands in the run folder: the dlv build folder (even when
  // go install is interrupted), go's build files, Chromium's profile.
  process.env.TMPDIR = rd.tmp;
  process.env.GDD_E2E_BROWSER_HOME = join(rd.dir, 'browser');
  log(`run folder: ${rd.dir}`);

  const tools = await phase('go install dlv v1.27.2', () => installTools(['dlv-new']));
  onCleanup('temporary dlv', tools.cleanup);
  const dlv = tools.tools['dlv-new'];
  log(`dlv: ${dlv}`);

  const go = findGo();
  const env = serverEnv(rd, host.node24Bin, [dirname(dlv), dirname(go)], {
    GDD_E2E_DLV: dlv,
    ...(args.grep ? { GDD_E2E_GREP: args.grep } : {}),
  });
  await phase('install the vsix into the run profile', () => installVsix(host.codeServer, rd, env, VSIX));
  const server = await phase('start code-server', () => startCodeServer(host.codeServer, rd, env));
  log(`code-server at ${server.url} (process group ${server.pgid})`);

  if (args.only !== 'ui') {
    results.ext = await phase('extension-host tests (mocha)', () =>
      runExtensionTests({ url: server.url, workspace: rd.workspace, extensionPath: root, testsPath: join(root, 'out', 'vscode-test', 'suite', 'index.js') }),
    );
    rmSync(join(rd.workspace, '.vscode'), { recursive: true, force: true });
  }
  if (args.only !== 'ext') {
    results.ui = await phase('UI tests (Playwright)', () => runUiTests({ root, base: server.url, workspace: rd.workspace, artifacts, env: { dlv }, grep: args.grep }));
  }
  const extOk = results.ext === undefined || results.ext === 0;
  const uiOk = results.ui === undefined || results.ui.failed === 0;
  exitCode = extOk && uiOk ? 0 : 1;
} catch (err) {
  console.error(`\n[e2e] ${err.stack ?? err}`);
  exitCode = 1;
} finally {
  await phase('cleanup (code-server, Chromium, temporary folders)', runCleanups);
  console.log('\nEnd-to-end summary');
  for (const t of timings) console.log(`  ${t.name.padEnd(52)} ${(t.ms / 1000).toFixed(1).padStart(6)}s`);
  if (results.vsixKB !== undefined) console.log(`  vsix: ${results.vsixKB} KB`);
  if (results.ext !== undefined) console.log(`  extension-host suite: ${results.ext === 0 ? 'passed' : `FAILED (exit ${results.ext})`}`);
  if (results.ui !== undefined) console.log(`  UI tests: ${results.ui.passed} passed, ${results.ui.failed} failed; screenshots in ${artifacts}`);
  console.log(`  total ${elapsed()}: ${exitCode === 0 ? 'PASS' : 'FAIL'}`);
  process.exit(exitCode);
}
