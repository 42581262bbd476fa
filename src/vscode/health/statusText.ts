import { delveBlockers } from '../../core/checks/delveReadiness';
import { countStatuses, type CheckResult } from '../../core/checks/types';
import { COMMAND } from '../ids';

/** What the status bar item shows, decided without VS Code (so it can be tested). */
export interface StatusView {
  /** With a codicon, e.g. `$(error) Go debug: 2`. */
  text: string;
  background?: 'error' | 'warning';
  /** For screen readers. */
  label: string;
}

export interface StatusInput {
  checks: readonly CheckResult[];
  running: boolean;
  error?: string;
  checkedAt?: Date;
}

/** Quiet while all is well; a count and a colour only when something needs the user. */
export function statusView({ checks, running }: StatusInput): StatusView {
  const counts = countStatuses(checks);
  const failing = counts.fail + counts.error;
  const checked = checks.length > 0;
  const label = `Go debug health: ${failing ? `${failing} failing` : counts.warn ? `${counts.warn} warnings` : checked ? 'all checks pass' : 'not checked yet'}`;
  if (running && !checked) return { text: '$(sync~spin) Go debug', label };
  if (failing) return { text: `$(error) Go debug: ${failing}`, background: 'error', label };
  if (counts.warn) return { text: `$(warning) Go debug: ${counts.warn}`, background: 'warning', label };
  return { text: checked ? '$(pass) Go debug' : '$(circle-outline) Go debug', label };
}

/** The only commands the tooltip's links may run. */
export const TOOLTIP_COMMANDS = [COMMAND.showPanel, COMMAND.runChecks, COMMAND.setUp] as const;

/** The tooltip, as Markdown: what needs a look, each with its first fix, and two links. */
export function statusTooltip({ checks, running, error, checkedAt }: StatusInput): string {
  let md = '';
  const attention = checks.filter((c) => c.status === 'fail' || c.status === 'error' || c.status === 'warn');
  if (error) md += `**Go Debug Doctor could not finish:** ${escapeMarkdown(error)}\n\n`;
  if (!checks.length) md += running ? 'Checking the Go debugging chain…\n\n' : 'Not checked yet.\n\n';
  else if (!attention.length) md += '**Go debugging:** every check passes.\n\n';
  for (const c of attention) {
    const icon = c.status === 'warn' ? '$(warning)' : '$(error)';
    const fix = c.fixes[0];
    md += `${icon} **${escapeMarkdown(c.title)}**: ${escapeMarkdown(c.summary)}${fix ? `  \n&nbsp;&nbsp;Fix: ${escapeMarkdown(fix.label)}` : ''}\n\n`;
  }
  if (checkedAt) md += `Checked at ${checkedAt.toLocaleTimeString()}. `;
  if (delveBlockers(checks).length) md += `[Set Up Debugging](command:${COMMAND.setUp}) · `;
  md += `[Open panel](command:${COMMAND.showPanel}) · [Run again](command:${COMMAND.runChecks})`;
  return md;
}

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
