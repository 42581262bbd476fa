import { firstLine } from './display';
import { groupAlive, killTree, live, markedProcesses } from './processGroup';
import { OWN_GROUP, spawnMarked } from './spawn';
import { guardMark, type Guard } from './watchdog';

export interface ServerOptions {
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** The line that says the server is ready (Delve: "API server listening at: ..."). */
  ready: RegExp;
  /** How long to wait for it (a `dlv debug` compiles first). */
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * The server ends itself, and what it started, when its one client disconnects (Delve's `dlv dap`
   * does): once the caller says `clientConnected()`, our own death cannot leave it behind, so it
   * needs no watchdog. It gets one only if the client has not connected within a second.
   */
  endsWithClient?: boolean;
}

export interface ServerHandle {
  pid: number;
  /** The line that matched `ready`. */
  readyLine: string;
  /** Everything printed so far, both streams. */
  output(): string;
  /** A client is connected to a server started with `endsWithClient`. */
  clientConnected(): void;
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
  // A watchdog's start costs a Node's worth of CPU while dlv builds; a server that ends with its
  // client is spared it, unless the client is slow to come. Any other is guarded from before its start.
  const started = spawnMarked(argv, options, 'ignore', !options.endsWithClient);
  if ('error' in started) return Promise.reject(new ServerStartError(started.error, '', started.reason));
  const { child, mark } = started;
  let output = '';
  const pid = child.pid;
  if (pid) live.add(pid);
  let guarded: Guard | undefined = started.guard;
  const guard = () => {
    if (guarded || !pid || !OWN_GROUP) return;
    guarded = guardMark(mark);
    guarded.started(pid);
  };
  let unguarded = options.endsWithClient ? setTimeout(guard, UNGUARDED_MS) : undefined;
  const clientConnected = () => {
    clearTimeout(unguarded);
    unguarded = undefined;
  };
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
    clientConnected();
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
    guarded?.release();
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
        resolve({ pid: pid!, readyLine: line.replace(/\r$/, ''), output: () => output, clientConnected, stop, exited });
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
/** How long a server that ends with its client may run unguarded before the client connects. */
const UNGUARDED_MS = 1_000;
