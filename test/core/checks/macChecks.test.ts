import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runDoctor } from '../../../src/core/checks/doctor';
import { SOCKETFILTERFW } from '../../../src/core/facts/macFacts';
import { ReplayHost } from '../../../src/core/probes/recording';
import * as mac from '../../fixtures/mac-outputs';
import { DLV, intelMac, probe, realDarwinDlv, replay, replayReport } from '../../fixtures/mac-machines';
import { everyScenario, healthyIntelMac, type DarwinDlvs } from '../../fixtures/mac-scenarios';
import { tempDir } from '../../helpers';

describe('macOS checks on replayed real Mac outputs', () => {
  const root = tempDir('gdd-mac-');
  let d: DarwinDlvs;
  before(async () => {
    const [v121, v1263go124, v121go123] = await Promise.all([
      realDarwinDlv(root, 'v1.21.2', 'auto', 'dlv-old'),
      realDarwinDlv(root, 'v1.26.3', 'go1.24.13', 'dlv-dwarf4'),
      realDarwinDlv(root, 'v1.21.2', 'go1.23.1', 'dlv-old'),
    ]);
    d = { v121, v1263go124, v121go123 };
  });

  it('a healthy Intel Mac: every Mac row passes or says what it could not tell', async () => {
    const row = await replay(healthyIntelMac(d.v121));
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
      dlvFile: d.v121.file,
      dlvVersionText: d.v121.versionText,
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

  it('no check runs sudo, a shell, or anything that changes the machine: only the documented read-only commands', async () => {
    const commandsRun: string[][] = [];
    for (const scenario of everyScenario(d)) commandsRun.push(...(await replayReport(scenario)).probes.map((p) => p.argv));
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
