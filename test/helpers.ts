import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import { runProcess } from '../src/core/probes/runProcess';

export interface TestTools {
  'dlv-new': string;
  'dlv-old': string;
  'dlv-dwarf4': string;
  gopls: string;
}

/** The real tools `npm test` installed through the Go module proxy (scripts/test.mjs). */
export function testTools(): TestTools {
  const file = process.env.GDD_TEST_TOOLS;
  if (!file) throw new Error('GDD_TEST_TOOLS is not set: run the tests with `npm test`, which installs the real tools first');
  return JSON.parse(readFileSync(file, 'utf8')) as TestTools;
}

/** A temporary folder removed when the test file ends. */
export function tempDir(prefix = 'gdd-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  // A tool's background helper (gopls and go start telemetry children that outlive them) may still
  // be writing into a temporary HOME: keep retrying for a few seconds.
  after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 12, retryDelay: 250 }));
  return dir;
}

/**
 * A throw-away HOME with Go telemetry off: otherwise go, gopls and dlv start a telemetry child that
 * keeps writing into it after the test and races the folder's removal.
 */
export function quietHome(home: string): string {
  writeFile(path.join(home, '.config', 'go', 'telemetry', 'mode'), 'off 2026-01-01\n');
  return home;
}

/**
 * The environment the CLI and self-test tests run real go and dlv in: a quiet throw-away HOME, no
 * GOFLAGS, the local toolchain only, and the machine's build cache (so builds stay warm).
 */
export function goTestEnv(homePrefix: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: quietHome(tempDir(homePrefix)),
    GOFLAGS: '',
    GOTOOLCHAIN: 'local',
    GOCACHE: process.env.GOCACHE ?? path.join(process.env.HOME ?? '/root', '.cache/go-build'),
    ...extra,
  };
}

export function writeFile(file: string, text: string, executable = false): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  if (executable) chmodSync(file, 0o755);
  return file;
}

export const SAMPLE_PROGRAM = `package main

import "fmt"

func main() {
\tanswer := 42
\tfmt.Println("answer", answer)
}
`;

/**
 * Builds a real Go program. With `toolchain` (e.g. go1.21.13) the go command fetches that
 * toolchain through the module proxy, so the binary carries that Go's DWARF producer.
 */
export async function buildProgram(dir: string, options: { toolchain?: string; goLine?: string } = {}): Promise<string> {
  writeFile(path.join(dir, 'main.go'), SAMPLE_PROGRAM);
  writeFile(path.join(dir, 'go.mod'), `module example.com/sample\n\ngo ${options.goLine ?? '1.21'}\n`);
  const out = path.join(dir, 'sample');
  const probe = await runProcess(['go', 'build', '-gcflags=all=-N -l', '-o', out, '.'], {
    cwd: dir,
    timeoutMs: 300_000,
    envOverrides: undefined,
    env: { ...process.env, GOTOOLCHAIN: options.toolchain ?? 'local', GOFLAGS: '' },
  });
  if (probe.outcome !== 'ok') throw new Error(`go build failed: ${probe.error ?? ''}${probe.stderr}`);
  return out;
}

/** sha256 of every file below `dir` by relative path (links by their target, special files by their type), `skip` and what is below it left out. */
export function hashTree(dir: string, skip: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const full = path.join(d, entry);
      const rel = path.relative(dir, full);
      if (skip.some((s) => rel === s || rel.startsWith(`${s}/`))) continue;
      const st = lstatSync(full);
      if (st.isSymbolicLink()) out.set(rel, `link:${readlinkSync(full)}`);
      else if (st.isDirectory()) walk(full);
      else if (st.isFile()) out.set(rel, `${st.mode}:${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
      else out.set(rel, `special:${st.mode}`);
    }
  };
  walk(dir);
  return out;
}

let preload: string | undefined;
/**
 * A `node --require` file that makes the process itself write its peak RSS (kB) and the time it
 * exited to the file $GDD_RSS_FILE names: measured from inside, not sampled from outside.
 */
export function rssPreload(): string {
  // Not tempDir(): called inside a test, its after() would remove the file when that one test ends.
  if (!preload) {
    const dir = mkdtempSync(path.join(tmpdir(), 'gdd-rss-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    preload = writeFile(
      path.join(dir, 'rss.cjs'),
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.GDD_RSS_FILE, `${process.resourceUsage().maxRSS} ${Date.now()}`));\n",
    );
  }
  return preload;
}

/** What the rssPreload wrote: peak RSS in kB, and the exit time (ms since the epoch). */
export function readRss(file: string): { kb: number; exitedAt: number } {
  const [kb, exitedAt] = readFileSync(file, 'utf8').split(' ').map(Number) as [number, number];
  return { kb, exitedAt };
}

/** Processes whose command line mentions `needle` (a case's folder or a unique sleep). */
export function processesWith(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmd.includes(needle) && Number(pid) !== process.pid) found.push(`${pid}: ${cmd}`);
    } catch {
      // gone
    }
  }
  return found;
}

/** The watchdog processes (src/core/probes/watchdog.ts) that guard groups for the process `parent`. */
export function watchdogsOf(parent: number): string[] {
  // Its command line is Node's -e script (which reads its orders from stdin), then our pid.
  return processesWith('process.stdin.on').filter((p) => p.trimEnd().endsWith(` ${parent}`));
}

/** The processes that mention `needle` once they have had `ms` to end (none, when all is well). */
export async function settled(needle: string, ms = 3000): Promise<string[]> {
  const until = Date.now() + ms;
  let left = processesWith(needle);
  while (left.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    left = processesWith(needle);
  }
  return left;
}

export { parseJsonStream } from '../src/core/facts/parsers';
