import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { goModCacheDir } from '../../src/core/knowledge/fromModuleCache';
import { LiveHost } from '../../src/core/probes/host';
import { runProcess } from '../../src/core/probes/runProcess';
import { deflatedZeros, writeZipFile, type Member } from '../core/binary/zipFixtures';
import {
  COMPAT,
  DELVE,
  delveGoMod,
  delveMembers,
  delvePaths,
  mkfifo,
  movedCompat,
  renamedRealZip,
  writeDelveFolder,
} from '../core/knowledge/cacheFixtures';
import { goTestEnv, readRss, rssPreload, tempDir, writeFile } from '../helpers';

// Hostile module caches through the real CLI. `compat --dlv 1.99.0` (a Delve newer than our data)
// and `check` with a dlv that says it is 1.99.0 read Delve's compat.go and go.mod from GOMODCACHE;
// `knowledge:refresh --cache-only` reads every Delve version there. Each case builds its cache in a
// temporary folder beside an "outside" folder holding a valid Delve module that would change the
// verdict if it were read, and measures the exit code, the wall time and the peak memory (maxRSS
// of the CLI process, written by a --require preload at exit), and that no file changed.

const CLI = path.resolve('dist/cli.js');
const GO_BIN = (process.env.PATH ?? '').split(':').find((dir) => dir.startsWith('/') && existsSync(path.join(dir, 'go')))!;
const MiB = 1 << 20;

interface Run {
  code: number | null;
  ms: number;
  rssMiB: number;
  stdout: string;
  stderr: string;
}

let gomodcache: string;
let compat: string;
const rssDir = tempDir('gdd-maxrss-');
const canaries = new Map<string, string>();
/** Peak RSS of `compat` on a valid cache: what the hostile ones are measured against. */
let baselineRss = 0;
const table: string[] = [];
/** The reader's own limits (8 MiB of central directory, 4 MiB of member and its compressed form) with room to spare. */
const MEMORY_MARGIN_MIB = 32;

function assertMemory(run: Run, baseline = baselineRss): void {
  assert.ok(run.rssMiB < baseline + MEMORY_MARGIN_MIB, `peak RSS ${run.rssMiB.toFixed(0)} MiB, baseline ${baseline.toFixed(0)} MiB`);
}

function record(command: string, name: string, run: Run, outcome: string): void {
  table.push(
    `  ${command.padEnd(7)} ${name.padEnd(72)} exit ${run.code}  ${String(run.ms).padStart(5)} ms  ${run.rssMiB.toFixed(0).padStart(4)} MiB  ${outcome}`,
  );
}

before(async () => {
  gomodcache = (await goModCacheDir(new LiveHost(), 30_000))!;
  compat = movedCompat(gomodcache, 26, 29);
  // Files outside every case's folder that a reader gone astray could touch.
  for (const file of [
    path.join(gomodcache, 'cache/download', DELVE, '@v/v1.27.2.zip'),
    path.join(gomodcache, `${DELVE}@v1.27.2`, COMPAT),
    ...['delve.json', 'gopls.json', 'go.json', 'dlvFlags.json'].map((f) => path.resolve('src/core/knowledge', f)),
  ]) {
    canaries.set(file, sha256(readFileSync(file)));
  }
  const { root, cache } = layout();
  writeDelveFolder(delvePaths(cache, '1.99.0').folder, compat);
  const valid = await cli(root, cache, [CLI, 'compat', '--go', '1.28.2', '--dlv', '1.99.0', '--json']);
  assert.equal(JSON.parse(valid.stdout).verdict, 'compatible', valid.stdout + valid.stderr);
  baselineRss = valid.rssMiB;
  table.push(
    `  compat  ${'(baseline) a valid module folder'.padEnd(72)} exit ${valid.code}  ${String(valid.ms).padStart(5)} ms  ${valid.rssMiB.toFixed(0).padStart(4)} MiB`,
  );
});

after(() => {
  for (const [file, hash] of canaries) assert.equal(sha256(readFileSync(file)), hash, `${file} unchanged`);
  console.log(`hostile module caches through the CLI (exit, wall time, peak RSS, outcome):\n${table.join('\n')}`);
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const full = path.join(d, entry);
      const st = lstatSync(full);
      if (st.isSymbolicLink()) out.set(full, `link:${readlinkSync(full)}`);
      else if (st.isDirectory()) walk(full);
      else if (st.isFile()) out.set(full, `${st.size}:${st.mtimeMs}:${st.size < 16 * MiB ? sha256(readFileSync(full)) : ''}`);
      else out.set(full, `special:${st.mode}`);
    }
  };
  walk(dir);
  return out;
}

async function cli(root: string, cache: string, argv: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  const rssFile = path.join(rssDir, randomUUID());
  const env = goTestEnv('gdd-harch-home-', { GOMODCACHE: cache, GDD_RSS_FILE: rssFile, ...extraEnv });
  const started = performance.now();
  const probe = await runProcess([process.execPath, '--require', rssPreload(), ...argv], { env, cwd: root, timeoutMs: 20_000 });
  const ms = Math.round(performance.now() - started);
  assert.notEqual(probe.outcome, 'timeout', 'in time');
  assert.ok(existsSync(rssFile), `no maxRSS written: ${probe.outcome} ${probe.error ?? ''} ${probe.stderr}`);
  const rssMiB = readRss(rssFile).kb / 1024;
  return { code: probe.exitCode, ms, rssMiB, stdout: probe.stdout, stderr: probe.stderr };
}

/** One folder per case: `cache` (GOMODCACHE) and `outside`, which holds a valid Delve 1.99.0 every way it can be laid out. */
function layout(): { root: string; cache: string; outside: string } {
  const root = tempDir('gdd-hostile-archives-');
  const cache = path.join(root, 'cache');
  const outside = path.join(root, 'outside');
  mkdirSync(cache);
  writeDelveFolder(path.join(outside, 'delve'), compat);
  writeZipFile(path.join(outside, 'v1.99.0.zip'), delveMembers('1.99.0', compat));
  writeDelveFolder(path.join(outside, 'github.com/go-delve/delve@v1.99.0'), compat);
  writeFile(path.join(outside, 'secret'), 'canary\n');
  return { root, cache, outside };
}

/** The zip the go command would have left for Delve 1.99.0, made of `members`. */
function zipCase(members: (version: string) => Member[], options: Parameters<typeof writeZipFile>[2] = {}) {
  return (cache: string) => {
    const p = delvePaths(cache, '1.99.0');
    mkdirSync(p.download, { recursive: true });
    writeZipFile(p.zip, members('1.99.0'), options);
  };
}

const member = (name: string, rest: Omit<Member, 'name'>): Member => ({ name: `${DELVE}@v1.99.0/${name}`, ...rest });
const goModMember = () => member('go.mod', { data: delveGoMod() });

interface Case {
  name: string;
  build(cache: string, outside: string): void | Promise<void>;
  /** The verdict when the cache is used (compatible) or refused (unknown). */
  verdict: 'compatible' | 'unknown';
  /** The module is there but cannot be used: the verdict says why, not "not in your module cache". */
  unusable?: boolean;
  go?: string;
}

const CASES: Case[] = [
  {
    name: 'valid: an extracted module folder',
    verdict: 'compatible',
    build: (cache) => writeDelveFolder(delvePaths(cache, '1.99.0').folder, compat),
  },
  {
    name: 'valid: the go command’s own zip (Delve v1.27.2 renamed to v1.99.0), zip only',
    verdict: 'compatible',
    go: '1.26.3',
    build: (cache) => {
      const p = delvePaths(cache, '1.99.0');
      mkdirSync(p.download, { recursive: true });
      writeFileSync(p.zip, renamedRealZip(gomodcache, '1.99.0'));
    },
  },
  {
    name: 'valid: a 65,535-byte end comment',
    verdict: 'compatible',
    build: zipCase((v) => delveMembers(v, compat), { comment: Buffer.alloc(0xffff, 0x41) }),
  },
  {
    name: 'valid: compat.go with bytes that are not UTF-8 around its constants',
    verdict: 'compatible',
    build: zipCase((v) => delveMembers(v, Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x0a]), Buffer.from(compat)]))),
  },
  {
    name: 'zip bomb: compat.go declares 1 GiB',
    unusable: true,
    verdict: 'unknown',
    build: zipCase(() => [goModMember(), member(COMPAT, { data: '', raw: deflatedZeros(1024), size: 1 << 30 })]),
  },
  {
    name: 'zip bomb: declares 4 MiB, inflates to 1 GiB',
    unusable: true,
    verdict: 'unknown',
    build: zipCase(() => [goModMember(), member(COMPAT, { data: '', raw: deflatedZeros(1024), size: 4 * MiB, crc: 0 })]),
  },
  {
    name: 'stored compat.go of 29 bytes with 64 MiB of "stored" data',
    unusable: true,
    verdict: 'unknown',
    build: zipCase(() => [goModMember(), member(COMPAT, { data: '', method: 0, compressedSize: 64 * MiB, size: 29 })], { gap: 64 * MiB }),
  },
  {
    name: 'a central directory of 60 MiB',
    unusable: true,
    verdict: 'unknown',
    build: zipCase((v) => delveMembers(v, compat), { dirPadding: 60 * MiB }),
  },
  {
    name: 'central directory size 4 GB in a small file',
    unusable: true,
    verdict: 'unknown',
    build: zipCase((v) => delveMembers(v, compat), { dirSize: 0xfffffff0 }),
  },
  {
    name: 'central directory offset beyond the file',
    unusable: true,
    verdict: 'unknown',
    build: zipCase((v) => delveMembers(v, compat), { dirOffset: 0x7ffffff0 }),
  },
  {
    name: 'more entries declared than there are',
    unusable: true,
    verdict: 'unknown',
    build: zipCase((v) => delveMembers(v, compat), { entries: 5000 }),
  },
  {
    name: 'ZIP64 markers in the end record',
    unusable: true,
    verdict: 'unknown',
    build: zipCase((v) => delveMembers(v, compat), { entries: 0xffff }),
  },
  {
    name: 'ZIP64 marker and huge declared sizes on compat.go',
    unusable: true,
    verdict: 'unknown',
    build: zipCase(() => [goModMember(), member(COMPAT, { data: compat, size: 0xffffffff, compressedSize: 0xfffffffe })]),
  },
  {
    name: 'overlapping local headers (compat.go points at go.mod’s)',
    unusable: true,
    verdict: 'unknown',
    build: zipCase(() => [goModMember(), member(COMPAT, { data: compat, localOf: 0 })]),
  },
  {
    name: 'a local header name other than the central one',
    unusable: true,
    verdict: 'unknown',
    build: zipCase(() => [goModMember(), member(COMPAT, { data: compat, localName: '../../../../../../tmp/compat.go' })]),
  },
  {
    name: 'compat.go as a symbolic link entry (S_IFLNK) to the outside one',
    unusable: true,
    verdict: 'unknown',
    build: (cache, outside) =>
      zipCase(() => [
        goModMember(),
        member(COMPAT, { data: path.join(outside, 'delve', COMPAT), madeBy: 3 << 8, externalAttributes: 0o120777 << 16 }),
      ])(cache),
  },
  {
    name: 'entries named with ../ and absolute paths, no real compat.go',
    verdict: 'unknown',
    build: (cache, outside) =>
      zipCase(() => [
        goModMember(),
        member(`../../../../outside/${COMPAT}`, { data: compat }),
        { name: path.join(outside, 'written-by-zip'), data: compat },
        { name: `/${DELVE}@v1.99.0/${COMPAT}`, data: compat },
        member(`x/../${COMPAT}`, { data: compat }),
      ])(cache),
  },
  {
    name: 'names that are not UTF-8 in place of compat.go',
    verdict: 'unknown',
    build: zipCase(() => [
      goModMember(),
      member(COMPAT.replace('compat', 'comp\xe4t'), { data: compat }),
      { name: Buffer.from(`${DELVE}@v1.99.0/pkg/goversion/comp\xe4t.go`, 'latin1'), data: compat },
    ]),
  },
  {
    name: 'the go command’s own zip, truncated to half',
    unusable: true,
    verdict: 'unknown',
    build: (cache) => {
      const p = delvePaths(cache, '1.99.0');
      mkdirSync(p.download, { recursive: true });
      const real = renamedRealZip(gomodcache, '1.99.0');
      writeFileSync(p.zip, real.subarray(0, real.length >> 1));
    },
  },
  {
    name: 'an empty zip file',
    unusable: true,
    verdict: 'unknown',
    build: (cache) => writeFile(delvePaths(cache, '1.99.0').zip, ''),
  },
  {
    name: 'a folder where the zip should be',
    verdict: 'unknown',
    build: (cache) => void mkdirSync(delvePaths(cache, '1.99.0').zip, { recursive: true }),
  },
  {
    name: 'a FIFO where the zip should be',
    verdict: 'unknown',
    build: async (cache) => {
      mkdirSync(delvePaths(cache, '1.99.0').download, { recursive: true });
      await mkfifo(delvePaths(cache, '1.99.0').zip);
    },
  },
  {
    name: 'a FIFO where go.mod should be (folder), no zip',
    verdict: 'unknown',
    build: async (cache) => {
      const p = delvePaths(cache, '1.99.0');
      writeFile(path.join(p.folder, COMPAT), compat);
      await mkfifo(path.join(p.folder, 'go.mod'));
    },
  },
  {
    name: 'a FIFO where compat.go should be (folder)',
    verdict: 'unknown',
    build: async (cache) => {
      const p = delvePaths(cache, '1.99.0');
      writeFile(path.join(p.folder, 'go.mod'), delveGoMod());
      mkdirSync(path.join(p.folder, 'pkg/goversion'), { recursive: true });
      await mkfifo(path.join(p.folder, COMPAT));
    },
  },
  {
    name: 'the module folder: a symbolic link to a valid module outside',
    verdict: 'unknown',
    build: (cache, outside) => {
      const p = delvePaths(cache, '1.99.0');
      mkdirSync(path.dirname(p.folder), { recursive: true });
      symlinkSync(path.join(outside, 'delve'), p.folder);
    },
  },
  {
    name: 'github.com: a symbolic link to a folder outside',
    verdict: 'unknown',
    build: (cache, outside) => symlinkSync(path.join(outside, 'github.com'), path.join(cache, 'github.com')),
  },
  {
    name: 'the zip: a symbolic link to a valid zip outside',
    verdict: 'unknown',
    build: (cache, outside) => {
      const p = delvePaths(cache, '1.99.0');
      mkdirSync(p.download, { recursive: true });
      symlinkSync(path.join(outside, 'v1.99.0.zip'), p.zip);
    },
  },
];

describe('hostile module caches through `compat --dlv 1.99.0`', { concurrency: 2 }, () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const { root, cache, outside } = layout();
      await c.build(cache, outside);
      const before = hashTree(root);
      const run = await cli(root, cache, [CLI, 'compat', '--go', c.go ?? '1.28.2', '--dlv', '1.99.0', '--json']);
      assert.deepEqual(hashTree(root), before, 'no file changed, none written');
      assert.equal(run.stderr, '', 'nothing on stderr: a verdict, not a failure');
      const json = JSON.parse(run.stdout) as { verdict: string; reasons: string[]; sources: string[] };
      assert.equal(json.verdict, c.verdict, json.reasons.join('\n'));
      assert.equal(run.code, c.verdict === 'compatible' ? 0 : 1);
      if (c.unusable)
        assert.match(
          json.reasons[0]!,
          /newer than our data .* its source in your Go module cache cannot be used \(.+: .*v1\.99\.0\.zip\); update/,
        );
      else if (c.verdict === 'unknown') assert.match(json.reasons[0]!, /newer than our data .* not in your Go module cache/);
      else
        assert.ok(
          json.sources.some((s) => s.includes(cache)),
          'judged from the cache',
        );
      assert.ok(!json.sources.some((s) => s.includes(outside)), 'nothing from outside');
      assert.ok(run.ms < 5000, `${run.ms} ms`);
      assertMemory(run);
      record('compat', c.name, run, json.verdict);
    });
  }
});

/** A dlv that only says which version it is: the edge where a version string comes from a tool's output. */
function fakeDlv(root: string, version: string): string {
  return writeFile(
    path.join(root, 'bin', 'dlv'),
    `#!/bin/sh\nprintf 'Delve Debugger\\nVersion: %s\\nBuild: $Id: 0 $\\n' '${version}'\n`,
    true,
  );
}

interface Report {
  checks: Array<{ id: string; status: string; summary: string }>;
}

async function check(root: string, cache: string): Promise<{ run: Run; row: Report['checks'][number]; report: Report }> {
  const ws = path.join(root, 'ws');
  writeFile(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.21\n');
  const gopath = path.join(root, 'gopath');
  const run = await cli(root, cache, [CLI, 'check', '--json', '--workspace', ws], {
    PATH: [path.join(root, 'bin'), GO_BIN, '/usr/bin', '/bin'].join(':'),
    GOPATH: gopath,
    GOBIN: path.join(gopath, 'bin'),
  });
  assert.equal(run.stderr, '', 'nothing on stderr');
  assert.ok(run.code === 0 || run.code === 1, `exit ${run.code}`);
  const report = JSON.parse(run.stdout) as Report;
  return { run, row: report.checks.find((c) => c.id === 'compat.delveGo')!, report };
}

describe('version strings that are paths, from the command line and from a tool’s output', () => {
  /** A valid module where `delve@v1.2.3/../../x` leads when joined as a path. */
  const plant = (cache: string) => writeDelveFolder(path.join(cache, 'github.com/x'), compat);

  for (const version of ['v1.2.3/../../x', '1.2.3/../../../x', '../../etc', 'v1.2.3\\..\\..\\x']) {
    it(`compat --dlv ${JSON.stringify(version)}: a usage error in one line`, async () => {
      const { root, cache } = layout();
      plant(cache);
      const before = hashTree(root);
      const run = await cli(root, cache, [CLI, 'compat', '--go', '1.28.2', '--dlv', version]);
      assert.deepEqual(hashTree(root), before);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, /^go-debug-doctor: --dlv: ".*" is not a Delve version \(try 1\.21\.2 or v1\.21\.2\)\n/);
      assert.deepEqual(run.stderr.trim().split('\n').slice(1), ['Run "go-debug-doctor help" for usage.'], run.stderr);
      record('compat', `--dlv ${JSON.stringify(version)}`, run, 'usage error');
    });
  }

  it('check, dlv printing "Version: 1.2.3/../../x": the module planted there is not read', async () => {
    const { root, cache } = layout();
    plant(cache);
    fakeDlv(root, '1.2.3/../../x');
    const before = hashTree(cache);
    const { run, row, report } = await check(root, cache);
    assert.deepEqual(hashTree(cache), before);
    assert.ok(!JSON.stringify(report).includes(path.join(cache, 'github.com/x')), 'the planted module is named nowhere');
    assert.notEqual(row.status, 'pass', row.summary);
    record('check', 'dlv says "Version: 1.2.3/../../x"', run, `${row.status}: ${row.summary.slice(0, 60)}`);
  });

  it('check, dlv 1.99.0 with a valid module folder (baseline): judged from the cache', async () => {
    const { root, cache } = layout();
    writeDelveFolder(delvePaths(cache, '1.99.0').folder, compat);
    fakeDlv(root, '1.99.0');
    const { run, row } = await check(root, cache);
    assert.equal(row.status, 'pass', row.summary);
    record('check', 'dlv 1.99.0, a valid module folder', run, `${row.status}`);
  });

  it('check, dlv 1.99.0 with a zip bomb for its source: a warning, memory flat', async () => {
    const { root, cache } = layout();
    zipCase(() => [goModMember(), member(COMPAT, { data: '', raw: deflatedZeros(1024), size: 4 * MiB, crc: 0 })])(cache);
    fakeDlv(root, '1.99.0');
    const { run, row } = await check(root, cache);
    assert.equal(row.status, 'warn');
    assert.match(
      row.summary,
      /Delve 1\.99\.0 is newer than our data .* cannot be used \(.*inflates to more than the 4194304 bytes it declares: .*v1\.99\.0\.zip\)/,
    );
    record('check', 'dlv 1.99.0, a zip bomb (4 MiB declared, 1 GiB inflated)', run, `${row.status}`);
  });

  it('check, dlv 1.99.0 whose module folder is a symbolic link outside: a warning, nothing read there', async () => {
    const { root, cache, outside } = layout();
    const p = delvePaths(cache, '1.99.0');
    mkdirSync(path.dirname(p.folder), { recursive: true });
    symlinkSync(path.join(outside, 'delve'), p.folder);
    fakeDlv(root, '1.99.0');
    const { run, row, report } = await check(root, cache);
    assert.equal(row.status, 'warn', row.summary);
    assert.ok(!JSON.stringify(report).includes(outside));
    record('check', 'dlv 1.99.0, module folder linked outside', run, `${row.status}`);
  });
});

describe('knowledge:refresh --cache-only over a hostile module cache', () => {
  const refresh = async (root: string, cache: string) => {
    const out = path.join(root, 'out');
    mkdirSync(out);
    const run = await cli(root, cache, [path.resolve('scripts/knowledge-refresh.mjs'), '--cache-only', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.match(run.stdout, /^Read \d+ Delve/);
    return run;
  };

  it('a zip bomb: one "needs a person" line that says why, memory flat', async () => {
    const { root, cache } = layout();
    zipCase(() => [goModMember(), member(COMPAT, { data: '', raw: deflatedZeros(1024), size: 4 * MiB, crc: 0 })])(cache);
    const run = await refresh(root, cache);
    assert.match(
      run.stdout,
      /\n {2}! delve v1\.99\.0: pkg\/goversion\/compat\.go or go\.mod not understood \(.*compat\.go in the zip inflates to more than the 4194304 bytes it declares\); fix the row by hand\n/,
    );
    const valid = layout();
    zipCase((v) => delveMembers(v, compat))(valid.cache);
    const baseline = await refresh(valid.root, valid.cache);
    assert.match(baseline.stdout, /\+ delve 1\.99\.0: Go 1\.26\.\.1\.29/);
    assertMemory(run, baseline.rssMiB);
    record('refresh', '(baseline) a valid zip', baseline, '+ delve 1.99.0');
    record('refresh', 'a zip bomb (4 MiB declared, 1 GiB inflated)', run, '! delve v1.99.0 (why)');
  });

  it('a zip that is a symbolic link to a valid zip outside: not read', async () => {
    const { root, cache, outside } = layout();
    const p = delvePaths(cache, '1.99.0');
    mkdirSync(p.download, { recursive: true });
    symlinkSync(path.join(outside, 'v1.99.0.zip'), p.zip);
    const run = await refresh(root, cache);
    assert.doesNotMatch(run.stdout, /delve 1\.99\.0/);
    record('refresh', 'the zip linked outside', run, 'not read');
  });
});
