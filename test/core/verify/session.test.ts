import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { describe, it } from 'node:test';
import { acceptsAnotherClient } from '../../../src/core/verify/session';

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));

describe('the verify session: a server that takes another client', () => {
  it('a listening server (multi-client Delve keeps listening) is told from a closed port, in about a second at most', async () => {
    const server = createServer((s) => s.destroy());
    const port = await listen(server);
    assert.equal(await acceptsAnotherClient('127.0.0.1', port), true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const t0 = Date.now();
    assert.equal(await acceptsAnotherClient('127.0.0.1', port), false);
    assert.ok(Date.now() - t0 < 1_500);
  });
});
