// `npm run bench`: the doctor's wall time against its slowest single probe (target: within 1.5x)
// and against running the same probes one after another. Real tools, real processes.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { installTools } from './tools.mjs';

const run = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log('installing dlv and gopls (pinned) for the benchmark…');
const { tools, cleanup } = await installTools(['dlv-new', 'gopls']);
process.on('exit', cleanup);
const ws = join(tmpdir(), `gdd-bench-ws-${process.pid}`);
mkdirSync(ws, { recursive: true });
process.on('exit', () => rmSync(ws, { recursive: true, force: true }));
writeFileSync(join(ws, 'go.mod'), 'module example.com/bench\n\ngo 1.22\n');
const env = { ...process.env, PATH: [dirname(tools['dlv-new']), dirname(tools.gopls), process.env.PATH].join(':') };

const wall = [];
const slowest = [];
const sums = [];
const sequential = [];
let probes = [];
for (let i = 0; i < RUNS; i++) {
  const { stdout } = await run(process.execPath, ['dist/cli.js', 'check', '--json', '--no-fail-exit', '--workspace', ws], { env, maxBuffer: 16 << 20 });
  const report = JSON.parse(stdout);
  probes = report.probes;
  wall.push(report.durationMs);
  slowest.push(Math.max(...probes.map((p) => p.durationMs)));
  sums.push(probes.reduce((a, p) => a + p.durationMs, 0));
  // The same commands, one after another, timed the same way.
  let total = 0;
  for (const p of probes) {
    const t = performance.now();
    await run(p.argv[0], p.argv.slice(1), { env: { ...env, GOTOOLCHAIN: 'local' }, cwd: ws, maxBuffer: 16 << 20 }).catch(() => {});
    total += performance.now() - t;
  }
  sequential.push(Math.round(total));
}
const w = median(wall);
const s = median(slowest);
const q = median(sequential);
const ratio = w / s;
const result = {
  runs: RUNS,
  probes: probes.map((p) => p.argv.map((a) => a.split('/').pop()).join(' ')),
  doctorWallMs: w,
  slowestProbeMs: s,
  sumOfProbeDurationsMs: median(sums),
  sameProbesSequentialMs: q,
  wallOverSlowest: Number(ratio.toFixed(2)),
  target: 'doctor wall time <= 1.5 x slowest probe',
  met: ratio <= 1.5,
};
// The extension bundle's load time: a fresh Node requires dist/extension.js, with 'vscode' answered
// by an empty object (at load time the bundle only binds the module; activation is measured inside
// a real VS Code by the end-to-end suite).
const loads = [];
for (let i = 0; i < 10; i++) {
  const { stdout } = await run(process.execPath, ['-e', `
    const Module = require('module');
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
    require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: {} };
    const t = performance.now();
    require(${JSON.stringify(join(process.cwd(), 'dist/extension.js'))});
    console.log(performance.now() - t);
  `]);
  loads.push(Number(stdout));
}
result.extensionBundleLoadMs = Number(median(loads).toFixed(1));
result.extensionBundleKB = Math.round(statSync('dist/extension.js').size / 1024);
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/doctor.json', JSON.stringify(result, null, 2) + '\n');
if (!result.met) process.exitCode = 1;

// ---- h5 (issue 14): lint and merge at 1k/5k/10k configurations; see scripts/bench-lint-merge.mjs ----
const { benchLintMerge } = await import('./bench-lint-merge.mjs');
const lintMerge = await benchLintMerge();
console.log(JSON.stringify({ lintMerge }, null, 2));
writeFileSync('bench-results/lint-merge.json', JSON.stringify(lintMerge, null, 2) + '\n');
if (!lintMerge.met) process.exitCode = 1;
// ---- end h5 ----
