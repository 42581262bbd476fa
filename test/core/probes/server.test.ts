import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServerStartError, startServer } from '../../../src/core/probes/server';

describe('startServer', () => {
  it('waits for the ready line, and stop() ends the whole group', async () => {
    const server = await startServer(
      ['sh', '-c', 'echo booting; sleep 0.2; echo "API server listening at: 127.0.0.1:1"; sleep 60 & wait'],
      { ready: /^API server listening at: /, timeoutMs: 10_000 },
    );
    assert.equal(server.readyLine, 'API server listening at: 127.0.0.1:1');
    assert.match(server.output(), /booting/);
    await server.stop();
    assert.throws(() => process.kill(-server.pid, 0), /ESRCH/);
  });
  it('a process that exits, hangs or does not exist is an error with its output, and leaves nothing behind', async () => {
    await assert.rejects(
      startServer(['sh', '-c', 'echo "could not launch process: boom"; exit 3'], { ready: /^API/, timeoutMs: 10_000 }),
      (e: unknown) => e instanceof ServerStartError && e.reason === 'exited' && /boom/.test(e.output),
    );
    await assert.rejects(
      startServer(['sleep', '30'], { ready: /^API/, timeoutMs: 300 }),
      (e: unknown) => e instanceof ServerStartError && e.reason === 'timeout',
    );
    await assert.rejects(
      startServer(['/nonexistent/dlv'], { ready: /^API/, timeoutMs: 5_000 }),
      (e: unknown) => e instanceof ServerStartError && e.reason === 'not-found',
    );
  });
});
