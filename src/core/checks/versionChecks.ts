import type { Facts, Parsed } from '../facts/facts';
import type { ToolLocation } from '../facts/discovery';
import {
  buildGoFor,
  delveSupportsGo,
  findDelveRelease,
  findProfile,
  goplsReleases,
  goRelease,
  goplsSupportsGo,
  newestDelve,
  newestGo,
  newestGopls,
  recommendedDelve,
  knowledgeAsOf,
  newerThanData,
  recommendedProfile,
  DWARF5_GO,
  DWARF5_SOURCE,
  REFRESH_HINT,
  type DelveRelease,
} from '../knowledge';
import { delveReleaseFromModuleCache, goplsFromModuleCache, type CachedGopls } from '../knowledge/fromModuleCache';
import { shellQuote } from '../probes/display';
import { goInstallArgs, type InstallableTool } from '../knowledge/tools';
import { compareGo, compareGoMinor, formatGoVersion, goMinor, parseGoVersion } from '../facts/versions';
import { moduleSettingsCheck } from './moduleCheck';
import { probeEvidence, type Check, type CheckOutcome, type Evidence, type Fix } from './types';

const cachedDelve = new WeakMap<Facts, Promise<DelveRelease | undefined>>();
const cachedGopls = new WeakMap<Facts, Promise<CachedGopls | undefined>>();

/** A dlv newer than our data: its own compat.go and go.mod, from the module cache `go env` names (never downloaded). */
function dlvReleaseFromCache(facts: Facts, version: string): Promise<DelveRelease | undefined> {
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

/** For a check that compares versions one of which is unknown; that tool's own row says why. */
function skipUnknown(tool: string, found: boolean): CheckOutcome {
  return {
    status: 'skip',
    summary: found ? `Skipped: the version of ${tool} could not be read (see its row).` : `Skipped: ${tool} was not found.`,
  };
}

function locationEvidence(location: ToolLocation): Evidence[] {
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
function probeProblem(tool: string, parsed: Parsed<unknown>, location: ToolLocation): CheckOutcome | undefined {
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

function installFix(label: string, tool: InstallableTool, version: string, env?: string): Fix {
  return { label, command: `${env ? `${env} ` : ''}${shellQuote(goInstallArgs(tool, version))}` };
}

export const goCheck: Check<Facts> = {
  id: 'tools.go',
  title: 'Go toolchain',
  async run(facts) {
    const location = await facts.goLocation();
    if (!location.found) {
      return {
        status: 'fail',
        summary: 'go was not found where the Go extension looks (go.alternateTools, GOBIN, GOROOT/bin, PATH, /usr/local/go/bin).',
        evidence: [{ label: 'searched', value: location.searched.join('\n') }],
        fixes: [{ label: 'Install Go from https://go.dev/dl/ (or `brew install go`) and restart VS Code', url: 'https://go.dev/dl/' }],
      };
    }
    const parsed = (await facts.goVersion())!;
    const problem = probeProblem('go', parsed, location);
    if (problem) return problem;
    const v = parsed.value!.version;
    const evidence = [...locationEvidence(location), probeEvidence(parsed.probe)];
    const release = goRelease(v);
    const newest = newestGo();
    let summary = `${formatGoVersion(v)} (${parsed.value!.goos}/${parsed.value!.goarch}) at ${location.found.path}.`;
    let status: CheckOutcome['status'] = location.ignoredAlternate ? 'warn' : 'pass';
    const sources: string[] = [];
    if (release?.latestPatch && v.patch !== undefined && compareGo(v, parseGoVersion(release.latestPatch)!) < 0) {
      summary += ` go${release.latestPatch} has newer fixes for Go ${goMinor(v)}.`;
      sources.push('golang/website internal/history/release.go (Go release history)');
    }
    if (compareGoMinor(v, { major: newest.major, minor: newest.minor - 1 }) < 0) {
      status = 'warn';
      summary = `${formatGoVersion(v)} at ${location.found.path} no longer gets security fixes: the Go team supports only the two newest releases (${newest.major}.${newest.minor - 1} and ${newest.major}.${newest.minor}).`;
      sources.push('https://go.dev/doc/devel/release#policy');
    }
    if (location.ignoredAlternate)
      summary += ` The go.alternateTools entry ${location.ignoredAlternate} does not exist, so the Go extension ignores it.`;
    return { status, summary, evidence, ...(sources.length ? { sources } : {}) };
  },
};

export const goEnvCheck: Check<Facts> = {
  id: 'env.go',
  title: 'Go environment',
  requires: ['tools.go'],
  async run(facts) {
    const env = await facts.goEnv();
    if (!env?.value) {
      return { status: 'fail', summary: '`go env -json` did not give a usable answer.', evidence: env ? [probeEvidence(env.probe)] : [] };
    }
    const e = env.value;
    const paths = await facts.goPaths();
    const evidence: Evidence[] = [
      {
        label: 'go env',
        value: ['GOOS', 'GOARCH', 'GOHOSTOS', 'GOHOSTARCH', 'GOROOT', 'GOPATH', 'GOBIN', 'GOFLAGS', 'GOTOOLCHAIN', 'CGO_ENABLED']
          .map((k) => `${k}=${e[k as keyof typeof e] ?? ''}`)
          .join('\n'),
      },
    ];
    const problems: string[] = [];
    const fixes: Fix[] = [];
    if (e.GOOS && e.GOHOSTOS && e.GOOS !== e.GOHOSTOS) {
      problems.push(`GOOS=${e.GOOS} but this machine is ${e.GOHOSTOS}: dlv would build a program it cannot run.`);
      fixes.push({ label: 'Unset GOOS for debugging (remove it from your shell profile or go.toolsEnvVars)', command: 'go env -u GOOS' });
    }
    if (e.GOARCH && e.GOHOSTARCH && e.GOARCH !== e.GOHOSTARCH) {
      problems.push(`GOARCH=${e.GOARCH} but the go command runs as ${e.GOHOSTARCH}: dlv would build a program for another CPU.`);
      fixes.push({ label: 'Unset GOARCH for debugging', command: 'go env -u GOARCH' });
    }
    const flags = e.GOFLAGS ?? '';
    const warnings: string[] = [];
    if (/(^|\s)-trimpath(\s|=|$)/.test(flags))
      warnings.push('GOFLAGS has -trimpath, so breakpoints set on your files will not bind unless substitutePath maps the trimmed paths.');
    if (/-ldflags=\S*-[sw]\b/.test(flags))
      warnings.push('GOFLAGS strips debug information (-ldflags -s/-w), which leaves dlv nothing to read.');
    const pathNote = `GOPATH ${paths.gopath.join(paths.gopath.length > 1 ? ', ' : '')} (${paths.origin.GOPATH})${paths.gobin.length ? `, GOBIN ${paths.gobin.join(', ')} (${paths.origin.GOBIN})` : ''}`;
    evidence.push({ label: 'tool folders as the Go extension sees them', value: pathNote });
    if (e.GOPATH && paths.gopath.join(':') !== e.GOPATH.split(/[:;]/).filter(Boolean).join(':')) {
      warnings.push(
        `go env says GOPATH=${e.GOPATH}, but the environment VS Code sees gives ${paths.gopath.join(':')}; tools installed by one may be invisible to the other.`,
      );
    }
    if (problems.length)
      return {
        status: 'fail',
        summary: problems[0]!,
        detail: [...problems.slice(1), ...warnings].join('\n') || undefined,
        evidence,
        fixes,
      };
    if (warnings.length) return { status: 'warn', summary: warnings[0]!, detail: warnings.slice(1).join('\n') || undefined, evidence };
    return {
      status: 'pass',
      summary: `Builds for ${e.GOOS}/${e.GOARCH} on this machine; nothing in GOFLAGS gets in the way of debugging.`,
      evidence,
    };
  },
};

/** A check that would say something false about an untrusted folder says this instead. */
const UNTRUSTED = (what: string): CheckOutcome => ({
  status: 'skip',
  summary: `Trust the folder to check ${what} you trust it.`,
});

export const workspaceGoCheck: Check<Facts> = {
  id: 'workspace.go',
  title: 'Go that builds the program',
  requires: ['tools.go'],
  async run(facts) {
    if (!facts.trusted) return UNTRUSTED('which Go builds it: its go.mod and go.work are not read before');
    const [effective, module] = await Promise.all([facts.effectiveGo(), facts.workspaceModule()]);
    if (!effective) return { status: 'error', summary: 'The local Go version is unknown.' };
    const evidence: Evidence[] = [];
    if (module) {
      const f = module.facts;
      evidence.push({
        label: module.file,
        value:
          [
            f.module ? `module ${f.module}` : undefined,
            f.goRaw ? `go ${f.goRaw}` : undefined,
            f.toolchainRaw ? `toolchain ${f.toolchainRaw}` : undefined,
          ]
            .filter(Boolean)
            .join('\n') || '(no go or toolchain line)',
      });
    }
    evidence.push({ label: 'GOTOOLCHAIN', value: effective.gotoolchain });
    if (effective.blocked) {
      return {
        status: 'fail',
        summary: `${effective.reason} The go command will refuse to build, and so will dlv.`,
        detail: effective.blocked,
        evidence,
        fixes: [
          { label: `Install Go ${formatGoVersion(effective.version)} or newer`, url: 'https://go.dev/dl/' },
          { label: 'Or let the go command fetch the toolchain go.mod asks for', command: 'go env -w GOTOOLCHAIN=auto' },
        ],
        sources: ['https://go.dev/doc/toolchain'],
      };
    }
    return {
      status: 'pass',
      summary: `Programs here are built with ${formatGoVersion(effective.version)}: ${effective.reason}`,
      evidence,
      sources: ['https://go.dev/doc/toolchain'],
    };
  },
};

async function recommendedDlvFix(facts: Facts): Promise<{ fix: Fix; version: string } | undefined> {
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
async function dlvFixes(facts: Facts): Promise<Fix[]> {
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

export const goExtensionCheck: Check<Facts> = {
  id: 'tools.goExtension',
  title: 'Go extension for VS Code',
  async run(facts) {
    const ext = await facts.goExtension();
    // VS Code switches the Go extension off in Restricted Mode: "not found" would be false.
    if (!ext && !facts.trusted) return UNTRUSTED('the Go extension: VS Code keeps it off in Restricted Mode until');
    if (!ext) {
      return {
        status: 'warn',
        summary: 'The Go extension (golang.go) was not found; VS Code needs it to debug Go.',
        fixes: [{ label: 'Install the Go extension', command: 'code --install-extension golang.go' }],
      };
    }
    return { status: 'pass', summary: `Go extension ${ext.version}${ext.path ? ` at ${ext.path}` : ''}.` };
  },
};

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
    const note = cached ? FROM_CACHE_NOTE(`Delve ${version}`, cached.source) : undefined;
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

export const versionChecks: readonly Check<Facts>[] = [
  goCheck,
  goEnvCheck,
  moduleSettingsCheck,
  workspaceGoCheck,
  dlvCheck,
  goplsCheck,
  goExtensionCheck,
  delveGoCheck,
  dwarf5Check,
  goplsGoCheck,
  profileCheck,
];
