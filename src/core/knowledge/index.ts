import delveData from './delve.json';
import goData from './go.json';
import goplsData from './gopls.json';
import profileData from './profiles.json';
import type { CachedGopls } from './moduleCache';
import { compareMacOS } from '../facts/macParsers';
import {
  compareGo,
  compareGoMinor,
  compareModule,
  formatGoVersion,
  goMinor,
  isModuleVersion,
  parseGoVersion,
  satisfiesModuleRange,
  type GoVersion,
} from '../facts/versions';

export interface DelveRelease {
  version: string;
  date: string;
  goMin: string;
  goMax: string;
  buildGo: string;
  dwarf5Check: boolean;
  source: string;
}

/** A Delve module found in the module cache whose files could not be used, and why. */
export interface UnreadableModule {
  unreadable: string;
  location: string;
}

export interface MacOSKnownIssue {
  affected: string;
  macOSMin: string | null;
  macOS: string;
  summary: string;
  fixedIn: string | null;
  source: string;
}

export const delveReleases: readonly DelveRelease[] = delveData.releases;
export const delveMacOSIssues: readonly MacOSKnownIssue[] = delveData.macosKnownIssues;
export const delveDataAsOf: string = (delveData as { asOf?: string }).asOf ?? delveReleases[delveReleases.length - 1]!.date;
export const goReleases = goData.releases;
export const goDataAsOf = goData.asOf;
export const goplsReleases = goplsData.releases;
export const goplsLastForGo = goplsData.lastForGo;

/** Go 1.25 writes DWARF 5; Delve reads it correctly only when Delve itself was built with Go >= 1.25. */
export const DWARF5_GO: GoVersion = { major: 1, minor: 25 };
export const DWARF5_SOURCE =
  'golang/website _content/doc/go1.25.md "DWARF5 support"; go-delve/delve@v1.24.2 pkg/goversion/compat.go (DWARFv5 check; CHANGELOG 1.24.2, #3943 #3961)';

const must = (text: string): GoVersion => {
  const v = parseGoVersion(text);
  if (!v) throw new Error(`bad Go version in knowledge data: ${text}`);
  return v;
};

export function findDelveRelease(version: string): DelveRelease | undefined {
  return delveReleases.find((r) => r.version === version);
}

export function newestDelve(): DelveRelease {
  return delveReleases[delveReleases.length - 1]!;
}

export type Compatibility = 'compatible' | 'incompatible' | 'unknown';

export interface DelveGoVerdict {
  verdict: Compatibility;
  /** One sentence each, most important first. */
  reasons: string[];
  /** The exact text Delve prints when it refuses, where it does. */
  delveMessage?: string;
  sources: string[];
  release?: DelveRelease;
}

/**
 * Would this Delve release debug a program built by this Go? Mirrors the order of Delve's own
 * check (pkg/goversion/compat.go): minimum, maximum, then the DWARF 5 rule. `dlvBuiltWith` is the
 * Go that compiled dlv; when unknown, the DWARF 5 rule is assumed satisfied (that is how our
 * installer builds dlv) and the reason says so.
 */
export function delveSupportsGo(
  dlvVersion: string,
  program: GoVersion,
  dlvBuiltWith?: GoVersion,
  fromModuleCache?: DelveRelease | UnreadableModule,
): DelveGoVerdict {
  const unreadable = fromModuleCache && 'unreadable' in fromModuleCache ? fromModuleCache : undefined;
  const cached = fromModuleCache && !('unreadable' in fromModuleCache) ? fromModuleCache : undefined;
  const release = findDelveRelease(dlvVersion) ?? (cached?.version === dlvVersion ? cached : undefined);
  if (!release) {
    const newest = newestDelve();
    const oldest = delveReleases[0]!;
    let why: string;
    if (compareModule(dlvVersion, newest.version) > 0) {
      const where = unreadable
        ? `its source in your Go module cache cannot be used (${unreadable.unreadable}: ${unreadable.location})`
        : 'its source is not in your Go module cache';
      why = `Delve ${dlvVersion} is newer than our data (newest known: ${newest.version}, data as of ${delveDataAsOf}) and ${where}; update Go Debug Doctor to judge it.`;
    } else if (compareModule(dlvVersion, oldest.version) < 0)
      why = `Delve ${dlvVersion} is older than our data reaches (${oldest.version}); upgrade Delve.`;
    else why = `${dlvVersion} is not a Delve release we know of.`;
    return { verdict: 'unknown', reasons: [why], sources: [] };
  }
  const sources = [release.source];
  const min = must(release.goMin);
  const max = must(release.goMax);
  const shown = formatGoVersion(program);
  const tooOld = `Go version ${shown} is too old for this version of Delve (minimum supported version ${release.goMin}, suppress this error with --check-go-version=false)`;
  const tooNew = `Version of Delve is too old for Go version ${shown} (maximum supported version ${release.goMax}, suppress this error with --check-go-version=false)`;
  const range = `Delve ${release.version} accepts Go ${release.goMin} to ${release.goMax}`;

  if (program.devel) {
    // Before 1.24.0 Delve skipped the check for every devel toolchain; since then a versioned devel
    // build of the minimum minor fails and one of max+1 passes.
    if (compareModule(release.version, '1.24.0') < 0) {
      return { verdict: 'compatible', reasons: [`${range}; Delve skips its version check for devel toolchains.`], sources, release };
    }
    if (compareGoMinor(program, min) <= 0)
      return {
        verdict: 'incompatible',
        reasons: [`${range}; a devel build of Go ${goMinor(program)} counts as older than ${release.goMin}.`],
        delveMessage: tooOld,
        sources,
        release,
      };
    if (compareGoMinor(program, { major: max.major, minor: max.minor + 1 }) > 0)
      return { verdict: 'incompatible', reasons: [`${range}; Go ${goMinor(program)} is newer.`], delveMessage: tooNew, sources, release };
  } else {
    if (compareGoMinor(program, min) < 0) {
      return { verdict: 'incompatible', reasons: [`${range}; Go ${goMinor(program)} is older.`], delveMessage: tooOld, sources, release };
    }
    if (compareGoMinor(program, max) > 0) {
      return { verdict: 'incompatible', reasons: [`${range}; Go ${goMinor(program)} is newer.`], delveMessage: tooNew, sources, release };
    }
  }
  const reasons = [`${range}; Go ${goMinor(program)} is in range.`];
  if (compareGoMinor(program, DWARF5_GO) >= 0) {
    sources.push(DWARF5_SOURCE);
    if (!dlvBuiltWith) {
      reasons.push(
        `Go ${goMinor(program)} writes DWARF 5, so dlv must itself be built with Go 1.25 or newer; assumed here, as Go Debug Doctor's installer builds it that way.`,
      );
    } else if (compareGoMinor(dlvBuiltWith, DWARF5_GO) < 0) {
      const msg = 'To debug executables using DWARFv5 or later Delve must be built with Go version 1.25.0 or later';
      return {
        verdict: 'incompatible',
        reasons: [
          `This dlv was built with ${formatGoVersion(dlvBuiltWith)}, but Go ${goMinor(program)} writes DWARF 5, which Delve reads correctly only when built with Go 1.25 or newer.`,
          ...(release.dwarf5Check ? [] : [`Delve ${release.version} predates its own DWARF 5 check, so it fails later and less clearly.`]),
        ],
        ...(release.dwarf5Check ? { delveMessage: msg } : {}),
        sources,
        release,
      };
    } else {
      reasons.push(`It was built with ${formatGoVersion(dlvBuiltWith)}, which reads DWARF 5 correctly.`);
    }
  }
  return { verdict: 'compatible', reasons, sources, release };
}

/** The newest Delve release that accepts this Go (the base of the "recommended" profile). */
export function recommendedDelve(program: GoVersion): DelveRelease | undefined {
  for (let i = delveReleases.length - 1; i >= 0; i--) {
    const r = delveReleases[i]!;
    if (delveSupportsGo(r.version, { ...program, devel: false }).verdict === 'compatible') return r;
  }
  return undefined;
}

/**
 * The Go a recommended dlv should be built with: at least its go.mod's go line, and at least 1.25
 * when the program's Go writes DWARF 5.
 */
export function buildGoFor(release: DelveRelease, program: GoVersion): GoVersion {
  const needed = must(release.buildGo);
  if (compareGoMinor(program, DWARF5_GO) >= 0 && compareGo(needed, { ...DWARF5_GO, patch: 0 }) < 0) return { ...DWARF5_GO, patch: 0 };
  return needed;
}

export function delveMacOSIssuesFor(dlvVersion: string, macOSVersion?: string): MacOSKnownIssue[] {
  return delveMacOSIssues.filter((issue) => {
    if (!satisfiesModuleRange(dlvVersion, issue.affected)) return false;
    return !issue.macOSMin || !macOSVersion || compareMacOS(macOSVersion, issue.macOSMin) >= 0;
  });
}

export interface GoplsVerdict {
  verdict: Compatibility;
  reasons: string[];
  /** The gopls to install instead, when this one does not support the Go. */
  alternative?: string;
  sources: string[];
}

/**
 * Does this gopls support the go command of this Go? gopls keeps a table of the last release for
 * each dropped Go; a Go newer than every row is supported. Also: gopls cannot be built with a Go
 * older than its go.mod says, and a gopls built with an older Go than the workspace's cannot type
 * check newer language features.
 */
export function goplsSupportsGo(
  goplsVersion: string,
  go: GoVersion,
  goplsBuiltWith?: GoVersion,
  fromModuleCache?: CachedGopls,
): GoplsVerdict {
  const sources: string[] = [];
  const cached =
    fromModuleCache?.version === goplsVersion && !goplsReleases.some((r) => r.version === goplsVersion) ? fromModuleCache : undefined;
  const table = cached ? cached.lastForGo.map((r) => ({ ...r, source: cached.source })) : goplsLastForGo;
  const row = table.find((r) => compareGoMinor(go, must(r.go)) <= 0);
  if (row && compareModule(goplsVersion, row.lastGopls) > 0) {
    sources.push(row.source);
    return {
      verdict: 'incompatible',
      reasons: [`gopls ${goplsVersion} no longer supports Go ${goMinor(go)}; the last gopls for it is ${row.lastGopls}.`],
      alternative: row.lastGopls,
      sources,
    };
  }
  const reasons = [
    row
      ? `gopls ${goplsVersion} is no newer than ${row.lastGopls}, the last release for Go ${row.go} and older.`
      : `gopls ${goplsVersion} supports Go ${goMinor(go)}.`,
  ];
  if (row) sources.push(row.source);
  const known = goplsReleases.find((r) => r.version === goplsVersion);
  if (known) sources.push(known.source);
  else if (cached && !sources.includes(cached.source)) sources.push(cached.source);
  if (goplsBuiltWith && compareGoMinor(goplsBuiltWith, go) < 0) {
    return {
      verdict: 'incompatible',
      reasons: [
        `gopls was built with ${formatGoVersion(goplsBuiltWith)}, older than the workspace's Go ${goMinor(go)}; it cannot type-check code that uses newer language features. Rebuild it with the current Go.`,
      ],
      sources,
    };
  }
  return { verdict: 'compatible', reasons, sources };
}

export function newestGopls(): string {
  return goplsReleases[goplsReleases.length - 1]!.version;
}

export interface GoReleaseInfo {
  go: string;
  minMacOS: string;
  macOSName: string;
  macOSSource: string;
  latestPatch?: string;
  latestPatchDate?: string;
}

export function goRelease(go: GoVersion): GoReleaseInfo | undefined {
  return goReleases.find((r) => r.go === goMinor(go));
}

export function newestGo(): GoVersion {
  return must(goReleases[goReleases.length - 1]!.latestPatch ?? goReleases[goReleases.length - 1]!.go);
}

export interface Profile {
  id: string;
  title: string;
  go: string;
  dlv: string;
  gopls: string;
  goExtension?: string;
  why: string;
  sources: string[];
}

export const namedProfiles: readonly Profile[] = profileData.profiles;

/** The recommended profile for a workspace's Go: newest Delve and gopls that support it. */
export function recommendedProfile(go: GoVersion): Profile | undefined {
  const dlv = recommendedDelve(go);
  if (!dlv) return undefined;
  const gopls = [...goplsReleases]
    .reverse()
    .find(
      (r) => goplsSupportsGo(r.version, go).verdict === 'compatible' && compareGo(must(r.buildGo), { ...go, patch: go.patch ?? 99 }) <= 0,
    );
  return {
    id: 'recommended',
    title: `Recommended for Go ${goMinor(go)}`,
    go: formatGoVersion(go).replace(/^go/, ''),
    dlv: dlv.version,
    gopls: gopls?.version ?? newestGopls(),
    why: `The newest Delve that accepts Go ${goMinor(go)} (built with Go ${formatGoVersion(buildGoFor(dlv, go)).replace(/^go/, '')} or newer) and the newest gopls that supports it.`,
    sources: [dlv.source, ...(gopls ? [gopls.source] : [])],
  };
}

export function findProfile(id: string, go?: GoVersion): Profile | undefined {
  if (id === 'recommended') return go ? recommendedProfile(go) : undefined;
  return namedProfiles.find((p) => p.id === id);
}

/** The newest date the tables were checked against upstream. */
export const knowledgeAsOf: string = [goDataAsOf, delveDataAsOf, (goplsData as { asOf?: string }).asOf ?? ''].sort().reverse()[0]!;

/**
 * Tools on this machine that are newer than our tables: a Go patch past the newest we list for its
 * minor (or a newer minor), a dlv or gopls past the newest row. One sentence each.
 */
export function newerThanData(found: { go?: GoVersion; dlv?: string; gopls?: string }): string[] {
  const stale: string[] = [];
  const { go, dlv, gopls } = found;
  if (go && !go.devel && !go.prerelease) {
    const release = goRelease(go);
    const newest = newestGo();
    if (!release && compareGoMinor(go, newest) > 0)
      stale.push(`${formatGoVersion(go)} is newer than the newest Go it knows (${formatGoVersion(newest)})`);
    else if (release?.latestPatch && go.patch !== undefined && compareGo(go, must(release.latestPatch)) > 0)
      stale.push(`${formatGoVersion(go)} is newer than the newest Go ${release.go} patch it knows (go${release.latestPatch})`);
  }
  const newestDlv = newestDelve().version;
  if (dlv && isModuleVersion(dlv) && compareModule(dlv, newestDlv) > 0)
    stale.push(`Delve ${dlv} is newer than the newest Delve it knows (${newestDlv})`);
  const newestGoplsVersion = newestGopls();
  if (gopls && isModuleVersion(gopls) && compareModule(gopls, newestGoplsVersion) > 0)
    stale.push(`gopls ${gopls} is newer than the newest gopls it knows (${newestGoplsVersion})`);
  return stale;
}

export const REFRESH_HINT =
  'Update Go Debug Doctor to get newer data (contributors: `npm run knowledge:refresh` regenerates the tables from the Go module proxy).';

/**
 * macOS 26 (Tahoe) refuses to load a Mach-O file without an LC_UUID load command ("dyld: missing
 * LC_UUID load command"); Go's own linker writes one by default only since Go 1.24.
 */
export const LC_UUID_GO: GoVersion = { major: 1, minor: 24 };
export const LC_UUID_MACOS = '26';
export const LC_UUID_DYLD_MESSAGE = 'missing LC_UUID load command';
export const LC_UUID_SOURCES = [
  'https://github.com/go-delve/delve/issues/4162 (dlv built by an older Go aborts on macOS Tahoe: "dyld[21679]: missing LC_UUID load command in /Users/carlye/go/bin/dlv")',
  'https://github.com/golang/go/issues/68678 (cmd/link writes LC_UUID by default since Go 1.24); golang/website _content/doc/go1.24.md "Linker"',
  'verified here: darwin/amd64 programs built by go1.23.1 have no LC_UUID; by go1.24.13 and go1.26.8 they have one (test/core/checks/macUuid.test.ts)',
];
