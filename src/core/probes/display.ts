import type { ProbeRecord } from './probeRecord';

export function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

/** A short, human description of how a probe went, for evidence and summaries. */
export function describeProbe(probe: ProbeRecord): string {
  switch (probe.outcome) {
    case 'ok':
      return `exited 0 in ${probe.durationMs} ms${probe.leftovers ? `; ${probe.leftovers}` : ''}`;
    case 'exit':
      return `exited ${probe.exitCode} in ${probe.durationMs} ms${probe.leftovers ? `; ${probe.leftovers}` : ''}`;
    default:
      return probe.error ?? probe.outcome;
  }
}

/** Renders argv so it can be pasted into a POSIX shell (for showing fixes, never for running). */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
