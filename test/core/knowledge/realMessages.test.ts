import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DapClient, DapError } from '../../../src/core/dap/client';
import { explainDelveOutput } from '../../../src/core/knowledge/delveErrors';
import { runProcess } from '../../../src/core/probes/runProcess';
import { startServer } from '../../../src/core/probes/server';
import { quietHome, tempDir, testTools, writeFile } from '../../helpers';

// What a VS Code user sees when a session fails, made for real: dlv dap v1.27.2 (the pinned dlv)
// and this machine's go, each launch request as the Go extension sends it, and what came back
// (the output events and the error response) given to explain.

const MOD = 'module example.com/m\n\ngo 1.22\n';
const MAIN = 'package main\n\nfunc main() {}\n';

interface Scenario {
  name: string;
  files: Record<string, string>;
  launch: Record<string, unknown>;
  /** Folder (inside the scenario) dlv dap runs in. */
  cwd?: string;
  env?: Record<string, string>;
  expect: string;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'program is one file of a two-file package',
    files: {
      'go.mod': MOD,
      'main.go': 'package main\n\nfunc main() {\n\thelper()\n}\n',
      'helper.go': 'package main\n\nfunc helper() {}\n',
    },
    launch: { mode: 'debug', program: './main.go' },
    expect: 'build-program-is-file',
  },
  {
    name: 'a name that is undefined in the package',
    files: { 'go.mod': MOD, 'main.go': 'package main\n\nfunc main() {\n\thelper()\n}\n' },
    launch: { mode: 'debug', program: '.' },
    expect: 'build-undefined',
  },
  { name: 'no go.mod', files: { 'main.go': MAIN }, launch: { mode: 'debug', program: '.' }, expect: 'go-mod-not-found' },
  {
    name: 'program is a folder without Go files',
    files: { 'go.mod': MOD, 'docs/readme.txt': 'x\n' },
    launch: { mode: 'debug', program: './docs' },
    expect: 'no-go-files',
  },
  {
    name: 'every file behind a build tag',
    files: { 'go.mod': MOD, 'main.go': `//go:build integration\n\n${MAIN}` },
    launch: { mode: 'debug', program: '.' },
    expect: 'build-constraints-exclude',
  },
  {
    name: 'an import no required module provides',
    files: { 'go.mod': MOD, 'main.go': 'package main\n\nimport _ "example.org/not/required"\n\nfunc main() {}\n' },
    launch: { mode: 'debug', program: '.' },
    expect: 'no-required-module',
  },
  {
    name: 'an import path without a domain',
    files: { 'go.mod': MOD, 'main.go': 'package main\n\nimport _ "notexist/pkg"\n\nfunc main() {}\n' },
    launch: { mode: 'debug', program: '.' },
    expect: 'package-not-in-std',
  },
  {
    name: 'cgo without the C compiler',
    files: { 'go.mod': MOD, 'main.go': 'package main\n\n// int x;\nimport "C"\n\nfunc main() {}\n' },
    launch: { mode: 'debug', program: '.', env: { CC: 'gdd-no-such-cc', CGO_ENABLED: '1' } },
    expect: 'cgo-no-c-compiler',
  },
  {
    name: 'test mode on a package without tests',
    files: { 'go.mod': MOD, 'main.go': MAIN },
    launch: { mode: 'test', program: '.' },
    expect: 'no-test-files',
  },
  {
    name: 'debug mode on a library package',
    files: { 'go.mod': MOD, 'lib.go': 'package lib\n\nfunc F() {}\n' },
    launch: { mode: 'debug', program: '.' },
    expect: 'non-main-package',
  },
  {
    name: 'go.mod needs a newer Go and GOTOOLCHAIN=local',
    files: { 'go.mod': 'module example.com/m\n\ngo 1.99\n', 'main.go': MAIN },
    launch: { mode: 'debug', program: '.' },
    env: { GOTOOLCHAIN: 'local' },
    expect: 'go-toolchain-too-old-local',
  },
  {
    name: 'program in a folder outside the module',
    files: { 'mod/go.mod': MOD, 'mod/main.go': MAIN, 'other/main.go': MAIN },
    launch: { mode: 'debug', program: '../other' },
    cwd: 'mod',
    expect: 'outside-main-module',
  },
  {
    name: 'buildFlags with an unquoted -ldflags value',
    files: { 'go.mod': MOD, 'main.go': MAIN },
    launch: { mode: 'debug', program: '.', buildFlags: '-ldflags -X main.v=1' },
    expect: 'build-flags-unquoted',
  },
  {
    name: 'buildFlags with a flag go build does not know',
    files: { 'go.mod': MOD, 'main.go': MAIN },
    launch: { mode: 'debug', program: '.', buildFlags: '--no-such-flag' },
    expect: 'build-flag-unknown',
  },
  {
    name: 'GOPATH mode',
    files: { 'main.go': 'package main\n\nimport _ "example.com/nothere"\n\nfunc main() {}\n' },
    launch: { mode: 'debug', program: '.' },
    env: { GO111MODULE: 'off' },
    expect: 'gopath-cannot-find-package',
  },
  {
    name: 'a dlvCwd that does not exist',
    files: { 'go.mod': MOD, 'main.go': MAIN },
    launch: { mode: 'debug', program: '.', dlvCwd: '/nonexistent/gdd' },
    expect: 'dap-cwd-missing',
  },
  {
    name: 'a mode with a typo',
    files: { 'go.mod': MOD, 'main.go': MAIN },
    launch: { mode: 'tests', program: '.' },
    expect: 'dap-invalid-config',
  },
  {
    name: 'args of the wrong JSON type',
    files: { 'go.mod': MOD, 'main.go': MAIN },
    launch: { mode: 'debug', program: '.', args: 5 },
    expect: 'dap-invalid-config',
  },
  {
    name: 'a cwd that does not exist (Delve blames the binary)',
    files: { 'go.mod': MOD, 'main.go': MAIN },
    launch: { mode: 'debug', program: '.', cwd: '/nonexistent/gdd' },
    expect: 'program-not-found',
  },
  {
    name: 'the program rejects a flag in args',
    files: { 'go.mod': MOD, 'main.go': 'package main\n\nimport "flag"\n\nfunc main() {\n\tflag.Parse()\n}\n' },
    // outputMode remote: the program's stderr comes back as output events (golang.go shows dlv's own streams the same way).
    launch: { mode: 'debug', program: '.', args: ['-port=8080'], outputMode: 'remote' },
    expect: 'program-flag-unknown',
  },
];

/** One launch through a real dlv dap: everything it said until the launch failed or the program ended. */
async function launchThroughDlv(dir: string, s: Scenario): Promise<string> {
  const env = { ...process.env, HOME: quietHome(join(dir, 'home')), GOFLAGS: '', GOPATH: join(dir, 'gopath'), ...s.env };
  const server = await startServer([testTools()['dlv-new'], 'dap', '--listen=127.0.0.1:0'], {
    cwd: join(dir, s.cwd ?? ''),
    env,
    ready: /DAP server listening at: /,
    timeoutMs: 30_000,
  });
  const [, host, port] = /listening at: *(\S+):(\d+)/.exec(server.readyLine)!;
  const dap = await DapClient.connect(host!, Number(port));
  let said = '';
  try {
    await dap.request('initialize', { adapterID: 'go', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    try {
      await dap.request('launch', { request: 'launch', ...s.launch }, 120_000);
      await dap.request('configurationDone');
      await dap.waitForEvent('terminated', 60_000);
    } catch (err) {
      if (!(err instanceof DapError)) throw err;
      const r = err.response as { message?: string; body?: { error?: { format?: string } } } | undefined;
      said = `${r?.message ?? ''}\n${r?.body?.error?.format ?? err.message}\n`;
    }
    return dap.output() + said;
  } finally {
    dap.close();
    await server.stop();
  }
}

/** A one-file main module in a temporary folder, and the quiet environment to build it in. */
function smallModule(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir('gdd-real-msg-');
  writeFile(join(dir, 'go.mod'), MOD);
  writeFile(join(dir, 'main.go'), MAIN);
  return { dir, env: { ...process.env, HOME: quietHome(join(dir, 'home')), GOFLAGS: '' } };
}

describe('what dlv dap v1.27.2 and this go really print, explained (issue 21)', () => {
  for (const s of SCENARIOS) {
    it(`${s.name}: ${s.expect}`, async () => {
      const dir = tempDir('gdd-real-msg-');
      for (const [file, text] of Object.entries(s.files)) writeFile(join(dir, file), text);
      const text = await launchThroughDlv(dir, s);
      const found = explainDelveOutput(text).map((m) => m.id);
      // The specific row, first; the generic "Build error: Check the debug console" never beside it.
      assert.equal(found[0], s.expect, text);
      assert.ok(!found.includes('dap-build-error'), `${found.join(', ')}\n${text}`);
    });
  }

  it('dlv exec of a binary for another CPU: exec-format-error', async () => {
    const { dir, env } = smallModule();
    const built = await runProcess(['go', 'build', '-o', 'arm', '.'], {
      cwd: dir,
      env: { ...env, GOOS: 'linux', GOARCH: 'arm64' },
      timeoutMs: 120_000,
    });
    assert.equal(built.outcome, 'ok', built.stderr);
    const r = await runProcess([testTools()['dlv-new'], 'exec', '--headless', '--listen=127.0.0.1:0', join(dir, 'arm')], {
      cwd: dir,
      env,
      timeoutMs: 30_000,
    });
    assert.deepEqual(
      explainDelveOutput(r.stdout + r.stderr).map((m) => m.id),
      ['exec-format-error'],
      r.stdout + r.stderr,
    );
  });

  it('--listen on an address this machine does not have: listen-address-not-local', async () => {
    const { dir, env } = smallModule();
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    const r = await runProcess([testTools()['dlv-new'], 'debug', '--headless', '--listen=192.0.2.1:0'], {
      cwd: dir,
      env,
      timeoutMs: 120_000,
    });
    assert.deepEqual(
      explainDelveOutput(r.stdout + r.stderr).map((m) => m.id),
      ['listen-address-not-local'],
      r.stdout + r.stderr,
    );
  });
});
