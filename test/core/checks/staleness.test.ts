import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runDoctor } from '../../../src/core/checks/doctor';
import { goReleases, newerThanData, newestDelve, newestGo, newestGopls } from '../../../src/core/knowledge';
import { LiveHost } from '../../../src/core/probes/host';
import { parseGoVersion } from '../../../src/core/facts/versions';
import { tempDir, writeFile, quietHome } from '../../helpers';

const bump = (v: string, i: number) =>
  v
    .split('.')
    .map((n, j) => (j === i ? Number(n) + 1 : j > i ? 0 : Number(n)))
    .join('.');

describe('the data says when the machine is newer than it', () => {
  it('names a Go patch, a Go minor, a dlv and a gopls newer than the newest rows', () => {
    const minor = goReleases[goReleases.length - 1]!;
    const patch = parseGoVersion(bump(minor.latestPatch!, 2))!;
    assert.match(
      newerThanData({ go: patch })[0]!,
      new RegExp(
        `go${patch.major}\\.${patch.minor}\\.${patch.patch} is newer than the newest Go ${minor.go} patch it knows \\(go${minor.latestPatch}\\)`,
      ),
    );
    const g = newestGo();
    assert.match(newerThanData({ go: { major: g.major, minor: g.minor + 1, patch: 0 } })[0]!, /is newer than the newest Go it knows/);
    assert.match(newerThanData({ dlv: bump(newestDelve().version, 2) })[0]!, /^Delve .* is newer than the newest Delve it knows/);
    assert.match(newerThanData({ gopls: bump(newestGopls(), 1) })[0]!, /^gopls .* is newer than the newest gopls it knows/);
    assert.deepEqual(newerThanData({ go: parseGoVersion(minor.latestPatch!)!, dlv: newestDelve().version, gopls: newestGopls() }), []);
  });

  it('the profile row warns instead of passing when the Go in use is newer than the data (real go, GOTOOLCHAIN pin)', async () => {
    const root = tempDir();
    const g = newestGo();
    const future = `go${g.major}.${g.minor + 1}.0`;
    writeFile(path.join(root, 'ws', 'go.mod'), 'module m\n\ngo 1.21\n');
    const goBin = (process.env.PATH ?? '').split(':').find((d) => existsSync(path.join(d, 'go')))!;
    const host = new LiveHost({
      HOME: quietHome(path.join(root, 'home')),
      PATH: goBin,
      GOTOOLCHAIN: future,
      GOCACHE: process.env.GOCACHE ?? '/root/.cache/go-build',
    });
    const report = await runDoctor({ host, workspace: path.join(root, 'ws'), profile: 'custom', customProfile: { go: future.slice(2) } });
    const row = report.checks.find((c) => c.id === 'profile')!;
    assert.equal(row.status, 'warn');
    assert.match(
      row.summary,
      new RegExp(
        `^Go Debug Doctor's data \\(as of \\d{4}-\\d\\d-\\d\\d\\) is older than this machine: ${future.replace(/\./g, '\\.')} is newer than the newest Go it knows`,
      ),
    );
    assert.match(row.detail!, /Matches the custom profile/);
    assert.match(row.detail!, /npm run knowledge:refresh/);
    assert.ok(row.fixes.some((f) => f.command === 'npm run knowledge:refresh'));
    assert.ok(row.fixes.some((f) => /Update Go Debug Doctor/.test(f.label)));
  });
});
