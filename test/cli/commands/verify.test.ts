import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runProcess } from '../../../src/core/probes/runProcess';
import { goTestEnv, tempDir, testTools, writeFile } from '../../helpers';

const CLI = path.resolve('dist/cli.js');
const env = goTestEnv('gdd-cli-verify-home-', { NO_COLOR: '1' });
const dlv = path.join(tempDir('gdd-cli-verify-dlv-'), 'dlv');
copyFileSync(testTools()['dlv-new'], dlv);

function workspace(configs: object[]): string {
  const ws = tempDir('gdd-cli-verify-');
  writeFile(path.join(ws, 'go.mod'), 'module example.com/cli\n\ngo 1.21\n');
  writeFile(path.join(ws, 'main.go'), 'package main\n\nimport "fmt"\n\nfunc main() {\n\tx := 1\n\tfmt.Println(x)\n}\n');
  writeFile(
    path.join(ws, '.vscode', 'launch.json'),
    `{\n  // mine\n  "version": "0.2.0",\n  "configurations": ${JSON.stringify(configs, null, 2)}\n}\n`,
  );
  return ws;
}

const run = (args: string[]) => runProcess([process.execPath, CLI, 'verify', '--dlv', dlv, ...args], { env, timeoutMs: 300_000 });

describe('go-debug-doctor verify', { timeout: 600_000 }, () => {
  it('exit 0 and the documented JSON for a configuration that works', async () => {
    const ws = workspace([{ name: 'Launch', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}' }]);
    const p = await run(['--workspace', ws, '--break', 'main.go:6', '--json']);
    assert.equal(p.exitCode, 0, p.stdout + p.stderr);
    const json = JSON.parse(p.stdout) as Record<string, unknown>;
    for (const key of ['config', 'request', 'mode', 'steps', 'breakpoints', 'pathMapping', 'fixes', 'fixed']) assert.ok(key in json, key);
    assert.deepEqual((json.breakpoints as object[])[0], { file: path.join(ws, 'main.go'), line: 6, verified: true, hit: true });
  });

  it('no breakpoint to check (main has no statement, no --break): exit 1 and says so, not a bare FAIL', async () => {
    const ws = workspace([{ name: 'Empty', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}' }]);
    writeFile(path.join(ws, 'main.go'), 'package main\n\nfunc main() {}\n');
    const p = await run(['--workspace', ws]);
    assert.equal(p.exitCode, 1, p.stdout + p.stderr);
    assert.match(p.stdout, /cause: There was no breakpoint to check: main \(or the first test\) has no statement/);
    assert.match(p.stdout, /--break FILE:LINE/);
  });

  it('a configuration that makes other programs run (-toolexec, env CC): named, exit 2, nothing built; --allow-programs runs it', async () => {
    const ws = workspace([
      {
        name: 'Toolexec',
        type: 'go',
        request: 'launch',
        mode: 'debug',
        program: '${workspaceFolder}',
        buildFlags: '-toolexec=/usr/bin/env',
      },
    ]);
    const refused = await run(['--workspace', ws]);
    assert.equal(refused.exitCode, 2, refused.stdout + refused.stderr);
    assert.equal(
      refused.stderr.trim().split('\n')[0],
      `go-debug-doctor: "Toolexec" makes other programs run: buildFlags -toolexec /usr/bin/env runs that program for every compile and link step. Verify runs it only when you allow that (--allow-programs; in VS Code, answer Run).`,
    );
    const allowed = await run(['--workspace', ws, '--allow-programs', '--break', 'main.go:6']);
    assert.equal(allowed.exitCode, 0, allowed.stdout + allowed.stderr);
  });

  it('exit 1 with the cause and the diff, then exit 0 with --fix; comments kept', async () => {
    const ws = workspace([
      { name: 'Trim', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}', buildFlags: '-trimpath' },
    ]);
    const failed = await run(['--workspace', ws]);
    assert.equal(failed.exitCode, 1);
    assert.match(failed.stdout, /-trimpath/);
    assert.match(failed.stdout, /\+\s+"substitutePath"/);
    const fixed = await run(['--workspace', ws, '--fix', '--json']);
    assert.equal(fixed.exitCode, 0, fixed.stdout + fixed.stderr);
    const json = JSON.parse(fixed.stdout) as { fixed: boolean; before: { outcome: string } };
    assert.equal(json.fixed, true);
    assert.equal(json.before.outcome, 'fail');
    assert.match(readFileSync(path.join(ws, '.vscode', 'launch.json'), 'utf8'), /\/\/ mine/);
  });

  it('exit 2 with one line for usage errors: a bad --break, an unknown name, a host beyond loopback', async () => {
    const ws = workspace([{ name: 'Far', type: 'go', request: 'attach', mode: 'remote', host: '192.0.2.1', port: 2345 }]);
    for (const args of [['--break', 'main.go'], ['--config', 'Nope'], []]) {
      const p = await run(['--workspace', ws, ...args]);
      assert.equal(p.exitCode, 2, `${args.join(' ')}: ${p.stderr}`);
      assert.equal(p.stderr.trim().split('\n').length, 2, p.stderr);
      assert.doesNotMatch(p.stderr, /\n\s+at /);
    }
  });
});
