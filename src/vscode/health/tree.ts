import type { CheckResult, CheckStatus, Fix } from '../../core/checks/types';
import { COMMAND } from '../ids';

/** The rows of the health panel, decided without VS Code (so they can be tested). */
export type Node =
  | { kind: 'check'; check: CheckResult }
  | { kind: 'section'; section: Section; label: string; checks: CheckResult[] }
  | { kind: 'fix'; check: CheckResult; fix: Fix }
  | { kind: 'group'; check: CheckResult; label: 'Evidence' | 'Sources' }
  | { kind: 'line'; label: string; description?: string; tooltip?: string; icon?: string };

export const STATUS_WORD: Record<CheckStatus, string> = {
  pass: 'passes',
  warn: 'needs a look',
  fail: 'fails',
  skip: 'skipped',
  error: 'could not be checked',
};

/** The two collapsed groups below the problems. */
export type Section = 'fine' | 'elsewhere';

const ATTENTION: Record<CheckStatus, number> = { fail: 0, error: 0, warn: 1, skip: 2, pass: 3 };

/**
 * The top level: what needs the user first (failures, then warnings, then checks skipped because
 * another failed), then one collapsed group of the passing ones and one line for the checks that
 * do not apply to this machine (the Mac checks on Linux).
 */
export function topLevel(checks: readonly CheckResult[]): Node[] {
  const elsewhere = checks.filter((c) => c.applies === false);
  const here = checks.filter((c) => c.applies !== false);
  const attention = here.filter((c) => c.status !== 'pass').sort((a, b) => ATTENTION[a.status] - ATTENTION[b.status]);
  const passing = here.filter((c) => c.status === 'pass');
  return [
    ...attention.map((check): Node => ({ kind: 'check', check })),
    ...(passing.length ? [sectionOf('fine', passing, attention.length === 0)] : []),
    ...(elsewhere.length ? [sectionOf('elsewhere', elsewhere, false)] : []),
  ];
}

function sectionOf(section: Section, checks: CheckResult[], all: boolean): Node {
  const n = checks.length;
  const label =
    section === 'fine'
      ? all
        ? `All ${n} checks pass`
        : `${n} ${n === 1 ? 'check passes' : 'checks pass'}`
      : `${n} ${n === 1 ? 'check does' : 'checks do'} not apply to this machine`;
  return { kind: 'section', section, label, checks };
}

/** The group a check sits in, if any (the tree's parent for reveal). */
export function sectionOfCheck(checks: readonly CheckResult[], id: string): Node | undefined {
  return topLevel(checks).find((n) => n.kind === 'section' && n.checks.some((c) => c.id === id));
}

/** A check expands to its detail lines, its fixes, then its evidence and sources. */
export function childrenOf(node: Node | undefined, checks: readonly CheckResult[]): Node[] {
  if (!node) return topLevel(checks);
  if (node.kind === 'section') return node.checks.map((check) => ({ kind: 'check', check }));
  if (node.kind === 'check') {
    const c = node.check;
    return [
      ...(c.detail
        ? c.detail
            .split('\n')
            .filter(Boolean)
            .map((l): Node => ({ kind: 'line', label: l, tooltip: c.detail }))
        : []),
      ...c.fixes.map((fix): Node => ({ kind: 'fix', check: c, fix })),
      ...(c.evidence.length ? [{ kind: 'group', check: c, label: 'Evidence' } as const] : []),
      ...(c.sources?.length ? [{ kind: 'group', check: c, label: 'Sources' } as const] : []),
    ];
  }
  if (node.kind === 'group' && node.label === 'Evidence') {
    return node.check.evidence.map((e) => ({
      kind: 'line',
      label: e.label,
      description: e.value.split('\n', 1)[0],
      tooltip: `${e.label}\n${e.value}`,
      icon: 'output',
    }));
  }
  if (node.kind === 'group') return (node.check.sources ?? []).map((s) => ({ kind: 'line', label: s, icon: 'book' }));
  return [];
}

/**
 * What clicking a fix does: a safe action runs (it asks first), a command is only ever copied,
 * never run for the user. The context value picks the inline button (package.json menus).
 */
export function fixBehaviour(fix: Fix): { contextValue: 'fix.action' | 'fix.command' | 'fix'; command?: { id: string; title: string } } {
  if (fix.action) return { contextValue: 'fix.action', command: { id: COMMAND.runFix, title: 'Run Fix' } };
  if (fix.command) return { contextValue: 'fix.command', command: { id: COMMAND.copyFixCommand, title: 'Copy Command' } };
  return { contextValue: 'fix' };
}
