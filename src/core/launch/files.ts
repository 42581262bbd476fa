import { promises as fs } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { writeFileAtomic } from '../io/files';
import type { Host } from '../probes/host';
import { unifiedDiff } from './diff';
import { generateConfigurations, type GenerateOptions, type Generated } from './generate';
import { mergeEntries, objectsAt, parseJsonc, type ClashPolicy, type JsonFileKind, type MergeResult } from './merge';
import { discoverWorkspace, type GoWorkspace } from './workspace';

export interface PlannedFile {
  kind: JsonFileKind;
  file: string;
  before: string | undefined;
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
}

/**
 * Everything "generate debug configurations" would do to .vscode/launch.json and tasks.json, without
 * writing: the merged texts and their diffs. A malformed file throws JsoncFileError (nothing written).
 */
export async function planLaunchFiles(options: LaunchPlanOptions): Promise<LaunchPlan> {
  const launchFile = path.join(options.folder, '.vscode', 'launch.json');
  const tasksFile = path.join(options.folder, '.vscode', 'tasks.json');
  const [workspace, launchText, tasksText] = await Promise.all([
    discoverWorkspace(options.host, options.folder, options.go),
    readOptional(launchFile),
    readOptional(tasksFile),
  ]);
  const packages = options.only ? workspace.packages.filter((p) => options.only!.includes(p.rel)) : workspace.packages;
  const generated = await generateConfigurations({
    ...options,
    folderName: path.basename(options.folder),
    packages,
    existingPorts: existingPorts(launchText),
    portFree,
  });
  const files: PlannedFile[] = [];
  const plan = (kind: JsonFileKind, file: string, before: string | undefined, entries: typeof generated.configurations) => {
    if (!entries.length) return;
    const result = mergeEntries(before, kind, entries, options.policy);
    files.push({ kind, file, before, result, diff: unifiedDiff(before ?? '', result.text, path.relative(options.folder, file)) });
  };
  plan('launch', launchFile, launchText, generated.configurations);
  plan('tasks', tasksFile, tasksText, generated.tasks);
  return { workspace, generated, files };
}

/** Writes the changed files atomically (creating .vscode when needed). */
export async function writePlannedFiles(plan: LaunchPlan): Promise<string[]> {
  const written: string[] = [];
  for (const f of plan.files) {
    if (!f.result.changed) continue;
    await fs.mkdir(path.dirname(f.file), { recursive: true });
    await writeFileAtomic(f.file, f.result.text);
    written.push(f.file);
  }
  return written;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Ports of existing remote configurations by name: regenerating keeps them. */
function existingPorts(text: string | undefined): Map<string, number> {
  const ports = new Map<string, number>();
  if (!text?.trim()) return ports;
  for (const { value: c } of objectsAt(parseJsonc(text), 'configurations')) {
    if (typeof c.name === 'string' && typeof c.port === 'number') ports.set(c.name, c.port);
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
