import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runProcess, ServerStartError, shellQuote, startServer } from '../../../src/core/probes/process';
import { tempDir, writeFile } from '../../helpers';

describe('process runner', () => {
  it('runs argv without a shell: metacharacters stay literal', async () => {
    const probe = await runProcess(['printf', '%s', '$(echo hacked); echo x > /tmp/never']);
    assert.equal(probe.outcome, 'ok');
    assert.equal(probe.stdout, '$(echo hacked); echo x > /tmp/never');
  });
  it('reports a missing binary as not-found, without throwing', async () => {
    const probe = await runProcess(['/nonexistent/go-debug-doctor-missing', 'version']);
    assert.equal(probe.outcome, 'not-found');
    assert.equal(probe.exitCode, null);
  });
  it('reports a non-executable file as an error', async () => {
    const file = writeFile(path.join(tempDir(), 'not-exec'), 'data');
    const probe = await runProcess([file]);
    assert.equal(probe.outcome, 'error');
    assert.match(probe.error ?? '', /permission denied/);
  });
  it('reports a non-zero exit as a result with its output', async () => {
    const probe = await runProcess(['go', 'no-such-subcommand']);
    assert.equal(probe.outcome, 'exit');
    assert.equal(probe.exitCode, 2);
    assert.match(probe.stderr, /unknown command/);
  });
  it('kills a hung process at the timeout', async () => {
    const started = Date.now();
    const probe = await runProcess(['sleep', '30'], { timeoutMs: 300 });
    assert.equal(probe.outcome, 'timeout');
    assert.ok(Date.now() - started < 5000, 'returned long before the process would have ended');
  });
  it('kills a process that ignores SIGTERM (SIGKILL follows)', async () => {
    const script = writeFile(path.join(tempDir(), 'stubborn'), '#!/bin/sh\ntrap "" TERM\nwhile :; do sleep 1; done\n', true);
    const started = Date.now();
    const probe = await runProcess([script], { timeoutMs: 300 });
    assert.equal(probe.outcome, 'timeout');
    assert.ok(Date.now() - started < 6000);
  });
  it('stops a process that prints without end', async () => {
    const probe = await runProcess(['yes'], { maxOutputBytes: 64 * 1024, timeoutMs: 10_000 });
    assert.equal(probe.outcome, 'error');
    assert.equal(probe.truncated, true);
  });
  it('passes an explicit environment and nothing else', async () => {
    const probe = await runProcess(['env'], { env: { ONLY_THIS: 'yes', PATH: process.env.PATH } });
    assert.match(probe.stdout, /^ONLY_THIS=yes$/m);
    assert.doesNotMatch(probe.stdout, /^HOME=/m);
  });
  it('quotes fixes for copying', () => {
    assert.equal(
      shellQuote(['go', 'install', 'github.com/go-delve/delve/cmd/dlv@v1.27.2']),
      'go install github.com/go-delve/delve/cmd/dlv@v1.27.2',
    );
    assert.equal(shellQuote(['echo', "it's a $HOME"]), `echo 'it'\\''s a $HOME'`);
  });
});

describe('process runner: trees and cancellation', () => {
  it('a timeout kills the whole tree, so a child holding stdout cannot keep us waiting', async () => {
    const dir = tempDir();
    const marker = path.join(dir, 'grandchild-survived');
    const script = writeFile(path.join(dir, 'wrapper'), `#!/bin/sh\n(sleep 3; touch ${marker}) &\nsleep 60\n`, true);
    const probe = await runProcess([script], { timeoutMs: 300 });
    assert.equal(probe.outcome, 'timeout');
    assert.ok(probe.durationMs < 3000, `returned after ${probe.durationMs} ms, not after the children ended`);
    await new Promise((r) => setTimeout(r, 3500));
    assert.equal(existsSync(marker), false, 'the grandchild was killed with its group');
  });
  it('an abort signal cancels a running probe', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const probe = await runProcess(['sleep', '30'], { signal: controller.signal, timeoutMs: 20_000 });
    assert.equal(probe.outcome, 'cancelled');
  });
});

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
