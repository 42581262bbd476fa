import type { Facts } from '../facts/facts';
import { findProfile, knowledgeAsOf, newerThanData, recommendedProfile, REFRESH_HINT } from '../knowledge';
import { compareGo, formatGoVersion } from '../facts/versions';
import type { Check, Evidence } from './types';
import { skipUnknown } from './toolOutcomes';

const profileAgainstPins: Check<Facts> = {
  id: 'profile',
  title: 'Versions against the selected profile',
  requires: ['tools.go', 'workspace.go'],
  async run(facts) {
    const effective = await facts.effectiveGo();
    if (!effective) return skipUnknown('go', false);
    const custom = facts.customProfile;
    const profile =
      facts.profile === 'recommended'
        ? recommendedProfile(effective.version)
        : facts.profile === 'custom' && custom
          ? {
              id: 'custom',
              title: 'custom',
              ...custom,
              goExtension: undefined as string | undefined,
              why: 'Your own pins (setting goDebugDoctor.customProfile).',
              sources: [] as string[],
            }
          : findProfile(facts.profile);
    if (!profile) {
      return {
        status: facts.profile === 'recommended' ? 'warn' : 'error',
        summary:
          facts.profile === 'recommended'
            ? `No Delve release we know of supports ${formatGoVersion(effective.version)}.`
            : `Unknown profile "${facts.profile}".`,
      };
    }
    const [dlv, gopls, ext] = await Promise.all([facts.dlvVersion(), facts.goplsVersion(), facts.goExtension()]);
    const rows: Array<[string, string | undefined, string | undefined]> = [
      ['go', formatGoVersion(effective.version).replace(/^go/, ''), profile.go],
      ['dlv', dlv?.value?.version, profile.dlv],
      ['gopls', gopls?.value?.version, profile.gopls],
    ];
    if (profile.goExtension) rows.push(['Go extension', ext?.version, profile.goExtension]);
    const table = rows.map(([name, have, want]) => `${name}: ${have ?? 'missing'} (profile: ${want ?? 'any'})`).join('\n');
    const pinned = profile.id !== 'recommended';
    const differ = rows.filter(([, have, want]) => want && have !== want);
    const evidence: Evidence[] = [{ label: profile.title, value: table }];
    if (!differ.length) return { status: 'pass', summary: `Matches the ${profile.title} profile.`, evidence, sources: profile.sources };
    const describe = ([name, have, want]: (typeof rows)[number]) =>
      have ? `${name} ${want} (you have ${have})` : `${name} ${want} (not installed)`;
    return {
      status: pinned ? 'warn' : 'pass',
      summary: pinned
        ? `Differs from the ${profile.title} profile: ${differ.map(describe).join(', ')}.`
        : `Recommended for ${formatGoVersion(effective.version)}: ${differ.map(describe).join(', ')}.`,
      detail: profile.why,
      evidence,
      sources: profile.sources,
    };
  },
};

/** The profile row, which also says when the tools found are newer than our tables (instead of silently passing). */
export const profileCheck: Check<Facts> = {
  ...profileAgainstPins,
  async run(facts) {
    const outcome = await profileAgainstPins.run(facts);
    const [local, effective, dlv, gopls] = await Promise.all([
      facts.goVersion(),
      facts.effectiveGo(),
      facts.dlvVersion(),
      facts.goplsVersion(),
    ]);
    const go =
      effective && local?.value && compareGo(local.value.version, effective.version) > 0
        ? local.value.version
        : (effective?.version ?? local?.value?.version);
    const stale = newerThanData({ go, dlv: dlv?.value?.version, gopls: gopls?.value?.version });
    if (!stale.length || outcome.status === 'skip' || outcome.status === 'error') return outcome;
    const staleSummary = `Go Debug Doctor's data (as of ${knowledgeAsOf}) is older than this machine: ${stale.join('; ')}.`;
    const passed = outcome.status === 'pass';
    return {
      ...outcome,
      status: passed ? 'warn' : outcome.status,
      summary: passed ? staleSummary : outcome.summary,
      detail: [passed ? outcome.summary : staleSummary, REFRESH_HINT, outcome.detail].filter(Boolean).join('\n'),
      fixes: [
        ...(outcome.fixes ?? []),
        { label: 'Update Go Debug Doctor for newer data (VS Code: the Extensions view; CLI: install its newest release)' },
        { label: 'Contributors: regenerate the tables from the Go module proxy', command: 'npm run knowledge:refresh' },
      ],
    };
  },
};
