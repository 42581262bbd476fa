import * as path from 'node:path';
import * as vscode from 'vscode';
import { Facts, type DoctorOptions } from '../core/facts/facts';
import { planLaunchFiles, writePlannedFiles, type LaunchPlan } from '../core/launch/files';
import { generateConfigurations, type ConfigKind, type PresetName } from '../core/launch/generate';
import { lintLaunchJson, lintTasksJson, taskLabels, type LintFinding } from '../core/launch/lint';
import { JsoncFileError, type ClashPolicy } from '../core/launch/merge';
import { discoverWorkspace } from '../core/launch/workspace';

const PREVIEW_SCHEME = 'go-debug-doctor-preview';
const KINDS: { configKind: ConfigKind; label: string; detail: string }[] = [
  { configKind: 'launch', label: 'Launch', detail: 'Build and debug each command (package main)' },
  { configKind: 'test', label: 'Test', detail: 'Debug the tests of each package, and of the current file\'s package' },
  { configKind: 'attach', label: 'Attach to local process', detail: 'Pick a running Go process' },
  { configKind: 'remote', label: 'Headless dlv', detail: 'A background task runs dlv on 127.0.0.1 and an attach configuration connects to it' },
];

function preset(): PresetName {
  const value = vscode.workspace.getConfiguration('goDebugDoctor').get<string>('debugPreset', 'fast');
  return value === 'deep' || value === 'none' ? value : 'fast';
}

/** The go and dlv the doctor selected (go.alternateTools.dlv, so a pinned dlv when installed). */
async function tools(options: DoctorOptions) {
  const facts = new Facts(options);
  const [go, dlv, version] = await Promise.all([facts.goLocation(), facts.dlvLocation(), facts.dlvVersion()]);
  return { go: go.found?.path, dlv: dlv.found?.path, dlvVersion: version?.value?.version };
}

/**
 * "Generate Debug Configurations": pick packages and kinds, preview the diff, confirm, write.
 * Existing entries with the same name are never overwritten without asking.
 */
export async function generateDebugConfigurations(options: () => DoctorOptions, previews: PreviewProvider): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Generating debug configurations runs `go list` in the workspace; trust the workspace first.');
    return;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = folders.length > 1 ? await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Generate debug configurations for which folder?' }) : folders[0];
  if (!folder) return;
  const opts = options();
  const { go, dlv, dlvVersion } = await tools(opts);
  if (!go) {
    void vscode.window.showErrorMessage('go was not found; run "Go Debug Doctor: Run Checks" to see where it was looked for.');
    return;
  }
  const ws = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Finding Go packages' }, () => discoverWorkspace(opts.host, folder.uri.fsPath, go));
  const candidates = ws.packages.filter((p) => p.isMain || p.hasTests);
  if (!candidates.length) {
    void vscode.window.showWarningMessage(`No Go commands or tests found in ${folder.name}${ws.problems.length ? `: ${ws.problems[0]}` : ''}.`);
    return;
  }
  const pickedPackages = await vscode.window.showQuickPick(
    candidates.map((p) => ({ label: p.rel === '.' ? folder.name : p.rel, description: [p.isMain && 'command', p.hasTests && 'tests'].filter(Boolean).join(', '), detail: p.importPath, picked: true, rel: p.rel })),
    { canPickMany: true, title: 'Generate Debug Configurations (1/2)', placeHolder: 'Packages' },
  );
  if (!pickedPackages?.length) return;
  const pickedKinds = await vscode.window.showQuickPick(KINDS.map((k) => ({ ...k, picked: true })), { canPickMany: true, title: `Generate Debug Configurations (2/2): preset "${preset()}"`, placeHolder: 'Kinds of configuration' });
  if (!pickedKinds?.length) return;

  const plan = async (policy: ClashPolicy) =>
    planLaunchFiles({
      host: opts.host, folder: folder.uri.fsPath, go, policy, preset: preset(), kinds: pickedKinds.map((k) => k.configKind), only: pickedPackages.map((p) => p.rel),
      ...(dlv ? { dlvPath: dlv } : {}), ...(dlvVersion ? { dlvVersion } : {}),
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
    if (err instanceof JsoncFileError) {
      void vscode.window.showErrorMessage(`Nothing was written: .vscode/launch.json or tasks.json is not valid (${err.message}). Fix it first.`);
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
  for (const f of changed) {
    const preview = previews.show(f.file, f.result.text);
    await vscode.commands.executeCommand('vscode.diff', f.before === undefined ? previews.show(`${f.file}.empty`, '') : vscode.Uri.file(f.file), preview, `${path.basename(f.file)}: proposed changes`, { preview: true });
  }
  const summary = changed.map((f) => `${path.basename(f.file)}: ${f.result.added.length + f.result.renamed.length} new${f.result.replaced.length ? `, ${f.result.replaced.length} replaced` : ''}`).join('; ');
  const ok = await vscode.window.showInformationMessage(`Write these changes? ${summary}`, { modal: true, detail: 'Comments, formatting and your own entries stay as they are.' }, 'Write');
  if (ok !== 'Write') return;
  await writePlannedFiles(result);
  const open = await vscode.window.showInformationMessage(`Wrote ${changed.map((f) => path.relative(folder.uri.fsPath, f.file)).join(' and ')}. Start one from Run and Debug.`, 'Open launch.json');
  if (open) await vscode.window.showTextDocument(vscode.Uri.file(path.join(folder.uri.fsPath, '.vscode', 'launch.json')));
}

/** Serves the proposed file contents to the diff editor. */
export class PreviewProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  show(file: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: file });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
  static readonly scheme = PREVIEW_SCHEME;
}

/** Offers the generated launch, test and attach configurations in Run and Debug's dynamic list. */
export class GoConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly options: () => DoctorOptions) {}
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    if (!folder || !vscode.workspace.isTrusted) return [];
    const opts = this.options();
    const { go, dlvVersion } = await tools(opts);
    if (!go) return [];
    const ws = await discoverWorkspace(opts.host, folder.uri.fsPath, go);
    // Headless configurations need their task in tasks.json: those come from the Generate command.
    const generated = await generateConfigurations({ folderName: folder.name, packages: ws.packages, kinds: ['launch', 'test', 'attach'], preset: preset(), ...(dlvVersion ? { dlvVersion } : {}) });
    return generated.configurations as vscode.DebugConfiguration[];
  }
}

/** Lint findings as diagnostics on launch.json and tasks.json, with quick fixes where safe. */
export class LaunchDiagnostics implements vscode.CodeActionProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('go-debug-doctor');
  /** Findings per document, with the version they were computed for (offsets go stale on edits). */
  private readonly findings = new Map<string, { version: number; findings: LintFinding[] }>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private dlvVersion: Promise<string | undefined> | undefined;

  constructor(private readonly options: () => DoctorOptions) {}

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
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  private schedule(document: vscode.TextDocument): void {
    if (!/[\\/]\.vscode[\\/](launch|tasks)\.json$/.test(document.uri.fsPath)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => void this.lint(document), 300));
  }

  private async lint(document: vscode.TextDocument): Promise<void> {
    this.dlvVersion ??= new Facts(this.options()).dlvVersion().then((v) => v?.value?.version, () => undefined);
    const dlvVersion = await this.dlvVersion;
    const text = document.getText();
    const file = document.uri.fsPath;
    let findings: LintFinding[];
    if (file.endsWith('tasks.json')) findings = lintTasksJson(text, { file, ...(dlvVersion ? { dlvVersion } : {}) });
    else {
      const tasksUri = vscode.Uri.file(path.join(path.dirname(file), 'tasks.json'));
      const tasksText = await vscode.workspace.fs.readFile(tasksUri).then((b) => Buffer.from(b).toString('utf8'), () => undefined);
      findings = await lintLaunchJson(text, { file, ...(dlvVersion ? { dlvVersion } : {}), taskLabels: tasksText ? taskLabels(tasksText) : [] });
    }
    this.findings.set(document.uri.toString(), { version: document.version, findings });
    this.collection.set(document.uri, findings.map((f) => {
      const range = new vscode.Range(document.positionAt(f.offset), document.positionAt(f.offset + f.length));
      const d = new vscode.Diagnostic(range, f.message, f.severity === 'error' ? vscode.DiagnosticSeverity.Error : f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
      d.source = 'Go Debug Doctor';
      d.code = f.rule;
      return d;
    }));
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
      for (const e of f.fix.edits) action.edit.replace(document.uri, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.text);
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}
