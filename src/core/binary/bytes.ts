import { openUserFile } from '../io/read';

/** Random access to a file's bytes, so readers fetch only the headers and regions they need. */
export interface ByteSource {
  readonly size: number;
  /** Up to `length` bytes at `offset` (fewer at the end of the file). */
  read(offset: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export async function openFileBytes(path: string): Promise<ByteSource> {
  const file = await openUserFile(path);
  const size = file.size;
  return {
    size,
    async read(offset, length) {
      if (offset < 0 || offset >= size || length <= 0) return Buffer.alloc(0);
      const buffer = Buffer.alloc(Math.min(length, size - offset));
      const bytesRead = await file.read(buffer, 0, buffer.length, offset);
      return buffer.subarray(0, bytesRead);
    },
    close: () => file.close(),
  };
}

export function bufferBytes(buffer: Buffer): ByteSource {
  return {
    size: buffer.length,
    async read(offset, length) {
      if (offset < 0 || offset >= buffer.length || length <= 0) return Buffer.alloc(0);
      return buffer.subarray(offset, Math.min(buffer.length, offset + length));
    },
    async close() {},
  };
}

/** A malformed or truncated file: the message says what was wrong and where. */
export class BinaryFormatError extends Error {}

/** Reads exactly `length` bytes or throws: every structure we parse has a known size. */
export async function readExactly(src: ByteSource, offset: number, length: number, what: string): Promise<Buffer> {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > src.size) {
    throw new BinaryFormatError(`${what} at offset ${offset} (${length} bytes) lies outside the file (${src.size} bytes)`);
  }
  const buf = await src.read(offset, length);
  if (buf.length !== length) throw new BinaryFormatError(`${what}: file truncated at offset ${offset}`);
  return buf;
}
