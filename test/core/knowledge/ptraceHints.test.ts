import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { describePtraceFindings, parseProcStatus, ptraceFindings } from '../../../src/core/knowledge/ptraceHints';
import { DelegatingHost, LiveHost } from '../../../src/core/probes/host';
import { runProcess } from '../../../src/core/probes/runProcess';
import { DELVE_ERROR_REPORTS } from '../../fixtures/delve-error-reports';

const CLI = path.resolve('dist/cli.js');

/** This machine's host, with chosen /proc files in place of the real ones (values from proc(5) and Yama.rst). */
class ProcHost extends DelegatingHost {
  constructor(private readonly files: Record<string, string | undefined>) {
    super(new LiveHost());
  }
  override readText(file: string, maxBytes?: number) {
    return file in this.files ? Promise.resolve(this.files[file]) : super.readText(file, maxBytes);
  }
}

describe('what stands between dlv and ptrace on Linux (read from /proc)', () => {
  it('reads this machine as it is', async (t) => {
    if (process.platform !== 'linux') return t.skip('Linux only');
    const findings = await ptraceFindings(new LiveHost(), 'launch');
    const status = parseProcStatus(readFileSync('/proc/self/status', 'utf8'));
    const scope = findings.find((f) => f.source.endsWith('ptrace_scope'))!;
    if (existsSync('/proc/sys/kernel/yama/ptrace_scope'))
      assert.equal(scope.value, readFileSync('/proc/sys/kernel/yama/ptrace_scope', 'utf8').trim());
    else assert.equal(scope.value, 'absent');
    assert.match(findings.find((f) => f.source.endsWith('Seccomp'))!.value, new RegExp(`^${status.seccomp}`));
    const cap = findings.find((f) => f.source.endsWith('CapEff'))!;
    assert.equal(cap.value.includes('CAP_SYS_PTRACE present'), ((status.capEff! >> 19n) & 1n) === 1n);
  });

  it('names the blocker: Yama 3 for everything, Yama 1 for attach only, a seccomp filter, a missing CAP_SYS_PTRACE', async () => {
    const status = (seccomp: number, capEff: string) => `Name:\tdlv\nCapEff:\t${capEff}\nSeccomp:\t${seccomp}\n`;
    const docker = new ProcHost({ '/proc/sys/kernel/yama/ptrace_scope': '1\n', '/proc/self/status': status(2, '00000000a80425fb') });
    const launch = await ptraceFindings(docker, 'launch');
    assert.deepEqual(
      launch.map((f) => f.verdict),
      ['ok', 'may-block', 'ok'],
    );
    assert.match(describePtraceFindings(launch)!, /^On this machine \/proc\/self\/status Seccomp is in the way of ptrace:/);
    assert.match(describePtraceFindings(launch)!, /seccomp=unconfined/);
    const attach = await ptraceFindings(docker, 'attach');
    assert.deepEqual(
      attach.map((f) => f.verdict),
      ['blocks', 'may-block', 'may-block'],
    );
    assert.match(describePtraceFindings(attach)!, /--cap-add=SYS_PTRACE/);
    const locked = await ptraceFindings(
      new ProcHost({ '/proc/sys/kernel/yama/ptrace_scope': '3\n', '/proc/self/status': status(0, '000001ffffffffff') }),
      'launch',
    );
    assert.deepEqual(
      locked.map((f) => f.verdict),
      ['blocks', 'ok', 'ok'],
    );
  });

  it("`explain` adds them to Delve's container refusal (olivere/go-container-debugging#2)", async (t) => {
    if (process.platform !== 'linux') return t.skip('Linux only');
    const report = DELVE_ERROR_REPORTS.find((r) => r.expect.includes('fork-exec-not-permitted'))!;
    const probe = await runProcess([process.execPath, CLI, 'explain', report.text], { timeoutMs: 30_000 });
    assert.equal(probe.exitCode, 0, probe.stderr);
    assert.match(probe.stdout, /cause: The container or sandbox forbids ptrace/);
    assert.match(probe.stdout, /\/proc\/self\/status Seccomp = /);
    assert.match(probe.stdout, /(On this machine .* in the way of ptrace|Nothing in \/proc forbids ptrace here)/);
  });
});
