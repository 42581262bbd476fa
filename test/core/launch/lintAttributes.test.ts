import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintLaunchJson } from '../../../src/core/launch/lint';
import { launchWith } from '../../fixtures/launch-json';

const lint = (config: string, dlvVersion?: string) =>
  lintLaunchJson(launchWith(config), { file: 'launch.json', ...(dlvVersion ? { dlvVersion } : {}) });

describe('keys named like Object.prototype members are plain unknown attributes', () => {
  it('__proto__, constructor, toString, hasOwnProperty, valueOf: "not an attribute", never "read only by the [object Object] adapter"', async () => {
    const keys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
    const findings = await lint(keys.map((k, i) => `      "${k}": ${i}`).join(',\n'));
    assert.deepEqual(
      findings.map((f) => f.rule),
      keys.map(() => 'unknown-attribute'),
    );
    for (const f of findings) assert.doesNotMatch(f.message, /\[object Object\]|native code|read only by/);
  });
});
