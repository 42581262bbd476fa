import assert from 'node:assert/strict';
import { existsSync, readdirSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { DoctorReport } from '../../src/core/checks/doctor';
import { runProcess } from '../../src/core/probes/runProcess';
import { tempDir, testTools, writeFile } from '../helpers';

const CLI = path.resolve('dist/cli.js');
const GO_BIN = (process.env.PATH ?? '').split(':').find((dir) => existsSync(path.join(dir, 'go')))!;

interface Machine {
  tools?: Partial<Record<'dlv' | 'gopls', string>>;
  goMod?: string;
  env?: Record<string, string>;
  withGo?: boolean;
  extensionDir?: string;
}

/** A throw-away HOME, GOPATH and PATH holding exactly the given real tools. */
function machine(m: Machine = {}) {
  const root = tempDir('gdd-cli-');
  const bin = path.join(root, 'bin');
  writeFile(path.join(bin, '.keep'), '');
  for (const [name, target] of Object.entries(m.tools ?? {})) symlinkSync(target, path.join(bin, name));
  const ws = path.join(root, 'ws');
  writeFile(path.join(ws, 'go.mod'), m.goMod ?? 'module example.com/ws\n\ngo 1.21\n');
  // Telemetry off in the throw-away HOME: no upload child keeps writing there after the tool exits.
  writeFile(path.join(root, 'home', '.config', 'go', 'telemetry', 'mode'), 'off');
  if (m.extensionDir) writeFile(path.join(root, 'home', '.vscode', 'extensions', m.extensionDir, 'package.json'), '{}');
  const env: Record<string, string> = {
    HOME: path.join(root, 'home'),
    XDG_CONFIG_HOME: path.join(root, 'home', '.config'),
    GOPATH: path.join(root, 'gopath'),
    GOCACHE: process.env.GOCACHE ?? path.join(process.env.HOME ?? root, '.cache', 'go-build'),
    GOTOOLCHAIN: 'local',
    PATH: [bin, ...(m.withGo === false ? [] : [GO_BIN]), '/usr/bin', '/bin'].join(':'),
    ...m.env,
  };
  return { root, ws, env, bin };
}

async function cli(args: string[], env?: Record<string, string>) {
  const probe = await runProcess([process.execPath, CLI, ...args], { env: env ?? process.env, timeoutMs: 120_000 });
  return { code: probe.exitCode, stdout: probe.stdout, stderr: probe.stderr };
}

async function check(m: Machine, extra: string[] = []) {
  const { ws, env } = machine(m);
  const { code, stdout, stderr } = await cli(['check', '--json', '--workspace', ws, ...extra], env);
  assert.equal(stderr, '');
  const report = JSON.parse(stdout) as DoctorReport;
  const row = (id: string) => {
    const r = report.checks.find((c) => c.id === id);
    assert.ok(r, `row ${id}`);
    return r;
  };
  return { code, report, row };
}

describe('go-debug-doctor check (real tools)', () => {
  const tools = testTools();

  it('a healthy chain: exit 0 and a stable JSON report', async () => {
    const { code, report, row } = await check({ tools: { dlv: tools['dlv-new'], gopls: tools.gopls } });
    assert.equal(report.schemaVersion, 1);
    assert.deepEqual(
      report.checks.map((c) => c.id),
      [
        'tools.go',
        'env.go',
        'env.modules',
        'workspace.go',
        'tools.dlv',
        'tools.gopls',
        'tools.goExtension',
        'compat.delveGo',
        'compat.dwarf5',
        'compat.goplsGo',
        'profile',
        'mac.cpu',
        'mac.os',
        'mac.uuid',
        'mac.debugserver',
        'mac.devtools',
        'mac.signature',
        'mac.quarantine',
        'mac.firewall',
      ],
    );
    for (const c of report.checks.filter((x) => x.id.startsWith('mac.'))) {
      assert.equal(c.status, 'skip', c.id);
      assert.match(c.summary, /macOS only; this machine runs linux/);
    }
    assert.match(row('tools.dlv').summary, /Delve 1\.27\.2/);
    assert.equal(row('compat.delveGo').status, 'pass');
    assert.equal(row('compat.dwarf5').status, 'pass');
    assert.equal(row('compat.goplsGo').status, 'pass');
    assert.equal(row('tools.goExtension').status, 'warn');
    assert.equal(code, 0);
    for (const c of report.checks)
      assert.ok(['pass', 'warn', 'fail', 'skip', 'error'].includes(c.status) && c.summary && typeof c.durationMs === 'number');
    assert.ok(report.probes.some((p) => p.argv.at(-1) === 'version' && p.argv[0]!.endsWith('dlv')));
  });

  it('a dlv too old for the Go: fail, with the install fix', async () => {
    const { code, row } = await check({ tools: { dlv: tools['dlv-old'], gopls: tools.gopls } });
    const r = row('compat.delveGo');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /Delve 1\.21\.2 cannot debug programs built by go1\.\d+/);
    assert.match(r.detail!, /Version of Delve is too old for Go version/);
    assert.equal(r.fixes[0]!.action, 'installDlv');
    assert.match(r.fixes[0]!.command!, /go install github\.com\/go-delve\/delve\/cmd\/dlv@v1\.27\.2/);
    assert.equal(r.fixes.length, 1, 'one fix per action: the panel shows no second install row');
    assert.equal(code, 1);
  });

  it('a dlv built with Go 1.24 for a DWARF 5 program: the DWARF 5 row fails', async () => {
    const { row } = await check({ tools: { dlv: tools['dlv-dwarf4'] } });
    // No gopls here: not a warning about the debug chain (the status bar stays quiet for it).
    assert.equal(row('tools.gopls').status, 'skip');
    assert.match(row('tools.gopls').summary, /debugging works without it/);
    assert.equal(row('compat.delveGo').status, 'pass');
    const r = row('compat.dwarf5');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /built with go1\.24\.13/);
  });

  it('no dlv: fail with where it looked; its dependants are skipped', async () => {
    const { code, row } = await check({ tools: { gopls: tools.gopls } });
    assert.equal(row('tools.dlv').status, 'fail');
    assert.match(row('tools.dlv').evidence[0]!.value, /gopath\/bin\/dlv/);
    assert.equal(row('compat.delveGo').status, 'skip');
    assert.equal(code, 1);
  });

  it('a hung dlv is stopped at the timeout and reported, not waited on', async () => {
    const hung = writeFile(path.join(tempDir(), 'dlv'), '#!/bin/sh\nsleep 60\n', true);
    const { row } = await check({ tools: { dlv: hung } }, ['--timeout', '500']);
    assert.equal(row('tools.dlv').status, 'fail');
    assert.match(row('tools.dlv').summary, /did not answer within/);
  });

  it('garbage from gopls is "not recognised", not a crash', async () => {
    const junk = writeFile(path.join(tempDir(), 'gopls'), '#!/bin/sh\nprintf "\\001\\002 not gopls at all\\n"\n', true);
    const { row } = await check({ tools: { dlv: tools['dlv-new'], gopls: junk } });
    assert.equal(row('tools.gopls').status, 'warn');
    assert.match(row('tools.gopls').summary, /do not recognise/);
    assert.equal(row('compat.goplsGo').status, 'skip');
  });

  it("go not on PATH is still found in the Go extension's default folders", async (t) => {
    if (!existsSync('/usr/local/go/bin/go')) return t.skip('this machine has no /usr/local/go');
    const { row } = await check({ withGo: false, tools: { dlv: tools['dlv-new'] } });
    assert.equal(row('tools.go').status, 'pass');
    assert.match(row('tools.go').evidence[0]!.value, /\/usr\/local\/go\/bin\/go \(from default folder\)/);
  });

  it('finds the Go extension in ~/.vscode/extensions', async () => {
    const { row } = await check({ tools: { dlv: tools['dlv-new'] }, extensionDir: 'golang.go-0.56.0' });
    assert.equal(row('tools.goExtension').status, 'pass');
    assert.match(row('tools.goExtension').summary, /0\.56\.0/);
  });

  it('go.mod asks for a newer Go while GOTOOLCHAIN=local: the build would fail', async () => {
    const { row } = await check({ tools: { dlv: tools['dlv-new'] }, goMod: 'module m\n\ngo 1.99.0\n' });
    const r = row('workspace.go');
    assert.equal(r.status, 'fail');
    assert.match(r.detail!, /requires go >= 1\.99\.0/);
  });

  it('GOTOOLCHAIN=auto and a newer toolchain line: Delve is judged against that Go', async () => {
    const { row } = await check({
      tools: { dlv: tools['dlv-new'] },
      goMod: 'module m\n\ngo 1.21\n\ntoolchain go1.99.1\n',
      env: { GOTOOLCHAIN: 'auto' },
    });
    assert.match(row('workspace.go').summary, /go1\.99\.1/);
    assert.equal(row('compat.delveGo').status, 'fail');
  });

  it('GOOS set to another OS: the environment row fails', async () => {
    const { row } = await check({ tools: { dlv: tools['dlv-new'] }, env: { GOOS: 'windows' } });
    assert.equal(row('env.go').status, 'fail');
    assert.match(row('env.go').summary, /GOOS=windows/);
  });

  it('--profile golden-triangle: differences from the pinned set are warnings', async () => {
    const { row } = await check({ tools: { dlv: tools['dlv-old'], gopls: tools.gopls } }, ['--profile', 'golden-triangle']);
    const r = row('profile');
    assert.equal(r.status, 'warn');
    assert.match(
      r.summary,
      /Differs from the Golden triangle \(late 2023\) profile: go 1\.21\.5 \(you have 1\.\d+\.\d+\), gopls 0\.14\.2 \(you have 0\.23\.0\)/,
    );
    assert.doesNotMatch(r.summary, /dlv 1\.21\.2/, 'dlv matches the pin');
    assert.match(r.detail!, /v0\.13\.4, was never released/);
  });

  it('text and Markdown forms', async () => {
    const { ws, env } = machine({ tools: { dlv: tools['dlv-old'] } });
    const text = await cli(['check', '--workspace', ws], env);
    assert.match(text.stdout, /FAIL +Delve supports this Go/);
    assert.match(text.stdout, /\$ go install github\.com\/go-delve\/delve\/cmd\/dlv@v1\.27\.2/);
    assert.match(text.stdout, /\d+ passed, \d+ warnings, 1 failed/);
    const md = await cli(['check', '--markdown', '--workspace', ws], env);
    assert.match(md.stdout, /^# Go Debug Doctor report/);
    assert.match(md.stdout, /\| FAIL \| Delve supports this Go \|/);
    const quiet = await cli(['check', '--no-fail-exit', '--workspace', ws], env);
    assert.equal(quiet.code, 0);
  });
});

describe('go-debug-doctor compat', () => {
  const cases: Array<[string[], number, boolean]> = [
    [['--go', '1.21', '--dlv', '1.21.2'], 0, true],
    [['--go', 'go1.21.5', '--dlv', 'v1.21.2'], 0, true],
    [['--go', '1.22.3', '--dlv', '1.21.2'], 1, false],
    [['--go', '1.18', '--dlv', 'v1.21.2'], 1, false],
    [['--go', '1.26.2', '--dlv', '1.26.3', '--dlv-built-with', 'go1.24.13'], 1, false],
    [['--go', '1.26.2', '--dlv', '1.26.3', '--dlv-built-with', '1.25'], 0, true],
  ];
  for (const [args, code, compatible] of cases) {
    it(args.join(' '), async () => {
      const out = await cli(['compat', ...args, '--json']);
      assert.equal(out.code, code);
      const result = JSON.parse(out.stdout) as { compatible: boolean; reasons: string[]; sources: string[] };
      assert.equal(result.compatible, compatible);
      assert.ok(result.reasons.length > 0 && result.sources.length > 0);
    });
  }
  it('without --dlv-built-with, says the DWARF 5 rule was assumed', async () => {
    const out = await cli(['compat', '--go', '1.26', '--dlv', '1.27.2']);
    assert.equal(out.code, 0);
    assert.match(out.stdout, /assumed/);
  });
  it('an unknown Delve is not guessed', async () => {
    const out = await cli(['compat', '--go', '1.26', '--dlv', '9.9.9', '--json']);
    assert.equal(out.code, 1);
    assert.equal((JSON.parse(out.stdout) as { verdict: string }).verdict, 'unknown');
  });
  const usage: string[][] = [
    ['compat', '--go', '1.22'],
    ['compat', '--go', 'banana', '--dlv', '1.21.2'],
    ['compat', '--go', '1.22', '--dlv', '1.21'],
    ['frobnicate'],
    ['check', '--bogus'],
    ['check', '--timeout', 'soon'],
    ['check', '--json', '--markdown'],
    ['install-dlv', '--version', 'v1.27.2', '--profile', 'recommended'],
    ['install-dlv', '--timeout', '1'],
    ['launch', '--preset', 'slow'],
    ['launch', '--write', '--dry-run'],
    ['lint', '/nonexistent'],
    [],
  ];
  for (const args of usage) {
    it(`usage error: ${args.join(' ') || '(no arguments)'} → exit 2`, async () => {
      const out = await cli(args);
      assert.equal(out.code, 2);
      if (args.length) assert.match(out.stderr, /^go-debug-doctor: /);
    });
  }
  it('help for each command', async () => {
    for (const args of [
      ['--help'],
      ['help', 'check'],
      ['help', 'compat'],
      ['check', '--help'],
      ['compat', '-h'],
      ['help', 'install-dlv'],
      ['install-dlv', '--help'],
      ['help', 'launch'],
      ['lint', '--help'],
      ['selftest', '--help'],
      ['help', 'explain'],
    ]) {
      const out = await cli(args);
      assert.equal(out.code, 0, args.join(' '));
      assert.match(out.stdout, /go-debug-doctor/);
    }
  });
});

describe('go-debug-doctor install-dlv (real go install)', () => {
  const env = { ...process.env, GOTOOLCHAIN: 'auto' } as Record<string, string>;

  it('two installs at once into one folder: one builds, the other waits and finds it done', async () => {
    const ws = tempDir('gdd-ws-');
    writeFile(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.26\n');
    const dir = path.join(tempDir('gdd-install-'), 'bin');
    const args = ['install-dlv', '--workspace', ws, '--dir', dir, '--json'];
    const results = await Promise.all([cli(args, env), cli(args, env)]);
    for (const r of results) assert.equal(r.code, 0, r.stderr);
    const outcomes = results.map((r) => (JSON.parse(r.stdout) as { outcome: string }).outcome).sort();
    assert.deepEqual(outcomes, ['installed', 'unchanged']);
    const waited = results.find((r) => (JSON.parse(r.stdout) as { outcome: string }).outcome === 'unchanged')!;
    assert.match(waited.stderr, /waiting: Waiting for another install into .* \(process \d+\) to finish/);
    const json = JSON.parse(results[0]!.stdout) as { settings: Record<string, unknown>; plan: { version: string } };
    assert.deepEqual(json.settings, { 'go.alternateTools': { dlv: path.join(dir, 'dlv') } });
    assert.equal(json.plan.version, 'v1.27.2');
    const version = await runProcess([path.join(dir, 'dlv'), 'version']);
    assert.match(version.stdout, /Version: 1\.27\.2/);
    assert.deepEqual(readdirSync(dir), ['dlv']);
  });

  it('refuses a pin that cannot debug the workspace, exit 1, and installs nothing', async () => {
    const ws = tempDir('gdd-ws-');
    writeFile(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.26\n');
    const dir = path.join(tempDir('gdd-install-'), 'bin');
    const out = await cli(['install-dlv', '--workspace', ws, '--dir', dir, '--version', '1.21.2'], env);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /not installing: Delve v1\.21\.2 cannot debug programs built with go1\.26/);
    assert.match(out.stderr, /instead: Delve v1\.27\.2/);
    assert.equal(existsSync(dir), false);
  });
});

describe('go-debug-doctor launch and lint (real go list)', () => {
  const env = { ...process.env, GOFLAGS: '' } as Record<string, string>;

  it('dry run shows the diff and writes nothing; --write writes; a second --write changes nothing; lint is clean', async () => {
    const ws = path.join(tempDir('gdd-cli-launch-'), 'svc');
    writeFile(path.join(ws, 'go.mod'), 'module example.com/svc\n\ngo 1.21\n');
    writeFile(path.join(ws, 'main.go'), 'package main\n\nfunc main() {}\n');
    const dry = await cli(['launch', '--workspace', ws, '--dlv', testTools()['dlv-new']], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\(dry run\) \.vscode\/launch\.json: add 3\n--- \/dev\/null\n\+\+\+ \.vscode\/launch\.json/);
    assert.equal(existsSync(path.join(ws, '.vscode')), false);
    const write = await cli(['launch', '--workspace', ws, '--write', '--dlv', testTools()['dlv-new']], env);
    assert.equal(write.code, 0, write.stderr);
    const again = await cli(['launch', '--workspace', ws, '--write', '--json', '--dlv', testTools()['dlv-new']], env);
    const json = JSON.parse(again.stdout) as { files: { changed: boolean }[]; written: string[]; dlvVersion: string };
    assert.deepEqual(
      json.files.map((f) => f.changed),
      [false, false],
    );
    assert.deepEqual(json.written, []);
    assert.equal(json.dlvVersion, '1.27.2');
    const lint = await cli(['lint', ws, '--dlv-version', '1.27.2'], env);
    assert.equal(lint.code, 0, lint.stdout);
    assert.match(lint.stdout, /clean/);
  });

  it('lint exits 1 with file:line:column findings; a malformed launch.json stops launch with the line', async () => {
    const ws = tempDir('gdd-cli-lint-');
    writeFile(path.join(ws, 'go.mod'), 'module example.com/x\n\ngo 1.21\n');
    writeFile(
      path.join(ws, '.vscode/launch.json'),
      '{ "configurations": [\n  { "name": "a", "type": "go", "request": "attach", "mode": "remote", "host": "10.0.0.5", "port": 1, "preLaunchTask": "Start it" }\n] }\n',
    );
    const lint = await cli(['lint', ws, '--dlv-version', '1.27.2'], env);
    assert.equal(lint.code, 1);
    assert.match(lint.stdout, /launch\.json:2:\d+: warning \[non-loopback\]/);
    assert.match(lint.stdout, /\[remote-no-server\] "a": preLaunchTask "Start it" is not a task in tasks\.json/);
    writeFile(path.join(ws, '.vscode/launch.json'), '{ "configurations": [ { "name": "a" "type": "go" } ] }');
    const launch = await cli(['launch', '--workspace', ws, '--write'], env);
    assert.equal(launch.code, 1);
    assert.match(launch.stderr, /not changing anything: line 1, column \d+: comma expected/);
  });
});

describe('go-debug-doctor selftest and explain', () => {
  it('selftest passes with the dlv and gopls on PATH, prints each step, the values and the gopls handshake; --json has the same result', async () => {
    const { ws, env } = machine({ tools: { dlv: testTools()['dlv-new'], gopls: testTools().gopls } });
    const text = await cli(['selftest', '--workspace', ws], env);
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.match(text.stdout, /✓ stopped .* breakpoint/);
    assert.match(text.stdout, /PASS \(\d+\.\d s\): you can debug here\.\n {2}order\.ID = 7/);
    assert.match(text.stdout, /gopls handshake: PASS: gopls v0\.23\.0 answered in \d+ ms/);
    const json = await cli(['selftest', '--workspace', ws, '--json', '--no-gopls'], env);
    const result = JSON.parse(json.stdout) as { outcome: string; values: Record<string, string>; steps: { id: string }[]; gopls?: unknown };
    assert.equal(result.outcome, 'pass');
    assert.equal(result.gopls, undefined);
    assert.equal(result.values['order.Items["apple"]'], '3');
    assert.equal(result.steps.length, 16);
  });

  it("selftest with dlv too old for the workspace Go: exit 1, the failing step, Delve's words, cause and fix", async () => {
    const { ws, env } = machine({ tools: { dlv: testTools()['dlv-old'] } });
    const { code, stdout } = await cli(['selftest', '--workspace', ws], env);
    assert.equal(code, 1);
    assert.match(stdout, /FAIL at launch/);
    assert.match(stdout, /Version of Delve is too old for Go version go1\.\d+/);
    assert.match(stdout, /run: {3}go-debug-doctor install-dlv --recommended/);
  });

  it('selftest without dlv says what to do; explain maps pasted text and exits 1 on text it does not know', async () => {
    const { ws, env } = machine();
    const missing = await cli(['selftest', '--workspace', ws], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /dlv was not found \(install one: go-debug-doctor install-dlv --recommended\)/);
    const known = await cli(
      [
        'explain',
        'could not launch process: can not run under Rosetta, check that the installed build of Go is right for your CPU architecture',
      ],
      env,
    );
    assert.equal(known.code, 0);
    assert.match(known.stdout, /cause: .*Rosetta/);
    const unknown = await cli(['explain', 'all is well'], env);
    assert.equal(unknown.code, 1);
  });
});
