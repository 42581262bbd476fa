import { groupRunning, killTree, live, markedProcesses } from './processGroup';
import { ServerStartError } from './server';
import { OWN_GROUP, spawnMarked } from './spawn';

export interface PipedOptions {
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** A long-running process spoken to over its standard streams (gopls serve: LSP over stdio). */
export interface PipedProcess {
  pid: number;
  stdin: NodeJS.WritableStream & { destroy(): void };
  stdout: NodeJS.ReadableStream & { destroy(): void };
  stderr: NodeJS.ReadableStream & { destroy(): void; setEncoding(encoding: BufferEncoding): unknown };
  /** Settles when the process ends (its exit code, or the signal that ended it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once it has ended. */
  hasExited(): boolean;
  /**
   * Ends the process group: SIGTERM, SIGKILL if the leader is still there 300 ms later, then
   * SIGKILL for anything left in the group (children it started, e.g. gopls's `go list`) and for
   * descendants that left the group.
   */
  stop(): Promise<void>;
}

/**
 * Starts a long-running process (never through a shell) in its own process group with its three
 * standard streams piped. Rejects with a ServerStartError ('not-found' or 'error') when it cannot
 * start; once started, it is the caller's to stop().
 */
export function startPiped(argv: readonly string[], options: PipedOptions = {}): Promise<PipedProcess> {
  const file = argv[0] ?? '';
  const started = spawnMarked(argv, options, 'pipe', true);
  if ('error' in started) return Promise.reject(new ServerStartError(started.error, '', started.reason));
  const { child, mark, guard } = started;
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      exitInfo = { code, signal };
      if (child.pid) live.delete(child.pid);
      resolve(exitInfo);
    });
  });
  // EPIPE when the process is gone: reported by its exit.
  child.stdin?.on('error', () => {});
  child.stdout?.on('error', () => {});
  child.stderr?.on('error', () => {});
  return new Promise<PipedProcess>((resolve, reject) => {
    child.once('spawn', () => {
      const pid = child.pid!;
      live.add(pid);
      const stop = async () => {
        if (!exitInfo) {
          killTree(pid, OWN_GROUP, 'SIGTERM');
          const ended = await Promise.race([exited.then(() => true), sleep(300).then(() => false)]);
          if (!ended) {
            killTree(pid, OWN_GROUP, 'SIGKILL');
            await Promise.race([exited, sleep(2_000)]);
          }
        }
        for (let i = 0; i < 50 && OWN_GROUP && groupRunning(pid); i++) {
          killTree(pid, OWN_GROUP, 'SIGKILL');
          await sleep(20);
        }
        for (const holder of markedProcesses(mark)) killTree(holder, false, 'SIGKILL');
        guard?.release();
        live.delete(pid);
      };
      resolve({
        pid,
        stdin: child.stdin!,
        stdout: child.stdout!,
        stderr: child.stderr!,
        exited,
        hasExited: () => exitInfo !== undefined,
        stop,
      });
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (child.pid && !exitInfo && err.code !== 'ENOENT' && err.code !== 'EACCES') return; // a stream error after the start
      const message =
        err.code === 'ENOENT'
          ? `${file}: not found`
          : err.code === 'EACCES'
            ? `${file}: permission denied (not executable)`
            : `cannot start ${file}: ${err.message}`;
      guard?.release();
      reject(new ServerStartError(message, '', err.code === 'ENOENT' ? 'not-found' : 'error'));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
