import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { runProcess } from '../../../src/core/probes/runProcess';
import { goTestEnv, tempDir, testTools, writeFile } from '../../helpers';

// Real projects from the module proxy, as a user would clone them (issue 21): `launch --write` then
// `verify` on the configurations it wrote, in the layouts real repositories have. filippo.io/age
// v1.3.2 has a cmd/ layout (8 commands), an external test package (age_test) and dependencies to
// vendor, replace or put beside it in a go.work.

const CLI = path.resolve('dist/cli.js');
const AGE = 'filippo.io/age@v1.3.2';
const EDWARDS = 'filippo.io/edwards25519@v1.2.0';
const env = goTestEnv('gdd-real-home-', {
  GOMODCACHE: process.env.GOMODCACHE ?? path.join(process.env.HOME ?? '/root', 'go/pkg/mod'),
  NO_COLOR: '1',
});
const dlv = path.join(tempDir('gdd-real-dlv-'), 'dlv');
copyFileSync(testTools()['dlv-new'], dlv);

const sources = new Map<string, string>();

/** A module's files from the module cache (downloaded through the proxy), writable, at `folder`. */
async function copyModule(module: string, folder: string): Promise<void> {
  let dir = sources.get(module);
  if (!dir) {
    const p = await runProcess(['go', 'mod', 'download', '-json', module], { env, timeoutMs: 300_000 });
    dir = (JSON.parse(p.stdout) as { Dir?: string }).Dir;
    assert.ok(dir, `go mod download ${module}: ${p.stdout}${p.stderr}`);
    sources.set(module, dir);
  }
  cpSync(dir, folder, { recursive: true });
  const writable = (d: string) => {
    chmodSync(d, 0o755);
    for (const e of readdirSync(d, { withFileTypes: true }))
      if (e.isDirectory()) writable(path.join(d, e.name));
      else chmodSync(path.join(d, e.name), 0o644);
  };
  writable(folder);
}

const go = async (args: string[], cwd: string) => {
  const p = await runProcess(['go', ...args], { cwd, env, timeoutMs: 600_000 });
  assert.equal(p.exitCode, 0, `go ${args.join(' ')}: ${p.stdout}${p.stderr}`);
};
const cli = (args: string[]) => runProcess([process.execPath, CLI, ...args], { env, timeoutMs: 600_000 });

/** `launch --write`, then the names of the configurations in launch.json. */
async function generate(workspace: string): Promise<string[]> {
  const p = await cli(['launch', '--workspace', workspace, '--write']);
  assert.equal(p.exitCode, 0, p.stdout + p.stderr);
  const launch = JSON.parse(readFileSync(path.join(workspace, '.vscode', 'launch.json'), 'utf8')) as { configurations: { name: string }[] };
  return launch.configurations.map((c) => c.name);
}

interface Verified {
  exitCode: number | null;
  breakpoints: { file: string; line: number; verified: boolean; hit: boolean }[];
  output: string;
}

async function verify(workspace: string, config: string, ...extra: string[]): Promise<Verified> {
  const p = await cli(['verify', '--workspace', workspace, '--config', config, '--dlv', dlv, '--json', ...extra]);
  let breakpoints: Verified['breakpoints'] = [];
  try {
    breakpoints = (JSON.parse(p.stdout) as { breakpoints: Verified['breakpoints'] }).breakpoints;
  } catch {
    // the output says why
  }
  return { exitCode: p.exitCode, breakpoints, output: p.stdout + p.stderr };
}

const firstStatementOfMain = (file: string) => {
  const lines = readFileSync(file, 'utf8').split('\n');
  let i = lines.findIndex((l) => l.startsWith('func main() {')) + 1;
  while (/^\s*(\/\/.*)?$/.test(lines[i]!)) i++;
  return i + 1;
};

describe('real projects from the module proxy: launch, then verify (issue 21)', { timeout: 1_800_000 }, () => {
  before(async () => {
    // Fetch once (and build the dependencies once), so each layout measures our work.
    const warm = tempDir('gdd-real-warm-');
    await copyModule(AGE, warm);
    await go(['build', '-gcflags=all=-N -l', './cmd/age', './cmd/age-keygen'], warm);
  });

  it('cmd/ layout: a Launch per command and a Test per package; Launch cmd/age-keygen binds and stops in main', async () => {
    const ws = path.join(tempDir('gdd-real-'), 'age');
    await copyModule(AGE, ws);
    const names = await generate(ws);
    for (const n of ['Launch cmd/age', 'Launch cmd/age-keygen', 'Test age', 'Test cmd/age', 'Attach to local process'])
      assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const line = firstStatementOfMain(path.join(ws, 'cmd', 'age-keygen', 'keygen.go'));
    const r = await verify(ws, 'Launch cmd/age-keygen', '--break', `cmd/age-keygen/keygen.go:${line}`);
    assert.equal(r.exitCode, 0, r.output);
    assert.deepEqual(r.breakpoints[0], { file: path.join(ws, 'cmd/age-keygen/keygen.go'), line, verified: true, hit: true });
  });

  it('an external test package (package age_test): Test age stops in its first test', async () => {
    const ws = path.join(tempDir('gdd-real-'), 'age');
    await copyModule(AGE, ws);
    await generate(ws);
    const r = await verify(ws, 'Test age');
    assert.equal(r.exitCode, 0, r.output);
    assert.ok(r.breakpoints[0]?.hit && r.breakpoints[0].file.endsWith('_test.go'), r.output);
  });

  it('vendor/ (go mod vendor): the build uses the vendored dependencies, and a breakpoint in one of them binds', async () => {
    const ws = path.join(tempDir('gdd-real-'), 'age');
    await copyModule(AGE, ws);
    await go(['mod', 'vendor'], ws);
    await generate(ws);
    const main = firstStatementOfMain(path.join(ws, 'cmd', 'age-keygen', 'keygen.go'));
    const r = await verify(ws, 'Launch cmd/age-keygen', '--break', `cmd/age-keygen/keygen.go:${main}`);
    assert.equal(r.exitCode, 0, r.output);
    assert.equal(r.breakpoints[0]?.hit, true, r.output);
  });

  it('replace to a local folder: the replaced module builds from there', async () => {
    const ws = path.join(tempDir('gdd-real-'), 'age');
    await copyModule(AGE, ws);
    await copyModule(EDWARDS, path.join(ws, 'third_party', 'edwards25519'));
    await go(['mod', 'edit', '-replace', 'filippo.io/edwards25519=./third_party/edwards25519'], ws);
    const names = await generate(ws);
    const line = firstStatementOfMain(path.join(ws, 'cmd', 'age-keygen', 'keygen.go'));
    const r = await verify(ws, 'Launch cmd/age-keygen', '--break', `cmd/age-keygen/keygen.go:${line}`);
    assert.equal(r.exitCode, 0, r.output);
    assert.equal(r.breakpoints[0]?.hit, true, r.output);
    // The local copy is a module of its own inside the folder: its tests get a configuration, which
    // builds in that module (golang.go's __buildDir) and works.
    assert.ok(names.includes('Test third_party/edwards25519'), names.join(', '));
    const t = await verify(ws, 'Test third_party/edwards25519');
    assert.equal(t.exitCode, 0, t.output);
  });

  it('a go.work monorepo: age and a module of ours that uses it; the Launch of ours stops in age code', async () => {
    const root = tempDir('gdd-real-work-');
    await copyModule(AGE, path.join(root, 'age'));
    writeFile(path.join(root, 'tool', 'go.mod'), 'module example.com/tool\n\ngo 1.25.0\n\nrequire filippo.io/age v1.3.2\n');
    writeFile(
      path.join(root, 'tool', 'main.go'),
      'package main\n\nimport (\n\t"fmt"\n\n\t"filippo.io/age"\n)\n\nfunc main() {\n\tid, err := age.GenerateX25519Identity()\n\tfmt.Println(id.Recipient(), err)\n}\n',
    );
    await go(['work', 'init', './age', './tool'], root);
    const names = await generate(root);
    assert.ok(names.includes('Launch tool'), names.join(', '));
    // The breakpoint is in the other module of the workspace: the first statement of GenerateX25519Identity.
    const lines = readFileSync(path.join(root, 'age', 'x25519.go'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.startsWith('func GenerateX25519Identity(')) + 2;
    const r = await verify(root, 'Launch tool', '--break', `age/x25519.go:${line}`);
    assert.equal(r.exitCode, 0, r.output);
    assert.deepEqual(r.breakpoints[0], { file: path.join(root, 'age', 'x25519.go'), line, verified: true, hit: true });
  });
});
