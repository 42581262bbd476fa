import * as path from 'node:path';
import type { Host } from '../probes/host';
import type { SubstituteEntry } from './pathMapping';
import type { VerifyBreakpoint } from './result';

/**
 * Generated Go files (goyacc, ragel, cgo…) carry `//line FILE:LINE` comments, and the compiler
 * records the lines after one under FILE, not under the .go file (cmd/compile's doc, "Compiler
 * Directives"). Delve then knows those lines only by FILE's name, exactly as the directive wrote
 * it: a relative name stays relative in the binary.
 */
export interface CompiledPosition {
  /** The file name as the directive wrote it (what the binary records). */
  file: string;
  line: number;
  /** The line of the .go file that holds the directive. */
  directiveLine: number;
}

const DIRECTIVE_WITH_COLUMN = /^\/\/line (.*):(\d+):(\d+)\s*$/;
const DIRECTIVE = /^\/\/line (.*):(\d+)\s*$/;

/**
 * Where line `line` of a Go file's text is recorded in the binary, when a //line directive above it
 * names another position; undefined when the line keeps its own file and number. Only the `//line`
 * form at the start of a line is read: `/*line*\/` inside a line moves a column, which no generator
 * we know uses for whole regions.
 */
export function compiledPosition(text: string, line: number): CompiledPosition | undefined {
  const lines = text.split('\n');
  let last: CompiledPosition | undefined;
  let previousFile = '';
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const m = DIRECTIVE_WITH_COLUMN.exec(raw) ?? DIRECTIVE.exec(raw);
    if (!m) continue;
    const withColumn = m[3] !== undefined;
    // An empty name means "the previous name" only when a column is given; otherwise an empty name.
    const file = m[1] || (withColumn ? previousFile : '');
    previousFile = file;
    const n = Number(m[2]);
    if (!Number.isSafeInteger(n) || n < 1) continue;
    last = { file, line: n, directiveLine: i + 1 };
  }
  if (!last || !last.file) return undefined;
  return { file: last.file, line: last.line + (line - last.directiveLine - 1), directiveLine: last.directiveLine };
}

/** The directive's file on this machine: relative names are read from the .go file's folder. */
export function localFileOf(goFile: string, position: CompiledPosition): string {
  return path.isAbsolute(position.file) ? position.file : path.resolve(path.dirname(goFile), position.file);
}

/**
 * The place a breakpoint at `file:line` really has in the binary, as a file of this machine: the
 * directive's file when the .go line lies under one and that file exists here, else the same place.
 */
export async function throughLineDirectives(host: Host, spec: { file: string; line: number }): Promise<{ file: string; line: number }> {
  if (!spec.file.endsWith('.go')) return spec;
  const text = await host.readText(spec.file);
  const pos = text === undefined ? undefined : compiledPosition(text, spec.line);
  if (!pos) return spec;
  const local = localFileOf(spec.file, pos);
  return local !== spec.file && (await host.stat(local)).isFile ? { file: local, line: pos.line } : spec;
}

/** A path inside the workspace written with ${workspaceFolder}, so the configuration works in another checkout. */
export function portablePath(folder: string, p: string): string {
  return p === folder ? '${workspaceFolder}' : p.startsWith(`${folder}/`) ? `\${workspaceFolder}${p.slice(folder.length)}` : p;
}

/**
 * A breakpoint that does not bind because of //line directives: on a .go line the compiler records
 * under another file, or in that other file when the binary holds its name relative, as the
 * directive wrote it (Delve compares full names: only an exact substitutePath entry reaches it).
 */
export async function lineDirectiveFinding(
  host: Host,
  folder: string,
  row: VerifyBreakpoint,
  sources: readonly string[],
  existing: readonly SubstituteEntry[],
): Promise<{ cause: string; fix: string; entry?: SubstituteEntry } | undefined> {
  const base = path.basename(row.file);
  if (row.file.endsWith('.go')) {
    const text = await host.readText(row.file);
    const pos = text === undefined ? undefined : compiledPosition(text, row.line);
    if (pos) {
      const local = localFileOf(row.file, pos);
      const where = `${pos.file}:${pos.line}`;
      const cause = `Line ${row.line} of ${base} is compiled as ${where} (the //line directive on line ${pos.directiveLine}): the program knows that line only by that name.`;
      if (!(await host.stat(local)).isFile)
        return {
          cause,
          fix: `${pos.file} is not a file here (a generator's template): break on a function instead, or generate ${base} without //line directives (goyacc -l).`,
        };
      const mapped = path.isAbsolute(pos.file) || existing.some((e) => e.from === local && e.to === pos.file);
      const entry = mapped ? undefined : { from: portablePath(folder, local), to: pos.file };
      return {
        cause,
        fix:
          `Set the breakpoint at ${path.relative(folder, local) || local}:${pos.line} instead (in VS Code, "debug.allowBreakpointsEverywhere": true allows breakpoints in ${path.extname(local) || path.basename(local)} files)` +
          (entry ? `, and add to the configuration "substitutePath": [${JSON.stringify(entry)}].` : '.'),
      };
    }
  }
  const relative = sources.find((s) => !path.isAbsolute(s) && row.file.endsWith(`/${s}`));
  if (!relative) return undefined;
  const entry = { from: portablePath(folder, row.file), to: relative };
  return {
    cause: `The program names ${base} "${relative}", relative, as a //line directive wrote it; Delve matches the editor's full name against it only through substitutePath.`,
    fix: `Add to the configuration "substitutePath": [${JSON.stringify(entry)}].`,
    entry,
  };
}
