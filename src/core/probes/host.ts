import { accessSync, constants as fsConstants, realpathSync, statSync } from 'node:fs';
import * as os from 'node:os';
import { openFileBytes, type ByteSource } from '../binary/bytes';
import { startPiped, type PipedOptions, type PipedProcess } from './pipedProcess';
import type { ProbeOutcome, ProbeRecord } from './probeRecord';
import { runProcess, type RunOptions } from './runProcess';
import { ServerStartError, startServer, type ServerHandle, type ServerOptions } from './server';
import { readdirPath } from '../io/fsCalls';
import { readUserFile } from '../io/read';

export interface FileFacts {
  exists: boolean;
  isFile?: boolean;
  isDirectory?: boolean;
  size?: number;
  executable?: boolean;
}

/**
 * Everything the doctor learns about a machine goes through a Host: processes it runs, files it
 * looks at, environment variables it reads. One seam, so a machine can be recorded and replayed.
 */
export interface Host {
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  readonly homedir: string;
  readonly pathSeparator: string;
  env(name: string): string | undefined;
  run(argv: readonly string[], options?: RunOptions): Promise<ProbeRecord>;
  stat(path: string): Promise<FileFacts>;
  /** A text file's contents, or undefined when it is missing or unreadable. */
  readText(path: string, maxBytes?: number): Promise<string | undefined>;
  listDir(path: string): Promise<string[] | undefined>;
  /** The path with symbolic links resolved, or undefined when it does not exist. */
  realpath(path: string): Promise<string | undefined>;
  /** Random access to a binary's bytes (for the Mach-O/ELF reader); undefined when unreadable. */
  openBytes(path: string): Promise<ByteSource | undefined>;
  /** A long-running process that announces it is ready on a line of its output (`dlv dap`). */
  startServer(argv: readonly string[], options: HostServerOptions): Promise<ServerHandle>;
  /** A long-running process spoken to over stdin/stdout (`gopls serve`). */
  startPiped(argv: readonly string[], options?: HostPipedOptions): Promise<PipedProcess>;
}

/** As for run(): the host's environment plus envOverrides (undefined removes a variable). */
export type HostServerOptions = Omit<ServerOptions, 'env'> & { envOverrides?: RunOptions['envOverrides'] };
export type HostPipedOptions = Omit<PipedOptions, 'env'> & { envOverrides?: RunOptions['envOverrides'] };

export type ProbeListener = (probe: ProbeRecord) => void;

const MAX_TEXT_BYTES = 1024 * 1024;

/** The machine this process runs on. */
export class LiveHost implements Host {
  readonly platform = process.platform;
  readonly arch = process.arch;
  readonly homedir: string;
  readonly pathSeparator = process.platform === 'win32' ? ';' : ':';
  private readonly listeners: ProbeListener[] = [];

  constructor(private readonly environment: Readonly<Record<string, string | undefined>> = process.env) {
    this.homedir = (process.platform === 'win32' ? environment.USERPROFILE : environment.HOME) || os.homedir();
  }

  onProbe(listener: ProbeListener): void {
    this.listeners.push(listener);
  }

  env(name: string): string | undefined {
    return this.environment[name];
  }

  private envWith(overrides: RunOptions['envOverrides']): Record<string, string | undefined> {
    const env = { ...this.environment, ...overrides };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
    return env;
  }

  private emit(probe: ProbeRecord): void {
    for (const listener of this.listeners) listener(probe);
  }

  async run(argv: readonly string[], options: RunOptions = {}): Promise<ProbeRecord> {
    const probe = await runProcess(argv, { ...options, env: this.envWith(options.envOverrides) });
    this.emit(probe);
    return probe;
  }

  startServer(argv: readonly string[], { envOverrides, ...options }: HostServerOptions): Promise<ServerHandle> {
    return observeServer(argv, options.cwd, startServer(argv, { ...options, env: this.envWith(envOverrides) }), (p) => this.emit(p));
  }

  startPiped(argv: readonly string[], { envOverrides, ...options }: HostPipedOptions = {}): Promise<PipedProcess> {
    return observePiped(argv, options.cwd, startPiped(argv, { ...options, env: this.envWith(envOverrides) }), (p) => this.emit(p));
  }

  // stat and realpath answer at once (no thread pool round trip, no exception for a missing file): the
  // doctor looks for go, dlv and gopls in every GOBIN, GOPATH, GOROOT and PATH folder, forty-odd
  // lookups before its first probe can start. The Go extension looks for its tools the same way.
  async stat(path: string): Promise<FileFacts> {
    try {
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st) return { exists: false };
      const facts: FileFacts = { exists: true, isFile: st.isFile(), isDirectory: st.isDirectory(), size: st.size };
      if (st.isFile()) facts.executable = isExecutableByUs(path);
      return facts;
    } catch {
      return { exists: false };
    }
  }

  async readText(path: string, maxBytes = MAX_TEXT_BYTES): Promise<string | undefined> {
    try {
      // Regular files only: a FIFO named go.mod must not hang the checks.
      return (await readUserFile(path, { maxBytes, prefix: true })).toString('utf8');
    } catch {
      return undefined;
    }
  }

  async listDir(path: string): Promise<string[] | undefined> {
    try {
      return await readdirPath(path);
    } catch {
      return undefined;
    }
  }

  async realpath(path: string): Promise<string | undefined> {
    try {
      return realpathSync.native(path);
    } catch {
      return undefined;
    }
  }

  async openBytes(path: string): Promise<ByteSource | undefined> {
    try {
      return await openFileBytes(path);
    } catch {
      return undefined;
    }
  }
}

/** Passes everything through to another host; wrappers override what they watch. */
export class DelegatingHost implements Host {
  constructor(protected readonly inner: Host) {}
  get platform() {
    return this.inner.platform;
  }
  get arch() {
    return this.inner.arch;
  }
  get homedir() {
    return this.inner.homedir;
  }
  get pathSeparator() {
    return this.inner.pathSeparator;
  }
  env(name: string) {
    return this.inner.env(name);
  }
  run(argv: readonly string[], options?: RunOptions) {
    return this.inner.run(argv, options);
  }
  stat(path: string) {
    return this.inner.stat(path);
  }
  readText(path: string, maxBytes?: number) {
    return this.inner.readText(path, maxBytes);
  }
  listDir(path: string) {
    return this.inner.listDir(path);
  }
  realpath(path: string) {
    return this.inner.realpath(path);
  }
  openBytes(path: string) {
    return this.inner.openBytes(path);
  }
  startServer(argv: readonly string[], options: HostServerOptions) {
    return this.inner.startServer(argv, options);
  }
  startPiped(argv: readonly string[], options?: HostPipedOptions) {
    return this.inner.startPiped(argv, options);
  }
}

/** Keeps every probe the inner host ran, in order; a long-running process when it has ended. */
export class ObservedHost extends DelegatingHost {
  readonly probes: ProbeRecord[] = [];
  override async run(argv: readonly string[], options?: RunOptions) {
    const probe = await this.inner.run(argv, options);
    this.probes.push(probe);
    return probe;
  }
  override startServer(argv: readonly string[], options: HostServerOptions) {
    return observeServer(argv, options.cwd, this.inner.startServer(argv, options), (p) => this.probes.push(p));
  }
  override startPiped(argv: readonly string[], options?: HostPipedOptions) {
    return observePiped(argv, options?.cwd, this.inner.startPiped(argv, options), (p) => this.probes.push(p));
  }
}

const START_FAILURE: Record<ServerStartError['reason'], ProbeOutcome> = {
  exited: 'exit',
  timeout: 'timeout',
  cancelled: 'cancelled',
  'not-found': 'not-found',
  error: 'error',
};

/** One record for a long-running process: when it failed to start, or when it ended. */
function serverRecord(
  argv: readonly string[],
  cwd: string | undefined,
  started: number,
  end: { outcome: ProbeOutcome; exitCode: number | null; stdout?: string; error?: string },
): ProbeRecord {
  return {
    argv: [...argv],
    ...(cwd ? { cwd } : {}),
    outcome: end.outcome,
    exitCode: end.exitCode,
    stdout: end.stdout ?? '',
    stderr: '',
    ...(end.error ? { error: end.error } : {}),
    durationMs: Math.round(performance.now() - started),
  };
}

function observeStart<T>(
  argv: readonly string[],
  cwd: string | undefined,
  starting: Promise<T>,
  record: (p: ProbeRecord) => void,
  started: number,
): Promise<T> {
  return starting.catch((err: unknown) => {
    const reason = err instanceof ServerStartError ? err.reason : 'error';
    record(
      serverRecord(argv, cwd, started, {
        outcome: START_FAILURE[reason],
        exitCode: null,
        stdout: err instanceof ServerStartError ? err.output : '',
        error: err instanceof Error ? err.message : String(err),
      }),
    );
    throw err;
  });
}

/** Stopped by its owner counts as ok: a server is meant to run until it is stopped. */
function observeServer(
  argv: readonly string[],
  cwd: string | undefined,
  starting: Promise<ServerHandle>,
  record: (p: ProbeRecord) => void,
): Promise<ServerHandle> {
  const started = performance.now();
  return observeStart(argv, cwd, starting, record, started).then((handle) => {
    let stopped = false;
    void handle.exited.then((code) =>
      record(serverRecord(argv, cwd, started, { outcome: stopped || code === 0 ? 'ok' : 'exit', exitCode: code, stdout: handle.output() })),
    );
    return { ...handle, stop: () => ((stopped = true), handle.stop()) };
  });
}

function observePiped(
  argv: readonly string[],
  cwd: string | undefined,
  starting: Promise<PipedProcess>,
  record: (p: ProbeRecord) => void,
): Promise<PipedProcess> {
  const started = performance.now();
  return observeStart(argv, cwd, starting, record, started).then((proc) => {
    let stopped = false;
    void proc.exited.then(({ code, signal }) =>
      record(
        serverRecord(argv, cwd, started, {
          outcome: stopped || code === 0 ? 'ok' : code === null ? 'error' : 'exit',
          exitCode: code,
          ...(signal && !stopped ? { error: `killed by ${signal}` } : {}),
        }),
      ),
    );
    return { ...proc, stop: () => ((stopped = true), proc.stop()) };
  });
}

function isExecutableByUs(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}
