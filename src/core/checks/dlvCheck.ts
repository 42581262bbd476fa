import type { Facts } from '../facts/facts';
import { buildGoFor, newestDelve, recommendedDelve } from '../knowledge';
import { compareGo, formatGoVersion, parseGoVersion } from '../facts/versions';
import { probeEvidence, type Check, type Fix } from './types';
import { locationEvidence, probeProblem, installFix } from './toolOutcomes';

export async function recommendedDlvFix(facts: Facts): Promise<{ fix: Fix; version: string } | undefined> {
  const effective = await facts.effectiveGo();
  const release = effective ? recommendedDelve(effective.version) : newestDelve();
  if (!release) return undefined;
  const local = (await facts.goVersion())?.value?.version;
  const buildGo = effective ? buildGoFor(release, effective.version) : parseGoVersion(release.buildGo)!;
  const env = local && compareGo(local, buildGo) < 0 ? `GOTOOLCHAIN=${formatGoVersion(buildGo)}` : undefined;
  return {
    fix: {
      ...installFix(`Install Delve ${release.version}`, 'dlv', release.version, env),
      action: 'installDlv',
      data: { dlvVersion: release.version },
    },
    version: release.version,
  };
}

/**
 * The installer's way when no release is known to fit: pinned, verified, never overwritten by
 * "Install/Update Tools" (the CLI prints its own command for it, see output/checkReport.ts).
 */
const PINNED_DLV_FIX: Fix = {
  label: "Install a pinned, verified dlv into Go Debug Doctor's own folder",
  action: 'installDlv',
};

/** One fix per action: the recommended release (its click installs it pinned), else the picker. */
export async function dlvFixes(facts: Facts): Promise<Fix[]> {
  const rec = await recommendedDlvFix(facts);
  return rec ? [rec.fix] : [PINNED_DLV_FIX];
}

export const dlvCheck: Check<Facts> = {
  id: 'tools.dlv',
  title: 'Delve (dlv)',
  async run(facts) {
    const location = await facts.dlvLocation();
    const pinned =
      facts.pinnedDlv && location.found?.path !== facts.pinnedDlv && (await facts.host.stat(facts.pinnedDlv)).isFile
        ? facts.pinnedDlv
        : undefined;
    const usePinned: Fix | undefined = pinned
      ? {
          label: 'Point the Go extension at the pinned dlv (user settings.json)',
          command: `"go.alternateTools": { "dlv": ${JSON.stringify(pinned)} }`,
          action: 'openSettings',
        }
      : undefined;
    if (!location.found) {
      return {
        status: 'fail',
        summary: `dlv was not found where the Go extension looks for it (go.alternateTools.dlv, GOBIN, go.toolsGopath, GOPATH/bin, GOROOT/bin, PATH)${pinned ? `; the pinned dlv Go Debug Doctor installed at ${pinned} is not in use` : ''}.`,
        evidence: [{ label: 'searched', value: location.searched.join('\n') }],
        fixes: usePinned ? [usePinned] : await dlvFixes(facts),
      };
    }
    const parsed = (await facts.dlvVersion())!;
    const problem = probeProblem('dlv', parsed, location);
    if (problem) return { ...problem, fixes: await dlvFixes(facts) };
    const evidence = [...locationEvidence(location), probeEvidence(parsed.probe)];
    return {
      status: location.ignoredAlternate ? 'warn' : 'pass',
      summary: `Delve ${parsed.value!.version} at ${location.found.path}${location.ignoredAlternate ? `; the go.alternateTools entry ${location.ignoredAlternate} does not exist, so the Go extension ignores it` : ''}.`,
      ...(pinned ? { detail: `The pinned dlv Go Debug Doctor installed at ${pinned} is not the one in use.` } : {}),
      evidence,
      ...(usePinned ? { fixes: [usePinned] } : {}),
    };
  },
};
