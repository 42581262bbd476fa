import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkJsonDepth, decodeText, encodeText, openUserFile, readStreamBounded, readUserFile } from '../../../src/core/io/read';
import { parseJsonc } from '../../../src/core/launch/merge';
import { runProcess } from '../../../src/core/probes/runProcess';
import { tempDir, writeFile } from '../../helpers';
import { InputError } from '../../../src/core/io/errors';

async function fifo(): Promise<string> {
  const file = path.join(tempDir(), 'fifo');
  assert.equal((await runProcess(['mkfifo', file])).outcome, 'ok');
  return file;
}

describe('one reader for user files', () => {
  const refusals: [string, () => string | Promise<string>, RegExp][] = [
    ['a FIFO (no writer: must not block)', fifo, /is a FIFO \(named pipe\), not a regular file$/],
    ['a device', () => '/dev/zero', /is a device, not a regular file$/],
    ['a folder', () => tempDir(), /is a folder, not a regular file$/],
    ['a missing file', () => path.join(tempDir(), 'nope'), /no such file$/],
    [
      'a path through a file',
      () => path.join(writeFile(path.join(tempDir(), 'f'), 'x'), 'launch.json'),
      /a part of the path is a file, not a folder$/,
    ],
  ];
  for (const [name, make, message] of refusals) {
    it(`refuses ${name} with one line`, async () => {
      const file = await make();
      const err = await readUserFile(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof InputError, `an InputError, not ${String(err)}`);
      assert.match(err.message, message);
      assert.doesNotMatch(err.message, /\n/);
      const opened = await openUserFile(file).then(
        (opened) => opened.close(),
        (e: unknown) => e,
      );
      assert.ok(opened instanceof InputError);
    });
  }
  it('refuses a file over the size cap, and reads one under it', async () => {
    const file = writeFile(path.join(tempDir(), 'big.json'), 'x'.repeat(2048));
    await assert.rejects(readUserFile(file, { maxBytes: 1024 }), /2 KiB is more than the 1 KiB this reads/);
    assert.equal((await readUserFile(file, { maxBytes: 4096 })).length, 2048);
    assert.equal((await readUserFile(file, { maxBytes: 1024, prefix: true })).length, 1024);
  });
});

describe('text and byte order marks', () => {
  it('keeps a BOM through decode and encode, byte for byte', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a": "é"}\r\n')]);
    const decoded = decodeText(bytes, 'f', true);
    assert.equal(decoded.bom, true);
    assert.equal(decoded.text, '{"a": "é"}\r\n');
    assert.deepEqual(encodeText(decoded), bytes);
  });
  it('strict decoding refuses bytes that are not UTF-8 (a rewrite would turn them into U+FFFD)', () => {
    assert.throws(
      () => decodeText(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'launch.json', true),
      /launch.json: not valid UTF-8 text; not changing it/,
    );
    assert.equal(decodeText(Buffer.from([0x7b, 0xff, 0x7d]), 'f').text, '{\ufffd}');
  });
});

describe('bounded standard input', () => {
  it('an endless stream is refused at the cap instead of filling memory', async () => {
    let sent = 0;
    const endless = new Readable({
      read() {
        sent += 65536;
        this.push(Buffer.alloc(65536, 0x79));
      },
    });
    await assert.rejects(readStreamBounded(endless, 1024 * 1024), /standard input: more than 1 MiB/);
    assert.ok(sent < 4 * 1024 * 1024, `stopped reading after ${sent} bytes`);
  });
  it('reads a stream that ends', async () => {
    assert.equal(
      await readStreamBounded(Readable.from([Buffer.from('could not launch '), Buffer.from('process')]), 1024),
      'could not launch process',
    );
  });
});

describe('depth-safe JSONC', () => {
  it('100,000 nested levels are a one-line parse error, not a stack overflow', () => {
    for (const text of [
      '['.repeat(100_000) + ']'.repeat(100_000),
      '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
      `{"configurations": ${'['.repeat(100_000)}`,
    ]) {
      assert.throws(() => parseJsonc(text), /nested more than 512 levels deep/);
    }
  });
  it('brackets inside strings and comments do not count', () => {
    checkJsonDepth(`{"a": "${'['.repeat(2000)}", // ${'{'.repeat(2000)}\n /* ${'['.repeat(2000)} */ "b": 1}`, 'f');
  });
  it('property: the depth check agrees with a plain count on bracket-only input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('[', ']', '{', '}', ' ', '"x"'), { maxLength: 400 }),
        fc.integer({ min: 1, max: 50 }),
        (parts, max) => {
          const text = parts.join('');
          let depth = 0;
          let deepest = 0;
          for (const c of text) {
            if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth);
            else if ((c === ']' || c === '}') && depth > 0) depth--;
          }
          const threw = (() => {
            try {
              checkJsonDepth(text, 'f', max);
              return false;
            } catch (err) {
              assert.ok(err instanceof InputError);
              return true;
            }
          })();
          assert.equal(threw, deepest > max);
        },
      ),
    );
  });
});
