import type { Facts } from '../facts/facts';
import { goRelease, newestGo } from '../knowledge';
import { compareGo, compareGoMinor, formatGoVersion, goMinor, parseGoVersion } from '../facts/versions';
import { probeEvidence, type Check, type CheckOutcome, type Evidence, type Fix } from './types';
import { locationEvidence, probeProblem, UNTRUSTED } from './toolOutcomes';

export const goCheck: Check<Facts> = {
  id: 'tools.go',
  title: 'Go toolchain',
  async run(facts) {
    const location = await facts.goLocation();
    if (!location.found) {
      return {
        status: 'fail',
        summary: 'go was not found where the Go extension looks (go.alternateTools, GOBIN, GOROOT/bin, PATH, /usr/local/go/bin).',
        evidence: [{ label: 'searched', value: location.searched.join('\n') }],
        fixes: [{ label: 'Install Go from https://go.dev/dl/ (or `brew install go`) and restart VS Code', url: 'https://go.dev/dl/' }],
      };
    }
    const parsed = (await facts.goVersion())!;
    const problem = probeProblem('go', parsed, location);
    if (problem) return problem;
    const v = parsed.value!.version;
    const evidence = [...locationEvidence(location), probeEvidence(parsed.probe)];
    const release = goRelease(v);
    const newest = newestGo();
    let summary = `${formatGoVersion(v)} (${parsed.value!.goos}/${parsed.value!.goarch}) at ${location.found.path}.`;
    let status: CheckOutcome['status'] = location.ignoredAlternate ? 'warn' : 'pass';
    const sources: string[] = [];
    if (release?.latestPatch && v.patch !== undefined && compareGo(v, parseGoVersion(release.latestPatch)!) < 0) {
      summary += ` go${release.latestPatch} has newer fixes for Go ${goMinor(v)}.`;
      sources.push('golang/website internal/history/release.go (Go release history)');
    }
    if (compareGoMinor(v, { major: newest.major, minor: newest.minor - 1 }) < 0) {
      status = 'warn';
      summary = `${formatGoVersion(v)} at ${location.found.path} no longer gets security fixes: the Go team supports only the two newest releases (${newest.major}.${newest.minor - 1} and ${newest.major}.${newest.minor}).`;
      sources.push('https://go.dev/doc/devel/release#policy');
    }
    if (location.ignoredAlternate)
      summary += ` The go.alternateTools entry ${location.ignoredAlternate} does not exist, so the Go extension ignores it.`;
    return { status, summary, evidence, ...(sources.length ? { sources } : {}) };
  },
};

export const goEnvCheck: Check<Facts> = {
  id: 'env.go',
  title: 'Go environment',
  requires: ['tools.go'],
  async run(facts) {
    const env = await facts.goEnv();
    if (!env?.value) {
      return { status: 'fail', summary: '`go env -json` did not give a usable answer.', evidence: env ? [probeEvidence(env.probe)] : [] };
    }
    const e = env.value;
    const paths = await facts.goPaths();
    const evidence: Evidence[] = [
      {
        label: 'go env',
        value: ['GOOS', 'GOARCH', 'GOHOSTOS', 'GOHOSTARCH', 'GOROOT', 'GOPATH', 'GOBIN', 'GOFLAGS', 'GOTOOLCHAIN', 'CGO_ENABLED']
          .map((k) => `${k}=${e[k as keyof typeof e] ?? ''}`)
          .join('\n'),
      },
    ];
    const problems: string[] = [];
    const fixes: Fix[] = [];
    if (e.GOOS && e.GOHOSTOS && e.GOOS !== e.GOHOSTOS) {
      problems.push(`GOOS=${e.GOOS} but this machine is ${e.GOHOSTOS}: dlv would build a program it cannot run.`);
      fixes.push({ label: 'Unset GOOS for debugging (remove it from your shell profile or go.toolsEnvVars)', command: 'go env -u GOOS' });
    }
    if (e.GOARCH && e.GOHOSTARCH && e.GOARCH !== e.GOHOSTARCH) {
      problems.push(`GOARCH=${e.GOARCH} but the go command runs as ${e.GOHOSTARCH}: dlv would build a program for another CPU.`);
      fixes.push({ label: 'Unset GOARCH for debugging', command: 'go env -u GOARCH' });
    }
    const flags = e.GOFLAGS ?? '';
    const warnings: string[] = [];
    if (/(^|\s)-trimpath(\s|=|$)/.test(flags))
      warnings.push('GOFLAGS has -trimpath, so breakpoints set on your files will not bind unless substitutePath maps the trimmed paths.');
    if (/-ldflags=\S*-[sw]\b/.test(flags))
      warnings.push('GOFLAGS strips debug information (-ldflags -s/-w), which leaves dlv nothing to read.');
    const pathNote = `GOPATH ${paths.gopath.join(paths.gopath.length > 1 ? ', ' : '')} (${paths.origin.GOPATH})${paths.gobin.length ? `, GOBIN ${paths.gobin.join(', ')} (${paths.origin.GOBIN})` : ''}`;
    evidence.push({ label: 'tool folders as the Go extension sees them', value: pathNote });
    if (e.GOPATH && paths.gopath.join(':') !== e.GOPATH.split(/[:;]/).filter(Boolean).join(':')) {
      warnings.push(
        `go env says GOPATH=${e.GOPATH}, but the environment VS Code sees gives ${paths.gopath.join(':')}; tools installed by one may be invisible to the other.`,
      );
    }
    if (problems.length)
      return {
        status: 'fail',
        summary: problems[0]!,
        detail: [...problems.slice(1), ...warnings].join('\n') || undefined,
        evidence,
        fixes,
      };
    if (warnings.length) return { status: 'warn', summary: warnings[0]!, detail: warnings.slice(1).join('\n') || undefined, evidence };
    return {
      status: 'pass',
      summary: `Builds for ${e.GOOS}/${e.GOARCH} on this machine; nothing in GOFLAGS gets in the way of debugging.`,
      evidence,
    };
  },
};

export const workspaceGoCheck: Check<Facts> = {
  id: 'workspace.go',
  title: 'Go that builds the program',
  requires: ['tools.go'],
  async run(facts) {
    if (!facts.trusted) return UNTRUSTED('which Go builds it: its go.mod and go.work are not read before');
    const [effective, module] = await Promise.all([facts.effectiveGo(), facts.workspaceModule()]);
    if (!effective) return { status: 'error', summary: 'The local Go version is unknown.' };
    const evidence: Evidence[] = [];
    if (module) {
      const f = module.facts;
      evidence.push({
        label: module.file,
        value:
          [
            f.module ? `module ${f.module}` : undefined,
            f.goRaw ? `go ${f.goRaw}` : undefined,
            f.toolchainRaw ? `toolchain ${f.toolchainRaw}` : undefined,
          ]
            .filter(Boolean)
            .join('\n') || '(no go or toolchain line)',
      });
    }
    evidence.push({ label: 'GOTOOLCHAIN', value: effective.gotoolchain });
    if (effective.blocked) {
      return {
        status: 'fail',
        summary: `${effective.reason} The go command will refuse to build, and so will dlv.`,
        detail: effective.blocked,
        evidence,
        fixes: [
          { label: `Install Go ${formatGoVersion(effective.version)} or newer`, url: 'https://go.dev/dl/' },
          { label: 'Or let the go command fetch the toolchain go.mod asks for', command: 'go env -w GOTOOLCHAIN=auto' },
        ],
        sources: ['https://go.dev/doc/toolchain'],
      };
    }
    return {
      status: 'pass',
      summary: `Programs here are built with ${formatGoVersion(effective.version)}: ${effective.reason}`,
      evidence,
      sources: ['https://go.dev/doc/toolchain'],
    };
  },
};
