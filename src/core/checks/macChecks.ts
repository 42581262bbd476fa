import type { BinaryInfo } from '../binary/inspect';
import type { Facts } from '../facts/facts';
import {
  buildGoFor,
  delveMacOSIssuesFor,
  goRelease,
  recommendedDelve,
  LC_UUID_DYLD_MESSAGE,
  LC_UUID_GO,
  LC_UUID_MACOS,
  LC_UUID_SOURCES,
} from '../knowledge';
import { macFactsOf } from '../facts/macFacts';
import { compareMacOS } from '../facts/macParsers';
import { compareGo, compareGoMinor, formatGoVersion, goMinor } from '../facts/versions';
import { goInstallArgs } from '../knowledge/tools';
import { shellQuote } from '../probes/display';
import { probeEvidence, type Check, type Evidence, type Fix } from './types';

/** Every check here runs on macOS only; the engine skips them elsewhere. */
const MAC: Pick<Check<Facts>, 'platforms'> = { platforms: ['darwin'] };

const DELVE_INSTALL_DOC = 'go-delve/delve@v1.27.1 Documentation/installation/README.md "macOS considerations"';

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

export const macOSVersionCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.os',
  title: 'macOS version',
  async run(facts) {
    const [sw, effective, dlv] = await Promise.all([macFactsOf(facts).productVersion(), facts.effectiveGo(), facts.dlvVersion()]);
    const evidence = [probeEvidence(sw.probe)];
    const version = sw.value;
    if (!version) return { status: 'warn', summary: '`sw_vers -productVersion` printed something unrecognised.', evidence };
    const release = effective ? goRelease(effective.version) : undefined;
    if (effective && release && compareMacOS(version, release.minMacOS) < 0) {
      return {
        status: 'fail',
        summary: `Go ${goMinor(effective.version)} needs macOS ${release.minMacOS} ${release.macOSName} or newer; this Mac runs macOS ${version}.`,
        evidence,
        fixes: [
          {
            label: `Update macOS, or use an older Go whose release notes still list macOS ${version}`,
            url: 'https://go.dev/doc/devel/release',
          },
        ],
        sources: [release.macOSSource],
      };
    }
    const issues = dlv?.value ? delveMacOSIssuesFor(dlv.value.version, version) : [];
    if (issues.length) {
      const first = issues[0]!;
      const rec = effective ? recommendedDelve(effective.version) : undefined;
      return {
        status: 'warn',
        summary: `Delve ${dlv!.value!.version} has a known problem on macOS ${version}: ${first.summary}`,
        detail:
          issues
            .slice(1)
            .map((i) => i.summary)
            .join('\n') || undefined,
        evidence,
        fixes: rec
          ? [
              {
                label: `Install Delve ${rec.version}${first.fixedIn ? ` (fixed in ${first.fixedIn})` : ''}`,
                command: shellQuote(goInstallArgs('dlv', rec.version)),
                action: 'installDlv',
                data: { dlvVersion: rec.version },
              },
            ]
          : [],
        sources: issues.map((i) => i.source),
      };
    }
    return {
      status: 'pass',
      summary: `macOS ${version}${release && effective ? `; Go ${goMinor(effective.version)} runs on macOS ${release.minMacOS} and newer` : ''}${dlv?.value ? `; no known Delve ${dlv.value.version} problem on it` : ''}.`,
      evidence,
      ...(release ? { sources: [release.macOSSource] } : {}),
    };
  },
};

export const debugserverCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.debugserver',
  title: 'Command Line Tools and debugserver',
  async run(facts) {
    const mac = macFactsOf(facts);
    const [choice, xcode] = await Promise.all([mac.debugserver(), mac.xcodeSelect()]);
    const evidence: Evidence[] = [
      probeEvidence(xcode.probe),
      {
        label: 'where Delve looks, in order',
        value: choice.looked.map((l) => `${l.exists ? 'found  ' : 'missing'} ${l.path} (${l.rule})`).join('\n'),
      },
    ];
    const sources = ['go-delve/delve@v1.27.1 pkg/proc/gdbserial/gdbserver.go (debugserver search order)'];
    const staleDir =
      choice.developerDir && choice.developerDirExists === false
        ? `xcode-select points at ${choice.developerDir}, which does not exist (Xcode moved or removed).`
        : undefined;
    if (!choice.path) {
      const fixes: Fix[] = [{ label: 'Install the Command Line Tools', command: 'xcode-select --install' }];
      if (staleDir)
        fixes.push({
          label: 'Point xcode-select back at the default tools (needs an administrator)',
          command: 'sudo xcode-select --reset',
        });
      return {
        status: 'fail',
        summary: `No debugserver: ${staleDir ?? (choice.developerDir ? `neither the Command Line Tools nor ${choice.developerDir} has one.` : 'no Command Line Tools or Xcode is selected.')} Delve will say "debugserver or lldb-server not found".`,
        detail:
          "Delve says: could not launch process: debugserver or lldb-server not found: install Xcode's command line tools or lldb-server",
        evidence,
        fixes,
        sources: [...sources, DELVE_INSTALL_DOC],
      };
    }
    if (choice.via === 'DELVE_DEBUGSERVER_PATH' && !choice.looked[0]?.exists) {
      return {
        status: 'fail',
        summary: `DELVE_DEBUGSERVER_PATH names ${choice.path}, which does not exist; Delve uses it without looking and fails at launch.`,
        evidence,
        fixes: [{ label: 'Unset DELVE_DEBUGSERVER_PATH (or point it at a real debugserver)', command: 'unset DELVE_DEBUGSERVER_PATH' }],
        sources,
      };
    }
    const [binary, verify] = await Promise.all([facts.readBinary(choice.path), mac.codesignVerify(choice.path)]);
    evidence.push(probeEvidence(verify.probe));
    const sig = binary.info?.slices[0]?.signature;
    const signedByCertificate = binary.info?.slices.every((s) => s.signature?.hasCms) ?? false;
    if (binary.info && !signedByCertificate) {
      return {
        status: 'warn',
        summary: `debugserver at ${choice.path} is ${sig ? 'signed ad hoc' : 'not signed'}: only Apple's signed debugserver may control other processes.`,
        evidence,
        fixes: [{ label: 'Reinstall the Command Line Tools', command: 'xcode-select --install' }],
        sources,
      };
    }
    return {
      status: staleDir ? 'warn' : 'pass',
      summary: `Delve will use ${choice.path} (via ${choice.via})${sig?.identifier ? `, signed (${sig.identifier})` : ''}.${staleDir ? ` ${staleDir}` : ''}`,
      evidence,
      ...(staleDir
        ? {
            fixes: [
              {
                label: 'Point xcode-select at an existing developer folder (needs an administrator)',
                command: 'sudo xcode-select --reset',
              },
            ],
          }
        : {}),
      sources,
    };
  },
};

export const devToolsCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.devtools',
  title: 'Developer mode and the _developer group',
  async run(facts) {
    const [dts, groups] = await Promise.all([macFactsOf(facts).devToolsSecurity(), macFactsOf(facts).groups()]);
    const evidence = [probeEvidence(dts.probe), probeEvidence(groups.probe)];
    const inGroup = groups.value?.includes('_developer');
    const fixes: Fix[] = [];
    const problems: string[] = [];
    if (dts.value === 'disabled') {
      problems.push(
        'developer mode is off, so macOS asks for an administrator password before each debug session, and a session started by VS Code or over SSH cannot show that prompt',
      );
      fixes.push({ label: 'Turn on developer mode (needs an administrator)', command: 'sudo /usr/sbin/DevToolsSecurity -enable' });
    }
    if (groups.value && !inGroup) {
      problems.push('you are not in the _developer group, which may debug other processes');
      fixes.push({
        label: 'Add yourself to _developer (needs an administrator; log out and in again)',
        command: 'sudo dscl . append /Groups/_developer GroupMembership $(whoami)',
      });
    }
    const sources = [DELVE_INSTALL_DOC];
    if (problems.length === 2) {
      return {
        status: 'fail',
        summary: `Debugging will stop at "stub exited while waiting for connection": ${problems.join('; and ')}.`,
        evidence,
        fixes,
        sources,
      };
    }
    if (problems.length === 1)
      return { status: 'warn', summary: `${problems[0]![0]!.toUpperCase()}${problems[0]!.slice(1)}.`, evidence, fixes, sources };
    if (dts.value === undefined || dts.value === 'unrecognised' || !groups.value) {
      return {
        status: 'warn',
        summary: `Could not tell: DevToolsSecurity ${dts.value === undefined ? 'is missing' : `said something unrecognised`}${groups.value ? '' : ' and the group list is unknown'}.`,
        evidence,
        sources,
      };
    }
    return { status: 'pass', summary: 'Developer mode is on and you are in the _developer group.', evidence, sources };
  },
};

export const dlvSignatureCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.signature',
  title: 'dlv code signature for the backend in use',
  async run(facts) {
    const dlv = await facts.dlvBinary();
    if (!dlv) return { status: 'skip', summary: 'Skipped: dlv was not found.' };
    const verify = await macFactsOf(facts).codesignVerify(dlv.path);
    const evidence = [probeEvidence(verify.probe)];
    const slices = dlv.info?.slices ?? [];
    const kinds = slices.map(
      (s) =>
        `${s.arch}: ${!s.signature ? 'unsigned' : s.signature.hasCms ? `certificate${s.signature.teamId ? ` (team ${s.signature.teamId})` : ''}${s.signature.runtime ? ', hardened runtime' : ''}` : s.signature.linkerSigned ? 'ad hoc (linker-signed)' : 'ad hoc'}`,
    );
    evidence.push({ label: 'signature (read from the file)', value: kinds.join('\n') || dlv.error || 'unreadable' });
    const sources = ['go-delve/delve@v1.27.1 pkg/proc/native/*_darwin.go (macnative build tag); Documentation/installation/README.md'];
    if (facts.backend === 'native') {
      const tags = slices.map((s) => s.goBuildInfo?.tags ?? '').join(',');
      const certificate = slices.every((s) => s.signature?.hasCms);
      if (!/\bmacnative\b/.test(tags) || !certificate) {
        return {
          status: 'fail',
          summary: `--backend=native needs a dlv built with the macnative tag and signed with a certificate; this dlv is ${/\bmacnative\b/.test(tags) ? '' : 'built without macnative'}${!/\bmacnative\b/.test(tags) && !certificate ? ' and ' : ''}${certificate ? '' : 'not certificate-signed'}, so Delve will say "native backend disabled during compilation".`,
          detail:
            "A `go install` build never has the native backend. The default backend (Apple's debugserver) needs no signature on dlv and is the one Delve recommends.",
          evidence,
          fixes: [{ label: 'Use the default backend: remove "backend": "native" from launch.json (or --backend=native from dlvFlags)' }],
          sources,
        };
      }
      return { status: 'pass', summary: 'dlv has the native backend and a certificate signature.', evidence, sources };
    }
    return {
      status: 'pass',
      summary: `No signature needed: with the ${facts.backend === 'default' ? 'default' : facts.backend} backend Delve drives Apple's signed debugserver. This dlv is ${kinds.map((k) => k.split(': ')[1]).join(' / ') || 'unreadable'}${slices.length === 1 && slices[0]!.arch === 'x86_64' && !slices[0]!.signature ? ', as every Go binary for Intel Macs is' : ''}.`,
      evidence,
      sources,
    };
  },
};

export const quarantineCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.quarantine',
  title: 'dlv quarantine',
  async run(facts) {
    const q = await macFactsOf(facts).dlvQuarantine();
    if (!q) return { status: 'skip', summary: 'Skipped: dlv was not found.' };
    const dlv = (await facts.dlvLocation()).found!.path;
    const evidence = [probeEvidence(q.probe)];
    if (q.value.state === 'quarantined') {
      return {
        status: 'fail',
        summary: `dlv is quarantined${q.value.agent ? ` (downloaded by ${q.value.agent})` : ''}: Gatekeeper may block it or show a prompt that VS Code cannot answer.`,
        evidence,
        fixes: [
          { label: 'Remove the quarantine flag', command: shellQuote(['xattr', '-d', 'com.apple.quarantine', dlv]) },
          { label: 'Or install dlv with go install, which never sets it', action: 'installDlv' },
        ],
      };
    }
    if (q.value.state === 'unrecognised') return { status: 'warn', summary: '`xattr` said something unrecognised about dlv.', evidence };
    return { status: 'pass', summary: 'dlv is not quarantined.', evidence };
  },
};

export const firewallCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.firewall',
  title: 'Application firewall',
  async run(facts) {
    const fw = await macFactsOf(facts).firewall();
    const evidence = [fw.global, fw.blockAll, fw.stealth, fw.allowSigned, fw.appBlocked]
      .filter((x) => x !== undefined)
      .map((x) => probeEvidence(x!.probe));
    const loopback = 'dlv-dap and the configurations Go Debug Doctor writes listen on 127.0.0.1, which the firewall never filters.';
    if (fw.global.value === undefined) return { status: 'skip', summary: 'socketfilterfw is not available here.', evidence };
    if (fw.global.value === 'unrecognised')
      return { status: 'warn', summary: 'socketfilterfw said something unrecognised about the firewall state.', evidence };
    if (fw.global.value === 'off') return { status: 'pass', summary: `The firewall is off. ${loopback}`, evidence };
    const blockAll = fw.global.value === 'block-all' || fw.blockAll.value === 'enabled';
    if (blockAll) {
      return {
        status: 'warn',
        summary: `The firewall blocks all incoming connections: a headless dlv listening on all interfaces (--listen=:2345) cannot be reached from another machine. ${loopback}`,
        evidence,
        fixes: [{ label: 'Keep dlv on 127.0.0.1 and reach it through an SSH tunnel (ssh -L 2345:127.0.0.1:2345 host)' }],
      };
    }
    return {
      status: 'pass',
      summary: `The firewall is on; a dlv listening on all interfaces would trigger a prompt. ${loopback}`,
      evidence,
    };
  },
};

/**
 * macOS 26 refuses Mach-O files without LC_UUID, which Go's linker writes only since Go 1.24: a dlv
 * built by an older Go does not start, and a program built by one cannot be launched to debug.
 */
export const macUuidCheck: Check<Facts> = {
  ...MAC,
  id: 'mac.uuid',
  title: 'LC_UUID (macOS 26 refuses binaries without it)',
  async run(facts) {
    const [sw, dlv, buildInfo, effective, local] = await Promise.all([
      macFactsOf(facts).productVersion(),
      facts.dlvBinary(),
      facts.dlvBuildInfo(),
      facts.effectiveGo(),
      facts.goVersion(),
    ]);
    const evidence: Evidence[] = [probeEvidence(sw.probe)];
    const macOS = sw.value;
    const problems: string[] = [];
    const fixes: Fix[] = [];
    const slices = dlv?.info?.format.startsWith('macho') ? dlv.info.slices : [];
    if (dlv && slices.length) {
      evidence.push({
        label: 'dlv LC_UUID (read from the file)',
        value: `${slices.map((s) => `${s.arch}: ${s.uuid ?? 'none'}`).join(', ')}${buildInfo ? ` (built with ${buildInfo.raw})` : ''} — ${dlv.path}`,
      });
    }
    if (dlv && slices.length && slices.some((s) => s.uuid === null)) {
      problems.push(
        `dlv at ${dlv.path} has no LC_UUID load command${buildInfo ? ` (it was built with ${buildInfo.raw}, older than Go 1.24)` : ''}`,
      );
      const rec = effective ? recommendedDelve(effective.version) : undefined;
      if (rec && effective) {
        const buildGo = buildGoFor(rec, effective.version);
        const atLeast = compareGo(buildGo, { ...LC_UUID_GO, patch: 0 }) >= 0 ? buildGo : { ...LC_UUID_GO, patch: 0 };
        const needSwitch = !local?.value || compareGo(local.value.version, atLeast) < 0;
        fixes.push({
          label: `Reinstall dlv (Delve ${rec.version}) with Go ${goMinor(atLeast)} or newer`,
          command: `${needSwitch ? `GOTOOLCHAIN=${formatGoVersion(atLeast)} ` : ''}${shellQuote(goInstallArgs('dlv', rec.version))}`,
          action: 'installDlv',
          data: { dlvVersion: rec.version },
        });
      }
    }
    if (effective && compareGoMinor(effective.version, LC_UUID_GO) < 0) {
      problems.push(
        `programs here are built with ${formatGoVersion(effective.version)}, whose linker writes no LC_UUID (Go 1.24 and newer do)`,
      );
      fixes.push({
        label: 'Build with Go 1.24 or newer: raise the go line (or add a toolchain line) in go.mod, or install a newer Go',
        command: 'go get go@1.24.0',
      });
    }
    if (!problems.length) {
      return {
        status: 'pass',
        summary: `dlv${effective ? ` and programs built with ${formatGoVersion(effective.version)}` : ''} carry the LC_UUID load command macOS 26 requires.`,
        evidence,
        sources: LC_UUID_SOURCES,
      };
    }
    const on26 = macOS !== undefined && compareMacOS(macOS, LC_UUID_MACOS) >= 0;
    const list = problems.join('; and ');
    if (on26) {
      return {
        status: 'fail',
        summary: `macOS ${macOS} refuses to load Mach-O files without LC_UUID ("dyld: ${LC_UUID_DYLD_MESSAGE}"): ${list}.`,
        detail: 'dyld aborts the process before it runs a single instruction, so dlv or the program being debugged dies at once.',
        evidence,
        fixes,
        sources: LC_UUID_SOURCES,
      };
    }
    return {
      status: 'warn',
      summary: `Works on macOS ${macOS ?? '(version unknown)'}, but macOS 26 will refuse it ("dyld: ${LC_UUID_DYLD_MESSAGE}"): ${list}.`,
      detail: 'Fix it before upgrading to macOS 26 (Tahoe).',
      evidence,
      fixes,
      sources: LC_UUID_SOURCES,
    };
  },
};

export const macChecks: readonly Check<Facts>[] = [
  macCpuCheck,
  macOSVersionCheck,
  macUuidCheck,
  debugserverCheck,
  devToolsCheck,
  dlvSignatureCheck,
  quarantineCheck,
  firewallCheck,
];
