import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bufferBytes, BinaryFormatError } from '../../../src/core/binary/bytes';
import { inspectBytes } from '../../../src/core/binary/inspect';
import { explainDelveOutput } from '../../../src/core/knowledge/delveErrors';
import { parseGoVersion, parseModuleVersion, formatGoVersion } from '../../../src/core/facts/versions';
import { parseDlvVersion, parseGoEnvJson, parseGoplsVersion, parseGoVersionM, parseJsonStream } from '../../../src/core/facts/parsers';

// Input surfaces that are text or bytes from outside: what `explain` reads on stdin, version strings
// typed by users, tool outputs, Mach-O bytes. No exception other than the documented one, bounded time.

const noisy = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.string({ unit: 'binary', maxLength: 2000 }),
  fc.constantFrom(
    'could not launch process: '.repeat(5000),
    'decoding dwarf section info at offset 0x0: too short\n'.repeat(2000),
    'a'.repeat(1_000_000),
    `${'('.repeat(50_000)}`,
    'Version: 1.2.3'.repeat(10_000),
  ),
);

function timed<T>(fn: () => T, limitMs = 5000): T {
  const started = performance.now();
  const out = fn();
  assert.ok(performance.now() - started < limitMs, `took ${Math.round(performance.now() - started)} ms`);
  return out;
}

describe('hostile text and bytes', () => {
  it('explain (stdin): matches or none, in bounded time', () => {
    fc.assert(
      fc.property(noisy, (t) => {
        const matches = timed(() => explainDelveOutput(t));
        for (const m of matches) assert.equal(typeof m.cause, 'string');
      }),
      { numRuns: 200 },
    );
  });
  it('version strings: a version that prints back as itself, or none', () => {
    const parts = fc.oneof(
      fc.nat({ max: 99_999 }).map(String),
      fc.constantFrom('99999999999999999999', '1e9', '-1', '00', ''),
      fc.string({ maxLength: 8 }),
    );
    const version = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('', 'go', 'v', 'devel go'),
          parts,
          parts,
          fc.option(parts, { nil: undefined }),
          fc.constantFrom('', 'rc1', 'beta2', '+dirty'),
        )
        .map(([p, a, b, c, s]) => `${p}${a}.${b}${c !== undefined ? `.${c}` : ''}${s}`),
      noisy,
    );
    fc.assert(
      fc.property(version, (t) => {
        const go = timed(() => parseGoVersion(t));
        if (go) {
          assert.ok(
            [go.major, go.minor, go.patch ?? 0].every((n) => Number.isSafeInteger(n) && n >= 0 && n <= 99_999),
            JSON.stringify(go),
          );
          assert.doesNotMatch(formatGoVersion(go), /e\+|NaN|Infinity/);
        }
        const module = timed(() => parseModuleVersion(t));
        if (module) assert.match(module, /^\d+\.\d+\.\d+/);
      }),
      { numRuns: 500 },
    );
  });
  it('tool outputs: parsed or undefined, never an exception (go list: a SyntaxError the caller reports)', () => {
    fc.assert(
      fc.property(noisy, (t) => {
        timed(() => [parseDlvVersion(t), parseGoplsVersion(t), parseGoVersionM(t), parseGoEnvJson(t)]);
        try {
          timed(() => parseJsonStream(t));
        } catch (err) {
          assert.ok(err instanceof SyntaxError);
        }
      }),
      { numRuns: 200 },
    );
  });
  it('Mach-O and ELF bytes: a BinaryFormatError or a result', async () => {
    const magic = fc.constantFrom([0xcf, 0xfa, 0xed, 0xfe], [0xca, 0xfe, 0xba, 0xbe], [0x7f, 0x45, 0x4c, 0x46], [0xfe, 0xed, 0xfa, 0xcf]);
    await fc.assert(
      fc.asyncProperty(magic, fc.uint8Array({ maxLength: 4096 }), async (head, body) => {
        try {
          await inspectBytes(bufferBytes(Buffer.concat([Buffer.from(head), Buffer.from(body)])));
        } catch (err) {
          assert.ok(err instanceof BinaryFormatError, String(err));
        }
      }),
      { numRuns: 500 },
    );
  });
});
