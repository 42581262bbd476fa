import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { delveReleases, delveSupportsGo, goplsSupportsGo, goplsReleases } from '../../../src/core/knowledge';
import {
  parseDlvVersion,
  parseGoEnvJson,
  parseGoMod,
  parseGoplsVersion,
  parseGoVersionM,
  parseGoVersionOutput,
} from '../../../src/core/facts/parsers';
import { compareGo, formatGoVersion, parseGoVersion, type GoVersion } from '../../../src/core/facts/versions';

const goVersion: fc.Arbitrary<GoVersion> = fc
  .record({
    major: fc.constant(1),
    minor: fc.integer({ min: 0, max: 40 }),
    patch: fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
    prerelease: fc.option(fc.constantFrom('beta1', 'beta2', 'rc1', 'rc2'), { nil: undefined }),
  })
  .map((v) => {
    const out: GoVersion = { major: v.major, minor: v.minor };
    if (v.prerelease) out.prerelease = v.prerelease;
    else if (v.patch !== undefined) out.patch = v.patch;
    return out;
  });

describe('properties', () => {
  it('parsers never throw, whatever a tool prints', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.json(),
      fc.constantFrom('Version: 1.2.3', 'go version go1.22.0 darwin/amd64', 'golang.org/x/tools/gopls@', '{"Main":{"Version":7}}'),
    );
    fc.assert(
      fc.property(text, (t) => {
        parseDlvVersion(t);
        parseGoVersionOutput(t);
        parseGoplsVersion(t);
        parseGoVersionM(t);
        parseGoEnvJson(t);
        parseGoMod(t);
      }),
      { numRuns: 2000 },
    );
  });
  it('Go versions: format then parse gives the same version', () => {
    fc.assert(fc.property(goVersion, (v) => assert.deepEqual(parseGoVersion(formatGoVersion(v)), v)));
  });
  it('Go versions: the order is antisymmetric and transitive', () => {
    fc.assert(
      fc.property(goVersion, goVersion, goVersion, (a, b, c) => {
        assert.equal(Math.sign(compareGo(a, b)) + Math.sign(compareGo(b, a)), 0);
        if (compareGo(a, b) <= 0 && compareGo(b, c) <= 0) assert.ok(compareGo(a, c) <= 0);
      }),
    );
  });
  it('compat verdicts exist for every pair and agree with the range', () => {
    const release = fc.constantFrom(...delveReleases);
    fc.assert(
      fc.property(release, goVersion, fc.option(goVersion, { nil: undefined }), (r, go, builtWith) => {
        const v = delveSupportsGo(r.version, go, builtWith);
        assert.notEqual(v.verdict, 'unknown');
        assert.ok(v.reasons.length > 0 && v.sources.length > 0);
        const [minMinor, maxMinor] = [Number(r.goMin.split('.')[1]), Number(r.goMax.split('.')[1])];
        if (go.minor < minMinor || go.minor > maxMinor) assert.equal(v.verdict, 'incompatible');
        else if (go.minor < 25 || !builtWith) assert.equal(v.verdict, 'compatible');
      }),
    );
  });
  it('gopls verdicts never throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...goplsReleases), goVersion, (r, go) => {
        assert.ok(['compatible', 'incompatible'].includes(goplsSupportsGo(r.version, go).verdict));
      }),
    );
  });
});
