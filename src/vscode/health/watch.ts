import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../core/checks/types';
import { runAction } from '../actions';
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
  // The binaries the last run used (go env, dlv version, gopls version ran them), and where a
  // missing dlv or gopls was looked for: a reinstall, a removal, or a dlv that arrives another way
  // (golang.go's own install into GOPATH/bin) re-runs the checks.
  let watched = '';
  let poll: NodeJS.Timeout | undefined;
  context.subscriptions.push({ dispose: () => clearInterval(poll) });
  model.onDidChange((state) => {
    const missing = missingToolPlaces(state.report?.checks ?? []);
    const tools = [...new Set([...toolFiles(state.report?.probes ?? []), ...missing])].sort();
    if (tools.join('\n') === watched) return;
    watched = tools.join('\n');
    // A file watcher on a folder that does not exist yet (a fresh GOPATH/bin) may never fire: while
    // a tool is missing, its places are also looked at every few seconds (a stat each, no process).
    clearInterval(poll);
    poll = undefined;
    if (missing.length) {
      let before: string | undefined;
      poll = setInterval(() => {
        void existing(missing).then((now) => {
          if (before !== undefined && now !== before) model.refreshSoon('a missing tool appeared', 0);
          before = now;
        });
      }, 3000);
    }
    watchers.splice(0).forEach((w) => w.dispose());
    for (const file of tools)
      watchers.push(
        watch(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)), `${path.basename(file)} changed`),
      );
  });
}

const toolFiles = (probes: readonly { argv: string[] }[]) =>
  probes.map((p) => p.argv[0] ?? '').filter((f) => /(^|\/)(go|dlv|gopls)$/.test(f));

/** Which of `files` exist now, as one comparable string. */
async function existing(files: readonly string[]): Promise<string> {
  const found = await Promise.all(
    files.map((f) =>
      fs.stat(f).then(
        (st) => st.isFile(),
        () => false,
      ),
    ),
  );
  return files.filter((_, i) => found[i]).join('\n');
}

/** The files a failing tools.dlv/tools.gopls searched (its "searched" evidence), absolute paths only. */
function missingToolPlaces(checks: readonly CheckResult[]): string[] {
  return checks
    .filter((c) => (c.id === 'tools.dlv' || c.id === 'tools.gopls') && c.status !== 'pass')
    .flatMap((c) => c.evidence.filter((e) => e.label === 'searched').flatMap((e) => e.value.split('\n')))
    .filter((f) => path.isAbsolute(f));
}

/**
 * At most one notification a session, only in a Go workspace, only for a failing check, and never
 * again once dismissed for good. Its first button is the fix itself: Set Up Debugging when Delve
 * is what fails, else the failing check's own safe fix. A click after the problem went away
 * (fixed another way) only says so.
 */
export function notifyOnceOnFailure(context: vscode.ExtensionContext, model: HealthModel, goWorkspace: () => boolean): void {
  let shown = false;
  model.onDidChange(async (state) => {
    if (shown || state.running || !state.report || !goWorkspace() || context.globalState.get<boolean>(DONT_NOTIFY_KEY)) return;
    const failing = model.checks.filter((c) => c.status === 'fail');
    if (!failing.length) return;
    shown = true;
    const { delveBlockers } = await import('../../core/checks/delveReadiness');
    const blocker = delveBlockers(failing)[0];
    const first = blocker?.check ?? failing[0]!;
    const fix = blocker ? undefined : first.fixes.find((f) => f.action);
    const fixLabel = blocker ? 'Set Up Debugging' : fix?.label;
    const text = blocker
      ? `Go debugging: ${blocker.headline}`
      : failing.length === 1
        ? `Go debugging: ${first.title}: ${first.summary}`
        : `Go debugging: ${failing.length} checks fail, first ${first.title}: ${first.summary}`;
    const pick = await vscode.window.showWarningMessage(text, ...(fixLabel ? [fixLabel] : []), 'Open Panel', "Don't Show Again");
    if (pick === "Don't Show Again") return context.globalState.update(DONT_NOTIFY_KEY, true);
    if (!pick) return;
    const now = model.checks.find((c) => c.id === first.id);
    if (pick === fixLabel && now && now.status !== 'fail') {
      void vscode.window.showInformationMessage(`Already fixed: ${now.title}: ${now.summary}`);
      return;
    }
    if (pick === 'Open Panel') await vscode.commands.executeCommand(COMMAND.showPanel, first.id);
    else if (blocker) await vscode.commands.executeCommand(COMMAND.setUp);
    else if (fix) await runAction(fix);
  });
}
