import { connect, type Socket } from 'node:net';
import type { DebugProtocol } from '@vscode/debugprotocol';

/** The largest message we read (a Delve `dlv sources` answer for a big program is a few MiB). */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
/** A header is a line or two; more without its blank line is not DAP. */
const MAX_HEADER_BYTES = 8 * 1024;
/** Messages kept in the transcript and unclaimed events kept for a wait: a flooding peer cannot grow them without end. */
const MAX_KEPT = 10_000;

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
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<
    number,
    { resolve: (r: DebugProtocol.Response) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  private readonly events: DebugProtocol.Event[] = [];
  private readonly waiters: {
    match: (e: DebugProtocol.Event) => boolean;
    resolve: (e: DebugProtocol.Event) => void;
    reject: (e: Error) => void;
  }[] = [];
  private closed: Error | undefined;
  /** Every message in both directions, for the report when something goes wrong. */
  readonly transcript: { dir: '->' | '<-'; message: DebugProtocol.ProtocolMessage }[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('close', () => this.fail(new DapError('the debug adapter closed the connection')));
    socket.on('error', (err) => this.fail(new DapError(`connection error: ${err.message}`)));
  }

  static connect(host: string, port: number, timeoutMs = 5_000): Promise<DapClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new DapError(`no connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(new DapClient(socket));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new DapError(`cannot connect to ${host}:${port}: ${err.message}`));
      });
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
    const index = this.events.findIndex(test);
    if (index >= 0) return Promise.resolve(this.events.splice(index, 1)[0] as E);
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
    this.keep(this.transcript, { dir: '->', message });
    const json = Buffer.from(JSON.stringify(message), 'utf8');
    // One write: a header and body sent apart meet delayed ACKs and cost ~40 ms per request.
    this.socket.write(Buffer.concat([Buffer.from(`Content-Length: ${json.length}\r\n\r\n`, 'ascii'), json]));
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      // What the peer sends is input, not truth: a header without end or an announced size over the
      // cap ends the connection with one line instead of buffering without bound.
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) {
        if (this.buffer.length > MAX_HEADER_BYTES) return this.refuse(`a header of more than ${MAX_HEADER_BYTES} bytes`);
        return;
      }
      if (headerEnd > MAX_HEADER_BYTES) return this.refuse(`a header of more than ${MAX_HEADER_BYTES} bytes`);
      const length = /Content-Length: *(\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'))?.[1];
      if (length === undefined) return this.refuse('a message without Content-Length');
      if (Number(length) > MAX_MESSAGE_BYTES)
        return this.refuse(`a message of ${length} bytes (more than ${MAX_MESSAGE_BYTES / (1024 * 1024)} MiB)`);
      const end = headerEnd + 4 + Number(length);
      if (this.buffer.length < end) return;
      const body = this.buffer.subarray(headerEnd + 4, end).toString('utf8');
      this.buffer = this.buffer.subarray(end);
      let message: DebugProtocol.ProtocolMessage;
      try {
        message = JSON.parse(body) as DebugProtocol.ProtocolMessage;
      } catch {
        return this.refuse('a message that is not JSON');
      }
      this.keep(this.transcript, { dir: '<-', message });
      this.dispatch(message);
    }
  }

  /** Appends, dropping the oldest past MAX_KEPT. */
  private keep<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > MAX_KEPT) list.splice(0, list.length - MAX_KEPT);
  }

  /** Ends the connection on a peer that does not speak DAP; every request and wait fails with why. */
  private refuse(why: string): void {
    this.buffer = Buffer.alloc(0);
    this.socket.destroy();
    this.fail(new DapError(`the debug adapter sent ${why}`));
  }

  private dispatch(message: DebugProtocol.ProtocolMessage): void {
    if (message.type === 'response') {
      const r = message as DebugProtocol.Response;
      const p = this.pending.get(r.request_seq);
      if (!p) return;
      this.pending.delete(r.request_seq);
      clearTimeout(p.timer);
      p.resolve(r);
    } else if (message.type === 'event') {
      const e = message as DebugProtocol.Event;
      const i = this.waiters.findIndex((w) => w.match(e));
      if (i >= 0) this.waiters.splice(i, 1)[0]!.resolve(e);
      else this.keep(this.events, e);
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
  const format = (r as DebugProtocol.ErrorResponse).body?.error?.format;
  const message = r.message ?? '';
  if (!format) return message || 'no message';
  return !message || format.startsWith(message) ? format : `${message}: ${format}`;
}
