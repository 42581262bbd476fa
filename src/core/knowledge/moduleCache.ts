import * as path from 'node:path';
import { readZipEntry, ZIP_MAX_ENTRY } from '../binary/zip';
import type { Host } from '../probes/host';

/**
 * Reads files of one module version from the Go module cache, without the network: the extracted
 * folder `GOMODCACHE/<module>@<version>/` or, when `go clean -modcache`-style tidying left only the
 * download, the zip under `GOMODCACHE/cache/download/<module>/@v/<version>.zip`
 * (https://go.dev/ref/mod#module-cache).
 */
export interface ModuleFiles {
  module: string;
  version: string;
  /** The folder or zip the files come from (named in verdicts). */
  location: string;
  read(relative: string): Promise<string | undefined>;
  /** Why a read of the zip gave nothing, one line each ("…/compat.go in the zip is damaged (CRC-32 mismatch)"). */
  readonly problems: string[];
}

/** Module paths in the cache escape capitals as "!" + lower case (https://go.dev/ref/mod#goproxy-protocol). */
export function escapeModulePath(module: string): string {
  return module.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/**
 * Why `module` is not a module path the go command could have downloaded, or undefined when it is
 * one. The rules of https://go.dev/ref/mod#go-mod-file-ident (module paths, with those for paths the
 * go command downloads), except the gopkg.in form; they leave no "..", no empty element, no
 * backslash or NUL, nothing absolute: such a path can name no folder outside GOMODCACHE.
 */
export function invalidModulePath(module: string): string | undefined {
  if (module.length === 0 || module.length > MAX_MODULE_PATH) return 'not a module path (empty or too long)';
  const elements = module.split('/');
  const first = elements[0]!;
  if (!/^[a-z0-9.-]+$/.test(first) || !first.includes('.') || first.startsWith('-')) {
    return `not a module path (its first element "${first}" is not a domain name)`;
  }
  for (const element of elements) {
    if (!/^[A-Za-z0-9._~-]+$/.test(element))
      return 'not a module path (an element is empty or has a character other than letters, digits and - . _ ~)';
    if (element.startsWith('.') || element.endsWith('.')) return 'not a module path (an element begins or ends with a dot)';
    const stem = element.split('.', 1)[0]!;
    if (WINDOWS_RESERVED.test(stem)) return `not a module path ("${element}" is a reserved file name on Windows)`;
    if (/~\d+$/.test(stem)) return `not a module path ("${element}" looks like a Windows short name)`;
  }
  const major = /^v(\d[\d.]*)$/.exec(elements[elements.length - 1]!)?.[1];
  if (elements.length > 1 && major !== undefined && (major.startsWith('0') || major === '1' || major.includes('.'))) {
    return `not a module path (its major version suffix "v${major}" is not v2 or higher)`;
  }
  return undefined;
}

/**
 * Why `version` is not a canonical module version, or undefined when it is one: "v" (which may be
 * left out here) and Semantic Versioning 2.0.0 MAJOR.MINOR.PATCH with an optional pre-release; the
 * only build suffix the go command keeps is "+incompatible" (https://go.dev/ref/mod#versions). Such
 * a version has no "/", "\\", ".." or NUL, so it stays one path element.
 */
export function invalidModuleVersion(version: string): string | undefined {
  if (version.length > MAX_VERSION) return 'not a module version (too long)';
  return CANONICAL_VERSION.test(version) ? undefined : 'not a canonical module version (vMAJOR.MINOR.PATCH[-pre-release])';
}

const MAX_MODULE_PATH = 1024;
const MAX_VERSION = 128;
const WINDOWS_RESERVED = /^(?:con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
const NUMERIC = '(?:0|[1-9]\\d*)';
const PRE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const CANONICAL_VERSION = new RegExp(`^v?${NUMERIC}\\.${NUMERIC}\\.${NUMERIC}(?:-${PRE_ID}(?:\\.${PRE_ID})*)?(?:\\+incompatible)?$`);

const MAX_FILE = ZIP_MAX_ENTRY;
const MAX_INFO = 64 * 1024;

/**
 * The files of `module`@`version` in the module cache, from its extracted folder or else its
 * download zip; undefined when neither is there, or when the module path or version is not one the
 * go command could have written (it may come from a tool's output) or the way to it passes through
 * a symbolic link (the go command writes none below GOMODCACHE, so one there may lead anywhere).
 */
export async function openCachedModule(host: Host, gomodcache: string, module: string, version: string): Promise<ModuleFiles | undefined> {
  const v = version.startsWith('v') ? version : `v${version}`;
  if (invalidModulePath(module) || invalidModuleVersion(v)) return undefined;
  const cache = await CacheFolder.open(host, gomodcache);
  if (!cache) return undefined;
  const escaped = escapeModulePath(module).split('/');
  const folder = [...escaped.slice(0, -1), `${escaped[escaped.length - 1]!}@${escapeModulePath(v)}`];
  if (await cache.isRegularFile([...folder, 'go.mod'])) {
    return { module, version: v, location: cache.path(folder), read: (rel) => cache.readText(folder, rel), problems: [] };
  }
  const zip = ['cache', 'download', ...escaped, '@v', `${escapeModulePath(v)}.zip`];
  if (!(await cache.isRegularFile(zip))) return undefined;
  const prefix = `${module}@${v}/`;
  const problems: string[] = [];
  return {
    module,
    version: v,
    location: cache.path(zip),
    problems,
    async read(rel) {
      if (!isPlainRelative(rel)) return undefined;
      const src = await host.openBytes(cache.path(zip));
      if (!src) return undefined;
      try {
        return (await readZipEntry(src, prefix + rel, MAX_FILE))?.toString('utf8');
      } catch (err) {
        problems.push(err instanceof Error ? err.message.split('\n', 1)[0]! : String(err));
        return undefined;
      } finally {
        await src.close();
      }
    },
  };
}

/** The go command's `.info` file of a download (its "Time" is the release date), read as openCachedModule reads files. */
export async function readCachedInfo(host: Host, gomodcache: string, module: string, version: string): Promise<string | undefined> {
  if (!version.startsWith('v') || invalidModulePath(module) || invalidModuleVersion(version)) return undefined;
  const cache = await CacheFolder.open(host, gomodcache);
  const download = ['cache', 'download', ...escapeModulePath(module).split('/'), '@v'];
  return cache?.readText(download, `${escapeModulePath(version)}.info`, MAX_INFO);
}

/** The "Time" a `.info` file holds (the go command writes the release time there), when it holds text. */
export function infoTime(text: string | undefined): string | undefined {
  try {
    const time = text ? (JSON.parse(text) as { Time?: unknown }).Time : undefined;
    return typeof time === 'string' ? time : undefined;
  } catch {
    return undefined;
  }
}

/**
 * GOMODCACHE, which may itself be (or lie below) a symbolic link; below it, a path is used only when
 * it is reached without one, so nothing read lies outside it.
 */
class CacheFolder {
  private constructor(
    private readonly host: Host,
    private readonly root: string,
    private readonly realRoot: string,
  ) {}

  static async open(host: Host, root: string): Promise<CacheFolder | undefined> {
    const real = await host.realpath(root);
    return real ? new CacheFolder(host, root, real) : undefined;
  }

  path(parts: readonly string[]): string {
    return path.join(this.root, ...parts);
  }

  private async reachedDirectly(parts: readonly string[]): Promise<boolean> {
    return (await this.host.realpath(this.path(parts))) === path.join(this.realRoot, ...parts);
  }

  async isRegularFile(parts: readonly string[]): Promise<boolean> {
    return (await this.reachedDirectly(parts)) && (await this.host.stat(this.path(parts))).isFile === true;
  }

  /** At most `maxBytes` of a regular file (readText opens no FIFO or device), or undefined. */
  async readText(folder: readonly string[], rel: string, maxBytes = MAX_FILE): Promise<string | undefined> {
    if (!isPlainRelative(rel)) return undefined;
    const parts = [...folder, ...rel.split('/')];
    return (await this.reachedDirectly(parts)) ? this.host.readText(this.path(parts), maxBytes) : undefined;
  }
}

/** A file path inside a module, as our callers name them ("pkg/goversion/compat.go"). */
function isPlainRelative(rel: string): boolean {
  return rel.split('/').every((element) => element !== '' && element !== '.' && element !== '..' && !/[\\\0]/.test(element));
}

/** The go line of a go.mod ("1.25.0"), or undefined. */
export function goModGoLine(text: string): string | undefined {
  return /^go\s+(\d+\.\d+(?:\.\d+)?)\s*(?:\/\/.*)?$/m.exec(text)?.[1];
}

/** A gopls newer than our data, as its own go.mod and support table in the module cache describe it. */
export interface CachedGopls {
  version: string;
  buildGo: string;
  lastForGo: Array<{ go: string; lastGopls: string }>;
  source: string;
}

export interface CompatRange {
  goMin: string;
  goMax: string;
  dwarf5Check: boolean;
}

/** Min/MaxSupportedVersionOfGo and the DWARFv5 refusal, as Delve's pkg/goversion/compat.go writes them. */
export function parseDelveCompat(text: string): CompatRange | undefined {
  const num = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(\\d+)\\b`).exec(text)?.[1];
  const minMajor = num('MinSupportedVersionOfGoMajor');
  const minMinor = num('MinSupportedVersionOfGoMinor');
  const maxMajor = num('MaxSupportedVersionOfGoMajor');
  const maxMinor = num('MaxSupportedVersionOfGoMinor');
  if (!minMajor || !minMinor || !maxMajor || !maxMinor) return undefined;
  return { goMin: `${minMajor}.${minMinor}`, goMax: `${maxMajor}.${maxMinor}`, dwarf5Check: /DWARFv5/.test(text) };
}

/** gopls's table of dropped Go versions (internal/util/goversion/goversion.go): Go 1.X and the last gopls for it. */
export function parseGoplsSupported(text: string): Array<{ go: string; lastGopls: string }> | undefined {
  const block = /var Supported = \[\]Support\{([\s\S]*?)\n\}/.exec(text)?.[1];
  if (!block) return undefined;
  const rows: Array<{ go: string; lastGopls: string }> = [];
  for (const m of block.matchAll(/\{\s*(\d+)\s*,\s*"[^"]*"\s*,\s*"v?([^"]+)"\s*\}/g)) rows.push({ go: `1.${m[1]}`, lastGopls: m[2]! });
  return rows.length ? rows : undefined;
}

export const DELVE_MODULE_PATH = 'github.com/go-delve/delve';
export const GOPLS_MODULE_PATH = 'golang.org/x/tools/gopls';
export const DELVE_COMPAT_FILE = 'pkg/goversion/compat.go';
export const GOPLS_SUPPORT_FILE = 'internal/util/goversion/goversion.go';

export const DELVE_COMMANDS_FILE = 'cmd/dlv/cmds/commands.go';

/** The flags `dlv dap` accepts: the root command's persistent flags and dap's own (cmd/dlv/cmds/commands.go). */
export function parseDlvDapFlags(text: string): Array<{ name: string; short?: string }> {
  const flags: Array<{ name: string; short?: string }> = [];
  const re =
    /\b(?:rootCommand\.PersistentFlags\(\)|RootCommand\.PersistentFlags\(\)|dapCommand\.Flags\(\))\.(\w+)\(\s*(?:&\w+\s*,\s*)?"([a-z][\w-]*)"(?:\s*,\s*"(\w?)")?/g;
  for (const m of text.matchAll(re)) {
    const short = m[1]!.endsWith('P') && m[3] ? m[3] : undefined;
    if (!flags.some((f) => f.name === m[2])) flags.push({ name: m[2]!, ...(short ? { short } : {}) });
  }
  return flags;
}
