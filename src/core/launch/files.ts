import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { readWithSnapshot, writeFileAtomic, type FileSnapshot } from '../io/files';
import { decodeText, describeErrno, encodeText } from '../io/read';
import type { Host } from '../probes/host';
import { unifiedDiff } from './diff';
import { generateConfigurations, type GenerateOptions, type Generated } from './generate';
import { mergeEntries, objectsAt, parseJsonc, type ClashPolicy, type JsonFileKind, type MergeResult } from './merge';
import { discoverWorkspace, type GoWorkspace } from './workspace';
import { InputError } from '../io/errors';

export interface PlannedFile {
  kind: JsonFileKind;
  file: string;
  before: string | undefined;
  /** The file started with a UTF-8 byte order mark (kept when it is written). */
  bom: boolean;
  /** What the file was when read: the write refuses when it has changed since. */
  snapshot: FileSnapshot | 'absent';
  result: MergeResult;
  diff: string;
}

export interface LaunchPlan {
  workspace: GoWorkspace;
  generated: Generated;
  files: PlannedFile[];
}

export interface LaunchPlanOptions extends Omit<GenerateOptions, 'folderName' | 'packages' | 'existingPorts' | 'portFree'> {
  host: Host;
  folder: string;
  go: string;
  policy?: ClashPolicy;
  /** Only these packages (relative folders); all when absent. */
  only?: readonly string[];
  /** The packages, when the caller has just listed them (saves a second `go list`). */
  workspace?: GoWorkspace;
}

/**
 * Everything "generate debug configurations" would do to .vscode/launch.json and tasks.json, without
 * writing: the merged texts and their diffs. A malformed file throws JsoncFileError, a missing
 * folder, a file that is not a regular one or not UTF-8 an InputError (nothing written).
 */
export async function planLaunchFiles(options: LaunchPlanOptions): Promise<LaunchPlan> {
  await requireFolder(options.folder, 'the workspace folder');
  const vscodeDir = path.join(options.folder, '.vscode');
  const vscodeStat = await fs.stat(vscodeDir).catch(() => undefined);
  if (vscodeStat && !vscodeStat.isDirectory()) throw new InputError(`${vscodeDir}: is a file, not a folder; launch.json cannot go there`);
  const launchFile = path.join(vscodeDir, 'launch.json');
  const tasksFile = path.join(vscodeDir, 'tasks.json');
  const [workspace, launch, tasks] = await Promise.all([
    options.workspace ?? discoverWorkspace(options.host, options.folder, options.go),
    readOptional(launchFile),
    readOptional(tasksFile),
  ]);
  const launchText = launch?.text;
  const packages = options.only ? workspace.packages.filter((p) => options.only!.includes(p.rel)) : workspace.packages;
  const generated = await generateConfigurations({
    ...options,
    folderName: path.basename(options.folder),
    packages,
    existingPorts: existingPorts(launchText),
    portFree,
  });
  const files: PlannedFile[] = [];
  const plan = (kind: JsonFileKind, file: string, read: ReadFile | undefined, entries: typeof generated.configurations) => {
    if (!entries.length) return;
    const before = read?.text;
    const result = mergeEntries(before, kind, entries, options.policy);
    files.push({
      kind,
      file,
      before,
      bom: read?.bom ?? false,
      snapshot: read?.snapshot ?? 'absent',
      result,
      diff: unifiedDiff(before ?? '', result.text, path.relative(options.folder, file)),
    });
  };
  plan('launch', launchFile, launch, generated.configurations);
  plan('tasks', tasksFile, tasks, generated.tasks);
  return { workspace, generated, files };
}

/**
 * Writes the changed files atomically (creating .vscode, never the workspace folder itself): each
 * keeps its byte order mark, symlink, mode and owner, and one changed on disk since it was read is
 * refused with an InputError.
 */
export async function writePlannedFiles(plan: LaunchPlan): Promise<string[]> {
  const written: string[] = [];
  await requireFolder(plan.workspace.folder, 'the workspace folder');
  for (const f of plan.files) {
    if (!f.result.changed) continue;
    await fs.mkdir(path.dirname(f.file)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw new InputError(`${path.dirname(f.file)}: cannot create it: ${describeErrno(err)}`);
    });
    await writeFileAtomic(f.file, encodeText({ text: f.result.text, bom: f.bom }), { expect: f.snapshot, label: f.file });
    written.push(f.file);
  }
  return written;
}

interface ReadFile {
  text: string;
  bom: boolean;
  snapshot: FileSnapshot;
}

/** launch.json/tasks.json as text (strict UTF-8: bytes we cannot keep are refused), or undefined. */
async function readOptional(file: string): Promise<ReadFile | undefined> {
  const read = await readWithSnapshot(file);
  if (!read) return undefined;
  return { ...decodeText(read.bytes, file, true), snapshot: read.snapshot };
}

async function requireFolder(folder: string, what: string): Promise<void> {
  const st = await fs.stat(folder).catch(() => undefined);
  if (!st) throw new InputError(`${folder}: no such folder (${what})`);
  if (!st.isDirectory()) throw new InputError(`${folder}: is a file, not a folder (${what})`);
}

/** Ports of existing remote configurations by name: regenerating keeps them. */
function existingPorts(text: string | undefined): Map<string, number> {
  const ports = new Map<string, number>();
  if (!text?.trim()) return ports;
  for (const { value: c } of objectsAt(parseJsonc(text), 'configurations')) {
    // A port out of range (or 1e400) is not kept: a new one is chosen.
    if (typeof c.name === 'string' && Number.isInteger(c.port) && (c.port as number) > 0 && (c.port as number) < 65536)
      ports.set(c.name, c.port as number);
  }
  return ports;
}

/** True when nothing listens on 127.0.0.1:port right now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
