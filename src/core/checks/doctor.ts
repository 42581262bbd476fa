import { runChecks } from './engine';
import { countStatuses, type CheckResult, type CheckStatus } from './types';
import type { DoctorOptions } from '../facts/facts';
import { ObservedHost } from '../probes/host';
import { monotonicMs } from '../probes/clock';
import type { ProbeRecord } from '../probes/probeRecord';
import { TOOL } from '../output/tool';
import { Session } from '../session/session';

export interface ProbeSummary {
  argv: string[];
  outcome: string;
  exitCode: number | null;
  durationMs: number;
  /** What it printed (both streams, cut at 4000 characters); only with `probeOutput`. */
  output?: string;
}

/** Stable JSON shape (documented in docs/json-output.md); bump schemaVersion on breaking changes. */
export interface DoctorReport {
  schemaVersion: 1;
  tool: { name: string; version: string };
  generatedAt: string;
  durationMs: number;
  platform: string;
  arch: string;
  workspace?: string;
  counts: Record<CheckStatus, number>;
  checks: CheckResult[];
  probes: ProbeSummary[];
}

const MAX_PROBE_OUTPUT = 4000;

function probeOutput(p: { stdout: string; stderr: string; error?: string }): string {
  const text = [p.stdout.trim(), p.stderr.trim(), p.error ?? ''].filter(Boolean).join('\n');
  return text.length > MAX_PROBE_OUTPUT
    ? `${text.slice(0, MAX_PROBE_OUTPUT)}\n… (${text.length - MAX_PROBE_OUTPUT} more characters)`
    : text;
}

export interface DoctorRunOptions {
  /** Keep what each command printed, for the diagnostics report. */
  probeOutput?: boolean;
}

/** Runs every check in a session (or, for tests and scripts, on options a session is made from). */
export async function runDoctor(input: Session | (DoctorOptions & DoctorRunOptions), run: DoctorRunOptions = {}): Promise<DoctorReport> {
  const started = monotonicMs();
  const given = input instanceof Session ? input : sessionOf(input);
  const probeOutputs = run.probeOutput ?? (input instanceof Session ? false : input.probeOutput === true);
  const host = new ObservedHost(given.host);
  const session = given.withHost(host);
  const options = session.options;
  await session.facts.startVersionProbes();
  // Loaded while the probes run: the checks and their knowledge are most of the code a run needs.
  const { allChecks } = await import('./allChecks');
  const checks = await runChecks(allChecks, session.facts, { platform: host.platform });
  const counts = countStatuses(checks);
  return {
    schemaVersion: 1,
    tool: { ...TOOL },
    generatedAt: new Date().toISOString(),
    durationMs: Math.round(monotonicMs() - started),
    platform: host.platform,
    arch: host.arch,
    ...(options.workspace ? { workspace: options.workspace } : {}),
    counts,
    checks,
    probes: summarizeProbes(host.probes, probeOutputs),
  };
}

/** The report's command list: argv, outcome, time and (with withOutput) what each printed. */
export function summarizeProbes(probes: readonly ProbeRecord[], withOutput: boolean): ProbeSummary[] {
  return probes.map((p) => ({
    argv: p.argv,
    outcome: p.outcome,
    exitCode: p.exitCode,
    durationMs: p.durationMs,
    ...(withOutput ? { output: probeOutput(p) } : {}),
  }));
}

function sessionOf({ host, probeOutput: _probeOutput, ...init }: DoctorOptions & DoctorRunOptions): Session {
  return new Session(host, init);
}

/** fail and error both mean "not known to work". */
export function reportFailed(report: DoctorReport): boolean {
  return report.counts.fail + report.counts.error > 0;
}
