import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { DoctorReport } from '../../src/core/checks/doctor';
import { runProcess } from '../../src/core/probes/runProcess';
import { tempDir, testTools, writeFile } from '../helpers';

const GO_BIN = (process.env.PATH ?? '').split(':').find((dir) => existsSync(path.join(dir, 'go')))!;

/**
 * The CLI as npm users get it: `npm pack` of this repository (the dist/ that `npm test` built),
 * installed globally into an empty prefix without a registry (the package has no dependencies),
 * then run from that prefix against the real tools.
 */
describe('the npm package (npm pack, npm install -g into a clean prefix)', () => {
  const root = tempDir('gdd-npm-');
  const prefix = path.join(root, 'prefix');
  // npm's own cache and config in the throw-away folder: the user's ~/.npm is never touched.
  const npmEnv = {
    ...process.env,
    npm_config_cache: path.join(root, 'cache'),
    npm_config_userconfig: path.join(root, 'npmrc'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const npm = async (args: string[], cwd: string) => {
    const probe = await runProcess(['npm', ...args], { cwd, env: npmEnv, timeoutMs: 180_000 });
    assert.equal(probe.outcome, 'ok', `npm ${args.join(' ')}: ${probe.error ?? ''}\n${probe.stdout}${probe.stderr}`);
    return probe.stdout;
  };
  let installed: Promise<string> | undefined;
  /** Packs once and installs once for every test below; resolves to the installed executable. */
  const install = () =>
    (installed ??= (async () => {
      const [packed] = JSON.parse(await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', root], process.cwd())) as {
        filename: string;
        files: { path: string }[];
      }[];
      const files = packed!.files.map((f) => f.path).sort();
      assert.ok(files.includes('dist/cli.js') && files.includes('package.json') && files.includes('README.md'), files.join('\n'));
      assert.deepEqual(
        files.filter(
          (f) =>
            !/^(dist\/cli\.js|dist\/cli-chunks\/[\w-]+\.js|dist\/extension\.js|package\.json|README\.md|LICENSE|CHANGELOG\.md)$/.test(f),
        ),
        [],
        'only the CLI bundle and the package metadata are published',
      );
      await npm(['install', '--global', '--offline', '--ignore-scripts', '--prefix', prefix, path.join(root, packed!.filename)], root);
      return path.join(prefix, 'bin', 'go-debug-doctor');
    })());
  const run = async (args: string[], env: Record<string, string> = {}) => {
    const probe = await runProcess([await install(), ...args], {
      cwd: root,
      env: { PATH: [GO_BIN, '/usr/bin', '/bin'].join(':'), HOME: path.join(root, 'home'), ...env },
      timeoutMs: 120_000,
    });
    return { code: probe.exitCode, stdout: probe.stdout, stderr: probe.stderr };
  };

  it('installs with no dependencies: one package, nothing under its node_modules', async () => {
    await install();
    const pkgDir = path.join(prefix, 'lib', 'node_modules', 'go-debug-doctor');
    const manifest = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
      dependencies?: object;
      bin: Record<string, string>;
      engines: { node: string };
    };
    assert.equal(manifest.dependencies, undefined);
    assert.equal(manifest.bin['go-debug-doctor'], 'dist/cli.js');
    assert.match(manifest.engines.node, />=\s*20/);
    assert.equal(existsSync(path.join(pkgDir, 'node_modules')), false);
    assert.deepEqual(readdirSync(path.join(prefix, 'lib', 'node_modules')), ['go-debug-doctor']);
  });

  it('go-debug-doctor --version and help run from the installed package', async () => {
    const version = await run(['--version']);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
    const help = await run(['help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^go-debug-doctor \d+\.\d+\.\d+: checks the Go debugging chain/);
    // A command that lives in its own chunk: the installed package carries its chunks.
    const lintHelp = await run(['help', 'lint']);
    assert.equal(lintHelp.code, 0, lintHelp.stderr);
    assert.match(lintHelp.stdout, /^go-debug-doctor lint/);
  });

  it('go-debug-doctor check --json against the real go, dlv and gopls', async () => {
    const tools = testTools();
    const bin = path.join(root, 'tools');
    mkdirSync(bin);
    symlinkSync(tools['dlv-new'], path.join(bin, 'dlv'));
    symlinkSync(tools.gopls, path.join(bin, 'gopls'));
    const ws = path.join(root, 'ws');
    writeFile(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.21\n');
    writeFile(path.join(root, 'home', '.config', 'go', 'telemetry', 'mode'), 'off');
    const { code, stdout, stderr } = await run(['check', '--json', '--workspace', ws], {
      PATH: [bin, GO_BIN, '/usr/bin', '/bin'].join(':'),
      GOPATH: path.join(root, 'gopath'),
      GOCACHE: process.env.GOCACHE ?? path.join(process.env.HOME ?? root, '.cache', 'go-build'),
      GOTOOLCHAIN: 'local',
    });
    assert.equal(stderr, '');
    const report = JSON.parse(stdout) as DoctorReport;
    const status = (id: string) => report.checks.find((c) => c.id === id)?.status;
    assert.equal(status('tools.go'), 'pass');
    assert.equal(status('tools.dlv'), 'pass');
    assert.equal(status('compat.delveGo'), 'pass');
    assert.equal(status('tools.gopls'), 'pass');
    assert.equal(code, 0);
  });
});
