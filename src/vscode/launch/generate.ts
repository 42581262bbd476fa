import * as path from 'node:path';
import * as vscode from 'vscode';
import { planLaunchFiles, writePlannedFiles, type LaunchPlan } from '../../core/launch/files';
import type { ConfigKind } from '../../core/launch/generate';
import { type ClashPolicy } from '../../core/launch/merge';
import { discoverWorkspace, type GoPackage } from '../../core/launch/workspace';
import { isUserCommand, packageOfFile } from '../../core/launch/firstSession';
import type { Session } from '../../core/session/session';
import { readSettings } from '../config';
import { showProposedChanges, type PreviewProvider } from './preview';
import { launchTools } from './tools';
import { InputError, JsoncFileError } from '../../core/io/errors';

const KINDS: { configKind: ConfigKind; label: string; detail: string }[] = [
  { configKind: 'launch', label: 'Launch', detail: 'Build and debug each command (package main)' },
  { configKind: 'test', label: 'Test', detail: "Debug the tests of each package, and of the current file's package" },
  { configKind: 'attach', label: 'Attach to local process', detail: 'Pick a running Go process' },
  {
    configKind: 'remote',
    label: 'Headless dlv',
    detail: 'A background task runs dlv on 127.0.0.1 and an attach configuration connects to it',
  },
  {
    configKind: 'container',
    label: 'Connect to dlv in a container / remote host',
    detail: 'mode remote with substitutePath to /app, and the docker run / ssh -L commands that serve it',
  },
];

/**
 * "Generate Debug Configurations": pick packages and kinds, preview the diff, confirm, write.
 * Existing entries with the same name are never overwritten without asking.
 */
export async function generateDebugConfigurations(session: Session, previews: PreviewProvider): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Generating debug configurations runs `go list` in the workspace; trust the workspace first.');
    return;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder =
    folders.length > 1
      ? await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Generate debug configurations for which folder?' })
      : folders[0];
  if (!folder) return;
  const { go, dlvVersion, dlvCommand } = await launchTools(session);
  const preset = () => readSettings().debugPreset;
  if (!go) {
    void vscode.window.showErrorMessage('go was not found; run "Go Debug Doctor: Run Checks" to see where it was looked for.');
    return;
  }
  const ws = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Finding Go packages' }, () =>
    discoverWorkspace(session.host, folder.uri.fsPath, go),
  );
  const candidates = ws.packages.filter((p) => p.isMain || p.hasTests);
  if (!candidates.length) {
    void vscode.window.showWarningMessage(
      `No Go commands or tests found in ${folder.name}${ws.problems.length ? `: ${ws.problems[0]}` : ''}.`,
    );
    return;
  }
  // Picked: what a first session needs (the active editor's package, else the commands for users);
  // every other package is listed to add by hand.
  const active = packageOfFile(candidates, vscode.window.activeTextEditor?.document.uri.fsPath);
  const picked = (p: GoPackage) => (active ? p === active : isUserCommand(p) || (!candidates.some(isUserCommand) && p.hasTests));
  const pickedPackages = await vscode.window.showQuickPick(
    candidates.map((p) => ({
      label: p.rel === '.' ? folder.name : p.rel,
      description: [p.isMain && 'command', p.hasTests && 'tests'].filter(Boolean).join(', '),
      detail: p.importPath,
      picked: picked(p),
      rel: p.rel,
    })),
    { canPickMany: true, title: 'Generate Debug Configurations (1/2)', placeHolder: 'Packages' },
  );
  if (!pickedPackages?.length) return;
  const pickedKinds = await vscode.window.showQuickPick(
    KINDS.map((k) => ({ ...k, picked: k.configKind === 'launch' || k.configKind === 'test' || k.configKind === 'attach' })),
    { canPickMany: true, title: `Generate Debug Configurations (2/2): preset "${preset()}"`, placeHolder: 'Kinds of configuration' },
  );
  if (!pickedKinds?.length) return;

  const plan = async (policy: ClashPolicy) =>
    planLaunchFiles({
      host: session.host,
      folder: folder.uri.fsPath,
      go,
      policy,
      preset: preset(),
      kinds: pickedKinds.map((k) => k.configKind),
      only: pickedPackages.map((p) => p.rel),
      ...(dlvCommand ? { dlvPath: dlvCommand } : {}),
      ...(dlvVersion ? { dlvVersion } : {}),
    });
  let result: LaunchPlan;
  try {
    result = await plan('skip');
    const clashes = result.files.flatMap((f) => f.result.clashes);
    if (clashes.length) {
      const answer = await vscode.window.showWarningMessage(
        `${clashes.length} of your configurations already use these names with other content: ${clashes.join(', ')}.`,
        { modal: true },
        'Keep Mine',
        'Add Renamed Copies',
        'Replace Mine',
      );
      if (!answer) return;
      if (answer !== 'Keep Mine') result = await plan(answer === 'Replace Mine' ? 'replace' : 'rename');
    }
  } catch (err) {
    if (err instanceof InputError) {
      void vscode.window.showErrorMessage(`Nothing was written: ${err.message}`);
      return;
    }
    if (err instanceof JsoncFileError) {
      void vscode.window.showErrorMessage(
        `Nothing was written: .vscode/launch.json or tasks.json is not valid (${err.message}). Fix it first.`,
      );
      return;
    }
    throw err;
  }
  const changed = result.files.filter((f) => f.result.changed);
  for (const n of result.generated.notes) void vscode.window.showInformationMessage(n);
  if (!changed.length) {
    void vscode.window.showInformationMessage('The debug configurations are already up to date.');
    return;
  }
  await showProposedChanges(previews, changed);
  const summary = changed
    .map(
      (f) =>
        `${path.basename(f.file)}: ${f.result.added.length + f.result.renamed.length} new${f.result.replaced.length ? `, ${f.result.replaced.length} replaced` : ''}`,
    )
    .join('; ');
  const ok = await vscode.window.showInformationMessage(
    `Write these changes? ${summary}`,
    { modal: true, detail: 'Comments, formatting and your own entries stay as they are.' },
    'Write',
  );
  if (ok !== 'Write') return;
  try {
    await writePlannedFiles(result);
  } catch (err) {
    // Saved meanwhile, turned into a folder, unwritable...: said in one line, the file left alone.
    if (!(err instanceof InputError)) throw err;
    void vscode.window.showErrorMessage(`Nothing more was written: ${err.message}`);
    return;
  }
  const open = await vscode.window.showInformationMessage(
    `Wrote ${changed.map((f) => path.relative(folder.uri.fsPath, f.file)).join(' and ')}. Start one from Run and Debug.`,
    'Open launch.json',
  );
  if (open) await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder.uri.fsPath, '.vscode', 'launch.json')));
}
