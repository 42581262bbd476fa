import type { Facts } from '../facts/facts';
import { macFactsOf } from '../facts/macFacts';
import { probeEvidence, type Check, type Fix } from './types';
import { MAC, DELVE_INSTALL_DOC } from './macOnly';

export const devToolsCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.devtools',
  title: 'Developer mode and the _developer group',
  async run(facts) {
    const [dts, groups] = await Promise.all([macFactsOf(facts).devToolsSecurity(), macFactsOf(facts).groups()]);
    const evidence = [probeEvidence(dts.probe), probeEvidence(groups.probe)];
    const inGroup = groups.value?.includes('_developer');
    const fixes: Fix[] = [];
    const problems: string[] = [];
    if (dts.value === 'disabled') {
      problems.push(
        'developer mode is off, so macOS asks for an administrator password before each debug session, and a session started by VS Code or over SSH cannot show that prompt',
      );
      fixes.push({ label: 'Turn on developer mode (needs an administrator)', command: 'sudo /usr/sbin/DevToolsSecurity -enable' });
    }
    if (groups.value && !inGroup) {
      problems.push('you are not in the _developer group, which may debug other processes');
      fixes.push({
        label: 'Add yourself to _developer (needs an administrator; log out and in again)',
        command: 'sudo dscl . append /Groups/_developer GroupMembership $(whoami)',
      });
    }
    const sources = [DELVE_INSTALL_DOC];
    if (problems.length === 2) {
      return {
        status: 'fail',
        summary: `Debugging will stop at "stub exited while waiting for connection": ${problems.join('; and ')}.`,
        evidence,
        fixes,
        sources,
      };
    }
    if (problems.length === 1)
      return { status: 'warn', summary: `${problems[0]![0]!.toUpperCase()}${problems[0]!.slice(1)}.`, evidence, fixes, sources };
    if (dts.value === undefined || dts.value === 'unrecognised' || !groups.value) {
      return {
        status: 'warn',
        summary: `Could not tell: DevToolsSecurity ${dts.value === undefined ? 'is missing' : `said something unrecognised`}${groups.value ? '' : ' and the group list is unknown'}.`,
        evidence,
        sources,
      };
    }
    return { status: 'pass', summary: 'Developer mode is on and you are in the _developer group.', evidence, sources };
  },
};
