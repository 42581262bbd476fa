import { encodeFrame, FrameReader } from '../dap/framing';

/** A request the server sends us: the answer is what the handler returns (null for undefined). */
export type RequestHandler = (method: string, params: unknown) => unknown;
export type NotificationHandler = (method: string, params: unknown) => void;
/** A `$/progress` notification: which work it is about and how far it got. */
export type ProgressHandler = (progress: { token: string | number; value: unknown }) => void;

/** JSON-RPC's code for a request whose handler failed. */
const INTERNAL_ERROR = -32603;

type Body = Record<string, unknown>;

/**
 * JSON-RPC 2.0 over an LSP server's standard streams: the same Content-Length framing as DAP, then
 * requests matched to their responses by id. One handler of each kind; a later one replaces it.
 * Whatever the server does, nothing here throws or leaves a rejection nobody handles: a failed write
 * (EPIPE, the server has died) is left to the process exit and the closed output to report, and bytes
 * that are not LSP end the connection through onError, then onClose.
 */
export class LspConnection {
  private nextId = 1;
  private readonly reader = new FrameReader();
  /** Only the requests we sent and that are not answered yet. */
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (err: Error) => void }>();
  private closed: Error | undefined;
  private requestHandler: RequestHandler = () => null;
  private notificationHandler: NotificationHandler = () => {};
  private progressHandler: ProgressHandler = () => {};
  private closeHandler: () => void = () => {};
  private errorHandler: (err: Error) => void = () => {};

  constructor(
    private readonly input: NodeJS.ReadableStream,
    private readonly output: NodeJS.WritableStream,
  ) {
    // Without a listener a failed write would be thrown as an uncaught 'error' event.
    output.on('error', () => {});
  }

  onRequest(handler: RequestHandler): void {
    this.requestHandler = handler;
  }

  onNotification(handler: NotificationHandler): void {
    this.notificationHandler = handler;
  }

  onProgress(handler: ProgressHandler): void {
    this.progressHandler = handler;
  }

  /** The server closed its output, or sent what is not LSP; every pending request has been rejected. */
  onClose(handler: () => void): void {
    this.closeHandler = handler;
  }

  /** Why the server's output could not be read (just before onClose). */
  onError(handler: (err: Error) => void): void {
    this.errorHandler = handler;
  }

  /** Starts reading: the handlers are in place before the first message is taken. */
  listen(): void {
    this.input.on('data', (chunk: Buffer | string) => this.receive(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk));
    this.input.on('error', (err: Error) => this.end(err, 'unreadable'));
    this.input.on('end', () => this.end(new Error('the server closed its output'), 'closed'));
    this.input.on('close', () => this.end(new Error('the server closed its output'), 'closed'));
  }

  /** The server's result; rejects with the server's message on an error response, or when the connection ends first. */
  sendRequest(method: string, params?: unknown): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      void this.write({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
    });
  }

  /** Settles once the message is handed to the stream (failed or not); rejects only when the connection has ended. */
  sendNotification(method: string, params?: unknown): Promise<void> {
    if (this.closed) return Promise.reject(this.closed);
    return this.write({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) });
  }

  /** Stops taking messages and rejects what is pending, without reporting a close: ours, not the server's. */
  dispose(): void {
    this.end(new Error('the connection was disposed'), 'disposed');
  }

  private write(message: Body): Promise<void> {
    // A failed write is reported by the exit, not here.
    return new Promise((resolve) => {
      this.output.write(encodeFrame(Buffer.from(JSON.stringify(message), 'utf8')), () => resolve());
    });
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    const { frames, error } = this.reader.push(chunk);
    for (const { value } of frames) {
      if (this.closed) return;
      if (!isBody(value) || !this.dispatch(value)) return this.end(new Error('a message that is not JSON-RPC'), 'unreadable');
    }
    if (error) this.end(error, 'unreadable');
  }

  /** False when the message is neither a request, a notification nor a response. */
  private dispatch(message: Body): boolean {
    const { id, method, params } = message;
    const hasId = typeof id === 'number' || typeof id === 'string';
    if (typeof method === 'string') {
      if (hasId) this.answer(id, method, params);
      else this.notified(method, params);
      return true;
    }
    if (!('result' in message) && !('error' in message)) return false;
    const request = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!request) return true;
    this.pending.delete(id as number);
    if (message.error !== undefined && message.error !== null) request.reject(new Error(errorText(message.error)));
    else request.resolve(message.result);
    return true;
  }

  private answer(id: number | string, method: string, params: unknown): void {
    let reply: Body;
    try {
      reply = { jsonrpc: '2.0', id, result: this.requestHandler(method, params) ?? null };
    } catch (err) {
      reply = { jsonrpc: '2.0', id, error: { code: INTERNAL_ERROR, message: err instanceof Error ? err.message : String(err) } };
    }
    void this.write(reply);
  }

  private notified(method: string, params: unknown): void {
    // A handler's mistake must not end the connection nor escape the stream's 'data' event.
    try {
      if (method !== '$/progress') return this.notificationHandler(method, params);
      const { token, value } = isBody(params) ? params : {};
      if (typeof token === 'string' || typeof token === 'number') this.progressHandler({ token, value });
    } catch {
      // ignored, as a notification has no one to answer
    }
  }

  /** Every pending request (and any later one) fails with `why`; an output that could not be read is reported before the close. */
  private end(why: Error, how: 'closed' | 'unreadable' | 'disposed'): void {
    if (this.closed) return;
    this.closed = why;
    for (const request of this.pending.values()) request.reject(why);
    this.pending.clear();
    if (how === 'disposed') return;
    if (how === 'unreadable') this.errorHandler(why);
    this.closeHandler();
  }
}

function isBody(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The server's own words for a failed request. */
function errorText(error: unknown): string {
  if (isBody(error) && typeof error.message === 'string') return error.message;
  return `an error response (${JSON.stringify(error).slice(0, 200)})`;
}
