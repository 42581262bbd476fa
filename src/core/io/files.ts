import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { InputError } from './errors';
import { describeErrno, MAX_INPUT_BYTES, readUserFile } from './read';

/** What a file was when we read it: a write refuses to replace anything else. */
export interface FileSnapshot {
  size: number;
  mtimeMs: number;
  sha256: string;
}

export interface WriteOptions {
  /** Mode for a new file (an existing file keeps its own mode and owner). */
  mode?: number;
  /**
   * The file as it was read: `absent` (it did not exist) or its snapshot. When it has changed
   * since, nothing is written and an InputError says so (someone saved it meanwhile).
   */
  expect?: FileSnapshot | 'absent';
  /** For messages. Default: the path. */
  label?: string;
}

export function snapshotOf(bytes: Uint8Array, stat: { size: number; mtimeMs: number }): FileSnapshot {
  return { size: stat.size, mtimeMs: stat.mtimeMs, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Reads a file and remembers what it was (for writeFileAtomic's `expect`); undefined when missing. */
export async function readWithSnapshot(file: string, label = file): Promise<{ bytes: Buffer; snapshot: FileSnapshot } | undefined> {
  const before = await fs.stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new InputError(`${label}: ${describeErrno(err)}`);
  });
  if (!before) return undefined;
  const bytes = await readUserFile(file, { label });
  return { bytes, snapshot: snapshotOf(bytes, before) };
}

/**
 * Writes through a temporary file in the same folder and renames it over the target, so readers
 * see the old contents or the new, never half a file. The file keeps its identity: a symbolic link
 * is followed and its target written (the link stays a link), mode and owner are kept, anything
 * but a regular file (a device, a FIFO, a folder) is refused, and with `expect` a file changed
 * since it was read is left alone. Temporary files of ours left by a killed run are removed.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<void> {
  const label = options.label ?? file;
  const target = await resolveTarget(file, label);
  const existing = await fs.stat(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new InputError(`${label}: ${describeErrno(err)}`);
  });
  if (existing && !existing.isFile())
    throw new InputError(`${label}: ${existing.isDirectory() ? 'is a folder' : 'is a device or special file'}; not replacing it`);
  const dir = path.dirname(target);
  const dirStat = await fs.stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new InputError(`${label}: the folder ${dir} does not exist`);
  await removeStaleTemps(dir, path.basename(target));
  const tmp = path.join(dir, `${TEMP_PREFIX(path.basename(target))}${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const mode = existing ? existing.mode & 0o7777 : (options.mode ?? 0o666);
    await fs.writeFile(tmp, data, { mode, flag: 'wx' });
    if (existing) {
      // writeFile's mode is filtered by the umask: set the original one exactly.
      await fs.chmod(tmp, mode);
      if (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.()) {
        await fs.chown(tmp, existing.uid, existing.gid).catch(() => undefined);
      }
    }
    await checkUnchanged(target, options.expect, label);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    if (err instanceof InputError) throw err;
    throw new InputError(`${label}: cannot write it: ${describeErrno(err)}`);
  }
}

const TEMP_PREFIX = (base: string) => `.${base}.`;

/** The regular file a path names, following symbolic links (a dangling one is refused). */
async function resolveTarget(file: string, label: string): Promise<string> {
  const link = await fs.lstat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
    throw new InputError(`${label}: ${describeErrno(err)}`);
  });
  if (!link?.isSymbolicLink()) return file;
  try {
    return await fs.realpath(file);
  } catch (err) {
    throw new InputError(
      `${label}: a symbolic link to ${await fs.readlink(file).catch(() => '?')}, which ${describeErrno(err) === 'no such file' ? 'does not exist' : describeErrno(err)}; not writing through it`,
    );
  }
}

async function checkUnchanged(target: string, expect: WriteOptions['expect'], label: string): Promise<void> {
  if (expect === undefined) return;
  const now = await fs.stat(target).catch(() => undefined);
  if (expect === 'absent') {
    if (now) throw new InputError(`${label}: was created by something else while this ran; not overwriting it (run again)`);
    return;
  }
  if (!now) throw new InputError(`${label}: was removed while this ran; not writing it back (run again)`);
  if (now.size === expect.size && now.mtimeMs === expect.mtimeMs) {
    // Same size and time: compare the contents too (a save within the same clock tick).
    const bytes = await readUserFile(target, { maxBytes: Math.max(expect.size, MAX_INPUT_BYTES), label });
    if (snapshotOf(bytes, now).sha256 === expect.sha256) return;
  }
  throw new InputError(`${label}: changed on disk while this ran (saved meanwhile?); not overwriting it (run again)`);
}

/** Our own temporary files (.NAME.PID.RANDOM.tmp) whose process has ended: a killed write. */
async function removeStaleTemps(dir: string, base: string): Promise<void> {
  const prefix = TEMP_PREFIX(base);
  const entries = await fs.readdir(dir).catch(() => [] as string[]);
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue;
    const pid = /^(\d+)\.[0-9a-z]+\.tmp$/.exec(entry.slice(prefix.length))?.[1];
    if (pid && Number(pid) !== process.pid && !processAlive(Number(pid))) await fs.rm(path.join(dir, entry), { force: true });
  }
}

/** True when a process with this id exists (signal 0 probes without touching it). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How many missing folders makeFolder creates at most (a typo'd deep path is refused, not built). */
const MAX_NEW_FOLDERS = 16;

/**
 * Creates `dir` and its missing parents one at a time. Node's own recursive mkdir spins forever
 * at 100% CPU where mkdir answers ENOENT for a folder whose parent exists (anywhere under /proc,
 * for one): here every failure is one InputError line.
 */
export async function makeFolder(dir: string, label = dir): Promise<void> {
  const missing: string[] = [];
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const st = await fs.stat(at).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? undefined : err));
    if (st instanceof Error) throw new InputError(`${label}: cannot use ${at}: ${describeErrno(st)}`);
    if (st) {
      if (!st.isDirectory()) throw new InputError(`${label}: ${at} is not a folder`);
      break;
    }
    if (at === path.dirname(at) || missing.length >= MAX_NEW_FOLDERS) throw new InputError(`${label}: cannot create ${dir}`);
    missing.unshift(at);
  }
  for (const folder of missing) {
    await fs.mkdir(folder).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw new InputError(`${label}: cannot create ${folder}: ${describeErrno(err)}`);
    });
  }
}
