import assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { LiveHost } from '../../../src/core/probes/host';
import { startServer, type ServerHandle } from '../../../src/core/probes/server';
import { verifyAndFix, type VerifyOutcome } from '../../../src/core/verify/flow';
import type { VerifyOptions } from '../../../src/core/verify/result';
import { generateConfigurations } from '../../../src/core/launch/generate';
import { lintLaunchJson } from '../../../src/core/launch/lint';
import { listServerSources } from '../../../src/core/verify/remote';
import { tempDir, testTools, writeFile } from '../../helpers';

// A throw-away HOME with Go telemetry off (the go command and dlv otherwise leave a telemetry child).
const home = tempDir('gdd-verify-home-');
writeFile(path.join(home, '.config/go/telemetry/mode'), 'off 2026-01-01\n');
const env: Record<string, string | undefined> = {
  ...process.env,
  HOME: home,
  GOFLAGS: '',
  GOTOOLCHAIN: 'local',
  GOWORK: undefined,
  GOOS: undefined,
  GOARCH: undefined,
  GOCACHE: process.env.GOCACHE ?? path.join(process.env.HOME ?? '/root', '.cache/go-build'),
  GOMODCACHE: process.env.GOMODCACHE ?? path.join(process.env.HOME ?? '/root', 'go/pkg/mod'),
};
const hostGoos = process.platform === 'win32' ? 'windows' : process.platform;

/** A private copy of the real dlv, so that processes running it can be told from other tests'. */
const dlv = path.join(tempDir('gdd-verify-dlv-'), 'dlv');
copyFileSync(testTools()['dlv-new'], dlv);

const MAIN = `package main

import "fmt"

func main() {
\tanswer := 42
\tfmt.Println("answer", answer)
}
`;
const TEST = `package main

import "testing"

func TestAnswer(t *testing.T) {
\tgot := 40 + 2
\tif got != 42 {
\t\tt.Fatal(got)
\t}
}
`;

/** launch.json with the user's comments, which every fix must keep. */
function launchJson(folder: string, configurations: object[]): string {
  const body = [
    ...configurations,
    { name: "Someone else's", type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}/nowhere' },
  ]
    .map((c) => `    ${JSON.stringify(c)}`)
    .join(',\n    // another one\n');
  return writeFile(
    path.join(folder, '.vscode', 'launch.json'),
    `{\n  // my own comment\n  "version": "0.2.0",\n  "configurations": [\n${body}\n  ]\n}\n`,
  );
}

function plainModule(dir: string, module = 'example.com/plain'): string {
  writeFile(path.join(dir, 'go.mod'), `module ${module}\n\ngo 1.21\n`);
  writeFile(path.join(dir, 'main.go'), MAIN);
  writeFile(path.join(dir, 'main_test.go'), TEST);
  return dir;
}

async function verify(
  folder: string,
  options: Partial<VerifyOptions> & { fix?: boolean } = {},
  extraEnv: Record<string, string> = {},
): Promise<VerifyOutcome> {
  const runEnv = { ...env, ...extraEnv };
  const t0 = performance.now();
  const outcome = await verifyAndFix({ host: new LiveHost(runEnv), folder, dlv, go: 'go', timeoutMs: 300_000, ...options });
  timings.push(
    `${path.basename(folder)}${options.config ? ` "${options.config}"` : ''}${options.fix ? ' --fix' : ''}: ${Math.round(performance.now() - t0)} ms`,
  );
  return outcome;
}

const timings: string[] = [];
after(() => console.log(`verify timings:\n  ${timings.join('\n  ')}`));

/** Processes still running our dlv copy or a binary from a verify folder (by /proc/PID/exe and cmdline). */
function survivors(except?: number): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    if (Number(pid) === except) continue;
    try {
      const exe = readlinkSync(`/proc/${pid}/exe`);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (exe === dlv || exe.includes('gdd-verify-') || cmdline.startsWith(dlv)) found.push(`${pid} ${cmdline}`);
    } catch {
      // gone
    }
  }
  return found;
}

function assertFixed(outcome: VerifyOutcome, launchFile: string) {
  assert.ok(outcome.after, `a second run after the fix: ${JSON.stringify(outcome.before, null, 1)}`);
  assert.equal(outcome.after.outcome, 'pass', JSON.stringify(outcome.after, null, 1));
  assert.equal(outcome.after.fixed, true);
  assert.equal(outcome.after.breakpoints[0]?.hit, true);
  const text = readFileSync(launchFile, 'utf8');
  assert.match(text, /\/\/ my own comment/);
  assert.match(text, /\/\/ another one/);
}

describe("verify: the user's own configuration through real dlv", { timeout: 900_000 }, () => {
  it('plain module: launch and test configurations bind and stop at the default breakpoints', async () => {
    const ws = plainModule(tempDir('gdd-verify-plain-'));
    launchJson(ws, [
      { name: 'Launch', type: 'go', request: 'launch', mode: 'auto', program: '${workspaceFolder}' },
      { name: 'Test', type: 'go', request: 'launch', mode: 'test', program: '${workspaceFolder}' },
    ]);
    const launch = await verify(ws, { config: 'Launch' });
    assert.equal(launch.before.outcome, 'pass', JSON.stringify(launch.before, null, 1));
    assert.equal(launch.before.mode, 'debug');
    assert.equal(launch.before.breakpoints[0]?.file, path.join(ws, 'main.go'));
    assert.deepEqual(launch.before.fixes, []);
    const test = await verify(ws, { config: 'Test' });
    assert.equal(test.before.outcome, 'pass', JSON.stringify(test.before, null, 1));
    assert.equal(test.before.breakpoints[0]?.file, path.join(ws, 'main_test.go'));
    assert.equal(test.before.breakpoints[0]?.hit, true);
    assert.deepEqual(survivors(), []);
    assert.deepEqual(
      readdirSync(ws).filter((f) => f.startsWith('__debug_bin')),
      [],
      'no binary left in the workspace',
    );
  });

  it('go.work with two modules and -trimpath in buildFlags: one substitutePath entry per module, then both breakpoints hit', async () => {
    const ws = tempDir('gdd-verify-work-');
    writeFile(path.join(ws, 'go.work'), 'go 1.21\n\nuse (\n\t./app\n\t./lib\n)\n');
    writeFile(path.join(ws, 'app', 'go.mod'), 'module example.com/app\n\ngo 1.21\n\nrequire example.com/lib v0.0.0\n');
    writeFile(
      path.join(ws, 'app', 'main.go'),
      'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/lib"\n)\n\nfunc main() {\n\tv := lib.Double(21)\n\tfmt.Println(v)\n}\n',
    );
    writeFile(path.join(ws, 'lib', 'go.mod'), 'module example.com/lib\n\ngo 1.21\n');
    writeFile(path.join(ws, 'lib', 'lib.go'), 'package lib\n\nfunc Double(n int) int {\n\tr := n * 2\n\treturn r\n}\n');
    const file = launchJson(ws, [
      { name: 'App', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}/app', buildFlags: '-trimpath' },
    ]);
    const breakpoints = [
      { file: path.join(ws, 'app', 'main.go'), line: 10 },
      { file: path.join(ws, 'lib', 'lib.go'), line: 4 },
    ];
    const before = await verify(ws, { breakpoints });
    assert.equal(before.before.outcome, 'fail');
    assert.deepEqual(
      before.before.breakpoints.map((b) => b.reason),
      ['trimpath', 'trimpath'],
    );
    assert.match(before.before.breakpoints[0]!.message!, /could not find file/);
    assert.equal(before.before.pathMapping.trimpath, true);
    assert.deepEqual(before.before.fixes[0]?.value, [
      { from: '${workspaceFolder}/app', to: 'example.com/app' },
      { from: '${workspaceFolder}/lib', to: 'example.com/lib' },
    ]);
    const fixed = await verify(ws, { breakpoints, fix: true });
    assertFixed(fixed, file);
    assert.deepEqual(
      fixed.after!.breakpoints.map((b) => b.verified),
      [true, true],
    );
  });

  it('workspace opened through a symbolic link: substitutePath from the link to the real folder', async () => {
    const root = tempDir('gdd-verify-link-');
    const real = plainModule(path.join(root, 'real', 'project'));
    const link = path.join(root, 'opened');
    symlinkSync(real, link);
    const file = launchJson(link, [{ name: 'Launch', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}' }]);
    const before = await verify(link);
    assert.equal(before.before.outcome, 'fail');
    assert.equal(before.before.breakpoints[0]?.reason, 'symlink');
    assert.deepEqual(before.before.pathMapping.symlinks, [{ path: link, realpath: real }]);
    assert.deepEqual(before.before.fixes[0]?.value, [{ from: '${workspaceFolder}', to: real }]);
    assertFixed(await verify(link, { fix: true }), file);
  });

  it('a module folder inside the workspace that is a symbolic link: the entry covers only that folder', async () => {
    const root = tempDir('gdd-verify-sublink-');
    const elsewhere = plainModule(path.join(root, 'elsewhere', 'svc'), 'example.com/svc');
    const ws = path.join(root, 'ws');
    mkdirSync(ws);
    symlinkSync(elsewhere, path.join(ws, 'svc'));
    const file = launchJson(ws, [{ name: 'Svc', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}/svc' }]);
    const before = await verify(ws);
    assert.equal(before.before.breakpoints[0]?.reason, 'symlink');
    assert.deepEqual(before.before.fixes[0]?.value, [{ from: '${workspaceFolder}/svc', to: elsewhere }]);
    assertFixed(await verify(ws, { fix: true }), file);
  });

  it('-trimpath from GOFLAGS (test configuration): module-path names, fixed by substitutePath', async () => {
    const ws = plainModule(tempDir('gdd-verify-goflags-'));
    const file = launchJson(ws, [{ name: 'Test', type: 'go', request: 'launch', mode: 'test', program: '${workspaceFolder}' }]);
    const before = await verify(ws, {}, { GOFLAGS: '-trimpath' });
    assert.equal(before.before.breakpoints[0]?.reason, 'trimpath');
    assert.match(before.before.diagnoses[0]!.fix, /remove it from GOFLAGS/);
    assert.deepEqual(before.before.fixes[0]?.value, [{ from: '${workspaceFolder}', to: 'example.com/plain' }]);
    assertFixed(await verify(ws, { fix: true }, { GOFLAGS: '-trimpath' }), file);
  });

  it('a file behind //go:build integration: named, and -tags=integration added to the existing buildFlags string', async () => {
    const ws = plainModule(tempDir('gdd-verify-tags-'));
    writeFile(
      path.join(ws, 'extra.go'),
      '//go:build integration\n\npackage main\n\nimport "fmt"\n\nfunc init() {\n\tfmt.Println("integration")\n}\n',
    );
    const file = launchJson(ws, [
      { name: 'Launch', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}', buildFlags: '-race=false' },
    ]);
    const breakpoints = [{ file: path.join(ws, 'extra.go'), line: 8 }];
    const before = await verify(ws, { breakpoints });
    const bp = before.before.breakpoints[0]!;
    assert.equal(bp.reason, 'build-tag');
    assert.match(bp.cause!, /\/\/go:build integration/);
    assert.deepEqual(
      before.before.fixes.map((f) => [f.attribute, f.value]),
      [['buildFlags', '-tags=integration']],
    );
    const fixed = await verify(ws, { breakpoints, fix: true });
    assertFixed(fixed, file);
    assert.match(readFileSync(file, 'utf8'), /"buildFlags":"-race=false -tags=integration"/);
  });

  it(`a file behind a GOOS suffix while the environment builds for another GOOS: env.GOOS=${hostGoos} added`, async () => {
    const ws = plainModule(tempDir('gdd-verify-goos-'));
    const other = hostGoos === 'windows' ? 'linux' : 'windows';
    writeFile(path.join(ws, `platform_${hostGoos}.go`), 'package main\n\nimport "fmt"\n\nfunc init() {\n\tfmt.Println("here")\n}\n');
    const file = launchJson(ws, [{ name: 'Launch', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}' }]);
    const breakpoints = [{ file: path.join(ws, `platform_${hostGoos}.go`), line: 6 }];
    const before = await verify(ws, { breakpoints }, { GOOS: other });
    assert.equal(before.before.outcome, 'fail');
    assert.equal(before.before.breakpoints[0]?.reason, 'goos-suffix');
    assert.ok(
      before.before.diagnoses.some((d) => d.id === 'goos' && d.cause.includes(`GOOS=${other}`)),
      JSON.stringify(before.before.diagnoses),
    );
    assert.deepEqual(
      before.before.fixes.map((f) => [f.attribute, f.value]),
      [['env.GOOS', hostGoos]],
    );
    assertFixed(await verify(ws, { breakpoints, fix: true }, { GOOS: other }), file);
  });

  it('mode remote: a headless server running a copy of the sources under another root; verify leaves it running', async () => {
    const ws = plainModule(tempDir('gdd-verify-remote-ws-'));
    // What a container sees as /app: the same sources, another folder.
    const app = path.join(tempDir('gdd-verify-remote-app-'), 'app');
    cpSync(ws, app, { recursive: true });
    let server: ServerHandle | undefined;
    try {
      server = await startServer([dlv, 'debug', '--headless', '--listen=127.0.0.1:0', '--accept-multiclient', '--api-version=2'], {
        cwd: app,
        env,
        ready: /API server listening at: /,
        timeoutMs: 300_000,
      });
      const port = Number(/:(\d+)\s*$/.exec(server.readyLine)![1]);
      const file = launchJson(ws, [{ name: 'Remote', type: 'go', request: 'attach', mode: 'remote', host: '127.0.0.1', port }]);
      // The lint rule sees the same thing without running anything: the server's files are outside the workspace.
      const lintOptions = { file, reachable: async () => true, serverSources: listServerSources, workspaceFolder: ws };
      const findings = await lintLaunchJson(readFileSync(file, 'utf8'), lintOptions);
      assert.ok(
        findings.some((f) => f.rule === 'remote-path-mapping' && f.message.includes(`"to": "${app}"`)),
        JSON.stringify(findings),
      );
      const before = await verify(ws);
      assert.equal(before.before.outcome, 'fail');
      assert.equal(before.before.breakpoints[0]?.reason, 'build-root');
      assert.equal(before.before.pathMapping.debuggeeRoot, app);
      assert.deepEqual(before.before.fixes[0]?.value, [{ from: '${workspaceFolder}', to: app }]);
      assert.ok(before.before.steps.some((s) => s.id === 'disconnect' && /keeps running/.test(s.detail ?? '')));
      const fixed = await verify(ws, { fix: true });
      assertFixed(fixed, file);
      assert.deepEqual(
        (await lintLaunchJson(readFileSync(file, 'utf8'), lintOptions)).filter((f) => f.rule === 'remote-path-mapping'),
        [],
      );
      assert.equal(
        await Promise.race([server.exited.then(() => 'exited'), new Promise((r) => setTimeout(() => r('running'), 500))]),
        'running',
        "the user's server keeps running",
      );
      assert.deepEqual(
        survivors(server.pid).filter((p) => !p.includes('__debug_bin')),
        [],
      );
    } finally {
      await server?.stop();
    }
  });

  it('the generated "Connect to dlv in a container" configuration attaches to such a server and stops at the breakpoint', async () => {
    const ws = plainModule(tempDir('gdd-verify-container-ws-'));
    const app = path.join(tempDir('gdd-verify-container-app-'), 'app');
    cpSync(ws, app, { recursive: true });
    const generated = await generateConfigurations({
      folderName: 'ws',
      packages: [{ importPath: 'example.com/plain', dir: ws, rel: '.', isMain: true, hasTests: true }],
      kinds: ['container'],
      remoteRoot: app,
    });
    const config = generated.configurations[0]!;
    assert.deepEqual(config.substitutePath, [{ from: '${workspaceFolder}', to: app }]);
    assert.ok(generated.notes.some((n) => n.includes('-p 127.0.0.1:2345:2345 --cap-add=SYS_PTRACE --security-opt seccomp=unconfined')));
    assert.ok(generated.notes.some((n) => n.includes('ssh -N -L 2345:127.0.0.1:2345')));
    let server: ServerHandle | undefined;
    try {
      server = await startServer([dlv, 'debug', '.', '--headless', '--listen=127.0.0.1:0', '--accept-multiclient', '--api-version=2'], {
        cwd: app,
        env,
        ready: /API server listening at: /,
        timeoutMs: 300_000,
      });
      const port = Number(/:(\d+)\s*$/.exec(server.readyLine)![1]);
      launchJson(ws, [{ ...config, port }]);
      const outcome = await verify(ws, { config: String(config.name) });
      assert.equal(outcome.before.outcome, 'pass', JSON.stringify(outcome.before, null, 1));
      assert.equal(outcome.before.breakpoints[0]?.hit, true);
      assert.equal(outcome.before.breakpoints[0]?.file, path.join(ws, 'main.go'));
    } finally {
      await server?.stop();
    }
  });

  it('mode exec: an optimised binary still stops but is named; a binary without DWARF is named stripped', async () => {
    const ws = plainModule(tempDir('gdd-verify-exec-'));
    for (const [name, flags] of [
      ['opt', []],
      ['stripped', ['-ldflags=-w']],
    ] as const) {
      const built = await new LiveHost(env).run(['go', 'build', ...flags, '-o', path.join(ws, 'bin', name), '.'], {
        cwd: ws,
        timeoutMs: 300_000,
      });
      assert.equal(built.outcome, 'ok', built.stderr);
    }
    launchJson(ws, [
      { name: 'Opt', type: 'go', request: 'launch', mode: 'exec', program: '${workspaceFolder}/bin/opt' },
      { name: 'Stripped', type: 'go', request: 'launch', mode: 'exec', program: '${workspaceFolder}/bin/stripped' },
    ]);
    const opt = await verify(ws, { config: 'Opt' });
    assert.equal(opt.before.outcome, 'pass', JSON.stringify(opt.before, null, 1));
    assert.ok(opt.before.diagnoses.some((d) => d.id === 'optimised'));
    const stripped = await verify(ws, { config: 'Stripped' });
    assert.equal(stripped.before.outcome, 'fail');
    assert.equal(stripped.before.breakpoints[0]?.reason, 'stripped');
    assert.match(stripped.before.breakpoints[0]!.message!, /binary is stripped/);
    assert.deepEqual(survivors(), []);
  });

  it('cancelled in the middle (Ctrl-C): nothing left running, no temporary folder left', async () => {
    const ws = plainModule(tempDir('gdd-verify-cancel-'));
    launchJson(ws, [{ name: 'Launch', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}' }]);
    const abort = new AbortController();
    const outcome = await verify(ws, {
      signal: abort.signal,
      onStep: (s) => {
        if (s.id === 'start') abort.abort();
      },
    });
    assert.equal(outcome.before.outcome, 'cancelled');
    const folder = /builds into (\S+)/.exec(outcome.before.steps.find((s) => s.id === 'start')?.detail ?? '')?.[1];
    assert.ok(folder?.startsWith(tmpdir()), JSON.stringify(outcome.before.steps));
    assert.equal(existsSync(folder!), false, 'the build folder is removed');
    assert.deepEqual(survivors(), []);
  });

  it('refuses a remote host beyond loopback in one line, without connecting', async () => {
    const ws = plainModule(tempDir('gdd-verify-far-'));
    launchJson(ws, [{ name: 'Far', type: 'go', request: 'attach', mode: 'remote', host: '10.1.2.3', port: 2345 }]);
    const t0 = performance.now();
    const outcome = await verify(ws);
    assert.ok(performance.now() - t0 < 5_000);
    assert.match(outcome.usage ?? '', /connects only to this machine/);
    assert.equal(outcome.usage!.includes('\n'), false);
  });
});
