import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Message,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { LiveHost, type Host } from '../probes/host';
import { monotonicMs } from '../probes/clock';
import type { PipedProcess } from '../probes/pipedProcess';
import { ServerStartError } from '../probes/server';
import { goplsVersionFromServerInfo, matchGoTooOld } from './goplsMessages';

/**
 * A gopls handshake over LSP stdio: start `gopls serve` in its own process group, `initialize` on
 * the given folder, `initialized`, wait for the first diagnostics (or the settle time), then
 * `shutdown` and `exit`. It never throws, every step has a time limit, and no process it started
 * outlives it (except a telemetry uploader gopls itself starts in a new session). The process is
 * started through the host, which owns its process group and its cleanup.
 */

export interface GoplsHandshakeOptions {
  /** Starts `gopls serve` (so it is recorded and listed); default: this machine with `env`. */
  host?: Host;
  /** The gopls binary (a path, or a name looked up on the PATH of `env`). */
  gopls: string;
  /** The workspace folder handed to gopls as rootUri and the only workspace folder. */
  folder: string;
  /** Without a host: the complete environment of gopls (default: this process's). Nothing is added to it. */
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

const MESSAGE_TYPES: Record<number, GoplsHandshakeMessage['type']> = { 1: 'error', 2: 'warning', 3: 'info', 4: 'log' };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
const elapsed = (from: number) => Math.round(monotonicMs() - from);

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

interface Stop {
  outcome: 'crashed' | 'timeout' | 'cancelled' | 'error';
  error: string;
}

type Raced<T> = { value: T } | { stop: Stop };

/** Runs the handshake. Never throws. */
export async function goplsHandshake(options: GoplsHandshakeOptions): Promise<GoplsHandshakeResult> {
  const started = monotonicMs();
  const result: GoplsHandshakeResult = { outcome: 'ok', steps: [], diagnostics: [], messages: [], stderrTail: '', durationMs: 0 };
  try {
    await handshake(options, started, result);
  } catch (err) {
    // A bug of ours, not gopls's: still a result.
    result.outcome = 'error';
    result.error = `internal error: ${err instanceof Error ? err.message : String(err)}`;
  }
  result.durationMs = Math.round(monotonicMs() - started);
  return result;
}

async function handshake(options: GoplsHandshakeOptions, started: number, result: GoplsHandshakeResult): Promise<void> {
  if (options.signal?.aborted) {
    result.outcome = 'cancelled';
    result.error = 'cancelled before gopls was started';
    return;
  }
  const gopls = await spawnGopls(options, result);
  if (!gopls) return;
  const run = new HandshakeRun(
    gopls,
    result,
    started + (options.timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS),
    options.timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
  );
  const onAbort = () => run.stop({ outcome: 'cancelled', error: 'cancelled' });
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const server = run.connect(path.resolve(options.folder));
    if (!(await initialize(run, server))) return;
    const initializedAt = await sendInitialized(run, server);
    if (initializedAt === undefined) return;
    await waitForFirstDiagnostics(run, server, initializedAt, options.settleMs ?? DEFAULT_SETTLE_MS);
    if (run.stopped) return run.fail(run.stopped);
    reportLoadAndDiagnostics(run, server, initializedAt);
    await shutdownAndExit(run, server);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await run.close();
  }
}

/** Starts `gopls serve` through the host; undefined (and the reason in result) when it cannot start. */
async function spawnGopls(options: GoplsHandshakeOptions, result: GoplsHandshakeResult): Promise<PipedProcess | undefined> {
  const t = monotonicMs();
  const host = options.host ?? new LiveHost(options.env ?? process.env);
  try {
    const gopls = await host.startPiped([options.gopls, 'serve']);
    result.steps.push({ name: 'spawn', ok: true, ms: elapsed(t), detail: `pid ${gopls.pid}` });
    return gopls;
  } catch (err) {
    const notFound = err instanceof ServerStartError && err.reason === 'not-found';
    result.outcome = notFound ? 'not-found' : 'error';
    result.error = err instanceof Error ? err.message : String(err);
    result.steps.push({ name: 'spawn', ok: false, ms: elapsed(t), detail: result.error });
    return undefined;
  }
}

/** One running handshake: the process, the deadline, and the first of crash, deadline, cancellation or failed step. */
class HandshakeRun {
  stopped: Stop | undefined;
  /** Set once `exit` was sent: an exit from then on is expected. */
  exiting = false;
  phase = 'initialize';
  exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  connection: MessageConnection | undefined;
  private onStop: (s: Stop) => void = () => {};
  readonly stopPromise = new Promise<Stop>((resolve) => (this.onStop = resolve));
  private readonly deadlineTimer: NodeJS.Timeout;
  private readonly stderrDone: Promise<void>;

  constructor(
    readonly gopls: PipedProcess,
    readonly result: GoplsHandshakeResult,
    readonly deadline: number,
    readonly timeoutMs: number,
  ) {
    this.deadlineTimer = setTimeout(
      () => this.stop({ outcome: 'timeout', error: `timed out after ${timeoutMs} ms (during ${this.phase})` }),
      Math.max(0, this.remaining()),
    );
    gopls.stderr.setEncoding('utf8');
    gopls.stderr.on('data', (text: string) => {
      const tail = result.stderrTail + text;
      result.stderrTail = tail.length > STDERR_TAIL_CHARS ? tail.slice(-STDERR_TAIL_CHARS) : tail;
    });
    this.stderrDone = new Promise<void>((resolve) => gopls.stderr.once('close', () => resolve()));
    void gopls.exited.then((info) => {
      this.exitInfo = info;
      if (!this.exiting) this.stop({ outcome: 'crashed', error: `gopls ${this.describeExit()} before the handshake finished` });
    });
  }

  remaining(): number {
    return this.deadline - monotonicMs();
  }

  describeExit(): string {
    return describeExit(this.exitInfo);
  }

  stop(s: Stop): void {
    if (this.stopped) return;
    this.stopped = s;
    this.onStop(s);
  }

  fail(s: Stop): void {
    this.stop(s);
    this.result.outcome = s.outcome;
    this.result.error = s.error;
  }

  step(name: string, ok: boolean, from: number, detail?: string): void {
    this.result.steps.push({ name, ok, ms: elapsed(from), ...(detail !== undefined ? { detail } : {}) });
  }

  /** The work, unless the run stops or the step's limit (cut to the deadline) passes first. */
  async race<T>(work: Promise<T>, limitMs: number, what: string): Promise<Raced<T>> {
    let timer: NodeJS.Timeout | undefined;
    const limit = Math.max(0, Math.min(limitMs, this.remaining()));
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
            const crash = await Promise.race([this.stopPromise, sleep(300).then(() => undefined)]);
            return { stop: crash ?? { outcome: 'error', error: `${what}: ${err instanceof Error ? err.message : String(err)}` } };
          },
        ),
        this.stopPromise.then((s) => ({ stop: s })),
        timedOut.then((s) => ({ stop: s })),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The LSP connection over gopls's stdio, with everything gopls sends collected. */
  connect(folder: string): ServerEvents {
    const connection = createMessageConnection(new StreamMessageReader(this.gopls.stdout), new QuietStreamWriter(this.gopls.stdin), {
      error: () => {},
      warn: () => {},
      info: () => {},
      log: () => {},
    });
    const events = new ServerEvents(connection, folder, this.result);
    connection.onClose(() => {
      if (this.exiting) return;
      // Usually the exit event follows at once and carries the exit code; this is the fallback.
      setTimeout(() => this.stop({ outcome: 'crashed', error: 'gopls closed its output before the handshake finished' }), 500).unref();
    });
    connection.onError(([err, message]) => {
      // A read error (no message attached): stdout that is not LSP framing, or a stream torn down by
      // a dying process. Let a crash (the exit event, just behind) win over it.
      if (message !== undefined || this.exiting) return;
      const error = `cannot read gopls's output as LSP: ${err.message}`;
      setTimeout(() => this.stop({ outcome: 'error', error }), 300).unref();
    });
    connection.listen();
    this.connection = connection;
    return events;
  }

  /** Stops gopls and its group (through the host), then lets the rest of stderr arrive. */
  async close(): Promise<void> {
    clearTimeout(this.deadlineTimer);
    this.exiting = true;
    await this.gopls.stop();
    // The rest of stderr (a crash's panic) arrives just before the pipe closes.
    await Promise.race([this.stderrDone, sleep(200)]);
    this.connection?.dispose();
    this.gopls.stdin.destroy();
    this.gopls.stdout.destroy();
    this.gopls.stderr.destroy();
  }
}

function describeExit(info: { code: number | null; signal: NodeJS.Signals | null } | undefined): string {
  return info?.signal ? `was killed by ${info.signal}` : `exited with code ${info?.code ?? 'unknown'}`;
}

/** What gopls sends on its own: requests we answer, messages, diagnostics, workspace-load progress. */
class ServerEvents {
  readonly diagnostics = new Map<string, number>();
  firstDiagnosticsAt: number | undefined;
  lastDiagnosticsAt = 0;
  readonly load: { token?: string | number; beganAt?: number; endedAt?: number; endMessage?: string } = {};
  readonly folderUri: string;
  readonly folderName: string;
  private wake: () => void = () => {};

  constructor(
    readonly connection: MessageConnection,
    folder: string,
    private readonly result: GoplsHandshakeResult,
  ) {
    this.folderUri = pathToFileURL(folder).href;
    this.folderName = path.basename(folder);
    connection.onRequest((method: string, params: unknown) => this.answer(method, params));
    connection.onNotification((method: string, params: unknown) => {
      this.notified(method, params);
      this.wake();
    });
    connection.onUnhandledProgress((params) => {
      this.progress(params.token, (params.value ?? {}) as { kind?: string; title?: string; message?: string });
      this.wake();
    });
  }

  /** Resolves at the next thing gopls sends. */
  nextEvent(): Promise<void> {
    return new Promise<void>((resolve) => (this.wake = resolve));
  }

  private answer(method: string, params: unknown): unknown {
    const p = (params ?? {}) as { items?: unknown[]; type?: number; message?: string };
    switch (method) {
      case 'workspace/configuration':
        return (Array.isArray(p.items) ? p.items : []).map(() => ({}));
      case 'workspace/workspaceFolders':
        return [{ uri: this.folderUri, name: this.folderName }];
      case 'window/showMessageRequest':
        this.addMessage(p.type, p.message);
        return null;
      default:
        // window/workDoneProgress/create, client/registerCapability, client/unregisterCapability…
        return null;
    }
  }

  private notified(method: string, params: unknown): void {
    const p = (params ?? {}) as { type?: number; message?: string; uri?: string; diagnostics?: unknown[] };
    if (method === 'window/showMessage') {
      this.addMessage(p.type, p.message);
    } else if (method === 'window/logMessage') {
      if (p.type === 1) this.addMessage(1, p.message);
    } else if (method === 'textDocument/publishDiagnostics' && typeof p.uri === 'string') {
      const now = monotonicMs();
      this.firstDiagnosticsAt ??= now;
      this.lastDiagnosticsAt = now;
      if (this.diagnostics.has(p.uri) || this.diagnostics.size < MAX_DIAGNOSTIC_FILES) {
        this.diagnostics.set(p.uri, Array.isArray(p.diagnostics) ? p.diagnostics.length : 0);
      }
    }
  }

  private progress(token: string | number, value: { kind?: string; title?: string; message?: string }): void {
    const load = this.load;
    // gopls/internal/server/general.go@gopls/v0.23.0: title "Setting up workspace", begin message
    // "Loading packages...", end "Finished loading packages." or "Error loading packages: …".
    if (
      value.kind === 'begin' &&
      load.token === undefined &&
      /setting up workspace|loading packages/i.test(`${value.title ?? ''} ${value.message ?? ''}`)
    ) {
      load.token = token;
      load.beganAt = monotonicMs();
    } else if (value.kind === 'end' && load.token !== undefined && token === load.token && load.endedAt === undefined) {
      load.endedAt = monotonicMs();
      load.endMessage = value.message ?? '';
    }
  }

  private addMessage(type: number | undefined, text: unknown): void {
    if (typeof text !== 'string') return;
    if (matchGoTooOld(text) && this.result.goTooOld === undefined) this.result.goTooOld = text;
    if (this.result.messages.length >= MAX_MESSAGES) return;
    this.result.messages.push({
      type: MESSAGE_TYPES[type ?? 3] ?? 'info',
      text: text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text,
    });
  }
}

/** `initialize` on the folder; keeps the server's name and the gopls release it reports. */
async function initialize(run: HandshakeRun, server: ServerEvents): Promise<boolean> {
  const t = monotonicMs();
  const init = await run.race(
    server.connection.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'go-debug-doctor' },
      rootUri: server.folderUri,
      workspaceFolders: [{ uri: server.folderUri, name: server.folderName }],
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
    run.step('initialize', false, t, init.stop.error);
    run.fail(init.stop);
    return false;
  }
  const info = init.value?.serverInfo;
  const result = run.result;
  if (info && typeof info.name === 'string') {
    result.serverInfo = { name: info.name, ...(typeof info.version === 'string' ? { version: info.version } : {}) };
    const version = goplsVersionFromServerInfo(info.version);
    if (version) result.goplsVersion = version;
  }
  run.step('initialize', true, t, info ? `${info.name ?? 'server'} ${result.goplsVersion ?? ''}`.trim() : 'no serverInfo');
  return true;
}

/** The `initialized` notification; when it was sent, or undefined when the run stopped. */
async function sendInitialized(run: HandshakeRun, server: ServerEvents): Promise<number | undefined> {
  run.phase = 'initialized';
  const t = monotonicMs();
  const sent = await run.race(server.connection.sendNotification('initialized', {}), 1_000, 'could not send initialized');
  if ('stop' in sent) {
    run.step('initialized', false, t, sent.stop.error);
    run.fail(sent.stop);
    return undefined;
  }
  run.step('initialized', true, t);
  return monotonicMs();
}

/** Waits for the initial workspace load, then the first diagnostics (and their burst) or the settle time. */
async function waitForFirstDiagnostics(run: HandshakeRun, server: ServerEvents, initializedAt: number, settleMs: number): Promise<void> {
  run.phase = 'the wait for the workspace load and diagnostics';
  const loadLimit = () => run.deadline - Math.min(SHUTDOWN_RESERVE_MS, run.timeoutMs / 4);
  const { load } = server;
  for (;;) {
    if (run.stopped) return;
    const now = monotonicMs();
    let until: number;
    if (server.firstDiagnosticsAt !== undefined) {
      // Collect the burst of per-file notifications that follows the first.
      until = Math.min(server.lastDiagnosticsAt + DIAGNOSTIC_BURST_MS, server.firstDiagnosticsAt + settleMs);
    } else if (load.beganAt !== undefined && load.endedAt === undefined) {
      until = loadLimit();
    } else {
      until = (load.endedAt ?? initializedAt) + settleMs;
    }
    until = Math.min(until, loadLimit());
    if (now >= until) return;
    await run.race(server.nextEvent(), until - now, 'wait');
  }
}

function reportLoadAndDiagnostics(run: HandshakeRun, server: ServerEvents, initializedAt: number): void {
  const { load } = server;
  if (load.beganAt !== undefined) {
    const ended = load.endedAt !== undefined;
    const failed = ended && /^error/i.test(load.endMessage ?? '');
    run.result.steps.push({
      name: 'workspace load',
      ok: ended && !failed,
      ms: Math.round((load.endedAt ?? monotonicMs()) - load.beganAt),
      detail: ended ? load.endMessage || 'done' : `still loading after ${elapsed(load.beganAt)} ms`,
    });
  }
  const files = [...server.diagnostics.entries()];
  run.result.diagnostics = files.map(([uri, count]) => ({ uri, count }));
  const total = files.reduce((sum, [, n]) => sum + n, 0);
  const first = server.firstDiagnosticsAt;
  run.result.steps.push({
    name: 'diagnostics',
    ok: true,
    ms: Math.round((first ?? monotonicMs()) - initializedAt),
    detail:
      first !== undefined
        ? `first after ${Math.round(first - initializedAt)} ms: ${total} in ${files.length} file(s)`
        : `none published within ${elapsed(initializedAt)} ms`,
  });
}

/** `shutdown`, then `exit`: gopls must end by itself, with code 0. */
async function shutdownAndExit(run: HandshakeRun, server: ServerEvents): Promise<void> {
  run.phase = 'shutdown';
  let t = monotonicMs();
  const down = await run.race(server.connection.sendRequest('shutdown'), SHUTDOWN_CAP_MS, 'no answer to shutdown');
  if ('stop' in down) {
    run.step('shutdown', false, t, down.stop.error);
    return run.fail(down.stop);
  }
  run.step('shutdown', true, t);

  t = monotonicMs();
  run.exiting = true;
  try {
    await server.connection.sendNotification('exit');
  } catch {
    // the process may already be going: judged by its exit below
  }
  const grace = Math.max(0, Math.min(EXIT_GRACE_MS, run.remaining()));
  const exit = await Promise.race([run.gopls.exited, sleep(grace).then(() => undefined)]);
  if (!exit) {
    run.step('exit', false, t, `still running ${Math.round(grace)} ms after exit: killed`);
    return run.fail({ outcome: 'timeout', error: `gopls did not exit within ${Math.round(grace)} ms of the exit notification` });
  }
  const clean = exit.code === 0;
  run.step('exit', clean, t, describeExit(exit));
  if (!clean) run.fail({ outcome: 'error', error: `gopls ${describeExit(exit)} after shutdown and exit` });
}
