import type { Host } from '../probes/host';

/**
 * What on this Linux machine (or container) stands between Delve and ptrace, read from /proc (no
 * process): Yama's ptrace_scope, the seccomp mode and CAP_SYS_PTRACE in the effective capabilities.
 * Sources: Linux Documentation/admin-guide/LSM/Yama.rst, proc(5) "Seccomp" and "CapEff",
 * capabilities(7) (CAP_SYS_PTRACE is bit 19), Delve's FAQ on containers
 * (go-delve/delve@v1.27.1 Documentation/faq.md: --security-opt=seccomp:unconfined, --cap-add=SYS_PTRACE).
 */
export interface PtraceFinding {
  /** Where the value was read. */
  source: string;
  value: string;
  /** 'blocks': forbids what failed; 'may-block': can forbid it; 'ok': not in the way. */
  verdict: 'blocks' | 'may-block' | 'ok';
  why: string;
  fix?: string;
}

const CAP_SYS_PTRACE = 19n;

export function parseProcStatus(text: string): { seccomp?: number; capEff?: bigint } {
  const seccomp = /^Seccomp:\s*(\d+)/m.exec(text)?.[1];
  const capEff = /^CapEff:\s*([0-9a-fA-F]+)/m.exec(text)?.[1];
  return {
    ...(seccomp !== undefined ? { seccomp: Number(seccomp) } : {}),
    ...(capEff !== undefined ? { capEff: BigInt(`0x${capEff}`) } : {}),
  };
}

/** `launch`: dlv starting the program (fork/exec under trace); `attach`: dlv attaching to a running process. */
export async function ptraceFindings(host: Host, what: 'launch' | 'attach'): Promise<PtraceFinding[]> {
  if (host.platform !== 'linux') return [];
  const findings: PtraceFinding[] = [];
  const scopeText = await host.readText('/proc/sys/kernel/yama/ptrace_scope', 64);
  const scope = scopeText === undefined ? undefined : Number(scopeText.trim());
  if (scope === undefined || Number.isNaN(scope)) {
    findings.push({
      source: '/proc/sys/kernel/yama/ptrace_scope',
      value: 'absent',
      verdict: 'ok',
      why: 'Yama is not active here, so it restricts nothing.',
    });
  } else if (scope >= 3) {
    findings.push({
      source: '/proc/sys/kernel/yama/ptrace_scope',
      value: String(scope),
      verdict: 'blocks',
      why: 'ptrace_scope 3 forbids every ptrace use until the next reboot, even of a child process.',
      fix: 'Reboot with a lower kernel.yama.ptrace_scope (it cannot be lowered at run time from 3).',
    });
  } else if (scope === 2) {
    findings.push({
      source: '/proc/sys/kernel/yama/ptrace_scope',
      value: '2',
      verdict: what === 'attach' ? 'blocks' : 'ok',
      why: 'ptrace_scope 2 lets only processes with CAP_SYS_PTRACE attach; starting a program under dlv is not affected.',
      ...(what === 'attach'
        ? { fix: 'echo 1 | sudo tee /proc/sys/kernel/yama/ptrace_scope, or start the program under dlv instead of attaching.' }
        : {}),
    });
  } else if (scope === 1) {
    findings.push({
      source: '/proc/sys/kernel/yama/ptrace_scope',
      value: '1',
      verdict: what === 'attach' ? 'blocks' : 'ok',
      why: 'ptrace_scope 1 lets a process trace only its own descendants: attaching to a program dlv did not start is refused; starting one is fine.',
      ...(what === 'attach'
        ? { fix: 'echo 0 | sudo tee /proc/sys/kernel/yama/ptrace_scope (until the next reboot), or start the program under dlv.' }
        : {}),
    });
  } else {
    findings.push({
      source: '/proc/sys/kernel/yama/ptrace_scope',
      value: String(scope),
      verdict: 'ok',
      why: 'ptrace_scope 0: classic ptrace rules, no Yama restriction.',
    });
  }
  const status = parseProcStatus((await host.readText('/proc/self/status', 64 * 1024)) ?? '');
  if (status.seccomp === 2) {
    findings.push({
      source: '/proc/self/status Seccomp',
      value: '2 (filter)',
      verdict: 'may-block',
      why: 'A seccomp filter is active, as container runtimes install by default; their default profiles can refuse ptrace or the personality call Delve makes to turn off address randomisation, which shows as "operation not permitted".',
      fix: 'Run the container with --security-opt seccomp=unconfined (docker run, or security_opt in docker-compose).',
    });
  } else if (status.seccomp === 1) {
    findings.push({
      source: '/proc/self/status Seccomp',
      value: '1 (strict)',
      verdict: 'blocks',
      why: 'Strict seccomp allows only read, write, exit and sigreturn.',
    });
  } else if (status.seccomp === 0) {
    findings.push({ source: '/proc/self/status Seccomp', value: '0 (disabled)', verdict: 'ok', why: 'No seccomp filter.' });
  }
  if (status.capEff !== undefined) {
    const hasPtrace = ((status.capEff >> CAP_SYS_PTRACE) & 1n) === 1n;
    const value = `${status.capEff.toString(16).padStart(16, '0')} (CAP_SYS_PTRACE ${hasPtrace ? 'present' : 'absent'})`;
    if (hasPtrace)
      findings.push({ source: '/proc/self/status CapEff', value, verdict: 'ok', why: 'CAP_SYS_PTRACE is in the effective set.' });
    else
      findings.push({
        source: '/proc/self/status CapEff',
        value,
        verdict: what === 'attach' ? 'may-block' : 'ok',
        why: 'Without CAP_SYS_PTRACE a process may trace only processes of its own user that ptrace_scope allows; starting a program under dlv does not need it.',
        ...(what === 'attach' ? { fix: 'Run the container with --cap-add=SYS_PTRACE.' } : {}),
      });
  }
  return findings;
}

/** One paragraph for a message: which setting blocks ptrace here, and the fix. */
export function describePtraceFindings(findings: readonly PtraceFinding[]): string | undefined {
  if (!findings.length) return undefined;
  const blocking = findings.filter((f) => f.verdict !== 'ok');
  const lines = findings.map(
    (f) =>
      `${f.verdict === 'blocks' ? 'BLOCKS' : f.verdict === 'may-block' ? 'may block' : 'ok'}: ${f.source} = ${f.value}. ${f.why}${f.fix ? ` Fix: ${f.fix}` : ''}`,
  );
  const head = blocking.length
    ? `On this machine ${blocking.map((f) => f.source).join(' and ')} ${blocking.length > 1 ? 'are' : 'is'} in the way of ptrace:`
    : 'Nothing in /proc forbids ptrace here (the refusal comes from elsewhere, e.g. an AppArmor or SELinux policy, or a file system mounted noexec):';
  return [head, ...lines].join('\n');
}
