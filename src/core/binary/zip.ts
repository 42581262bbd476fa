import { crc32, inflateRawSync } from 'node:zlib';
import { BinaryFormatError, readExactly, type ByteSource } from './bytes';

/**
 * Reads one member of a zip file as the go command writes module zips (stored or deflated, no
 * encryption, no ZIP64: https://go.dev/ref/mod#zip-files; format: PKWARE APPNOTE.TXT). The zip may
 * come from anywhere a `go mod download` left it, so every size it declares is checked against the
 * file and against our limits before anything is read or allocated:
 *
 * - at most 64 KiB + 22 bytes of the end (the end record and its comment),
 * - at most `ZIP_MAX_CENTRAL_DIRECTORY` of central directory,
 * - at most `maxBytes` of member (and its compressed form at most a little more), inflated no
 *   further than the size the central directory declares; its CRC-32 must match.
 *
 * A damaged or hostile zip is a BinaryFormatError with one line; a member that is not there is
 * undefined.
 */
export async function readZipEntry(src: ByteSource, name: string, maxBytes = ZIP_MAX_ENTRY): Promise<Buffer | undefined> {
  const end = await readEndRecord(src);
  const wanted = Buffer.from(name, 'utf8');
  const dir = await readExactly(src, end.dirOffset, end.dirSize, 'zip central directory');
  let p = 0;
  for (let n = 0; n < end.entries; n++) {
    if (p + CENTRAL_HEADER > dir.length || dir.readUInt32LE(p) !== CENTRAL_SIG) {
      throw new BinaryFormatError(`zip central directory: entry ${n + 1} of ${end.entries} is missing or damaged`);
    }
    const nameLength = dir.readUInt16LE(p + 28);
    const next = p + CENTRAL_HEADER + nameLength + dir.readUInt16LE(p + 30) + dir.readUInt16LE(p + 32);
    if (next > dir.length) throw new BinaryFormatError(`zip central directory: entry ${n + 1} runs past its end`);
    if (nameLength === wanted.length && dir.subarray(p + CENTRAL_HEADER, p + CENTRAL_HEADER + nameLength).equals(wanted)) {
      return readMember(src, centralEntry(dir, p), wanted, name, end.dirOffset, maxBytes);
    }
    p = next;
  }
  return undefined;
}

/** A module file larger than this is no source file we read (compat.go and go.mod are a few KiB). */
export const ZIP_MAX_ENTRY = 4 << 20;
/**
 * The largest central directory we read. The largest module zip we know, a Go toolchain
 * (golang.org/toolchain, ~12,000 files), has 1.7 MiB of it.
 */
export const ZIP_MAX_CENTRAL_DIRECTORY = 8 << 20;
/** The end record with the longest comment it may carry. */
const END_SEARCH = 22 + 0xffff;

const END_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const CENTRAL_HEADER = 46;
const LOCAL_HEADER = 30;
const END_RECORD = 22;

/**
 * Deflate never needs much more room than the data (stored blocks add 5 bytes per 64 KiB; fixed
 * Huffman codes at most 9 bits a byte): anything larger is not a compressed form of `size` bytes.
 */
export function maxCompressedSize(size: number): number {
  return size + Math.ceil(size / 8) + 1024;
}

interface EndRecord {
  entries: number;
  dirSize: number;
  dirOffset: number;
}

async function readEndRecord(src: ByteSource): Promise<EndRecord> {
  if (src.size < END_RECORD) throw new BinaryFormatError(`not a zip file (${src.size} bytes, too short for an end record)`);
  const tailLength = Math.min(src.size, END_SEARCH);
  const tailStart = src.size - tailLength;
  const tail = await readExactly(src, tailStart, tailLength, 'zip end record');
  let at = -1;
  // The last signature whose comment fits in the file: a comment may itself contain the signature.
  for (let i = tail.length - END_RECORD; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_SIG && i + END_RECORD + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new BinaryFormatError('not a zip file (no end of central directory record)');
  const disk = tail.readUInt16LE(at + 4);
  const dirDisk = tail.readUInt16LE(at + 6);
  const entriesHere = tail.readUInt16LE(at + 8);
  const entries = tail.readUInt16LE(at + 10);
  const dirSize = tail.readUInt32LE(at + 12);
  const dirOffset = tail.readUInt32LE(at + 16);
  if (entries === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    throw new BinaryFormatError('zip end record points to a ZIP64 record (not used by module zips)');
  }
  if (disk !== 0 || dirDisk !== 0 || entriesHere !== entries) throw new BinaryFormatError('zip file spans several disks');
  const endOffset = tailStart + at;
  if (dirOffset + dirSize > endOffset) {
    throw new BinaryFormatError(
      `zip central directory (offset ${dirOffset}, ${dirSize} bytes) does not lie before its end record (offset ${endOffset})`,
    );
  }
  if (dirSize > ZIP_MAX_CENTRAL_DIRECTORY) {
    throw new BinaryFormatError(`zip central directory of ${dirSize} bytes is larger than the ${ZIP_MAX_CENTRAL_DIRECTORY} this reads`);
  }
  if (entries * CENTRAL_HEADER > dirSize) {
    throw new BinaryFormatError(`zip end record declares ${entries} entries, more than its ${dirSize}-byte central directory holds`);
  }
  return { entries, dirSize, dirOffset };
}

interface CentralEntry {
  madeBy: number;
  flags: number;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  externalAttributes: number;
  localOffset: number;
}

function centralEntry(dir: Buffer, p: number): CentralEntry {
  return {
    madeBy: dir.readUInt16LE(p + 4),
    flags: dir.readUInt16LE(p + 8),
    method: dir.readUInt16LE(p + 10),
    crc: dir.readUInt32LE(p + 16),
    compressed: dir.readUInt32LE(p + 20),
    size: dir.readUInt32LE(p + 24),
    externalAttributes: dir.readUInt32LE(p + 38),
    localOffset: dir.readUInt32LE(p + 42),
  };
}

const UNIX_HOST = 3;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;
const ENCRYPTED = 0x1;
const STORED = 0;
const DEFLATED = 8;

async function readMember(
  src: ByteSource,
  entry: CentralEntry,
  wanted: Buffer,
  name: string,
  dirOffset: number,
  maxBytes: number,
): Promise<Buffer> {
  const fail = (why: string) => new BinaryFormatError(`${name} in the zip ${why}`);
  const mode = entry.madeBy >> 8 === UNIX_HOST ? (entry.externalAttributes >>> 16) & S_IFMT : 0;
  if (mode === S_IFLNK) throw fail('is a symbolic link');
  if (mode !== 0 && mode !== S_IFREG) throw fail(`is not a regular file (mode ${mode.toString(8)})`);
  if (entry.flags & ENCRYPTED) throw fail('is encrypted');
  if (entry.size === 0xffffffff || entry.compressed === 0xffffffff || entry.localOffset === 0xffffffff) {
    throw fail('has ZIP64 sizes (not used by module zips)');
  }
  if (entry.size > maxBytes) throw fail(`declares ${entry.size} bytes, more than the ${maxBytes} this reads`);
  if (entry.method === STORED && entry.compressed !== entry.size) {
    throw fail(`is stored with ${entry.compressed} bytes but declares ${entry.size}`);
  }
  if (entry.method === DEFLATED && entry.compressed > maxCompressedSize(entry.size)) {
    throw fail(`declares ${entry.compressed} compressed bytes for ${entry.size}, more than deflate ever needs`);
  }
  if (entry.method !== STORED && entry.method !== DEFLATED) throw fail(`uses compression method ${entry.method} (not stored or deflate)`);

  const header = await readExactly(src, entry.localOffset, LOCAL_HEADER, `zip local header of ${name}`);
  if (header.readUInt32LE(0) !== LOCAL_SIG) throw fail(`has no local header at offset ${entry.localOffset}`);
  const localNameLength = header.readUInt16LE(26);
  const localName =
    localNameLength === wanted.length ? await readExactly(src, entry.localOffset + LOCAL_HEADER, localNameLength, name) : undefined;
  if (!localName?.equals(wanted)) throw fail('has a local header with another name than its central directory entry');
  const dataStart = entry.localOffset + LOCAL_HEADER + localNameLength + header.readUInt16LE(28);
  if (dataStart + entry.compressed > dirOffset) throw fail('has data that runs into the central directory');

  const raw = await readExactly(src, dataStart, entry.compressed, name);
  const data = entry.method === STORED ? raw : inflate(raw, entry.size, fail);
  if (data.length !== entry.size) throw fail(`inflates to ${data.length} bytes, not the ${entry.size} it declares`);
  if (crc32(data) !== entry.crc) throw fail('is damaged (CRC-32 mismatch)');
  return data;
}

function inflate(raw: Buffer, size: number, fail: (why: string) => Error): Buffer {
  try {
    // One byte of room past the declared size tells "more than declared" from "exactly".
    return inflateRawSync(raw, { maxOutputLength: size + 1 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw fail(`inflates to more than the ${size} bytes it declares`);
    const message = err instanceof Error ? err.message.split('\n', 1)[0] : String(err);
    throw fail(`has damaged compressed data (${message})`);
  }
}
