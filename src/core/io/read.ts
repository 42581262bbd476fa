import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';

import { InputError } from './errors';
import { closeFd, fstatFd, openFd, readFd } from './fsCalls';

/** launch.json, tasks.json, recordings: far larger than any real one, small enough to hold. */
export const MAX_INPUT_BYTES = 16 * 1024 * 1024;
/** Deeper nesting than any configuration needs; deep enough that the recursive parsers stay safe. */
export const MAX_JSON_DEPTH = 512;

export interface ReadOptions {
  maxBytes?: number;
  /** What the file is, for messages ("launch.json", "the recording"). Default: the path. */
  label?: string;
  /** Return the first maxBytes of a larger file instead of refusing it. */
  prefix?: boolean;
}

/**
 * Reads a user's file: regular files only (a FIFO, a device or a folder is refused, never opened
 * for a blocking read), at most `maxBytes`. Every failure is an InputError with one line.
 *
 * The reading itself is synchronous: the files are small (configuration, go.mod, the go env file;
 * `maxBytes` bounds the rest), and the doctor reads some of them before its first probe can start,
 * where each round trip through the thread pool costs a millisecond.
 */
export async function readUserFile(file: string, options: ReadOptions = {}): Promise<Buffer> {
  const maxBytes = options.maxBytes ?? MAX_INPUT_BYTES;
  const label = options.label ?? file;
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new InputError(`${label}: ${describeErrno(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new InputError(`${label}: ${kindOf(st)}, not a regular file`);
    if (st.size > maxBytes && !options.prefix)
      throw new InputError(`${label}: ${formatBytes(st.size)} is more than the ${formatBytes(maxBytes)} this reads`);
    // Files in /proc report size 0 but have content: give them room (bounded by maxBytes).
    const buffer = Buffer.alloc(Math.min(st.size > 0 ? st.size : 64 * 1024, maxBytes) + 1);
    let length = 0;
    // The size may change while we read: read until the end, but never past the limit.
    for (;;) {
      if (length === buffer.length && options.prefix) return buffer.subarray(0, maxBytes);
      if (length === buffer.length) throw new InputError(`${label}: grew beyond ${formatBytes(maxBytes)} while it was read`);
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes && !options.prefix) throw new InputError(`${label}: more than the ${formatBytes(maxBytes)} this reads`);
    }
    return buffer.subarray(0, Math.min(length, maxBytes));
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`${label}: ${describeErrno(err)}`);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // nothing to do: the file was only read
    }
  }
}

/** A user's regular file, open for positioned reads; the caller closes it. */
export interface OpenFile {
  readonly size: number;
  /** Reads up to `length` bytes at `position` into `buffer` at `offset`; the number read (0 at the end). */
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number>;
  close(): Promise<void>;
}

/**
 * Opens a user's regular file (a binary, often large) for positioned reads, which go through the
 * thread pool; a FIFO, device or folder is refused without blocking. Every failure is an
 * InputError with one line.
 */
export async function openUserFile(file: string, label = file): Promise<OpenFile> {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = await openFd(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (err) {
    throw new InputError(`${label}: ${describeErrno(err)}`);
  }
  let st: Stats;
  try {
    st = await fstatFd(fd);
  } catch (err) {
    await closeFd(fd).catch(() => undefined);
    throw new InputError(`${label}: ${describeErrno(err)}`);
  }
  if (!st.isFile()) {
    await closeFd(fd).catch(() => undefined);
    throw new InputError(`${label}: ${kindOf(st)}, not a regular file`);
  }
  return {
    size: st.size,
    read: (buffer, offset, length, position) => readFd(fd, buffer, offset, length, position),
    close: () => closeFd(fd),
  };
}

/** Like readUserFile, but a missing file is `undefined` (launch.json that does not exist yet). */
export async function readOptionalUserFile(file: string, options: ReadOptions = {}): Promise<Buffer | undefined> {
  if (!exists(file, lstatSync)) return undefined;
  try {
    return await readUserFile(file, options);
  } catch (err) {
    // A dangling symlink, or a file removed between the two calls.
    if (err instanceof InputError && !exists(file, statSync)) return undefined;
    throw err;
  }
}

/** False only when there is no such file (ENOENT); any other answer lets the reader say what is wrong. */
function exists(file: string, stat: typeof statSync): boolean {
  try {
    return stat(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return true;
  }
}

export interface DecodedText {
  /** The text without a leading byte order mark. */
  text: string;
  /** The file started with a UTF-8 byte order mark (written back when the file is rewritten). */
  bom: boolean;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Decodes UTF-8. With `strict`, bytes that are not UTF-8 are refused (a writer must never turn
 * them into U+FFFD); otherwise they are replaced, which is fine for reading only.
 */
export function decodeText(bytes: Uint8Array, label: string, strict = false): DecodedText {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: strict, ignoreBOM: true }).decode(body), bom };
  } catch {
    throw new InputError(`${label}: not valid UTF-8 text; not changing it (its bytes would not survive a rewrite)`);
  }
}

/** The text as bytes, with the byte order mark it was read with. */
export function encodeText(decoded: DecodedText): Buffer {
  const body = Buffer.from(decoded.text, 'utf8');
  return decoded.bom ? Buffer.concat([UTF8_BOM, body]) : body;
}

/** Reads a user's text file (see readUserFile); bytes that are not UTF-8 are replaced. */
export async function readUserText(file: string, options: ReadOptions = {}): Promise<string> {
  return decodeText(await readUserFile(file, options), options.label ?? file).text;
}

/**
 * Reads a stream (standard input) to its end, refusing more than `maxBytes`: an endless stream is
 * cut off instead of filling memory. Works for pipes, files and terminals alike (no EAGAIN).
 */
export function readStreamBounded(stream: Readable, maxBytes: number, label = 'standard input'): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const done = (err?: Error) => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      if (err) {
        stream.destroy();
        reject(err);
      } else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      length += bytes.length;
      if (length > maxBytes) return done(new InputError(`${label}: more than ${formatBytes(maxBytes)}; give only the text to explain`));
      chunks.push(bytes);
    };
    const onEnd = () => done();
    const onError = (err: Error) => done(new InputError(`${label}: ${describeErrno(err)}`));
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
  });
}

/**
 * Refuses JSON nested deeper than `max` (the parsers and the code that walks their trees recurse):
 * one linear pass that skips strings and comments.
 */
export function checkJsonDepth(text: string, label: string, max = MAX_JSON_DEPTH): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: skip to its closing quote.
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22 || d === 0x0a) break;
      }
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) throw new InputError(`${label}: nested more than ${max} levels deep; not reading it`);
    } else if (c === 0x7d || c === 0x5d) {
      if (depth > 0) depth--;
    }
  }
}

function kindOf(st: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (st.isDirectory()) return 'is a folder';
  if (st.isFIFO()) return 'is a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'is a device';
  if (st.isSocket()) return 'is a socket';
  return 'is a special file';
}

export function describeErrno(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a regular file';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    case 'EAGAIN':
      return 'not ready for reading (a non-blocking special file)';
    default:
      return code ? `cannot read it (${code})` : firstLineOf(err instanceof Error ? err.message : String(err));
  }
}

function firstLineOf(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) ? 1 : 0)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(n % 1024 ? 1 : 0)} KiB`;
  return `${n} bytes`;
}
