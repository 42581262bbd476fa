import type { Facts } from '../facts/facts';
import { MODULE_SOURCES, moduleSettingsFindings } from '../install/moduleSettings';
import type { Check, Fix } from './types';

/** Can tools be installed at all? The settings `go install` downloads dlv and gopls with. */
export const moduleSettingsCheck: Check<Facts> = {
  id: 'env.modules',
  title: 'Module downloads (for installing dlv and gopls)',
  requires: ['tools.go'],
  async run(facts) {
    const env = (await facts.goEnv())?.value;
    if (!env) return { status: 'skip', summary: 'Skipped: `go env -json` gave no answer (see the Go environment row).' };
    const shown = ['GOPROXY', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOINSECURE', 'GOSUMDB', 'GOFLAGS', 'GO111MODULE'] as const;
    const evidence = [{ label: 'go env', value: shown.map((k) => `${k}=${env[k] ?? ''}`).join('\n') }];
    const findings = moduleSettingsFindings(env);
    if (!findings.length) {
      return {
        status: 'pass',
        summary: `Modules come from ${env.GOPROXY || 'the default proxy'}; nothing stops \`go install\` from fetching dlv or gopls.`,
        evidence,
        sources: MODULE_SOURCES,
      };
    }
    const worst = findings.some((f) => f.severity === 'fail') ? 'fail' : 'warn';
    const ordered = [...findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'fail' ? -1 : 1));
    const fixes: Fix[] = ordered.filter((f) => f.fix).map((f) => ({ label: `Fix ${f.variable}`, command: f.fix! }));
    return {
      status: worst,
      summary: ordered[0]!.message,
      ...(ordered.length > 1
        ? {
            detail: ordered
              .slice(1)
              .map((f) => f.message)
              .join('\n'),
          }
        : {}),
      evidence,
      fixes,
      sources: MODULE_SOURCES,
    };
  },
};
