import { LiveHost } from '../probes/host';
import { monotonicMs } from '../probes/clock';
import type { PipedProcess } from '../probes/pipedProcess';
import { ServerStartError } from '../probes/server';
import type { GoplsHandshakeOptions, GoplsHandshakeResult } from './handshakeTypes';
import { LspConnection } from './lspConnection';
import { ServerEvents } from './serverEvents';

const STDERR_TAIL_CHARS = 8 * 1024;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
export const elapsed = (from: number) => Math.round(monotonicMs() - from);

interface Stop {
  outcome: 'crashed' | 'timeout' | 'cancelled' | 'error';
  error: string;
}

type Raced<T> = { value: T } | { stop: Stop };

/** Starts `gopls serve` through the host; undefined (and the reason in result) when it cannot start. */
export async function spawnGopls(options: GoplsHandshakeOptions, result: GoplsHandshakeResult): Promise<PipedProcess | undefined> {
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
export class HandshakeRun {
  stopped: Stop | undefined;
  /** Set once `exit` was sent: an exit from then on is expected. */
  exiting = false;
  phase = 'initialize';
  exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  connection: LspConnection | undefined;
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

  /** The work, unless the run stops or the step's limit passes first. */
  async race<T>(work: Promise<T>, limitMs: number, what: string): Promise<Raced<T>> {
    let timer: NodeJS.Timeout | undefined;
    // A step whose limit reaches past the deadline has no timer of its own: the deadline's stop says
    // what happened, and two timers due at the same moment would make the wording a coin toss.
    const timedOut =
      limitMs < this.remaining()
        ? new Promise<Stop>((resolve) => {
            timer = setTimeout(() => resolve({ outcome: 'timeout', error: `${what} within ${Math.round(limitMs)} ms` }), limitMs);
          })
        : new Promise<Stop>(() => undefined);
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
    const connection = new LspConnection(this.gopls.stdout, this.gopls.stdin);
    const events = new ServerEvents(connection, folder, this.result);
    connection.onClose(() => {
      if (this.exiting) return;
      // Usually the exit event follows at once and carries the exit code; this is the fallback.
      setTimeout(() => this.stop({ outcome: 'crashed', error: 'gopls closed its output before the handshake finished' }), 500).unref();
    });
    connection.onError((err) => {
      // stdout that is not LSP framing, or a stream torn down by a dying process. Let a crash (the
      // exit event, just behind) win over it.
      if (this.exiting) return;
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

export function describeExit(info: { code: number | null; signal: NodeJS.Signals | null } | undefined): string {
  return info?.signal ? `was killed by ${info.signal}` : `exited with code ${info?.code ?? 'unknown'}`;
}
