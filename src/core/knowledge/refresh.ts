import * as path from 'node:path';
import { lstat, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../io/files';
import { LiveHost, type Host } from '../probes/host';
import { compareModule, isReleaseVersion } from '../facts/versions';
import { coalesceLastForGo, goModCacheDir } from './fromModuleCache';
import type { DelveRelease } from './index';
import {
  DELVE_COMMANDS_FILE,
  DELVE_COMPAT_FILE,
  DELVE_MODULE_PATH,
  GOPLS_MODULE_PATH,
  GOPLS_SUPPORT_FILE,
  escapeModulePath,
  goModGoLine,
  openCachedModule,
  parseDelveCompat,
  parseDlvDapFlags,
  parseGoplsSupported,
  infoTime,
  readCachedInfo,
  type ModuleFiles,
} from './moduleCache';

/**
 * `npm run knowledge:refresh`: regenerates the Delve rows, the gopls rows and the newest Go patch
 * of each minor from the Go module proxy (through the go command, so GOPROXY and friends apply), or,
 * with `cacheOnly`, from the module cache alone (no network). Rows whose facts did not change keep
 * their source and date, so a second run changes nothing.
 */

export type DelveRow = DelveRelease;
export interface GoplsRow {
  version: string;
  date: string;
  buildGo: string;
  source: string;
}
export interface LastForGoRow {
  go: string;
  lastGopls: string;
  source: string;
}
export interface DlvFlagRow {
  name: string;
  short?: string;
  since: string;
  until?: string;
}
export interface GoRow {
  go: string;
  latestPatch?: string;
  latestPatchDate?: string;
  latestPatchSource?: string;
  [key: string]: unknown;
}

export interface KnowledgeFiles {
  delve: { releases: DelveRow[]; asOf?: string; [key: string]: unknown };
  gopls: { releases: GoplsRow[]; lastForGo: LastForGoRow[]; asOf?: string; [key: string]: unknown };
  go: { releases: GoRow[]; asOf: string; [key: string]: unknown };
  dlvFlags: { flags: DlvFlagRow[]; source: string; [key: string]: unknown };
}

export interface RefreshOptions {
  host: Host;
  gomodcache: string;
  /** Read only what the module cache already holds; never ask the proxy. */
  cacheOnly?: boolean;
  /** The date written as asOf (only when the proxy was asked). */
  today: string;
  timeoutMs?: number;
  /** Oldest releases we keep rows for (older ones are out of the data's reach). */
  oldestDelve?: string;
  oldestGopls?: string;
  log?: (line: string) => void;
}

export interface RefreshResult {
  files: KnowledgeFiles;
  /** One line per change: "+ added", "~ changed", "! needs a person". */
  changes: string[];
  /** Versions read, per table. */
  read: { delve: string[]; gopls: string[]; go: string[]; dlvFlags: string[] };
}

interface Download {
  version: string;
  time?: string;
  origin?: string;
}

export async function refreshKnowledge(current: KnowledgeFiles, options: RefreshOptions): Promise<RefreshResult> {
  const files = structuredClone(current) as KnowledgeFiles;
  const changes: string[] = [];
  const read = { delve: [] as string[], gopls: [] as string[], go: [] as string[], dlvFlags: [] as string[] };
  const flagsByVersion = new Map<string, Array<{ name: string; short?: string }>>();
  const log = options.log ?? (() => {});
  const timeoutMs = options.timeoutMs ?? 300_000;
  const go = (args: string[]) =>
    options.host.run(['go', ...args], {
      timeoutMs,
      cwd: options.gomodcache,
      envOverrides: { GOTOOLCHAIN: 'local', GOFLAGS: '-modcacherw', GOWORK: 'off', GO111MODULE: 'on', GOMODCACHE: options.gomodcache },
    });

  async function versions(module: string): Promise<string[]> {
    if (options.cacheOnly) return cachedVersions(options.host, options.gomodcache, module);
    const probe = await go(['list', '-m', '-versions', module]);
    if (probe.outcome !== 'ok') throw new Error(`go list -m -versions ${module}: ${probe.error ?? probe.stderr.trim()}`);
    return probe.stdout.trim().split(/\s+/).slice(1);
  }

  /** Brings one module version into the cache through the proxy (or finds it there). */
  async function download(module: string, version: string): Promise<Download | undefined> {
    if (options.cacheOnly) {
      return { version, ...parseInfo(await readCachedInfo(options.host, options.gomodcache, module, version)) };
    }
    const probe = await go(['mod', 'download', '-json', `${module}@${version}`]);
    let json: { Info?: string; Zip?: string; Error?: string; Origin?: { Hash?: string } } = {};
    try {
      json = JSON.parse(probe.stdout) as typeof json;
    } catch {
      // no JSON: the go command failed before it could say why
    }
    // A release whose go.mod needs a newer Go than ours is downloaded (Zip) but not extracted (Error): the zip is enough.
    const zipThere = json.Zip ? (await options.host.stat(json.Zip)).isFile : false;
    if (!zipThere) {
      changes.push(`! ${module}@${version}: go mod download failed: ${(json.Error ?? probe.error ?? probe.stderr).trim().split('\n')[0]}`);
      return undefined;
    }
    const info = json.Info ? await options.host.readText(json.Info) : undefined;
    return { version, ...parseInfo(info), ...(json.Origin?.Hash ? { origin: json.Origin.Hash.slice(0, 12) } : {}) };
  }

  const proxySource = (module: string, d: Download, what: string) =>
    `module ${module}@${d.version} from the Go module proxy (${d.origin ? `${d.origin}, ` : ''}Time ${d.time ?? 'unknown'}): ${what}`;

  // Delve: compat.go range, go.mod go line, the DWARFv5 refusal.
  const delveTags = (await versions(DELVE_MODULE_PATH)).filter(
    (v) => isReleaseVersion(v) && compareModule(v, options.oldestDelve ?? '1.20.0') >= 0,
  );
  for (const tag of delveTags.sort(compareModule)) {
    const d = await download(DELVE_MODULE_PATH, tag);
    const mod = d && (await openCachedModule(options.host, options.gomodcache, DELVE_MODULE_PATH, tag));
    if (!d || !mod) continue;
    const [compat, goMod, commands] = await Promise.all([mod.read(DELVE_COMPAT_FILE), mod.read('go.mod'), mod.read(DELVE_COMMANDS_FILE)]);
    const flags = commands ? parseDlvDapFlags(commands) : [];
    if (flags.length) flagsByVersion.set(tag.slice(1), flags);
    const range = compat ? parseDelveCompat(compat) : undefined;
    const buildGo = goMod ? goModGoLine(goMod) : undefined;
    if (!range || !buildGo) {
      changes.push(`! delve ${tag}: ${DELVE_COMPAT_FILE} or go.mod not understood${why(mod)}; fix the row by hand`);
      continue;
    }
    const version = tag.slice(1);
    read.delve.push(version);
    const row: DelveRow = {
      version,
      date: d.time?.slice(0, 10) ?? '',
      goMin: range.goMin,
      goMax: range.goMax,
      buildGo,
      dwarf5Check: range.dwarf5Check,
      source: proxySource(DELVE_MODULE_PATH, d, `${DELVE_COMPAT_FILE}, go.mod`),
    };
    const old = files.delve.releases.find((r) => r.version === version);
    const same =
      old && old.goMin === row.goMin && old.goMax === row.goMax && old.buildGo === row.buildGo && old.dwarf5Check === row.dwarf5Check;
    if (same) continue;
    if (old) {
      changes.push(
        `~ delve ${version}: Go ${old.goMin}..${old.goMax}, go.mod ${old.buildGo}, DWARFv5 check ${old.dwarf5Check} -> Go ${row.goMin}..${row.goMax}, go.mod ${row.buildGo}, DWARFv5 check ${row.dwarf5Check}`,
      );
      Object.assign(old, row);
    } else {
      changes.push(`+ delve ${version}: Go ${row.goMin}..${row.goMax}, go.mod ${row.buildGo}, DWARFv5 check ${row.dwarf5Check}`);
      files.delve.releases.push(row);
    }
    log(`delve ${version} read`);
  }
  files.delve.releases.sort((a, b) => compareModule(a.version, b.version));
  mergeDlvFlags(files.dlvFlags, flagsByVersion, changes);
  read.dlvFlags = [...flagsByVersion.keys()];

  // gopls: go.mod go line per release; the table of dropped Go versions from the newest one.
  const goplsTags = (await versions(GOPLS_MODULE_PATH)).filter(
    (v) => isReleaseVersion(v) && compareModule(v, options.oldestGopls ?? '0.11.0') >= 0,
  );
  let newestSupport: { rows: Array<{ go: string; lastGopls: string }>; source: string } | undefined;
  for (const tag of goplsTags.sort(compareModule)) {
    const d = await download(GOPLS_MODULE_PATH, tag);
    const mod = d && (await openCachedModule(options.host, options.gomodcache, GOPLS_MODULE_PATH, tag));
    if (!d || !mod) continue;
    const [goMod, support] = await Promise.all([mod.read('go.mod'), mod.read(GOPLS_SUPPORT_FILE)]);
    const buildGo = goMod ? goModGoLine(goMod) : undefined;
    if (!buildGo) {
      changes.push(`! gopls ${tag}: go.mod not understood${why(mod)}; fix the row by hand`);
      continue;
    }
    const version = tag.slice(1);
    read.gopls.push(version);
    const supported = support ? parseGoplsSupported(support) : undefined;
    if (supported) newestSupport = { rows: coalesceLastForGo(supported), source: proxySource(GOPLS_MODULE_PATH, d, GOPLS_SUPPORT_FILE) };
    const old = files.gopls.releases.find((r) => r.version === version);
    if (old && old.buildGo === buildGo) continue;
    const row: GoplsRow = { version, date: d.time?.slice(0, 10) ?? '', buildGo, source: proxySource(GOPLS_MODULE_PATH, d, 'go.mod') };
    if (old) {
      changes.push(`~ gopls ${version}: go.mod ${old.buildGo} -> ${buildGo}`);
      Object.assign(old, row);
    } else {
      changes.push(`+ gopls ${version}: go.mod ${buildGo}`);
      files.gopls.releases.push(row);
    }
  }
  files.gopls.releases.sort((a, b) => compareModule(a.version, b.version));
  if (newestSupport) {
    const same =
      newestSupport.rows.length === files.gopls.lastForGo.length &&
      newestSupport.rows.every((r, i) => r.go === files.gopls.lastForGo[i]!.go && r.lastGopls === files.gopls.lastForGo[i]!.lastGopls);
    if (!same) {
      changes.push(
        `~ gopls lastForGo: ${files.gopls.lastForGo.map((r) => `${r.go}=${r.lastGopls}`).join(' ')} -> ${newestSupport.rows.map((r) => `${r.go}=${r.lastGopls}`).join(' ')}`,
      );
      files.gopls.lastForGo = newestSupport.rows.map((r) => ({ ...r, source: newestSupport!.source }));
    }
  }

  // Go: the newest patch of each minor, from the golang.org/toolchain versions the proxy lists.
  const newestPatch = new Map<string, { patch: string; toolchain: string }>();
  for (const v of await versions('golang.org/toolchain')) {
    const m = /^v0\.0\.1-go(\d+)\.(\d+)(?:\.(\d+))?\.[a-z0-9]+-[a-z0-9]+$/.exec(v);
    if (!m) continue;
    const minor = `${m[1]}.${m[2]}`;
    const patch = `${minor}.${m[3] ?? '0'}`;
    const best = newestPatch.get(minor);
    if (!best || compareModule(patch, best.patch) > 0) newestPatch.set(minor, { patch, toolchain: v });
  }
  for (const [minor, { patch, toolchain }] of [...newestPatch].sort((a, b) => compareModule(`${a[0]}.0`, `${b[0]}.0`))) {
    read.go.push(patch);
    const row = files.go.releases.find((r) => r.go === minor);
    if (!row) {
      if (compareModule(`${minor}.0`, `${files.go.releases[files.go.releases.length - 1]!.go}.0`) > 0) {
        changes.push(
          `! go ${minor} (${patch}) has no row: add it with the oldest macOS from its release notes (golang/website _content/doc/go${minor}.md)`,
        );
      }
      continue;
    }
    if (row.latestPatch === undefined || compareModule(patch, row.latestPatch) <= 0) continue;
    const info = options.cacheOnly ? await download('golang.org/toolchain', toolchain) : await toolchainInfo(toolchain);
    changes.push(`~ go ${minor}: newest patch ${row.latestPatch} -> ${patch}`);
    row.latestPatch = patch;
    row.latestPatchDate = info?.time?.slice(0, 10) ?? row.latestPatchDate;
    row.latestPatchSource = `module golang.org/toolchain@${toolchain} from the Go module proxy (Time ${info?.time ?? 'unknown'})`;
  }

  async function toolchainInfo(version: string): Promise<Download | undefined> {
    // `go list -m -json` fetches only the .info, not the toolchain zip.
    const probe = await go(['list', '-m', '-json', `golang.org/toolchain@${version}`]);
    if (probe.outcome !== 'ok') return undefined;
    const time = (JSON.parse(probe.stdout) as { Time?: string }).Time;
    return { version, ...(time ? { time } : {}) };
  }

  if (!options.cacheOnly) {
    files.delve.asOf = options.today;
    files.gopls.asOf = options.today;
    files.go.asOf = options.today;
  }
  return { files, changes, read };
}

/**
 * The flags `dlv dap` accepts, with the first and last Delve release read that has each. A version
 * not read leaves the rows alone; a flag gone from the newest release read gets an "until".
 */
function mergeDlvFlags(
  table: KnowledgeFiles['dlvFlags'],
  byVersion: Map<string, Array<{ name: string; short?: string }>>,
  changes: string[],
): void {
  const versions = [...byVersion.keys()].sort(compareModule);
  if (!versions.length) return;
  const newest = versions[versions.length - 1]!;
  for (const v of versions) {
    for (const f of byVersion.get(v)!) {
      const row = table.flags.find((r) => r.name === f.name);
      if (!row) {
        table.flags.push({ name: f.name, ...(f.short ? { short: f.short } : {}), since: v });
        changes.push(`+ dlv flag --${f.name} (since ${v})`);
      } else if (compareModule(v, row.since) < 0) {
        row.since = v;
      }
    }
  }
  for (const row of table.flags) {
    const inNewest = byVersion.get(newest)!.some((f) => f.name === row.name);
    if (!inNewest && !row.until) {
      const last = [...versions].reverse().find((v) => byVersion.get(v)!.some((f) => f.name === row.name));
      if (last) {
        row.until = last;
        changes.push(`~ dlv flag --${row.name}: last in ${last}`);
      }
    } else if (inNewest && row.until && compareModule(newest, row.until) > 0) {
      delete row.until;
    }
  }
  table.flags.sort((a, b) => a.name.localeCompare(b.name));
}

/** What went wrong reading a module's zip, for a "needs a person" line. */
function why(mod: ModuleFiles): string {
  return mod.problems.length ? ` (${mod.problems.join('; ')})` : '';
}

/** The "Time" of a `.info` file, when it is one (RFC 3339, as the go command writes it): it lands in the data. */
function parseInfo(text: string | undefined): { time?: string } {
  const time = infoTime(text);
  return time && RFC3339.test(time) ? { time } : {};
}

/** The versions of a module the module cache holds (its download folder's .info/.zip files). */
async function cachedVersions(host: Host, gomodcache: string, module: string): Promise<string[]> {
  const dir = path.join(gomodcache, 'cache', 'download', ...escapeModulePath(module).split('/'), '@v');
  const names = (await host.listDir(dir)) ?? [];
  const found = new Set<string>();
  for (const name of names) {
    const m = /^(v.+)\.(info|zip)$/.exec(name);
    if (m) found.add(m[1]!.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase()));
  }
  return [...found];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

const TABLES = { delve: 'delve.json', gopls: 'gopls.json', go: 'go.json', dlvFlags: 'dlvFlags.json' } as const;

/**
 * The script's entry (scripts/knowledge-refresh.mjs). Flags: --cache-only (no network: only what the
 * module cache holds), --out DIR (write there instead of over the data), --dry-run (print only).
 */
export async function refreshMain(argv: string[], dataDir: string, print: (line: string) => void = console.log): Promise<number> {
  const cacheOnly = argv.includes('--cache-only');
  const dryRun = argv.includes('--dry-run');
  const outIndex = argv.indexOf('--out');
  const outDir = outIndex >= 0 ? argv[outIndex + 1] : dataDir;
  if (!outDir) throw new Error('--out needs a folder');
  const host = new LiveHost();
  const gomodcache = await goModCacheDir(host, 30_000);
  if (!gomodcache) throw new Error('`go env GOMODCACHE` gave no folder: is go on PATH?');
  const current = Object.fromEntries(
    await Promise.all(
      Object.entries(TABLES).map(async ([key, file]) => [key, JSON.parse(await readFile(path.join(dataDir, file), 'utf8'))]),
    ),
  ) as KnowledgeFiles;
  const started = Date.now();
  const result = await refreshKnowledge(current, { host, gomodcache, cacheOnly, today: new Date().toISOString().slice(0, 10) });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  print(
    `Read ${result.read.delve.length} Delve (${result.read.dlvFlags.length} with their dlv flags), ${result.read.gopls.length} gopls releases and ${result.read.go.length} Go minors ${cacheOnly ? `from the module cache ${gomodcache}` : 'through the Go module proxy'} in ${seconds} s.`,
  );
  for (const line of result.changes) print(`  ${line}`);
  if (!result.changes.length) print('  no changes: the data is up to date.');
  if (dryRun) return 0;
  // Checked before anything is written: a table is replaced only as a regular file of its folder,
  // never through a symbolic link that leads elsewhere (the other tables stay as they were).
  for (const file of Object.values(TABLES)) {
    const target = path.join(outDir, file);
    const st = await lstat(target).catch(() => undefined);
    if (st?.isSymbolicLink()) throw new Error(`${target} is a symbolic link; not writing through it`);
    if (st && !st.isFile()) throw new Error(`${target} is not a regular file; not replacing it`);
  }
  for (const [key, file] of Object.entries(TABLES) as Array<[keyof KnowledgeFiles, string]>) {
    const text = `${JSON.stringify(result.files[key], null, 2)}\n`;
    const target = path.join(outDir, file);
    const before = await readFile(target, 'utf8').catch(() => undefined);
    if (before !== text) await writeFileAtomic(target, text);
  }
  return 0;
}
