import { constants, crc32, deflateRawSync } from 'node:zlib';
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import type { ByteSource } from '../../../src/core/binary/bytes';

/**
 * A small zip writer for hostile fixtures: each field of each header can be made to lie. Without
 * overrides it writes what the go command writes for module zips (deflate, MS-DOS "made by", sizes
 * in the central directory); `unzip -t` accepts that (see zip.test.ts).
 */
export interface Member {
  name: string | Buffer;
  data: Buffer | string;
  /** 0 stored, 8 deflate (default). */
  method?: number;
  /** The member's bytes as written (default: `data`, deflated when method is 8). */
  raw?: Buffer;
  /** Lies in the central directory. */
  size?: number;
  compressedSize?: number;
  crc?: number;
  flags?: number;
  /** "Version made by": 3 << 8 is Unix, which gives `externalAttributes` a file mode. */
  madeBy?: number;
  externalAttributes?: number;
  /** The name in the local header, when it differs from the central directory's. */
  localName?: string | Buffer;
  /** Point the central entry at another member's local header (by index). */
  localOf?: number;
}

export interface ZipOptions {
  comment?: Buffer;
  entries?: number;
  dirSize?: number;
  dirOffset?: number;
  /** Zero bytes between the last member and the central directory. */
  gap?: number;
  /** Zero bytes after the central directory entries, counted in its size. */
  dirPadding?: number;
}

/** A zip in memory. */
export function writeZip(members: readonly Member[], options: ZipOptions = {}): Buffer {
  return Buffer.concat(zipParts(members, options).map((part) => (typeof part === 'number' ? Buffer.alloc(part) : part)));
}

/** A zip written to `file`, its runs of zeros left as holes (a 100 MB zip costs nothing to write). */
export function writeZipFile(file: string, members: readonly Member[], options: ZipOptions = {}): string {
  const fd = openSync(file, 'w');
  try {
    let at = 0;
    for (const part of zipParts(members, options)) {
      if (typeof part !== 'number') writeSync(fd, part, 0, part.length, at);
      at += typeof part === 'number' ? part : part.length;
    }
    ftruncateSync(fd, at);
  } finally {
    closeSync(fd);
  }
  return file;
}

/** The zip's bytes in order; a number is that many zero bytes. */
function zipParts(members: readonly Member[], options: ZipOptions): Array<Buffer | number> {
  const locals: Array<Buffer | number> = [];
  const offsets: number[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const prepared = members.map((m) => {
    const data = typeof m.data === 'string' ? Buffer.from(m.data) : m.data;
    const method = m.method ?? 8;
    const raw = m.raw ?? (method === 8 ? deflateRawSync(data) : data);
    const name = typeof m.name === 'string' ? Buffer.from(m.name) : m.name;
    return { m, data, method, raw, name, crc: m.crc ?? crc32(data) };
  });
  for (const p of prepared) {
    const localName = p.m.localName === undefined ? p.name : typeof p.m.localName === 'string' ? Buffer.from(p.m.localName) : p.m.localName;
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(p.m.flags ?? 0, 6);
    header.writeUInt16LE(p.method, 8);
    header.writeUInt32LE(p.crc >>> 0, 14);
    header.writeUInt32LE(p.raw.length, 18);
    header.writeUInt32LE(p.data.length, 22);
    header.writeUInt16LE(localName.length, 26);
    offsets.push(offset);
    locals.push(header, localName, p.raw);
    offset += header.length + localName.length + p.raw.length;
  }
  if (options.gap) {
    locals.push(options.gap);
    offset += options.gap;
  }
  prepared.forEach((p, i) => {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(p.m.madeBy ?? 20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(p.m.flags ?? 0, 8);
    c.writeUInt16LE(p.method, 10);
    c.writeUInt32LE(p.crc >>> 0, 16);
    c.writeUInt32LE((p.m.compressedSize ?? p.raw.length) >>> 0, 20);
    c.writeUInt32LE((p.m.size ?? p.data.length) >>> 0, 24);
    c.writeUInt16LE(p.name.length, 28);
    c.writeUInt32LE((p.m.externalAttributes ?? 0) >>> 0, 38);
    c.writeUInt32LE(offsets[p.m.localOf ?? i]!, 42);
    centrals.push(c, p.name);
  });
  const dir = Buffer.concat(centrals);
  const dirSize = dir.length + (options.dirPadding ?? 0);
  const comment = options.comment ?? Buffer.alloc(0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.entries ?? members.length, 8);
  end.writeUInt16LE(options.entries ?? members.length, 10);
  end.writeUInt32LE(options.dirSize ?? dirSize, 12);
  end.writeUInt32LE(options.dirOffset ?? offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return [...locals, dir, options.dirPadding ?? 0, end, comment];
}

/**
 * A deflate stream of `mebibytes` MiB of zeros, about 1 KiB per MiB: a zip bomb's payload. A full
 * flush ends a block on a byte boundary without the final bit and forgets the window, so one
 * compressed MiB repeats; the empty final block ends the stream.
 */
export function deflatedZeros(mebibytes: number): Buffer {
  const piece = deflateRawSync(Buffer.alloc(1 << 20), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array.from({ length: mebibytes }, () => piece), deflateRawSync(Buffer.alloc(0))]);
}

/** Counts what a reader takes from a source: bytes, and the largest single read. */
export function counting(src: ByteSource): { src: ByteSource; bytes: () => number; largest: () => number } {
  let bytes = 0;
  let largest = 0;
  return {
    src: {
      size: src.size,
      async read(offset, length) {
        const got = await src.read(offset, length);
        bytes += got.length;
        largest = Math.max(largest, got.length);
        return got;
      },
      close: () => src.close(),
    },
    bytes: () => bytes,
    largest: () => largest,
  };
}
