import { promises as fs } from 'node:fs';
import { processAlive } from '../io/files';

export interface LockOptions {
  /** How long to wait for another install to finish. */
  waitMs: number;
  signal?: AbortSignal;
  /** Called once when the lock is held by someone else and we start waiting. */
  onWait?: (holder: { pid: number; startedAt: string }) => void;
  pollMs?: number;
}

export type LockResult =
  | { held: true; release: () => Promise<void> }
  | { held: false; reason: 'timeout' | 'cancelled'; holder?: { pid: number; startedAt: string } };

/**
 * An exclusive lock file (created with O_EXCL) holding the owner's pid. A lock whose owner died
 * (killed mid-install) is stale and broken. If two processes ever break the same stale lock at
 * once, both proceed: harmless, because every install ends in one atomic rename.
 */
export async function acquireLock(file: string, options: LockOptions): Promise<LockResult> {
  const deadline = Date.now() + options.waitMs;
  let waiting = false;
  let holder: { pid: number; startedAt: string; stale?: boolean } | undefined;
  for (;;) {
    if (options.signal?.aborted) return { held: false, reason: 'cancelled', ...(holder ? { holder } : {}) };
    try {
      const handle = await fs.open(file, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      await handle.close();
      return { held: true, release: () => fs.rm(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    holder = await readHolder(file);
    if (holder === undefined) continue; // released between our two calls
    if (holder.stale || (holder.pid !== 0 && holder.pid !== process.pid && !processAlive(holder.pid))) {
      await fs.rm(file, { force: true });
      continue;
    }
    if (Date.now() >= deadline) return { held: false, reason: 'timeout', holder };
    if (!waiting) {
      waiting = true;
      options.onWait?.(holder);
    }
    await sleep(options.pollMs ?? 200, options.signal);
  }
}

async function readHolder(file: string): Promise<{ pid: number; startedAt: string; stale?: boolean } | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as { pid?: unknown; startedAt?: unknown };
    if (typeof value.pid === 'number') return { pid: value.pid, startedAt: String(value.startedAt ?? '') };
  } catch {
    // being written right now, or garbage
  }
  // Unreadable: its owner may be writing it right now; after a few seconds it is garbage.
  const st = await fs.stat(file).catch(() => undefined);
  if (!st) return undefined;
  return { pid: 0, startedAt: st.mtime.toISOString(), stale: Date.now() - st.mtimeMs > 5000 };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
