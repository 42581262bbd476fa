import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runDoctor } from '../core/checks/doctor';
import { formatDiagnosticsReport } from '../core/output/diagnosticsReport';
import { HealthModel } from './health';
import { HealthView, registerFixCommands } from './healthView';
import { HealthStatusBar } from './statusBar';
import type { DoctorOptions } from '../core/facts/facts';
import type { DlvRequest } from '../core/install/plan';
import { dlvInstallFolder, installPinnedDlv } from './installDlv';
import { generateDebugConfigurations, GoConfigurationProvider, LaunchDiagnostics, PreviewProvider } from './launchConfig';
import { DelveMessageWatcher, runDebugSelfTest } from './selfTest';
import { LiveHost } from '../core/probes/host';
import { describeProbe, shellQuote } from '../core/probes/process';
import type { CheckResult } from '../core/checks/types';
import type { ToolSettings } from '../core/facts/discovery';


/** The Go extension's settings that decide which binaries it runs; workspace values only when trusted. */
function toolSettings(folder: vscode.WorkspaceFolder | undefined): ToolSettings {
  const go = vscode.workspace.getConfiguration('go', folder?.uri);
  const pick = <T>(key: string): T | undefined => {
    const inspected = go.inspect<T>(key);
    if (!inspected) return undefined;
    if (vscode.workspace.isTrusted) return go.get<T>(key);
    // In an untrusted workspace, a workspace could point us at a binary of its choosing: use only
    // the user's own values.
    return inspected.globalValue ?? inspected.defaultValue;
  };
  const settings: ToolSettings = {};
  const alternateTools = pick<Record<string, string>>('alternateTools');
  if (alternateTools && Object.keys(alternateTools).length) settings.alternateTools = alternateTools;
  for (const key of ['goroot', 'toolsGopath', 'gopath'] as const) {
    const value = pick<string>(key);
    if (value) settings[key] = value;
  }
  return settings;
}

interface GoExtensionApi {
  settings?: { getExecutionCommand?(tool: string, resource?: vscode.Uri): { binPath: string } | undefined };
}

/** The exact binaries the Go extension will run, from its exported API (only when it is already active). */
function pathsFromGoExtension(folder: vscode.WorkspaceFolder | undefined): Record<string, string> {
  const ext = vscode.extensions.getExtension<GoExtensionApi>('golang.go');
  const api = ext?.isActive ? ext.exports : undefined;
  const paths: Record<string, string> = {};
  for (const tool of ['go', 'dlv', 'gopls']) {
    try {
      const binPath = api?.settings?.getExecutionCommand?.(tool, folder?.uri)?.binPath;
      if (binPath) paths[tool] = binPath;
    } catch {
      // an older Go extension without this API: fall back to our own search
    }
  }
  return paths;
}

/** One host for a run, its probes logged (full output at trace level). */
function loggedHost(log: vscode.LogOutputChannel): LiveHost {
  const host = new LiveHost();
  host.onProbe((p) => {
    const line = `${shellQuote(p.argv)} → ${describeProbe(p)}`;
    if (p.outcome === 'ok') log.info(line);
    else log.warn(line);
    if (p.stdout || p.stderr) log.trace(`${p.stdout}${p.stderr}`.trim());
  });
  return host;
}

/** What the doctor needs to see the machine as the Go extension does, for the first workspace folder. */
export function doctorOptions(log: vscode.LogOutputChannel, context: vscode.ExtensionContext): DoctorOptions {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const goExtension = vscode.extensions.getExtension('golang.go');
  const ours = vscode.workspace.getConfiguration('goDebugDoctor');
  const custom = ours.get<{ go?: string; dlv?: string; gopls?: string }>('customProfile');
  return {
    host: loggedHost(log),
    // An untrusted workspace's go.mod is not read: it could name any toolchain.
    ...(folder && vscode.workspace.isTrusted ? { workspace: folder.uri.fsPath } : {}),
    settings: { ...toolSettings(folder), fromGoExtension: pathsFromGoExtension(folder) },
    timeoutMs: ours.get<number>('probeTimeoutMs', 10_000),
    profile: ours.get<string>('profile', 'recommended'),
    ...(custom && Object.keys(custom).length ? { customProfile: custom } : {}),
    backend: ours.get<'default' | 'native' | 'lldb' | 'rr'>('backend', 'default'),
    pinnedDlv: path.join(dlvInstallFolder(context), 'dlv'),
    goExtension: goExtension ? { version: String(goExtension.packageJSON?.version ?? 'unknown'), path: goExtension.extensionPath } : null,
  };
}

/** What the extension exports: for our own integration tests and for other extensions that want the verdicts. */
export interface GoDebugDoctorApi {
  checks(): CheckResult[];
  refresh(): Promise<void>;
  /** How long activate() took, in milliseconds (it defers all probing). */
  activationMs: number;
}

const NOTIFIED_KEY = 'goDebugDoctor.dontNotify';

export function activate(context: vscode.ExtensionContext): GoDebugDoctorApi {
  const activationStarted = performance.now();
  const log = vscode.window.createOutputChannel('Go Debug Doctor', { log: true });
  const options = () => doctorOptions(log, context);
  const settings = () => vscode.workspace.getConfiguration('goDebugDoctor');
  const model = new HealthModel(async () => {
    const report = await runDoctor({ ...options(), probeOutput: true });
    log.info(`checks done in ${report.durationMs} ms: ${JSON.stringify(report.counts)}`);
    return report;
  }, log);
  let goWorkspace = false;
  const statusBar = new HealthStatusBar(model, () => goWorkspace);
  const view = new HealthView(model);
  const previews = new PreviewProvider();
  context.subscriptions.push(log, model, statusBar, view);
  registerFixCommands(context);

  const showPanel = async (checkId?: string) => {
    await vscode.commands.executeCommand('goDebugDoctor.health.focus');
    if (typeof checkId === 'string') await view.reveal(checkId);
  };
  const refreshAfter = <T>(fn: () => Promise<T>) => async () => {
    const result = await fn();
    void model.refresh('after a fix');
    return result;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('goDebugDoctor.runChecks', async () => {
      await model.refresh('Run Checks');
      await showPanel();
    }),
    vscode.commands.registerCommand('goDebugDoctor.showPanel', showPanel),
    vscode.commands.registerCommand('goDebugDoctor.installDlv', (request?: DlvRequest) => installPinnedDlv({ context, log, options, afterInstall: () => model.refresh('dlv installed') }, request)),
    vscode.commands.registerCommand('goDebugDoctor.generateLaunch', refreshAfter(() => generateDebugConfigurations(options, previews))),
    vscode.commands.registerCommand('goDebugDoctor.selfTest', () => runDebugSelfTest(options(), log, (row) => model.setRow(row))),
    vscode.commands.registerCommand('goDebugDoctor.copyReport', () => copyDiagnosticsReport(model, log)),
    vscode.commands.registerCommand('goDebugDoctor.showLog', () => log.show()),
    vscode.workspace.registerTextDocumentContentProvider(PreviewProvider.scheme, previews),
  );
  offerDynamicConfigurations(context, new GoConfigurationProvider(options));
  new LaunchDiagnostics(options).register(context);
  new DelveMessageWatcher(log, (row) => model.setRow(row)).register(context);
  watchForChanges(context, model, statusBar);
  notifyOnceOnFailure(context, model, () => goWorkspace);

  // Deferred: activation returns at once; the first run starts when VS Code has settled.
  const startup = setTimeout(() => {
    void isGoWorkspace().then((yes) => {
      goWorkspace = yes;
      void vscode.commands.executeCommand('setContext', 'goDebugDoctor.goWorkspace', yes);
      statusBar.render();
      if (settings().get<boolean>('checkOnStartup', true)) void model.refresh('start-up');
    });
  }, 500);
  context.subscriptions.push({ dispose: () => clearTimeout(startup) });

  const activationMs = Math.round((performance.now() - activationStarted) * 10) / 10;
  log.info(`activated in ${activationMs} ms`);
  return { checks: () => model.checks, refresh: () => model.refresh('API'), activationMs };
}

/**
 * Run and Debug's dynamic list for `go`, once some extension (the Go extension) contributes a `go`
 * debugger: without one VS Code would show our entries under a nameless "undefined..." item.
 */
function offerDynamicConfigurations(context: vscode.ExtensionContext, provider: vscode.DebugConfigurationProvider): void {
  let registration: vscode.Disposable | undefined;
  const update = () => {
    const goDebugger = vscode.extensions.all.some((e) => (e.packageJSON?.contributes?.debuggers as { type?: string }[] | undefined)?.some((d) => d.type === 'go'));
    if (goDebugger && !registration) registration = vscode.debug.registerDebugConfigurationProvider('go', provider, vscode.DebugConfigurationProviderTriggerKind.Dynamic);
    else if (!goDebugger && registration) {
      registration.dispose();
      registration = undefined;
    }
  };
  update();
  context.subscriptions.push(vscode.extensions.onDidChange(update), { dispose: () => registration?.dispose() });
}

async function isGoWorkspace(): Promise<boolean> {
  if (!vscode.workspace.workspaceFolders?.length) return false;
  const found = await vscode.workspace.findFiles('{go.mod,go.work,**/go.mod,**/go.work,*.go}', '**/{node_modules,vendor,.git}/**', 1);
  return found.length > 0;
}

/** Re-runs the checks when something they read changes: settings, go.mod/go.work, launch.json, the tool binaries. */
function watchForChanges(context: vscode.ExtensionContext, model: HealthModel, statusBar: HealthStatusBar): void {
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
      if (e.affectsConfiguration('goDebugDoctor.statusBar')) statusBar.render();
      if (e.affectsConfiguration('go') || (e.affectsConfiguration('goDebugDoctor') && !e.affectsConfiguration('goDebugDoctor.statusBar'))) model.refreshSoon('settings changed');
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => model.refreshSoon('workspace trusted', 0)),
    vscode.extensions.onDidChange(() => model.refreshSoon('extensions changed')),
    { dispose: () => watchers.splice(0).forEach((w) => w.dispose()) },
  );
  // The binaries the last run used (go env, dlv version, gopls version ran them): a reinstall or a
  // removal re-runs the checks.
  let watched = '';
  model.onDidChange((state) => {
    const tools = [...new Set((state.report?.probes ?? []).map((p) => p.argv[0] ?? '').filter((f) => /(^|\/)(go|dlv|gopls)$/.test(f)))].sort();
    if (tools.join('\n') === watched) return;
    watched = tools.join('\n');
    watchers.splice(0).forEach((w) => w.dispose());
    for (const file of tools) watchers.push(watch(new vscode.RelativePattern(vscode.Uri.file(path.dirname(file)), path.basename(file)), `${path.basename(file)} changed`));
  });
}

/** At most one notification a session, only in a Go workspace, only for a failing check, and never again once dismissed for good. */
function notifyOnceOnFailure(context: vscode.ExtensionContext, model: HealthModel, goWorkspace: () => boolean): void {
  let shown = false;
  model.onDidChange((state) => {
    if (shown || state.running || !state.report || !goWorkspace() || context.globalState.get<boolean>(NOTIFIED_KEY)) return;
    const failing = model.checks.filter((c) => c.status === 'fail');
    if (!failing.length) return;
    shown = true;
    const first = failing[0]!;
    const text = failing.length === 1 ? `Go debugging: ${first.title}: ${first.summary}` : `Go debugging: ${failing.length} checks fail, first ${first.title}: ${first.summary}`;
    void vscode.window.showWarningMessage(text, 'Open Panel', "Don't Show Again").then(async (pick) => {
      if (pick === 'Open Panel') await vscode.commands.executeCommand('goDebugDoctor.showPanel', first.id);
      else if (pick === "Don't Show Again") await context.globalState.update(NOTIFIED_KEY, true);
    });
  });
}

/** Markdown for a bug report, home folder and user name replaced; copied, and opened for a last read. */
async function copyDiagnosticsReport(model: HealthModel, log: vscode.LogOutputChannel): Promise<string | undefined> {
  if (!model.state.report) await model.refresh('diagnostics report');
  const report = model.state.report;
  if (!report) {
    void vscode.window.showErrorMessage(`Go Debug Doctor: no report: ${model.state.error ?? 'the checks did not finish'}.`);
    return undefined;
  }
  const goExt = vscode.extensions.getExtension('golang.go');
  const text = formatDiagnosticsReport(report, {
    home: os.homedir(),
    user: safeUserName(),
    environment: {
      Editor: `${vscode.env.appName} ${vscode.version} (${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}${vscode.env.remoteName ? `, remote ${vscode.env.remoteName}` : ''})`,
      'Go extension': goExt ? String(goExt.packageJSON?.version ?? 'unknown') : 'not installed',
      'Workspace trust': vscode.workspace.isTrusted ? 'trusted' : 'restricted',
    },
    extraChecks: [...model.state.extra.values()],
  });
  await vscode.env.clipboard.writeText(text);
  log.info(`diagnostics report copied (${text.length} characters)`);
  void vscode.window.showInformationMessage('Go Debug Doctor: diagnostics report copied. Home folder and user name are replaced; please read it before you share it.', 'Open Report').then(async (pick) => {
    if (pick) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: text }));
  });
  return text;
}

function safeUserName(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined;
  }
}

export function deactivate(): void {}
