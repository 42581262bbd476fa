import type { ActionData, SafeActionId } from '../actions/safeActions';
import type { ProbeRecord } from '../probes/probeRecord';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip' | 'error';

export type { SafeActionId } from '../actions/safeActions';

export interface Fix {
  label: string;
  /** A command to copy and run by hand (privileged or outside our reach); never run for the user. */
  command?: string;
  /** A safe action the extension or CLI offers to run after asking. */
  action?: SafeActionId;
  /** What the action needs to do exactly what the label says ("Install Delve 1.27.2" installs 1.27.2). */
  data?: ActionData;
  url?: string;
}

export interface Evidence {
  label: string;
  value: string;
}

/** The one result type behind the status bar, the panel, the CLI's text/JSON/Markdown and the report. */
export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** One sentence. */
  summary: string;
  detail?: string;
  evidence: Evidence[];
  fixes: Fix[];
  /** Where the knowledge behind the verdict comes from. */
  sources?: string[];
  /** false: a check for another operating system, skipped here (the Mac checks on Linux). */
  applies?: false;
  durationMs: number;
}

/** How many results have each status: the one count behind the report, the panel and the status bar. */
export function countStatuses(checks: readonly CheckResult[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const c of checks) counts[c.status]++;
  return counts;
}

export type CheckOutcome = Omit<CheckResult, 'id' | 'title' | 'durationMs' | 'evidence' | 'fixes'> & {
  evidence?: Evidence[];
  fixes?: Fix[];
};

export interface Check<Ctx> {
  id: string;
  title: string;
  /** Checks whose success this one needs; if one of them does not pass or warn, this one is skipped. */
  requires?: string[];
  /** Only on these operating systems (process.platform names); skipped elsewhere. Default: all. */
  platforms?: readonly NodeJS.Platform[];
  run(ctx: Ctx): Promise<CheckOutcome>;
}

export function probeEvidence(probe: ProbeRecord, maxChars = 600): Evidence {
  const out = (probe.stdout + (probe.stderr ? `\n${probe.stderr}` : '')).trim();
  const shown = out.length > maxChars ? `${out.slice(0, maxChars)}…` : out;
  const how = probe.outcome === 'ok' ? 'exit 0' : probe.outcome === 'exit' ? `exit ${probe.exitCode}` : (probe.error ?? probe.outcome);
  return { label: `$ ${probe.argv.join(' ')}`, value: `${how}${shown ? `\n${shown}` : ''}` };
}
