import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { BinaryFormatError, bufferBytes, type ByteSource } from '../../../src/core/binary/bytes';
import { maxCompressedSize, readZipEntry } from '../../../src/core/binary/zip';
import { goModCacheDir } from '../../../src/core/knowledge/fromModuleCache';
import { LiveHost } from '../../../src/core/probes/host';
import { counting, writeZip } from './zipFixtures';

// Random damage to valid zips (byte flips, 32-bit fields overwritten with telling values, bytes
// inserted or removed, truncation), biased towards the headers the reader parses. Whatever the
// damage, readZipEntry answers quickly with the member's true bytes, undefined, or a
// BinaryFormatError of one line, reading no more than its limits allow.

const TAIL = 22 + 0xffff;
const CAP = 64 * 1024;
const DELVE = 'github.com/go-delve/delve';

type Mutation =
  | { kind: 'flip'; at: number; mask: number }
  | { kind: 'word'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'remove'; at: number; length: number }
  | { kind: 'truncate'; at: number };

const WORDS = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0xffff, 0x10000, CAP, CAP + 1];

function mutation(size: number, hot: readonly number[], inPlaceOnly: boolean): fc.Arbitrary<Mutation> {
  const at = fc.oneof(
    fc.nat({ max: size - 1 }),
    fc.tuple(fc.constantFrom(...hot), fc.nat({ max: 47 })).map(([h, d]) => Math.min(size - 1, h + d)),
  );
  const kinds: Array<fc.Arbitrary<Mutation>> = [
    fc.record({ kind: fc.constant('flip' as const), at, mask: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ kind: fc.constant('word' as const), at, value: fc.constantFrom(...WORDS) }),
    fc.record({ kind: fc.constant('truncate' as const), at }),
  ];
  if (!inPlaceOnly) {
    kinds.push(
      fc.record({
        kind: fc.constant('insert' as const),
        at,
        bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }),
      }),
      fc.record({ kind: fc.constant('remove' as const), at, length: fc.integer({ min: 1, max: 64 }) }),
    );
  }
  return fc.oneof(...kinds);
}

function applied(zip: Buffer, mutations: readonly Mutation[]): Buffer {
  let out = Buffer.from(zip);
  for (const m of mutations) {
    const at = Math.min(m.at, Math.max(0, out.length - 1));
    if (m.kind === 'flip' && out.length) out[at] = out[at]! ^ m.mask;
    else if (m.kind === 'word' && at + 4 <= out.length) out.writeUInt32LE(m.value >>> 0, at);
    else if (m.kind === 'insert') out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at)]);
    else if (m.kind === 'remove') out = Buffer.concat([out.subarray(0, at), out.subarray(at + m.length)]);
    else if (m.kind === 'truncate') out = out.subarray(0, at);
  }
  return out;
}

/** The real zip with in-place damage applied as it is read (no 7 MB copy per run). */
function damagedView(zip: Buffer, mutations: readonly Mutation[]): ByteSource {
  const size = Math.min(zip.length, ...mutations.filter((m) => m.kind === 'truncate').map((m) => m.at));
  const base = bufferBytes(zip.subarray(0, size));
  return {
    size,
    async read(offset, length) {
      const got = Buffer.from(await base.read(offset, length));
      for (const m of mutations) {
        const width = m.kind === 'word' ? 4 : 1;
        for (let i = 0; i < width; i++) {
          const at = m.at + i - offset;
          if (at < 0 || at >= got.length) continue;
          if (m.kind === 'flip') got[at] = got[at]! ^ m.mask;
          else if (m.kind === 'word') got[at] = (m.value >>> (8 * i)) & 0xff;
        }
      }
      return got;
    },
    close: async () => {},
  };
}

/** Offsets of every zip signature: local headers, central entries, the end record. */
function structures(zip: Buffer): number[] {
  const found: number[] = [];
  for (let i = 0; i + 4 <= zip.length; i++) {
    if (zip[i] === 0x50 && zip[i + 1] === 0x4b && [0x0403, 0x0201, 0x0605].includes(zip.readUInt16LE(i + 2))) found.push(i);
  }
  return found;
}

/** Asserts the property for one read; returns what happened (for the tally). */
async function check(src: ByteSource, name: string, original: Buffer | undefined): Promise<'data' | 'missing' | 'refused'> {
  const c = counting(src);
  const started = performance.now();
  let outcome: 'data' | 'missing' | 'refused';
  try {
    const data = await readZipEntry(c.src, name, CAP);
    if (data) {
      assert.ok(data.length <= CAP, `${data.length} bytes returned`);
      assert.deepEqual(data, original, `${name}: the bytes returned are the member's own`);
    }
    outcome = data ? 'data' : 'missing';
  } catch (err) {
    assert.equal(Object.getPrototypeOf(err), BinaryFormatError.prototype, `only a BinaryFormatError escapes, not ${String(err)}`);
    const message = (err as Error).message;
    assert.ok(message.length > 0 && message.length < 400 && !message.includes('\n'), `one short line: ${message}`);
    outcome = 'refused';
  }
  const bound = TAIL + Math.min(src.size, 8 << 20) + 30 + Buffer.byteLength(name) + maxCompressedSize(CAP);
  assert.ok(c.bytes() <= bound, `read ${c.bytes()} bytes (bound ${bound})`);
  assert.ok(performance.now() - started < 1500, `${(performance.now() - started).toFixed(0)} ms`);
  return outcome;
}

describe('readZipEntry under random damage (fast-check)', () => {
  const members = [
    { name: 'example.com/m@v1.0.0/go.mod', data: Buffer.from('module example.com/m\n\ngo 1.22\n') },
    { name: 'example.com/m@v1.0.0/stored.txt', data: Buffer.from('stored, not deflated\n'), method: 0 },
    { name: 'example.com/m@v1.0.0/a/long/name/big.go', data: Buffer.from('package big\n\n'.concat('var x = 1 // padding\n'.repeat(120))) },
    { name: 'example.com/m@v1.0.0/empty', data: Buffer.alloc(0) },
  ];
  const zip = writeZip(members, { comment: Buffer.from('a comment') });
  const names = [...members.map((m) => m.name), 'example.com/m@v1.0.0/missing.go'];
  const original = (name: string) => members.find((m) => m.name === name)?.data;

  it('a small zip: flips, telling words, inserted and removed bytes, truncation', async () => {
    const tally = { data: 0, missing: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.array(mutation(zip.length, structures(zip), false), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...names),
        async (mutations, name) => {
          tally[await check(bufferBytes(applied(zip, mutations)), name, original(name))]++;
        },
      ),
      { numRuns: 5000 },
    );
    // The damage reached every outcome: not all refused up front, not all harmless.
    assert.ok(tally.data > 100 && tally.refused > 100 && tally.missing > 10, JSON.stringify(tally));
  });

  let real: Buffer;
  let gomodcache: string;
  before(async () => {
    gomodcache = (await goModCacheDir(new LiveHost(), 30_000))!;
    real = readFileSync(path.join(gomodcache, 'cache/download', DELVE, '@v/v1.27.2.zip'));
  });

  it('the go command’s own zip of Delve v1.27.2: damage to the headers of compat.go and to the central directory', async () => {
    const name = `${DELVE}@v1.27.2/pkg/goversion/compat.go`;
    const compat = readFileSync(path.join(gomodcache, `${DELVE}@v1.27.2/pkg/goversion/compat.go`));
    const nameAt = real.lastIndexOf(Buffer.from(name));
    const localAt = real.indexOf(Buffer.from(name)) - 30;
    const hot = [
      nameAt - 46,
      localAt,
      real.length - 22,
      ...structures(real.subarray(real.length - 4096)).map((o) => o + real.length - 4096),
    ];
    const tally = { data: 0, missing: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(mutation(real.length, hot, true), { minLength: 1, maxLength: 3 }), async (mutations) => {
        tally[await check(damagedView(real, mutations), name, compat)]++;
      }),
      { numRuns: 1000 },
    );
    assert.ok(tally.data > 30 && tally.refused > 30, JSON.stringify(tally));
  });
});
