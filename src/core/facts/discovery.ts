import * as path from 'node:path';
import type { Host } from '../probes/host';

/** The Go extension's settings that decide which binaries it runs (all optional). */
export interface ToolSettings {
  /** go.alternateTools: tool name → absolute path or another binary name. */
  alternateTools?: Record<string, string>;
  /** go.goroot */
  goroot?: string;
  /** go.toolsGopath */
  toolsGopath?: string;
  /** go.gopath */
  gopath?: string;
  /** Paths the Go extension itself reports through its API (exact when present). */
  fromGoExtension?: Record<string, string>;
}

export type CandidateSource =
  'Go extension API' | 'go.alternateTools' | 'GOBIN' | 'go.toolsGopath' | 'GOPATH' | 'go.goroot' | 'GOROOT' | 'PATH' | 'default folder';

export interface ToolCandidate {
  path: string;
  source: CandidateSource;
}

export interface ToolLocation {
  tool: string;
  /** The binary the Go extension would run, when one exists. */
  found?: ToolCandidate;
  /** Every existing candidate, in the Go extension's search order (the first is `found`). */
  candidates: ToolCandidate[];
  /** Where it looked, for the "not found" message. */
  searched: string[];
  /** A configured alternate that does not exist (the Go extension silently ignores it). */
  ignoredAlternate?: string;
  /**
   * Places not searched, for safety: relative PATH (or GOPATH...) entries, which would name a
   * different folder for every working directory, and binaries inside the workspace found only
   * through PATH (a checkout must not supply the go or dlv we run). Each with the reason.
   */
  skipped?: string[];
}

/** GOPATH, GOBIN and GOROOT as the go command sees them, without running it. */
export interface GoPaths {
  gopath: string[];
  gobin: string[];
  goroot?: string;
  /** Where each value came from: environment, the go env file, or the default. */
  origin: Record<'GOPATH' | 'GOBIN', 'environment' | 'go env file' | 'default' | 'unset'>;
  goEnvFile?: string;
}

/** A PATH-style list ("a:b::c") as its non-empty entries. */
export function pathList(host: Host, value: string | undefined): string[] {
  return (value ?? '').split(host.pathSeparator).filter(Boolean);
}

/** The file `go env -w` writes to: $GOENV, else os.UserConfigDir()/go/env. */
export function goEnvFilePath(host: Host): string | undefined {
  const explicit = host.env('GOENV');
  if (explicit !== undefined) return explicit === 'off' || explicit === '' ? undefined : explicit;
  let configDir: string | undefined;
  if (host.platform === 'darwin') configDir = path.posix.join(host.homedir, 'Library', 'Application Support');
  else if (host.platform === 'win32') configDir = host.env('AppData');
  else configDir = host.env('XDG_CONFIG_HOME') || path.posix.join(host.homedir, '.config');
  return configDir ? path.join(configDir, 'go', 'env') : undefined;
}

export function parseGoEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq <= 0 || line.trimStart().startsWith('#')) continue;
    values[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return values;
}

export async function resolveGoPaths(host: Host): Promise<GoPaths> {
  const file = goEnvFilePath(host);
  const fileValues = file ? parseGoEnvFile((await host.readText(file)) ?? '') : {};
  const origin: GoPaths['origin'] = { GOPATH: 'default', GOBIN: 'unset' };
  let gopath: string[];
  const envGopath = host.env('GOPATH');
  if (envGopath) {
    gopath = pathList(host, envGopath);
    origin.GOPATH = 'environment';
  } else if (fileValues.GOPATH) {
    gopath = pathList(host, fileValues.GOPATH);
    origin.GOPATH = 'go env file';
  } else {
    gopath = [path.join(host.homedir, 'go')];
  }
  let gobin: string[] = [];
  const envGobin = host.env('GOBIN');
  if (envGobin) {
    gobin = pathList(host, envGobin);
    origin.GOBIN = 'environment';
  } else if (fileValues.GOBIN) {
    gobin = pathList(host, fileValues.GOBIN);
    origin.GOBIN = 'go env file';
  }
  const goroot = host.env('GOROOT') || fileValues.GOROOT || undefined;
  return { gopath, gobin, ...(goroot ? { goroot } : {}), origin, ...(file ? { goEnvFile: file } : {}) };
}

/** Expands a leading ~ and ${env:X} the way the Go extension does for path settings. */
export function expandSetting(value: string, host: Host, workspaceFolder?: string): string {
  let v = value.replace(/\$\{env:([^}]+)\}/g, (_, name: string) => host.env(name) ?? '');
  if (workspaceFolder)
    v = v
      .replace(/\$\{workspace(?:Folder|Root)\}/g, workspaceFolder)
      .replace(/\$\{workspaceFolderBasename\}/g, path.basename(workspaceFolder));
  if (v === '~' || v.startsWith('~/')) v = path.join(host.homedir, v.slice(1));
  return v;
}

/** Where the Go extension looks for go when nothing else has it (pathUtils.ts in golang/vscode-go). */
export function defaultGoFolders(host: Host): string[] {
  return host.platform === 'win32'
    ? ['C:\\Program Files\\Go\\bin', 'C:\\Program Files (x86)\\Go\\bin']
    : ['/usr/local/go/bin', '/usr/local/bin'];
}

function exeName(host: Host, name: string): string {
  return host.platform === 'win32' && !name.toLowerCase().endsWith('.exe') ? `${name}.exe` : name;
}

async function isExecutable(host: Host, file: string): Promise<boolean> {
  const st = await host.stat(file);
  return st.exists === true && st.isFile === true && (host.platform === 'win32' || st.executable === true);
}

/**
 * Finds `tool` in the order the Go extension uses (extension/src/utils/pathUtils.ts in
 * golang/vscode-go): an absolute go.alternateTools entry; then GOBIN; go.toolsGopath/bin and every
 * GOPATH/bin (not for go); GOROOT/bin; PATH; and for go only /usr/local/go/bin and /usr/local/bin.
 *
 * Every folder is looked at as soon as it is known, all at once: PATH while the go env file (GOBIN,
 * GOPATH) is still being read and GOROOT still being worked out. Each start of the doctor waits for
 * this before its first probe.
 */
export async function locateTool(
  host: Host,
  tool: 'go' | 'dlv' | 'gopls' | string,
  settings: ToolSettings,
  goPaths: GoPaths | Promise<GoPaths>,
  /** `goroot` may still be being worked out: the other folders are looked at meanwhile. */
  options: { workspaceFolder?: string; goroot?: string | Promise<string | undefined>; defaultGoFolders?: readonly string[] } = {},
): Promise<ToolLocation> {
  const location: ToolLocation = { tool, candidates: [], searched: [] };
  const workspaceReal = options.workspaceFolder
    ? host.realpath(options.workspaceFolder).then((real) => real ?? options.workspaceFolder)
    : undefined;
  const reported = settings.fromGoExtension?.[tool];
  const alternate = settings.alternateTools?.[tool];
  const alternateExpanded = alternate ? expandSetting(alternate, host, options.workspaceFolder) : undefined;
  const alternatePath = alternateExpanded && path.isAbsolute(alternateExpanded) ? alternateExpanded : undefined;
  const file = exeName(host, alternateExpanded && !alternatePath ? alternateExpanded : tool);

  const paths = Promise.resolve(goPaths);
  const groups: Array<{ dirs: readonly string[] | Promise<readonly string[]>; source: CandidateSource }> = [];
  groups.push({ dirs: paths.then((p) => p.gobin), source: 'GOBIN' });
  if (tool !== 'go') {
    if (settings.toolsGopath) {
      const entries = pathList(host, expandSetting(settings.toolsGopath, host, options.workspaceFolder));
      groups.push({ dirs: entries.map((entry) => path.join(entry, 'bin')), source: 'go.toolsGopath' });
    }
    const gopath = settings.gopath
      ? pathList(host, expandSetting(settings.gopath, host, options.workspaceFolder))
      : paths.then((p) => p.gopath);
    groups.push({ dirs: Promise.resolve(gopath).then((entries) => entries.map((entry) => path.join(entry, 'bin'))), source: 'GOPATH' });
  }
  const goroot = settings.goroot
    ? expandSetting(settings.goroot, host, options.workspaceFolder)
    : (options.goroot ?? paths.then((p) => p.goroot));
  groups.push({
    dirs: Promise.resolve(goroot).then((g) => (g ? [path.join(g, 'bin')] : [])),
    source: settings.goroot ? 'go.goroot' : 'GOROOT',
  });
  groups.push({ dirs: pathList(host, host.env('PATH') ?? host.env('Path') ?? ''), source: 'PATH' });
  if (tool === 'go') groups.push({ dirs: options.defaultGoFolders ?? defaultGoFolders(host), source: 'default folder' });

  // A folder listed twice (PATH often has repeats) is looked at once.
  const looked = new Map<string, Promise<boolean>>();
  const executable = (candidate: string) => {
    let known = looked.get(candidate);
    if (!known) looked.set(candidate, (known = isExecutable(host, candidate)));
    return known;
  };
  const check = async (
    resolved: string,
    source: CandidateSource,
  ): Promise<{ candidate: string; source: CandidateSource; ok: boolean; skip?: string }> => {
    const candidate = path.join(resolved, file);
    // A recording writes the home folder as ~: its paths are as absolute as the machine's were.
    if (!path.isAbsolute(resolved) && resolved !== host.homedir && !resolved.startsWith(`${host.homedir}/`)) {
      return {
        candidate,
        source,
        ok: false,
        skip: `${source} entry "${resolved}" is relative (it would mean another folder in every working directory); ignored`,
      };
    }
    const ok = await executable(candidate);
    const workspace = await workspaceReal;
    if (ok && workspace && UNNAMED_SOURCES.has(source) && isInside((await host.realpath(candidate)) ?? candidate, workspace)) {
      return {
        candidate,
        source,
        ok: false,
        skip: `${candidate} (${source}) is inside the workspace; not run unless you name it (go.alternateTools in your user settings, or --dlv)`,
      };
    }
    return { candidate, source, ok };
  };
  const [reportedOk, alternateOk, checked] = await Promise.all([
    reported && path.isAbsolute(reported) ? executable(reported) : false,
    alternatePath ? executable(alternatePath) : false,
    Promise.all(groups.map(async ({ dirs, source }) => Promise.all((await dirs).map((dir) => check(dir, source))))),
  ]);

  if (reportedOk) location.candidates.push({ path: reported!, source: 'Go extension API' });
  if (alternatePath) {
    location.searched.push(alternatePath);
    if (!alternateOk) location.ignoredAlternate = alternatePath;
    else if (!location.candidates.some((c) => c.path === alternatePath))
      location.candidates.push({ path: alternatePath, source: 'go.alternateTools' });
  }
  const seen = new Set(location.candidates.map((c) => c.path));
  const skipped: string[] = [];
  for (const { candidate, source, ok, skip } of checked.flat()) {
    if (skip) {
      if (!skipped.includes(skip)) skipped.push(skip);
      continue;
    }
    if (!location.searched.includes(candidate)) location.searched.push(candidate);
    if (ok && !seen.has(candidate)) {
      seen.add(candidate);
      location.candidates.push({ path: candidate, source });
    }
  }
  if (location.candidates[0]) location.found = location.candidates[0];
  if (skipped.length) location.skipped = skipped;
  return location;
}

/**
 * Where a binary inside the workspace is not taken from: PATH and the default folders name no
 * tool in particular. GOBIN, GOPATH and GOROOT are the user's Go settings, go.alternateTools and the
 * Go extension's own report name the binary.
 */
const UNNAMED_SOURCES = new Set<CandidateSource>(['PATH', 'default folder']);

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
