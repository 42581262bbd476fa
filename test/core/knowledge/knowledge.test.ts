import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as semver from 'semver';
import {
  delveMacOSIssues,
  delveReleases,
  delveSupportsGo,
  goplsReleases,
  goplsSupportsGo,
  recommendedDelve,
  recommendedProfile,
  findProfile,
} from '../../../src/core/knowledge';
import { parseGoMod } from '../../../src/core/facts/parsers';
import { runProcess } from '../../../src/core/probes/runProcess';
import { parseJsonStream } from '../../helpers';
import { parseGoVersion, satisfiesModuleRange, type GoVersion } from '../../../src/core/facts/versions';

const go = (s: string): GoVersion => parseGoVersion(s)!;
const minor = (v: string, delta: number) => {
  const [maj, min] = v.split('.').map(Number) as [number, number];
  return `${maj}.${min + delta}`;
};

describe('knowledge data', () => {
  it('Delve rows are ordered, complete and sourced', () => {
    for (let i = 0; i < delveReleases.length; i++) {
      const r = delveReleases[i]!;
      assert.ok(semver.valid(r.version) && r.source.length > 10 && /^\d{4}-\d\d-\d\d$/.test(r.date), r.version);
      assert.ok(parseGoVersion(r.goMin) && parseGoVersion(r.goMax) && parseGoVersion(r.buildGo), r.version);
      if (i > 0) assert.ok(semver.gt(r.version, delveReleases[i - 1]!.version));
    }
    assert.equal(delveReleases[0]!.version, '1.20.0');
  });
  it('gopls rows are ordered and sourced', () => {
    for (let i = 1; i < goplsReleases.length; i++) assert.ok(semver.gt(goplsReleases[i]!.version, goplsReleases[i - 1]!.version));
  });
  it('the macOS known issues name Delve ranges our range reader reads as semver does', () => {
    for (const issue of delveMacOSIssues) {
      assert.ok(semver.validRange(issue.affected), issue.affected);
      for (const r of delveReleases)
        assert.equal(satisfiesModuleRange(r.version, issue.affected), semver.satisfies(r.version, issue.affected));
    }
  });
});

describe('compat verdicts at the edges of every Delve release (min-1, min, max, max+1)', () => {
  for (const r of delveReleases) {
    it(`Delve ${r.version}: Go ${r.goMin}..${r.goMax}`, () => {
      const below = delveSupportsGo(r.version, go(`${minor(r.goMin, -1)}.5`));
      assert.equal(below.verdict, 'incompatible');
      assert.match(below.delveMessage!, /is too old for this version of Delve \(minimum supported version/);
      assert.equal(delveSupportsGo(r.version, go(`${r.goMin}.0`)).verdict, 'compatible');
      assert.equal(delveSupportsGo(r.version, go(`${r.goMin}rc1`)).verdict, 'compatible', 'a release candidate of the minimum counts');
      assert.equal(delveSupportsGo(r.version, go(`${r.goMax}.9`)).verdict, 'compatible');
      const above = delveSupportsGo(r.version, go(`${minor(r.goMax, 1)}.0`));
      assert.equal(above.verdict, 'incompatible');
      assert.match(above.delveMessage!, /^Version of Delve is too old for Go version/);
      assert.equal(delveSupportsGo(r.version, go(`${minor(r.goMax, 1)}rc1`)).verdict, 'incompatible', 'an rc of max+1 is refused');
    });
  }
  it('the DWARF 5 rule: Go 1.25+ programs need a dlv built with Go 1.25+', () => {
    const v = delveSupportsGo('1.26.3', go('1.26.2'), go('go1.24.13'));
    assert.equal(v.verdict, 'incompatible');
    assert.equal(v.delveMessage, 'To debug executables using DWARFv5 or later Delve must be built with Go version 1.25.0 or later');
    assert.equal(delveSupportsGo('1.26.3', go('1.24.5'), go('go1.24.13')).verdict, 'compatible', 'Go 1.24 writes DWARF 4');
    assert.equal(delveSupportsGo('1.26.3', go('1.26.2'), go('go1.25.0')).verdict, 'compatible');
    const assumed = delveSupportsGo('1.26.3', go('1.26.2'));
    assert.match(assumed.reasons.join(' '), /assumed/);
  });
  it('unknown Delve versions are unknown, not guessed', () => {
    assert.equal(delveSupportsGo('9.0.0', go('1.22')).verdict, 'unknown');
    assert.equal(delveSupportsGo('1.19.0', go('1.19')).verdict, 'unknown');
    assert.equal(delveSupportsGo('1.21.9', go('1.21')).verdict, 'unknown');
  });
  it('v1.25.0 does not accept Go 1.25, whatever its changelog says', () => {
    assert.equal(delveSupportsGo('1.25.0', go('1.25.0')).verdict, 'incompatible');
  });
  it('recommends the newest Delve for a Go, and the golden triangle is consistent', () => {
    assert.equal(recommendedDelve(go('1.21.5'))?.version, '1.25.0');
    assert.equal(recommendedDelve(go('1.26.0'))?.version, delveReleases.at(-1)!.version);
    const golden = findProfile('golden-triangle')!;
    assert.equal(delveSupportsGo(golden.dlv, go(golden.go)).verdict, 'compatible');
    assert.equal(goplsSupportsGo(golden.gopls, go(golden.go)).verdict, 'compatible');
    assert.ok(
      goplsReleases.some((r) => r.version === golden.gopls),
      'the golden triangle names a real gopls release',
    );
    assert.equal(recommendedProfile(go('1.21.5'))?.dlv, '1.25.0');
  });
  it('gopls: last release per old Go', () => {
    assert.equal(goplsSupportsGo('0.15.3', go('1.20')).verdict, 'compatible');
    const v = goplsSupportsGo('0.16.0', go('1.20'));
    assert.equal(v.verdict, 'incompatible');
    assert.equal(v.alternative, '0.15.3');
    assert.equal(goplsSupportsGo('0.23.0', go('1.26')).verdict, 'compatible');
  });
});

/**
 * The data against Delve's own source, for every release: the module proxy serves each tagged
 * module zip, and pkg/goversion/compat.go in it holds the supported range.
 */
describe('knowledge data against the real Delve and gopls modules (Go module proxy)', () => {
  const dirs = new Map<string, string>();
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
  before(async () => {
    const probe = await runProcess(
      ['go', 'mod', 'download', '-json', ...delveReleases.map((r) => `github.com/go-delve/delve@v${r.version}`)],
      { env, timeoutMs: 600_000, maxOutputBytes: 64 << 20 },
    );
    assert.equal(probe.outcome, 'ok', probe.stderr);
    for (const m of parseJsonStream<{ Version: string; Dir: string }>(probe.stdout)) dirs.set(m.Version.replace(/^v/, ''), m.Dir);
  });
  for (const r of delveReleases) {
    it(`Delve ${r.version}: compat.go range, go.mod go line, DWARF 5 check`, () => {
      const dir = dirs.get(r.version);
      assert.ok(dir, `downloaded ${r.version}`);
      const compat = readFileSync(path.join(dir, 'pkg/goversion/compat.go'), 'utf8');
      const num = (name: string) => /\s*=\s*(\d+)/.exec(compat.slice(compat.indexOf(name) + name.length))?.[1];
      assert.equal(`${num('MinSupportedVersionOfGoMajor')}.${num('MinSupportedVersionOfGoMinor')}`, r.goMin);
      assert.equal(`${num('MaxSupportedVersionOfGoMajor')}.${num('MaxSupportedVersionOfGoMinor')}`, r.goMax);
      const gomod = readFileSync(path.join(dir, 'go.mod'), 'utf8');
      assert.equal(parseGoMod(gomod).goRaw, r.buildGo);
      assert.equal(compat.includes('DWARFv5'), r.dwarf5Check);
    });
  }
  it('every gopls row that the module proxy here serves: the go line of its go.mod', async (t) => {
    // go mod download (not go list -m) so that each go.mod is fetched, whatever the cache holds.
    const probe = await runProcess(
      ['go', 'mod', 'download', '-json', ...goplsReleases.map((r) => `golang.org/x/tools/gopls@v${r.version}`)],
      { env, timeoutMs: 600_000, maxOutputBytes: 64 << 20 },
    );
    assert.notEqual(probe.outcome, 'timeout');
    const got = parseJsonStream<{ Version: string; GoMod?: string; Error?: string }>(probe.stdout);
    const unverified: string[] = [];
    for (const r of goplsReleases) {
      const g = got.find((x) => x.Version === `v${r.version}`);
      assert.ok(g, `gopls ${r.version} listed`);
      const needs = g.Error && /requires go >= (\S+) /.exec(g.Error)?.[1];
      if (needs) assert.equal(needs, r.buildGo, `gopls ${r.version}: the go command's own refusal names its go line`);
      else if (g.GoMod) assert.equal(parseGoMod(readFileSync(g.GoMod, 'utf8')).goRaw, r.buildGo, `gopls ${r.version}`);
      else unverified.push(`${r.version} (${g.Error?.split('\n')[0]})`);
    }
    // A mirror may lack a version the public proxy has; say which, and insist on most of them.
    if (unverified.length) t.diagnostic(`not served by this machine's module proxy: ${unverified.join('; ')}`);
    assert.ok(unverified.length <= goplsReleases.length / 3, `too few gopls rows verified: ${unverified.join('; ')}`);
  });
});
