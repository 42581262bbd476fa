import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDoctor } from '../../../src/core/checks/doctor';
import { parseRecording, ReplayHost } from '../../../src/core/probes/recording';
import { RECORDINGS, replay, row } from '../../fixtures/recorded-machines';

describe('Go checks on recorded machines', () => {
  it('go.mod asks for a newer Go under GOTOOLCHAIN=local: the build is refused and the checks that need that Go are skipped', async () => {
    const report = await replay('linux-toolchain-local');
    const ws = row(report, 'workspace.go');
    assert.equal(ws.status, 'fail');
    assert.match(ws.summary, /GOTOOLCHAIN=local keeps go1\.26/);
    for (const id of ['compat.delveGo', 'compat.dwarf5', 'compat.goplsGo', 'profile']) {
      assert.equal(row(report, id).status, 'skip');
      assert.match(row(report, id).summary, /needs "Go that builds the program"/);
    }
  });

  it('an untrusted folder: "trust the folder to check it", never "no go.mod" or "the Go extension was not found"', async () => {
    const recording = parseRecording(JSON.stringify(RECORDINGS['linux-toolchain-local']));
    // As VS Code builds the session in Restricted Mode: no workspace, golang.go switched off.
    const report = await runDoctor({ host: new ReplayHost(recording), goExtension: null, trusted: false });
    for (const id of ['workspace.go', 'tools.goExtension']) {
      assert.equal(row(report, id).status, 'skip', id);
      assert.match(row(report, id).summary, /^Trust the folder to check .* you trust it\.$/, id);
    }
    assert.doesNotMatch(JSON.stringify(report.checks), /No go\.mod|was not found; VS Code needs it/);
  });
});
