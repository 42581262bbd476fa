import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import { DapClient } from '../../../src/core/dap/client';

/** A peer on 127.0.0.1 that answers the first bytes it gets with `behave`. */
async function peer(behave: (socket: Socket) => void): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => behave(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  return { port: (server.address() as { port: number }).port, server };
}

const frame = (message: object) => {
  const json = Buffer.from(JSON.stringify(message));
  return Buffer.concat([Buffer.from(`Content-Length: ${json.length}\r\n\r\n`), json]);
};

/** Connects, sends `initialize`, and returns how it ended: the error's one line, and the time. */
async function ask(port: number, timeoutMs = 2_000): Promise<{ error?: string; ms: number; client: DapClient }> {
  const started = Date.now();
  const client = await DapClient.connect('127.0.0.1', port, timeoutMs);
  try {
    await client.request('initialize', { adapterID: 'go' }, timeoutMs);
    return { ms: Date.now() - started, client };
  } catch (err) {
    return { error: (err as Error).message, ms: Date.now() - started, client };
  } finally {
    client.close();
  }
}

describe('the DAP client against a hostile peer on loopback: one line, in time, bounded memory', () => {
  it('an announced 2 GB message is refused at once, not buffered', async () => {
    const { port } = await peer((s) => {
      s.write('Content-Length: 2147483648\r\n\r\n{"seq":1,');
      const trickle = setInterval(() => s.writable && s.write('x'.repeat(1024)), 5);
      s.on('close', () => clearInterval(trickle));
    });
    const r = await ask(port);
    assert.match(r.error ?? '', /^the debug adapter sent a message of 2147483648 bytes \(more than 32 MiB\)$/);
    assert.ok(r.ms < 1_000, `${r.ms} ms`);
  });

  it('a header that never ends, garbage instead of JSON, a close mid-message: each one line', async () => {
    const endless = await peer((s) => s.write('X'.repeat(100_000)));
    assert.match((await ask(endless.port)).error ?? '', /^the debug adapter sent a header of more than 8192 bytes$/);
    const garbage = await peer((s) => s.write('Content-Length: 5\r\n\r\n{{{{{'));
    assert.match((await ask(garbage.port)).error ?? '', /^the debug adapter sent a message that is not JSON$/);
    const cut = await peer((s) => s.end('Content-Length: 100\r\n\r\n{"seq":1'));
    assert.match((await ask(cut.port)).error ?? '', /closed the connection/);
  });

  it('a peer that never answers: the request ends at its timeout', async () => {
    const silent = await peer(() => {});
    const r = await ask(silent.port, 500);
    assert.match(r.error ?? '', /500 ms/);
    assert.ok(r.ms < 1_500, `${r.ms} ms`);
  });

  it('a flood of events and a wrong request_seq before the answer: the answer still counts, and what is kept stays bounded', async () => {
    const { port } = await peer((s) => {
      const burst = [];
      for (let i = 0; i < 30_000; i++) burst.push(frame({ seq: i + 2, type: 'event', event: 'output', body: { output: 'x' } }));
      burst.push(frame({ seq: 40_000, type: 'response', request_seq: 999, success: true, command: 'initialize' }));
      burst.push(frame({ seq: 40_001, type: 'response', request_seq: 1, success: true, command: 'initialize', body: {} }));
      s.write(Buffer.concat(burst));
    });
    const r = await ask(port, 10_000);
    assert.equal(r.error, undefined);
    assert.ok(r.client.transcript.length <= 10_000, `${r.client.transcript.length} messages kept`);
  });

  it('reverse requests (runInTerminal, startDebugging) are answered "not supported", never carried out', async () => {
    let answers = '';
    const { port } = await peer((s) => {
      s.on('data', (d) => (answers += d.toString()));
      s.write(frame({ seq: 2, type: 'request', command: 'runInTerminal', arguments: { args: ['/bin/sh', '-c', 'touch /tmp/x'] } }));
      s.write(frame({ seq: 3, type: 'request', command: 'startDebugging', arguments: {} }));
      setTimeout(() => s.write(frame({ seq: 4, type: 'response', request_seq: 1, success: true, command: 'initialize' })), 100);
    });
    const r = await ask(port);
    assert.equal(r.error, undefined);
    assert.match(answers, /"request_seq":2,"success":false,"command":"runInTerminal"/);
    assert.match(answers, /"request_seq":3,"success":false,"command":"startDebugging"/);
  });

  it('a cancel while connecting: connect rejects, and no socket is left open (a late connection has no owner)', async () => {
    const server = createServer((socket) => socket.on('error', () => {}));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    after(() => server.close());
    const port = (server.address() as { port: number }).port;
    const openTo = () =>
      (process as unknown as { _getActiveHandles(): unknown[] })
        ._getActiveHandles()
        .filter((h) => h instanceof Object && (h as { remotePort?: number }).remotePort === port && !(h as Socket).destroyed);
    const aborted = new AbortController();
    const connecting = DapClient.connect('127.0.0.1', port, 5_000, aborted.signal);
    aborted.abort();
    await assert.rejects(connecting, /^Error: connection to 127\.0\.0\.1:\d+ cancelled$/);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(openTo(), []);
    await assert.rejects(DapClient.connect('127.0.0.1', port, 5_000, aborted.signal), /cancelled/, 'already cancelled: no attempt');
  });
});
