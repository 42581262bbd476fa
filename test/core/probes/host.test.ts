import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LiveHost, ObservedHost } from '../../../src/core/probes/host';
import type { ProbeRecord } from '../../../src/core/probes/probeRecord';
import { ServerStartError } from '../../../src/core/probes/server';
import { tempDir, writeFile } from '../../helpers';

describe('long-running processes through the host', () => {
  it('startServer: waits for the ready line; the observed host lists it once it was stopped', async () => {
    const server = writeFile(
      path.join(tempDir('gdd-srv-'), 'server'),
      '#!/bin/sh\necho "listening at: 127.0.0.1:1"\nexec sleep 30\n',
      true,
    );
    const host = new ObservedHost(new LiveHost());
    const handle = await host.startServer([server], { ready: /listening at:/, timeoutMs: 5_000 });
    assert.equal(handle.readyLine, 'listening at: 127.0.0.1:1');
    assert.equal(host.probes.length, 0, 'still running: not in the list yet');
    await handle.stop();
    await handle.exited;
    assert.equal(host.probes.length, 1);
    assert.deepEqual([host.probes[0]!.argv, host.probes[0]!.outcome], [[server], 'ok']);
    assert.match(host.probes[0]!.stdout, /listening at/);
  });

  it("startPiped: stdin and stdout are the process's; the host's environment plus overrides; logged when it ends", async () => {
    const seen: ProbeRecord[] = [];
    const live = new LiveHost({ ...process.env, GDD_GREETING: 'hello' });
    live.onProbe((p) => seen.push(p));
    const script = writeFile(path.join(tempDir('gdd-pipe-'), 'echoer'), '#!/bin/sh\necho "$GDD_GREETING $GDD_NAME"\nexec cat\n', true);
    const proc = await live.startPiped([script], { envOverrides: { GDD_NAME: 'doctor' } });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.stdin.write('ping\n');
    for (let i = 0; i < 100 && !out.includes('ping'); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(out, 'hello doctor\nping\n');
    await proc.stop();
    assert.ok(proc.hasExited());
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.outcome, 'ok');
  });

  it('a binary that is not there: a ServerStartError (not-found), and the record says so', async () => {
    const host = new ObservedHost(new LiveHost());
    await assert.rejects(
      host.startPiped(['/nonexistent/gopls', 'serve']),
      (err: unknown) => err instanceof ServerStartError && err.reason === 'not-found',
    );
    await assert.rejects(host.startServer(['/nonexistent/dlv', 'dap'], { ready: /x/, timeoutMs: 1_000 }), ServerStartError);
    assert.deepEqual(
      host.probes.map((p) => p.outcome),
      ['not-found', 'not-found'],
    );
  });
});
