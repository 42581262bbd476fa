import * as path from 'node:path';
import type { Host } from '../probes/host';
import { isUserSource, type LocalModule } from './pathMapping';

export interface BreakpointSpec {
  /** Absolute path, as the editor names the file. */
  file: string;
  line: number;
}

/** The first line with a statement inside the body of the function whose header matches `header`. */
export function firstStatement(text: string, header: RegExp): { line: number; name: string } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = header.exec(lines[i]!);
    if (!m || !lines[i]!.trimEnd().endsWith('{')) continue;
    let inComment = false;
    for (let j = i + 1; j < lines.length; j++) {
      let l = lines[j]!.trim();
      if (inComment) {
        if (!l.includes('*/')) continue;
        l = l.slice(l.indexOf('*/') + 2).trim();
        inComment = false;
      }
      if (l.startsWith('/*') && !l.includes('*/')) {
        inComment = true;
        continue;
      }
      if (!l || l.startsWith('//')) continue;
      if (l.startsWith('}')) return undefined;
      // `var (`, `const (` open a block whose first line is a declaration, not a statement.
      if (/^(var|const)\s*\($/.test(l)) continue;
      return { line: j + 1, name: m[1] ?? 'main' };
    }
  }
  return undefined;
}

const MAIN = /^func (main)\(\)\s*\{/;
const TEST = /^func (Test[A-Z_0-9]\w*|Test)\(\w+ \*testing\.T\)\s*\{/;

/** The first statement of main in a package folder (or one .go file), or of its first test. */
export async function defaultBreakpoint(
  host: Host,
  target: string,
  kind: 'main' | 'test',
): Promise<(BreakpointSpec & { function: string }) | undefined> {
  const files = target.endsWith('.go')
    ? [target]
    : ((await host.listDir(target)) ?? [])
        .filter((f) => f.endsWith('.go') && (kind === 'test' ? f.endsWith('_test.go') : !f.endsWith('_test.go')))
        .sort()
        .map((f) => path.join(target, f));
  for (const file of files) {
    const text = await host.readText(file);
    if (!text) continue;
    if (kind === 'main' && !/^package main\b/m.test(text)) continue;
    const found = firstStatement(text, kind === 'main' ? MAIN : TEST);
    if (found) return { file, line: found.line, function: kind === 'main' ? 'main.main' : found.name };
  }
  return undefined;
}

const SKIP = new Set(['vendor', 'node_modules', 'testdata']);

/** go.mod files below a folder (a few levels deep): module path and folder. */
export async function findModules(host: Host, folder: string, depth = 4): Promise<LocalModule[]> {
  const found: LocalModule[] = [];
  const walk = async (dir: string, level: number): Promise<void> => {
    const entries = await host.listDir(dir);
    if (!entries) return;
    if (entries.includes('go.mod')) {
      const text = (await host.readText(path.join(dir, 'go.mod'), 64 * 1024)) ?? '';
      const m = /^module\s+"?([^\s"]+)"?/m.exec(text);
      if (m) found.push({ path: m[1]!, dir });
    }
    if (level >= depth) return;
    for (const e of entries.sort()) {
      if (e.startsWith('.') || e.startsWith('_') || SKIP.has(e)) continue;
      const child = path.join(dir, e);
      if ((await host.stat(child)).isDirectory) await walk(child, level + 1);
    }
  };
  await walk(folder, 0);
  return found;
}

/** Package main folders of the workspace, for configurations whose program is a binary or a server. */
export async function mainPackages(host: Host, modules: LocalModule[], depth = 4): Promise<string[]> {
  const dirs: string[] = [];
  const walk = async (dir: string, level: number): Promise<void> => {
    const entries = await host.listDir(dir);
    if (!entries) return;
    for (const e of entries.sort()) {
      if (e.endsWith('.go') && !e.endsWith('_test.go')) {
        const text = await host.readText(path.join(dir, e), 64 * 1024);
        if (text && /^package main\b/m.test(text) && MAIN.test(text.split('\n').find((l) => MAIN.test(l)) ?? '')) {
          if (!dirs.includes(dir)) dirs.push(dir);
        }
      }
    }
    if (level >= depth) return;
    for (const e of entries.sort()) {
      if (e.startsWith('.') || e.startsWith('_') || SKIP.has(e)) continue;
      const child = path.join(dir, e);
      if ((await host.stat(child)).isDirectory && !(await host.stat(path.join(child, 'go.mod'))).exists) await walk(child, level + 1);
    }
  };
  for (const m of modules) await walk(m.dir, 0);
  return dirs;
}

/** For exec and remote: main of the workspace package whose files the debuggee was built from. */
export async function defaultsFromSources(host: Host, folder: string, sources: string[], goroot: string): Promise<BreakpointSpec[]> {
  const modules = await findModules(host, folder);
  const dirs = await mainPackages(host, modules);
  const user = sources.filter((s) => isUserSource(s, goroot));
  const score = (dir: string) => {
    const rel = path.relative(folder, dir).split(path.sep).filter(Boolean);
    const tail = [...rel.slice(-2)].join('/');
    return user.some((s) => s.startsWith(`${dir}/`)) ? 3 : user.some((s) => (tail ? s.includes(`/${tail}/`) : false)) ? 2 : 0;
  };
  const ranked = [...dirs].sort((a, b) => score(b) - score(a));
  for (const dir of ranked) {
    const bp = await defaultBreakpoint(host, dir, 'main');
    if (bp) return [{ file: bp.file, line: bp.line }];
  }
  return [];
}
