import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DoctorReport } from '../../../src/core/checks/doctor';
import { countStatuses, type CheckResult } from '../../../src/core/checks/types';
import { formatJson, formatMarkdown, formatText } from '../../../src/core/output/checkReport';

const checks: CheckResult[] = [
  {
    id: 'tools.go',
    title: 'Go toolchain',
    status: 'pass',
    summary: 'go1.26.8 at /usr/local/go/bin/go.',
    evidence: [{ label: '$ go env -json', value: 'exit 0' }],
    fixes: [],
    sources: ['go.dev/doc'],
    durationMs: 3,
  },
  {
    id: 'compat.delveGo',
    title: 'Delve supports this Go',
    status: 'fail',
    summary: 'Delve 1.21.2 cannot debug go1.26 | pipes.',
    detail: 'line one\nline two',
    evidence: [{ label: 'range', value: 'has ``` fences' }],
    fixes: [
      {
        label: 'Install Delve 1.27.2',
        command: 'go install github.com/go-delve/delve/cmd/dlv@v1.27.2',
        action: 'installDlv',
        data: { dlvVersion: '1.27.2' },
      },
    ],
    durationMs: 1,
  },
  {
    id: 'mac.os',
    title: 'macOS version',
    status: 'skip',
    summary: 'macOS only; this machine runs linux.',
    evidence: [],
    fixes: [],
    durationMs: 0,
  },
];

const report: DoctorReport = {
  schemaVersion: 1,
  tool: { name: 'go-debug-doctor', version: '0.1.0' },
  generatedAt: '2026-11-29T00:00:00.000Z',
  durationMs: 42,
  platform: 'linux',
  arch: 'x64',
  workspace: '/w',
  counts: countStatuses(checks),
  checks,
  probes: [],
};

describe('check report formats', () => {
  it('text: one line per check, detail and fixes for failures, the counts line', () => {
    const text = formatText(report);
    assert.match(text, /^Go Debug Doctor 0\.1\.0 — linux\/x64 — \/w\n/);
    assert.ok(text.includes('✓ PASS  Go toolchain: go1.26.8'));
    assert.match(
      text,
      /✗ FAIL {2}Delve supports this Go: .*\n {8}line one\n {8}line two\n {8}fix: Install Delve 1\.27\.2\n {10}\$ go install/,
    );
    assert.doesNotMatch(text, /source: go\.dev/, 'sources only with verbose');
    assert.match(text, /1 passed, 0 warnings, 1 failed, 0 errors, 1 skipped in 42 ms\.\n$/);
    assert.ok(!text.includes('\u001b['));
  });

  it('text: colour only when asked; verbose adds evidence and sources', () => {
    assert.ok(formatText(report, { color: true }).includes('\u001b[31m✗ FAIL \u001b[0m'));
    const verbose = formatText(report, { verbose: true });
    assert.match(verbose, /\$ go env -json: exit 0/);
    assert.match(verbose, /source: go\.dev\/doc/);
  });

  it('markdown: escapes table cells and fences evidence that holds fences', () => {
    const md = formatMarkdown(report);
    assert.match(md, /\| FAIL \| Delve supports this Go \| Delve 1\.21\.2 cannot debug go1\.26 \\\| pipes\. \|/);
    assert.match(md, /````\nhas ``` fences\n````/);
    assert.doesNotMatch(md, /## SKIP/, 'a row with nothing more to say gets no section');
  });

  it('json: the report as it is', () => {
    assert.deepEqual(JSON.parse(formatJson(report)), report);
  });

  it('counts: one function behind the report, the panel and the status bar', () => {
    assert.deepEqual(countStatuses(checks), { pass: 1, warn: 0, fail: 1, skip: 1, error: 0 });
  });

  it("the text report gives an install fix the CLI's own pinned command too", () => {
    assert.match(
      formatText(report),
      /\$ go install github\.com\/go-delve\/delve\/cmd\/dlv@v1\.27\.2\n\s+or pinned and verified: \$ go-debug-doctor install-dlv --version v1\.27\.2/,
    );
  });
});
