import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { goplsHandshake } from '../../../src/core/lsp/goplsHandshake';
import { startServer } from '../../../src/core/probes/server';
import { CLEAN, goModule, leftovers, probeEnv, root, TYPE_ERROR, useRealGoCache } from '../../fixtures/gopls-probes';
import { testTools } from '../../helpers';

describe('gopls handshake (real gopls v0.23.0)', () => {
  before(async () => {
    await useRealGoCache();
  });

  it('initializes, sees the type error and shuts down cleanly', async (t) => {
    const dir = goModule('broken', TYPE_ERROR);
    const { env, marker } = probeEnv();
    const result = await goplsHandshake({ gopls: testTools().gopls, folder: dir, env, timeoutMs: 15_000 });
    t.diagnostic(
      `handshake ${result.durationMs} ms: ${result.steps.map((s) => `${s.name} ${s.ms} ms${s.ok ? '' : ' FAILED'}`).join(', ')}`,
    );
    assert.equal(result.outcome, 'ok', result.error ?? result.stderrTail);
    assert.equal(result.serverInfo?.name, 'gopls');
    assert.equal(result.goplsVersion, 'v0.23.0');
    const main = result.diagnostics.find((d) => d.uri.endsWith('/broken/main.go'));
    assert.ok(main && main.count >= 1, `diagnostics for main.go: ${JSON.stringify(result.diagnostics)}`);
    for (const name of ['spawn', 'initialize', 'initialized', 'diagnostics', 'shutdown', 'exit']) {
      assert.ok(result.steps.find((s) => s.name === name)?.ok, `step ${name}: ${JSON.stringify(result.steps)}`);
    }
    assert.equal(result.goTooOld, undefined);
    assert.ok(result.durationMs < 15_000);
    assert.deepEqual(leftovers(marker), []);
  });

  it('is cancelled mid-run by its AbortSignal and leaves no process behind', async () => {
    // No diagnostics in a clean module: the probe waits for the (long) settle time when aborted.
    const { env, marker } = probeEnv();
    const controller = new AbortController();
    // Late enough that initialize is done even on a loaded CI machine (500 ms was not), long before the settle time ends.
    let abortedAt = 0;
    const timer = setTimeout(() => {
      abortedAt = performance.now();
      controller.abort();
    }, 2_500);
    const result = await goplsHandshake({
      gopls: testTools().gopls,
      folder: goModule('clean', CLEAN),
      env,
      settleMs: 10_000,
      signal: controller.signal,
    });
    clearTimeout(timer);
    assert.equal(result.outcome, 'cancelled');
    assert.ok(result.steps.find((s) => s.name === 'initialize')?.ok, 'aborted after initialize');
    const afterAbort = performance.now() - abortedAt;
    assert.ok(abortedAt > 0 && afterAbort < 3_000, `ended ${Math.round(afterAbort)} ms after the abort`);
    assert.deepEqual(leftovers(marker), []);

    const early = await goplsHandshake({ gopls: testTools().gopls, folder: root, signal: AbortSignal.abort() });
    assert.equal(early.outcome, 'cancelled');
    assert.deepEqual(early.steps, []);
  });
});

describe('gopls handshake leftovers', () => {
  it(
    'finds a live process by its marker (the leftover check above is not vacuous)',
    { skip: !existsSync('/proc/self/environ') },
    async () => {
      const { env, marker } = probeEnv();
      const server = await startServer(['sh', '-c', 'echo ready; exec sleep 30'], { env, ready: /ready/, timeoutMs: 5_000 });
      try {
        // "ready" comes before `exec sleep`: mid-exec, a process's environ can read empty.
        const until = Date.now() + 5_000;
        while (leftovers(marker).length !== 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        assert.deepEqual(leftovers(marker), [server.pid]);
      } finally {
        await server.stop();
      }
      assert.deepEqual(leftovers(marker), []);
    },
  );
});
