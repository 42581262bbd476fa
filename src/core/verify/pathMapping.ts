import * as path from 'node:path';

export interface SubstituteEntry {
  /** A prefix of the paths the editor uses. */
  from: string;
  /** The matching prefix of the paths the debuggee was built with. */
  to: string;
}

export interface LocalModule {
  /** Module path from go.mod. */
  path: string;
  /** Folder as the editor sees it (not resolved through symbolic links). */
  dir: string;
}

export interface PathMapping {
  /** The local prefix of the mapping (the editor's paths), when the paths differ. */
  localRoot?: string;
  /** The prefix the debuggee's file names carry instead. */
  debuggeeRoot?: string;
  /** Opened path -> real path, for each symbolic link on the way to a breakpoint's file. */
  symlinks: { path: string; realpath: string }[];
  /** The debuggee's names are module-path-relative (built with -trimpath). */
  trimpath: boolean;
  /** Entries that make every breakpoint file match (the configuration's own entries first). */
  substitutePath: SubstituteEntry[];
  /** Only the entries to add to the configuration. */
  missing: SubstituteEntry[];
  /** The debuggee's own source files that still match no local file after the mapping (a few). */
  unmatched: string[];
  /** Why the names differ, one sentence, when they do. */
  cause?: string;
  kind?: 'symlink' | 'trimpath' | 'build-root';
}

export interface MappingInput {
  /** Local files the breakpoints are in, as the editor names them. */
  files: string[];
  /** The same files resolved through symbolic links (same order; undefined when missing). */
  realFiles: (string | undefined)[];
  /** Every source file name the debuggee was built from (Delve's `sources`). */
  sources: string[];
  /** The configuration's substitutePath entries. */
  existing: SubstituteEntry[];
  /** Modules of the workspace (for -trimpath names). */
  modules: LocalModule[];
  /** GOROOT, to leave the standard library out of the comparison. */
  goroot?: string;
  /** True when a local file exists (to show the debuggee files that still match nothing). */
  exists?: (file: string) => boolean;
  /**
   * False when a debuggee file can be read on this machine and differs from the local file: then it
   * is another file of the same name (another package), not the same file under another root.
   */
  sameContent?: (local: string, debuggee: string) => Promise<boolean | undefined>;
  /** Resolves symbolic links (to find the link itself on the way to a file). */
  realpath?: (p: string) => Promise<string | undefined>;
  /**
   * The workspace folder: an entry whose local side would be above it (a debuggee name sharing more
   * than the workspace's own path) is narrowed to start at it, with the same effect on its files.
   */
  folder?: string;
}

/** Delve's rule (pkg/locspec SubstitutePath): the first entry whose `from` is a prefix of the path at a separator. */
export function applySubstitute(file: string, entries: readonly SubstituteEntry[], direction: 'toDebuggee' | 'toLocal'): string {
  for (const e of entries) {
    const [from, to] = direction === 'toDebuggee' ? [e.from, e.to] : [e.to, e.from];
    if (from === '') {
      if (!file.startsWith('/')) return join(to, file);
      continue;
    }
    if (file === from) return to;
    const prefix = from.endsWith('/') ? from : `${from}/`;
    if (file.startsWith(prefix)) return join(to, file.slice(prefix.length));
  }
  return file;
}

function join(root: string, rest: string): string {
  if (!root) return rest;
  return root.endsWith('/') ? root + rest : `${root}/${rest}`;
}

/** More source files than a real program has (a big one has tens of thousands). */
export const MAX_SOURCE_FILES = 200_000;

/**
 * The file names in Delve's `sources` answer, one a line. An answer with more than MAX_SOURCE_FILES
 * is refused before it is split: a million names cost hundreds of MB as strings.
 */
export function sourceFiles(answer: string): string[] {
  let lines = 0;
  for (let at = answer.indexOf('\n'); at >= 0; at = answer.indexOf('\n', at + 1))
    if (++lines >= MAX_SOURCE_FILES) throw new Error(`the server lists more than ${MAX_SOURCE_FILES} source files; they were not read`);
  return answer
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The GOROOT the debuggee was built with, read off its runtime's file names. */
export function gorootOf(sources: readonly string[]): string | undefined {
  for (const s of sources) {
    const m = /^(.*)\/src\/runtime\/proc\.go$/.exec(s);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * A debuggee file that belongs to the user's code, not the Go distribution or the module cache. The
 * go command records clean names: one with `.` or `..` segments, empty segments or control
 * characters came from something other than a build, and is never a root to map.
 */
export function isUserSource(file: string, goroot?: string): boolean {
  if (file.startsWith('<') || file.includes('/pkg/mod/') || file.startsWith('$GOROOT')) return false;
  if (/(^|\/)\.\.?(\/|$)|\/\/|\p{Cc}/u.test(file)) return false;
  if (goroot && (file === goroot || file.startsWith(`${goroot}/`))) return false;
  if (/(^|\/)go\/src\/(runtime|internal|reflect|sync|syscall|os|fmt|strconv|unicode|io|errors|math|sort|time|strings|bytes)\//.test(file))
    return false;
  return true;
}

/**
 * Compares the names the editor will send with the names in the debuggee and computes the
 * substitutePath entries that make them agree. The longest common tail of a breakpoint file and a
 * debuggee file names the rest as the two roots.
 */
export async function analysePaths(input: MappingInput): Promise<PathMapping> {
  const result: PathMapping = { symlinks: [], trimpath: false, substitutePath: [...input.existing], missing: [], unmatched: [] };
  const sources = new Set(input.sources);
  const user = input.sources.filter((s) => isUserSource(s, input.goroot));
  const trimmed = user.filter((s) => !s.startsWith('/'));
  result.trimpath = trimmed.length > 0 && input.modules.some((m) => trimmed.some((s) => s.startsWith(`${m.path}/`)));
  for (const [i, file] of input.files.entries()) {
    const real = input.realFiles[i];
    if (!real || real === file) continue;
    const link = input.realpath ? await findLink(file, input.realpath) : undefined;
    const pair = link ?? tailless(file, real);
    if (!result.symlinks.some((s) => s.path === pair.path)) result.symlinks.push(pair);
  }
  for (const [i, file] of input.files.entries()) {
    const sent = applySubstitute(file, result.substitutePath, 'toDebuggee');
    if (sources.has(sent)) continue;
    const link = result.symlinks.find((l) => file.startsWith(`${l.path}/`));
    const viaLink =
      link && sources.has(applySubstitute(file, [{ from: link.path, to: link.realpath }, ...result.substitutePath], 'toDebuggee'));
    const entry = viaLink
      ? { from: link.path, to: link.realpath, kind: 'symlink' as const }
      : await entryFor(file, input.realFiles[i], user, input.modules, sources, input.sameContent);
    if (!entry) continue;
    if (input.folder && input.folder !== entry.from && input.folder.startsWith(entry.from === '/' ? '/' : `${entry.from}/`)) {
      entry.to = join(entry.to, input.folder.slice(entry.from.length).replace(/^\//, ''));
      entry.from = input.folder;
    }
    if (!result.substitutePath.some((e) => e.from === entry.from && e.to === entry.to)) {
      // Ahead of the user's own entries: the first match wins in Delve.
      result.missing.push({ from: entry.from, to: entry.to });
      result.substitutePath = [...result.missing, ...input.existing];
    }
    result.localRoot ??= entry.from;
    result.debuggeeRoot ??= entry.to;
    result.kind ??= entry.kind;
  }
  if (result.kind === 'trimpath') {
    result.cause =
      "The program was built with -trimpath, so its file names start with the module path instead of the folder on disk; Delve cannot match the editor's absolute paths.";
  } else if (result.kind === 'symlink') {
    result.cause = `The workspace is opened through a symbolic link (${result.localRoot} -> ${result.debuggeeRoot}); the go command records the real path, the editor sends the linked one, and Delve compares names, not files.`;
  } else if (result.kind === 'build-root') {
    result.cause = `The program was built from another folder (${result.debuggeeRoot}, e.g. a container's or a remote host's copy), so its file names do not match the workspace (${result.localRoot}).`;
  }
  if (input.exists) {
    for (const s of user) {
      const local = applySubstitute(s, result.substitutePath, 'toLocal');
      if (!input.exists(local)) result.unmatched.push(s);
      if (result.unmatched.length >= 10) break;
    }
  }
  return result;
}

/** The outermost folder on the way to `file` that is a symbolic link, with its target. */
async function findLink(
  file: string,
  realpath: (p: string) => Promise<string | undefined>,
): Promise<{ path: string; realpath: string } | undefined> {
  const parts = file.split('/');
  for (let n = 2; n < parts.length; n++) {
    const dir = parts.slice(0, n).join('/');
    const real = await realpath(dir);
    if (real && real !== dir) return { path: dir, realpath: real };
  }
  return undefined;
}

/** Without a way to resolve folders: the two paths with their common tail removed. */
function tailless(file: string, real: string): { path: string; realpath: string } {
  const a = file.split('/');
  const b = real.split('/');
  while (a.length > 1 && b.length > 1 && a.at(-1) === b.at(-1)) {
    a.pop();
    b.pop();
  }
  return { path: a.join('/') || '/', realpath: b.join('/') || '/' };
}

async function entryFor(
  file: string,
  real: string | undefined,
  user: string[],
  modules: LocalModule[],
  sources: Set<string>,
  sameContent: MappingInput['sameContent'],
): Promise<(SubstituteEntry & { kind: NonNullable<PathMapping['kind']> }) | undefined> {
  // -trimpath: module path + path inside the module.
  for (const m of [...modules].sort((x, y) => y.dir.length - x.dir.length)) {
    if (!file.startsWith(`${m.dir}/`)) continue;
    const name = `${m.path}/${file.slice(m.dir.length + 1)}`;
    if (sources.has(name)) return { from: m.dir, to: m.path, kind: 'trimpath' };
  }
  let candidates = user.filter((c) => c.startsWith('/'));
  if (sameContent) {
    // Each check reads a file: a server that lists a million main.go must not cost a million reads.
    // The ones sharing the longest tail with `file` are the ones that could win.
    const base = path.posix.basename(file);
    const named = candidates.filter((c) => path.posix.basename(c) === base && real !== c);
    const mine = file.split('/');
    const tails = named.map((c) => tailLength(mine, c));
    const toCheck: string[] = [];
    for (let level = tails.reduce((a, b) => Math.max(a, b), 0); level > 0 && toCheck.length < MAX_CONTENT_CHECKS; level--)
      for (let i = 0; i < named.length && toCheck.length < MAX_CONTENT_CHECKS; i++) if (tails[i] === level) toCheck.push(named[i]!);
    const differ = await Promise.all(toCheck.map(async (c) => (await sameContent(file, c)) === false));
    const other = new Set(toCheck.filter((_, i) => differ[i]));
    candidates = candidates.filter((c) => !other.has(c));
  }
  const best = longestTail(file, candidates);
  if (!best) return undefined;
  const { localRoot, debuggeeRoot } = best;
  const kind =
    real && real !== file && (real === join(debuggeeRoot, file.slice(localRoot.length + 1)) || applyPrefix(real, debuggeeRoot))
      ? 'symlink'
      : 'build-root';
  return { from: localRoot, to: debuggeeRoot, kind };
}

function applyPrefix(real: string, root: string): boolean {
  return real.startsWith(`${root}/`);
}

const MAX_CONTENT_CHECKS = 64;

/** How many trailing path segments a name shares with `x` (a name split at its slashes). */
function tailLength(x: readonly string[], b: string): number {
  const y = b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[x.length - 1 - n] === y[y.length - 1 - n]) n++;
  return n;
}

/** The debuggee file sharing the longest tail of path segments with `file` (at least the file name and its folder). */
function longestTail(file: string, candidates: string[]): { localRoot: string; debuggeeRoot: string } | undefined {
  const mine = file.split('/');
  let best: { n: number; candidate: string } | undefined;
  let tie = false;
  for (const c of candidates) {
    const n = tailLength(mine, c);
    if (n === mine.length && n === c.split('/').length) continue;
    if (!best || n > best.n) {
      best = { n, candidate: c };
      tie = false;
    } else if (n === best.n) {
      tie = true;
    }
  }
  if (!best || best.n < 1 || (tie && best.n < 2)) return undefined;
  const theirs = best.candidate.split('/');
  const localRoot = mine.slice(0, mine.length - best.n).join('/') || '/';
  const debuggeeRoot = theirs.slice(0, theirs.length - best.n).join('/') || '/';
  return { localRoot, debuggeeRoot };
}

/** The folder part of a path with forward slashes (Delve's names always use them). */
export function slash(p: string): string {
  return p.split(path.sep).join('/');
}
