/** The largest message we read (a Delve `dlv sources` answer for a big program is a few MiB). */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
/** A header is a line or two; more without its blank line is not DAP. */
export const MAX_HEADER_BYTES = 8 * 1024;

const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');

/** The peer's bytes are not Content-Length framed JSON: the connection cannot go on. */
export class FramingError extends Error {}

/** One message as it came off the wire: its JSON value and the size of its body in bytes. */
export interface Frame {
  value: unknown;
  bytes: number;
}

/**
 * A message as it goes on the wire: the header and the JSON body in one buffer (written at once: a
 * header and body sent apart meet delayed ACKs and cost ~40 ms per request).
 */
export function encodeFrame(body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/**
 * Splits a byte stream into messages (header fields, a blank line, a JSON body of Content-Length
 * bytes: DAP, and LSP's base protocol). Whatever the chunking, the work is linear in the bytes:
 * chunks are joined once per header and once per body, never on every arrival, and nothing past the
 * limits is kept.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** The body size announced by the header just read; undefined while a header is awaited. */
  private bodyBytes: number | undefined;
  private failed: FramingError | undefined;

  /** Bytes held for a message not complete yet. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /**
   * The messages `chunk` completes, in order, and the error that ends the stream when its bytes are
   * not DAP: the messages before the error are given either way, however the bytes were cut.
   * After an error the reader takes nothing more.
   */
  push(chunk: Buffer): { frames: Frame[]; error?: FramingError } {
    const frames: Frame[] = [];
    if (this.failed) return { frames, error: this.failed };
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    try {
      for (let frame = this.next(); frame; frame = this.next()) frames.push(frame);
      return { frames };
    } catch (err) {
      if (!(err instanceof FramingError)) throw err;
      this.failed = err;
      this.keepOnly(Buffer.alloc(0));
      return { frames, error: err };
    }
  }

  /** The next complete message, if the bytes so far hold one. */
  private next(): Frame | undefined {
    if (this.bodyBytes === undefined) {
      const data = this.joined();
      const end = data.subarray(0, MAX_HEADER_BYTES + HEADER_END.length).indexOf(HEADER_END);
      if (end < 0) {
        // Only once the blank line would have had to arrive: a header of the limit may end split across chunks.
        if (data.length >= MAX_HEADER_BYTES + HEADER_END.length) throw new FramingError(`a header of more than ${MAX_HEADER_BYTES} bytes`);
        return undefined;
      }
      this.bodyBytes = contentLength(data.subarray(0, end).toString('latin1'));
      this.keepOnly(data.subarray(end + HEADER_END.length));
    }
    if (this.buffered < this.bodyBytes) return undefined;
    const data = this.joined();
    const body = data.subarray(0, this.bodyBytes);
    this.keepOnly(data.subarray(this.bodyBytes));
    this.bodyBytes = undefined;
    try {
      return { value: JSON.parse(body.toString('utf8')) as unknown, bytes: body.length };
    } catch {
      throw new FramingError('a message that is not JSON');
    }
  }

  private joined(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private keepOnly(rest: Buffer): void {
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
  }
}

/**
 * The body size a header announces. Read field by field, by name: a field that merely ends in
 * "Content-Length" (X-Content-Length) is another field, and two sizes that disagree leave no
 * telling where the message ends.
 */
function contentLength(header: string): number {
  const sizes = new Set<string>();
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim().toLowerCase() !== 'content-length') continue;
    const value = line.slice(colon + 1).trim();
    if (!/^\d+$/.test(value)) throw new FramingError(`a Content-Length that is not a number of bytes`);
    sizes.add(value.replace(/^0+(?=\d)/, ''));
  }
  if (sizes.size === 0) throw new FramingError('a message without Content-Length');
  if (sizes.size > 1) throw new FramingError('a header with two different Content-Length values');
  const [size] = [...sizes];
  const cap = `more than ${MAX_MESSAGE_BYTES / (1024 * 1024)} MiB`;
  if (size!.length > 15) throw new FramingError(`a message of ${cap}`);
  if (Number(size) > MAX_MESSAGE_BYTES) throw new FramingError(`a message of ${size} bytes (${cap})`);
  return Number(size);
}
