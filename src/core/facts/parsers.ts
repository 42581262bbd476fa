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

/**
 * The `go env` variables the doctor reads, and asks for by name: a `go env` without names also works
 * out the C compiler's flags by running it (ExtraEnvVarsCostly in cmd/go/internal/envcmd/env.go; on
 * a Mac without the command line tools that is the xcode-select stub). None of these names is one of
 * those costly ones. A name the go command does not know comes back as "", like an unset one.
 */
export const GO_ENV_KEYS = [
  'GOOS',
  'GOARCH',
  'GOHOSTOS',
  'GOHOSTARCH',
  'GOROOT',
  'GOPATH',
  'GOBIN',
  'GOFLAGS',
  'GOPROXY',
  'GOPRIVATE',
  'GONOSUMDB',
  'GONOPROXY',
  'GOINSECURE',
  'GOTOOLCHAIN',
  'CGO_ENABLED',
  'GOVERSION',
  'GOMOD',
  'GOWORK',
  'GOENV',
  'GOMODCACHE',
  'GOCACHE',
  'GOSUMDB',
  'GO111MODULE',
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
    // Tab-separated as printed; pasted reports often turn the tabs into spaces. A build setting
    // keeps the rest of its line, as its value may contain spaces (-ldflags="-s -w").
    const trimmed = line.trim();
    const fields = trimmed.includes('\t') ? trimmed.split('\t') : trimmed.split(/\s+/);
    if (fields[0] === 'build' && !trimmed.includes('\t')) fields.splice(1, fields.length, trimmed.slice('build'.length).trim());
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
  /** A semver version, or "(devel)" for a gopls built from a checkout. */
  version: string;
  devel?: boolean;
  /** The Go that built gopls, when gopls reports it. */
  goVersion?: GoVersion;
  format: 'json' | 'text';
}

export function parseGoplsVersion(text: string): GoplsVersionOutput | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value = JSON.parse(trimmed) as { GoVersion?: unknown; Main?: { Version?: unknown } };
      const mainVersion = typeof value.Main?.Version === 'string' ? value.Main.Version : undefined;
      const version = mainVersion === '(devel)' ? mainVersion : mainVersion ? parseModuleVersion(mainVersion) : undefined;
      if (version) {
        const out: GoplsVersionOutput = { version, format: 'json', ...(version === '(devel)' ? { devel: true } : {}) };
        const go = typeof value.GoVersion === 'string' ? parseGoVersion(value.GoVersion) : undefined;
        if (go) out.goVersion = go;
        return out;
      }
    } catch {
      // fall through to the text form
    }
  }
  // The module line ("golang.org/x/tools/gopls@v0.6.1 h1:…") is the truth; the header line above it
  // was wrong in some releases (golang/go#43256: header v0.6.0, module v0.6.1).
  const moduleLine = /^\s*golang\.org\/x\/tools\/gopls@(\S+)/m.exec(text)?.[1];
  const header = /^\s*golang\.org\/x\/tools\/gopls\s+(\S+)/m.exec(text)?.[1];
  const raw = moduleLine ?? header;
  if (!raw) return undefined;
  let out: GoplsVersionOutput;
  if (raw === '(devel)') out = { version: '(devel)', devel: true, format: 'text' };
  else {
    const version = parseModuleVersion(raw);
    if (!version) return undefined;
    out = { version, format: 'text' };
  }
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
      const v = parseGoVersion(value);
      if (v && !value.startsWith('go')) {
        facts.goRaw = value;
        facts.go = v;
      }
    } else if (keyword === 'toolchain' && facts.toolchainRaw === undefined && value.startsWith('go')) {
      // "go1.23.4" or a custom name such as "go1.23.4-mycorp"; the suffix does not change the version.
      const v = parseGoVersion(value.replace(/-.*$/, ''));
      if (v) {
        facts.toolchainRaw = value;
        facts.toolchain = v;
      }
    }
  }
  return facts;
}

/** The concatenated JSON objects that `go list -json` and `go mod download -json` print. */
export function parseJsonStream<T>(text: string): T[] {
  const out: T[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') {
      if (depth++ === 0) start = i;
    } else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)) as T);
  }
  return out;
}
