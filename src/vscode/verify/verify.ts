import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Session } from '../../core/session/session';
import type { CheckResult } from '../../core/checks/types';
import { ConfigError, readLaunchJson, verifiableConfigurations, type GoSettings } from '../../core/verify/config';
import { runVerify } from '../../core/verify/engine';
import type { VerifyResult } from '../../core/verify/result';
import { planFor } from '../../core/verify/flow';
import { writeFix } from '../../core/verify/fix';
import { formatVerify } from '../../core/verify/format';
import type { BreakpointSpec } from '../../core/verify/defaults';
import { rows } from './watchers';

const SCHEME = 'go-debug-doctor-verify';
const MAX_BREAKPOINTS = 20;

let preview: { texts: Map<string, string>; changed: vscode.EventEmitter<vscode.Uri> } | undefined;

/** The diff preview's documents (registered on first use). */
function previews(context: vscode.ExtensionContext): NonNullable<typeof preview> {
  if (preview) return preview;
  const texts = new Map<string, string>();
  const changed = new vscode.EventEmitter<vscode.Uri>();
  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: (uri) => texts.get(uri.toString()) ?? '',
    }),
  );
  return (preview = { texts, changed });
}

/**
 * "Verify Debug Configuration": the user's own configuration through real Delve, with the editor's
 * breakpoints; a panel row per configuration; "Apply Fix" after a diff and a confirmation.
 */
export async function verifyDebugConfiguration(
  session: Session,
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  setRow: (row: CheckResult) => void,
  configName?: string,
): Promise<VerifyResult | undefined> {
  const report = (row: CheckResult) => {
    rows.set(row.id, { row, at: Date.now() });
    setRow(row);
  };
  const { texts, changed } = previews(context);
  return verifyCommand(session, log, report, texts, changed, configName);
}

async function verifyCommand(
  session: Session,
  log: vscode.LogOutputChannel,
  report: (row: CheckResult) => void,
  previews: Map<string, string>,
  changed: vscode.EventEmitter<vscode.Uri>,
  configName?: string,
): Promise<VerifyResult | undefined> {
  const folder = await pickFolder();
  if (!folder) return undefined;
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage("Go Debug Doctor: Verify builds and runs the workspace's program; trust this workspace first.");
    return undefined;
  }
  const host = session.host;
  let name = configName;
  if (!name) {
    let configs: Record<string, unknown>[];
    try {
      configs = verifiableConfigurations((await readLaunchJson(host, folder.uri.fsPath)).configurations);
    } catch (err) {
      void vscode.window
        .showErrorMessage(`Go Debug Doctor: ${err instanceof ConfigError ? err.message : String(err)}`, 'Generate Debug Configurations')
        .then((pick) => {
          if (pick) void vscode.commands.executeCommand('goDebugDoctor.generateLaunch');
        });
      return undefined;
    }
    if (!configs.length) {
      void vscode.window.showErrorMessage('Go Debug Doctor: launch.json has no Go launch or mode "remote" configuration to verify.');
      return undefined;
    }
    const pick =
      configs.length === 1
        ? { label: String(configs[0]!.name) }
        : await vscode.window.showQuickPick(
            configs.map((c) => ({ label: String(c.name), description: `${String(c.request)} ${String(c.mode ?? '')}` })),
            { placeHolder: 'Verify which debug configuration?' },
          );
    if (!pick) return undefined;
    name = pick.label;
  }
  const [go, dlv] = await Promise.all([session.facts.goLocation(), session.facts.dlvLocation()]);
  if (!go.found || !dlv.found) {
    const pick = await vscode.window.showErrorMessage(
      `Go Debug Doctor: cannot verify: ${!go.found ? 'go was not found' : 'dlv was not found'}.`,
      ...(dlv.found ? [] : ['Install Pinned dlv']),
    );
    if (pick) await vscode.commands.executeCommand('goDebugDoctor.installDlv');
    return undefined;
  }
  const run = (title: string) =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const launch = await readLaunchJson(host, folder.uri.fsPath).catch(() => undefined);
      const raw = launch?.configurations.find((c) => c.name === name);
      const breakpoints = editorBreakpoints(folder, raw);
      const active = vscode.window.activeTextEditor?.document;
      return runVerify({
        host: host,
        folder: folder.uri.fsPath,
        config: name,
        dlv: dlv.found!.path,
        go: go.found!.path,
        settings: goSettings(folder),
        ...(breakpoints.length ? { breakpoints } : {}),
        ...(active?.languageId === 'go' && active.uri.scheme === 'file' ? { activeFile: active.uri.fsPath } : {}),
        signal: abort.signal,
        // A launch.json is input: programs it makes run are named, and run only with the user's yes
        // (asked once per Verify; a re-run after Apply Fix asks again).
        allowPrograms: async (what) =>
          (await vscode.window.showWarningMessage(
            `Verify "${name}": this configuration makes other programs run.`,
            { modal: true, detail: what.map((w) => `• ${w}`).join('\n') },
            'Run',
          )) === 'Run',
        onStep: (s) => {
          log.info(
            `verify "${name}" ${s.id}: ${s.ok ? 'ok' : 'FAILED'} in ${s.durationMs} ms${s.detail ? ` (${s.detail.split('\n', 1)[0]})` : ''}`,
          );
          progress.report({ message: `${s.id} ${s.ok ? '✓' : '✗'}` });
        },
      });
    });
  const result = await run(`Go Debug Doctor: verifying "${name}"`);
  log.info(formatVerify({ before: result }));
  report(verifyRow(result));
  if (result.configError) {
    void vscode.window.showErrorMessage(`Go Debug Doctor: ${result.error}`);
    return result;
  }
  if (result.outcome === 'cancelled') return result;
  if (result.outcome === 'pass') {
    const hit = result.breakpoints[0]!;
    void vscode.window
      .showInformationMessage(
        `"${result.config}" works: the breakpoint at ${path.basename(hit.file)}:${hit.boundLine ?? hit.line} bound and the program stopped there (${(result.durationMs / 1000).toFixed(1)} s).`,
        'Show Details',
      )
      .then((p) => p && log.show());
    return result;
  }
  const plan = await planFor(host, result);
  const first = result.breakpoints.find((b) => b.cause);
  const text = `"${result.config}": ${first?.cause ?? result.diagnoses[0]?.cause ?? result.error ?? 'the breakpoint did not bind'}${result.diagnoses[0] ? ` Fix: ${result.diagnoses[0].fix}` : ''}`;
  const pick = await vscode.window.showWarningMessage(text, ...(plan?.changed ? ['Apply Fix'] : []), 'Show Details');
  if (pick === 'Show Details') log.show();
  if (pick !== 'Apply Fix' || !plan?.changed || !result.launchFile) return result;
  // The diff first, then a confirmation, then the write.
  const uri = vscode.Uri.from({ scheme: SCHEME, path: result.launchFile });
  previews.set(uri.toString(), plan.text);
  changed.fire(uri);
  await vscode.commands.executeCommand('vscode.diff', vscode.Uri.file(result.launchFile), uri, `launch.json ↔ fixed "${result.config}"`);
  const confirm = await vscode.window.showInformationMessage(
    `Write this change to launch.json? Only "${result.config}" changes; comments and everything else stay as they are.`,
    { modal: true },
    'Write and Verify Again',
  );
  if (confirm !== 'Write and Verify Again') return result;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === result.launchFile && d.isDirty);
  if (open) {
    void vscode.window.showErrorMessage('Go Debug Doctor: launch.json has unsaved changes; save or revert them, then apply the fix again.');
    return result;
  }
  try {
    await writeFix(result.launchFile, plan);
  } catch (err) {
    void vscode.window.showErrorMessage(`Go Debug Doctor: ${err instanceof Error ? err.message : String(err)}`);
    return result;
  }
  const again = await run(`Go Debug Doctor: verifying "${name}" again`);
  again.fixed = again.outcome === 'pass';
  log.info(formatVerify({ before: again }));
  report(verifyRow(again));
  if (again.fixed)
    void vscode.window.showInformationMessage(
      `Fixed: "${again.config}" now stops at ${path.basename(again.breakpoints[0]!.file)}:${again.breakpoints[0]!.boundLine ?? again.breakpoints[0]!.line}.`,
    );
  else
    void vscode.window
      .showWarningMessage(
        `"${again.config}" still fails after the fix: ${again.breakpoints.find((b) => b.cause)?.cause ?? again.error ?? ''}`,
        'Show Details',
      )
      .then((p) => p && log.show());
  return again;
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) {
    if (!folders.length) void vscode.window.showErrorMessage('Go Debug Doctor: open a folder with a .vscode/launch.json first.');
    return folders[0];
  }
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Verify a configuration of which folder?' });
}

function goSettings(folder: vscode.WorkspaceFolder): GoSettings {
  const go = vscode.workspace.getConfiguration('go', folder.uri);
  const delveConfig = go.get<Record<string, unknown>>('delveConfig');
  const toolsEnvVars = go.get<Record<string, string>>('toolsEnvVars');
  return {
    ...(delveConfig && Object.keys(delveConfig).length ? { delveConfig } : {}),
    ...(toolsEnvVars && Object.keys(toolsEnvVars).length ? { toolsEnvVars } : {}),
  };
}

/**
 * The editor's enabled line breakpoints in Go files that belong to the configuration's program: its
 * package for a test configuration, its module (all of a go.work's) for debug, the workspace otherwise;
 * test files only for a test configuration.
 */
function editorBreakpoints(folder: vscode.WorkspaceFolder, raw: Record<string, unknown> | undefined): BreakpointSpec[] {
  const root = folder.uri.fsPath;
  const program = typeof raw?.program === 'string' ? path.resolve(root, raw.program.replace(/\$\{workspaceFolder\}/g, root)) : undefined;
  const programDir = program && (program.endsWith('.go') ? path.dirname(program) : program);
  let scope = root;
  if (programDir && raw?.mode === 'test') scope = programDir;
  else if (programDir && raw?.request === 'launch' && raw.mode !== 'exec' && !existsSync(path.join(root, 'go.work'))) {
    for (let dir = programDir; dir.startsWith(root); dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, 'go.mod'))) {
        scope = dir;
        break;
      }
      if (dir === path.dirname(dir)) break;
    }
  }
  // A program built without its tests never holds a _test.go line: such breakpoints belong to a test configuration.
  const testsBuilt = raw?.mode === 'test';
  const within = (file: string) => (file === scope || file.startsWith(`${scope}${path.sep}`)) && (testsBuilt || !file.endsWith('_test.go'));
  return vscode.debug.breakpoints
    .filter((b): b is vscode.SourceBreakpoint => b instanceof vscode.SourceBreakpoint && b.enabled)
    .filter((b) => b.location.uri.scheme === 'file' && b.location.uri.fsPath.endsWith('.go') && within(b.location.uri.fsPath))
    .slice(0, MAX_BREAKPOINTS)
    .map((b) => ({ file: b.location.uri.fsPath, line: b.location.range.start.line + 1 }));
}

/** One panel row per verified configuration: the last result, when, and the fix. */
function verifyRow(result: VerifyResult): CheckResult {
  const first = result.breakpoints[0];
  const status = result.outcome === 'pass' ? 'pass' : result.outcome === 'cancelled' ? 'skip' : result.configError ? 'error' : 'fail';
  const summary =
    result.outcome === 'pass'
      ? `Breakpoint ${path.basename(first!.file)}:${first!.boundLine ?? first!.line} bound and hit${result.fixed ? ' after the fix' : ''}.`
      : result.outcome === 'cancelled'
        ? 'Cancelled.'
        : (result.breakpoints.find((b) => b.cause)?.cause ?? result.diagnoses[0]?.cause ?? result.error ?? 'The breakpoint did not bind.');
  return {
    id: `verify.${result.config}`,
    title: `Verify "${result.config}"`,
    status,
    summary,
    detail: `${result.request} ${result.mode}, ${new Date().toLocaleTimeString()}, ${(result.durationMs / 1000).toFixed(1)} s`,
    evidence: result.breakpoints.map((b) => ({
      label: `${path.basename(b.file)}:${b.line}`,
      value: `${b.verified ? 'verified' : 'not verified'}${b.hit ? ', hit' : ''}${b.message ? ` — Delve: ${b.message}` : ''}`,
    })),
    fixes: [
      ...result.fixes.map((f) => ({
        label: f.label,
        ...(f.automatic ? { command: `go-debug-doctor verify --config ${JSON.stringify(result.config)} --fix` } : {}),
      })),
      ...(result.fixes.length ? [] : result.diagnoses).map((d) => ({ label: d.fix })),
    ],
    durationMs: result.durationMs,
  };
}
