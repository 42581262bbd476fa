import {
  buildGoFor,
  delveSupportsGo,
  DWARF5_GO,
  findDelveRelease,
  findProfile,
  goRelease,
  namedProfiles,
  recommendedDelve,
  type DelveRelease,
} from '../knowledge';
import { compareGo, compareGoMinor, formatGoVersion, goMinor, parseGoVersion, parseModuleVersion, type GoVersion } from '../facts/versions';

/** Which dlv the user asked for. */
export type DlvRequest = { kind: 'recommended' } | { kind: 'version'; version: string } | { kind: 'profile'; profile: string };

export interface DlvInstallPlan {
  /** Module version with the leading v, as `go install` takes it. */
  version: string;
  release?: DelveRelease;
  /** One sentence: why this version. */
  why: string;
  /** The oldest Go that may build it (its go.mod, and 1.25 for DWARF 5 programs); undefined when unknown. */
  minBuildGo?: GoVersion;
  /** The GOTOOLCHAIN the build runs with. */
  gotoolchain: string;
  /** One sentence: which Go builds it. */
  toolchainNote: string;
  warnings: string[];
  sources: string[];
}

export type PlanResult = { ok: true; plan: DlvInstallPlan } | { ok: false; reason: string; alternative?: string };

export interface PlanContext {
  /** The Go that builds the workspace's programs (what dlv must debug). */
  programGo: GoVersion;
  /** The go command on this machine (what runs `go install`). */
  localGo: GoVersion;
  /** Install a pin even when it cannot debug programGo. */
  force?: boolean;
  platform?: NodeJS.Platform;
  /** The Delve backend the user's configuration asks for. */
  backend?: string;
}

/** go-delve/delve pkg/proc/native/nonative_darwin.go (build tag !macnative) and Documentation/installation/README.md. */
export const MAC_NATIVE_SOURCE =
  'go-delve/delve@3b775986 pkg/proc/native/nonative_darwin.go; Documentation/installation/README.md "Compiling macOS native backend"';

/** Chooses the Delve version and the Go that builds it, or refuses with the reason and an alternative. */
export function planDlvInstall(request: DlvRequest, ctx: PlanContext): PlanResult {
  const recommended = recommendedDelve(ctx.programGo);
  const alternative = recommended
    ? `Delve v${recommended.version} (the newest that debugs Go ${goMinor(ctx.programGo)}): go-debug-doctor install-dlv --recommended`
    : undefined;
  let version: string;
  let why: string;
  if (request.kind === 'recommended') {
    if (!recommended) return { ok: false, reason: `No Delve release in Go Debug Doctor's data debugs Go ${goMinor(ctx.programGo)}.` };
    version = recommended.version;
    why = `the newest Delve that debugs Go ${goMinor(ctx.programGo)}`;
  } else if (request.kind === 'profile') {
    const profile = findProfile(request.profile, ctx.programGo);
    if (!profile)
      return {
        ok: false,
        reason: `Unknown profile "${request.profile}" (known: recommended, ${namedProfiles.map((p) => p.id).join(', ')}).`,
      };
    version = profile.dlv;
    why = `pinned by the profile "${profile.title}"`;
  } else {
    const parsed = parseModuleVersion(request.version);
    if (!parsed) return { ok: false, reason: `"${request.version}" is not a Delve version (write it as v1.27.2 or 1.27.2).` };
    version = parsed;
    why =
      recommended && parsed.replace(/^v/, '') === recommended.version
        ? `the newest Delve that debugs Go ${goMinor(ctx.programGo)}`
        : 'the version you asked for';
  }
  version = version.replace(/^v/, '');
  const release = findDelveRelease(version);
  const warnings: string[] = [];
  const sources: string[] = [];
  // The DWARF 5 rule is judged below, for the Go that will build dlv, not here.
  const verdict = delveSupportsGo(version, ctx.programGo, DWARF5_GO);
  sources.push(...verdict.sources);
  if (verdict.verdict === 'incompatible') {
    const reason = `Delve v${version} cannot debug programs built with ${formatGoVersion(ctx.programGo)}: ${verdict.reasons[0]}${verdict.delveMessage ? ` Delve would say: "${verdict.delveMessage}".` : ''}`;
    if (!ctx.force) return { ok: false, reason, ...(alternative && recommended?.version !== version ? { alternative } : {}) };
    warnings.push(`Installed anyway (--force): ${reason}`);
  } else if (verdict.verdict === 'unknown') {
    warnings.push(`${verdict.reasons[0]} Installing it without a compatibility verdict.`);
  }

  if (ctx.platform === 'darwin' && ctx.backend === 'native') {
    warnings.push(
      'Your configuration asks for the native backend, but on macOS a `go install` build of Delve has none (it is compiled only with the macnative tag, and fails with "native backend disabled during compilation"). Use the default backend, which drives Apple\'s signed debugserver and needs no codesigning; the native backend needs Delve built from source with `make install` and a self-signed certificate.',
    );
    sources.push(MAC_NATIVE_SOURCE);
  }
  const minBuildGo = release
    ? buildGoFor(release, ctx.programGo)
    : compareGoMinor(ctx.programGo, DWARF5_GO) >= 0
      ? { ...DWARF5_GO, patch: 0 }
      : undefined;
  let gotoolchain: string;
  let toolchainNote: string;
  const local = formatGoVersion(ctx.localGo);
  if (!minBuildGo || compareGo(ctx.localGo, minBuildGo) >= 0) {
    // For a release we do not know, "auto" lets its go.mod ask for a newer Go.
    gotoolchain = release ? 'local' : 'auto';
    toolchainNote = `Built with the local ${local}${minBuildGo ? `, which satisfies the minimum ${formatGoVersion(minBuildGo)}` : ''}.`;
  } else {
    if (compareGoMinor(ctx.localGo, { major: 1, minor: 21 }) < 0) {
      return {
        ok: false,
        reason: `Delve v${version} must be built with ${formatGoVersion(minBuildGo)} or newer, and the local ${local} is too old to fetch another toolchain (that needs Go 1.21).`,
        alternative: 'Install a current Go from https://go.dev/dl/',
      };
    }
    const newestPatch = goRelease(minBuildGo)?.latestPatch;
    const patched = newestPatch ? parseGoVersion(newestPatch) : undefined;
    const chosen = patched && compareGo(patched, minBuildGo) > 0 ? patched : minBuildGo;
    gotoolchain = `${formatGoVersion(chosen)}${release ? '' : '+auto'}`;
    const needs =
      compareGoMinor(ctx.programGo, DWARF5_GO) >= 0 && compareGo(minBuildGo, { ...DWARF5_GO, patch: 0 }) === 0
        ? `Go ${goMinor(ctx.programGo)} programs use DWARF 5, which Delve reads only when built with Go 1.25 or newer`
        : `Delve v${version} needs ${formatGoVersion(minBuildGo)} to build`;
    toolchainNote = `${needs}; the local go is ${local}, so the go command fetches ${formatGoVersion(chosen)} through the module proxy (GOTOOLCHAIN=${gotoolchain}).`;
  }
  return {
    ok: true,
    plan: {
      version: `v${version}`,
      ...(release ? { release } : {}),
      why,
      ...(minBuildGo ? { minBuildGo } : {}),
      gotoolchain,
      toolchainNote,
      warnings,
      sources,
    },
  };
}
