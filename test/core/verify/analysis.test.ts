import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LiveHost } from '../../../src/core/probes/host';
import {
  buildTags,
  ConfigError,
  hasTrimpath,
  parseEnvFile,
  pickConfiguration,
  resolveConfiguration,
  splitArgs,
  splitLikeDelve,
} from '../../../src/core/verify/config';
import { buildLine, fileNameConstraint, requiredTags } from '../../../src/core/verify/constraints';
import { firstStatement } from '../../../src/core/verify/defaults';
import { analysePaths, applySubstitute, isUserSource, MAX_SOURCE_FILES, sourceFiles } from '../../../src/core/verify/pathMapping';
import { unmappedServerRoot } from '../../../src/core/verify/remote';
import { tempDir, writeFile } from '../../helpers';

describe('verify: resolving a configuration as the Go extension does', () => {
  const ws = tempDir('gdd-verify-resolve-');
  writeFile(path.join(ws, 'cmd', 'api', 'main.go'), 'package main\n\nfunc main() {}\n');
  writeFile(path.join(ws, 'cmd', 'api', 'x_test.go'), 'package main\n');
  writeFile(path.join(ws, '.env'), '# comment\nexport A=1\nB="two ${A}"\nC=\'3\'\n');
  const host = new LiveHost({ ...process.env, HOME: '/home/u' });

  it('mode auto, variables, relative cwd, envFile under env, toolsEnvVars under both, -gcflags dropped', async () => {
    const c = await resolveConfiguration(
      {
        name: 'x',
        type: 'go',
        request: 'launch',
        program: '${workspaceFolder}/cmd/api',
        cwd: 'cmd',
        envFile: '${workspaceFolder}/.env',
        env: { B: 'mine', GOFLAGS: '-gcflags=all=-N -trimpath' },
        args: '--port 80 "a b"',
        buildFlags: '-tags=x -gcflags=-m',
      },
      {
        host,
        folder: ws,
        settings: {
          toolsEnvVars: { A: 'tools', Z: 'z' },
          delveConfig: { substitutePath: [{ from: '/x', to: '/y' }], dlvFlags: ['--check-go-version=false'] },
        },
      },
    );
    assert.equal(c.mode, 'debug');
    assert.equal(c.program, path.join(ws, 'cmd', 'api'));
    assert.equal(c.buildDir, path.join(ws, 'cmd', 'api'));
    assert.equal(c.cwd, path.join(ws, 'cmd'));
    assert.deepEqual(c.args, ['--port', '80', 'a b']);
    assert.deepEqual({ A: c.env.A, B: c.env.B, C: c.env.C, Z: c.env.Z }, { A: '1', B: 'mine', C: '3', Z: 'z' });
    assert.equal(c.env.GOFLAGS, '-trimpath');
    assert.equal(c.buildFlags, '-tags=x');
    assert.deepEqual(c.substitutePath, [{ from: '/x', to: '/y' }]);
    assert.deepEqual(c.dlvFlags, ['--check-go-version=false']);
    assert.equal(hasTrimpath(c, c.env.GOFLAGS), 'GOFLAGS');
    assert.deepEqual(buildTags(c, ''), ['x']);
  });

  it('mode auto on a _test.go file is test, on its folder; ${fileDirname} comes from the open file', async () => {
    const test = await resolveConfiguration(
      { name: 't', type: 'go', request: 'launch', program: '${fileDirname}' },
      { host, folder: ws, activeFile: path.join(ws, 'cmd', 'api', 'x_test.go') },
    );
    assert.equal(test.mode, 'test');
    assert.equal(test.program, path.join(ws, 'cmd', 'api'));
    await assert.rejects(
      resolveConfiguration({ name: 't', type: 'go', request: 'launch', program: '${fileDirname}' }, { host, folder: ws }),
      (e: Error) => e instanceof ConfigError && /--break FILE:LINE/.test(e.message),
    );
    await assert.rejects(
      resolveConfiguration({ name: 'r', type: 'go', request: 'attach', mode: 'remote' }, { host, folder: ws }),
      /needs a port/,
    );
    await assert.rejects(
      resolveConfiguration({ name: 'c', type: 'go', request: 'launch', program: '${command:pickFile}' }, { host, folder: ws }),
      /only the editor can resolve/,
    );
  });

  it('picks by name, or the first runnable Go configuration', () => {
    const configs = [
      { name: 'node', type: 'node', request: 'launch' },
      { name: 'pid', type: 'go', request: 'attach', mode: 'local' },
      { name: 'go', type: 'go', request: 'launch', program: '.' },
    ];
    assert.equal(pickConfiguration(configs).name, 'go');
    assert.throws(() => pickConfiguration(configs, 'pid'), /Verify cannot run it/);
    assert.throws(() => pickConfiguration(configs, 'nope'), /no configuration named "nope"/);
  });

  it('env files and args split like the Go extension and a shell would', () => {
    assert.deepEqual(
      parseEnvFile('X=1\nY=${X}2\n\\bad\n', () => undefined),
      { X: '1', Y: '12' },
    );
    // Names are the user's: none of them reaches Object.prototype.
    const odd = parseEnvFile('__proto__=a\nconstructor=b\nZ=${constructor}-${toString}\n', () => undefined);
    assert.deepEqual(Object.entries(odd), [
      ['__proto__', 'a'],
      ['constructor', 'b'],
      ['Z', 'b-'],
    ]);
    // As golang.go v0.58.0 splits them (its parseArgsString; the e2e differential compares the two):
    // only spaces separate, a backslash escapes only a quote, tabs and other backslashes are kept.
    assert.deepEqual(splitArgs(`a 'b c' "d \\"e\\"" f\\ g`), ['a', 'b c', 'd "e"', 'f\\', 'g']);
    assert.deepEqual(splitArgs(`  x\ty  '' \\'q a\\b 'it\\'s' `), ['x\ty', '', "'q", 'a\\b', "it's"]);
    assert.throws(() => splitArgs('"open'), /args has unmatched double quotes \("\)\. starting index: 0/);
    assert.throws(() => splitArgs("a 'open"), /args has unmatched single quotes \('\)\. starting index: 2/);
    // buildFlags are split by Delve (pkg/config/split.go): white space, single quotes only.
    assert.deepEqual(splitLikeDelve(`-tags=a\t-ldflags='-X main.v=1 -s' "-gcflags=x y" 'it\\'s' ''`), [
      '-tags=a',
      '-ldflags=-X main.v=1 -s',
      '"-gcflags=x',
      'y"',
      "it's",
      '',
    ]);
  });
});

describe('verify: analysis', () => {
  it('finds the first statement of main and of a test', () => {
    assert.deepEqual(firstStatement('package main\n\nfunc main() {\n\t// hi\n\n\tx := 1\n}\n', /^func (main)\(\)\s*\{/), {
      line: 6,
      name: 'main',
    });
    assert.deepEqual(
      firstStatement('func TestA(t *testing.T) {\n\t/* a\n\tb */\n\tt.Log()\n}\n', /^func (Test\w*)\(\w+ \*testing\.T\)\s*\{/),
      { line: 4, name: 'TestA' },
    );
  });

  it('reads build constraints: //go:build tags, file name suffixes', () => {
    assert.equal(buildLine('// Copyright\n\n//go:build integration && !race\n\npackage x\n'), 'integration && !race');
    assert.equal(buildLine('package x\n//go:build never\n'), undefined);
    assert.deepEqual(requiredTags('integration && !race', 'linux', 'amd64', []), ['integration']);
    assert.deepEqual(requiredTags('linux && (e2e || smoke)', 'linux', 'amd64', []), ['e2e']);
    assert.deepEqual(requiredTags('go1.21 && cgo', 'linux', 'amd64', []), []);
    assert.deepEqual(fileNameConstraint('net_windows_arm64.go', false), { goos: 'windows', goarch: 'arm64' });
    assert.deepEqual(fileNameConstraint('x_darwin_test.go', true), { goos: 'darwin' });
    assert.deepEqual(fileNameConstraint('linux.go', false), {});
  });

  it('computes substitutePath for -trimpath, symbolic links and another build root', async () => {
    const trim = await analysePaths({
      files: ['/ws/a/main.go'],
      realFiles: ['/ws/a/main.go'],
      sources: ['example.com/a/main.go', '/usr/go/src/runtime/proc.go'],
      existing: [],
      modules: [{ path: 'example.com/a', dir: '/ws/a' }],
      goroot: '/usr/go',
    });
    assert.equal(trim.kind, 'trimpath');
    assert.deepEqual(trim.missing, [{ from: '/ws/a', to: 'example.com/a' }]);
    const link = await analysePaths({
      files: ['/l/ws/main.go'],
      realFiles: ['/r/ws/main.go'],
      sources: ['/r/ws/main.go'],
      existing: [],
      modules: [],
      realpath: async (p) => (p === '/l' ? '/r' : p.replace(/^\/l\//, '/r/')),
    });
    assert.equal(link.kind, 'symlink');
    assert.deepEqual(link.missing, [{ from: '/l', to: '/r' }]);
    const root = await analysePaths({
      files: ['/home/u/ws/cmd/api/main.go'],
      realFiles: ['/home/u/ws/cmd/api/main.go'],
      sources: ['/app/cmd/api/main.go', '/app/internal/db.go'],
      existing: [],
      modules: [],
      exists: (f) => f.startsWith('/home/u/ws/cmd'),
    });
    assert.equal(root.kind, 'build-root');
    assert.deepEqual(root.missing, [{ from: '/home/u/ws', to: '/app' }]);
    assert.deepEqual(root.unmatched, ['/app/internal/db.go'], 'a file the workspace lacks is shown');
    // A same-named file of another package is not a build root.
    const other = await analysePaths({
      files: ['/ws/tools/main.go'],
      realFiles: ['/ws/tools/main.go'],
      sources: ['/ws/main.go'],
      existing: [],
      modules: [],
      sameContent: async () => false,
    });
    assert.equal(other.kind, undefined);
    assert.equal(applySubstitute('/home/u/ws/x.go', root.missing, 'toDebuggee'), '/app/x.go');
    assert.equal(applySubstitute('/app/x.go', root.missing, 'toLocal'), '/home/u/ws/x.go');
  });

  it("the lint rule's view of a server: its own files, outside the workspace, unless substitutePath maps them", () => {
    const sources = [
      '/usr/local/go/src/runtime/proc.go',
      '/usr/local/go/src/net/http/server.go',
      '/app/main.go',
      '/app/db/db.go',
      '/root/go/pkg/mod/x@v1/x.go',
    ];
    assert.equal(unmappedServerRoot(sources, '/ws', []), '/app');
    assert.equal(unmappedServerRoot(sources, '/ws', [{ from: '/ws', to: '/app' }]), undefined);
  });

  it("what a server lists is input: a mapping's local side never goes above the workspace, and names no build records are no root", async () => {
    const base = { files: ['/home/u/ws/main.go'], realFiles: ['/home/u/ws/main.go'], existing: [], modules: [], folder: '/home/u/ws' };
    const sharing = await analysePaths({ ...base, sources: ['/srv/build/ws/main.go'] });
    assert.deepEqual(sharing.missing, [{ from: '/home/u/ws', to: '/srv/build/ws' }], 'narrowed to the workspace, same effect');
    const dotted = await analysePaths({ ...base, sources: ['/srv/../../home/u/ws/main.go'] });
    assert.deepEqual(dotted.missing, []);
    for (const name of ['/a/../b.go', '/a/./b.go', '/a//b.go', '../b.go', '/a/b\r.go', '/a/\u001b[2J.go', 'x/..'])
      assert.equal(isUserSource(name), false, name);
    assert.equal(isUserSource('/a/.hidden/b..go'), true);
  });

  it('a list of a hundred thousand same-named files costs a few reads, not one each', async () => {
    let reads = 0;
    const sources = Array.from({ length: 100_000 }, (_, i) => `/s/${i}/main.go`);
    const r = await analysePaths({
      files: ['/ws/main.go'],
      realFiles: ['/ws/main.go'],
      sources,
      existing: [],
      modules: [],
      sameContent: async () => (reads++, undefined),
    });
    assert.ok(reads <= 64, `${reads} reads`);
    assert.deepEqual(r.missing, [], 'a hundred thousand equal tails: no root');
  });

  it('a sources answer past MAX_SOURCE_FILES names is refused before it is split', () => {
    assert.deepEqual(sourceFiles(' /a/x.go \n\n/b/y.go\n'), ['/a/x.go', '/b/y.go']);
    assert.throws(() => sourceFiles('/x.go\n'.repeat(MAX_SOURCE_FILES)), /more than 200000 source files/);
  });
});
