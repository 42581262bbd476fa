import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { DapClient, DapError } from '../../../src/core/dap/client';
import { FrameReader, FramingError, MAX_HEADER_BYTES } from '../../../src/core/dap/framing';
import { messageProblem } from '../../../src/core/dap/shapes';

// Fuzzing the DAP framing: the reader against any chunking of valid streams (it must give back exactly
// what was framed), against any bytes (one FramingError or messages, the same however the bytes are
// cut, never more than a header's worth held while no header is complete), and the whole client
// over a real socket against streams of valid, odd and broken messages cut at random.

const anyJson = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'binary' }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('v'), { maxKeys: 4 }),
  ),
})).v;

/** A header as peers write it: the field's case, spacing and leading zeros vary, other fields around it. */
const header = fc
  .record({
    name: fc.constantFrom('Content-Length', 'content-length', 'CONTENT-LENGTH'),
    before: fc.constantFrom(': ', ':', ':   ', ' : '),
    zeros: fc.constantFrom('', '0', '000'),
    after: fc.constantFrom('', ' ', '\t'),
    extra: fc.subarray(['Content-Type: application/vscode-jsonrpc; charset=utf-8', 'X-Content-Length: 999999999', 'X-Note: a:b']),
    extraFirst: fc.boolean(),
  })
  .map((h) => (length: number) => {
    const field = `${h.name}${h.before}${h.zeros}${length}${h.after}`;
    return [...(h.extraFirst ? h.extra : []), field, ...(h.extraFirst ? [] : h.extra)].join('\r\n') + '\r\n\r\n';
  });

const framed = fc.array(fc.tuple(anyJson, header), { maxLength: 8 }).map((messages) => ({
  values: messages.map(([v]) => JSON.parse(JSON.stringify(v)) as unknown),
  bytes: Buffer.concat(
    messages.map(([v, h]) => {
      const body = Buffer.from(JSON.stringify(v), 'utf8');
      return Buffer.concat([Buffer.from(h(body.length), 'latin1'), body]);
    }),
  ),
}));

/** Cut points for `bytes`: chunk sizes from 1 byte up. */
const cuts = fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 40 });

function chunked(bytes: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** Everything the reader gives for these chunks: the values, then the error (if any) that ended it. */
function readAll(chunks: Buffer[], watch?: (reader: FrameReader, chunk: Buffer) => void): { values: unknown[]; error?: string } {
  const reader = new FrameReader();
  const values: unknown[] = [];
  for (const chunk of chunks) {
    const { frames, error } = reader.push(chunk);
    values.push(...frames.map((f) => f.value));
    if (error) {
      assert.ok(error instanceof FramingError);
      return { values, error: error.message };
    }
    watch?.(reader, chunk);
  }
  return { values };
}

const KNOWN_ERRORS =
  /^(a header of more than 8192 bytes|a message without Content-Length|a Content-Length that is not a number of bytes|a header with two different Content-Length values|a message of (\d+ bytes \()?more than 32 MiB\)?|a message that is not JSON)$/;

/** Valid streams made hostile: bytes flipped, cut short, spliced with garbage, or plain noise. */
const hostileBytes = fc.oneof(
  fc.uint8Array({ maxLength: 20_000 }).map((a) => Buffer.from(a)),
  fc.tuple(framed, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 })).map(([f, flips]) => {
    const b = Buffer.from(f.bytes);
    for (const [at, value] of flips) if (b.length) b[at % b.length] = value;
    return b;
  }),
  fc.tuple(framed, fc.nat()).map(([f, n]) => f.bytes.subarray(0, f.bytes.length ? n % f.bytes.length : 0)),
  fc
    .tuple(
      framed,
      fc.constantFrom('Content-Length: 5\r\n\r\nnull!', 'Content-Length: -1\r\n\r\n', 'Content-Length: 1e3\r\n\r\n', '\r\n\r\n'),
    )
    .map(([f, junk]) => Buffer.concat([f.bytes, Buffer.from(junk, 'latin1')])),
);

describe('DAP framing under fuzzing', () => {
  it('any chunking of framed messages gives back exactly those messages, in order, with nothing left over', () => {
    fc.assert(
      fc.property(framed, cuts, ({ values, bytes }, sizes) => {
        const reader = new FrameReader();
        const got = chunked(bytes, sizes).flatMap((c) => reader.push(c).frames.map((f) => f.value));
        assert.deepEqual(got, values);
        assert.equal(reader.pendingBytes, 0);
      }),
      { numRuns: 2000 },
    );
  });

  it('any bytes: messages and at most one known FramingError, the same however the bytes are cut; no header held past its limit', () => {
    fc.assert(
      fc.property(hostileBytes, cuts, (bytes, sizes) => {
        const whole = readAll([bytes]);
        const headerless = !bytes.includes('\r\n\r\n');
        const cut = readAll(chunked(bytes, sizes), (reader, chunk) => {
          // With no header complete, what is held is at most a header's worth and the chunk that came.
          if (headerless) assert.ok(reader.pendingBytes <= MAX_HEADER_BYTES + chunk.length, `${reader.pendingBytes} bytes held`);
        });
        assert.deepEqual(cut, whole);
        if (whole.error) assert.match(whole.error, KNOWN_ERRORS);
      }),
      { numRuns: 3000 },
    );
  });

  it('header fields are read by name: X-Content-Length is another field; two different sizes are refused, two equal ones are not', () => {
    const body = '{"type":"event","event":"e"}';
    const read = (head: string) => readAll([Buffer.from(`${head}\r\n\r\n${body}`, 'latin1')]);
    assert.deepEqual(read(`X-Content-Length: 9999\r\nContent-Length: ${body.length}`).values, [JSON.parse(body)]);
    assert.deepEqual(read(`Content-Length: ${body.length}\r\ncontent-length: 00${body.length}`).values, [JSON.parse(body)]);
    assert.equal(
      read(`Content-Length: ${body.length}\r\nContent-Length: ${body.length + 1}`).error,
      'a header with two different Content-Length values',
    );
    assert.equal(read('Content-Length: 5abc').error, 'a Content-Length that is not a number of bytes');
    assert.equal(read(`Content-Length: ${'9'.repeat(400)}`).error, 'a message of more than 32 MiB');
    assert.equal(read('Content-Type: x').error, 'a message without Content-Length');
  });

  it('a header of exactly the limit whose blank line arrives split across chunks is read, one byte more is refused', () => {
    const body = '{"type":"event","event":"e"}';
    const length = `Content-Length: ${body.length}\r\n`;
    const header = `${length}X-Pad: ${'p'.repeat(MAX_HEADER_BYTES - length.length - 'X-Pad: '.length)}`;
    assert.equal(header.length, MAX_HEADER_BYTES);
    const stream = Buffer.from(`${header}\r\n\r\n${body}`, 'latin1');
    for (const cut of [MAX_HEADER_BYTES + 1, MAX_HEADER_BYTES + 2, MAX_HEADER_BYTES + 3])
      assert.deepEqual(readAll([stream.subarray(0, cut), stream.subarray(cut)]).values, [JSON.parse(body)], `cut at ${cut}`);
    const over = Buffer.from(`${header}p\r\n\r\n${body}`, 'latin1');
    assert.equal(
      readAll([over.subarray(0, MAX_HEADER_BYTES + 2), over.subarray(MAX_HEADER_BYTES + 2)]).error,
      `a header of more than ${MAX_HEADER_BYTES} bytes`,
    );
  });

  it('the work is linear in the bytes: a 4 MiB message in 1 KiB chunks is copied about once, not once per chunk', () => {
    const body = Buffer.from(JSON.stringify({ type: 'event', event: 'output', body: { output: 'x'.repeat(4 * 1024 * 1024) } }));
    const bytes = Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
    const concat = Buffer.concat.bind(Buffer);
    let copied = 0;
    Buffer.concat = (list: readonly Uint8Array[], length?: number) => {
      const out = concat(list, length);
      copied += out.length;
      return out;
    };
    try {
      const { values } = readAll(chunked(bytes, [1024]));
      assert.equal(values.length, 1);
    } finally {
      Buffer.concat = concat;
    }
    assert.ok(copied <= 2 * bytes.length, `${copied} bytes copied for ${bytes.length}`);
  });

  it('messageProblem never throws, and names a problem for anything without a string "type"', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const problem = messageProblem(value);
        const typed =
          typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string';
        if (!typed) assert.equal(problem, 'a message that is not a DAP message (no "type")');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the DAP client over a real socket, fed fuzzed streams', () => {
  let behave: (socket: Socket) => void = () => {};
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => behave(socket));
  });
  const listening = new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  after(() => server.close());

  const answer = fc.record({
    success: fc.boolean(),
    body: fc.oneof(fc.constant(undefined), anyJson),
    message: fc.oneof(fc.constant(undefined), fc.string(), anyJson),
  });
  const message = fc.oneof(
    anyJson,
    answer.map((a) => ({ seq: 9, type: 'response', request_seq: 1, command: 'initialize', ...a })),
    fc.record({ seq: fc.nat(), type: fc.constant('event'), event: fc.constantFrom('output', 'stopped', 'terminated', 'x'), body: anyJson }),
    fc.record({ seq: fc.nat(), type: fc.constant('request'), command: fc.oneof(fc.string(), anyJson), arguments: anyJson }),
  );
  const stream = fc.tuple(
    fc.array(fc.tuple(message, header), { maxLength: 6 }),
    fc.oneof(fc.constant(Buffer.alloc(0)), hostileBytes),
    cuts,
  );

  it('every request ends, with its answer or one DapError line, within its timeout; nothing throws elsewhere', async () => {
    const port = await listening;
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      await fc.assert(
        fc.asyncProperty(stream, async ([messages, tail, sizes]) => {
          const bytes = Buffer.concat([
            ...messages.map(([m, h]) => {
              const body = Buffer.from(JSON.stringify(m) ?? 'null', 'utf8');
              return Buffer.concat([Buffer.from(h(body.length), 'latin1'), body]);
            }),
            tail,
          ]);
          behave = (socket) => {
            socket.setNoDelay(true);
            const chunks = chunked(bytes, sizes);
            const next = () => {
              const chunk = chunks.shift();
              if (chunk && !socket.destroyed) socket.write(chunk, () => setImmediate(next));
            };
            next();
          };
          const client = await DapClient.connect('127.0.0.1', port, 2_000);
          const started = Date.now();
          try {
            await client.request('initialize', { adapterID: 'go' }, 300);
          } catch (err) {
            assert.ok(err instanceof DapError, String(err));
          } finally {
            client.close();
          }
          assert.ok(Date.now() - started < 2_000);
          assert.ok(client.transcript.length <= 10_000);
        }),
        { numRuns: 150 },
      );
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    assert.deepEqual(uncaught, []);
  });
});
