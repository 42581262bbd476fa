import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type Message } from 'vscode-jsonrpc/node';

/**
 * A gopls handshake over LSP stdio: start `gopls serve` in its own process group, `initialize` on
 * the given folder, `initialized`, wait for the first diagnostics (or the settle time), then
 * `shutdown` and `exit`. It never throws, every step has a time limit, and no process it started
 * outlives it (except a telemetry uploader gopls itself starts in a new session, see below).
 */

export interface GoplsHandshakeOptions {
  /** The gopls binary (a path, or a name looked up on the PATH of `env`). */
  gopls: string;
  /** The workspace folder handed to gopls as rootUri and the only workspace folder. */
  folder: string;
  /** The complete environment of gopls (default: this process's). Nothing is added to it. */
  env?: Record<string, string | undefined>;
  /** The whole probe, cleanup included except the last kill (default 20 000 ms). */
  timeoutMs?: number;
  /**
   * How long to wait for the first diagnostics after the initial workspace load ended (or, when
   * gopls reports no load progress, after `initialized`). Default 1500 ms.
   */
  settleMs?: number;
  signal?: AbortSignal;
}

export type GoplsHandshakeOutcome = 'ok' | 'not-found' | 'crashed' | 'timeout' | 'cancelled' | 'error';

export interface GoplsHandshakeStep {
  name: string;
  ok: boolean;
  ms: number;
  detail?: string;
}

export interface GoplsHandshakeMessage {
  type: 'error' | 'warning' | 'info' | 'log';
  text: string;
}

export interface GoplsHandshakeResult {
  /**
   * 'ok': gopls answered `initialize` and `shutdown` and exited after `exit`. The workspace-load
   * and diagnostics steps are reported in `steps` but do not decide the outcome.
   */
  outcome: GoplsHandshakeOutcome;
  /** As the server sent it; gopls puts its build information, as JSON, in `version`. */
  serverInfo?: { name: string; version?: string };
  /** The gopls release read from serverInfo.version, e.g. v0.23.0. */
  goplsVersion?: string;
  steps: GoplsHandshakeStep[];
  /** Latest diagnostic count per file, in the order the files were first reported. */
  diagnostics: { uri: string; count: number }[];
  /** window/showMessage, window/showMessageRequest and window/logMessage of type Error. */
  messages: GoplsHandshakeMessage[];
  /** gopls's own "Go too old" message, verbatim (see matchGoTooOld). */
  goTooOld?: string;
  /** The last ~8 KB gopls wrote to stderr. */
  stderrTail: string;
  error?: string;
  durationMs: number;
}

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 20_000;
export const DEFAULT_SETTLE_MS = 1_500;

const STDERR_TAIL_CHARS = 8 * 1024;
const MAX_MESSAGES = 50;
const MAX_MESSAGE_CHARS = 4_000;
const MAX_DIAGNOSTIC_FILES = 500;
/** Per-step caps; each is further cut to what is left of the whole deadline. */
const INITIALIZE_CAP_MS = 10_000;
const SHUTDOWN_CAP_MS = 5_000;
const EXIT_GRACE_MS = 2_000;
/** More diagnostics usually follow the first within milliseconds (one notification per file). */
const DIAGNOSTIC_BURST_MS = 150;
/** Time kept back from the deadline for shutdown and exit when waiting for a slow workspace load. */
const SHUTDOWN_RESERVE_MS = 3_000;

/**
 * gopls's message when the Go it finds (or the Go it was built with) is older than it supports.
 *
 * Wording, identical at golang/tools tags gopls/v0.10.0 through gopls/v0.23.0 (and in the
 * gopls@v0.24.0 module): gopls/internal/util/goversion/goversion.go (func Message) from
 * gopls/v0.15.0, gopls/internal/lsp/general.go before that (v0.10.0 to v0.14.x; v0.10.0 and
 * v0.11.0 have only the "Found Go version" form). No such message at gopls/v0.9.5 and older.
 * It is sent as window/showMessage (Error when unsupported, Warning when only deprecated) from
 * `initialized`, after the workspace views are created (gopls/internal/server/general.go,
 * checkViewGoVersions, at gopls/v0.23.0). Its parts, as facts:
 *   "Found Go version 1.<N>"  or  "Gopls was built with Go version 1.<N>"
 *   then ", which is not supported by this version of gopls. "
 *     or ", which will be unsupported by gopls <version>. "
 *   then "Please upgrade to Go 1.<M> or later and reinstall gopls. "
 *   then "If you can't upgrade and want this message to go away, please install gopls <version>. "
 *   then "See https://go.dev/s/gopls-support-policy for more details."
 */
const GO_TOO_OLD =
  /^(Found Go version|Gopls was built with Go version) (1\.\d+), which (is not supported by this version of gopls|will be unsupported by gopls (v[\w.-]+))\.\s*(?:Please upgrade to Go (1\.\d+) or later and reinstall gopls\.\s*)?(?:If you can't upgrade and want this message to go away, please install gopls (v[\w.-]+)\.)?/;

export interface GoTooOld {
  /** The old Go, e.g. "1.20". */
  go: string;
  /** True for "Gopls was built with Go version…" (gopls's own build Go), false for the go command. */
  fromBuild: boolean;
  /** True for "not supported by this version of gopls", false for "will be unsupported by gopls X". */
  unsupported: boolean;
  /** The gopls release that will drop it, for the "will be unsupported" form. */
  droppedIn?: string;
  /** "Please upgrade to Go 1.M or later". */
  upgradeToGo?: string;
  /** "please install gopls vX" (the last gopls without the message for that Go). */
  lastGopls?: string;
}

/** Parses gopls's "Go too old" message (see GO_TOO_OLD for its source); undefined for any other text. */
export function matchGoTooOld(text: string): GoTooOld | undefined {
  const m = GO_TOO_OLD.exec(text.trim());
  if (!m) return undefined;
  const found: GoTooOld = { go: m[2]!, fromBuild: m[1] === 'Gopls was built with Go version', unsupported: m[4] === undefined };
  if (m[4]) found.droppedIn = m[4];
  if (m[5]) found.upgradeToGo = m[5];
  if (m[6]) found.lastGopls = m[6];
  return found;
}

/**
 * The gopls release in serverInfo.version: JSON with "Version" (gopls/v0.12.0 and later, also
 * "Main.Version") or "version" (older, e.g. gopls/v0.7.5: internal/lsp/debug/info.go).
 */
export function goplsVersionFromServerInfo(version: string | undefined): string | undefined {
  if (!version) return undefined;
  const candidates: unknown[] = [];
  try {
    const info = JSON.parse(version) as Record<string, unknown> | null;
    if (info && typeof info === 'object') {
      const main = info.Main as Record<string, unknown> | undefined;
      candidates.push(info.Version, main?.Version, info.version);
    }
  } catch {
    candidates.push(version);
  }
  for (const c of candidates) {
    const m = typeof c === 'string' ? /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(c.trim()) : null;
    if (m) return `v${m[1]}`;
  }
  return undefined;
}

/** Process groups still running: killed if this process exits first. */
const live = new Set<number>();
process.once('exit', () => {
  for (const pid of live) signalGroup(pid, 'SIGKILL');
});

const OWN_GROUP = process.platform !== 'win32';

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(OWN_GROUP ? -pid : pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(OWN_GROUP ? -pid : pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * vscode-jsonrpc 8.2.1 sendRequest rethrows a failed write from inside a `new Promise(async …)`
 * executor, which nobody can catch (an unhandled rejection, e.g. EPIPE when gopls has just died).
 * Swallow write errors here: the exit event or the closed connection reports what happened.
 */
class QuietStreamWriter extends StreamMessageWriter {
  override async write(msg: Message): Promise<void> {
    try {
      await super.write(msg);
    } catch {
      // reported by the process exit / connection close
    }
  }
}

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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

interface Stop {
  outcome: 'crashed' | 'timeout' | 'cancelled' | 'error';
  error: string;
}

type Raced<T> = { value: T } | { stop: Stop };

const MESSAGE_TYPES: Record<number, GoplsHandshakeMessage['type']> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'log' };

/** Runs the handshake. Never throws. */
export async function goplsHandshake(options: GoplsHandshakeOptions): Promise<GoplsHandshakeResult> {
  const started = performance.now();
  const result: GoplsHandshakeResult = { outcome: 'ok', steps: [], diagnostics: [], messages: [], stderrTail: '', durationMs: 0 };
  try {
    await handshake(options, started, result);
  } catch (err) {
    // A bug of ours, not gopls's: still a result.
    result.outcome = 'error';
    result.error = `internal error: ${err instanceof Error ? err.message : String(err)}`;
  }
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

async function handshake(options: GoplsHandshakeOptions, started: number, result: GoplsHandshakeResult): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const deadline = started + timeoutMs;
  const remaining = () => deadline - performance.now();
  const elapsed = (from: number) => Math.round(performance.now() - from);

  if (options.signal?.aborted) {
    result.outcome = 'cancelled';
    result.error = 'cancelled before gopls was started';
    return;
  }

  // Stopping: the first of crash, deadline, cancellation or a failed step wins.
  let stopped: Stop | undefined;
  let onStop: (s: Stop) => void = () => {};
  const stopPromise = new Promise<Stop>((resolve) => (onStop = resolve));
  const stop = (s: Stop) => {
    if (stopped) return;
    stopped = s;
    onStop(s);
  };
  const race = async <T>(work: Promise<T>, limitMs: number, what: string): Promise<Raced<T>> => {
    let timer: NodeJS.Timeout | undefined;
    const limit = Math.max(0, Math.min(limitMs, remaining()));
    const timedOut = new Promise<Stop>((resolve) => {
      timer = setTimeout(() => resolve({ outcome: 'timeout', error: `${what} within ${Math.round(limit)} ms` }), limit);
    });
    try {
      return await Promise.race([
        work.then(
          (value) => ({ value }),
          async (err: unknown): Promise<Raced<T>> => {
            // A request rejected because the connection closed: give the exit event a moment so
            // the crash is reported with its exit code.
            const crash = await Promise.race([stopPromise, sleep(300).then(() => undefined)]);
            return { stop: crash ?? { outcome: 'error', error: `${what}: ${err instanceof Error ? err.message : String(err)}` } };
          },
        ),
        stopPromise.then((s) => ({ stop: s })),
        timedOut.then((s) => ({ stop: s })),
      ]);
    } finally {
      clearTimeout(timer);
    }
  };

  // --- spawn -------------------------------------------------------------------------------
  const spawnStarted = performance.now();
  let subprocess: ReturnType<typeof execa>;
  try {
    subprocess = execa(options.gopls, ['serve'], {
      reject: false,
      shell: false,
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'pipe',
      buffer: false,
      detached: OWN_GROUP,
      env: (options.env ?? process.env) as Record<string, string>,
      extendEnv: false,
      windowsHide: true,
    });
  } catch (err) {
    result.outcome = 'error';
    result.error = `cannot start ${options.gopls}: ${err instanceof Error ? err.message : String(err)}`;
    result.steps.push({ name: 'spawn', ok: false, ms: elapsed(spawnStarted), detail: result.error });
    return;
  }
  // The result promise settles when the process ends; we follow the events instead.
  void subprocess.then(
    () => undefined,
    () => undefined,
  );
  const child = subprocess;
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let onExit: () => void = () => {};
  const exitedPromise = new Promise<void>((resolve) => (onExit = resolve));
  let exiting = false; // set once `exit` was sent: an exit from then on is expected
  const describeExit = () =>
    exitInfo?.signal ? `was killed by ${exitInfo.signal}` : `exited with code ${exitInfo?.code ?? 'unknown'}`;

  const spawnError = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (err: NodeJS.ErrnoException) => resolve(err));
  });
  if (spawnError || !child.pid) {
    const code = spawnError?.code;
    result.outcome = code === 'ENOENT' ? 'not-found' : 'error';
    result.error =
      code === 'ENOENT'
        ? `${options.gopls}: not found`
        : code === 'EACCES'
          ? `${options.gopls}: permission denied (not executable)`
          : `cannot start ${options.gopls}: ${spawnError?.message ?? 'no process id'}`;
    result.steps.push({ name: 'spawn', ok: false, ms: elapsed(spawnStarted), detail: result.error });
    return;
  }
  const pid = child.pid;
  live.add(pid);
  result.steps.push({ name: 'spawn', ok: true, ms: elapsed(spawnStarted), detail: `pid ${pid}` });

  let deadlineTimer: NodeJS.Timeout | undefined;
  const onAbort = () => stop({ outcome: 'cancelled', error: 'cancelled' });
  let conn: ReturnType<typeof createMessageConnection> | undefined;
  let stderrDone: Promise<void> = Promise.resolve();
  try {
    let stderrClosed: () => void = () => {};
    stderrDone = new Promise<void>((resolve) => (stderrClosed = resolve));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      const tail = result.stderrTail + text;
      result.stderrTail = tail.length > STDERR_TAIL_CHARS ? tail.slice(-STDERR_TAIL_CHARS) : tail;
    });
    child.stderr?.once('close', () => stderrClosed());
    child.stdin?.on('error', () => {}); // EPIPE when gopls is gone; reported as a crash below
    child.stdout?.on('error', () => {});
    child.once('exit', (code: number | null, signal: NodeJS.Signals | null) => {
      exitInfo = { code, signal };
      live.delete(pid);
      onExit();
      if (!exiting) stop({ outcome: 'crashed', error: `gopls ${describeExit()} before the handshake finished` });
    });

    let phase = 'initialize';
    deadlineTimer = setTimeout(() => stop({ outcome: 'timeout', error: `timed out after ${timeoutMs} ms (during ${phase})` }), Math.max(0, remaining()));
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new QuietStreamWriter(child.stdin!), {
      error: () => {},
      warn: () => {},
      info: () => {},
      log: () => {},
    });
    const folderUri = pathToFileURL(path.resolve(options.folder)).href;
    const folderName = path.basename(path.resolve(options.folder));

    // --- what gopls sends -------------------------------------------------------------------
    const diagnostics = new Map<string, number>();
    let firstDiagnosticsAt: number | undefined;
    let lastDiagnosticsAt = 0;
    const load: { token?: string | number; beganAt?: number; endedAt?: number; endMessage?: string } = {};
    let wake: () => void = () => {};
    const nextEvent = () => new Promise<void>((resolve) => (wake = resolve));

    const addMessage = (type: number | undefined, text: unknown) => {
      if (typeof text !== 'string') return;
      const matched = matchGoTooOld(text);
      if (matched && result.goTooOld === undefined) result.goTooOld = text;
      if (result.messages.length >= MAX_MESSAGES) return;
      result.messages.push({
        type: MESSAGE_TYPES[type ?? 3] ?? 'info',
        text: text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text,
      });
    };

    connection.onRequest((method: string, params: unknown) => {
      const p = (params ?? {}) as { items?: unknown[]; type?: number; message?: string };
      switch (method) {
        case 'workspace/configuration':
          return (Array.isArray(p.items) ? p.items : []).map(() => ({}));
        case 'workspace/workspaceFolders':
          return [{ uri: folderUri, name: folderName }];
        case 'window/showMessageRequest':
          addMessage(p.type, p.message);
          return null;
        default:
          // window/workDoneProgress/create, client/registerCapability, client/unregisterCapability…
          return null;
      }
    });
    connection.onNotification((method: string, params: unknown) => {
      const p = (params ?? {}) as { type?: number; message?: string; uri?: string; diagnostics?: unknown[] };
      if (method === 'window/showMessage') {
        addMessage(p.type, p.message);
      } else if (method === 'window/logMessage') {
        if (p.type === 1) addMessage(1, p.message);
      } else if (method === 'textDocument/publishDiagnostics' && typeof p.uri === 'string') {
        const now = performance.now();
        firstDiagnosticsAt ??= now;
        lastDiagnosticsAt = now;
        if (diagnostics.has(p.uri) || diagnostics.size < MAX_DIAGNOSTIC_FILES) {
          diagnostics.set(p.uri, Array.isArray(p.diagnostics) ? p.diagnostics.length : 0);
        }
      }
      wake();
    });
    connection.onUnhandledProgress((params) => {
      const value = (params.value ?? {}) as { kind?: string; title?: string; message?: string };
      // gopls/internal/server/general.go@gopls/v0.23.0: title "Setting up workspace", begin message
      // "Loading packages...", end "Finished loading packages." or "Error loading packages: …".
      if (value.kind === 'begin' && load.token === undefined && /setting up workspace|loading packages/i.test(`${value.title ?? ''} ${value.message ?? ''}`)) {
        load.token = params.token;
        load.beganAt = performance.now();
      } else if (value.kind === 'end' && load.token !== undefined && params.token === load.token && load.endedAt === undefined) {
        load.endedAt = performance.now();
        load.endMessage = value.message ?? '';
      }
      wake();
    });
    connection.onClose(() => {
      if (exiting) return;
      // Usually the exit event follows at once and carries the exit code; this is the fallback.
      setTimeout(() => stop({ outcome: 'crashed', error: 'gopls closed its output before the handshake finished' }), 500).unref();
    });
    connection.onError(([err, message]) => {
      // A read error (no message attached): stdout that is not LSP framing, or a stream torn down by
      // a dying process. Let a crash (the exit event, just behind) win over it.
      if (message !== undefined || exiting) return;
      const error = `cannot read gopls's output as LSP: ${err.message}`;
      setTimeout(() => stop({ outcome: 'error', error }), 300).unref();
    });
    connection.listen();
    conn = connection;

    const fail = (s: Stop) => {
      stop(s);
      result.outcome = s.outcome;
      result.error = s.error;
    };

    // --- initialize -----------------------------------------------------------------------
    let t = performance.now();
    const init = await race(
      connection.sendRequest('initialize', {
        processId: process.pid,
        clientInfo: { name: 'go-debug-doctor' },
        rootUri: folderUri,
        workspaceFolders: [{ uri: folderUri, name: folderName }],
        capabilities: {
          window: { workDoneProgress: true },
          workspace: { configuration: true, workspaceFolders: true },
          textDocument: { publishDiagnostics: {} },
        },
      }) as Promise<{ serverInfo?: { name?: string; version?: string } } | null>,
      INITIALIZE_CAP_MS,
      'no answer to initialize',
    );
    if ('stop' in init) {
      result.steps.push({ name: 'initialize', ok: false, ms: elapsed(t), detail: init.stop.error });
      fail(init.stop);
      return;
    }
    const info = init.value?.serverInfo;
    if (info && typeof info.name === 'string') {
      result.serverInfo = { name: info.name, ...(typeof info.version === 'string' ? { version: info.version } : {}) };
      const version = goplsVersionFromServerInfo(info.version);
      if (version) result.goplsVersion = version;
    }
    result.steps.push({
      name: 'initialize',
      ok: true,
      ms: elapsed(t),
      detail: info ? `${info.name ?? 'server'} ${result.goplsVersion ?? ''}`.trim() : 'no serverInfo',
    });

    // --- initialized ----------------------------------------------------------------------
    phase = 'initialized';
    t = performance.now();
    const sent = await race(connection.sendNotification('initialized', {}), 1_000, 'could not send initialized');
    if ('stop' in sent) {
      result.steps.push({ name: 'initialized', ok: false, ms: elapsed(t), detail: sent.stop.error });
      fail(sent.stop);
      return;
    }
    const initializedAt = performance.now();
    result.steps.push({ name: 'initialized', ok: true, ms: elapsed(t) });

    // --- wait: initial workspace load, then the first diagnostics (or the settle time) -----
    phase = 'the wait for the workspace load and diagnostics';
    const loadLimit = () => deadline - Math.min(SHUTDOWN_RESERVE_MS, timeoutMs / 4);
    for (;;) {
      if (stopped) break;
      const now = performance.now();
      let until: number;
      if (firstDiagnosticsAt !== undefined) {
        // Collect the burst of per-file notifications that follows the first.
        until = Math.min(lastDiagnosticsAt + DIAGNOSTIC_BURST_MS, firstDiagnosticsAt + settleMs);
      } else if (load.beganAt !== undefined && load.endedAt === undefined) {
        until = loadLimit();
      } else {
        until = (load.endedAt ?? initializedAt) + settleMs;
      }
      until = Math.min(until, loadLimit());
      if (now >= until) break;
      const next = nextEvent();
      await race(next, until - now, 'wait');
    }
    if (stopped) {
      fail(stopped);
      return;
    }
    if (load.beganAt !== undefined) {
      const ended = load.endedAt !== undefined;
      const failed = ended && /^error/i.test(load.endMessage ?? '');
      result.steps.push({
        name: 'workspace load',
        ok: ended && !failed,
        ms: Math.round((load.endedAt ?? performance.now()) - load.beganAt),
        detail: ended ? load.endMessage || 'done' : `still loading after ${elapsed(load.beganAt)} ms`,
      });
    }
    const files = [...diagnostics.entries()];
    result.diagnostics = files.map(([uri, count]) => ({ uri, count }));
    const total = files.reduce((sum, [, n]) => sum + n, 0);
    result.steps.push({
      name: 'diagnostics',
      ok: true,
      ms: Math.round((firstDiagnosticsAt ?? performance.now()) - initializedAt),
      detail:
        firstDiagnosticsAt !== undefined
          ? `first after ${Math.round(firstDiagnosticsAt - initializedAt)} ms: ${total} in ${files.length} file(s)`
          : `none published within ${elapsed(initializedAt)} ms`,
    });

    // --- shutdown, exit -------------------------------------------------------------------
    phase = 'shutdown';
    t = performance.now();
    const down = await race(connection.sendRequest('shutdown'), SHUTDOWN_CAP_MS, 'no answer to shutdown');
    if ('stop' in down) {
      result.steps.push({ name: 'shutdown', ok: false, ms: elapsed(t), detail: down.stop.error });
      fail(down.stop);
      return;
    }
    result.steps.push({ name: 'shutdown', ok: true, ms: elapsed(t) });

    t = performance.now();
    exiting = true;
    clearTimeout(deadlineTimer);
    try {
      await connection.sendNotification('exit');
    } catch {
      // the process may already be going: judged by its exit below
    }
    const grace = Math.max(0, Math.min(EXIT_GRACE_MS, remaining()));
    const gone = await Promise.race([exitedPromise.then(() => true), sleep(grace).then(() => false)]);
    if (!gone) {
      result.steps.push({ name: 'exit', ok: false, ms: elapsed(t), detail: `still running ${Math.round(grace)} ms after exit: killed` });
      fail({ outcome: 'timeout', error: `gopls did not exit within ${Math.round(grace)} ms of the exit notification` });
      return;
    }
    const clean = exitInfo?.code === 0;
    result.steps.push({ name: 'exit', ok: clean, ms: elapsed(t), detail: describeExit() });
    if (!clean) fail({ outcome: 'error', error: `gopls ${describeExit()} after shutdown and exit` });
  } finally {
    clearTimeout(deadlineTimer);
    options.signal?.removeEventListener('abort', onAbort);
    exiting = true;
    await killGroup(pid, exitedPromise, exitInfo !== undefined);
    // The rest of stderr (a crash's panic) arrives just before the pipe closes.
    await Promise.race([stderrDone, sleep(200)]);
    conn?.dispose();
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
    live.delete(pid);
  }
}

/**
 * Ends the process group: SIGTERM, then SIGKILL if the leader is still there 300 ms later, then
 * SIGKILL for anything left in the group (children gopls started, e.g. `go list`).
 */
async function killGroup(pid: number, exited: Promise<void>, leaderGone: boolean): Promise<void> {
  if (!leaderGone) {
    signalGroup(pid, 'SIGTERM');
    const ended = await Promise.race([exited.then(() => true), sleep(300).then(() => false)]);
    if (!ended) {
      signalGroup(pid, 'SIGKILL');
      await Promise.race([exited, sleep(2_000)]);
    }
  }
  for (let i = 0; i < 50 && OWN_GROUP && groupRunning(pid); i++) {
    signalGroup(pid, 'SIGKILL');
    await sleep(20);
  }
}
