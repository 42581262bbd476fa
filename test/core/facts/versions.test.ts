import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareGo, formatGoVersion, parseGoVersion, parseModuleVersion } from '../../../src/core/facts/versions';

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
