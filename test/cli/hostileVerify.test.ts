import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runProcess } from '../../src/core/probes/runProcess';
import { goTestEnv, readRss, rssPreload, tempDir, testTools, writeFile } from '../helpers';

// A launch.json and --break arguments as input to verify (issue 22): special files, huge files,
// variables that expand to nothing or a lot, lines out of range, the same breakpoint thousands of
// times, names with spaces, newlines and non-ASCII. Each case through the real CLI with a real dlv:
// exit code, wall time, max RSS, one line when it refuses, and nothing outside the workspace changed.

const CLI = path.resolve('dist/cli.js');
const env = goTestEnv('gdd-hv-home-', { NO_COLOR: '1' });
const dlv = path.join(tempDir('gdd-hv-dlv-'), 'dlv');
copyFileSync(testTools()['dlv-new'], dlv);
const root = tempDir('gdd-hv-');
const canary = writeFile(path.join(root, 'outside', 'canary.txt'), 'user data outside the workspace\n');
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const canarySha = sha(canary);

const MAIN = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n\nfunc unused() {\n\tfmt.Println("never called")\n}\n';

let n = 0;
function workspace(config: Record<string, unknown>, files: Record<string, string> = {}): string {
  const ws = path.join(root, `ws${++n}`);
  writeFile(path.join(ws, 'go.mod'), 'module example.com/hv\n\ngo 1.22\n');
  writeFile(path.join(ws, 'main.go'), MAIN);
  for (const [name, text] of Object.entries(files)) writeFile(path.join(ws, name), text);
  const launch = {
    version: '0.2.0',
    configurations: [{ name: 'L', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}', ...config }],
  };
  writeFile(path.join(ws, '.vscode', 'launch.json'), JSON.stringify(launch, null, 2));
  return ws;
}

interface Run {
  code: number | null;
  ms: number;
  rssMb: number;
  stdout: string;
  stderr: string;
}

async function verify(ws: string, args: string[] = []): Promise<Run> {
  const rssFile = path.join(ws, '..', `rss-${path.basename(ws)}`);
  const launchSha = sha(path.join(ws, '.vscode', 'launch.json'));
  const t0 = performance.now();
  const p = await runProcess([process.execPath, '--require', rssPreload(), CLI, 'verify', '--workspace', ws, '--dlv', dlv, ...args], {
    env: { ...env, GDD_RSS_FILE: rssFile },
    timeoutMs: 150_000,
  });
  const ms = performance.now() - t0;
  assert.equal(sha(canary), canarySha, 'a file outside the workspace changed');
  assert.equal(sha(path.join(ws, '.vscode', 'launch.json')), launchSha, 'launch.json changed without --fix');
  const rssMb = readRss(rssFile).kb / 1024;
  return { code: p.exitCode, ms, rssMb, stdout: p.stdout, stderr: p.stderr };
}

/** A refusal: exit 2, one line (plus the usage hint), no stack trace. */
function refused(r: Run, message: RegExp) {
  assert.equal(r.code, 2, r.stdout + r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.match(lines[0]!, message);
  assert.ok(lines.length <= 2 && !/\n\s+at /.test(r.stderr), r.stderr);
}

const results: string[] = [];
const note = (name: string, r: Run) => results.push(`${name}: exit ${r.code}, ${Math.round(r.ms)} ms, ${r.rssMb.toFixed(0)} MB`);

describe('verify with hostile configurations and arguments: one verdict or one line, in time, bounded memory', { timeout: 600_000 }, () => {
  it('envFile that is a FIFO or /dev/zero: refused at once, never read (no hang)', async () => {
    const fifo = path.join(root, 'env.fifo');
    assert.equal((await runProcess(['mkfifo', fifo])).outcome, 'ok');
    for (const file of [fifo, '/dev/zero']) {
      const r = await verify(workspace({ envFile: file }));
      note(`envFile ${file}`, r);
      refused(r, new RegExp(`^go-debug-doctor: "L": cannot read envFile ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      assert.ok(r.ms < 10_000, `${r.ms} ms`);
    }
  });

  it('an envFile of 20 MB in one line without "=": read within bounds, the session runs', async () => {
    const big = path.join(root, 'big.env');
    writeFileSync(big, 'A'.repeat(20 << 20));
    const r = await verify(workspace({ envFile: big }));
    note('envFile 20 MB', r);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(r.rssMb < 300, `${r.rssMb} MB`);
  });

  it('${env:…} that names nothing, and values built from many variables: substituted once, never re-expanded', async () => {
    const r = await verify(
      workspace({
        env: { A: '${env:HOME}'.repeat(2000), B: '${env:GDD_NOT_SET}', C: '$(touch /tmp/gdd-hv-pwned)' },
        args: ['${env:GDD_NOT_SET}', '`id`'],
      }),
    );
    note('${env:…} blow-up', r);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal((await runProcess(['test', '-e', '/tmp/gdd-hv-pwned'])).exitCode, 1, 'a value ran as a shell command');
  });

  it('cwd that is a FIFO: the launch fails in one line, nothing left running', async () => {
    const fifo = path.join(root, 'cwd.fifo');
    assert.equal((await runProcess(['mkfifo', fifo])).outcome, 'ok');
    const r = await verify(workspace({ cwd: fifo }));
    note('cwd FIFO', r);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /launch failed: .*not a directory/);
    assert.ok(r.ms < 30_000, `${r.ms} ms`);
  });

  it('--break with line 0, a negative line, a line beyond int32, a newline in the name: usage errors in one line', async () => {
    const ws = workspace({});
    for (const [arg, label] of [
      ['main.go:0', 'line 0'],
      ['main.go:-3', 'negative line'],
      ['main.go:99999999999999999999', 'line beyond int32'],
      ['ma\nin.go:6', 'newline in the name'],
    ] as const) {
      const r = await verify(ws, ['--break', arg]);
      note(`--break ${label}`, r);
      refused(r, /^go-debug-doctor: --break takes FILE:LINE \(LINE from 1 to 2147483647\), got "/);
    }
  });

  it('the same --break 5,000 times is one breakpoint; 500 distinct lines each get their own verdict', async () => {
    const ws = workspace({});
    const same = await verify(ws, Array.from({ length: 5000 }, () => ['--break', 'main.go:6']).flat());
    note('--break ×5000 (same)', same);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    const distinct = await verify(ws, ['--json', ...Array.from({ length: 500 }, (_, i) => ['--break', `main.go:${i + 1}`]).flat()]);
    note('--break ×500 (distinct)', distinct);
    // Stops at the bound lines come and go; the end of the program is noticed at once, not at the 120 s budget.
    assert.ok(distinct.ms < 30_000, `${distinct.ms} ms`);
    const json = JSON.parse(distinct.stdout) as { breakpoints: { line: number; reason?: string }[] };
    assert.equal(json.breakpoints.length, 500);
    // Past the end of the file: said so, not "no statement".
    assert.ok(json.breakpoints.filter((b) => b.line > 11).every((b) => b.reason === 'no-statement'));
    assert.ok(distinct.rssMb < 300, `${distinct.rssMb} MB`);
  });

  it('names with spaces and non-ASCII; a line in a function never called; a line past the end: each explained', async () => {
    const ws = workspace({}, { 'sp ace é.go': 'package main\n\nfunc helper() int {\n\treturn 42\n}\n' });
    const r = await verify(ws, [
      '--break',
      'main.go:6',
      '--break',
      'sp ace é.go:4',
      '--break',
      'main.go:10',
      '--break',
      'main.go:400',
      '--json',
    ]);
    note('spaces, non-ASCII, dead code, past the end', r);
    const json = JSON.parse(r.stdout) as { breakpoints: { file: string; line: number; hit: boolean; cause?: string }[] };
    assert.equal(json.breakpoints[0]?.hit, true, r.stdout);
    assert.equal(json.breakpoints[1]?.file, path.join(ws, 'sp ace é.go'));
    assert.match(json.breakpoints[1]?.cause ?? '', /^Line 4 has code, but .*never called/);
    assert.match(json.breakpoints[2]?.cause ?? '', /^Line 10 has code/);
    assert.equal(json.breakpoints[3]?.cause, 'main.go has 11 lines: line 400 is past its end.');
  });

  it('program outside the workspace (a folder without go.mod): a build failure explained, nothing written there', async () => {
    const outside = path.dirname(canary);
    const r = await verify(workspace({ program: outside }));
    note('program outside the workspace', r);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /outside any Go module/);
  });

  it('prints the measurements', () => {
    console.log(`hostile verify inputs:\n${results.map((l) => `  ${l}`).join('\n')}`);
  });
});
