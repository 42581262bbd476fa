// What every tool row says alike: a tool not found, not running, unreadable, or not to be judged untrusted.
import type { Parsed } from '../facts/facts';
import type { ToolLocation } from '../facts/discovery';
import { shellQuote } from '../probes/display';
import { goInstallArgs, type InstallableTool } from '../knowledge/tools';
import { probeEvidence, type CheckOutcome, type Evidence, type Fix } from './types';

/** For a check that compares versions one of which is unknown; that tool's own row says why. */
export function skipUnknown(tool: string, found: boolean): CheckOutcome {
  return {
    status: 'skip',
    summary: found ? `Skipped: the version of ${tool} could not be read (see its row).` : `Skipped: ${tool} was not found.`,
  };
}

export function locationEvidence(location: ToolLocation): Evidence[] {
  const evidence: Evidence[] = [];
  if (location.found) evidence.push({ label: 'found', value: `${location.found.path} (from ${location.found.source})` });
  const others = location.candidates.slice(1);
  if (others.length) evidence.push({ label: 'also found (not used)', value: others.map((c) => `${c.path} (${c.source})`).join('\n') });
  if (location.ignoredAlternate)
    evidence.push({ label: 'ignored go.alternateTools entry', value: `${location.ignoredAlternate} does not exist or is not executable` });
  if (location.skipped?.length) evidence.push({ label: 'not searched (safety)', value: location.skipped.join('\n') });
  return evidence;
}

/** A missing tool, a probe that did not run, or output we did not understand. */
export function probeProblem(tool: string, parsed: Parsed<unknown>, location: ToolLocation): CheckOutcome | undefined {
  const { probe } = parsed;
  const where = location.found!.path;
  const evidence = [...locationEvidence(location), probeEvidence(probe)];
  if (probe.outcome === 'timeout') {
    return {
      status: 'fail',
      summary: `${tool} at ${where} did not answer within ${probe.durationMs} ms and was stopped.`,
      detail:
        'A hung tool is often a binary blocked by a security prompt or a broken install; run the command in a terminal to see what it waits for.',
      evidence,
    };
  }
  if (probe.outcome !== 'ok') {
    return {
      status: 'fail',
      summary: `${tool} at ${where} does not run: ${probe.outcome === 'exit' ? `it exited with status ${probe.exitCode}` : probe.error}.`,
      evidence,
    };
  }
  if (parsed.value === undefined) {
    return {
      status: 'fail',
      summary: `${tool} at ${where} ran but printed something we do not recognise as its version.`,
      detail: 'The file may not be the real tool (a wrapper script or another program with the same name).',
      evidence,
    };
  }
  return undefined;
}

export function installFix(label: string, tool: InstallableTool, version: string, env?: string): Fix {
  return { label, command: `${env ? `${env} ` : ''}${shellQuote(goInstallArgs(tool, version))}` };
}

/** A check that would say something false about an untrusted folder says this instead. */
export const UNTRUSTED = (what: string): CheckOutcome => ({
  status: 'skip',
  summary: `Trust the folder to check ${what} you trust it.`,
});
