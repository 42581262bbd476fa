import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { inspectFile } from '../../../src/core/binary/inspect';
import { runProcess } from '../../../src/core/probes/runProcess';
import * as mac from '../../fixtures/mac-outputs';
import { binaryFacts, darwinDlv, realDarwinDlv, replay, type DarwinDlv } from '../../fixtures/mac-machines';
import { go125Program, macOS26Go121, macOS26Go125 } from '../../fixtures/mac-scenarios';
import { SAMPLE_PROGRAM, tempDir, writeFile } from '../../helpers';

describe('LC_UUID and macOS 26 (go-delve/delve#4162)', () => {
  const root = tempDir('gdd-mac-');
  let d: DarwinDlv;
  let noUuid: DarwinDlv;
  before(async () => {
    // The same Delve, built for darwin/amd64 by go1.23.1 (fetched through the module proxy): no LC_UUID.
    const file = await darwinDlv(root, 'v1.21.2', 'go1.23.1');
    const info = await inspectFile(file);
    assert.equal(info.slices[0]!.goBuildInfo?.goVersion, 'go1.23.1');
    assert.equal(info.slices[0]!.uuid, null);
    d = await realDarwinDlv(root, 'v1.21.2', 'auto', 'dlv-old');
    noUuid = { file: await binaryFacts(file), versionText: d.versionText };
  });

  it('Go writes LC_UUID only since 1.24: darwin programs built here by go1.23.1 and by the local Go, read by our reader', async () => {
    const dir = path.join(root, 'uuid-program');
    const build = async (toolchain: string, out: string) => {
      const p = await runProcess(['go', 'build', '-o', out, '.'], {
        cwd: dir,
        timeoutMs: 600_000,
        env: { ...process.env, GOOS: 'darwin', GOARCH: 'amd64', CGO_ENABLED: '0', GOFLAGS: '', GOTOOLCHAIN: toolchain },
      });
      assert.equal(p.outcome, 'ok', p.stderr);
      return (await inspectFile(out)).slices[0]!;
    };
    writeFile(path.join(dir, 'go.mod'), 'module example.com/uuid\n\ngo 1.21\n');
    writeFile(path.join(dir, 'main.go'), SAMPLE_PROGRAM);
    const old = await build('go1.23.1', path.join(dir, 'old'));
    const local = await build('local', path.join(dir, 'new'));
    assert.equal(old.goBuildInfo?.goVersion, 'go1.23.1');
    assert.equal(old.uuid, null);
    assert.match(local.uuid ?? '', /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
  });

  it("macOS 26 with a dlv built by go1.23.1: fail, with dyld's words and a rebuild with a newer Go", async () => {
    const r = (await replay(macOS26Go125(noUuid)))('mac.uuid');
    assert.equal(r.status, 'fail');
    assert.match(
      r.summary,
      /^macOS 26\.0 refuses to load Mach-O files without LC_UUID \("dyld: missing LC_UUID load command"\): dlv at ~\/go\/bin\/dlv has no LC_UUID load command \(it was built with go1\.23\.1, older than Go 1\.24\)\.$/,
    );
    assert.equal(r.fixes[0]!.action, 'installDlv');
    assert.match(r.fixes[0]!.command!, /^GOTOOLCHAIN=go1\.25\.0 go install github\.com\/go-delve\/delve\/cmd\/dlv@v1\.27\.\d+$/);
    assert.ok(r.sources!.some((s) => s.includes('go-delve/delve/issues/4162')));
    // The text a Tahoe user sees is explained too.
    assert.ok(mac.DYLD_MISSING_LC_UUID.stderr.includes('missing LC_UUID load command'));
  });

  it('macOS 26 with a good dlv but a program built by Go 1.21: fail, build with Go 1.24+', async () => {
    const r = (await replay(macOS26Go121(d)))('mac.uuid');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /programs here are built with go1\.21\.4, whose linker writes no LC_UUID/);
    assert.doesNotMatch(r.summary, /dlv at/);
    assert.match(r.fixes[0]!.label, /Build with Go 1\.24 or newer/);
  });

  it('macOS 26, dlv and program both from Go 1.24+: pass', async () => {
    const r = (await replay(macOS26Go125(d)))('mac.uuid');
    assert.equal(r.status, 'pass', r.summary);
    assert.match(r.evidence.find((e) => e.label.startsWith('dlv LC_UUID'))!.value, /x86_64: [0-9A-F-]{36}/);
  });

  it('macOS 12 with a dlv built by go1.23.1: a warning that macOS 26 will refuse it', async () => {
    const r = (await replay(go125Program(noUuid)))('mac.uuid');
    assert.equal(r.status, 'warn');
    assert.match(r.summary, /^Works on macOS 12\.7\.4, but macOS 26 will refuse it/);
  });
});
