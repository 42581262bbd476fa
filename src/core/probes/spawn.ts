// The one place that starts probes (eslint forbids child_process everywhere else but the watchdog).
// eslint-disable-next-line no-restricted-imports
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { firstLine } from './display';
import { freshMark, MARK_VARIABLE } from './mark';
import { guardMark, type Guard } from './watchdog';

export const OWN_GROUP = process.platform !== 'win32';

/**
 * A bare command name ("uname") as an absolute path from PATH's absolute entries. Relative entries
 * ("bin", ".", an empty one) are skipped: they would resolve against the child's working folder,
 * which is often the workspace, so a checkout could supply the program. Paths are kept as given.
 */
export function resolveCommand(file: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (file.includes('/') || (process.platform === 'win32' && file.includes('\\'))) return file;
  if (process.platform === 'win32') return file;
  for (const dir of (env.PATH ?? '').split(':')) {
    if (!dir.startsWith('/')) continue;
    const candidate = `${dir.endsWith('/') ? dir : `${dir}/`}${file}`;
    try {
      if (statSync(candidate).isFile()) {
        accessSync(candidate, fsConstants.X_OK);
        return candidate;
      }
    } catch {
      // not here, or not executable: keep looking, as execvp does
    }
  }
  return undefined;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Starts argv[0] (never through a shell) in its own process group, so that a timeout or stop kills
 * the whole tree, with a fresh mark in its environment by which escaped descendants are found.
 * `dieWithUs`: the watchdog knows the process from before its start, so that even our SIGKILL an
 * instant after the spawn ends it; the caller releases the guard when the process has ended.
 * Says why when it cannot start; never throws.
 */
export function spawnMarked(
  argv: readonly string[],
  options: { cwd?: string; env?: Readonly<Record<string, string | undefined>> },
  stdin: 'ignore' | 'pipe',
  dieWithUs = false,
): { child: ChildProcess; mark: string; guard?: Guard } | { error: string; reason: 'not-found' | 'error' } {
  const [file, ...args] = argv;
  if (!file) return { error: 'empty command', reason: 'error' };
  if (options.cwd !== undefined && !isDirectory(options.cwd)) {
    return { error: `working folder ${options.cwd} does not exist or is not a folder`, reason: 'error' };
  }
  const command = resolveCommand(file, options.env ?? process.env);
  if (!command) return { error: `${file}: not found`, reason: 'not-found' };
  const mark = freshMark();
  const guard = dieWithUs && OWN_GROUP ? guardMark(mark) : undefined;
  try {
    const child = spawn(command, args, {
      shell: false,
      stdio: [stdin, 'pipe', 'pipe'],
      detached: OWN_GROUP,
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), [MARK_VARIABLE]: mark } as NodeJS.ProcessEnv,
      windowsHide: true,
    });
    if (child.pid) guard?.started(child.pid);
    else guard?.release();
    return { child, mark, ...(guard ? { guard } : {}) };
  } catch (err) {
    guard?.release();
    return { error: `cannot start ${file}: ${firstLine(err instanceof Error ? err.message : String(err))}`, reason: 'error' };
  }
}
