import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { inspectFile } from '../../../src/core/binary/inspect';
import { runDoctor, type DoctorReport } from '../../../src/core/checks/doctor';
import { LiveHost } from '../../../src/core/probes/host';
import { SOCKETFILTERFW } from '../../../src/core/facts/macFacts';
import { runProcess } from '../../../src/core/probes/runProcess';
import { RecordingHost, ReplayHost, type RecordedFile, type RecordedProbe, type Recording } from '../../../src/core/probes/recording';
import * as mac from '../../fixtures/mac-outputs';
import { SAMPLE_PROGRAM, tempDir, testTools, writeFile } from '../../helpers';

/**
 * Macs replayed on Linux. Every command output is a real one from a public report
 * (test/fixtures/mac-outputs.ts, with provenance); every binary is a real darwin dlv,
 * cross-compiled here by the real Go toolchain; only the folder layout is ours.
 */
const DLV = '~/go/bin/dlv';
const GO = '/usr/local/go/bin/go';
const XCODE = '/Applications/Xcode.app/Contents/Developer';
const XCODE_DEBUGSERVER = '/Applications/Xcode.app/Contents/SharedFrameworks/LLDB.framework/Versions/A/Resources/debugserver';

function probe(argv: string[], out: mac.MacOutput, note?: string): RecordedProbe {
  const exitCode = out.exitCode ?? (out.stderr && !out.stdout ? 1 : 0);
  return {
    argv,
    stdout: out.stdout,
    stderr: out.stderr,
    exitCode,
    ...(out.exitCode === null ? { outcome: exitCode === 0 ? 'ok' : 'exit' } : {}),
    provenance: `${out.command}: ${out.provenance}${note ? ` — ${note}` : ''}`,
  };
}

/** Cross-compiles a real dlv for darwin/amd64 (GOPATH/bin/darwin_amd64, as go install does). */
async function darwinDlv(root: string, version: string, toolchain = 'auto'): Promise<string> {
  const gopath = path.join(root, `gopath-${version}-${toolchain}`);
  const gomodcache = (await runProcess(['go', 'env', 'GOMODCACHE'])).stdout.trim();
  const p = await runProcess(['go', 'install', `github.com/go-delve/delve/cmd/dlv@${version}`], {
    cwd: root,
    timeoutMs: 600_000,
    env: {
      ...process.env,
      GOPATH: gopath,
      GOMODCACHE: gomodcache,
      GOBIN: '',
      GOOS: 'darwin',
      GOARCH: 'amd64',
      CGO_ENABLED: '0',
      GOFLAGS: '',
      GOTOOLCHAIN: toolchain,
    },
  });
  assert.equal(p.outcome, 'ok', p.stderr);
  return path.join(gopath, 'bin', 'darwin_amd64', 'dlv');
}

/** The file facts a real Mac would give for this binary: the byte ranges our reader reads. */
async function binaryFacts(file: string): Promise<RecordedFile> {
  const recorder = new RecordingHost(new LiveHost());
  await inspectFile(file, (p) => recorder.openBytes(p));
  const recorded = Object.values(recorder.toJSON().files)[0]!;
  return { ...recorded, exists: true, isFile: true, executable: true };
}

interface Machine {
  dlvFile: RecordedFile;
  dlvVersionText: string;
  goMod?: string;
  env?: Record<string, string | null>;
  probes?: RecordedProbe[];
  without?: string[];
  files?: Record<string, RecordedFile>;
}

function intelMac(m: Machine): Recording {
  const base: RecordedProbe[] = [
    probe([GO, 'version'], mac.GO_VERSION_121_4_DARWIN_AMD64),
    {
      argv: [DLV, 'version'],
      stdout: m.dlvVersionText,
      stderr: '',
      exitCode: 0,
      provenance: 'the real dlv of this version, run in the test (its version text does not depend on the OS)',
    },
    probe(['uname', '-m'], mac.UNAME_A_INTEL_13_6_3, 'the machine field of this `uname -a` is what `uname -m` prints'),
    probe(['sysctl', 'sysctl.proc_translated'], mac.SYSCTL_TRANSLATED_INTEL),
    probe(['sw_vers', '-productVersion'], mac.SW_VERS_PRODUCT_12_7_4),
    probe(['xcode-select', '-p'], mac.XCODE_SELECT_XCODE),
    probe(['id', '-Gn'], mac.GROUPS_WITH_DEVELOPER, '`groups` prints the same list as `id -Gn`'),
    probe(['codesign', '--verify', '--verbose=2', DLV], mac.CODESIGN_UNSIGNED),
    probe(['xattr', '-p', 'com.apple.quarantine', DLV], mac.XATTR_NO_SUCH),
    probe(
      [SOCKETFILTERFW, '--getglobalstate'],
      { ...mac.FW_GLOBAL_0_AND_1, stdout: mac.FW_GLOBAL_0_AND_1.stdout.split('\n')[1]! + '\n' },
      'the second of the two quoted states',
    ),
  ];
  const probes = [...(m.probes ?? []), ...base.filter((p) => !(m.without ?? []).includes(p.argv.slice(0, 2).join(' ')))];
  return {
    format: 'go-debug-doctor-recording',
    version: 1,
    platform: 'darwin',
    arch: 'x64',
    pathSeparator: ':',
    workspace: '~/src/app',
    env: {
      PATH: '/usr/local/go/bin:/usr/bin:/bin:/usr/sbin:/sbin',
      GOPATH: null,
      GOBIN: null,
      GOROOT: null,
      GOENV: null,
      GOTOOLCHAIN: null,
      DELVE_DEBUGSERVER_PATH: null,
      ...m.env,
    },
    probes,
    files: {
      [GO]: { exists: true, isFile: true, executable: true, size: 14_000_000 },
      [DLV]: m.dlvFile,
      '~/src/app/go.mod': { exists: true, isFile: true, text: m.goMod ?? 'module example.com/app\n\ngo 1.21\n' },
      [XCODE]: { exists: true, isDirectory: true },
      [XCODE_DEBUGSERVER]: { exists: true, isFile: true, executable: true },
      ...m.files,
    },
  };
}

/** Every command the doctor ran in any scenario, to show that none is privileged or writes. */
const commandsRun: string[][] = [];

async function replay(recording: Recording, backend?: 'native'): Promise<(id: string) => DoctorReport['checks'][number]> {
  const report = await runDoctor({ host: new ReplayHost(recording), workspace: recording.workspace!, ...(backend ? { backend } : {}) });
  commandsRun.push(...report.probes.map((p) => p.argv));
  return (id) => {
    const row = report.checks.find((c) => c.id === id);
    assert.ok(row, id);
    return row;
  };
}

describe('macOS checks on replayed real Mac outputs', () => {
  const root = tempDir('gdd-mac-');
  let dlv121: RecordedFile;
  let dlv1263go124: RecordedFile;
  let text121 = '';
  let text1263 = '';
  before(async () => {
    const tools = testTools();
    const [a, b] = await Promise.all([darwinDlv(root, 'v1.21.2'), darwinDlv(root, 'v1.26.3', 'go1.24.13')]);
    [dlv121, dlv1263go124] = await Promise.all([binaryFacts(a), binaryFacts(b)]);
    text121 = (await runProcess([tools['dlv-old'], 'version'])).stdout;
    text1263 = (await runProcess([tools['dlv-dwarf4'], 'version'])).stdout;
  });

  /** An Apple Silicon Mac that runs the doctor, go and the x86_64 dlv v1.21.2 under Rosetta. */
  const rosettaMac = () =>
    intelMac({
      dlvFile: dlv121,
      dlvVersionText: text121,
      without: ['uname -m', 'sysctl sysctl.proc_translated'],
      probes: [
        probe(['uname', '-m'], mac.UNAME_SM_M4_ROSETTA, 'the machine field of this `uname -s -m` is what `uname -m` prints'),
        probe(
          ['sysctl', 'hw.optional.arm64'],
          mac.SYSCTL_HW_OPTIONAL_M1,
          'the hw.optional.arm64 line of this listing is what `sysctl hw.optional.arm64` prints',
        ),
        probe(['sysctl', 'sysctl.proc_translated'], mac.SYSCTL_TRANSLATED_ROSETTA),
      ],
    });

  it('a healthy Intel Mac: every Mac row passes or says what it could not tell', async () => {
    const row = await replay(intelMac({ dlvFile: dlv121, dlvVersionText: text121 }));
    assert.equal(row('tools.dlv').status, 'pass');
    assert.equal(row('compat.delveGo').status, 'pass');
    assert.match(row('mac.cpu').summary, /^Intel Mac \(x86_64\), not under Rosetta/);
    assert.equal(row('mac.cpu').status, 'pass');
    // Delve 1.21.2 predates the watchpoint fix for newer macOS (CHANGELOG 1.23.0): a known problem, said once.
    assert.equal(row('mac.os').status, 'warn');
    assert.match(row('mac.os').summary, /Delve 1\.21\.2 has a known problem on macOS 12\.7\.4: .*watchpoints/i);
    assert.match(row('mac.os').fixes[0]!.command!, /dlv@v1\.25\.0/);
    assert.equal(row('mac.debugserver').status, 'pass');
    assert.match(
      row('mac.debugserver').summary,
      /SharedFrameworks\/LLDB\.framework\/Versions\/A\/Resources\/debugserver \(via xcode-select\)/,
    );
    assert.equal(row('mac.signature').status, 'pass');
    assert.match(row('mac.signature').summary, /No signature needed.*unsigned, as every Go binary for Intel Macs is/);
    assert.equal(row('mac.quarantine').status, 'pass');
    assert.equal(row('mac.firewall').status, 'pass');
    // No public report quotes `DevToolsSecurity -status`, so the recording has none: the row says so.
    assert.equal(row('mac.devtools').status, 'warn');
    assert.match(row('mac.devtools').summary, /Could not tell: DevToolsSecurity is missing/);
  });

  it('extreme outputs from a recording that claims macOS (issue 22): one verdict per row, no crash, in time', async () => {
    const extreme = (stdout: string, stderr = '', exitCode = 0): mac.MacOutput => ({
      command: 'made in this test',
      provenance: 'hostile input, not a Mac',
      stdout,
      stderr,
      exitCode,
    });
    const groups = Array.from({ length: 100_000 }, (_, i) => `group${i}`).join(' ') + '\n';
    const garbage = '\u0000\uFFFD\x1b[31m' + 'ƒ'.repeat(50_000) + '\n';
    const rec = intelMac({
      dlvFile: dlv121,
      dlvVersionText: text121,
      without: [
        'uname -m',
        'sysctl sysctl.proc_translated',
        'sw_vers -productVersion',
        'xcode-select -p',
        'id -Gn',
        `codesign --verify`,
        `xattr -p`,
        `${SOCKETFILTERFW} --getglobalstate`,
      ],
      probes: [
        probe(['uname', '-m'], extreme('x86_64 arm64 ppc\n')),
        probe(['sysctl', 'sysctl.proc_translated'], extreme('sysctl.proc_translated: 99999999999999999999\n')),
        probe(['sw_vers', '-productVersion'], extreme('99999999.0\n')),
        probe(['xcode-select', '-p'], extreme('/\n')),
        probe(['id', '-Gn'], extreme(groups)),
        probe(['codesign', '--verify', '--verbose=2', DLV], extreme('', garbage, 3)),
        probe(['xattr', '-p', 'com.apple.quarantine', DLV], extreme(garbage)),
        probe([SOCKETFILTERFW, '--getglobalstate'], extreme(garbage)),
      ],
    });
    const started = Date.now();
    const report = await runDoctor({ host: new ReplayHost(rec), workspace: rec.workspace! });
    assert.ok(Date.now() - started < 10_000, `${Date.now() - started} ms`);
    for (const row of report.checks) {
      assert.ok(['pass', 'warn', 'fail', 'skip', 'error'].includes(row.status), `${row.id}: ${row.status}`);
      assert.ok(!row.summary.includes('\n'), `${row.id}: one line`);
      assert.ok(row.summary.length < 1_000, `${row.id}: ${row.summary.length} characters`);
      assert.doesNotMatch(row.summary, /TypeError|RangeError|undefined|NaN/, row.id);
    }
    const row = (id: string) => report.checks.find((c) => c.id === id)!;
    // A version no macOS has is not believed, and not called too old either.
    assert.notEqual(row('mac.os').status, 'pass', row('mac.os').summary);
    // "/" is not a developer folder with debugserver in it.
    assert.notEqual(row('mac.debugserver').summary, '', 'a verdict');
  });

  it('macOS older than the Go in use supports (10.13.6 with Go 1.21, which needs 10.15): fail', async () => {
    const rec = intelMac({
      dlvFile: dlv121,
      dlvVersionText: text121,
      without: ['sw_vers -productVersion'],
      probes: [probe(['sw_vers', '-productVersion'], mac.SW_VERS_PRODUCT_10_13_6)],
    });
    const r = (await replay(rec))('mac.os');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /Go 1\.21 needs macOS 10\.15 Catalina or newer; this Mac runs macOS 10\.13\.6/);
  });

  it("no Command Line Tools and no Xcode selected: no debugserver, with Delve's own words and the fix", async () => {
    const rec = intelMac({
      dlvFile: dlv121,
      dlvVersionText: text121,
      without: ['xcode-select -p'],
      probes: [probe(['xcode-select', '-p'], mac.XCODE_SELECT_UNSET)],
    });
    delete rec.files[XCODE];
    delete rec.files[XCODE_DEBUGSERVER];
    const r = (await replay(rec))('mac.debugserver');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /no Command Line Tools or Xcode is selected/);
    assert.match(r.detail!, /debugserver or lldb-server not found/);
    assert.equal(r.fixes[0]!.command, 'xcode-select --install');
  });

  it('xcode-select names an Xcode that is gone: fail, with the reset command to copy (never run)', async () => {
    const rec = intelMac({ dlvFile: dlv121, dlvVersionText: text121 });
    delete rec.files[XCODE];
    delete rec.files[XCODE_DEBUGSERVER];
    const r = (await replay(rec))('mac.debugserver');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /xcode-select points at \/Applications\/Xcode\.app\/Contents\/Developer, which does not exist/);
    assert.ok(r.fixes.some((f) => f.command === 'sudo xcode-select --reset'));
  });

  it('x86_64 Go and dlv on an Apple Silicon Mac under Rosetta (go-delve/delve#3592): fail', async () => {
    const r = (await replay(rosettaMac()))('mac.cpu');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /Apple Silicon Mac runs the doctor under Rosetta/);
    assert.match(r.detail!, /can not run under Rosetta/);
  });

  it('under Rosetta, the verdict says the x86_64 dlv it read must be rebuilt for arm64', async () => {
    const r = (await replay(rosettaMac()))('mac.cpu');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /The dlv at ~\/go\/bin\/dlv is an x86_64 build \(read from the file\): it must be rebuilt for arm64/);
    const rebuild = r.fixes.find((f) => f.action === 'installDlv');
    assert.match(rebuild!.command!, /^GOARCH=arm64 go install github\.com\/go-delve\/delve\/cmd\/dlv@/);
  });

  it('sysctl missing: says it could not tell Intel from Apple Silicon (uname -m is x86_64 under Rosetta too)', async () => {
    const rec = intelMac({ dlvFile: dlv121, dlvVersionText: text121, without: ['sysctl sysctl.proc_translated'] });
    const r = (await replay(rec))('mac.cpu');
    assert.equal(r.status, 'warn');
    assert.match(
      r.summary,
      /^Could not tell whether this Mac is Intel or Apple Silicon: `sysctl hw\.optional\.arm64` could not run and `sysctl sysctl\.proc_translated` could not run, and uname -m says x86_64/,
    );
    assert.doesNotMatch(r.summary, /Intel Mac \(/);
  });

  it('sysctl timed out: the same, never "Intel"', async () => {
    const timedOut = (name: string): RecordedProbe => ({
      argv: ['sysctl', name],
      stdout: '',
      stderr: '',
      exitCode: null,
      outcome: 'timeout',
      provenance: 'a probe that timed out prints nothing: there is no output to quote',
    });
    const rec = intelMac({
      dlvFile: dlv121,
      dlvVersionText: text121,
      without: ['sysctl sysctl.proc_translated'],
      probes: [timedOut('hw.optional.arm64'), timedOut('sysctl.proc_translated')],
    });
    const r = (await replay(rec))('mac.cpu');
    assert.equal(r.status, 'warn');
    assert.match(r.summary, /`sysctl hw\.optional\.arm64` timed out and `sysctl sysctl\.proc_translated` timed out/);
  });

  it('native Apple Silicon with an x86_64 dlv: fail, and the fix reinstalls dlv', async () => {
    const rec = intelMac({
      dlvFile: dlv121,
      dlvVersionText: text121,
      without: ['uname -m', 'sysctl sysctl.proc_translated'],
      probes: [
        probe(['uname', '-m'], mac.UNAME_A_M1, 'the machine field of this `uname -a` is what `uname -m` prints'),
        probe(['sysctl', 'hw.optional.arm64'], mac.SYSCTL_HW_OPTIONAL_M1, 'the hw.optional.arm64 line of this listing'),
        probe(['sysctl', 'sysctl.proc_translated'], mac.SYSCTL_TRANSLATED_NATIVE),
      ],
    });
    const r = (await replay(rec))('mac.cpu');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /dlv at ~\/go\/bin\/dlv is built for x86_64, but this is an Apple Silicon Mac \(arm64\)/);
    assert.equal(r.fixes[0]!.action, 'installDlv');
  });

  it('a quarantined dlv: fail, with the xattr command to copy', async () => {
    const rec = intelMac({
      dlvFile: dlv121,
      dlvVersionText: text121,
      without: ['xattr -p'],
      probes: [
        probe(
          ['xattr', '-p', 'com.apple.quarantine', DLV],
          mac.XATTR_QUARANTINE_LEGACY,
          '`xattr -l` form; the value after the name is what `xattr -p` prints',
        ),
      ],
    });
    const r = (await replay(rec))('mac.quarantine');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /quarantined \(downloaded by Firefox\)/);
    assert.equal(r.fixes[0]!.command, "xattr -d com.apple.quarantine '~/go/bin/dlv'");
  });

  it('the firewall blocks all incoming connections: a warning that ties it to where dlv listens', async () => {
    const rec = intelMac({
      dlvFile: dlv121,
      dlvVersionText: text121,
      without: [`${SOCKETFILTERFW} --getglobalstate`],
      probes: [probe([SOCKETFILTERFW, '--getglobalstate'], mac.FW_BLOCKING_ALL)],
    });
    const r = (await replay(rec))('mac.firewall');
    assert.equal(r.status, 'warn');
    assert.match(r.summary, /blocks all incoming connections.*127\.0\.0\.1/);
  });

  it('an unsigned go-installed dlv with --backend=native: fail, pointing at the default backend', async () => {
    const r = (await replay(intelMac({ dlvFile: dlv121, dlvVersionText: text121 }), 'native'))('mac.signature');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /built without macnative and not certificate-signed/);
    assert.match(r.fixes[0]!.label, /default backend/);
  });

  it('a Go 1.25 program (go.mod, GOTOOLCHAIN=auto) with a dlv built by Go 1.24: the DWARF 5 row fails, from the Mach-O itself', async () => {
    const rec = intelMac({
      dlvFile: dlv1263go124,
      dlvVersionText: text1263,
      goMod: 'module example.com/app\n\ngo 1.25.0\n',
      env: { GOTOOLCHAIN: 'auto' },
    });
    const row = await replay(rec);
    assert.match(row('workspace.go').summary, /go1\.25\.0/);
    assert.equal(row('compat.delveGo').status, 'pass');
    const r = row('compat.dwarf5');
    assert.equal(r.status, 'fail');
    assert.match(r.summary, /dlv was built with go1\.24\.13/);
    assert.match(r.evidence[0]!.value, /build information in ~\/go\/bin\/dlv/);
  });

  describe('LC_UUID and macOS 26 (go-delve/delve#4162)', () => {
    let dlvNoUuid: RecordedFile;
    let text1212 = '';
    before(async () => {
      // The same Delve, built for darwin/amd64 by go1.23.1 (fetched through the module proxy): no LC_UUID.
      const file = await darwinDlv(root, 'v1.21.2', 'go1.23.1');
      const info = await inspectFile(file);
      assert.equal(info.slices[0]!.goBuildInfo?.goVersion, 'go1.23.1');
      assert.equal(info.slices[0]!.uuid, null);
      dlvNoUuid = await binaryFacts(file);
      text1212 = text121;
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
      const rec = intelMac({
        dlvFile: dlvNoUuid,
        dlvVersionText: text1212,
        goMod: 'module example.com/app\n\ngo 1.25.0\n',
        env: { GOTOOLCHAIN: 'auto' },
        without: ['sw_vers -productVersion'],
        probes: [probe(['sw_vers', '-productVersion'], mac.SW_VERS_PRODUCT_26_0)],
      });
      const r = (await replay(rec))('mac.uuid');
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
      const rec = intelMac({
        dlvFile: dlv121,
        dlvVersionText: text121,
        without: ['sw_vers -productVersion'],
        probes: [probe(['sw_vers', '-productVersion'], mac.SW_VERS_PRODUCT_26_0)],
      });
      const r = (await replay(rec))('mac.uuid');
      assert.equal(r.status, 'fail');
      assert.match(r.summary, /programs here are built with go1\.21\.4, whose linker writes no LC_UUID/);
      assert.doesNotMatch(r.summary, /dlv at/);
      assert.match(r.fixes[0]!.label, /Build with Go 1\.24 or newer/);
    });

    it('macOS 26, dlv and program both from Go 1.24+: pass', async () => {
      const rec = intelMac({
        dlvFile: dlv121,
        dlvVersionText: text121,
        goMod: 'module example.com/app\n\ngo 1.25.0\n',
        env: { GOTOOLCHAIN: 'auto' },
        without: ['sw_vers -productVersion'],
        probes: [probe(['sw_vers', '-productVersion'], mac.SW_VERS_PRODUCT_26_0)],
      });
      const r = (await replay(rec))('mac.uuid');
      assert.equal(r.status, 'pass', r.summary);
      assert.match(r.evidence.find((e) => e.label.startsWith('dlv LC_UUID'))!.value, /x86_64: [0-9A-F-]{36}/);
    });

    it('macOS 12 with a dlv built by go1.23.1: a warning that macOS 26 will refuse it', async () => {
      const rec = intelMac({
        dlvFile: dlvNoUuid,
        dlvVersionText: text1212,
        goMod: 'module example.com/app\n\ngo 1.25.0\n',
        env: { GOTOOLCHAIN: 'auto' },
      });
      const r = (await replay(rec))('mac.uuid');
      assert.equal(r.status, 'warn');
      assert.match(r.summary, /^Works on macOS 12\.7\.4, but macOS 26 will refuse it/);
    });
  });

  it('no check runs sudo, a shell, or anything that changes the machine: only the documented read-only commands', () => {
    assert.ok(commandsRun.length > 50);
    const allowed: RegExp[] = [
      /^\S*\/go (version|env -json( [A-Z0-9_]+)+)$/,
      /^\S*\/dlv version$/,
      /^\S*\/gopls version( -json)?$/,
      /^uname -m$/,
      /^sysctl (hw\.optional\.arm64|sysctl\.proc_translated)$/,
      /^sw_vers -productVersion$/,
      /^xcode-select -p$/,
      /^DevToolsSecurity -status$/,
      /^id -Gn$/,
      /^codesign --verify --verbose=2 \S+$/,
      /^xattr -p com\.apple\.quarantine \S+$/,
      /^\/usr\/libexec\/ApplicationFirewall\/socketfilterfw --get(globalstate|blockall|stealthmode|allowsigned|appblocked( \S+)?)$/,
    ];
    for (const argv of commandsRun) {
      const line = argv.join(' ');
      assert.ok(
        allowed.some((re) => re.test(line)),
        `unexpected command: ${line}`,
      );
      assert.ok(!/\b(sudo|sh|bash|zsh)\b/.test(argv[0]!), line);
    }
  });
});
