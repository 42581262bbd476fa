import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS, findCommand, usageText } from '../../src/cli/commands';

describe('CLI command table', () => {
  it('every row loads a module with its help and run; names are unique', async () => {
    assert.equal(new Set(COMMANDS.map((c) => c.name)).size, COMMANDS.length);
    for (const entry of COMMANDS) {
      const loaded = await entry.load();
      assert.equal(typeof loaded.run, 'function', entry.name);
      assert.match(loaded.help, new RegExp(`^go-debug-doctor ${entry.name}\\b`), `${entry.name}'s help starts with its name`);
    }
  });

  it('the usage text lists every command with its synopsis and summary', () => {
    const usage = usageText('9.9.9');
    assert.match(usage, /^go-debug-doctor 9\.9\.9: /);
    for (const c of COMMANDS) assert.ok(usage.includes(`go-debug-doctor ${c.name} ${c.synopsis}\n      ${c.summary}`), c.name);
    assert.equal(findCommand('selftest')?.name, 'selftest');
    assert.equal(findCommand('frobnicate'), undefined);
  });
});
