import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, cpSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runProcess } from '../../../src/core/probes/runProcess';
import { goTestEnv, tempDir, testTools, writeFile } from '../../helpers';

// Real projects from the module proxy, as a user would clone them (issue 21): `launch --write` then
// `verify` on the configurations it wrote, in the layouts real repositories have. filippo.io/age
// v1.3.2 has a cmd/ layout (8 commands), an external test package (age_test) and dependencies to
// vendor, replace or put beside it in a go.work.

const CLI = path.resolve('dist/cli.js');
const AGE = 'filippo.io/age@v1.3.2';
const EDWARDS = 'filippo.io/edwards25519@v1.2.0';
const TOOLS = 'golang.org/x/tools@v0.52.0';
const PKCS11 = 'github.com/miekg/pkcs11@v1.1.1';
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

const go = async (args: string[], cwd: string, extra: Record<string, string> = {}) => {
  const p = await runProcess(['go', ...args], { cwd, env: { ...env, ...extra }, timeoutMs: 600_000 });
  assert.equal(p.exitCode, 0, `go ${args.join(' ')}: ${p.stdout}${p.stderr}`);
};
const cli = (args: string[], extra: Record<string, string> = {}) =>
  runProcess([process.execPath, CLI, ...args], { env: { ...env, ...extra }, timeoutMs: 600_000 });

async function download(module: string): Promise<{ Dir?: string }> {
  const p = await runProcess(['go', 'mod', 'download', '-json', module], { env, timeoutMs: 300_000 });
  return JSON.parse(p.stdout) as { Dir?: string };
}

/** `launch --write`, then the names of the configurations in launch.json. */
/** Wall times of each `launch --write` and `verify`, printed when the file ends (for the closing notes). */
const timings: string[] = [];
after(() => console.log(`real projects, wall time per command (warm caches):\n${timings.map((t) => `  ${t}`).join('\n')}`));

async function timed(label: string, args: string[], extra: Record<string, string> = {}) {
  const t0 = performance.now();
  const p = await cli(args, extra);
  timings.push(`${label}: ${Math.round(performance.now() - t0)} ms (exit ${p.exitCode})`);
  return p;
}

async function generate(workspace: string): Promise<string[]> {
  const p = await timed(`launch --write ${path.basename(workspace)}`, ['launch', '--workspace', workspace, '--write']);
  assert.equal(p.exitCode, 0, p.stdout + p.stderr);
  const launch = JSON.parse(readFileSync(path.join(workspace, '.vscode', 'launch.json'), 'utf8')) as { configurations: { name: string }[] };
  return launch.configurations.map((c) => c.name);
}

interface Verified {
  exitCode: number | null;
  breakpoints: { file: string; line: number; verified: boolean; hit: boolean; reason?: string; message?: string }[];
  diagnoses: { id: string; cause: string; fix: string }[];
  output: string;
}

async function verify(workspace: string, config: string, ...extra: string[]): Promise<Verified> {
  const p = await timed(`verify ${path.basename(workspace)} "${config}" ${extra.join(' ')}`.trim(), [
    'verify',
    '--workspace',
    workspace,
    '--config',
    config,
    '--dlv',
    dlv,
    '--json',
    ...extra,
  ]);
  let parsed: Pick<Verified, 'breakpoints' | 'diagnoses'> = { breakpoints: [], diagnoses: [] };
  try {
    // With --fix: the run after the fix (the one before is under "before").
    parsed = JSON.parse(p.stdout) as Pick<Verified, 'breakpoints' | 'diagnoses'>;
  } catch {
    // the output says why
  }
  return { exitCode: p.exitCode, breakpoints: parsed.breakpoints, diagnoses: parsed.diagnoses, output: p.stdout + p.stderr };
}

/** The 1-based line of the first line of `file` that starts with `prefix` (after white space). */
const lineOf = (file: string, prefix: string, after = 0) => {
  const lines = readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l, n) => n >= after && l.trimStart().startsWith(prefix));
  assert.ok(i >= 0, `${prefix} in ${file}`);
  return i + 1;
};

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

  it('generated code with //line directives (goyacc of golang.org/x/tools v0.52.0 on its expr example): breakpoints belong in expr.y, and verify says so', async () => {
    const ws = path.join(tempDir('gdd-real-'), 'expr');
    const tools = (await download(TOOLS)).Dir!;
    for (const f of ['expr.y', 'main.go']) cpSync(path.join(tools, 'cmd/goyacc/testdata/expr', f), path.join(ws, f));
    for (const f of ['expr.y', 'main.go']) chmodSync(path.join(ws, f), 0o644);
    writeFile(path.join(ws, 'go.mod'), 'module example.com/expr\n\ngo 1.22\n');
    const bin = tempDir('gdd-real-goyacc-');
    await go(['install', `golang.org/x/tools/cmd/goyacc@${TOOLS.split('@')[1]}`], ws, { GOBIN: bin });
    // As its README says: go generate (main.go runs goyacc -o expr.go -p "expr" expr.y), then build.
    await go(['generate'], ws, { PATH: `${bin}:${env.PATH ?? ''}` });
    assert.match(readFileSync(path.join(ws, 'expr.go'), 'utf8'), /^\/\/line expr\.y:\d+$/m);
    const names = await generate(ws);
    assert.ok(names.includes('Launch expr'), names.join(', '));

    // The default breakpoint is main's first statement, which the binary knows as expr.y, by the
    // relative name the directive gave: not reachable from the editor's full name until substitutePath says so.
    const first = await verify(ws, 'Launch expr');
    assert.equal(first.exitCode, 1, first.output);
    assert.equal(first.breakpoints[0]?.file, path.join(ws, 'expr.y'), first.output);
    assert.equal(first.breakpoints[0]?.reason, 'line-directive', first.output);
    // The same words in the editor's live help (through explain, which reads the same table).
    const words = first.breakpoints[0]?.message ?? '';
    assert.match(words, /^could not find file .*expr\.y$/);
    const explained = await cli(['explain', '--json', words]);
    assert.match(explained.stdout, /"id": "breakpoint-line-directive-file"/, explained.stdout);
    const fixed = await verify(ws, 'Launch expr', '--fix');
    assert.equal(fixed.exitCode, 0, fixed.output);
    assert.equal(fixed.breakpoints[0]?.hit, true, fixed.output);
    const launch = readFileSync(path.join(ws, '.vscode', 'launch.json'), 'utf8');
    assert.match(launch, /"from": "\$\{workspaceFolder\}\/expr\.y",\s*"to": "expr\.y"/);

    // A breakpoint in expr.go under a directive: the place in expr.y is named (same statement there).
    const inGo = lineOf(path.join(ws, 'expr.go'), 'in := bufio.NewReader(os.Stdin)');
    const inY = lineOf(path.join(ws, 'expr.y'), 'in := bufio.NewReader(os.Stdin)');
    const moved = await verify(ws, 'Launch expr', '--break', `expr.go:${inGo}`);
    assert.equal(moved.exitCode, 1, moved.output);
    assert.equal(moved.breakpoints[0]?.reason, 'line-directive', moved.output);
    const d = moved.diagnoses.find((x) => x.id === 'line-directive');
    assert.ok(d?.fix.includes(`expr.y:${inY}`) && !d.fix.includes('substitutePath'), moved.output);
    // ...and there it binds and stops.
    const there = await verify(ws, 'Launch expr', '--break', `expr.y:${inY}`);
    assert.equal(there.exitCode, 0, there.output);
    // A line that comes from goyacc's template (yaccpar) has no file here to break in.
    const template = lineOf(path.join(ws, 'expr.go'), '//line yaccpar:1') + 5;
    const none = await verify(ws, 'Launch expr', '--break', `expr.go:${template}`);
    assert.match(none.diagnoses.find((x) => x.id === 'line-directive')?.fix ?? '', /yaccpar is not a file here/, none.output);
  });

  it('a cgo package (github.com/miekg/pkcs11 v1.1.1): binds in its cgo file; with cgo off, verify names cgo, not the code', async () => {
    const ws = path.join(tempDir('gdd-real-'), 'hsm');
    writeFile(path.join(ws, 'go.mod'), `module example.com/hsm\n\ngo 1.22\n\nrequire ${PKCS11.replace('@', ' ')}\n`);
    writeFile(
      path.join(ws, 'main.go'),
      'package main\n\nimport (\n\t"fmt"\n\n\t"github.com/miekg/pkcs11"\n)\n\nfunc main() {\n\tp := pkcs11.New("/nonexistent/libsofthsm2.so")\n\tfmt.Println("module loaded:", p != nil)\n}\n',
    );
    await go(['mod', 'tidy'], ws);
    await generate(ws);
    const lib = path.join((await download(PKCS11)).Dir!, 'pkcs11.go');
    const inNew = lineOf(lib, 'func New(module string) *Ctx {') + 1;
    const r = await verify(ws, 'Launch hsm', '--break', `${lib}:${inNew}`);
    assert.equal(r.exitCode, 0, r.output);
    assert.deepEqual(r.breakpoints[0], { file: lib, line: inNew, verified: true, hit: true });

    // cgo off in the configuration's env: the fix is shown, not applied (it is the user's own value).
    const launchFile = path.join(ws, '.vscode', 'launch.json');
    const original = readFileSync(launchFile, 'utf8');
    writeFile(
      launchFile,
      original.replace('"program": "${workspaceFolder}",', '"program": "${workspaceFolder}",\n"env": { "CGO_ENABLED": "0" },'),
    );
    const own = await verify(ws, 'Launch hsm');
    assert.equal(own.exitCode, 1, own.output);
    const cgo = own.diagnoses.find((x) => x.id === 'cgo-disabled');
    assert.match(cgo?.cause ?? '', /Package pkcs11 needs cgo .*the configuration's env sets it/, own.output);
    assert.ok(!own.diagnoses.some((x) => x.id === 'build-undefined'), own.output);

    // cgo off from the environment: --fix adds "CGO_ENABLED": "1" to the configuration, and it passes.
    writeFile(launchFile, original);
    const fromEnv = await cli(['verify', '--workspace', ws, '--config', 'Launch hsm', '--dlv', dlv, '--fix'], { CGO_ENABLED: '0' });
    assert.equal(fromEnv.exitCode, 0, fromEnv.stdout + fromEnv.stderr);
    assert.match(readFileSync(launchFile, 'utf8'), /"CGO_ENABLED": "1"/);

    // No C compiler on the PATH: the go command turns cgo off by itself (as on a Mac without the
    // Command Line Tools), and verify says to install one.
    writeFile(launchFile, original);
    const goOnly = tempDir('gdd-real-nocc-');
    symlinkSync((await runProcess(['go', 'env', 'GOROOT'], { env })).stdout.trim() + '/bin/go', path.join(goOnly, 'go'));
    const noCc = await cli(['verify', '--workspace', ws, '--config', 'Launch hsm', '--dlv', dlv, '--json'], { PATH: goOnly });
    assert.equal(noCc.exitCode, 1, noCc.stdout + noCc.stderr);
    assert.match(noCc.stdout, /finds no C compiler, and \\"gcc\\" is not on the PATH/);
  });
});
