import assert from 'node:assert/strict';
import { existsSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { formatDiagnosticsReport } from '../../../src/core/output/diagnosticsReport';
import { runDoctor } from '../../../src/core/checks/doctor';
import { LiveHost } from '../../../src/core/probes/host';
import { tempDir, testTools, writeFile } from '../../helpers';

describe('diagnostics report', () => {
  it('has versions, every check with its evidence, the commands run with their output, and no home folder or user name', async () => {
    const home = path.join(tempDir('gdd-report-'), 'Users', 'alice');
    const bin = path.join(home, 'go', 'bin');
    writeFile(path.join(bin, '.keep'), '');
    symlinkSync(testTools()['dlv-new'], path.join(bin, 'dlv'));
    writeFile(path.join(home, '.config', 'go', 'telemetry', 'mode'), 'off');
    const ws = path.join(home, 'src', 'alice-shop');
    writeFile(path.join(ws, 'go.mod'), 'module example.com/shop\n\ngo 1.21\n');
    const goBin = (process.env.PATH ?? '').split(':').find((d) => existsSync(path.join(d, 'go')))!;
    const host = new LiveHost({
      HOME: home,
      PATH: [bin, goBin, '/usr/bin', '/bin'].join(':'),
      GOPATH: path.join(home, 'go'),
      GOTOOLCHAIN: 'local',
      GOCACHE: process.env.GOCACHE ?? '/root/.cache/go-build',
    });
    const report = await runDoctor({ host, workspace: ws, probeOutput: true });
    assert.ok(
      report.probes.every((p) => typeof p.output === 'string'),
      'probeOutput keeps what each command printed',
    );
    const text = formatDiagnosticsReport(report, {
      home,
      user: 'alice',
      environment: { Editor: 'Code 1.139.1' },
      extraChecks: [
        {
          id: 'selftest',
          title: 'Debug self-test',
          status: 'pass',
          summary: 'A real debug session works.',
          evidence: [],
          fixes: [],
          durationMs: 300,
        },
      ],
    });
    assert.match(text, /^<!-- Please read this report before you share it/);
    assert.match(text, /- Delve: Delve 1\.27\.2 at ~\/go\/bin\/dlv\./);
    assert.match(text, /- Editor: Code 1\.139\.1/);
    for (const c of report.checks) assert.ok(text.includes(`(\`${c.id}\``), `a section for ${c.id}`);
    assert.match(text, /### PASS: Debug self-test/);
    assert.match(text, /<code>~\/go\/bin\/dlv version<\/code>: ok/);
    assert.match(text, /Version: 1\.27\.2/, 'the output of dlv version is in the report');
    assert.match(text, /~\/src\/<user>-shop/);
    assert.ok(!text.includes(home), 'the home folder is replaced');
    assert.ok(!/(?<![\w<])alice(?![\w>])/.test(text), 'the user name is replaced');
  });

  it('leaves a short or generic user name alone rather than mangling words', () => {
    const report = {
      schemaVersion: 1 as const,
      tool: { name: 'go-debug-doctor', version: '0.1.0' },
      generatedAt: '2026-11-22T00:00:00Z',
      durationMs: 1,
      platform: 'darwin',
      arch: 'x64',
      counts: { pass: 1, warn: 0, fail: 0, skip: 0, error: 0 },
      checks: [
        {
          id: 'x',
          title: 'Root check',
          status: 'pass' as const,
          summary: 'root and jo are words here',
          evidence: [],
          fixes: [],
          durationMs: 1,
        },
      ],
      probes: [],
    };
    assert.match(formatDiagnosticsReport(report, { home: '/Users/jo', user: 'jo' }), /root and jo are words here/);
    assert.match(formatDiagnosticsReport(report, { home: '/root', user: 'root' }), /root and jo are words here/);
  });
});
