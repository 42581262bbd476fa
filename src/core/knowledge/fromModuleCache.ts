import type { Host } from '../probes/host';
import type { DelveRelease, UnreadableModule } from './index';
import type { CachedGopls } from './moduleCache';
import {
  DELVE_COMPAT_FILE,
  DELVE_MODULE_PATH,
  GOPLS_MODULE_PATH,
  GOPLS_SUPPORT_FILE,
  goModGoLine,
  infoTime,
  openCachedModule,
  parseDelveCompat,
  parseGoplsSupported,
  readCachedInfo,
} from './moduleCache';

/** The release time the go command recorded when it downloaded the module (`@v/<version>.info`). */
async function cachedReleaseDate(host: Host, gomodcache: string, module: string, version: string): Promise<string | undefined> {
  const time = infoTime(await readCachedInfo(host, gomodcache, module, version));
  return time && /^\d{4}-\d{2}-\d{2}/.test(time) ? time.slice(0, 10) : undefined;
}

/**
 * A Delve release our data does not know, judged from its own compat.go and go.mod in the user's
 * module cache (there whenever that dlv was built with `go install`). Never downloads.
 */
export async function delveReleaseFromModuleCache(
  host: Host,
  gomodcache: string | undefined,
  version: string,
): Promise<DelveRelease | UnreadableModule | undefined> {
  if (!gomodcache) return undefined;
  const files = await openCachedModule(host, gomodcache, DELVE_MODULE_PATH, version);
  if (!files) return undefined;
  const [compat, goMod] = await Promise.all([files.read(DELVE_COMPAT_FILE), files.read('go.mod')]);
  const range = compat ? parseDelveCompat(compat) : undefined;
  const buildGo = goMod ? goModGoLine(goMod) : undefined;
  if (!range || !buildGo) {
    // There, but not usable: say why rather than "not in your module cache".
    const why = files.problems[0] ?? (compat && !range ? `${DELVE_COMPAT_FILE} holds no Go version range we can read` : undefined);
    return why ? { unreadable: why, location: files.location } : undefined;
  }
  const date = (await cachedReleaseDate(host, gomodcache, DELVE_MODULE_PATH, files.version)) ?? '';
  return {
    version: files.version.replace(/^v/, ''),
    date,
    ...range,
    buildGo,
    source: `${DELVE_COMPAT_FILE} and go.mod of ${DELVE_MODULE_PATH}@${files.version} in the Go module cache (${files.location})`,
  };
}

export type { CachedGopls } from './moduleCache';

/** A gopls our data does not know: its go.mod go line and its own table of dropped Go versions. */
export async function goplsFromModuleCache(host: Host, gomodcache: string | undefined, version: string): Promise<CachedGopls | undefined> {
  if (!gomodcache) return undefined;
  const files = await openCachedModule(host, gomodcache, GOPLS_MODULE_PATH, version);
  if (!files) return undefined;
  const [goMod, support] = await Promise.all([files.read('go.mod'), files.read(GOPLS_SUPPORT_FILE)]);
  const buildGo = goMod ? goModGoLine(goMod) : undefined;
  const lastForGo = support ? parseGoplsSupported(support) : undefined;
  if (!buildGo || !lastForGo) return undefined;
  return {
    version: files.version.replace(/^v/, ''),
    buildGo,
    lastForGo: coalesceLastForGo(lastForGo),
    source: `go.mod and ${GOPLS_SUPPORT_FILE} of ${GOPLS_MODULE_PATH}@${files.version} in the Go module cache (${files.location})`,
  };
}

/** One row per last gopls: the newest Go it is the last for (Go 1.16 and 1.17 share 0.11.0, so 1.17 stands for both). */
export function coalesceLastForGo(rows: ReadonlyArray<{ go: string; lastGopls: string }>): Array<{ go: string; lastGopls: string }> {
  const out: Array<{ go: string; lastGopls: string }> = [];
  for (const row of rows) {
    const prev = out[out.length - 1];
    if (prev && prev.lastGopls === row.lastGopls) prev.go = row.go;
    else out.push({ ...row });
  }
  return out;
}

/** GOMODCACHE as `go env` reports it (for callers without Facts, like `compat`); never downloads a toolchain. */
export async function goModCacheDir(host: Host, timeoutMs = 10_000): Promise<string | undefined> {
  const probe = await host.run(['go', 'env', 'GOMODCACHE'], { timeoutMs, envOverrides: { GOTOOLCHAIN: 'local' } });
  const dir = probe.outcome === 'ok' ? probe.stdout.trim() : '';
  return dir || undefined;
}
