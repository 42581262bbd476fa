import type { Facts } from '../facts/facts';
import { delveMacOSIssuesFor, goRelease, recommendedDelve } from '../knowledge';
import { macFactsOf } from '../facts/macFacts';
import { compareMacOS } from '../facts/macParsers';
import { goMinor } from '../facts/versions';
import { goInstallArgs } from '../knowledge/tools';
import { shellQuote } from '../probes/display';
import { probeEvidence, type Check } from './types';
import { MAC } from './macOnly';

export const macOSVersionCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.os',
  title: 'macOS version',
  async run(facts) {
    const [sw, effective, dlv] = await Promise.all([macFactsOf(facts).productVersion(), facts.effectiveGo(), facts.dlvVersion()]);
    const evidence = [probeEvidence(sw.probe)];
    const version = sw.value;
    if (!version) return { status: 'warn', summary: '`sw_vers -productVersion` printed something unrecognised.', evidence };
    const release = effective ? goRelease(effective.version) : undefined;
    if (effective && release && compareMacOS(version, release.minMacOS) < 0) {
      return {
        status: 'fail',
        summary: `Go ${goMinor(effective.version)} needs macOS ${release.minMacOS} ${release.macOSName} or newer; this Mac runs macOS ${version}.`,
        evidence,
        fixes: [
          {
            label: `Update macOS, or use an older Go whose release notes still list macOS ${version}`,
            url: 'https://go.dev/doc/devel/release',
          },
        ],
        sources: [release.macOSSource],
      };
    }
    const issues = dlv?.value ? delveMacOSIssuesFor(dlv.value.version, version) : [];
    if (issues.length) {
      const first = issues[0]!;
      const rec = effective ? recommendedDelve(effective.version) : undefined;
      return {
        status: 'warn',
        summary: `Delve ${dlv!.value!.version} has a known problem on macOS ${version}: ${first.summary}`,
        detail:
          issues
            .slice(1)
            .map((i) => i.summary)
            .join('\n') || undefined,
        evidence,
        fixes: rec
          ? [
              {
                label: `Install Delve ${rec.version}${first.fixedIn ? ` (fixed in ${first.fixedIn})` : ''}`,
                command: shellQuote(goInstallArgs('dlv', rec.version)),
                action: 'installDlv',
                data: { dlvVersion: rec.version },
              },
            ]
          : [],
        sources: issues.map((i) => i.source),
      };
    }
    return {
      status: 'pass',
      summary: `macOS ${version}${release && effective ? `; Go ${goMinor(effective.version)} runs on macOS ${release.minMacOS} and newer` : ''}${dlv?.value ? `; no known Delve ${dlv.value.version} problem on it` : ''}.`,
      evidence,
      ...(release ? { sources: [release.macOSSource] } : {}),
    };
  },
};
