import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import * as semver from 'semver';
import {
  compareGo,
  compareModule,
  formatGoVersion,
  isModuleVersion,
  isReleaseVersion,
  parseGoVersion,
  parseModuleVersion,
  satisfiesModuleRange,
} from '../../../src/core/facts/versions';

describe('Go versions', () => {
  const cases: Array<[string, string | undefined]> = [
    ['1.22', 'go1.22'],
    ['1.22.3', 'go1.22.3'],
    ['go1.22.3', 'go1.22.3'],
    ['go1.21rc2', 'go1.21rc2'],
    ['go1.16beta1', 'go1.16beta1'],
    ['devel go1.24-abcdef Tue Jan 1 2025', 'devel go1.24'],
    ['v1.22.3', undefined],
    ['1', undefined],
    ['', undefined],
    ['go1.22.x', undefined],
  ];
  for (const [input, want] of cases) {
    it(`parses ${JSON.stringify(input)}`, () => {
      const v = parseGoVersion(input);
      assert.equal(v ? formatGoVersion(v) : undefined, want);
    });
  }
  it('orders beta < rc < release < patch, and by minor', () => {
    const order = ['go1.21beta1', 'go1.21rc1', 'go1.21rc2', 'go1.21.0', 'go1.21.13', 'go1.22', 'go1.22.1', 'go1.100.0'];
    const parsed = order.map((s) => parseGoVersion(s)!);
    for (let i = 1; i < parsed.length; i++) assert.ok(compareGo(parsed[i - 1]!, parsed[i]!) < 0, `${order[i - 1]} < ${order[i]}`);
  });
});

describe('module versions', () => {
  it('accepts v-prefixed and bare semver, rejects the rest', () => {
    assert.equal(parseModuleVersion('v1.21.2'), '1.21.2');
    assert.equal(parseModuleVersion('1.21.2'), '1.21.2');
    assert.equal(parseModuleVersion('v0.16.0-pre.1'), '0.16.0-pre.1');
    assert.equal(parseModuleVersion('(devel)'), undefined);
    assert.equal(parseModuleVersion('1.21'), undefined);
    assert.equal(parseModuleVersion('garbage'), undefined);
  });
});

describe('module versions read as the semver package reads them', () => {
  // The versions module no longer loads semver (start-up); this holds it to semver's answers.
  const id = fc.oneof(
    fc.nat({ max: 30 }).map(String),
    fc.stringMatching(/^[0-9a-zA-Z-]{1,6}$/),
    fc.constantFrom('0', '00', '01', 'pre', 'rc', 'beta', '-', '9007199254740993'),
  );
  const text = fc
    .tuple(
      fc.constantFrom('', 'v', 'vv', '=', ' '),
      fc.array(fc.oneof(fc.nat({ max: 40 }).map(String), fc.constantFrom('01', '00', '9007199254740993', 'x', '')), {
        minLength: 3,
        maxLength: 4,
      }),
      fc.option(fc.array(id, { minLength: 1, maxLength: 4 }), { nil: undefined }),
      fc.option(fc.array(fc.stringMatching(/^[0-9a-zA-Z-]{0,4}$/), { minLength: 1, maxLength: 2 }), { nil: undefined }),
      fc.constantFrom('', ' ', '\n', 'x'),
    )
    .map(
      ([prefix, main, pre, build, suffix]) =>
        `${prefix}${main.join('.')}${pre ? `-${pre.join('.')}` : ''}${build ? `+${build.join('.')}` : ''}${suffix}`,
    );

  it('parseModuleVersion: the same normalised version, or none', () => {
    fc.assert(
      fc.property(text, (t) => {
        const trimmed = t.trim();
        const expected = /^v?\d+\.\d+\.\d+/.test(trimmed) ? (semver.valid(trimmed.replace(/^v/, '')) ?? undefined) : undefined;
        assert.equal(parseModuleVersion(t), expected, t);
      }),
      { numRuns: 5000 },
    );
    assert.equal(parseModuleVersion('v1.2.3+build.5'), '1.2.3');
    assert.equal(parseModuleVersion(`1.2.3-${'a'.repeat(300)}`), undefined);
  });

  it('compareModule: the same order as semver.compare', () => {
    const valid = text.map((t) => parseModuleVersion(t)).filter((v): v is string => v !== undefined);
    fc.assert(
      fc.property(valid, valid, (a, b) => {
        assert.equal(compareModule(a, b), semver.compare(a, b), `${a} vs ${b}`);
      }),
      { numRuns: 5000 },
    );
    assert.equal(compareModule('1.0.0-alpha', '1.0.0-alpha.1'), -1);
    assert.equal(compareModule('1.0.0-alpha.beta', '1.0.0-beta'), -1);
    assert.equal(compareModule('1.0.0-rc.1', '1.0.0'), -1);
    assert.equal(compareModule('1.0.0-2', '1.0.0-10'), -1);
    assert.equal(compareModule('1.0.0-2', '1.0.0-a'), -1);
    assert.throws(() => compareModule('1.2', '1.2.3'), /Invalid Version: 1\.2/);
  });

  it('isModuleVersion and isReleaseVersion: what semver.valid and semver.prerelease say', () => {
    fc.assert(
      fc.property(text, (t) => {
        assert.equal(isModuleVersion(t), semver.valid(t) !== null, t);
        assert.equal(isReleaseVersion(t), semver.valid(t) !== null && semver.prerelease(t) === null, t);
      }),
      { numRuns: 3000 },
    );
  });

  it('satisfiesModuleRange: what semver.satisfies says, for ranges as our knowledge writes them', () => {
    const small = fc
      .tuple(
        fc.nat({ max: 2 }),
        fc.nat({ max: 2 }),
        fc.nat({ max: 2 }),
        fc.option(fc.constantFrom('rc.1', 'rc.2', 'pre'), { nil: undefined }),
      )
      .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre ? `-${pre}` : ''}`);
    // semver reads ">=0.0.0" as "*" and drops it beside another comparator, so for semver
    // 0.0.0-rc.2 lies in ">=0.0.0 0.0.0-rc.2"; in Go's module order it comes before 0.0.0. Our data
    // never writes that bound, and we keep Go's order (asserted below).
    const comparator = fc
      .tuple(fc.constantFrom('', '=', '<', '<=', '>', '>='), small)
      .map(([op, v]) => `${op}${v}`)
      .filter((c) => c !== '>=0.0.0');
    const range = fc.array(comparator, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(' '));
    fc.assert(
      fc.property(small, range, (v, r) => {
        assert.equal(satisfiesModuleRange(v, r), semver.satisfies(v, r), `${v} in ${r}`);
      }),
      { numRuns: 5000 },
    );
    assert.equal(satisfiesModuleRange('0.0.0-rc.2', '>=0.0.0 0.0.0-rc.2'), false);
    assert.equal(satisfiesModuleRange('1.24.3', '>=1.24.2 <1.25.0'), true);
    assert.equal(satisfiesModuleRange('1.25.0', '>=1.24.2 <1.25.0'), false);
    assert.throws(() => satisfiesModuleRange('1.2.3', '~1.2'), /Invalid range/);
    assert.throws(() => satisfiesModuleRange('1.2.3', '1.2.x || 2'), /Invalid range/);
  });
});
