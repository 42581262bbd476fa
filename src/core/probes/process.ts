// The one place that starts processes (eslint forbids child_process everywhere else).
// eslint-disable-next-line no-restricted-imports
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants as fsConstants, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_TIMEOUT_MS } from './limits';

/** How a probe ended. A non-zero exit is a result, never an exception. */
export type ProbeOutcome = 'ok' | 'exit' | 'not-found' | 'timeout' | 'cancelled' | 'error';

export interface ProbeRecord {
  argv: string[];
  cwd?: string;
  outcome: ProbeOutcome;
  exitCode: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
  /** True when output was cut at the byte limit (the process was then killed). */
  truncated?: boolean;
  /** Human-readable cause for not-found, timeout, cancelled and error. */
  error?: string;
  /**
   * Descendants that still held the output open after the process itself had ended (a background
   * child, or one that left the process group with setsid): what was killed and what could not be.
   */
  leftovers?: string;
  durationMs: number;
}

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
const OWN_GROUP = process.platform !== 'win32';

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
  const spawned = spawnMarked(argv, options, 'ignore');
  if ('error' in spawned) return finish({ outcome: spawned.reason, exitCode: null, stdout: '', stderr: '', error: spawned.error });
  const { child, mark } = spawned;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  const pid = child.pid;
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  let bytes = 0;
  let truncated = false;
  let ended: 'timeout' | 'cancelled' | undefined;
  let hardKill: NodeJS.Timeout | undefined;
  let grace: NodeJS.Timeout | undefined;
  let watchdog: ChildProcess | undefined;
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
    if (options.dieWithParent && OWN_GROUP) watchdog = startWatchdog(pid);
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
  if (watchdog?.pid) killTree(watchdog.pid, false, 'SIGKILL');
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
 * After the process has exited: kills the rest of its group, and on Linux every process that still
 * carries its mark (found through /proc, which also finds those that left the group).
 * Returns a one-line account, or undefined when nothing was left.
 */
function reapHolders(mark: string, pid: number | undefined): string | undefined {
  const inGroup = pid !== undefined && OWN_GROUP && groupRunning(pid);
  if (inGroup) killTree(pid, true, 'SIGKILL');
  const holders = markedProcesses(mark);
  for (const holder of holders) killTree(holder, false, 'SIGKILL');
  const parts = [];
  if (inGroup) parts.push('killed the rest of its process group');
  if (holders.length)
    parts.push(`killed ${holders.length} descendant${holders.length === 1 ? '' : 's'} outside its group (${holders.join(', ')})`);
  if (!parts.length)
    return 'a descendant outside its process group kept its output open and could not be found; output after the exit was ignored';
  return `${parts.join('; ')}: they kept its output open after it exited`;
}

/**
 * Processes (Linux /proc) that carry this probe's mark in their environment: its descendants, also
 * those that left the process group (the mark is inherited; a pipe's holder cannot be told apart
 * by its inode, because Node's pipes to a child are socket pairs).
 */
function markedProcesses(mark: string): number[] {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`${MARK_VARIABLE}=${mark}\0`);
  const found: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`).includes(needle)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** The environment variable that marks a probe's descendants (a random value per run). */
const MARK_VARIABLE = 'GO_DEBUG_DOCTOR_PROBE';

/**
 * A tiny Node process that outlives us only to kill `group` once we are gone (its parent changes
 * when we die, even by SIGKILL), and ends by itself when the group has ended.
 */
const WATCHDOG = `
const [parent, group] = process.argv.slice(1).map(Number);
const alive = (id) => { try { process.kill(id, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const tick = setInterval(() => {
  if (!alive(-group)) process.exit(0);
  if (process.ppid !== parent) {
    clearInterval(tick);
    try { process.kill(-group, 'SIGTERM'); } catch {}
    setTimeout(() => { try { process.kill(-group, 'SIGKILL'); } catch {} process.exit(0); }, 1000);
  }
}, 200);
`;

function startWatchdog(group: number): ChildProcess | undefined {
  try {
    const dog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(group)], {
      stdio: 'ignore',
      detached: true,
      // Inside VS Code, execPath is Electron: this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', [MARK_VARIABLE]: undefined },
      windowsHide: true,
    });
    dog.once('error', () => undefined);
    dog.unref();
    return dog;
  } catch {
    return undefined;
  }
}

/** Process groups still running, killed if this process exits first (a probe must not outlive us). */
const live = new Set<number>();
process.once('exit', () => {
  for (const pid of live) killTree(pid, process.platform !== 'win32', 'SIGKILL');
});

function killTree(pid: number | undefined, group: boolean, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(group ? -pid : pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

/** A short, human description of how a probe went, for evidence and summaries. */
export function describeProbe(probe: ProbeRecord): string {
  switch (probe.outcome) {
    case 'ok':
      return `exited 0 in ${probe.durationMs} ms${probe.leftovers ? `; ${probe.leftovers}` : ''}`;
    case 'exit':
      return `exited ${probe.exitCode} in ${probe.durationMs} ms${probe.leftovers ? `; ${probe.leftovers}` : ''}`;
    default:
      return probe.error ?? probe.outcome;
  }
}

/** Renders argv so it can be pasted into a POSIX shell (for showing fixes, never for running). */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

export interface ServerOptions {
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** The line that says the server is ready (Delve: "API server listening at: ..."). */
  ready: RegExp;
  /** How long to wait for it (a `dlv debug` compiles first). */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ServerHandle {
  pid: number;
  /** The line that matched `ready`. */
  readyLine: string;
  /** Everything printed so far, both streams. */
  output(): string;
  /** Kills the whole process group (SIGTERM, then SIGKILL) and waits for it to end. */
  stop(): Promise<void>;
  /** Settles when the process ends, with its exit code (null after a signal). */
  readonly exited: Promise<number | null>;
}

export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly output: string,
    readonly reason: 'exited' | 'timeout' | 'cancelled' | 'not-found' | 'error',
  ) {
    super(message);
  }
}

/**
 * Starts a long-running process (never through a shell) in its own process group and waits for
 * its ready line. On timeout, cancellation or early exit the group is killed and the error carries
 * everything it printed.
 */
export function startServer(argv: readonly string[], options: ServerOptions): Promise<ServerHandle> {
  const file = argv[0] ?? '';
  const started = spawnMarked(argv, options, 'ignore');
  if ('error' in started) return Promise.reject(new ServerStartError(started.error, '', started.reason));
  const { child, mark } = started;
  let output = '';
  const pid = child.pid;
  if (pid) live.add(pid);
  const watchdog = pid && OWN_GROUP ? startWatchdog(pid) : undefined;
  // Settles on the process's own exit, not on its pipes closing: a descendant that keeps them
  // open must not keep us waiting.
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  }).then((r) => {
    if (pid) live.delete(pid);
    return r;
  });
  const exited = ended.then((r) => r.code);
  const stop = async () => {
    killTree(pid, OWN_GROUP, 'SIGTERM');
    const hard = setTimeout(() => killTree(pid, OWN_GROUP, 'SIGKILL'), 1000);
    await exited;
    clearTimeout(hard);
    // Children of the group (the debuggee) may outlive the leader for a moment.
    // Until the group is gone, zombies included (an orphan's zombie waits for init to reap it).
    for (let i = 0; i < 100 && pid && OWN_GROUP && groupAlive(pid); i++) {
      killTree(pid, OWN_GROUP, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 20));
    }
    for (const holder of markedProcesses(mark)) killTree(holder, false, 'SIGKILL');
    child.stdout?.destroy();
    child.stderr?.destroy();
    if (watchdog?.pid) killTree(watchdog.pid, false, 'SIGKILL');
  };
  return new Promise<ServerHandle>((resolve, reject) => {
    let settled = false;
    const fail = (message: string, reason: ServerStartError['reason']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new ServerStartError(message, output, reason)));
    };
    const timer = setTimeout(() => fail(`${file} printed no ready line within ${options.timeoutMs} ms`, 'timeout'), options.timeoutMs);
    options.signal?.addEventListener('abort', () => fail('cancelled', 'cancelled'), { once: true });
    const onData = (chunk: Buffer) => {
      // Keep the last MAX_SERVER_OUTPUT characters: a chatty server must not grow without bound.
      output = (output + chunk.toString('utf8')).slice(-MAX_SERVER_OUTPUT);
      if (settled) return;
      const line = output.split('\n').find((l) => options.ready.test(l));
      if (line !== undefined) {
        settled = true;
        clearTimeout(timer);
        resolve({ pid: pid!, readyLine: line.replace(/\r$/, ''), output: () => output, stop, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void ended.then((r) => {
      const notFound = r.error?.code === 'ENOENT';
      fail(
        notFound
          ? `${file}: not found`
          : r.error
            ? firstLine(r.error.message)
            : `${file} exited (${r.code ?? r.signal ?? 'unknown'}) before it was ready`,
        notFound ? 'not-found' : r.error ? 'error' : 'exited',
      );
    });
  });
}

const MAX_SERVER_OUTPUT = 1024 * 1024;

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
  const started = spawnMarked(argv, options, 'pipe');
  if ('error' in started) return Promise.reject(new ServerStartError(started.error, '', started.reason));
  const { child, mark } = started;
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
      const watchdog = OWN_GROUP ? startWatchdog(pid) : undefined;
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
        if (watchdog?.pid) killTree(watchdog.pid, false, 'SIGKILL');
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
      reject(new ServerStartError(message, '', err.code === 'ENOENT' ? 'not-found' : 'error'));
    });
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * Whether anything in the process group still runs. A zombie (dead, waiting to be reaped) does not
 * count: an orphan's zombie belongs to init, and some container inits reap only about once a
 * second, so `kill(-pgid, 0)` alone would keep seeing the group.
 */
function groupRunning(pgid: number): boolean {
  if (!groupAlive(pgid)) return false;
  if (process.platform !== 'linux') return true;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue; // ended meanwhile
      }
      // After "pid (comm) ": state, ppid, pgrp, …
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    }
    return false;
  } catch {
    return true;
  }
}

/**
 * Milliseconds on a monotonic clock, for durations. Not `monotonicMs()`: the global
 * `performance` loads node:perf_hooks on first use, a cost on the way to the first probe.
 */
export function monotonicMs(): number {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}

let marks = 0;

/**
 * A mark no other live process carries: this process's id, a count, and a random part in case a
 * stale child of an earlier process with the same id is still around. Not a secret, so Math.random
 * does (node:crypto costs a run several milliseconds of start-up).
 */
function freshMark(): string {
  return `${process.pid.toString(36)}.${(++marks).toString(36)}.${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Starts argv[0] (never through a shell) in its own process group, so that a timeout or stop kills
 * the whole tree, with a fresh mark in its environment by which escaped descendants are found.
 * Says why when it cannot start; never throws.
 */
function spawnMarked(
  argv: readonly string[],
  options: { cwd?: string; env?: Readonly<Record<string, string | undefined>> },
  stdin: 'ignore' | 'pipe',
): { child: ChildProcess; mark: string } | { error: string; reason: 'not-found' | 'error' } {
  const [file, ...args] = argv;
  if (!file) return { error: 'empty command', reason: 'error' };
  if (options.cwd !== undefined && !isDirectory(options.cwd)) {
    return { error: `working folder ${options.cwd} does not exist or is not a folder`, reason: 'error' };
  }
  const command = resolveCommand(file, options.env ?? process.env);
  if (!command) return { error: `${file}: not found`, reason: 'not-found' };
  const mark = freshMark();
  try {
    const child = spawn(command, args, {
      shell: false,
      stdio: [stdin, 'pipe', 'pipe'],
      detached: OWN_GROUP,
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), [MARK_VARIABLE]: mark } as NodeJS.ProcessEnv,
      windowsHide: true,
    });
    return { child, mark };
  } catch (err) {
    return { error: `cannot start ${file}: ${firstLine(err instanceof Error ? err.message : String(err))}`, reason: 'error' };
  }
}

/**
 * Linux: kills every process whose executable path `matches`. A debuggee that Delve started runs in
 * a process group of its own, so stopping dlv's group does not always reach it.
 */
export function killProcessesRunning(matches: (exe: string) => boolean): void {
  if (process.platform !== 'linux') return;
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return;
  }
  for (const pid of entries) {
    try {
      if (matches(readlinkSync(`/proc/${pid}/exe`))) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone, or not ours to read
    }
  }
}
