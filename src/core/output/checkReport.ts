import type { CheckStatus } from '../checks/types';
import type { DoctorReport } from '../checks/doctor';

const ICON: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', skip: '-', error: '?' };
const WORD: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP', error: 'ERROR' };

export interface TextOptions {
  color?: boolean;
  verbose?: boolean;
}

export function formatText(report: DoctorReport, options: TextOptions = {}): string {
  const paint = (status: CheckStatus, s: string) => {
    if (!options.color) return s;
    const code = { pass: 32, warn: 33, fail: 31, skip: 90, error: 35 }[status];
    return `\x1b[${code}m${s}\x1b[0m`;
  };
  const lines: string[] = [
    `Go Debug Doctor ${report.tool.version} — ${report.platform}/${report.arch}${report.workspace ? ` — ${report.workspace}` : ''}`,
    '',
  ];
  for (const check of report.checks) {
    lines.push(`${paint(check.status, `${ICON[check.status]} ${WORD[check.status].padEnd(5)}`)} ${check.title}: ${check.summary}`);
    if (check.detail && (options.verbose || check.status === 'fail' || check.status === 'warn')) {
      for (const l of check.detail.split('\n')) lines.push(`        ${l}`);
    }
    for (const fix of check.fixes) {
      lines.push(`        fix: ${fix.label}${fix.command ? `\n          $ ${fix.command}` : ''}`);
      if (fix.action === 'installDlv') lines.push(`          or pinned and verified: $ ${installDlvCommand(fix.data?.dlvVersion)}`);
    }
    if (options.verbose) {
      for (const e of check.evidence) lines.push(`        ${e.label}: ${e.value.replace(/\n/g, '\n          ')}`);
      for (const s of check.sources ?? []) lines.push(`        source: ${s}`);
    }
  }
  const c = report.counts;
  lines.push(
    '',
    `${c.pass} passed, ${c.warn} warnings, ${c.fail} failed, ${c.error} errors, ${c.skip} skipped in ${report.durationMs} ms.`,
  );
  return lines.join('\n') + '\n';
}

export function formatJson(report: DoctorReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

function fence(text: string): string {
  const ticks = text.includes('```') ? '````' : '```';
  return `${ticks}\n${text}\n${ticks}`;
}

export function formatMarkdown(report: DoctorReport): string {
  const out: string[] = [
    `# Go Debug Doctor report`,
    '',
    `Go Debug Doctor ${report.tool.version} on ${report.platform}/${report.arch}, ${report.generatedAt}${report.workspace ? `, workspace \`${report.workspace}\`` : ''}.`,
    '',
    '| | Check | Result |',
    '| --- | --- | --- |',
    ...report.checks.map((c) => `| ${WORD[c.status]} | ${mdEscape(c.title)} | ${mdEscape(c.summary)} |`),
    '',
  ];
  for (const c of report.checks.filter((x) => x.detail || x.fixes.length || x.evidence.length)) {
    out.push(`## ${WORD[c.status]}: ${c.title}`, '', c.summary, '');
    if (c.detail) out.push(c.detail, '');
    for (const f of c.fixes) out.push(`- Fix: ${f.label}`, ...(f.command ? ['', fence(f.command), ''] : []));
    for (const e of c.evidence) out.push(`<details><summary>${mdEscape(e.label)}</summary>`, '', fence(e.value), '', '</details>', '');
    for (const s of c.sources ?? []) out.push(`- Source: ${s}`);
    out.push('');
  }
  return out.join('\n');
}

/** The CLI's own command for an install fix (the extension runs it as a click instead). */
export function installDlvCommand(version: string | undefined): string {
  return `go-debug-doctor install-dlv ${version ? `--version v${version}` : '--recommended'}`;
}
