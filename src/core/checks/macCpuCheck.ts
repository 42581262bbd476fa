import type { BinaryInfo } from '../binary/inspect';
import type { Facts } from '../facts/facts';
import { recommendedDelve } from '../knowledge';
import { macFactsOf } from '../facts/macFacts';
import { goInstallArgs } from '../knowledge/tools';
import { shellQuote } from '../probes/display';
import { probeEvidence, type Check, type Evidence, type Fix } from './types';
import { MAC } from './macOnly';

function archs(info: BinaryInfo | undefined): string[] {
  return info?.slices.map((s) => s.arch) ?? [];
}

/** Can a binary with these slices run natively on this CPU? */
function runsNatively(slices: string[], cpu: 'x86_64' | 'arm64'): boolean {
  return cpu === 'arm64' ? slices.some((a) => a === 'arm64' || a === 'arm64e') : slices.includes('x86_64');
}

export const macCpuCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.cpu',
  title: 'Mac CPU, Rosetta and binary architectures',
  async run(facts) {
    const mac = macFactsOf(facts);
    const [uname, arm64, translated, go, dlv, debugserver, env] = await Promise.all([
      mac.uname(),
      mac.arm64Hardware(),
      mac.translated(),
      facts.goLocation(),
      facts.dlvBinary(),
      mac.debugserver(),
      facts.goEnv(),
    ]);
    const evidence: Evidence[] = [probeEvidence(uname.probe), probeEvidence(arm64.probe), probeEvidence(translated.probe)];
    // Only an answer counts: a sysctl that timed out or did not run says nothing, and uname -m prints
    // x86_64 under Rosetta too. "unknown oid" is an answer: Intel Macs have neither key.
    const unknownOid = (p: typeof arm64.probe) => /unknown oid/.test(p.stderr + p.stdout);
    const arm64Said =
      arm64.probe.outcome === 'ok' && arm64.value !== undefined ? arm64.value === '1' : unknownOid(arm64.probe) ? false : undefined;
    const translatedSaid =
      translated.probe.outcome === 'ok' && translated.value !== undefined
        ? translated.value
        : unknownOid(translated.probe)
          ? 'absent'
          : undefined;
    const underRosetta = translatedSaid === '1';
    const appleSilicon = arm64Said === true || underRosetta || (uname.value === 'arm64' && uname.probe.outcome === 'ok');
    const known = appleSilicon || arm64Said === false || translatedSaid === 'absent';
    const cpu: 'x86_64' | 'arm64' = appleSilicon ? 'arm64' : 'x86_64';
    const machine = appleSilicon
      ? 'Apple Silicon Mac'
      : known && uname.value === 'x86_64'
        ? 'Intel Mac'
        : `Mac (uname -m: ${uname.value ?? 'unknown'})`;
    const binaries: Array<[string, string | undefined, string[]]> = [];
    const goInfo = go.found ? await facts.readBinary(go.found.path) : undefined;
    binaries.push(['go', go.found?.path, archs(goInfo?.info)]);
    binaries.push(['dlv', dlv?.path, archs(dlv?.info)]);
    const dsInfo = debugserver.path ? await facts.readBinary(debugserver.path) : undefined;
    binaries.push(['debugserver', debugserver.path, archs(dsInfo?.info)]);
    evidence.push({
      label: 'binary architectures (read from the files)',
      value: binaries.map(([n, p, a]) => `${n}: ${p ? `${a.join(', ') || 'unreadable'} (${p})` : 'not found'}`).join('\n'),
    });
    const fixes: Fix[] = [];
    if (underRosetta) {
      const x86Only = binaries.filter(([, p, a]) => p && a.length && !runsNatively(a, 'arm64'));
      const dlvX86 = x86Only.find(([n]) => n === 'dlv');
      const rebuild = dlvX86
        ? `dlv at ${dlvX86[1]} is an ${dlvX86[2].join('+')} build (read from the file): it must be rebuilt for arm64 with an arm64 Go, or it keeps running under Rosetta.`
        : undefined;
      return {
        status: 'fail',
        summary: `This ${machine} runs the doctor under Rosetta (sysctl.proc_translated=1): VS Code or the terminal is an x86_64 build, and Delve refuses to debug under Rosetta.${rebuild ? ` The ${rebuild}` : ''}`,
        detail: [
          'Delve says: can not run under Rosetta, check that the installed build of Go is right for your CPU architecture',
          ...x86Only
            .filter(([n]) => n !== 'dlv')
            .map(([n, p, a]) => `${n} at ${p} is an ${a.join('+')} build: replace it with the arm64 one.`),
        ].join('\n'),
        evidence,
        fixes: [
          {
            label: 'Install the Apple Silicon (arm64 or Universal) build of VS Code, then the arm64 Go from https://go.dev/dl/',
            url: 'https://code.visualstudio.com/download',
          },
          ...(dlvX86
            ? [
                {
                  label: 'Then rebuild dlv for arm64 (with the arm64 Go, from an arm64 terminal)',
                  command: 'GOARCH=arm64 go install github.com/go-delve/delve/cmd/dlv@latest',
                  action: 'installDlv' as const,
                },
              ]
            : []),
        ],
        sources: ['go-delve/delve@v1.27.1 pkg/proc/macutil/rosetta_darwin.go (CheckRosetta)'],
      };
    }
    if (!known) {
      const silent = [arm64, translated]
        .filter((p) => p.probe.outcome !== 'ok' && !unknownOid(p.probe))
        .map(
          (p) =>
            `\`${p.probe.argv.join(' ')}\` ${p.probe.outcome === 'timeout' ? 'timed out' : p.probe.outcome === 'not-found' ? 'could not run' : `failed (${p.probe.error ?? `exit ${p.probe.exitCode}`})`}`,
        );
      return {
        status: 'warn',
        summary: `Could not tell whether this Mac is Intel or Apple Silicon: ${silent.join(' and ') || 'sysctl gave no answer'}, and uname -m says ${uname.value ?? 'nothing'}, which Rosetta also reports.`,
        detail:
          'Run `sysctl hw.optional.arm64 sysctl.proc_translated` in a terminal: "1" for hw.optional.arm64 means Apple Silicon, "unknown oid" means Intel.',
        evidence,
      };
    }
    const foreign = binaries.filter(([, p, a]) => p && a.length && !runsNatively(a, cpu));
    const goArch = env?.value?.GOARCH;
    if (appleSilicon && goArch === 'amd64') {
      fixes.push({ label: 'Build for this CPU', command: 'go env -u GOARCH' });
      return {
        status: 'fail',
        summary:
          'GOARCH=amd64 on an Apple Silicon Mac: programs are built for x86_64 and run under Rosetta, where Delve cannot debug them.',
        evidence,
        fixes,
        sources: ['go-delve/delve@v1.27.1 pkg/proc/macutil/rosetta_darwin.go (CheckRosetta)'],
      };
    }
    if (foreign.length) {
      const [name, file, a] = foreign[0]!;
      if (name === 'dlv' || name === 'go') {
        const rec = await facts.effectiveGo().then((e) => (e ? recommendedDelve(e.version) : undefined));
        fixes.push(
          name === 'dlv'
            ? {
                label: `Reinstall dlv with a ${cpu === 'arm64' ? 'arm64' : 'x86_64'} go${rec ? ` (Delve ${rec.version})` : ''}`,
                command: shellQuote(goInstallArgs('dlv', rec?.version ?? 'latest')),
                action: 'installDlv',
                ...(rec ? { data: { dlvVersion: rec.version } } : {}),
              }
            : {
                label: `Install the ${cpu === 'arm64' ? 'arm64' : 'amd64'} Go for macOS from https://go.dev/dl/`,
                url: 'https://go.dev/dl/',
              },
        );
      }
      return {
        status: 'fail',
        summary: `${name} at ${file} is built for ${a.join('+')}, but this is an ${machine} (${cpu}): ${cpu === 'arm64' ? 'it would run under Rosetta, which Delve refuses' : 'it cannot run here'}.`,
        evidence,
        fixes,
      };
    }
    return {
      status: 'pass',
      summary: `${machine} (${cpu}), not under Rosetta; go, dlv and debugserver are built for it.`,
      evidence,
    };
  },
};
