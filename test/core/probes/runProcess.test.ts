import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runProcess } from '../../../src/core/probes/runProcess';
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
