// `npm run test:e2e`: the extension in a real VS Code (code-server 4.139.1 under Node 24) driven by
// Debian's headless Chromium, following /work/shared/docs/vscode-e2e-recipe.md, next to the real Go
// extension (golang.go; see scripts/e2e/golangGo.mjs for where it comes from):
//   1. install what is missing (chromium, libkrb5-dev, Node 24, code-server into .vscode-host/)
//   2. npm run package → go-debug-doctor.vsix; bundle the extension-host suite (test/vscode → out/vscode-test)
//   3. go install dlv v1.27.2, dlv v1.21.2 and gopls v0.23.0 into a temporary folder
//   4. one code-server per profile, one after the other, each on 127.0.0.1 with a throw-away profile
//      and a fresh Go workspace (a profile differs in PATH, extensions or trust, which are fixed when
//      a server starts):
//      plain    our vsix alone, dlv on PATH: test/e2e/ui.e2e.mjs (includes "without the Go extension")
//      golang   golang.go installed, this checkout as the development extension: the mocha suite
//      firstrun our vsix + golang.go (go.useLanguageServer off), no dlv and no gopls, filippo.io/age
//               v1.3.2 from the module proxy,
//               a build cache with only the standard library (filled in the background while
//               the earlier stages run): test/e2e/firstrun.e2e.mjs (F5 to a
//               breakpoint: the north star, counted and timed)
//      journey  our vsix + golang.go, no dlv anywhere: test/e2e/journey.e2e.mjs (a new Go developer)
//      trust    our vsix + golang.go, workspace trust on, the folder untrusted: test/e2e/trust.e2e.mjs
// Screenshots in e2e-artifacts/ ($ARTIFACTS). Exit 0 only when every suite passes. code-server,
// Chromium and every temporary folder are removed on every path, Ctrl-C included.
//   npm run test:e2e -- [--grep TEXT] [--only ext|ui|plain|firstrun|journey|trust]
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import { runExtensionTests } from './e2e/extTests.mjs';
import { findGolangGo, GOLANG_GO_SETTINGS, installGolangGo } from './e2e/golangGo.mjs';
import { ensureCodeServer, ensureNode24, ensureSystemPackages, hostPaths, needsCodeServerBuild } from './e2e/host.mjs';
import { elapsed, handleSignals, killProcessesMentioning, log, onCleanup, phase, run, runCleanups, timings } from './e2e/proc.mjs';
import { BREAKPOINTS, createProfile, createRunDir, installVsix, serverEnv, startCodeServer } from './e2e/server.mjs';
import { runUiTests } from './e2e/ui.mjs';
import { installTools } from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const { values: args } = parseArgs({ options: { grep: { type: 'string' }, only: { type: 'string' } } });
if (args.only && !['ext', 'ui', 'plain', 'firstrun', 'journey', 'trust'].includes(args.only)) {
  console.error('--only takes ext, ui, plain, firstrun, journey or trust');
  process.exit(2);
}
const wanted = (stage) => !args.only || args.only === stage || (args.only === 'ui' && stage !== 'ext');
const artifacts = resolve(process.env.ARTIFACTS || join(root, 'e2e-artifacts'));
const VSIX = join(root, 'go-debug-doctor.vsix');
handleSignals();

/** The first folder on `path` (then Go's default install folder) holding an executable `name`. */
function findOnPath(name, path = process.env.PATH ?? '') {
  for (const dir of [...path.split(delimiter).filter(Boolean), '/usr/local/go/bin']) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Every file named `name` below `dir` (none when dir is missing). */
function findFiles(dir, name) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name === name)
    .map((e) => join(e.parentPath, e.name));
}

/**
 * The firstrun stage's build cache, made in the background while the earlier stages run: the
 * standard library built normally and with -N -l, as any earlier go build and debug session leaves
 * it. Delve and the module's dependencies are not in it: the north star builds them for real.
 * (gopls is not warmed: golang.go's own install of it did not hit such a cache, and it is waited
 * for and not counted anyway.)
 */
async function warmFirstrunCache(go) {
  const dir = mkdtempSync(join('/tmp', 'gdd-e2e-gocache-'));
  onCleanup('firstrun build cache', () => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
  const gocache = join(dir, 'gocache');
  const env = { ...process.env, GOCACHE: gocache, GOFLAGS: '', TMPDIR: dir };
  const timed = async (argv) => {
    const t = Date.now();
    await run(go, argv, { env, cwd: dir, timeoutMs: 15 * 60_000 });
    return `${((Date.now() - t) / 1000).toFixed(1)} s`;
  };
  const std = await timed(['build', 'std']);
  const stdN = await timed(['build', '-gcflags=all=-N -l', 'std']);
  const stdBuild = `go build std ${std}, with -N -l ${stdN}`;
  log(`firstrun: build cache ready in the background: ${stdBuild}`);
  return { gocache, stdBuild };
}

/** A module's source from the Go module proxy (its module cache copy), writable, as the workspace. */
async function copyModule(go, module, folder) {
  const out = await run(go, ['mod', 'download', '-json', module], { timeoutMs: 5 * 60_000 });
  // run() joins both streams: the JSON object is the one on standard output.
  const info = JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1));
  if (!info.Dir) throw new Error(`go mod download ${module}: ${info.Error ?? 'no Dir'}`);
  rmSync(folder, { recursive: true, force: true });
  cpSync(info.Dir, folder, { recursive: true });
  const writable = (dir) => {
    chmodSync(dir, 0o755);
    for (const e of readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory()) writable(join(dir, e.name));
      else chmodSync(join(dir, e.name), 0o644);
  };
  writable(folder);
}

/** Removes only what earlier runs wrote into the artifacts folder (NN-name.png, *code-server.log). */
function prepareArtifacts() {
  mkdirSync(artifacts, { recursive: true });
  for (const f of readdirSync(artifacts))
    if (/^(\w+-)?\d\d-.*\.png$/.test(f) || /(code-server|go-debug-doctor)\.log$/.test(f)) rmSync(join(artifacts, f), { force: true });
}

const results = { vsixKB: undefined, suites: [] };
let exitCode = 1;
try {
  const host = hostPaths(root);
  const go = findOnPath('go');
  if (!go) throw new Error('go was not found on PATH or in /usr/local/go/bin');
  await phase('prerequisites', async () => {
    await ensureSystemPackages({ needKrb5: needsCodeServerBuild(host) });
    await ensureNode24(host);
    await ensureCodeServer(host);
  });
  // firstrun's own build cache is filled while the earlier stages run (not during the prerequisites:
  // building code-server on a cold machine needs both cores).
  const firstrunCache = wanted('firstrun') ? warmFirstrunCache(go) : undefined;
  firstrunCache?.catch(() => {}); // awaited (and reported) by the firstrun stage
  const golangGo = findGolangGo(root);
  log(`golang.go: ${golangGo.path ?? golangGo.id} (${golangGo.why})`);

  await phase('npm run package', async () => {
    const out = await run('npm', ['run', 'package'], { timeoutMs: 5 * 60_000 });
    results.vsixKB = Math.round(statSync(VSIX).size / 1024);
    log(
      stripVTControlCharacters(out)
        .trim()
        .split('\n')
        .filter((l) => /Packaged/.test(l))
        .pop()
        ?.trim() ?? `packaged ${VSIX}`,
    );
    log(`vsix: ${results.vsixKB} KB`);
  });

  await phase('esbuild (extension, extension-host tests)', () => run(process.execPath, ['scripts/build.mjs', '--e2e']));

  const rd = createRunDir();
  onCleanup('run folder', () => rmSync(rd.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
  onCleanup('leftover processes', () => killProcessesMentioning(rd.dir));
  prepareArtifacts();
  // Everything temporary from here on lands in the run folder: the tool build folders (even when
  // go install is interrupted), go's build files, Chromium's profile.
  process.env.TMPDIR = rd.tmp;
  process.env.GDD_E2E_BROWSER_HOME = join(rd.dir, 'browser');
  mkdirSync(rd.tmp, { recursive: true });
  log(`run folder: ${rd.dir}`);

  const tools = await phase('go install dlv v1.27.2, dlv v1.21.2, gopls v0.23.0', () => installTools(['dlv-new', 'dlv-old', 'gopls']));
  onCleanup('temporary tools', tools.cleanup);
  const dlv = tools.tools['dlv-new'];
  const dlvOld = tools.tools['dlv-old'];
  const gopls = tools.tools.gopls;
  // Module downloads stay in the machine's warm module cache; each profile has its own GOPATH
  // (so GOPATH/bin, where "Go: Install/Update Tools" writes, starts empty).
  const gomodcache = (await run(go, ['env', 'GOMODCACHE'])).trim();
  // PATH without any folder that holds a dlv: the journey starts with no dlv anywhere.
  const pathWithoutDlv = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((d) => d && !findOnPath('dlv', d))
    .join(delimiter);

  /** One profile on one code-server: create, install extensions, start, run `fn(server, profile)`, stop. */
  const stage = async (name, { vsix = true, withGolangGo = true, trust = false, path, env: extra = {}, settings = {}, workspace }, fn) => {
    const profile = createProfile(rd, name, { trust, settings: { ...(withGolangGo ? GOLANG_GO_SETTINGS : {}), ...settings } });
    if (workspace) await workspace(profile);
    const env = serverEnv(
      profile,
      host.node24Bin,
      path,
      { GOPATH: profile.gopath, GOMODCACHE: gomodcache, ...extra },
      { basePath: pathWithoutDlv },
    );
    onCleanup(`${name} code-server log`, () => {
      if (existsSync(profile.log)) copyFileSync(profile.log, join(artifacts, `${name}-code-server.log`));
      // Our own output channel (the log of each check run, install and F5 decision).
      for (const file of findFiles(join(profile.user, 'logs'), 'Go Debug Doctor.log'))
        copyFileSync(file, join(artifacts, `${name}-go-debug-doctor.log`));
    });
    await phase(`${name}: install ${[vsix && 'our vsix', withGolangGo && 'golang.go'].filter(Boolean).join(' and ')}`, async () => {
      if (vsix) await installVsix(host.codeServer, profile, env, VSIX);
      if (withGolangGo) await installGolangGo(host.codeServer, profile, env, golangGo);
    });
    const server = await phase(`${name}: start code-server`, () => startCodeServer(host.codeServer, profile, env));
    log(`${name}: code-server at ${server.url} (process group ${server.pgid})`);
    try {
      return await fn(server, profile, env);
    } finally {
      await server.stop();
    }
  };
  const ui = (name, files, server, profile, facts) =>
    phase(`${name}: UI tests (Playwright)`, () =>
      runUiTests({ root, files, base: server.url, workspace: profile.workspace, artifacts, prefix: name, env: facts, grep: args.grep }),
    );

  if (wanted('plain')) {
    const r = await stage('plain', { withGolangGo: false, path: [dirname(dlv), dirname(go)] }, (server, profile) =>
      ui('plain', ['ui.e2e.mjs'], server, profile, { dlv }),
    );
    results.suites.push({ name: 'plain: UI tests without golang.go', ...r });
  }
  if (wanted('ext')) {
    const code = await stage(
      'ext',
      {
        vsix: false,
        path: [dirname(dlv), dirname(gopls), dirname(go)],
        env: { GDD_E2E_DLV: dlv, GDD_E2E_DLV_OLD: dlvOld, ...(args.grep ? { GDD_E2E_GREP: args.grep } : {}) },
      },
      (server, profile) =>
        phase('ext: extension-host tests (mocha, golang.go active)', () =>
          runExtensionTests({
            url: server.url,
            workspace: profile.workspace,
            extensionPath: root,
            testsPath: join(root, 'out', 'vscode-test', 'suite', 'index.js'),
          }),
        ),
    );
    results.suites.push({
      name: 'ext: extension-host suite with golang.go',
      passed: code === 0 ? 'all' : 0,
      failed: code === 0 ? 0 : `exit ${code}`,
    });
  }
  if (wanted('firstrun')) {
    // A real module with 19 packages and 8 commands, as a user would clone it, and the build cache
    // of warmFirstrunCache(): dlv and the module's dependencies are built for real.
    const t0 = Date.now();
    const { gocache, stdBuild } = await firstrunCache;
    log(`firstrun: waited ${((Date.now() - t0) / 1000).toFixed(1)} s for its build cache (${stdBuild})`);
    const r = await stage(
      'firstrun',
      {
        path: [dirname(go)],
        env: { GOCACHE: gocache },
        // No gopls: golang.go would spend ~2 min installing it, which the north star waited out
        // and did not count anyway; debugging does not use it.
        settings: { 'go.useLanguageServer': false },
        workspace: (profile) => copyModule(go, 'filippo.io/age@v1.3.2', profile.workspace),
      },
      (server, profile) =>
        ui('firstrun', ['firstrun.e2e.mjs'], server, profile, {
          dlvOld,
          settingsFile: profile.settingsFile,
          stdBuild,
          gopath: profile.gopath,
        }),
    );
    results.suites.push({ name: 'firstrun: F5 to a breakpoint in filippo.io/age, no dlv', ...r });
  }
  if (wanted('journey')) {
    const r = await stage('journey', { path: [dirname(gopls), dirname(go)] }, (server, profile) =>
      ui('journey', ['journey.e2e.mjs'], server, profile, {
        dlvOld,
        settingsFile: profile.settingsFile,
        gopath: profile.gopath,
        breakpoints: BREAKPOINTS,
        pgid: server.pgid,
      }),
    );
    results.suites.push({ name: 'journey: a new Go developer through golang.go', ...r });
  }
  if (wanted('trust')) {
    const r = await stage('trust', { trust: true, path: [dirname(dlv), dirname(gopls), dirname(go)] }, (server, profile) =>
      ui('trust', ['trust.e2e.mjs'], server, profile, { pgid: server.pgid, gopath: profile.gopath }),
    );
    results.suites.push({ name: 'trust: an untrusted folder', ...r });
  }
  exitCode = results.suites.length && results.suites.every((s) => s.failed === 0) ? 0 : 1;
} catch (err) {
  console.error(`\n[e2e] ${err.stack ?? err}`);
  exitCode = 1;
} finally {
  await phase('cleanup (code-server, Chromium, temporary folders)', runCleanups);
  console.log('\nEnd-to-end summary');
  for (const t of timings) console.log(`  ${t.name.padEnd(60)} ${(t.ms / 1000).toFixed(1).padStart(6)}s`);
  if (results.vsixKB !== undefined) console.log(`  vsix: ${results.vsixKB} KB`);
  for (const s of results.suites) console.log(`  ${s.name}: ${s.failed === 0 ? `passed (${s.passed})` : `FAILED (${s.failed} failed)`}`);
  console.log(`  screenshots in ${artifacts}`);
  console.log(`  total ${elapsed()}: ${exitCode === 0 ? 'PASS' : 'FAIL'}`);
  process.exit(exitCode);
}
