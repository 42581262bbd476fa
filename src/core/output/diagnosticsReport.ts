import type { CheckResult, CheckStatus } from '../checks/types';
import type { DoctorReport, ProbeSummary } from '../checks/doctor';
import { redactHome } from '../probes/recording';

const WORD: Record<CheckStatus, string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP', error: 'ERROR' };

export interface ReportContext {
  /** Shown as ~ everywhere. */
  home: string;
  /** Shown as <user> everywhere (paths, group lists, settings). */
  user?: string;
  /** Where the report comes from: VS Code and Go extension versions, for example. */
  environment?: Record<string, string>;
  /** Rows that are not part of the doctor's run (the last debug self-test). */
  extraChecks?: CheckResult[];
  /** Commands run outside the doctor's run (the self-test's go build, dlv dap, gopls serve). */
  extraProbes?: ProbeSummary[];
}

function fence(text: string): string {
  const ticks = text.includes('```') ? '````' : '```';
  return `${ticks}\n${text}\n${ticks}`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The Markdown a user pastes into a bug report: versions, every check with its evidence, every
 * command run and what it printed. The home folder and the user name are replaced before anything
 * is shown; the first line asks the user to read it once more anyway.
 */
export function formatDiagnosticsReport(report: DoctorReport, context: ReportContext): string {
  const checks = [...report.checks, ...(context.extraChecks ?? [])];
  const version = (id: string) => checks.find((c) => c.id === id)?.summary ?? 'not checked';
  const out: string[] = [
    '<!-- Please read this report before you share it: your home folder and user name were replaced, but paths and settings may still say more than you want. -->',
    '# Go Debug Doctor diagnostics',
    '',
    `- Go Debug Doctor ${report.tool.version} on ${report.platform}/${report.arch}, ${report.generatedAt} (checks took ${report.durationMs} ms)`,
    ...Object.entries(context.environment ?? {}).map(([k, v]) => `- ${k}: ${v}`),
    ...(report.workspace ? [`- Workspace: \`${report.workspace}\``] : []),
    `- Go: ${version('tools.go')}`,
    `- Delve: ${version('tools.dlv')}`,
    `- gopls: ${version('tools.gopls')}`,
    `- Go extension: ${version('tools.goExtension')}`,
    '',
    '| Result | Check | Summary |',
    '| --- | --- | --- |',
    ...checks.map((c) => `| ${WORD[c.status]} | ${cell(c.title)} | ${cell(c.summary)} |`),
    '',
    '## Checks',
    '',
  ];
  for (const c of checks) {
    out.push(`### ${WORD[c.status]}: ${c.title} (\`${c.id}\`, ${c.durationMs} ms)`, '', c.summary, '');
    if (c.detail) out.push(fence(c.detail), '');
    for (const f of c.fixes) out.push(`- Fix: ${f.label}${f.command ? ` — \`${f.command}\`` : ''}`);
    for (const s of c.sources ?? []) out.push(`- Source: ${s}`);
    if (c.fixes.length || c.sources?.length) out.push('');
    for (const e of c.evidence) out.push(`<details><summary>${cell(e.label)}</summary>`, '', fence(e.value), '', '</details>', '');
  }
  out.push('## Commands run', '');
  for (const p of [...report.probes, ...(context.extraProbes ?? [])]) {
    out.push(
      `<details><summary><code>${cell(p.argv.join(' '))}</code>: ${p.outcome}${p.exitCode !== null && p.exitCode !== 0 ? ` (exit ${p.exitCode})` : ''}, ${p.durationMs} ms</summary>`,
      '',
      fence(p.output ?? '(output not kept)'),
      '',
      '</details>',
      '',
    );
  }
  return redact(out.join('\n'), context);
}

function redact(text: string, context: ReportContext): string {
  let result = redactHome(text, context.home);
  // A short or common name would also hit ordinary words; such names are left as they are.
  const user = context.user;
  if (user && user.length >= 3 && !['root', 'user', 'admin', 'runner'].includes(user)) {
    result = result.replace(new RegExp(`(?<![A-Za-z0-9])${user.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`, 'g'), '<user>');
  }
  return result;
}
