import { readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';

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
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 4 * 1024 * 1024;

/**
 * Runs argv[0] with argv[1..] directly (never through a shell), with a timeout that kills the
 * process (SIGTERM, then SIGKILL a second later), bounded output and an explicit environment.
 */
export async function runProcess(argv: readonly string[], options: RunOptions = {}): Promise<ProbeRecord> {
  const [file, ...args] = argv;
  const started = performance.now();
  const base = { argv: [...argv], ...(options.cwd ? { cwd: options.cwd } : {}) };
  if (!file) {
    return { ...base, outcome: 'error', exitCode: null, stdout: '', stderr: '', error: 'empty command', durationMs: 0 };
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Each probe gets its own process group so that a timeout kills the whole tree: a wrapper script
  // whose child still holds stdout open would otherwise keep us waiting long after the kill.
  const ownGroup = process.platform !== 'win32';
  const subprocess = execa(file, args, {
    reject: false,
    shell: false,
    stdin: 'ignore',
    detached: ownGroup,
    maxBuffer: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    cwd: options.cwd,
    env: options.env as Record<string, string> | undefined,
    extendEnv: options.env === undefined,
    stripFinalNewline: false,
    windowsHide: true,
  });
  let ended: 'timeout' | 'cancelled' | undefined;
  let hardKill: NodeJS.Timeout | undefined;
  const stop = (why: 'timeout' | 'cancelled') => {
    if (ended) return;
    ended = why;
    killTree(subprocess.pid, ownGroup, 'SIGTERM');
    hardKill = setTimeout(() => killTree(subprocess.pid, ownGroup, 'SIGKILL'), 1000);
  };
  const timer = setTimeout(() => stop('timeout'), timeoutMs);
  const onAbort = () => stop('cancelled');
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (subprocess.pid) {
    live.add(subprocess.pid);
    options.onSpawn?.(subprocess.pid);
  }
  if (options.onOutput) {
    const emit = options.onOutput;
    subprocess.stdout?.on('data', (chunk: Buffer) => emit(chunk.toString('utf8'), 'stdout'));
    subprocess.stderr?.on('data', (chunk: Buffer) => emit(chunk.toString('utf8'), 'stderr'));
  }
  const result = await subprocess;
  clearTimeout(timer);
  clearTimeout(hardKill);
  options.signal?.removeEventListener('abort', onAbort);
  if (subprocess.pid) live.delete(subprocess.pid);
  const durationMs = Math.round(performance.now() - started);
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  const record: ProbeRecord = {
    ...base,
    outcome: 'ok',
    exitCode: result.exitCode ?? null,
    stdout,
    stderr,
    durationMs,
  };
  if (result.signal) record.signal = result.signal;
  const code = (result as { code?: string }).code;
  if (code === 'ENOENT') {
    record.outcome = 'not-found';
    record.error = `${file}: not found`;
  } else if (code === 'EACCES') {
    record.outcome = 'error';
    record.error = `${file}: permission denied (not executable)`;
  } else if (ended === 'timeout') {
    record.outcome = 'timeout';
    record.error = `timed out after ${timeoutMs} ms and was killed`;
  } else if (ended === 'cancelled') {
    record.outcome = 'cancelled';
    record.error = 'cancelled';
  } else if (result.isMaxBuffer) {
    record.outcome = 'error';
    record.truncated = true;
    record.error = `printed more than ${options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES} bytes and was stopped`;
  } else if (result.exitCode === undefined || result.exitCode === null) {
    record.outcome = 'error';
    record.error = result.signal ? `killed by ${result.signal}` : firstLine(result.message ?? 'could not start');
  } else if (result.exitCode !== 0) {
    record.outcome = 'exit';
  }
  return record;
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
      return `exited 0 in ${probe.durationMs} ms`;
    case 'exit':
      return `exited ${probe.exitCode} in ${probe.durationMs} ms`;
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
  constructor(message: string, readonly output: string, readonly reason: 'exited' | 'timeout' | 'cancelled' | 'not-found' | 'error') {
    super(message);
  }
}

/**
 * Starts a long-running process (never through a shell) in its own process group and waits for
 * its ready line. On timeout, cancellation or early exit the group is killed and the error carries
 * everything it printed.
 */
export function startServer(argv: readonly string[], options: ServerOptions): Promise<ServerHandle> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new ServerStartError('empty command', '', 'error'));
  const ownGroup = process.platform !== 'win32';
  const child = execa(file, args, {
    reject: false, shell: false, stdin: 'ignore', detached: ownGroup, buffer: false, cwd: options.cwd,
    env: options.env as Record<string, string> | undefined, extendEnv: options.env === undefined, windowsHide: true,
  });
  let output = '';
  const pid = child.pid;
  if (pid) live.add(pid);
  const ended = child.then((r) => {
    if (pid) live.delete(pid);
    return r;
  });
  const exited = ended.then((r) => r.exitCode ?? null);
  const stop = async () => {
    killTree(pid, ownGroup, 'SIGTERM');
    const hard = setTimeout(() => killTree(pid, ownGroup, 'SIGKILL'), 1000);
    await exited;
    clearTimeout(hard);
    // Children of the group (the debuggee) may outlive the leader for a moment.
    for (let i = 0; i < 100 && pid && ownGroup && groupAlive(pid); i++) {
      killTree(pid, ownGroup, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 20));
    }
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
      output += chunk.toString('utf8');
      if (settled) return;
      const line = output.split('\n').find((l) => options.ready.test(l));
      if (line !== undefined) {
        settled = true;
        clearTimeout(timer);
        resolve({ pid: pid!, readyLine: line.replace(/\r$/, ''), output: () => output, stop, exited });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void ended.then((r) => {
      const notFound = (r as { code?: string }).code === 'ENOENT';
      fail(notFound ? `${file}: not found` : `${file} exited (${r.exitCode ?? r.signal ?? 'unknown'}) before it was ready`, notFound ? 'not-found' : 'exited');
    });
  });
}

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
   * SIGKILL for anything left in the group (children it started, e.g. gopls's `go list`).
   */
  stop(): Promise<void>;
}

/**
 * Starts a long-running process (never through a shell) in its own process group with its three
 * standard streams piped. Rejects with a ServerStartError ('not-found' or 'error') when it cannot
 * start; once started, it is the caller's to stop().
 */
export function startPiped(argv: readonly string[], options: PipedOptions = {}): Promise<PipedProcess> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new ServerStartError('empty command', '', 'error'));
  const ownGroup = process.platform !== 'win32';
  let child: ReturnType<typeof execa>;
  try {
    child = execa(file, args, {
      reject: false, shell: false, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: false, detached: ownGroup, cwd: options.cwd,
      env: options.env as Record<string, string> | undefined, extendEnv: options.env === undefined, windowsHide: true,
    });
  } catch (err) {
    return Promise.reject(new ServerStartError(`cannot start ${file}: ${err instanceof Error ? err.message : String(err)}`, '', 'error'));
  }
  // The result promise settles when the process ends; the events below say what happened.
  void child.then(() => undefined, () => undefined);
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
          killTree(pid, ownGroup, 'SIGTERM');
          const ended = await Promise.race([exited.then(() => true), sleep(300).then(() => false)]);
          if (!ended) {
            killTree(pid, ownGroup, 'SIGKILL');
            await Promise.race([exited, sleep(2_000)]);
          }
        }
        for (let i = 0; i < 50 && ownGroup && groupRunning(pid); i++) {
          killTree(pid, ownGroup, 'SIGKILL');
          await sleep(20);
        }
        live.delete(pid);
      };
      resolve({ pid, stdin: child.stdin!, stdout: child.stdout!, stderr: child.stderr!, exited, hasExited: () => exitInfo !== undefined, stop });
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (child.pid && !exitInfo && err.code !== 'ENOENT' && err.code !== 'EACCES') return; // a stream error after the start
      const message = err.code === 'ENOENT' ? `${file}: not found` : err.code === 'EACCES' ? `${file}: permission denied (not executable)` : `cannot start ${file}: ${err.message}`;
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
