import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstSession, isUserCommand, packageOfFile } from '../../../src/core/launch/firstSession';
import type { GoPackage } from '../../../src/core/launch/workspace';

// The shape of filippo.io/age v1.3.2 as `go list` reports it (19 packages, 8 commands).
const root = '/ws/age';
const pkg = (rel: string, isMain: boolean, hasTests: boolean): GoPackage => ({
  importPath: `filippo.io/age${rel === '.' ? '' : `/${rel}`}`,
  dir: rel === '.' ? root : `${root}/${rel}`,
  rel,
  isMain,
  hasTests,
});
const age = [
  pkg('.', false, true),
  pkg('agessh', false, true),
  pkg('armor', false, true),
  pkg('cmd/age', true, true),
  pkg('cmd/age-inspect', true, false),
  pkg('cmd/age-keygen', true, true),
  pkg('cmd/age-plugin-batchpass', true, false),
  pkg('extra/age-plugin-pq', true, false),
  pkg('internal/format', false, true),
  pkg('tag/internal/age-plugin-tagtest', true, false),
  pkg('tag/internal/tagtest', false, false),
];

describe('what a first debug session needs (Set Up Debugging, Generate defaults)', () => {
  it('the active editor names the package: launch for a command, plus its tests', () => {
    const s = firstSession(age, `${root}/cmd/age/age.go`)!;
    assert.deepEqual(
      s.packages.map((p) => p.rel),
      ['cmd/age'],
    );
    assert.deepEqual(s.kinds, ['launch', 'test']);
    assert.equal(s.why, 'the package of age.go');
    const lib = firstSession(age, `${root}/internal/format/format.go`)!;
    assert.deepEqual([lib.packages[0]!.rel, ...lib.kinds], ['internal/format', 'test']);
  });

  it('no Go editor: the commands for users, never a test helper below internal/ or testdata/', () => {
    assert.equal(isUserCommand(age.find((p) => p.rel === 'tag/internal/age-plugin-tagtest')!), false);
    const s = firstSession(age, '/ws/age/README.md')!;
    assert.deepEqual(
      s.packages.map((p) => p.rel),
      ['cmd/age', 'cmd/age-inspect', 'cmd/age-keygen'],
    );
    assert.deepEqual(s.kinds, ['launch']);
  });

  it('a library module without commands: its first package with tests; nothing at all: undefined', () => {
    const lib = [pkg('.', false, false), pkg('x', false, true)];
    assert.deepEqual(
      firstSession(lib)?.packages.map((p) => p.rel),
      ['x'],
    );
    assert.equal(firstSession([pkg('.', false, false)]), undefined);
    assert.equal(packageOfFile(age, `${root}/cmd/age/age_test.go`)?.rel, 'cmd/age');
    assert.equal(packageOfFile(age, `${root}/cmd/age`), undefined);
  });
});
