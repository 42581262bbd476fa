import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DoctorReport } from '../../../src/core/checks/doctor';
import { versionChecks } from '../../../src/core/checks/versionChecks';
import { replay, row } from '../../fixtures/recorded-machines';

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

  it('a replayed Linux machine skips every macOS check with one reason', async () => {
    const report = await replay('linux-healthy');
    const mac = report.checks.filter((c) => c.id.startsWith('mac.'));
    assert.equal(mac.length, 8);
    for (const c of mac) assert.deepEqual([c.status, c.summary, c.applies], ['skip', 'macOS only; this machine runs linux.', false]);
  });
});
