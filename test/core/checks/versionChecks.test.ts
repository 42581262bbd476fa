import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDoctor, type DoctorReport } from '../../../src/core/checks/doctor';
import { versionChecks } from '../../../src/core/checks/versionChecks';
import type { CheckResult } from '../../../src/core/checks/types';
import { parseRecording, ReplayHost } from '../../../src/core/probes/recording';
import dwarf4 from '../../fixtures/recordings/linux-dlv-dwarf4.json';
import tooOld from '../../fixtures/recordings/linux-dlv-too-old.json';
import healthy from '../../fixtures/recordings/linux-healthy.json';
import toolchainLocal from '../../fixtures/recordings/linux-toolchain-local.json';

/**
 * The version checks replayed from recordings of this machine with the real pinned tools
 * (test/fixtures/recordings, made by make.mjs there with `go-debug-doctor check --record`).
 */
const RECORDINGS: Record<string, unknown> = {
  'linux-healthy': healthy,
  'linux-dlv-too-old': tooOld,
  'linux-dlv-dwarf4': dwarf4,
  'linux-toolchain-local': toolchainLocal,
};

async function replay(name: string): Promise<DoctorReport> {
  const recording = parseRecording(JSON.stringify(RECORDINGS[name]));
  return runDoctor({ host: new ReplayHost(recording), workspace: recording.workspace!, goExtension: null });
}

function row(report: DoctorReport, id: string): CheckResult {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `no row ${id}`);
  return found;
}

function statuses(report: DoctorReport): Record<string, string> {
  const ids = new Set(versionChecks.map((c) => c.id));
  return Object.fromEntries(report.checks.filter((c) => ids.has(c.id)).map((c) => [c.id, c.status]));
}

describe('version checks on recorded machines', () => {
  it('dlv v1.27.2 and gopls v0.23.0 with the local Go: every tool and compatibility check passes', async () => {
    const report = await replay('linux-healthy');
    const s = statuses(report);
    for (const id of [
      'tools.go',
      'env.go',
      'env.modules',
      'workspace.go',
      'tools.dlv',
      'tools.gopls',
      'compat.delveGo',
      'compat.dwarf5',
      'compat.goplsGo',
      'profile',
    ])
      assert.equal(s[id], 'pass', `${id}: ${row(report, id).summary}`);
    assert.match(row(report, 'tools.dlv').summary, /^Delve 1\.27\.2 at /);
    assert.match(row(report, 'tools.gopls').summary, /gopls 0\.23\.0 \(built with go1\.26/);
    assert.equal(report.probes.length, 3, 'go env, dlv version, gopls version: nothing else runs');
  });

  it('dlv v1.21.2: Delve refuses Go 1.26, and the fix installs exactly the recommended Delve', async () => {
    const report = await replay('linux-dlv-too-old');
    const compat = row(report, 'compat.delveGo');
    assert.equal(compat.status, 'fail');
    assert.match(compat.summary, /Delve 1\.21\.2 cannot debug programs built by go1\.26/);
    const install = compat.fixes[0]!;
    assert.equal(install.action, 'installDlv');
    assert.equal(install.command, 'go install github.com/go-delve/delve/cmd/dlv@v1.27.2');
    assert.deepEqual(install.data, { dlvVersion: '1.27.2' }, 'the panel installs 1.27.2 instead of opening the picker');
    assert.equal(row(report, 'profile').status, 'pass');
  });

  it('dlv v1.26.3 built with go1.24.13: supports Go 1.26 but cannot read its DWARF 5', async () => {
    const report = await replay('linux-dlv-dwarf4');
    assert.equal(row(report, 'compat.delveGo').status, 'pass');
    const dwarf = row(report, 'compat.dwarf5');
    assert.equal(dwarf.status, 'fail');
    assert.match(dwarf.summary, /built with go1\.24\.13/);
  });

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

  it('a replayed Linux machine skips every macOS check with one reason', async () => {
    const report = await replay('linux-healthy');
    const mac = report.checks.filter((c) => c.id.startsWith('mac.'));
    assert.equal(mac.length, 8);
    for (const c of mac) assert.deepEqual([c.status, c.summary, c.applies], ['skip', 'macOS only; this machine runs linux.', false]);
  });
});
