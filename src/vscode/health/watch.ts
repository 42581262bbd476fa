import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND, DONT_NOTIFY_KEY, SETTINGS_SECTION } from '../ids';
import type { HealthModel } from './model';
import type { HealthStatusBar } from './statusBar';

export async function isGoWorkspace(): Promise<boolean> {
  if (!vscode.workspace.workspaceFolders?.length) return false;
  const found = await vscode.workspace.findFiles('{go.mod,go.work,**/go.mod,**/go.work,*.go}', '**/{node_modules,vendor,.git}/**', 1);
  return found.length > 0;
}

/** Re-runs the checks when something they read changes: settings, go.mod/go.work, launch.json, the tool binaries. */
export function watchForChanges(context: vscode.ExtensionContext, model: HealthModel, statusBar: HealthStatusBar): void {
  const watchers: vscode.FileSystemWatcher[] = [];
  const watch = (pattern: vscode.GlobPattern, reason: string) => {
    const w = vscode.workspace.createFileSystemWatcher(pattern);
    const on = () => model.refreshSoon(reason);
    w.onDidCreate(on);
    w.onDidChange(on);
    w.onDidDelete(on);
    return w;
  };
  context.subscriptions.push(
    watch('**/{go.mod,go.work}', 'go.mod/go.work changed'),
    watch('**/.vscode/launch.json', 'launch.json changed'),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${SETTINGS_SECTION}.statusBar`)) statusBar.render();
      if (
        e.affectsConfiguration('go') ||
        (e.affectsConfiguration(SETTINGS_SECTION) && !e.affectsConfiguration(`${SETTINGS_SECTION}.statusBar`))
      )
        model.refreshSoon('settings changed');
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => model.refreshSoon('workspace trusted', 0)),
    vscode.extensions.onDidChange(() => model.refreshSoon('extensions changed')),
    { dispose: () => watchers.splice(0).forEach((w) => w.dispose()) },
  );
  // The binaries the last run used (go env, dlv version, gopls version ran them): a reinstall or a
  // removal re-runs the checks.
  let watched = '';
  model.onDidChange((state) => {
    const tools = [
      ...new Set((state.report?.probes ?? []).map((p) => p.argv[0] ?? '').filter((f) => /(^|\/)(go|dlv|gopls)$/.test(f))),
    ].sort();
    if (tools.join('\n') === watched) return;
    watched = tools.join('\n');
    watchers.splice(0).forEach((w) => w.dispose());
    for (const file of tools)
      watchers.push(
        watch(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)), `${path.basename(file)} changed`),
      );
  });
}

/** At most one notification a session, only in a Go workspace, only for a failing check, and never again once dismissed for good. */
export function notifyOnceOnFailure(context: vscode.ExtensionContext, model: HealthModel, goWorkspace: () => boolean): void {
  let shown = false;
  model.onDidChange((state) => {
    if (shown || state.running || !state.report || !goWorkspace() || context.globalState.get<boolean>(DONT_NOTIFY_KEY)) return;
    const failing = model.checks.filter((c) => c.status === 'fail');
    if (!failing.length) return;
    shown = true;
    const first = failing[0]!;
    const text =
      failing.length === 1
        ? `Go debugging: ${first.title}: ${first.summary}`
        : `Go debugging: ${failing.length} checks fail, first ${first.title}: ${first.summary}`;
    void vscode.window.showWarningMessage(text, 'Open Panel', "Don't Show Again").then(async (pick) => {
      if (pick === 'Open Panel') await vscode.commands.executeCommand(COMMAND.showPanel, first.id);
      else if (pick === "Don't Show Again") await context.globalState.update(DONT_NOTIFY_KEY, true);
    });
  });
}
