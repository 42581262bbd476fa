import pkg from '../../../package.json';
import { runChecks } from './engine';
import type { CheckResult, CheckStatus } from './types';
import { macChecks } from './macChecks';
import { versionChecks } from './versionChecks';
import { Facts, type DoctorOptions } from '../facts/facts';
import { ObservedHost } from '../probes/host';

export const TOOL = { name: pkg.name, version: pkg.version } as const;

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

export const allChecks = [...versionChecks, ...macChecks];

const MAX_PROBE_OUTPUT = 4000;

function probeOutput(p: { stdout: string; stderr: string; error?: string }): string {
  const text = [p.stdout.trim(), p.stderr.trim(), p.error ?? ''].filter(Boolean).join('\n');
  return text.length > MAX_PROBE_OUTPUT ? `${text.slice(0, MAX_PROBE_OUTPUT)}\n… (${text.length - MAX_PROBE_OUTPUT} more characters)` : text;
}

/** `probeOutput`: keep what each command printed, for the diagnostics report. */
export async function runDoctor(options: DoctorOptions & { probeOutput?: boolean }): Promise<DoctorReport> {
  const started = performance.now();
  const host = new ObservedHost(options.host);
  const facts = new Facts({ ...options, host });
  const checks = await runChecks(allChecks, facts);
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const c of checks) counts[c.status]++;
  return {
    schemaVersion: 1,
    tool: { ...TOOL },
    generatedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    platform: host.platform,
    arch: host.arch,
    ...(options.workspace ? { workspace: options.workspace } : {}),
    counts,
    checks,
    probes: host.probes.map((p) => ({
      argv: p.argv, outcome: p.outcome, exitCode: p.exitCode, durationMs: p.durationMs,
      ...(options.probeOutput ? { output: probeOutput(p) } : {}),
    })),
  };
}

/** fail and error both mean "not known to work". */
export function reportFailed(report: DoctorReport): boolean {
  return report.counts.fail + report.counts.error > 0;
}
