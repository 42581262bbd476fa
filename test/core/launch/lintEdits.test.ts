import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseJsonc } from 'jsonc-parser';
import { lintLaunchJson } from '../../../src/core/launch/lint';
import { applyTextEdits } from '../../../src/core/launch/lintEdits';
import { BAD_LAUNCH } from '../../fixtures/launch-json';

describe('lint fixes', () => {
  it("quick fixes remove exactly the offending text and nothing of the user's", async () => {
    const findings = await lintLaunchJson(BAD_LAUNCH, { file: 'launch.json', dlvVersion: '1.27.2' });
    const fixable = findings.filter((f) => f.fix);
    assert.deepEqual(fixable.map((f) => f.rule).sort(), [
      'gcflags',
      'ignored-by-adapter',
      'ignored-by-adapter',
      'overwritten-attribute',
      'unknown-attribute',
    ]);
    const fixed = applyTextEdits(
      BAD_LAUNCH,
      fixable.flatMap((f) => f.fix!.edits),
    );
    const value = parseJsonc(fixed) as { configurations: Record<string, unknown>[] };
    assert.equal(value.configurations[0]!.buildFlags, '-tags=dev');
    assert.equal('dlvLoadConfig' in value.configurations[0]!, false);
    assert.equal('stopOnEntri' in value.configurations[0]!, false);
    assert.ok(fixed.includes('// copied from a 2020 tutorial'), 'comments stay');
    const again = await lintLaunchJson(fixed, { file: 'launch.json', dlvVersion: '1.27.2' });
    assert.deepEqual(
      again.filter((f) => f.fix),
      [],
    );
  });
});
