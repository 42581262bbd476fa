import type { CheckResult } from './types';

/**
 * The checks whose failure a freshly built, pinned dlv repairs: no dlv (or one that does not run),
 * a Delve release that refuses this Go, and a dlv built with a Go too old for DWARF 5. Other
 * failures (the Mac's debugserver, developer mode, a workspace that cannot build) are not fixed by
 * installing Delve, so they never trigger the install offer.
 */
export const DELVE_READINESS_CHECKS = ['tools.dlv', 'compat.delveGo', 'compat.dwarf5'] as const;

export interface DelveBlocker {
  check: CheckResult;
  /** One sentence for a dialog: what stops debugging. */
  headline: string;
}

/** The failing readiness checks, in the order above (the first one explains best). */
export function delveBlockers(checks: readonly CheckResult[]): DelveBlocker[] {
  const blockers: DelveBlocker[] = [];
  for (const id of DELVE_READINESS_CHECKS) {
    const check = checks.find((c) => c.id === id);
    if (check?.status === 'fail') blockers.push({ check, headline: headlineOf(check) });
  }
  return blockers;
}

function headlineOf(check: CheckResult): string {
  if (check.id === 'tools.dlv' && /^dlv was not found/.test(check.summary))
    return 'Delve (dlv) is not installed where the Go extension looks.';
  // The summaries open with the verdict and give the reason after the first colon or semicolon.
  const first = check.summary.split(/: |; /, 1)[0]!.trim().replace(/\.$/, '');
  return `${first}.`;
}
