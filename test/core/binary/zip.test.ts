import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { BinaryFormatError, bufferBytes, openFileBytes } from '../../../src/core/binary/bytes';
import { maxCompressedSize, readZipEntry, ZIP_MAX_CENTRAL_DIRECTORY, ZIP_MAX_ENTRY } from '../../../src/core/binary/zip';
import { goModCacheDir } from '../../../src/core/knowledge/fromModuleCache';
import { LiveHost } from '../../../src/core/probes/host';
import { runProcess } from '../../../src/core/probes/runProcess';
import { tempDir } from '../../helpers';
import { counting, deflatedZeros, writeZip, type Member } from './zipFixtures';

const DELVE = 'github.com/go-delve/delve';
const COMPAT = `${DELVE}@v1.27.2/pkg/goversion/compat.go`;
/** The end record with the longest comment: the most the reader reads before the central directory. */
const TAIL = 22 + 0xffff;

interface Outcome {
  data?: Buffer;
  error?: string;
  bytes: number;
  ms: number;
}

async function read(zip: Buffer, name: string, maxBytes?: number): Promise<Outcome> {
  const c = counting(bufferBytes(zip));
  const started = performance.now();
  try {
    const data = await readZipEntry(c.src, name, maxBytes);
    return { ...(data ? { data } : {}), bytes: c.bytes(), ms: performance.now() - started };
  } catch (err) {
    assert.ok(err instanceof BinaryFormatError, `a BinaryFormatError, not ${String(err)}`);
    assert.doesNotMatch(err.message, /\n/);
    return { error: err.message, bytes: c.bytes(), ms: performance.now() - started };
  }
}

function refused(outcome: Outcome, message: RegExp, maxRead: number): void {
  assert.equal(outcome.data, undefined);
  assert.match(outcome.error ?? '(no error)', message);
  assert.ok(outcome.bytes <= maxRead, `read ${outcome.bytes} bytes, at most ${maxRead} expected`);
  assert.ok(outcome.ms < 1000, `${outcome.ms} ms`);
}

const GO_MOD = 'module example.com/m\n\ngo 1.22\n';
const NAME = 'example.com/m@v1.0.0/go.mod';
const ok = (extra: Member[] = [], at = 0): Member[] => [...extra.slice(0, at), { name: NAME, data: GO_MOD }, ...extra.slice(at)];

let gomodcache: string;
before(async () => {
  gomodcache = (await goModCacheDir(new LiveHost(), 30_000))!;
});

describe('readZipEntry: real module zips', () => {
  it('reads compat.go out of the go command’s own download of Delve v1.27.2, reading little of the 7 MB', async () => {
    const zip = path.join(gomodcache, 'cache/download', DELVE, '@v/v1.27.2.zip');
    const c = counting(await openFileBytes(zip));
    try {
      const data = await readZipEntry(c.src, COMPAT);
      assert.equal(data?.toString('utf8'), readFileSync(path.join(gomodcache, `${DELVE}@v1.27.2/pkg/goversion/compat.go`), 'utf8'));
      assert.ok(c.bytes() < 200_000, `${c.bytes()} bytes read`);
    } finally {
      await c.src.close();
    }
  });

  it('the hostile fixtures start from zips `unzip -t` accepts', async () => {
    const dir = tempDir('gdd-zip-');
    const file = path.join(dir, 'm.zip');
    writeFileSync(
      file,
      writeZip([
        { name: NAME, data: GO_MOD },
        { name: 'example.com/m@v1.0.0/a.go', data: 'package a\n', method: 0 },
      ]),
    );
    const probe = await runProcess(['unzip', '-tq', file], { timeoutMs: 10_000 });
    if (probe.outcome === 'not-found') return; // unzip is not everywhere; the reader's own round trip follows
    assert.equal(probe.exitCode, 0, probe.stdout + probe.stderr);
    assert.equal((await read(readFileSync(file), NAME)).data?.toString(), GO_MOD);
  });
});

describe('readZipEntry: hostile archives are refused in one line, reading no more than their limits', () => {
  const member = deflateRawSync(Buffer.from(GO_MOD)).length;
  const small = TAIL + 2048 + member;

  it('a zip bomb: a member declaring 1 GiB is refused before any of it is read', async () => {
    const zip = writeZip([{ name: NAME, data: Buffer.alloc(0), raw: deflatedZeros(1024), size: 1 << 30 }]);
    refused(await read(zip, NAME), /declares 1073741824 bytes, more than the 4194304 this reads/, TAIL + 1024);
  });

  it('a zip bomb whose declared size lies small: inflated no further than declared, memory stays flat', async () => {
    const before = process.resourceUsage().maxRSS;
    const bomb = deflatedZeros(1024); // 1 GiB of zeros in ~1 MiB
    const zip = writeZip([{ name: NAME, data: Buffer.alloc(0), raw: bomb, size: ZIP_MAX_ENTRY, crc: 0 }]);
    refused(await read(zip, NAME), /inflates to more than the 4194304 bytes it declares/, TAIL + 1024 + bomb.length);
    const tiny = writeZip([{ name: NAME, data: Buffer.alloc(0), raw: deflatedZeros(1), size: 1000, crc: 0 }]);
    refused(await read(tiny, NAME), /inflates to more than the 1000 bytes it declares/, small);
    // A compressed form larger than deflate ever makes of the declared size is not even read.
    const lying = writeZip([{ name: NAME, data: Buffer.alloc(0), raw: bomb, size: 1000, crc: 0 }]);
    refused(await read(lying, NAME), /compressed bytes for 1000, more than deflate ever needs/, TAIL + 1024);
    const grew = (process.resourceUsage().maxRSS - before) / 1024;
    assert.ok(grew < 64, `peak memory grew by ${grew.toFixed(1)} MiB`);
  });

  it('a declared size or compressed size far beyond the file', async () => {
    const huge = writeZip([{ name: NAME, data: GO_MOD, compressedSize: 0xfffffff0 }]);
    refused(await read(huge, NAME), /declares 4294967280 compressed bytes for 30/, small);
    const stored = writeZip([{ name: NAME, data: GO_MOD, method: 0, compressedSize: 0xfffffff0 }]);
    refused(await read(stored, NAME), /is stored with 4294967280 bytes but declares 30/, small);
    const both = writeZip([{ name: NAME, data: GO_MOD, method: 0, compressedSize: 3 * 2 ** 30, size: 3 * 2 ** 30 }]);
    refused(await read(both, NAME), /declares 3221225472 bytes, more than the 4194304/, small);
    // Within the limits but past the central directory.
    const past = writeZip([{ name: NAME, data: GO_MOD, method: 0, compressedSize: 100_000, size: 100_000 }]);
    refused(await read(past, NAME), /has data that runs into the central directory/, small);
  });

  it('ZIP64 markers (0xFFFFFFFF, 0xFFFF)', async () => {
    refused(await read(writeZip(ok(), { entries: 0xffff }), NAME), /ZIP64/, TAIL);
    refused(await read(writeZip(ok(), { dirOffset: 0xffffffff }), NAME), /ZIP64/, TAIL);
    refused(await read(writeZip(ok(), { dirSize: 0xffffffff }), NAME), /ZIP64/, TAIL);
    refused(await read(writeZip([{ name: NAME, data: GO_MOD, size: 0xffffffff }]), NAME), /has ZIP64 sizes/, small);
    refused(await read(writeZip([{ name: NAME, data: GO_MOD, compressedSize: 0xffffffff }]), NAME), /has ZIP64 sizes/, small);
  });

  it('a central directory that lies: beyond the file, 4 GB in a small file, more entries than it holds', async () => {
    const zip = writeZip(ok());
    refused(await read(writeZip(ok(), { dirOffset: zip.length * 10 }), NAME), /does not lie before its end record/, TAIL);
    refused(await read(writeZip(ok(), { dirSize: 0xfffffff0 }), NAME), /does not lie before its end record/, TAIL);
    refused(
      await read(writeZip(ok(), { entries: 2000 }), NAME),
      /declares 2000 entries, more than its \d+-byte central directory holds/,
      TAIL,
    );
    const three = writeZip(ok([{ name: 'example.com/m@v1.0.0/a.go', data: 'package a\n' }]), { entries: 3 });
    refused(await read(three, 'example.com/m@v1.0.0/missing.go'), /entry 3 of 3 is missing or damaged/, small);
    // The entries the end record declares are there: a member further on is still found.
    assert.equal((await read(three, NAME)).data?.toString(), GO_MOD);
  });

  it('a central directory larger than the limit is refused unread, however large the file', async () => {
    const zip = writeZip(ok(), { dirPadding: ZIP_MAX_CENTRAL_DIRECTORY });
    refused(await read(zip, NAME), /central directory of 838\d{4} bytes is larger than the 8388608 this reads/, TAIL);
  });

  it('overlapping local headers and a local name other than the central one', async () => {
    const a = { name: 'example.com/m@v1.0.0/a.go', data: 'package a\n' };
    const overlapping = writeZip([a, { name: NAME, data: GO_MOD, localOf: 0 }]);
    refused(await read(overlapping, NAME), /has a local header with another name/, small);
    assert.equal((await read(overlapping, a.name)).data?.toString(), 'package a\n');
    const renamed = writeZip([{ name: NAME, data: GO_MOD, localName: 'example.com/m@v1.0.0/go.mox' }]);
    refused(await read(renamed, NAME), /has a local header with another name/, small);
    const longer = writeZip([{ name: NAME, data: GO_MOD, localName: `${'x'.repeat(60_000)}` }]);
    refused(await read(longer, NAME), /has a local header with another name/, small);
  });

  it('symbolic links, folders, encryption, other methods, a CRC that does not match', async () => {
    const unix = 3 << 8;
    const link = writeZip([{ name: NAME, data: '../../../../etc/passwd', madeBy: unix, externalAttributes: 0o120777 << 16 }]);
    refused(await read(link, NAME), /is a symbolic link/, small);
    const folder = writeZip([{ name: NAME, data: '', madeBy: unix, externalAttributes: 0o40755 << 16 }]);
    refused(await read(folder, NAME), /is not a regular file \(mode 40000\)/, small);
    const regular = writeZip([{ name: NAME, data: GO_MOD, madeBy: unix, externalAttributes: 0o100644 << 16 }]);
    assert.equal((await read(regular, NAME)).data?.toString(), GO_MOD);
    refused(await read(writeZip([{ name: NAME, data: GO_MOD, flags: 1 }]), NAME), /is encrypted/, small);
    refused(await read(writeZip([{ name: NAME, data: GO_MOD, method: 12 }]), NAME), /compression method 12/, small);
    refused(await read(writeZip([{ name: NAME, data: GO_MOD, crc: 1234 }]), NAME), /CRC-32 mismatch/, small);
    const garbage = writeZip([{ name: NAME, data: GO_MOD, raw: Buffer.from([0xff, 0xff, 0xff, 0xff]) }]);
    refused(await read(garbage, NAME), /has damaged compressed data \(invalid block type\)/, small);
    const short = writeZip([{ name: NAME, data: GO_MOD, size: 100 }]);
    refused(await read(short, NAME), /inflates to 30 bytes, not the 100 it declares/, small);
  });

  it('an empty file, a few bytes, a truncated real zip', async () => {
    refused(await read(Buffer.alloc(0), NAME), /not a zip file \(0 bytes, too short for an end record\)/, 0);
    refused(await read(Buffer.from('PK\x05\x06'), NAME), /too short/, 0);
    refused(await read(Buffer.alloc(5000, 0x50), NAME), /no end of central directory record/, 5000);
    const real = readFileSync(path.join(gomodcache, 'cache/download', DELVE, '@v/v1.27.2.zip'));
    for (const keep of [real.length - 1, real.length - 23, Math.floor(real.length / 2), 100]) {
      refused(await read(real.subarray(0, keep), COMPAT), /no end of central directory record/, TAIL);
    }
    // The end record kept, the middle gone: the directory no longer lies before it.
    const cut = Buffer.concat([real.subarray(0, 1000), real.subarray(real.length - 22)]);
    refused(await read(cut, COMPAT), /does not lie before its end record/, TAIL);
  });

  it('names that are not UTF-8, and content that is not', async () => {
    const latin1 = Buffer.from('example.com/m@v1.0.0/caf\xe9.go', 'latin1');
    const zip = writeZip(ok([{ name: latin1, data: Buffer.from([0xc3, 0x28, 0xff, 0xfe]) }]));
    assert.equal((await read(zip, NAME)).data?.toString(), GO_MOD);
    assert.equal((await read(zip, 'example.com/m@v1.0.0/caf\ufffd.go')).data, undefined, 'a decoded name never matches raw bytes');
    assert.equal((await read(zip, 'example.com/m@v1.0.0/café.go')).data, undefined);
    const bytes = writeZip([{ name: NAME, data: Buffer.from([0xc3, 0x28, 0xff, 0xfe]) }]);
    assert.deepEqual((await read(bytes, NAME)).data, Buffer.from([0xc3, 0x28, 0xff, 0xfe]));
  });

  it('a 65,535-byte end comment, and one that holds a false end record', async () => {
    const longest = writeZip(ok(), { comment: Buffer.alloc(0xffff, 0x41) });
    assert.equal((await read(longest, NAME)).data?.toString(), GO_MOD);
    // A signature in the comment whose own comment would run past the file is no end record.
    const fake = Buffer.alloc(22);
    fake.writeUInt32LE(0x06054b50, 0);
    fake.writeUInt16LE(0xffff, 20);
    const tricked = writeZip(ok(), { comment: Buffer.concat([Buffer.alloc(100), fake, Buffer.alloc(10)]) });
    assert.equal((await read(tricked, NAME)).data?.toString(), GO_MOD);
  });

  it('members named with ../ or absolute paths are only names: read by their exact name, never matched otherwise', async () => {
    const zip = writeZip([
      { name: '../../../../tmp/evil', data: 'x' },
      { name: '/etc/passwd', data: 'y' },
      { name: 'example.com/m@v1.0.0/../../go.mod', data: 'z' },
    ]);
    assert.equal((await read(zip, NAME)).data, undefined);
    assert.equal((await read(zip, '/etc/passwd')).data?.toString(), 'y');
  });

  it('maxCompressedSize leaves room for deflate’s worst case (stored blocks of random bytes)', () => {
    for (const size of [0, 1, 1000, 70_000, ZIP_MAX_ENTRY]) {
      const random = randomBytes(size);
      for (const level of [0, 1, 9]) assert.ok(deflateRawSync(random, { level }).length <= maxCompressedSize(size), `${size} at ${level}`);
    }
  });
});
