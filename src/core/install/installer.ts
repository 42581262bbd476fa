import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { inspectFile } from '../binary/inspect';
import { makeFolder, processAlive } from '../io/files';
import { InputError } from '../io/errors';
import { describeErrno } from '../io/read';
import type { Host } from '../probes/host';
import { parseDlvVersion, type GoEnv } from '../facts/parsers';
import type { ProbeRecord } from '../probes/probeRecord';
import { compareGo, formatGoVersion, parseGoVersion } from '../facts/versions';
import { binaryName } from './folder';
import { acquireLock, type LockResult } from './lock';
import type { DlvInstallPlan } from './plan';
import { TOOLS } from '../knowledge/tools';

const DELVE_PACKAGE = TOOLS.dlv.package;

export type InstallPhase = 'waiting' | 'preparing' | 'toolchain' | 'downloading' | 'building' | 'verifying' | 'installing';

export interface InstallProgress {
  phase: InstallPhase;
  message: string;
  elapsedMs: number;
  /** The `go install` process (and process group), while it runs. */
  pid?: number;
}

export interface InstallOptions {
  host: Host;
  /** The go command that builds dlv. */
  go: string;
  /** `go env -json` as the user has it: module settings, GOPATH and caches are carried over. */
  goEnv: GoEnv;
  /** Our own folder; dlv ends up at DIR/dlv. */
  dir: string;
  plan: DlvInstallPlan;
  signal?: AbortSignal;
  /** For the whole `go install` (toolchain download and build); default 15 minutes. */
  timeoutMs?: number;
  /** How long to wait for another install into the same folder; default: timeoutMs. */
  lockWaitMs?: number;
  /** Rebuild even when DIR/dlv already is this version. */
  reinstall?: boolean;
  onProgress?: (progress: InstallProgress) => void;
}

export interface InstalledDlv {
  path: string;
  version: string;
  builtWith: string;
  arch: string;
}

export interface InstallResult {
  outcome: 'installed' | 'unchanged' | 'failed' | 'cancelled' | 'busy';
  /** DIR/dlv: the new binary, or the untouched previous one. */
  path: string;
  /** One sentence. */
  message: string;
  /** What to do about a failure. */
  fix?: string;
  /** The tail of go's output, for failures. */
  detail?: string;
  dlv?: InstalledDlv;
  /** Where the binary it replaced was kept. */
  previous?: string;
  durationMs: number;
  probes: ProbeRecord[];
}

const DEFAULT_TIMEOUT_MS = 15 * 60_000;

/**
 * Variables that describe another target, or change what `go install` does, and have no business in
 * building a debugger for this machine. Module settings (GOPROXY, GOPRIVATE...) are kept.
 */
const DROPPED = [
  'GOFLAGS',
  'GOOS',
  'GOARCH',
  'GOARM',
  'GOARM64',
  'GO386',
  'GOAMD64',
  'GOMIPS',
  'GOMIPS64',
  'GOPPC64',
  'GORISCV64',
  'GOWASM',
  'GOEXPERIMENT',
  'GOWORK',
  'GO111MODULE',
  'GOBIN',
  'GOENV',
  'GOTOOLCHAIN',
];
const CARRIED: (keyof GoEnv)[] = [
  'GOPATH',
  'GOMODCACHE',
  'GOCACHE',
  'GOPROXY',
  'GOPRIVATE',
  'GONOPROXY',
  'GONOSUMDB',
  'GOINSECURE',
  'GOSUMDB',
  'CGO_ENABLED',
];

/** The environment `go install` runs with (exported for the tests and the log). */
export function installEnvironment(goEnv: GoEnv, gobin: string, gotoolchain: string): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const name of DROPPED) env[name] = undefined;
  // GOENV=off: a `go env -w GOFLAGS=-mod=vendor` or GOOS in the user's go env file cannot reach the
  // build; what we keep from it arrives below, as `go env` resolved it.
  for (const name of CARRIED) if (goEnv[name] !== undefined) env[name] = goEnv[name];
  Object.assign(env, { GOENV: 'off', GOFLAGS: '', GOWORK: 'off', GO111MODULE: 'on', GOBIN: gobin, GOTOOLCHAIN: gotoolchain });
  return env;
}

/**
 * Builds the planned dlv with `go install` into a staging folder inside DIR, verifies it, and only
 * then renames it over DIR/dlv (keeping the old one as DIR/dlv.previous). Every failure, timeout or
 * cancellation before that rename leaves the previous dlv exactly as it was.
 */
export async function installDlv(options: InstallOptions): Promise<InstallResult> {
  const started = performance.now();
  const { host, dir, plan } = options;
  const probes: ProbeRecord[] = [];
  const target = path.join(dir, binaryName(host, 'dlv'));
  const elapsed = () => Math.round(performance.now() - started);
  const progress = (phase: InstallPhase, message: string, pid?: number) =>
    options.onProgress?.({ phase, message, elapsedMs: elapsed(), ...(pid ? { pid } : {}) });
  const finish = (r: Omit<InstallResult, 'path' | 'durationMs' | 'probes'>): InstallResult => ({
    path: target,
    ...r,
    durationMs: elapsed(),
    probes,
  });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  let lock: LockResult;
  try {
    await makeFolder(dir, 'the dlv folder');
    lock = await acquireLock(path.join(dir, '.install.lock'), {
      waitMs: options.lockWaitMs ?? timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
      onWait: (holder) => progress('waiting', `Waiting for another install into ${dir} (process ${holder.pid}) to finish`),
    });
  } catch (err) {
    // A folder that cannot be made or written (read-only, full, not a folder): nothing was changed.
    const why = err instanceof InputError ? err.message : `${dir}: ${describeErrno(err)}`;
    return finish({
      outcome: 'failed',
      message: `Cannot install into ${why}; nothing was changed.`,
      fix: 'Choose another folder (goDebugDoctor.dlvInstallFolder, or --dir) or free the disk.',
    });
  }
  if (!lock.held) {
    if (lock.reason === 'cancelled')
      return finish({ outcome: 'cancelled', message: 'Cancelled while waiting for another install; the previous dlv is unchanged.' });
    return finish({
      outcome: 'busy',
      message: `Another install into ${dir} (process ${lock.holder?.pid}) is still running; nothing was changed.`,
      fix: 'Wait for it to finish and run the install again.',
    });
  }
  let staging: string | undefined;
  try {
    await removeStaleStaging(dir);
    if (!options.reinstall && (await host.stat(target)).exists) {
      const current = await verifyDlv(host, target, plan, probes);
      if (current.ok)
        return finish({
          outcome: 'unchanged',
          message: `Delve ${plan.version} (built with ${current.dlv.builtWith}) is already installed at ${target}.`,
          dlv: current.dlv,
        });
    }
    if (options.signal?.aborted) return finish({ outcome: 'cancelled', message: 'Cancelled; the previous dlv is unchanged.' });

    progress('preparing', `Installing Delve ${plan.version}: ${plan.toolchainNote}`);
    staging = path.join(dir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
    await fs.mkdir(staging);
    const packages = { downloaded: 0, built: 0 };
    let pending = '';
    const onLine = (line: string, pid?: number) => {
      const toolchain = /^go: downloading (go\d\S*)/.exec(line);
      if (toolchain) return progress('toolchain', `Downloading the ${toolchain[1]} toolchain`, pid);
      if (/^go: downloading \S+ v\S+/.test(line)) return progress('downloading', `Downloading modules (${++packages.downloaded})`, pid);
      if (/^[\w.~-]+(\/[\w.~+-]+)*$/.test(line)) return progress('building', `Building (${++packages.built} packages compiled)`, pid);
    };
    let goPid: number | undefined;
    // A neutral working directory (our own empty staging folder), so no go.mod or go.work of the
    // user's is read or touched.
    const probe = await host.run([options.go, 'install', '-v', `${DELVE_PACKAGE}@${plan.version}`], {
      cwd: staging,
      timeoutMs,
      envOverrides: installEnvironment(options.goEnv, staging, plan.gotoolchain),
      maxOutputBytes: 16 * 1024 * 1024,
      // A killed CLI (even kill -9) must not leave go install building in the background.
      dieWithParent: true,
      ...(options.signal ? { signal: options.signal } : {}),
      onSpawn: (pid) => {
        goPid = pid;
        progress('downloading', `Resolving ${DELVE_PACKAGE}@${plan.version} (go install)`, pid);
      },
      onOutput: (text) => {
        const lines = (pending + text).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) onLine(line.trim(), goPid);
      },
    });
    probes.push(probe);
    if (probe.outcome === 'cancelled')
      return finish({ outcome: 'cancelled', message: 'Cancelled; go install was stopped and the previous dlv is unchanged.' });
    if (probe.outcome !== 'ok') {
      const why = explainInstallFailure(probe, plan);
      return finish({
        outcome: 'failed',
        message: `${why.message} The previous dlv is unchanged.`,
        ...(why.fix ? { fix: why.fix } : {}),
        detail: tail(probe.stderr || probe.stdout),
      });
    }

    progress('verifying', 'Checking the new dlv: version, the Go that built it, CPU type');
    const staged = path.join(staging, binaryName(host, 'dlv'));
    const verified = await verifyDlv(host, staged, plan, probes);
    if (!verified.ok)
      return finish({ outcome: 'failed', message: `The new dlv failed verification: ${verified.problem} The previous dlv is unchanged.` });
    if (options.signal?.aborted) return finish({ outcome: 'cancelled', message: 'Cancelled; the previous dlv is unchanged.' });

    progress('installing', `Moving it into place at ${target}`);
    let previous: string | undefined;
    if ((await host.stat(target)).exists) {
      // dlv.previous is the last *different* working dlv: reinstalling the same version, or over a
      // binary that no longer runs, must not push the real backup out.
      const run = await host.run([target, 'version'], { timeoutMs: 15_000 });
      probes.push(run);
      const currentVersion = run.outcome === 'ok' ? parseDlvVersion(run.stdout)?.version : undefined;
      if (currentVersion && currentVersion !== plan.version.replace(/^v/, '')) {
        previous = `${target}.previous`;
        await keepCopy(target, previous);
      } else if ((await host.stat(`${target}.previous`)).exists) {
        previous = `${target}.previous`;
      }
    }
    await fs.rename(staged, target);
    const dlv = { ...verified.dlv, path: target };
    return finish({
      outcome: 'installed',
      message: `Installed Delve ${plan.version}, built with ${dlv.builtWith} for ${dlv.arch}, at ${target}.`,
      dlv,
      ...(previous ? { previous } : {}),
    });
  } finally {
    if (staging) await fs.rm(staging, { recursive: true, force: true, maxRetries: 3 });
    await lock.release();
  }
}

/** Keeps `from` at `to` without a moment where `from` is missing: a hard link (or copy) renamed into place. */
async function keepCopy(from: string, to: string): Promise<void> {
  const tmp = `${to}.${process.pid}.tmp`;
  await fs.rm(tmp, { force: true });
  try {
    try {
      await fs.link(from, tmp);
    } catch {
      await fs.copyFile(from, tmp);
    }
    await fs.rename(tmp, to);
  } finally {
    await fs.rm(tmp, { force: true });
  }
}

/** Staging folders and backup copies (dlv.previous.PID.tmp) left by an install whose process was killed. */
async function removeStaleStaging(dir: string): Promise<void> {
  for (const entry of await fs.readdir(dir)) {
    const pid = (/^\.staging-(\d+)-/.exec(entry) ?? /^dlv(?:\.exe)?\.previous\.(\d+)\.tmp$/.exec(entry))?.[1];
    if (pid && Number(pid) !== process.pid && !processAlive(Number(pid))) {
      await fs.rm(path.join(dir, entry), { recursive: true, force: true, maxRetries: 3 });
    }
  }
}

const ARCH_NAMES: Record<string, string> = { x64: 'x86_64', arm64: 'arm64', ia32: 'i386', arm: 'arm' };

export type Verification = { ok: true; dlv: InstalledDlv } | { ok: false; problem: string };

/** Runs the binary and reads it: the pinned version, a Go new enough to have built it, this machine's CPU. */
export async function verifyDlv(host: Host, file: string, plan: DlvInstallPlan, probes: ProbeRecord[] = []): Promise<Verification> {
  const probe = await host.run([file, 'version'], { timeoutMs: 15_000 });
  probes.push(probe);
  if (probe.outcome !== 'ok') return { ok: false, problem: `\`dlv version\` did not run (${probe.error ?? `exit ${probe.exitCode}`}).` };
  const version = parseDlvVersion(probe.stdout)?.version;
  if (version !== plan.version.replace(/^v/, ''))
    return { ok: false, problem: `it reports version ${version ?? 'unknown'}, not ${plan.version}.` };
  let info;
  try {
    info = await inspectFile(file, (p) => host.openBytes(p));
  } catch (err) {
    return { ok: false, problem: `it could not be read as an executable (${(err as Error).message}).` };
  }
  const want = ARCH_NAMES[host.arch] ?? host.arch;
  const slice = info.slices.find((s) => s.arch === want);
  if (!slice)
    return { ok: false, problem: `it was built for ${info.slices.map((s) => s.arch).join(', ')}, but this machine runs ${want}.` };
  const build = slice.goBuildInfo;
  if (!build || build.path !== DELVE_PACKAGE) return { ok: false, problem: `it carries no Go build information for ${DELVE_PACKAGE}.` };
  const builtWith = parseGoVersion(build.goVersion);
  if (!builtWith) return { ok: false, problem: `the Go that built it (${build.goVersion}) is not a version we understand.` };
  if (plan.minBuildGo && compareGo(builtWith, plan.minBuildGo) < 0) {
    return { ok: false, problem: `it was built with ${build.goVersion}, older than the ${formatGoVersion(plan.minBuildGo)} it needs.` };
  }
  if (host.platform === 'darwin') {
    const quarantine = await host.run(['/usr/bin/xattr', '-p', 'com.apple.quarantine', file], { timeoutMs: 5_000 });
    probes.push(quarantine);
    if (quarantine.outcome === 'ok')
      return { ok: false, problem: `it carries the quarantine attribute (${quarantine.stdout.trim()}), so macOS would block it.` };
  }
  return { ok: true, dlv: { path: file, version: plan.version, builtWith: build.goVersion, arch: slice.arch } };
}

/** Turns go's complaint into one sentence and a fix. The texts are the go command's own. */
export function explainInstallFailure(probe: ProbeRecord, plan: DlvInstallPlan): { message: string; fix?: string } {
  if (probe.outcome === 'timeout')
    return { message: `go install ${probe.error}.`, fix: 'Check the network and the module proxy, then try again (or raise the timeout).' };
  if (probe.outcome === 'not-found')
    return { message: `The go command was not found (${probe.argv[0]}).`, fix: 'Install Go from https://go.dev/dl/' };
  if (probe.outcome === 'error' && !probe.stderr) return { message: `go install failed: ${probe.error}.` };
  const out = probe.stderr + probe.stdout;
  const toolchain = /go: download (go\d\S*): (.*)/.exec(out);
  if (toolchain)
    return {
      message: `The go command could not download the ${toolchain[1]} toolchain that builds this dlv (${firstClause(toolchain[2]!)}).`,
      fix: 'Check GOPROXY and the network; or install that Go yourself from https://go.dev/dl/',
    };
  if (/module lookup disabled by GOPROXY=off/.test(out)) {
    return {
      message: `GOPROXY=off forbids the module lookups that \`go install\` makes even for Delve ${plan.version} in the module cache.`,
      fix: 'go env -w GOPROXY=https://proxy.golang.org,direct',
    };
  }
  const badUrl = /invalid proxy URL[^:\n]*: (\S+)/.exec(out);
  if (badUrl)
    return {
      message: `GOPROXY has an entry the go command rejects: ${badUrl[1]}.`,
      fix: 'go env -w GOPROXY=https://proxy.golang.org,direct',
    };
  const unreachable =
    /(?:Get|reading) "?(https?:\/\/[^/"\s]+)[^:]*:?.*?(no such host|connection refused|i\/o timeout|network is unreachable|TLS handshake timeout|certificate)/.exec(
      out,
    );
  if (unreachable)
    return {
      message: `The module proxy ${unreachable[1]} could not be reached (${unreachable[2]}).`,
      fix: 'Check the network, a VPN or corporate proxy (HTTPS_PROXY), and the GOPROXY list (`go env GOPROXY`).',
    };
  if (/checksum mismatch|SECURITY ERROR/.test(out))
    return {
      message: 'The downloaded Delve source does not match the checksum database: the module cache or the proxy returned altered files.',
      fix: 'go clean -modcache, then try again',
    };
  if (
    /(not available|unknown revision|invalid version|no matching versions|404 Not Found|410 Gone)/.test(out) &&
    out.includes(`@${plan.version}`)
  ) {
    return {
      message: `Delve ${plan.version} does not exist on the module proxy.`,
      fix: 'Pick a released version: https://github.com/go-delve/delve/releases',
    };
  }
  const last = out.trim().split('\n').filter(Boolean).pop();
  return {
    message: `go install failed (${probe.outcome === 'exit' ? `exit ${probe.exitCode}` : (probe.error ?? probe.outcome)})${last ? `: ${last.trim()}` : ''}.`,
  };
}

function firstClause(text: string): string {
  return text
    .split('\n', 1)[0]!
    .replace(/^.*?: (reading|Get) /, '$1 ')
    .slice(0, 200);
}

function tail(text: string, lines = 20): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}
