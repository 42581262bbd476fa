import type { CheckResult, Fix } from '../checks/types';
import { firstLine, shellQuote } from '../probes/display';
import { goInstallArgs } from '../knowledge/tools';
import { LC_UUID_SOURCES } from '../knowledge';
import type { Facts } from '../facts/facts';
import type { GoplsHandshakeResult } from '../lsp/handshakeTypes';
import type { SelfTestOptions, SelfTestResult } from './selftest';

export const SELFTEST_CHECK = { id: 'selftest', title: 'Debug self-test' } as const;

/** What the self-test needs from the doctor's facts: the go and dlv the Go extension would run, and the workspace's go directives. */
export async function selfTestInputs(
  facts: Facts,
): Promise<Pick<SelfTestOptions, 'go' | 'dlv' | 'goLine' | 'toolchainLine'> | { missing: string }> {
  const [go, dlv, module] = await Promise.all([facts.goLocation(), facts.dlvLocation(), facts.workspaceModule()]);
  if (!go.found) return { missing: 'go was not found, so nothing can be built' };
  if (!dlv.found) return { missing: 'dlv was not found' };
  return {
    go: go.found.path,
    dlv: dlv.found.path,
    ...(module?.facts.goRaw ? { goLine: module.facts.goRaw } : {}),
    ...(module?.facts.toolchainRaw ? { toolchainLine: module.facts.toolchainRaw } : {}),
  };
}

/** The self-test as one row of the doctor's result type (panel, status bar, reports). */
export function selfTestCheck(result: SelfTestResult): CheckResult {
  const base = { ...SELFTEST_CHECK, durationMs: result.durationMs };
  const evidence = [
    { label: 'dlv', value: result.dlv },
    { label: 'go', value: result.go },
    ...(result.backend ? [{ label: 'backend', value: result.backend }] : []),
    {
      label: 'steps',
      value: result.steps.map((s) => `${s.ok ? '✓' : '✗'} ${s.id} ${s.durationMs} ms${s.detail ? `  ${s.detail}` : ''}`).join('\n'),
    },
  ];
  if (result.outcome === 'pass') {
    const read = Object.entries(result.values)
      .filter(([k]) => k !== 'long')
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ');
    const summary = `A real debug session works: dlv stopped at the breakpoint, listed ${result.goroutines ?? 0} goroutines and read ${read}.`;
    if (result.debuggeeWithoutUuid) {
      return {
        ...base,
        status: 'warn',
        evidence,
        summary: `${summary} But the program has no LC_UUID load command (its Go is older than 1.24), so macOS 26 will refuse to start it.`,
        fixes: [{ label: 'Build with Go 1.24 or newer before upgrading to macOS 26 (raise the go or toolchain line in go.mod)' }],
        sources: LC_UUID_SOURCES,
      };
    }
    return { ...base, status: 'pass', evidence, summary, fixes: [] };
  }
  if (result.outcome === 'cancelled') {
    return { ...base, status: 'skip', summary: 'The self-test was cancelled.', evidence, fixes: [] };
  }
  const failure = result.failure!;
  const first = failure.diagnoses[0];
  const fixes: Fix[] = failure.diagnoses.map((d) => ({
    label: d.fix,
    ...(d.fixCommand ? { command: d.fixCommand } : {}),
    ...(d.action ? { action: d.action } : {}),
  }));
  return {
    ...base,
    status: 'fail',
    summary: `Debugging fails at "${failure.step}": ${first?.cause ?? firstLine(failure.message)}`,
    detail: failure.message,
    evidence,
    fixes,
    ...(failure.diagnoses.some((d) => d.source) ? { sources: failure.diagnoses.flatMap((d) => (d.source ? [d.source] : [])) } : {}),
  };
}

export function formatSelfTest(result: SelfTestResult, color = false): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines = [`Debug self-test with dlv ${result.dlv} and go ${result.go}${result.backend ? ` (backend ${result.backend})` : ''}`];
  for (const s of result.steps) {
    lines.push(
      `  ${s.ok ? paint(32, '✓') : paint(31, '✗')} ${s.id.padEnd(18)} ${`${s.durationMs} ms`.padStart(8)}${s.detail ? `  ${firstLine(s.detail)}` : ''}`,
    );
  }
  const seconds = (result.durationMs / 1000).toFixed(1);
  if (result.outcome === 'pass') {
    lines.push(paint(32, `PASS (${seconds} s): you can debug here.`), ...Object.entries(result.values).map(([k, v]) => `  ${k} = ${v}`));
  } else if (result.outcome === 'cancelled') {
    lines.push(`CANCELLED after ${seconds} s; nothing was left behind.`);
  } else {
    const failure = result.failure!;
    lines.push(
      paint(31, `FAIL at ${failure.step} (${seconds} s):`),
      ...failure.message
        .trim()
        .split('\n')
        .slice(0, 12)
        .map((l) => `  | ${l}`),
    );
    for (const d of failure.diagnoses) {
      lines.push(`  cause: ${d.cause}`, `  fix:   ${d.fix}`);
      if (d.fixCommand) lines.push(`  run:   ${d.fixCommand}`);
      if (d.source) lines.push(`  source: ${d.source}`);
    }
  }
  if (result.folder) lines.push(`Kept: ${result.folder}`);
  return lines.join('\n') + '\n';
}

export const GOPLS_HANDSHAKE_CHECK = { id: 'selftest.gopls', title: 'gopls handshake' } as const;

/** The gopls handshake as a row: it answered, what it is, what it said about the Go in use. */
export function goplsHandshakeCheck(result: GoplsHandshakeResult, gopls: string): CheckResult {
  const base = { ...GOPLS_HANDSHAKE_CHECK, durationMs: result.durationMs };
  const evidence = [
    { label: 'gopls', value: gopls },
    {
      label: 'steps',
      value: result.steps.map((s) => `${s.ok ? '✓' : '✗'} ${s.name} ${s.ms} ms${s.detail ? `  ${s.detail}` : ''}`).join('\n'),
    },
    ...(result.messages.length
      ? [{ label: 'messages from gopls', value: result.messages.map((m) => `${m.type}: ${m.text}`).join('\n') }]
      : []),
    ...(result.stderrTail.trim() ? [{ label: 'stderr', value: result.stderrTail.trim().slice(-1500) }] : []),
  ];
  const reinstall: Fix = { label: 'Reinstall gopls with the Go you use', command: shellQuote(goInstallArgs('gopls', 'latest')) };
  if (result.outcome === 'cancelled')
    return { ...base, status: 'skip', summary: 'The gopls handshake was cancelled.', evidence, fixes: [] };
  if (result.outcome === 'not-found')
    return {
      ...base,
      status: 'warn',
      summary: `gopls was not found at ${gopls}: no completion, navigation or diagnostics.`,
      evidence,
      fixes: [reinstall],
    };
  if (result.outcome !== 'ok') {
    const how =
      result.outcome === 'timeout'
        ? `did not finish the handshake within ${result.durationMs} ms`
        : result.outcome === 'crashed'
          ? 'crashed during the handshake'
          : `failed: ${result.error ?? 'unknown error'}`;
    return {
      ...base,
      status: 'fail',
      summary: `gopls ${how}.`,
      ...(result.error ? { detail: result.error } : {}),
      evidence,
      fixes: [reinstall],
    };
  }
  const files = result.diagnostics.length;
  const what = `gopls ${result.goplsVersion ?? '(version unknown)'} answered in ${result.durationMs} ms${files ? ` and reported diagnostics for ${files} file${files === 1 ? '' : 's'}` : ''}`;
  if (result.goTooOld) {
    return {
      ...base,
      status: 'warn',
      summary: `${what}, but warns about the Go in use.`,
      detail: result.goTooOld,
      evidence,
      fixes: [{ label: 'Upgrade Go, or install the last gopls that supports your Go (gopls names it in the message above)' }],
      sources: ['golang/tools@gopls/v0.23.0: gopls/internal/util/goversion/goversion.go'],
    };
  }
  return { ...base, status: 'pass', summary: `${what}.`, evidence, fixes: [] };
}
