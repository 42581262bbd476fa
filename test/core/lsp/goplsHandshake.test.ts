import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { goplsHandshake } from '../../../src/core/lsp/goplsHandshake';
import { matchGoTooOld } from '../../../src/core/lsp/goplsMessages';
import { runProcess } from '../../../src/core/probes/runProcess';
import { startServer } from '../../../src/core/probes/server';
import { tempDir, testTools, writeFile } from '../../helpers';

const GO_BIN = (process.env.PATH ?? '').split(':').find((dir) => existsSync(path.join(dir, 'go')))!;
const MARKER = 'GDD_HANDSHAKE_TEST';

/** A throw-away HOME (telemetry off), gopls cache and GOPATH; Go's build cache stays the real one. */
const root = tempDir('gdd-gopls-');
const home = path.join(root, 'home');
writeFile(path.join(home, '.config', 'go', 'telemetry', 'mode'), 'off');
let goCache = process.env.GOCACHE ?? '';

let runs = 0;
/** The environment of one probe, tagged so that every process it leaves behind can be found. */
function probeEnv(extra: Record<string, string> = {}) {
  const marker = `${process.pid}-${++runs}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    GOPLSCACHE: path.join(root, 'gopls-cache'),
    GOPATH: path.join(root, 'gopath'),
    GOCACHE: goCache,
    GOTOOLCHAIN: 'local',
    GOFLAGS: '',
    [MARKER]: marker,
    ...extra,
  };
  return { env, marker };
}

/** Processes still running with the probe's marker in their environment (Linux: /proc). */
function leftovers(marker: string): number[] {
  if (!existsSync('/proc/self/environ')) return [];
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(`${MARKER}=${marker}`)) found.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

/**
 * True when nothing in the process group runs. Zombies count as gone: they are dead, and in a
 * container whose init reaps orphans slowly `kill(-pgid, 0)` keeps finding them for a while.
 */
function groupGone(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return true;
  }
  if (!existsSync('/proc/self/stat')) return false;
  return readdirSync('/proc').every((entry) => {
    if (!/^\d+$/.test(entry)) return true;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) !== pgid || state === 'Z';
    } catch {
      return true;
    }
  });
}

function goModule(name: string, main: string): string {
  const dir = path.join(root, name);
  writeFile(path.join(dir, 'go.mod'), `module example.com/${name}\n\ngo 1.21\n`);
  writeFile(path.join(dir, 'main.go'), main);
  return dir;
}

const TYPE_ERROR = 'package main\n\nfunc main() {\n\tvar answer int = "forty-two"\n\t_ = answer\n}\n';
const CLEAN = 'package main\n\nfunc main() {}\n';

describe('gopls handshake (real gopls v0.23.0)', () => {
  before(async () => {
    if (!goCache) goCache = (await runProcess(['go', 'env', 'GOCACHE'])).stdout.trim();
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

  it('is cancelled mid-run by its AbortSignal and leaves no process behind', async () => {
    // No diagnostics in a clean module: the probe waits for the (long) settle time when aborted.
    const { env, marker } = probeEnv();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 500);
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
    assert.ok(result.durationMs < 3_000, `${result.durationMs} ms`);
    assert.deepEqual(leftovers(marker), []);

    const early = await goplsHandshake({ gopls: testTools().gopls, folder: root, signal: AbortSignal.abort() });
    assert.equal(early.outcome, 'cancelled');
    assert.deepEqual(early.steps, []);
  });
});

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
    assert.match(result.error ?? '', /initialize/);
    assert.ok(result.durationMs >= 1_400 && result.durationMs < 2_500, `${result.durationMs} ms`);
    const pgid = Number(readFileSync(`${script}.pid`, 'utf8').trim());
    assert.ok(pgid > 0);
    assert.ok(groupGone(pgid), `process group ${pgid} is gone`);
    assert.deepEqual(leftovers(marker), []);
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
        assert.deepEqual(leftovers(marker), [server.pid]);
      } finally {
        await server.stop();
      }
      assert.deepEqual(leftovers(marker), []);
    },
  );
});
