import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { openFileBytes } from '../../../src/core/binary/bytes';
import { delveReleaseFromModuleCache, goModCacheDir, goplsFromModuleCache } from '../../../src/core/knowledge/fromModuleCache';
import {
  delveSupportsGo,
  findDelveRelease,
  goplsLastForGo,
  goplsSupportsGo,
  newestDelve,
  type DelveRelease,
  type UnreadableModule,
} from '../../../src/core/knowledge';
import { readZipEntry } from '../../../src/core/binary/zip';
import { LiveHost } from '../../../src/core/probes/host';
import { runProcess } from '../../../src/core/probes/runProcess';
import { parseGoVersion } from '../../../src/core/facts/versions';
import { tempDir, writeFile } from '../../helpers';

const CLI = path.resolve('dist/cli.js');
const host = new LiveHost();
const go = (s: string) => parseGoVersion(s)!;
const DELVE = 'github.com/go-delve/delve';

// `npm test` installed dlv v1.27.2, v1.21.2, v1.26.3 and gopls v0.23.0 through the proxy, so the
// user's real module cache holds their sources (folder and zip).
let gomodcache: string;
before(async () => {
  gomodcache = (await goModCacheDir(host, 30_000))!;
  assert.ok(gomodcache, 'go env GOMODCACHE answered');
});

/** A Delve release that does not exist: a real compat.go with its range moved, in a temporary module cache. */
function craftDelve(cache: string, version: string, min: number, max: number, goLine = '1.27.0'): void {
  const real = readFileSync(path.join(gomodcache, `${DELVE}@v1.27.2`, 'pkg/goversion/compat.go'), 'utf8');
  const moved = real
    .replace(/(MinSupportedVersionOfGoMinor\s*=\s*)\d+/, `$1${min}`)
    .replace(/(MaxSupportedVersionOfGoMinor\s*=\s*)\d+/, `$1${max}`);
  assert.notEqual(moved, real);
  const dir = path.join(cache, `${DELVE}@v${version}`);
  writeFile(path.join(dir, 'pkg/goversion/compat.go'), moved);
  writeFile(path.join(dir, 'go.mod'), `module ${DELVE}\n\ngo ${goLine}\n`);
  writeFile(
    path.join(cache, 'cache/download', DELVE, '@v', `v${version}.info`),
    JSON.stringify({ Version: `v${version}`, Time: '2027-03-01T10:00:00Z' }),
  );
}

/** A release read from the cache, not a module found but unusable. */
function released(r: DelveRelease | UnreadableModule | undefined): DelveRelease | undefined {
  if (r && 'unreadable' in r) assert.fail(`unusable: ${r.unreadable}`);
  return r;
}

describe('Delve and gopls judged from the Go module cache', () => {
  it('reproduces the committed rows from the real module cache (folders)', async () => {
    for (const v of ['1.27.2', '1.21.2', '1.26.3']) {
      const got = await delveReleaseFromModuleCache(host, gomodcache, v);
      const row = findDelveRelease(v)!;
      assert.ok(got && !('unreadable' in got), v);
      assert.deepEqual(
        { goMin: got.goMin, goMax: got.goMax, buildGo: got.buildGo, dwarf5Check: got.dwarf5Check },
        { goMin: row.goMin, goMax: row.goMax, buildGo: row.buildGo, dwarf5Check: row.dwarf5Check },
        v,
      );
      assert.match(got.source, /pkg\/goversion\/compat\.go/);
    }
    const gopls = await goplsFromModuleCache(host, gomodcache, '0.23.0');
    assert.equal(gopls?.buildGo, '1.26.0');
    assert.deepEqual(
      gopls?.lastForGo,
      goplsLastForGo.map(({ go, lastGopls }) => ({ go, lastGopls })),
    );
  });

  it('reads the same files out of the download zip when no extracted folder is left', async () => {
    const zip = path.join(gomodcache, 'cache/download', DELVE, '@v/v1.27.2.zip');
    const src = await openFileBytes(zip);
    try {
      const fromZip = await readZipEntry(src, `${DELVE}@v1.27.2/pkg/goversion/compat.go`);
      assert.equal(fromZip?.toString('utf8'), readFileSync(path.join(gomodcache, `${DELVE}@v1.27.2`, 'pkg/goversion/compat.go'), 'utf8'));
      assert.equal(await readZipEntry(src, `${DELVE}@v1.27.2/no/such/file.go`), undefined);
    } finally {
      await src.close();
    }
    const cache = tempDir('gdd-modcache-');
    mkdirSync(path.join(cache, 'cache/download', DELVE, '@v'), { recursive: true });
    copyFileSync(zip, path.join(cache, 'cache/download', DELVE, '@v/v1.27.2.zip'));
    const got = released(await delveReleaseFromModuleCache(host, cache, '1.27.2'));
    assert.equal(got?.goMin, '1.25');
    assert.equal(got?.goMax, '1.27');
    assert.match(got!.source, /v1\.27\.2\.zip/);
  });

  it('judges a Delve newer than our data from its own compat.go, naming that file', async () => {
    const cache = tempDir('gdd-modcache-');
    craftDelve(cache, '1.99.0', 26, 29);
    assert.equal(findDelveRelease('1.99.0'), undefined);
    const release = released(await delveReleaseFromModuleCache(host, cache, '1.99.0'));
    assert.deepEqual(
      { goMin: release?.goMin, goMax: release?.goMax, buildGo: release?.buildGo, date: release?.date },
      { goMin: '1.26', goMax: '1.29', buildGo: '1.27.0', date: '2027-03-01' },
    );
    const ok = delveSupportsGo('1.99.0', go('1.29.1'), go('1.27.1'), release);
    assert.equal(ok.verdict, 'compatible');
    assert.ok(ok.sources.some((s) => s.includes(path.join(cache, `${DELVE}@v1.99.0`)) && s.includes('compat.go')));
    const old = delveSupportsGo('1.99.0', go('1.25.3'), undefined, release);
    assert.equal(old.verdict, 'incompatible');
    assert.match(old.delveMessage!, /minimum supported version 1\.26/);
    const without = delveSupportsGo('1.99.0', go('1.27.1'));
    assert.equal(without.verdict, 'unknown');
    assert.match(without.reasons[0]!, /newer than our data.*module cache/);
  });

  it('`compat --dlv` honours GOMODCACHE as `go env` reports it', async () => {
    const cache = tempDir('gdd-modcache-');
    craftDelve(cache, '1.99.0', 26, 29);
    const env = { ...process.env, GOMODCACHE: cache, GOFLAGS: '' };
    const run = (args: string[]) => runProcess([process.execPath, CLI, 'compat', ...args, '--json'], { env, timeoutMs: 60_000 });
    const yes = await run(['--go', '1.28.2', '--dlv', '1.99.0']);
    assert.equal(yes.exitCode, 0, yes.stderr);
    const json = JSON.parse(yes.stdout) as { verdict: string; supportedGo: { min: string; max: string }; sources: string[] };
    assert.equal(json.verdict, 'compatible');
    assert.deepEqual(json.supportedGo, { min: '1.26', max: '1.29' });
    assert.ok(json.sources[0]!.includes(cache));
    const no = await run(['--go', '1.30', '--dlv', '1.99.0']);
    assert.equal(no.exitCode, 1);
    assert.match(JSON.parse(no.stdout).delveMessage, /maximum supported version 1\.29/);
    const newer = `${Number(newestDelve().version.split('.')[0]) + 1}.0.0`;
    const unknown = await run(['--go', '1.27', '--dlv', newer]);
    assert.equal(JSON.parse(unknown.stdout).verdict, 'unknown');
  });

  it('judges a gopls newer than our data from its go.mod and support table', async () => {
    const cache = tempDir('gdd-modcache-');
    const real = readFileSync(path.join(gomodcache, 'golang.org/x/tools/gopls@v0.23.0/internal/util/goversion/goversion.go'), 'utf8');
    const moved = real.replace(/(\{20, "v0\.17\.0", "v0\.15\.3"\},)/, '$1\n\t{24, "v0.26.0", "v0.25.1"},');
    assert.notEqual(moved, real);
    const dir = path.join(cache, 'golang.org/x/tools/gopls@v0.99.0');
    writeFile(path.join(dir, 'internal/util/goversion/goversion.go'), moved);
    writeFile(path.join(dir, 'go.mod'), 'module golang.org/x/tools/gopls\n\ngo 1.28.0\n');
    const cached = await goplsFromModuleCache(host, cache, '0.99.0');
    assert.equal(cached?.buildGo, '1.28.0');
    const verdict = goplsSupportsGo('0.99.0', go('1.24.5'), undefined, cached);
    assert.equal(verdict.verdict, 'incompatible');
    assert.equal(verdict.alternative, '0.25.1');
    assert.ok(verdict.sources[0]!.includes(dir));
  });
});
