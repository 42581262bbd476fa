import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { readExactly, type ByteSource } from '../binary/bytes';
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
}

/** Module paths in the cache escape capitals as "!" + lower case (https://go.dev/ref/mod#goproxy-protocol). */
export function escapeModulePath(module: string): string {
  return module.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

const MAX_FILE = 4 << 20;

export async function openCachedModule(host: Host, gomodcache: string, module: string, version: string): Promise<ModuleFiles | undefined> {
  const v = version.startsWith('v') ? version : `v${version}`;
  const escaped = escapeModulePath(module);
  const dir = path.join(gomodcache, ...escaped.split('/').slice(0, -1), `${escaped.split('/').pop()!}@${escapeModulePath(v)}`);
  if ((await host.stat(path.join(dir, 'go.mod'))).isFile) {
    return { module, version: v, location: dir, read: (rel) => host.readText(path.join(dir, ...rel.split('/')), MAX_FILE) };
  }
  const zip = path.join(gomodcache, 'cache', 'download', ...escaped.split('/'), '@v', `${escapeModulePath(v)}.zip`);
  if (!(await host.stat(zip)).isFile) return undefined;
  const prefix = `${module}@${v}/`;
  return {
    module,
    version: v,
    location: zip,
    async read(rel) {
      const src = await host.openBytes(zip);
      if (!src) return undefined;
      try {
        const data = await readZipEntry(src, prefix + rel);
        return data?.toString('utf8');
      } catch {
        return undefined;
      } finally {
        await src.close();
      }
    },
  };
}

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

/** One member of a zip file, stored or deflated (the two methods module zips use). */
export async function readZipEntry(src: ByteSource, name: string): Promise<Buffer | undefined> {
  const tailLength = Math.min(src.size, 22 + 0xffff);
  const tail = await readExactly(src, src.size - tailLength, tailLength, 'zip end record');
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const entries = tail.readUInt16LE(eocd + 10);
  const dirSize = tail.readUInt32LE(eocd + 12);
  const dirOffset = tail.readUInt32LE(eocd + 16);
  const dir = await readExactly(src, dirOffset, dirSize, 'zip central directory');
  let p = 0;
  for (let n = 0; n < entries && p + 46 <= dir.length; n++) {
    if (dir.readUInt32LE(p) !== CENTRAL_SIG) throw new Error(`bad central directory entry at ${dirOffset + p}`);
    const method = dir.readUInt16LE(p + 10);
    const compressed = dir.readUInt32LE(p + 20);
    const size = dir.readUInt32LE(p + 24);
    const nameLength = dir.readUInt16LE(p + 28);
    const extraLength = dir.readUInt16LE(p + 30);
    const commentLength = dir.readUInt16LE(p + 32);
    const local = dir.readUInt32LE(p + 42);
    const entryName = dir.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    p += 46 + nameLength + extraLength + commentLength;
    if (entryName !== name) continue;
    if (size > MAX_FILE) throw new Error(`${name} is too large (${size} bytes)`);
    const header = await readExactly(src, local, 30, 'zip local header');
    if (header.readUInt32LE(0) !== LOCAL_SIG) throw new Error(`bad local header for ${name}`);
    const dataStart = local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const raw = await readExactly(src, dataStart, compressed, name);
    if (method === 0) return raw;
    if (method === 8) return inflateRawSync(raw, { maxOutputLength: MAX_FILE });
    throw new Error(`${name}: unsupported zip method ${method}`);
  }
  return undefined;
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
