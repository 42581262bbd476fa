import * as semver from 'semver';

/**
 * Go release versions ("go1.22.3", "1.22", "go1.23rc1", "devel go1.24-abc") and Delve/gopls
 * module versions ("v1.21.2", "1.21.2").
 */
export interface GoVersion {
  major: number;
  minor: number;
  /** Undefined for a language version such as "1.22" (go.mod) or a pre-release. */
  patch?: number;
  /** "beta1", "rc2"… sorts before the release itself. */
  prerelease?: string;
  /** A development build: "devel go1.24-abcdef …". */
  devel?: boolean;
}

const GO_VERSION = /^(?:go)?(\d+)\.(\d+)(?:\.(\d+))?((?:beta|rc)\d+)?$/;

/** Accepts "1.22", "1.22.3", "go1.22.3", "go1.21rc2", "v1.22.3" is rejected (that is a module version). */
/** No Go or tool version part gets anywhere near this. */
const MAX_VERSION_PART = 99_999;

function tooLarge(...parts: (string | undefined)[]): boolean {
  return parts.some((part) => part !== undefined && (part.length > 6 || Number(part) > MAX_VERSION_PART));
}

export function parseGoVersion(text: string): GoVersion | undefined {
  const trimmed = text.trim();
  const devel = /^devel\s+go(\d+)\.(\d+)/.exec(trimmed);
  if (devel) return tooLarge(devel[1], devel[2]) ? undefined : { major: Number(devel[1]), minor: Number(devel[2]), devel: true };
  const m = GO_VERSION.exec(trimmed);
  if (!m) return undefined;
  // 1.100000000000000000000 matches the pattern but is no version (and would print as nonsense).
  if (tooLarge(m[1], m[2], m[3])) return undefined;
  const v: GoVersion = { major: Number(m[1]), minor: Number(m[2]) };
  if (m[3] !== undefined) v.patch = Number(m[3]);
  if (m[4] !== undefined) v.prerelease = m[4];
  return v;
}

export function formatGoVersion(v: GoVersion): string {
  if (v.devel) return `devel go${v.major}.${v.minor}`;
  return `go${v.major}.${v.minor}${v.patch !== undefined ? `.${v.patch}` : ''}${v.prerelease ?? ''}`;
}

/** "1.22" for minor-level messages. */
export function goMinor(v: GoVersion): string {
  return `${v.major}.${v.minor}`;
}

function prereleaseRank(pre: string | undefined): [number, number] {
  if (!pre) return [2, 0];
  const n = Number(/\d+$/.exec(pre)?.[0] ?? 0);
  return [pre.startsWith('beta') ? 0 : 1, n];
}

/** Orders release versions; a language version "1.22" sorts as "1.22.0". */
export function compareGo(a: GoVersion, b: GoVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  const [ra, na] = prereleaseRank(a.prerelease);
  const [rb, nb] = prereleaseRank(b.prerelease);
  if (ra !== rb) return ra - rb;
  if (na !== nb) return na - nb;
  return (a.patch ?? 0) - (b.patch ?? 0);
}

export function compareGoMinor(a: GoVersion, b: GoVersion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

/**
 * Delve and gopls module versions ("v1.21.2", "1.21.2", "v0.16.0-pre.1") normalised to semver
 * without the "v"; undefined for anything else.
 */
export function parseModuleVersion(text: string): string | undefined {
  const trimmed = text.trim();
  if (!/^v?\d+\.\d+\.\d+/.test(trimmed)) return undefined;
  return semver.valid(trimmed.replace(/^v/, '')) ?? undefined;
}

export function compareModule(a: string, b: string): number {
  return semver.compare(a, b);
}
