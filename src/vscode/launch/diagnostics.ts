import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LintFinding } from '../../core/launch/lintFinding';
import type { Session } from '../../core/session/session';

/** Lint findings as diagnostics on launch.json and tasks.json, with quick fixes where safe. */
export class LaunchDiagnostics implements vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('go-debug-doctor');
  /** Findings per document, with the version they were computed for (offsets go stale on edits). */
  private readonly findings = new Map<string, { version: number; findings: LintFinding[] }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly runs = new Map<string, number>();
  private dlvVersion: Promise<string | undefined> | undefined;

  constructor(private readonly session: () => Promise<Session>) {}

  register(context: vscode.ExtensionContext): void {
    const selector: vscode.DocumentSelector = [{ pattern: '**/.vscode/{launch,tasks}.json' }];
    context.subscriptions.push(
      this.collection,
      vscode.languages.registerCodeActionsProvider(selector, this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.collection.delete(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('go.alternateTools')) this.dlvVersion = undefined;
      }),
    );
    // launch.json's findings depend on tasks.json (preLaunchTask labels): when tasks.json appears,
    // changes or goes on disk (Generate writes it just after launch.json), lint launch.json again.
    const tasksWatcher = vscode.workspace.createFileSystemWatcher('**/.vscode/tasks.json');
    const relintLaunch = (tasks: vscode.Uri) => this.scheduleLaunchBeside(tasks);
    context.subscriptions.push(
      tasksWatcher,
      tasksWatcher.onDidCreate(relintLaunch),
      tasksWatcher.onDidChange(relintLaunch),
      tasksWatcher.onDidDelete(relintLaunch),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  /** Only the real files: the Generate command's diff previews have the same paths in another scheme. */
  private static linted(uri: vscode.Uri): 'launch' | 'tasks' | undefined {
    if (uri.scheme !== 'file') return undefined;
    return /[\\/]\.vscode[\\/]launch\.json$/.test(uri.fsPath)
      ? 'launch'
      : /[\\/]\.vscode[\\/]tasks\.json$/.test(uri.fsPath)
        ? 'tasks'
        : undefined;
  }

  private schedule(document: vscode.TextDocument): void {
    const kind = LaunchDiagnostics.linted(document.uri);
    if (!kind) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => void this.lint(document), 300),
    );
    if (kind === 'tasks') this.scheduleLaunchBeside(document.uri);
  }

  private scheduleLaunchBeside(tasks: vscode.Uri): void {
    const launch = path.join(path.dirname(tasks.fsPath), 'launch.json');
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === launch);
    if (open) this.schedule(open);
  }

  /** tasks.json as the user sees it: the open document (unsaved edits included), else the file. */
  private static async tasksText(launchFile: string): Promise<string | undefined> {
    const file = path.join(path.dirname(launchFile), 'tasks.json');
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
    if (open) return open.getText();
    const { readUserText } = await import('../../core/io/read');
    return readUserText(file).catch(() => undefined);
  }

  private async lint(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    const run = (this.runs.get(key) ?? 0) + 1;
    this.runs.set(key, run);
    this.dlvVersion ??= this.session()
      .then((session) => session.facts.dlvVersion())
      .then(
        (v) => v?.value?.version,
        () => undefined,
      );
    const [{ lintLaunchJson }, { lintTasksJson, taskLabels }] = await Promise.all([
      import('../../core/launch/lint'),
      import('../../core/launch/lintTasks'),
    ]);
    const dlvVersion = await this.dlvVersion;
    const text = document.getText();
    const file = document.uri.fsPath;
    let findings: LintFinding[];
    if (LaunchDiagnostics.linted(document.uri) === 'tasks') findings = lintTasksJson(text, { file, ...(dlvVersion ? { dlvVersion } : {}) });
    else {
      const tasksText = await LaunchDiagnostics.tasksText(file);
      findings = await lintLaunchJson(text, {
        file,
        ...(dlvVersion ? { dlvVersion } : {}),
        taskLabels: tasksText ? taskLabels(tasksText) : [],
      });
    }
    // A later run (started while this one awaited tasks.json) has newer inputs: it alone reports.
    if (this.runs.get(key) !== run || document.isClosed) return;
    this.findings.set(key, { version: document.version, findings });
    this.collection.set(
      document.uri,
      findings.map((f) => {
        const range = new vscode.Range(document.positionAt(f.offset), document.positionAt(f.offset + f.length));
        const d = new vscode.Diagnostic(
          range,
          f.message,
          f.severity === 'error'
            ? vscode.DiagnosticSeverity.Error
            : f.severity === 'warning'
              ? vscode.DiagnosticSeverity.Warning
              : vscode.DiagnosticSeverity.Information,
        );
        d.source = 'Go Debug Doctor';
        d.code = f.rule;
        return d;
      }),
    );
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const known = this.findings.get(document.uri.toString());
    if (!known || known.version !== document.version) return actions;
    for (const f of known.findings) {
      const at = new vscode.Range(document.positionAt(f.offset), document.positionAt(f.offset + f.length));
      if (!f.fix || !at.intersection(range)) continue;
      const action = new vscode.CodeAction(f.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      for (const e of f.fix.edits)
        action.edit.replace(
          document.uri,
          new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)),
          e.text,
        );
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}
