import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { goplsHandshake } from '../../../src/core/lsp/goplsHandshake';
import { groupGone, leftovers, probeEnv, root } from '../../fixtures/gopls-probes';
import { writeFile } from '../../helpers';

describe('gopls handshake (stand-ins)', () => {
  it('reports a missing binary as not-found', async () => {
    const result = await goplsHandshake({ gopls: path.join(root, 'no-such-gopls'), folder: root });
    assert.equal(result.outcome, 'not-found');
    assert.match(result.error ?? '', /not found/);
  });

  it('reports a server that exits at once as crashed, with its stderr', async () => {
    const script = writeFile(path.join(root, 'crash', 'gopls'), '#!/bin/sh\necho "panic: stand-in gave up" >&2\nexit 3\n', true);
    const { env, marker } = probeEnv();
    const result = await goplsHandshake({ gopls: script, folder: root, env, timeoutMs: 5_000 });
    assert.equal(result.outcome, 'crashed');
    assert.match(result.error ?? '', /exited with code 3/);
    assert.match(result.stderrTail, /panic: stand-in gave up/);
    assert.deepEqual(leftovers(marker), []);
  });

  it('times out on a server that never answers and kills its whole process group', async () => {
    // The shell records its pid (= its process group, the probe starts it detached); `sleep` is its child.
    const script = writeFile(path.join(root, 'hang', 'gopls'), '#!/bin/sh\necho $$ > "$0.pid"\nsleep 60\n', true);
    const { env, marker } = probeEnv();
    const result = await goplsHandshake({ gopls: script, folder: root, env, timeoutMs: 1_500 });
    assert.equal(result.outcome, 'timeout');
    // One wording, always: the deadline's (the step's own limit of 10 s reaches past it).
    assert.equal(result.error, 'timed out after 1500 ms (during initialize)');
    assert.ok(result.durationMs >= 1_400 && result.durationMs < 2_500, `${result.durationMs} ms`);
    const pgid = Number(readFileSync(`${script}.pid`, 'utf8').trim());
    assert.ok(pgid > 0);
    assert.ok(groupGone(pgid), `process group ${pgid} is gone`);
    assert.deepEqual(leftovers(marker), []);
  });
});
