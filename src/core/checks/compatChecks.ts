import type { Facts } from '../facts/facts';
import {
  delveSupportsGo,
  findDelveRelease,
  goplsReleases,
  goplsSupportsGo,
  DWARF5_GO,
  DWARF5_SOURCE,
  type DelveRelease,
  type UnreadableModule,
} from '../knowledge';
import { delveReleaseFromModuleCache, goplsFromModuleCache, type CachedGopls } from '../knowledge/fromModuleCache';
import { compareGoMinor, formatGoVersion, goMinor } from '../facts/versions';
import type { Check } from './types';
import { skipUnknown, installFix } from './toolOutcomes';
import { recommendedDlvFix, dlvFixes } from './dlvCheck';

const cachedDelve = new WeakMap<Facts, Promise<DelveRelease | UnreadableModule | undefined>>();
const cachedGopls = new WeakMap<Facts, Promise<CachedGopls | undefined>>();

/** A dlv newer than our data: its own compat.go and go.mod, from the module cache `go env` names (never downloaded). */
function dlvReleaseFromCache(facts: Facts, version: string): Promise<DelveRelease | UnreadableModule | undefined> {
  let found = cachedDelve.get(facts);
  if (!found) {
    found = findDelveRelease(version)
      ? Promise.resolve(undefined)
      : facts.goEnv().then((env) => delveReleaseFromModuleCache(facts.host, env?.value?.GOMODCACHE, version));
    cachedDelve.set(facts, found);
  }
  return found;
}

function goplsFromCache(facts: Facts, version: string): Promise<CachedGopls | undefined> {
  let found = cachedGopls.get(facts);
  if (!found) {
    found = goplsReleases.some((r) => r.version === version)
      ? Promise.resolve(undefined)
      : facts.goEnv().then((env) => goplsFromModuleCache(facts.host, env?.value?.GOMODCACHE, version));
    cachedGopls.set(facts, found);
  }
  return found;
}

const FROM_CACHE_NOTE = (what: string, source: string) =>
  `${what} is newer than Go Debug Doctor's data, so it was judged from its own source in your Go module cache: ${source}.`;

export const delveGoCheck: Check<Facts> = {
  id: 'compat.delveGo',
  title: 'Delve supports this Go',
  requires: ['tools.dlv', 'workspace.go'],
  async run(facts) {
    const [dlv, effective] = await Promise.all([facts.dlvVersion(), facts.effectiveGo()]);
    if (!dlv?.value) return skipUnknown('dlv', dlv !== undefined);
    if (!effective) return skipUnknown('go', false);
    const version = dlv.value.version;
    const program = effective.version;
    const cached = await dlvReleaseFromCache(facts, version);
    const verdict = delveSupportsGo(version, program, undefined, cached);
    const note = cached && !('unreadable' in cached) ? FROM_CACHE_NOTE(`Delve ${version}`, cached.source) : undefined;
    const rec = await recommendedDlvFix(facts);
    if (verdict.verdict === 'unknown') {
      return { status: 'warn', summary: verdict.reasons[0]!, fixes: rec ? [rec.fix] : [] };
    }
    if (verdict.verdict === 'incompatible') {
      return {
        status: 'fail',
        summary: `Delve ${version} cannot debug programs built by ${formatGoVersion(program)}: ${verdict.reasons[0]}`,
        detail: [verdict.delveMessage ? `Delve says: ${verdict.delveMessage}` : undefined, note].filter(Boolean).join('\n') || undefined,
        fixes: rec && rec.version !== version ? [rec.fix] : [],
        sources: verdict.sources,
      };
    }
    return {
      status: 'pass',
      summary: `Delve ${version} supports ${formatGoVersion(program)}: ${verdict.reasons[0]}`,
      ...(note ? { detail: note } : {}),
      sources: verdict.sources,
    };
  },
};

export const dwarf5Check: Check<Facts> = {
  id: 'compat.dwarf5',
  title: 'dlv built with a Go that reads DWARF 5',
  requires: ['tools.dlv', 'workspace.go'],
  async run(facts) {
    const [effective, dlv] = await Promise.all([facts.effectiveGo(), facts.dlvVersion()]);
    if (!dlv?.value) return skipUnknown('dlv', dlv !== undefined);
    if (!effective) return skipUnknown('go', false);
    if (compareGoMinor(effective.version, DWARF5_GO) < 0) {
      return {
        status: 'pass',
        summary: `Not needed: ${formatGoVersion(effective.version)} writes DWARF 4, which every dlv reads.`,
        sources: [DWARF5_SOURCE],
      };
    }
    const info = await facts.dlvBuildInfo();
    const builtWith = info?.goVersion;
    const dlvVersion = dlv.value.version;
    if (!builtWith) {
      const binary = await facts.dlvBinary();
      return {
        status: 'warn',
        summary: 'Could not read which Go built dlv, so the DWARF 5 rule (dlv must be built with Go 1.25+) is unverified.',
        ...(binary?.error ? { detail: `Reading ${binary.path}: ${binary.error}` } : {}),
        sources: [DWARF5_SOURCE],
      };
    }
    const evidence = [{ label: 'the Go that built dlv', value: `${info.raw} (from ${info.via})` }];
    const verdict = delveSupportsGo(dlvVersion, effective.version, builtWith, await dlvReleaseFromCache(facts, dlvVersion));
    if (verdict.verdict === 'incompatible' && compareGoMinor(builtWith, DWARF5_GO) < 0) {
      return {
        status: 'fail',
        summary: `dlv was built with ${formatGoVersion(builtWith)}, but ${formatGoVersion(effective.version)} writes DWARF 5, which Delve reads correctly only when built with Go 1.25 or newer.`,
        detail: verdict.delveMessage ? `Delve says: ${verdict.delveMessage}` : verdict.reasons.slice(1).join(' ') || undefined,
        evidence,
        fixes: await dlvFixes(facts),
        sources: verdict.sources,
      };
    }
    return {
      status: 'pass',
      summary: `dlv was built with ${formatGoVersion(builtWith)}, which reads the DWARF 5 that ${formatGoVersion(effective.version)} writes.`,
      evidence,
      sources: [DWARF5_SOURCE],
    };
  },
};

export const goplsGoCheck: Check<Facts> = {
  id: 'compat.goplsGo',
  title: 'gopls supports this Go',
  requires: ['tools.gopls', 'workspace.go'],
  async run(facts) {
    const [gopls, effective] = await Promise.all([facts.goplsVersion(), facts.effectiveGo()]);
    if (!gopls?.value) return skipUnknown('gopls', gopls !== undefined);
    if (!effective) return skipUnknown('go', false);
    const v = gopls.value;
    if (v.devel)
      return { status: 'warn', summary: 'gopls is a development build ("(devel)"), so which Go versions it supports cannot be judged.' };
    const cached = await goplsFromCache(facts, v.version);
    const verdict = goplsSupportsGo(v.version, effective.version, v.goVersion, cached);
    if (verdict.verdict === 'incompatible') {
      const fix = verdict.alternative
        ? installFix(`Install gopls ${verdict.alternative}, the last for Go ${goMinor(effective.version)}`, 'gopls', verdict.alternative)
        : installFix('Rebuild gopls with the current Go', 'gopls', v.version);
      return { status: verdict.alternative ? 'fail' : 'warn', summary: verdict.reasons[0]!, fixes: [fix], sources: verdict.sources };
    }
    return {
      status: 'pass',
      summary: verdict.reasons[0]!,
      ...(cached ? { detail: FROM_CACHE_NOTE(`gopls ${v.version}`, cached.source) } : {}),
      sources: verdict.sources,
    };
  },
};
