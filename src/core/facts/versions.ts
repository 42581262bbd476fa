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
  const parsed = parseSemver(trimmed.replace(/^v/, ''));
  return parsed ? `${parsed.main.join('.')}${parsed.pre.length ? `-${parsed.pre.join('.')}` : ''}` : undefined;
}

/** Semantic Versioning 2.0.0 precedence (build metadata ignored); throws on a version that is not one. */
export function compareModule(a: string, b: string): number {
  const [x, y] = [parseSemver(a), parseSemver(b)];
  if (!x || !y) throw new TypeError(`Invalid Version: ${x ? b : a}`);
  for (let i = 0; i < 3; i++) if (x.main[i] !== y.main[i]) return x.main[i]! < y.main[i]! ? -1 : 1;
  if (!x.pre.length || !y.pre.length) return x.pre.length === y.pre.length ? 0 : x.pre.length ? -1 : 1;
  for (let i = 0; ; i++) {
    const [p, q] = [x.pre[i], y.pre[i]];
    if (p === undefined || q === undefined) return p === q ? 0 : p === undefined ? -1 : 1;
    const order = compareIdentifiers(p, q);
    if (order) return order;
  }
}

/** Numeric identifiers sort numerically and before alphanumeric ones, which sort in ASCII order. */
function compareIdentifiers(a: number | string, b: number | string): number {
  const [aNumeric, bNumeric] = [/^\d+$/.test(String(a)), /^\d+$/.test(String(b))];
  const [x, y] = aNumeric && bNumeric ? [Number(a), Number(b)] : [a, b];
  if (x === y) return 0;
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return x < y ? -1 : 1;
}

// The grammar of https://semver.org (2.0.0), as the semver package reads it (an optional leading
// "v", at most 256 characters, numbers up to 2^53 - 1). Written out here so that the start-up
// path of the extension does not load that package.
const NUMBER = '0|[1-9]\\d*';
const PRE_ID = `${NUMBER}|\\d*[a-zA-Z-][a-zA-Z0-9-]*`;
const SEMVER = new RegExp(
  `^v?(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-((?:${PRE_ID})(?:\\.(?:${PRE_ID}))*))?(?:\\+[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*)?$`,
);

function parseSemver(text: string): { main: number[]; pre: (number | string)[] } | undefined {
  if (text.length > 256) return undefined;
  const m = SEMVER.exec(text.trim());
  if (!m) return undefined;
  const main = [m[1], m[2], m[3]].map(Number);
  if (main.some((n) => n > Number.MAX_SAFE_INTEGER)) return undefined;
  const pre = m[4] ? m[4].split('.').map((id) => (/^\d+$/.test(id) && Number(id) < Number.MAX_SAFE_INTEGER ? Number(id) : id)) : [];
  return { main, pre };
}

/** A Semantic Versioning 2.0.0 version, with or without a leading "v" (the semver package's `valid`). */
export function isModuleVersion(text: string): boolean {
  return parseSemver(text) !== undefined;
}

/** A version without a pre-release part: "1.24.0", not "1.24.0-rc.1". */
export function isReleaseVersion(text: string): boolean {
  return parseSemver(text)?.pre.length === 0;
}

const COMPARATOR = /^(<=|>=|<|>|=)?(.+)$/;

/**
 * Whether a module version lies in a range written as our knowledge files write them: comparators
 * separated by spaces, all of which must hold ("1.20.0", "<1.23.1", ">=1.24.2 <1.25.0"). As the
 * semver package does, a pre-release matches only a comparator of the same major.minor.patch that
 * has a pre-release too. Throws on a range outside that grammar, so a typo in the data fails its test.
 */
export function satisfiesModuleRange(version: string, range: string): boolean {
  const have = parseSemver(version);
  if (!have) throw new TypeError(`Invalid Version: ${version}`);
  const comparators = range
    .trim()
    .split(/\s+/)
    .map((part) => {
      const m = COMPARATOR.exec(part);
      const bound = m?.[2] !== undefined ? parseSemver(m[2]) : undefined;
      if (!m || !bound) throw new TypeError(`Invalid range: ${range}`);
      return { op: m[1] ?? '=', bound, text: m[2]! };
    });
  const holds = comparators.every(({ op, text }) => {
    const order = compareModule(version, text);
    return op === '<' ? order < 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : op === '>=' ? order >= 0 : order === 0;
  });
  if (!holds || !have.pre.length) return holds;
  return comparators.some(({ bound }) => bound.pre.length > 0 && bound.main.every((n, i) => n === have.main[i]));
}
