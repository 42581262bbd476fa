// A throw-away VS Code profile, a small Go workspace, and code-server on 127.0.0.1 in its own
// process group (recipe step 5). Everything code-server writes (config, logs, sockets, caches of
// the profile) stays inside the run folder.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanEnv, killGroup, log, onCleanup, run } from './proc.mjs';

/**
 * The recipe's settings, plus: no recommendation or screen-reader prompts; no modal editors
 * (VS Code 1.139 opens some editors, e.g. Running Extensions, in a modal that swallows F1); no
 * empty chat side bar in screenshots.
 */
export const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'editor.accessibilitySupport': 'off',
  'workbench.editor.useModal': 'off',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export const WORKSPACE_NAME = 'e2e';
const GO_MOD = 'module example.com/e2e\n\ngo 1.21\n';
// Two turns of the loop: a breakpoint on line 9 stops once per attach, so a re-attach stops again.
const MAIN_GO = `package main

import "fmt"

var greeting = "hello from the e2e workspace"

func main() {
	for i := 0; i < 2; i++ {
		fmt.Println(greeting, i)
	}
}
`;
/** Where the UI tests set breakpoints (1-based lines of MAIN_GO and MAIN_TEST_GO). */
export const BREAKPOINTS = { main: 9, test: 6 };
const MAIN_TEST_GO = `package main

import "testing"

func TestGreeting(t *testing.T) {
	if greeting == "" {
		t.Fatal("empty greeting")
	}
}
`;

/**
 * The run folder. Unix socket paths are limited to ~107 bytes and code-server puts
 * vscode-ipc-*.sock into TMPDIR: keep it short (fall back to /tmp when $TMPDIR is long).
 */
export function createRunDir() {
  const base = tmpdir().length <= 40 ? tmpdir() : '/tmp';
  const dir = mkdtempSync(join(base, 'gdd-e2e-'));
  return { dir, tmp: join(dir, 'tmp'), log: join(dir, 'code-server.log') };
}

/**
 * One VS Code profile (user data, extensions, XDG folders, a GOPATH of its own) and a fresh Go
 * workspace, inside the run folder. `settings` are added to USER_SETTINGS; `trust` turns workspace
 * trust on (the folder then starts untrusted).
 */
export function createProfile(run, name, { settings = {}, trust = false } = {}) {
  const dir = join(run.dir, name);
  const paths = {
    name,
    dir,
    tmp: run.tmp,
    trust,
    user: join(dir, 'user'),
    exts: join(dir, 'exts'),
    xdg: join(dir, 'xdg'),
    gopath: join(dir, 'gopath'),
    workspace: join(dir, WORKSPACE_NAME),
    log: join(dir, 'code-server.log'),
  };
  for (const d of [join(paths.user, 'User'), paths.exts, paths.xdg, paths.tmp, paths.workspace, paths.gopath])
    mkdirSync(d, { recursive: true });
  paths.settingsFile = join(paths.user, 'User', 'settings.json');
  writeFileSync(
    paths.settingsFile,
    `${JSON.stringify({ ...USER_SETTINGS, 'security.workspace.trust.enabled': trust, ...settings }, null, 2)}\n`,
  );
  writeGoWorkspace(paths.workspace);
  return paths;
}

export function writeGoWorkspace(folder) {
  writeFileSync(join(folder, 'go.mod'), GO_MOD);
  writeFileSync(join(folder, 'main.go'), MAIN_GO);
  writeFileSync(join(folder, 'main_test.go'), MAIN_TEST_GO);
}

/** A port the kernel just handed out on 127.0.0.1 (closed again; code-server binds it next). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const commonArgs = (rd) => ['--config', join(rd.xdg, 'config.yaml'), '--user-data-dir', rd.user, '--extensions-dir', rd.exts];

/** The environment code-server (and so the extension host) runs with. */
export function serverEnv(rd, node24Bin, extraPath, extra = {}, { basePath = process.env.PATH } = {}) {
  return cleanEnv({
    PATH: [node24Bin, ...extraPath, basePath].join(':'),
    TMPDIR: rd.tmp,
    XDG_CONFIG_HOME: rd.xdg,
    XDG_DATA_HOME: rd.xdg,
    EXTENSIONS_GALLERY: '{}',
    ...extra,
  });
}

/** `code-server --install-extension x.vsix` into the run's extensions folder (before the server starts). */
export async function installVsix(codeServer, rd, env, vsix) {
  const out = await run(codeServer, [...commonArgs(rd), '--install-extension', vsix], { env, timeoutMs: 120_000 });
  log(
    out
      .trim()
      .split('\n')
      .filter((l) => /install/i.test(l))
      .pop() ?? 'vsix installed',
  );
}

const healthz = (url) =>
  new Promise((resolve) => {
    const req = get(`${url}/healthz`, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.setTimeout(2000, () => req.destroy());
  });

/**
 * Starts code-server detached (its own process group) and waits for /healthz. Registers the
 * group's cleanup. Returns { url, port, pgid, stop() }.
 */
export async function startCodeServer(codeServer, rd, env, { smokeTestDriver = true } = {}) {
  const port = await freePort();
  const args = [
    ...commonArgs(rd),
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(rd.trust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    '--reconnection-grace-time',
    '5',
    // Otherwise the server runs the user's login shell and gives the extension host that shell's
    // PATH, without Node 24 and the test's dlv (seen: ~/.bashrc's PATH replaced ours).
    '--vscode-option',
    'force-disable-user-env',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const out = openSync(rd.log, 'a');
  const child = spawn(codeServer, args, { env, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  const pgid = child.pid;
  let exited = null;
  child.on('exit', (code, signal) => (exited = signal ?? `exit ${code}`));
  const forget = onCleanup('code-server', () => killGroup(pgid));
  const stop = async () => {
    await killGroup(pgid);
    forget();
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (exited) throw new Error(`code-server stopped (${exited}); see ${rd.log}`);
    if ((await healthz(url)) === 200) return { url, port, pgid, stop };
    await sleep(100);
  }
  throw new Error(`code-server did not answer ${url}/healthz in 30 s; see ${rd.log}`);
}
