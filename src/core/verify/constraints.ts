import * as path from 'node:path';
import type { Host } from '../probes/host';
import { parseJsonStream } from '../facts/parsers';

/** Every GOOS and GOARCH the go command knows (go/build/syslist.go, golang/go@go1.26). */
export const KNOWN_GOOS = [
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'js',
  'linux',
  'nacl',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
  'zos',
];
export const KNOWN_GOARCH = [
  '386',
  'amd64',
  'amd64p32',
  'arm',
  'armbe',
  'arm64',
  'arm64be',
  'loong64',
  'mips',
  'mipsle',
  'mips64',
  'mips64le',
  'mips64p32',
  'mips64p32le',
  'ppc',
  'ppc64',
  'ppc64le',
  'riscv',
  'riscv64',
  's390',
  's390x',
  'sparc',
  'sparc64',
  'wasm',
];
/** Build tags the go command sets by itself (go/build/build.go matchTag). */
const IMPLIED = new Set(['unix', 'cgo', 'gc', 'gccgo', 'ignore', 'boringcrypto', 'goexperiment']);

export interface ConstraintVerdict {
  file: string;
  /** In the package this configuration builds. */
  included: boolean;
  /** Why not: a //go:build line, a file name suffix, a test file outside a test build… */
  reason?: 'build-tag' | 'goos-suffix' | 'test-file' | 'test-package' | 'not-a-package';
  /** The constraint as written (`//go:build integration`, `_windows.go`). */
  constraint?: string;
  /** Tags that, added to -tags, include the file. */
  tags?: string[];
  /** The GOOS/GOARCH the file needs, when it names one. */
  goos?: string;
  goarch?: string;
  cause?: string;
}

interface ListedPackage {
  Dir?: string;
  ImportPath?: string;
  GoFiles?: string[];
  CgoFiles?: string[];
  IgnoredGoFiles?: string[];
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
}

export interface ConstraintOptions {
  host: Host;
  go: string;
  /** The configuration's environment on top of the host's (GOOS, GOARCH, CGO_ENABLED, GOFLAGS). */
  env: Record<string, string | undefined>;
  tags: string[];
  /** The target the configuration builds for (`go env GOOS GOARCH` with its environment). */
  goos: string;
  goarch: string;
  /** The package folder a test configuration builds (its _test.go files count). */
  testDir?: string;
  timeoutMs?: number;
}

/**
 * Asks the go command, with the configuration's tags and environment, whether each breakpoint file
 * is part of the build, and when it is not, which constraint leaves it out.
 */
export async function checkConstraints(files: readonly string[], options: ConstraintOptions): Promise<ConstraintVerdict[]> {
  const byDir = new Map<string, string[]>();
  for (const f of files) byDir.set(path.dirname(f), [...(byDir.get(path.dirname(f)) ?? []), f]);
  const verdicts: ConstraintVerdict[] = [];
  for (const [dir, dirFiles] of byDir) {
    const argv = [
      options.go,
      'list',
      '-e',
      '-json=Dir,ImportPath,GoFiles,CgoFiles,IgnoredGoFiles,TestGoFiles,XTestGoFiles',
      ...(options.tags.length ? [`-tags=${options.tags.join(',')}`] : []),
      '.',
    ];
    const probe = await options.host.run(argv, {
      cwd: dir,
      timeoutMs: options.timeoutMs ?? 60_000,
      envOverrides: { ...options.env, GOTOOLCHAIN: 'local' },
    });
    const pkg = probe.outcome === 'ok' ? parseJsonStream<ListedPackage>(probe.stdout)[0] : undefined;
    for (const file of dirFiles) verdicts.push(await judge(file, pkg, options));
  }
  return verdicts;
}

async function judge(file: string, pkg: ListedPackage | undefined, options: ConstraintOptions): Promise<ConstraintVerdict> {
  const base = path.basename(file);
  const isTest = base.endsWith('_test.go');
  if (!pkg) return { file, included: false, reason: 'not-a-package', cause: `go list found no package in ${path.dirname(file)}.` };
  const built = [...(pkg.GoFiles ?? []), ...(pkg.CgoFiles ?? [])];
  const tests = [...(pkg.TestGoFiles ?? []), ...(pkg.XTestGoFiles ?? [])];
  if (built.includes(base)) return { file, included: true };
  if (tests.includes(base)) {
    if (options.testDir && samePath(options.testDir, path.dirname(file))) return { file, included: true };
    return options.testDir
      ? {
          file,
          included: false,
          reason: 'test-package',
          cause: `${base} is a test of another package (${pkg.ImportPath ?? path.dirname(file)}); a test configuration builds only the tests of ${options.testDir}.`,
        }
      : {
          file,
          included: false,
          reason: 'test-file',
          cause: `${base} is a test file; a debug configuration builds the program without its tests (use mode "test").`,
        };
  }
  if (!(pkg.IgnoredGoFiles ?? []).includes(base)) return { file, included: true };
  const verdict: ConstraintVerdict = { file, included: false };
  const { goos, goarch } = options;
  const suffix = fileNameConstraint(base, isTest);
  if (suffix.goos && suffix.goos !== goos) {
    return {
      ...verdict,
      reason: 'goos-suffix',
      constraint: `_${suffix.goos}${suffix.goarch ? `_${suffix.goarch}` : ''}${isTest ? '_test' : ''}.go`,
      goos: suffix.goos,
      ...(suffix.goarch ? { goarch: suffix.goarch } : {}),
      cause: `${base} is built only for GOOS=${suffix.goos} (its file name ends in _${suffix.goos}), and this configuration builds for GOOS=${goos}.`,
    };
  }
  if (suffix.goarch && suffix.goarch !== goarch) {
    return {
      ...verdict,
      reason: 'goos-suffix',
      constraint: `_${suffix.goarch}.go`,
      goarch: suffix.goarch,
      cause: `${base} is built only for GOARCH=${suffix.goarch}, and this configuration builds for GOARCH=${goarch}.`,
    };
  }
  const text = (await options.host.readText(file, 64 * 1024)) ?? '';
  const line = buildLine(text);
  if (line) {
    const needs = requiredTags(line, goos, goarch, options.tags);
    const goosNeeded = KNOWN_GOOS.find(
      (os) => new RegExp(`(^|[^!\\w])${os}\\b`).test(line) && os !== goos && !new RegExp(`!${os}\\b`).test(line),
    );
    return {
      ...verdict,
      reason: 'build-tag',
      constraint: `//go:build ${line}`,
      ...(needs.length ? { tags: needs } : {}),
      ...(goosNeeded && !needs.length ? { goos: goosNeeded } : {}),
      cause: `${base} starts with "//go:build ${line}", which this configuration's build (tags: ${options.tags.length ? options.tags.join(',') : 'none'}, GOOS=${goos}) does not satisfy, so the file is not compiled and no breakpoint in it can bind.`,
    };
  }
  return { ...verdict, reason: 'build-tag', cause: `go list leaves ${base} out of the build (IgnoredGoFiles).` };
}

function samePath(a: string, b: string): boolean {
  return path.resolve(a) === path.resolve(b);
}

/** The constraint in the file's header (before the package clause), without "//go:build ". */
export function buildLine(text: string): string | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('package ')) return undefined;
    const m = /^\/\/go:build\s+(.+)$/.exec(line);
    if (m) return m[1]!.trim();
  }
  return undefined;
}

/** The plain (not negated) tags of a //go:build expression that the build lacks. */
export function requiredTags(expr: string, goos: string, goarch: string, have: readonly string[]): string[] {
  const needs: string[] = [];
  const re = /(!?)([A-Za-z0-9_.]+)/g;
  for (let m = re.exec(expr); m; m = re.exec(expr)) {
    const [, not, tag] = m;
    if (not || !tag) continue;
    if (
      KNOWN_GOOS.includes(tag) ||
      KNOWN_GOARCH.includes(tag) ||
      IMPLIED.has(tag) ||
      /^go1\.\d+$/.test(tag) ||
      tag.startsWith('goexperiment.')
    )
      continue;
    if (tag === goos || tag === goarch || have.includes(tag) || needs.includes(tag)) continue;
    // An "a || b" expression needs one of them, not both: take the first.
    if (/\|\|/.test(expr) && needs.length) continue;
    needs.push(tag);
  }
  return needs;
}

/** go/build's name rule: *_GOOS, *_GOARCH, *_GOOS_GOARCH (before _test). */
export function fileNameConstraint(base: string, isTest: boolean): { goos?: string; goarch?: string } {
  let stem = base.replace(/\.go$/, '');
  if (isTest) stem = stem.replace(/_test$/, '');
  const parts = stem.split('_');
  const last = parts.at(-1);
  const prev = parts.length > 2 ? parts.at(-2) : undefined;
  if (prev && KNOWN_GOOS.includes(prev) && last && KNOWN_GOARCH.includes(last)) return { goos: prev, goarch: last };
  if (parts.length > 1 && last && KNOWN_GOOS.includes(last)) return { goos: last };
  if (parts.length > 1 && last && KNOWN_GOARCH.includes(last)) return { goarch: last };
  return {};
}

export function hostGoos(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'windows' : platform === 'sunos' ? 'solaris' : platform;
}

export function hostGoarch(arch: string): string {
  return arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
}
