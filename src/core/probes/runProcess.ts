import { monotonicMs } from './clock';
import { firstLine } from './display';
import { DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_TIMEOUT_MS } from './limits';
import type { ProbeRecord } from './probeRecord';
import { groupRunning, killTree, live, reapHolders } from './processGroup';
import { OWN_GROUP, spawnMarked } from './spawn';

export interface RunOptions {
  timeoutMs?: number;
  cwd?: string;
  /** The complete environment of the child; nothing is inherited implicitly. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Variables set (or, with undefined, removed) on top of the host's environment. */
  envOverrides?: Readonly<Record<string, string | undefined>>;
  maxOutputBytes?: number;
  signal?: AbortSignal;
  /** Output as it arrives, for progress; the record still holds all of it. */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
  /** The child's pid (also its process group), once it has started. */
  onSpawn?: (pid: number) => void;
  /**
   * Kill the process group even when this process is killed with SIGKILL (no exit handler runs
   * then): a small watchdog process notices that we are gone. For long runs such as `go install`.
   */
  dieWithParent?: boolean;
}

/** How long output may stay open after the process itself has exited (its descendants). */
export const EXIT_GRACE_MS = 300;

/**
 * Runs argv[0] with argv[1..] directly (never through a shell), with a timeout that kills the
 * process group (SIGTERM, then SIGKILL a second later), bounded output and an explicit environment.
 * It ends even when a descendant escapes the group and keeps stdout open: once the process itself
 * has exited and EXIT_GRACE_MS has passed, reading stops and the holders are killed where found.
 */
export async function runProcess(argv: readonly string[], options: RunOptions = {}): Promise<ProbeRecord> {
  const file = argv[0] ?? '';
  const started = monotonicMs();
  const base = { argv: [...argv], ...(options.cwd ? { cwd: options.cwd } : {}) };
  const finish = (fields: Omit<ProbeRecord, 'argv' | 'cwd' | 'durationMs'>): ProbeRecord => ({
    ...base,
    ...fields,
    durationMs: Math.round(monotonicMs() - started),
  });
  const spawned = spawnMarked(argv, options, 'ignore', options.dieWithParent);
  if ('error' in spawned) return finish({ outcome: spawned.reason, exitCode: null, stdout: '', stderr: '', error: spawned.error });
  const { child, mark, guard } = spawned;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const pid = child.pid;
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  let bytes = 0;
  let truncated = false;
  let ended: 'timeout' | 'cancelled' | undefined;
  let hardKill: NodeJS.Timeout | undefined;
  let grace: NodeJS.Timeout | undefined;
  let leftovers: string | undefined;
  const kill = (signal: NodeJS.Signals) => killTree(pid, OWN_GROUP, signal);
  const stop = (why: 'timeout' | 'cancelled' | 'overflow') => {
    if (why !== 'overflow') {
      if (ended) return;
      ended = why;
    }
    kill('SIGTERM');
    hardKill ??= setTimeout(() => kill('SIGKILL'), 1000);
  };
  const timer = setTimeout(() => stop('timeout'), timeoutMs);
  const onAbort = () => stop('cancelled');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (pid) {
    live.add(pid);
    options.onSpawn?.(pid);
  }
  const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    if (truncated) return;
    if (bytes + chunk.length > maxBytes) {
      chunks[stream].push(chunk.subarray(0, maxBytes - bytes));
      bytes = maxBytes;
      truncated = true;
      stop('overflow');
      return;
    }
    bytes += chunk.length;
    chunks[stream].push(chunk);
    options.onOutput?.(chunk.toString('utf8'), stream);
  };
  child.stdout!.on('data', collect('stdout'));
  child.stderr!.on('data', collect('stderr'));
  const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: NodeJS.ErrnoException }>(
    (resolve) => {
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      child.once('error', (err: NodeJS.ErrnoException) => resolve({ code: null, signal: null, spawnError: err }));
      child.once('exit', (code, signal) => {
        exit = { code, signal };
        // The process has ended; whatever still holds its output is a descendant. Give it a moment,
        // then stop reading and kill what can be found.
        grace = setTimeout(() => {
          leftovers = reapHolders(mark, pid);
          child.stdout?.destroy();
          child.stderr?.destroy();
          resolve(exit!);
        }, EXIT_GRACE_MS);
      });
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve(exit ?? { code, signal }));
    },
  );
  clearTimeout(timer);
  clearTimeout(grace);
  clearTimeout(hardKill);
  options.signal?.removeEventListener('abort', onAbort);
  // A background child left in the group (it did not escape) must not outlive the probe either.
  if (pid && OWN_GROUP && groupRunning(pid)) {
    kill('SIGKILL');
    leftovers ??= 'a background process in its group was killed';
  }
  if (pid) live.delete(pid);
  guard?.release();
  const record: ProbeRecord = finish({
    outcome: 'ok',
    exitCode: outcome.code,
    stdout: Buffer.concat(chunks.stdout).toString('utf8'),
    stderr: Buffer.concat(chunks.stderr).toString('utf8'),
    ...(outcome.signal ? { signal: outcome.signal } : {}),
    ...(leftovers ? { leftovers } : {}),
  });
  const code = outcome.spawnError?.code;
  if (code === 'ENOENT') {
    record.outcome = 'not-found';
    record.error = `${file}: not found`;
  } else if (code === 'EACCES') {
    record.outcome = 'error';
    record.error = `${file}: permission denied (not executable)`;
  } else if (outcome.spawnError) {
    record.outcome = 'error';
    record.error = firstLine(outcome.spawnError.message);
  } else if (ended === 'timeout') {
    record.outcome = 'timeout';
    record.error = `timed out after ${timeoutMs} ms and was killed`;
  } else if (ended === 'cancelled') {
    record.outcome = 'cancelled';
    record.error = 'cancelled';
  } else if (truncated) {
    record.outcome = 'error';
    record.truncated = true;
    record.error = `printed more than ${maxBytes} bytes and was stopped`;
  } else if (outcome.code === null) {
    record.outcome = 'error';
    record.error = outcome.signal ? `killed by ${outcome.signal}` : 'could not start';
  } else if (outcome.code !== 0) {
    record.outcome = 'exit';
  }
  return record;
}
