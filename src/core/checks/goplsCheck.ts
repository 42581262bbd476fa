import type { Facts } from '../facts/facts';
import { newestGopls, recommendedProfile } from '../knowledge';
import { formatGoVersion } from '../facts/versions';
import { probeEvidence, type Check } from './types';
import { locationEvidence, probeProblem, installFix } from './toolOutcomes';

async function recommendedGopls(facts: Facts): Promise<string> {
  const effective = await facts.effectiveGo();
  return (effective && recommendedProfile(effective.version)?.gopls) || newestGopls();
}

export const goplsCheck: Check<Facts> = {
  id: 'tools.gopls',
  title: 'gopls',
  async run(facts) {
    const location = await facts.goplsLocation();
    if (!location.found) {
      // Not a problem of the debug chain: no warning colour in the status bar for it.
      return {
        status: 'skip',
        summary: 'gopls was not found: debugging works without it; the Go extension installs it for editing.',
        evidence: [{ label: 'searched', value: location.searched.join('\n') }],
        fixes: [installFix('Install gopls', 'gopls', await recommendedGopls(facts))],
      };
    }
    const parsed = (await facts.goplsVersion())!;
    const problem = probeProblem('gopls', parsed, location);
    if (problem) return { ...problem, status: 'warn' };
    const v = parsed.value!;
    return {
      status: 'pass',
      summary: `gopls ${v.version}${v.goVersion ? ` (built with ${formatGoVersion(v.goVersion)})` : ''} at ${location.found.path}.`,
      evidence: [...locationEvidence(location), probeEvidence(parsed.probe)],
    };
  },
};
