import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { FrameReader } from '../../../src/core/dap/framing';
import { LspConnection } from '../../../src/core/lsp/lspConnection';

function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/** Waits (a turn of the event loop at a time) until `done` holds. */
async function until(done: () => boolean, what = 'the condition'): Promise<void> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > 5_000) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A connection over two pipes, with a stand-in server on their other ends and everything the connection reports. */
function pipes(handleRequest: (method: string, params: unknown) => unknown = () => null) {
  const toClient = new PassThrough();
  const toServer = new PassThrough();
  const connection = new LspConnection(toClient, toServer);
  const wire: Buffer[] = [];
  const received: unknown[] = [];
  const serverReader = new FrameReader();
  toServer.on('data', (chunk: Buffer) => {
    wire.push(chunk);
    received.push(...serverReader.push(chunk).frames.map((f) => f.value));
  });
  const seen: unknown[] = [];
  const errors: string[] = [];
  let closes = 0;
  connection.onRequest(handleRequest);
  connection.onNotification((method, params) => seen.push({ notification: method, params }));
  connection.onProgress((progress) => seen.push({ progress }));
  connection.onError((err) => errors.push(err.message));
  connection.onClose(() => closes++);
  connection.listen();
  return { connection, toClient, toServer, wire, received, seen, errors, closes: () => closes };
}

describe('LspConnection', () => {
  it('sends Content-Length in bytes and matches answers to requests by id, multi-byte text both ways', async () => {
    const { connection, toClient, wire, received } = pipes();
    const text = 'héllo ☃ 日本語 𝄞';
    const answer = connection.sendRequest('echo', { text });
    await until(() => received.length === 1, 'the request');
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'echo', params: { text } }), 'utf8');
    assert.ok(body.length > JSON.stringify({ text }).length + 30);
    assert.deepEqual(Buffer.concat(wire), Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
    // An answer to a request never sent is ignored; the real one still arrives.
    toClient.write(frame({ jsonrpc: '2.0', id: 99, result: 'stray' }));
    toClient.write(frame({ jsonrpc: '2.0', id: 1, result: { text: `${text} ✓` } }));
    assert.deepEqual(await answer, { text: `${text} ✓` });

    const bare = connection.sendRequest('shutdown');
    await until(() => received.length === 2, 'the second request');
    assert.deepEqual(received[1], { jsonrpc: '2.0', id: 2, method: 'shutdown' });
    toClient.write(frame({ jsonrpc: '2.0', id: 2, result: null }));
    assert.equal(await bare, null);

    await connection.sendNotification('initialized', {});
    await until(() => received.length === 3, 'the notification');
    assert.deepEqual(received[2], { jsonrpc: '2.0', method: 'initialized', params: {} });
  });

  it("rejects a request answered with an error, with the server's message", async () => {
    const { connection, toClient, received, errors, closes } = pipes();
    const answer = connection.sendRequest('initialize', {});
    await until(() => received.length === 1, 'the request');
    toClient.write(frame({ jsonrpc: '2.0', id: 1, error: { code: -32002, message: 'server not initialized: ☃' } }));
    await assert.rejects(answer, { message: 'server not initialized: ☃' });
    assert.deepEqual(errors, []);
    assert.equal(closes(), 0);
  });

  it("answers the server's requests: the handler's result, null for nothing, an error when it throws", async () => {
    const { toClient, received } = pipes((method, params) => {
      if (method === 'workspace/configuration') return (params as { items: unknown[] }).items.map(() => ({}));
      if (method === 'boom') throw new Error('handler failed: ü');
      return undefined;
    });
    toClient.write(frame({ jsonrpc: '2.0', id: 1, method: 'workspace/configuration', params: { items: [{}, {}] } }));
    toClient.write(frame({ jsonrpc: '2.0', id: 'b', method: 'boom' }));
    toClient.write(frame({ jsonrpc: '2.0', id: 3, method: 'window/workDoneProgress/create', params: { token: 't' } }));
    await until(() => received.length === 3, 'three answers');
    assert.deepEqual(received, [
      { jsonrpc: '2.0', id: 1, result: [{}, {}] },
      { jsonrpc: '2.0', id: 'b', error: { code: -32603, message: 'handler failed: ü' } },
      { jsonrpc: '2.0', id: 3, result: null },
    ]);
  });

  it('routes $/progress to the progress handler and other notifications to the notification handler', async () => {
    const { connection, toClient, seen, errors } = pipes();
    let throws = true;
    connection.onNotification((method, params) => {
      if (throws) {
        throws = false;
        throw new Error('a bug in the handler');
      }
      seen.push({ notification: method, params });
    });
    toClient.write(frame({ jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'lost to the bug' } }));
    toClient.write(
      frame({ jsonrpc: '2.0', method: '$/progress', params: { token: 'load', value: { kind: 'begin', title: 'Setting up workspace' } } }),
    );
    toClient.write(frame({ jsonrpc: '2.0', method: '$/progress', params: { value: { kind: 'end' } } }));
    toClient.write(frame({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///x.go', diagnostics: [] } }));
    toClient.write(frame({ jsonrpc: '2.0', method: '$/progress', params: { token: 7, value: { kind: 'end' } } }));
    await until(() => seen.length === 3, 'three events');
    assert.deepEqual(seen, [
      { progress: { token: 'load', value: { kind: 'begin', title: 'Setting up workspace' } } },
      { notification: 'textDocument/publishDiagnostics', params: { uri: 'file:///x.go', diagnostics: [] } },
      { progress: { token: 7, value: { kind: 'end' } } },
    ]);
    assert.deepEqual(errors, []);
  });

  it('reads the same messages however the bytes are cut, and several in one chunk', async () => {
    const bytes = Buffer.concat([
      frame({ jsonrpc: '2.0', method: 'window/showMessage', params: { type: 2, message: 'Go 1.20 — ünsupported ☃' } }),
      frame({ jsonrpc: '2.0', id: 7, method: 'workspace/workspaceFolders' }),
      frame({ jsonrpc: '2.0', method: '$/progress', params: { token: 1, value: { kind: 'end', message: '日本' } } }),
      frame({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'gopls', version: '𝄞' } } }),
    ]);
    const read = async (chunks: Buffer[]) => {
      const { connection, toClient, seen, received, errors } = pipes((method) => [{ method }]);
      const answer = connection.sendRequest('initialize');
      for (const chunk of chunks) toClient.write(chunk);
      const result = await answer;
      await until(() => received.length === 2, 'the answer to workspaceFolders');
      return { seen, result, answered: received[1], errors };
    };
    const whole = await read([bytes]);
    assert.deepEqual(whole.seen, [
      { notification: 'window/showMessage', params: { type: 2, message: 'Go 1.20 — ünsupported ☃' } },
      { progress: { token: 1, value: { kind: 'end', message: '日本' } } },
    ]);
    assert.deepEqual(whole.result, { serverInfo: { name: 'gopls', version: '𝄞' } });
    assert.deepEqual(whole.answered, { jsonrpc: '2.0', id: 7, result: [{ method: 'workspace/workspaceFolders' }] });
    assert.deepEqual(whole.errors, []);
    for (let cut = 1; cut < bytes.length; cut++) {
      assert.deepEqual(await read([bytes.subarray(0, cut), bytes.subarray(cut)]), whole, `cut at byte ${cut}`);
    }
    assert.deepEqual(await read([...bytes].map((b) => Buffer.from([b]))), whole, 'a byte at a time');
  });

  for (const [what, bytes, error] of [
    ['a body that is not JSON', Buffer.from('Content-Length: 5\r\n\r\nhello'), /^a message that is not JSON$/],
    ['a header without its blank line', Buffer.from(`Content-Length: 2${'X'.repeat(9_000)}`), /a header of more than 8192 bytes/],
    ['a body of more than 32 MiB', Buffer.from(`Content-Length: ${32 * 1024 * 1024 + 1}\r\n\r\n{}`), /more than 32 MiB/],
    ['JSON that is not JSON-RPC', frame([1, 2]), /^a message that is not JSON-RPC$/],
    ['an object that is no JSON-RPC message', frame({ jsonrpc: '2.0', id: 1 }), /^a message that is not JSON-RPC$/],
  ] as const) {
    it(`ends the connection on ${what}: one error, one close, every request rejected`, async () => {
      const { connection, toClient, seen, errors, closes } = pipes();
      const pending = connection.sendRequest('initialize', {});
      toClient.write(frame({ jsonrpc: '2.0', method: 'window/logMessage', params: { type: 1, message: 'before' } }));
      toClient.write(Buffer.concat([bytes, frame({ jsonrpc: '2.0', method: 'window/logMessage', params: { type: 1, message: 'after' } })]));
      await assert.rejects(pending, { message: error });
      assert.equal(errors.length, 1);
      assert.match(errors[0]!, error);
      assert.equal(closes(), 1);
      assert.deepEqual(seen, [{ notification: 'window/logMessage', params: { type: 1, message: 'before' } }]);
      await assert.rejects(connection.sendRequest('shutdown'), { message: error });
      await assert.rejects(connection.sendNotification('exit'), { message: error });
      toClient.end(frame({ jsonrpc: '2.0', method: 'window/logMessage', params: { type: 1, message: 'later' } }));
      await once(toClient, 'close');
      assert.equal(closes(), 1);
      assert.equal(errors.length, 1);
      assert.equal(seen.length, 1);
    });
  }

  it('reports the end of the output as a close (no error) and rejects what is pending', async () => {
    const { connection, toClient, errors, closes } = pipes();
    const pending = connection.sendRequest('initialize', {});
    toClient.end();
    await assert.rejects(pending, { message: 'the server closed its output' });
    assert.equal(closes(), 1);
    assert.deepEqual(errors, []);
  });

  it('dispose rejects what is pending without reporting a close', async () => {
    const { connection, toClient, seen, closes } = pipes();
    const pending = connection.sendRequest('initialize', {});
    connection.dispose();
    await assert.rejects(pending, { message: 'the connection was disposed' });
    toClient.end(frame({ jsonrpc: '2.0', method: 'window/logMessage', params: { type: 1, message: 'after dispose' } }));
    await once(toClient, 'close');
    assert.equal(closes(), 0);
    assert.deepEqual(seen, []);
  });

  it('writes to a peer that is gone without an exception or an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      // A stream already ended: the write fails with an 'error' event nobody else listens to.
      const ended = pipes();
      ended.toServer.end();
      await ended.connection.sendNotification('initialized', {});
      const unanswered = ended.connection.sendRequest('shutdown');
      ended.toClient.end();
      await assert.rejects(unanswered, { message: 'the server closed its output' });

      // A socket whose peer has gone: the writes end in EPIPE or ECONNRESET, as to a gopls that died.
      const server = createServer();
      server.listen(0, '127.0.0.1');
      await once(server, 'listening');
      const accepted = once(server, 'connection') as Promise<[Socket]>;
      const ours = connect({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', allowHalfOpen: true });
      const [theirs] = await accepted;
      const serverOutput = new PassThrough();
      const connection = new LspConnection(serverOutput, ours);
      connection.listen();
      theirs.destroy();
      server.close();
      await once(ours, 'end');
      const requests: Promise<unknown>[] = [];
      for (let i = 0; i < 100 && !ours.errored; i++) {
        requests.push(connection.sendRequest('initialize', { padding: 'x'.repeat(64 * 1024) }));
        await connection.sendNotification('initialized', {});
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.ok(ours.errored, 'a write failed');
      serverOutput.end();
      for (const request of requests) await assert.rejects(request, { message: 'the server closed its output' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
