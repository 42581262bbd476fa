// Lint and merge at 1k/5k/10k configurations (issue 14: linear, <= 1 s for 5,000), through the
// real CLI so that reading, parsing, the diff and printing are all counted. Node's start-up is
// measured with a 1-configuration file and reported beside it. Standalone: node scripts/bench-lint-merge.mjs
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function launchJson(n) {
  const configurations = Array.from({ length: n }, (_, i) => ({
    name: `Launch ${i}`,
    type: 'go',
    request: i % 3 ? 'launch' : 'attach',
    mode: i % 3 ? 'debug' : 'remote',
    program: `\${workspaceFolder}/cmd/tool${i}`,
    ...(i % 3 ? { stopOnEntri: true } : { host: '127.0.0.1', port: 40000 + (i % 20000), preLaunchTask: `dlv ${i}` }),
  }));
  return `// ${n} configurations\n${JSON.stringify({ version: '0.2.0', configurations }, null, 4)}\n`;
}

export async function benchLintMerge({ sizes = [1, 1000, 5000, 10000], runs = Number(process.env.BENCH_RUNS ?? 5) } = {}) {
  const root = join(tmpdir(), `gdd-bench-lint-${process.pid}`);
  const ws = join(root, 'ws');
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  writeFileSync(join(ws, 'go.mod'), 'module example.com/bench\n\ngo 1.22\n');
  writeFileSync(join(ws, 'main.go'), 'package main\n\nfunc main() {}\n');
  const rows = [];
  try {
    for (const n of sizes) {
      writeFileSync(join(ws, '.vscode', 'launch.json'), launchJson(n));
      const time = async (args) => {
        const ms = [];
        for (let i = 0; i < runs; i++) {
          const t = performance.now();
          await run(process.execPath, ['dist/cli.js', ...args], { maxBuffer: 256 << 20 }).catch((err) => {
            if (typeof err.code !== 'number') throw err; // exit 1 = findings / clashes: fine
          });
          ms.push(performance.now() - t);
        }
        return Math.round(median(ms));
      };
      rows.push({
        configurations: n,
        lintMs: await time(['lint', join(ws, '.vscode', 'launch.json'), '--dlv-version', '1.27.2', '--json']),
        // A dry run: go list, generate, merge into the n existing configurations, diff.
        mergeMs: await time(['launch', '--workspace', ws, '--json']),
      });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const base = rows.find((r) => r.configurations === 1);
  const at5k = rows.find((r) => r.configurations === 5000);
  const result = {
    rows,
    target: 'lint and merge of 5,000 configurations <= 1 s beyond the 1-configuration run (start-up, go list)',
    met: !base || !at5k || (at5k.lintMs - base.lintMs <= 1000 && at5k.mergeMs - base.mergeMs <= 1000),
  };
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchLintMerge();
  console.log(JSON.stringify(result, null, 2));
  if (!result.met) process.exitCode = 1;
}
