import * as path from 'node:path';
import type { Host } from '../probes/host';
import { parseJsonStream } from '../facts/parsers';

export interface GoPackage {
  importPath: string;
  /** Absolute folder. */
  dir: string;
  /** Folder relative to the VS Code workspace folder, with forward slashes; "." for the folder itself. */
  rel: string;
  isMain: boolean;
  hasTests: boolean;
  module?: string;
}

export interface GoWorkspace {
  folder: string;
  /** go.work at the folder, else every go.mod found below it (vendor, testdata, hidden folders skipped). */
  kind: 'go.work' | 'modules' | 'none';
  moduleRoots: string[];
  packages: GoPackage[];
  /** `go list` complaints, one line each (the packages that did load are still listed). */
  problems: string[];
}

const SKIP = new Set(['vendor', 'node_modules', 'testdata']);
/** A `toolchain` line in the workspace must not make `go list` download a Go. */
const GO_LIST_ENV = { GOTOOLCHAIN: 'local' };
const MAX_DEPTH = 4;

interface ListedPackage {
  ImportPath?: string;
  Name?: string;
  Dir?: string;
  TestGoFiles?: string[];
  XTestGoFiles?: string[];
  Module?: { Path?: string };
  Error?: { Err?: string };
}

/**
 * Finds the Go packages of a VS Code workspace folder with one `go list` per module root (one in
 * all for a go.work): which are commands (package main) and which have tests.
 */
export async function discoverWorkspace(host: Host, folder: string, go: string, timeoutMs = 60_000): Promise<GoWorkspace> {
  const hasWork = (await host.stat(path.join(folder, 'go.work'))).isFile === true;
  const problems: string[] = [];
  let moduleRoots: string[];
  if (hasWork) {
    // `./...` at a go.work root that is not itself a module matches nothing: list the modules it uses.
    const probe = await host.run([go, 'list', '-m', '-f', '{{.Dir}}'], { cwd: folder, timeoutMs, envOverrides: GO_LIST_ENV });
    if (probe.outcome !== 'ok')
      problems.push(`go list -m in ${folder}: ${(probe.stderr.trim().split('\n')[0] ?? '') || probe.error || probe.outcome}`);
    moduleRoots = probe.stdout
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
  } else {
    moduleRoots = await findModuleRoots(host, folder);
  }
  const kind: GoWorkspace['kind'] = hasWork ? 'go.work' : moduleRoots.length ? 'modules' : 'none';
  const listed = await Promise.all(
    moduleRoots.map(async (root) => {
      const probe = await host.run([go, 'list', '-e', '-json=ImportPath,Name,Dir,TestGoFiles,XTestGoFiles,Module,Error', './...'], {
        cwd: root,
        timeoutMs,
        envOverrides: GO_LIST_ENV,
      });
      if (probe.outcome !== 'ok')
        problems.push(`go list in ${root}: ${(probe.stderr.trim().split('\n')[0] ?? '') || probe.error || probe.outcome}`);
      if (probe.outcome !== 'ok') return [];
      try {
        return parseJsonStream<ListedPackage>(probe.stdout).filter((p) => p !== null && typeof p === 'object');
      } catch {
        problems.push(`go list in ${root}: printed something that is not JSON (${JSON.stringify(probe.stdout.slice(0, 60))}...)`);
        return [];
      }
    }),
  );
  const packages: GoPackage[] = [];
  const seen = new Set<string>();
  for (const p of listed.flat()) {
    if (!p.Dir || !p.ImportPath || seen.has(p.Dir)) continue;
    seen.add(p.Dir);
    if (p.Error?.Err) problems.push(`${p.ImportPath}: ${p.Error.Err.split('\n')[0]}`);
    if (!p.Name) continue;
    const rel = path.relative(folder, p.Dir).split(path.sep).join('/') || '.';
    packages.push({
      importPath: p.ImportPath,
      dir: p.Dir,
      rel,
      isMain: p.Name === 'main',
      hasTests: (p.TestGoFiles?.length ?? 0) + (p.XTestGoFiles?.length ?? 0) > 0,
      ...(p.Module?.Path ? { module: p.Module.Path } : {}),
    });
  }
  packages.sort((a, b) => (a.rel === '.' ? -1 : b.rel === '.' ? 1 : a.rel.localeCompare(b.rel)));
  return { folder, kind, moduleRoots, packages, problems };
}

/**
 * The folders below `folder` with a go.mod. A symbolic link is followed only when it stays inside the
 * workspace (a link to / must not make us walk the whole disk), and each real folder is seen once.
 */
async function findModuleRoots(host: Host, folder: string): Promise<string[]> {
  const roots: string[] = [];
  const top = (await host.realpath(folder)) ?? folder;
  const seen = new Set<string>([top]);
  const inside = (real: string) => real === top || real.startsWith(top.endsWith(path.sep) ? top : top + path.sep);
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await host.listDir(dir);
    if (!entries) return;
    if (entries.includes('go.mod')) roots.push(dir);
    if (depth >= MAX_DEPTH) return;
    await Promise.all(
      entries
        .filter((e) => !e.startsWith('.') && !e.startsWith('_') && !SKIP.has(e))
        .map(async (e) => {
          const child = path.join(dir, e);
          if (!(await host.stat(child)).isDirectory) return;
          const real = await host.realpath(child);
          if (!real || !inside(real) || seen.has(real)) return;
          seen.add(real);
          await walk(child, depth + 1);
        }),
    );
  };
  await walk(folder, 0);
  return roots.sort();
}
