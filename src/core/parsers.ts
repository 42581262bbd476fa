import { parseGoVersion, parseModuleVersion, type GoVersion } from './versions';

/** `go version` → "go version go1.26.8 linux/amd64" (also devel builds and X:experiment tags). */
export interface GoVersionOutput {
  version: GoVersion;
  raw: string;
  goos?: string;
  goarch?: string;
}

export function parseGoVersionOutput(text: string): GoVersionOutput | undefined {
  const line = text.split(/\r?\n/).find((l) => l.startsWith('go version '));
  if (!line) return undefined;
  const rest = line.slice('go version '.length).trim();
  const platform = /\s(\w+)\/(\w+)\s*$/.exec(rest);
  const versionText = rest.startsWith('devel ') ? rest : (rest.split(/\s+/)[0] ?? '');
  const version = parseGoVersion(versionText);
  if (!version) return undefined;
  const out: GoVersionOutput = { version, raw: line.trim() };
  if (platform) {
    out.goos = platform[1];
    out.goarch = platform[2];
  }
  return out;
}

/** The `go env -json` variables the doctor reads; anything else in the output is ignored. */
export const GO_ENV_KEYS = [
  'GOOS', 'GOARCH', 'GOHOSTOS', 'GOHOSTARCH', 'GOROOT', 'GOPATH', 'GOBIN', 'GOFLAGS', 'GOPROXY',
  'GOPRIVATE', 'GONOSUMDB', 'GONOPROXY', 'GOINSECURE', 'GOTOOLCHAIN', 'CGO_ENABLED', 'GOVERSION',
  'GOMOD', 'GOWORK', 'GOENV', 'GOMODCACHE',
] as const;
export type GoEnv = Partial<Record<(typeof GO_ENV_KEYS)[number], string>>;

export function parseGoEnvJson(text: string): GoEnv | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const env: GoEnv = {};
  for (const key of GO_ENV_KEYS) {
    const v = (value as Record<string, unknown>)[key];
    if (typeof v === 'string') env[key] = v;
  }
  return env;
}

/** `dlv version`: only the "Version:" line is the version; "Build:" is a commit id. */
export interface DlvVersionOutput {
  version: string;
  build?: string;
}

export function parseDlvVersion(text: string): DlvVersionOutput | undefined {
  const version = /^Version:\s*(\S+)\s*$/m.exec(text)?.[1];
  const normalised = version ? parseModuleVersion(version) : undefined;
  if (!normalised) return undefined;
  const build = /^Build:\s*(.+?)\s*$/m.exec(text)?.[1];
  return build ? { version: normalised, build } : { version: normalised };
}

/** Go build information, from `go version -m FILE` or from our own binary reader. */
export interface GoBuildInfo {
  goVersion: GoVersion;
  goVersionRaw: string;
  /** The main package path, e.g. github.com/go-delve/delve/cmd/dlv. */
  path?: string;
  /** The main module and its version ("(devel)" for local builds). */
  module?: string;
  moduleVersion?: string;
  settings: Record<string, string>;
}

export function parseGoVersionM(text: string): GoBuildInfo | undefined {
  const lines = text.split(/\r?\n/);
  const head = /^.*?:\s+(go\S+|devel go\S+.*)$/.exec(lines[0] ?? '');
  const goVersionRaw = head?.[1]?.trim();
  const goVersion = goVersionRaw ? parseGoVersion(goVersionRaw) : undefined;
  if (!goVersionRaw || !goVersion) return undefined;
  const info: GoBuildInfo = { goVersion, goVersionRaw, settings: {} };
  for (const line of lines.slice(1)) {
    const fields = line.trim().split('\t');
    const [kind, a, b] = fields;
    if (kind === 'path' && a) info.path = a;
    else if (kind === 'mod' && a) {
      info.module = a;
      if (b) info.moduleVersion = b;
    } else if (kind === 'build' && a) {
      const eq = a.indexOf('=');
      if (eq > 0) info.settings[a.slice(0, eq)] = a.slice(eq + 1);
      else info.settings[a] = b ?? '';
    }
  }
  return info;
}

/** `gopls version -json` (gopls ≥ v0.9), falling back to the plain text of older releases. */
export interface GoplsVersionOutput {
  version: string;
  /** The Go that built gopls, when gopls reports it. */
  goVersion?: GoVersion;
  format: 'json' | 'text';
}

export function parseGoplsVersion(text: string): GoplsVersionOutput | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value = JSON.parse(trimmed) as { GoVersion?: unknown; Main?: { Version?: unknown } };
      const version = typeof value.Main?.Version === 'string' ? parseModuleVersion(value.Main.Version) : undefined;
      if (version) {
        const out: GoplsVersionOutput = { version, format: 'json' };
        const go = typeof value.GoVersion === 'string' ? parseGoVersion(value.GoVersion) : undefined;
        if (go) out.goVersion = go;
        return out;
      }
    } catch {
      // fall through to the text form
    }
  }
  const m = /^\s*golang\.org\/x\/tools\/gopls\s+(v\S+)/m.exec(text);
  const version = m?.[1] ? parseModuleVersion(m[1]) : undefined;
  if (!version) return undefined;
  const out: GoplsVersionOutput = { version, format: 'text' };
  const go = /^go: (go\S+)$|go version (go\S+)/m.exec(text);
  const goVersion = go ? parseGoVersion((go[1] ?? go[2])!) : undefined;
  if (goVersion) out.goVersion = goVersion;
  return out;
}

/** The parts of go.mod / go.work the doctor needs. */
export interface GoModFacts {
  module?: string;
  /** The `go` directive: the minimum language version (and, since Go 1.21, minimum toolchain). */
  go?: GoVersion;
  goRaw?: string;
  /** The `toolchain` line (Go 1.21+), e.g. go1.23.4. */
  toolchain?: GoVersion;
  toolchainRaw?: string;
}

export function parseGoMod(text: string): GoModFacts {
  const facts: GoModFacts = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\/\/.*$/, '').trim();
    const m = /^(module|go|toolchain)\s+("?)([^\s"]+)\2$/.exec(line);
    if (!m) continue;
    const [, keyword, , value] = m;
    if (!value) continue;
    if (keyword === 'module' && facts.module === undefined) facts.module = value;
    else if (keyword === 'go' && facts.goRaw === undefined) {
      facts.goRaw = value;
      const v = parseGoVersion(value);
      if (v) facts.go = v;
    } else if (keyword === 'toolchain' && facts.toolchainRaw === undefined) {
      facts.toolchainRaw = value;
      const v = parseGoVersion(value.replace(/^go/, 'go'));
      if (v) facts.toolchain = v;
    }
  }
  return facts;
}
