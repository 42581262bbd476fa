import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintLaunchJson } from '../../../src/core/launch/lint';

describe('lint of a file that does not parse', () => {
  it('malformed files are one syntax finding at the right line', async () => {
    const [f] = await lintLaunchJson('{\n  "configurations": [\n    { "name": "x" "type": "go" }\n  ]\n}', { file: 'launch.json' });
    assert.equal(f?.rule, 'syntax');
    assert.equal(f?.line, 3);
  });
});
