import { connect, type Socket } from 'node:net';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { encodeFrame, FrameReader } from './framing';
import { answerProblem, messageProblem } from './shapes';

export { MAX_MESSAGE_BYTES } from './framing';
/** Messages kept in the transcript and unclaimed events kept for a wait: a flooding peer cannot grow them without end. */
const MAX_KEPT = 10_000;
/** ...nor past this many bytes of message bodies (a few 32 MiB messages would otherwise stay for good). */
const MAX_KEPT_BYTES = 16 * 1024 * 1024;
/** What we wrote and the peer has not read yet: a peer that sends requests and never reads our answers. */
const MAX_UNSENT_BYTES = 8 * 1024 * 1024;

export class DapError extends Error {
  constructor(
    message: string,
    readonly response?: DebugProtocol.Response,
  ) {
    super(message);
  }
}

/**
 * A Debug Adapter Protocol client over TCP: Content-Length framed JSON, requests matched to their
 * responses by sequence number, events kept so a wait never misses one that came early. Every
 * request and wait has a timeout.
 */
export class DapClient {
  private seq = 1;
  private readonly reader = new FrameReader();
  private readonly pending = new Map<
    number,
    { command: string; resolve: (r: DebugProtocol.Response) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  private readonly events = new KeptList<DebugProtocol.Event>();
  private readonly waiters: {
    match: (e: DebugProtocol.Event) => boolean;
    resolve: (e: DebugProtocol.Event) => void;
    reject: (e: Error) => void;
  }[] = [];
  private closed: Error | undefined;
  private readonly kept = new KeptList<{ dir: '->' | '<-'; message: DebugProtocol.ProtocolMessage }>();

  /** The latest messages in both directions (within MAX_KEPT and MAX_KEPT_BYTES), for the report when something goes wrong. */
  get transcript(): readonly { dir: '->' | '<-'; message: DebugProtocol.ProtocolMessage }[] {
    return this.kept.items;
  }

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.fail(new DapError('the debug adapter closed the connection')));
    socket.on('error', (err) => this.fail(new DapError(`connection error: ${err.message}`)));
  }

  /**
   * Connects to a debug adapter. With `signal`, a cancel before the connection is made destroys the
   * socket: a connection that completes after the caller has gone would have no owner, and one whose
   * peer vanished without a reset (seen when dlv is killed mid-accept) would keep the process alive.
   */
  static connect(host: string, port: number, timeoutMs = 5_000, signal?: AbortSignal): Promise<DapClient> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new DapError(`connection to ${host}:${port} cancelled`));
        return;
      }
      const socket = connect({ host, port });
      const settle = (outcome: DapClient | Error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (outcome instanceof Error) {
          socket.destroy();
          reject(outcome);
        } else resolve(outcome);
      };
      const onAbort = () => settle(new DapError(`connection to ${host}:${port} cancelled`));
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => settle(new DapError(`no connection to ${host}:${port} within ${timeoutMs} ms`)), timeoutMs);
      socket.once('connect', () => settle(new DapClient(socket)));
      socket.once('error', (err) => settle(new DapError(`cannot connect to ${host}:${port}: ${err.message}`)));
    });
  }

  request<R extends DebugProtocol.Response>(command: string, args?: unknown, timeoutMs = 10_000): Promise<R> {
    if (this.closed) return Promise.reject(this.closed);
    const message: DebugProtocol.Request = {
      seq: this.seq++,
      type: 'request',
      command,
      ...(args === undefined ? {} : { arguments: args }),
    };
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(message.seq);
        reject(new DapError(`no answer to "${command}" within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(message.seq, {
        command,
        resolve: (r) => (r.success ? resolve(r as R) : reject(new DapError(`${command} failed: ${errorText(r)}`, r))),
        reject,
        timer,
      });
      this.send(message);
    });
  }

  /**
   * The first event (already received or still to come) that matches; with several names, the first
   * of any of them. One wait for several names, not a race of waits: a wait that lost a race would
   * still take the next event of its name from whoever waits for it later.
   */
  waitForEvent<E extends DebugProtocol.Event>(
    event: string | readonly string[],
    timeoutMs = 10_000,
    match: (e: E) => boolean = () => true,
  ): Promise<E> {
    const names: readonly string[] = typeof event === 'string' ? [event] : event;
    const test = (e: DebugProtocol.Event) => names.includes(e.event) && match(e as E);
    const found = this.events.take(test);
    if (found) return Promise.resolve(found as E);
    if (this.closed) return Promise.reject(this.closed);
    return new Promise<E>((resolve, reject) => {
      const waiter = {
        match: test,
        resolve: (e: DebugProtocol.Event) => {
          clearTimeout(timer);
          resolve(e as E);
        },
        reject: (err: Error) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new DapError(`no ${names.map((n) => `"${n}"`).join(' or ')} event within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Why the connection ended (closed by the peer, refused, closed by us), once it has. */
  get failure(): Error | undefined {
    return this.closed;
  }

  /** Output events received so far (stdout/stderr of the program and the adapter's console). */
  output(): string {
    return this.transcript
      .filter((t) => t.dir === '<-' && (t.message as DebugProtocol.Event).event === 'output')
      .map((t) => (t.message as DebugProtocol.OutputEvent).body.output)
      .join('');
  }

  close(): void {
    this.socket.destroy();
    this.fail(new DapError('the connection was closed'));
  }

  private send(message: DebugProtocol.ProtocolMessage): void {
    const json = Buffer.from(JSON.stringify(message), 'utf8');
    this.kept.push({ dir: '->', message }, json.length);
    this.socket.write(encodeFrame(json));
    if (this.socket.writableLength > MAX_UNSENT_BYTES)
      this.end(`the debug adapter does not read what it is sent (more than ${MAX_UNSENT_BYTES / (1024 * 1024)} MiB waiting)`);
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    // What the peer sends is input, not truth: bytes that are not DAP end the connection with one
    // line instead of an exception in this socket's handler.
    const { frames, error } = this.reader.push(chunk);
    for (const { value, bytes } of frames) {
      if (this.closed) return;
      const problem = messageProblem(value);
      if (problem) return this.refuse(problem);
      const message = value as DebugProtocol.ProtocolMessage;
      this.kept.push({ dir: '<-', message }, bytes);
      this.dispatch(message, bytes);
    }
    if (error && !this.closed) this.refuse(error.message);
  }

  /** Ends the connection on a peer that does not speak DAP; every request and wait fails with why. */
  private refuse(why: string): void {
    this.end(`the debug adapter sent ${why}`);
  }

  private end(why: string): void {
    this.socket.destroy();
    this.fail(new DapError(why));
  }

  private dispatch(message: DebugProtocol.ProtocolMessage, bytes: number): void {
    if (message.type === 'response') {
      const r = message as DebugProtocol.Response;
      const p = this.pending.get(r.request_seq);
      if (!p) return;
      this.pending.delete(r.request_seq);
      clearTimeout(p.timer);
      const lacks = r.success ? answerProblem(p.command, r) : undefined;
      if (r.command !== p.command)
        p.reject(new DapError(`the debug adapter answered "${p.command}" with a "${String(r.command).slice(0, 40)}" response`, r));
      else if (lacks) p.reject(new DapError(`the debug adapter answered "${p.command}" without ${lacks}`, r));
      else p.resolve(r);
    } else if (message.type === 'event') {
      const e = message as DebugProtocol.Event;
      const i = this.waiters.findIndex((w) => w.match(e));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(e);
      else this.events.push(e, bytes);
    } else if (message.type === 'request') {
      // Reverse requests (runInTerminal, startDebugging): we support none; say so, as VS Code would.
      const req = message as DebugProtocol.Request;
      this.send({
        seq: this.seq++,
        type: 'response',
        request_seq: req.seq,
        success: false,
        command: req.command,
        message: 'not supported',
      } as DebugProtocol.Response);
    }
  }

  private fail(err: Error): void {
    if (this.closed) return;
    this.closed = err;
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
    // A wait for an event that can no longer come ends now, not at its timeout.
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}

/** The adapter's words: Delve puts a short message in `message` and the whole text in `body.error.format`. */
function errorText(r: DebugProtocol.Response): string {
  const body: unknown = r.body;
  const error: unknown = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  const format: unknown = typeof error === 'object' && error !== null ? (error as { format?: unknown }).format : undefined;
  if (typeof format !== 'string') return r.message || 'no message';
  const message = r.message ?? '';
  if (!format) return message || 'no message';
  return !message || format.startsWith(message) ? format : `${message}: ${format}`;
}

/**
 * The newest items within MAX_KEPT and MAX_KEPT_BYTES. Past either, the oldest go down to three
 * quarters of both at once, so a flood costs a constant per message, not a shift of the whole list.
 */
class KeptList<T> {
  readonly items: T[] = [];
  private sizes: number[] = [];
  private bytes = 0;

  push(item: T, bytes: number): void {
    this.items.push(item);
    this.sizes.push(bytes);
    this.bytes += bytes;
    if (this.items.length <= MAX_KEPT && this.bytes <= MAX_KEPT_BYTES) return;
    let drop = 0;
    while (drop < this.items.length && (this.items.length - drop > (MAX_KEPT * 3) / 4 || this.bytes > (MAX_KEPT_BYTES * 3) / 4))
      this.bytes -= this.sizes[drop++]!;
    this.items.splice(0, drop);
    this.sizes = this.sizes.slice(drop);
  }

  /** Removes and returns the first item that matches. */
  take(match: (item: T) => boolean): T | undefined {
    const i = this.items.findIndex(match);
    if (i < 0) return undefined;
    this.bytes -= this.sizes[i]!;
    this.sizes.splice(i, 1);
    return this.items.splice(i, 1)[0];
  }
}
