import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { goplsHandshake } from '../../../src/core/lsp/goplsHandshake';
import { matchGoTooOld } from '../../../src/core/lsp/goplsMessages';
import { CLEAN, goModule, leftovers, probeEnv, root, useRealGoCache } from '../../fixtures/gopls-probes';
import { testTools, writeFile } from '../../helpers';

const GO_BIN = (process.env.PATH ?? '').split(':').find((dir) => existsSync(path.join(dir, 'go')))!;

describe('what gopls sends during the handshake (real gopls v0.23.0)', () => {
  before(async () => {
    await useRealGoCache();
  });

  it("reports gopls's own message when the go on PATH is too old", async () => {
    // A `go` that answers gopls's version query (go list -f {{context.ReleaseTags}}, see
    // golang/tools internal/gocommand/version.go) as an old Go would, and runs the real go otherwise.
    // Expected texts: gopls/internal/util/goversion/goversion.go@gopls/v0.23.0 with its table
    // (Go 1.18: unsupported, last gopls v0.14.2; Go 1.20: dropped in v0.17.0, last gopls v0.15.3).
    const tail = ' See https://go.dev/s/gopls-support-policy for more details.';
    const cases = [
      {
        minor: 18,
        type: 'error',
        text:
          'Found Go version 1.18, which is not supported by this version of gopls. Please upgrade to Go 1.21 or later and reinstall gopls. ' +
          "If you can't upgrade and want this message to go away, please install gopls v0.14.2." +
          tail,
        parsed: { go: '1.18', fromBuild: false, unsupported: true, upgradeToGo: '1.21', lastGopls: 'v0.14.2' },
      },
      {
        minor: 20,
        type: 'warning',
        text:
          'Found Go version 1.20, which will be unsupported by gopls v0.17.0. Please upgrade to Go 1.21 or later and reinstall gopls. ' +
          "If you can't upgrade and want this message to go away, please install gopls v0.15.3." +
          tail,
        parsed: { go: '1.20', fromBuild: false, unsupported: false, droppedIn: 'v0.17.0', upgradeToGo: '1.21', lastGopls: 'v0.15.3' },
      },
    ];
    for (const c of cases) {
      const shim = path.join(root, `go1.${c.minor}`);
      const tags = Array.from({ length: c.minor }, (_, i) => `go1.${i + 1}`).join(' ');
      writeFile(
        path.join(shim, 'go'),
        `#!/bin/sh\ncase "$*" in *context.ReleaseTags*) echo "[${tags}]"; exit 0;; esac\nexec "${path.join(GO_BIN, 'go')}" "$@"\n`,
        true,
      );
      const { env, marker } = probeEnv({ PATH: `${shim}:${process.env.PATH ?? ''}` });
      const folder = goModule(`oldgo${c.minor}`, CLEAN);
      const result = await goplsHandshake({ gopls: testTools().gopls, folder, env, timeoutMs: 15_000, settleMs: 300 });
      assert.equal(result.outcome, 'ok', result.error ?? result.stderrTail);
      assert.equal(result.goTooOld, c.text);
      assert.deepEqual(
        result.messages.filter((m) => m.text === c.text),
        [{ type: c.type, text: c.text }],
      );
      assert.deepEqual(matchGoTooOld(c.text), c.parsed);
      assert.deepEqual(leftovers(marker), []);
    }
  });
});
