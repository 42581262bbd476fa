import * as path from 'node:path';
import * as vscode from 'vscode';
import { runDoctor, type DoctorReport } from '../core/doctor';
import type { DoctorOptions } from '../core/facts';
import type { DlvRequest } from '../core/install/plan';
import { dlvInstallFolder, installPinnedDlv } from './installDlv';
import { generateDebugConfigurations, GoConfigurationProvider, LaunchDiagnostics, PreviewProvider } from './launchConfig';
import { DelveMessageWatcher, runDebugSelfTest } from './selfTest';
import { LiveHost } from '../core/host';
import { describeProbe, shellQuote } from '../core/process';
import type { CheckResult, CheckStatus } from '../core/checks/types';
import type { ToolSettings } from '../core/discovery';

const ICON: Record<CheckStatus, string> = { pass: '$(pass)', warn: '$(warning)', fail: '$(error)', skip: '$(circle-slash)', error: '$(question)' };

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
  return {
    host: loggedHost(log),
    // An untrusted workspace's go.mod is not read: it could name any toolchain.
    ...(folder && vscode.workspace.isTrusted ? { workspace: folder.uri.fsPath } : {}),
    settings: { ...toolSettings(folder), fromGoExtension: pathsFromGoExtension(folder) },
    timeoutMs: vscode.workspace.getConfiguration('goDebugDoctor').get<number>('probeTimeoutMs', 10_000),
    pinnedDlv: path.join(dlvInstallFolder(context), 'dlv'),
    goExtension: goExtension ? { version: String(goExtension.packageJSON?.version ?? 'unknown'), path: goExtension.extensionPath } : null,
  };
}

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Go Debug Doctor', { log: true });
  context.subscriptions.push(log);

  const previews = new PreviewProvider();
  const runChecks = async (): Promise<DoctorReport | undefined> => {
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Go Debug Doctor: checking' }, () => runDoctor(doctorOptions(log, context)));
    log.info(`checks done in ${report.durationMs} ms: ${JSON.stringify(report.counts)}`);
    await showReport(report);
    return report;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('goDebugDoctor.runChecks', runChecks),
    vscode.commands.registerCommand('goDebugDoctor.installDlv', (request?: DlvRequest) => installPinnedDlv({ context, log, options: () => doctorOptions(log, context), afterInstall: runChecks }, request)),
    vscode.commands.registerCommand('goDebugDoctor.generateLaunch', () => generateDebugConfigurations(() => doctorOptions(log, context), previews)),
    vscode.commands.registerCommand('goDebugDoctor.selfTest', () => runDebugSelfTest(doctorOptions(log, context), log)),
    vscode.commands.registerCommand('goDebugDoctor.showLog', () => log.show()),
    vscode.workspace.registerTextDocumentContentProvider(PreviewProvider.scheme, previews),
    vscode.debug.registerDebugConfigurationProvider('go', new GoConfigurationProvider(() => doctorOptions(log, context)), vscode.DebugConfigurationProviderTriggerKind.Dynamic),
  );
  new LaunchDiagnostics(() => doctorOptions(log, context)).register(context);
  new DelveMessageWatcher(log).register(context);
}

interface CheckItem extends vscode.QuickPickItem {
  check: CheckResult;
}

/** Until the health panel lands: one quick-pick row per check; choosing one copies its fix. */
async function showReport(report: DoctorReport): Promise<void> {
  const items: CheckItem[] = report.checks.map((c) => ({
    label: `${ICON[c.status]} ${c.title}`,
    description: c.status,
    detail: c.summary + (c.fixes[0] ? `  Fix: ${c.fixes[0].label}${c.fixes[0].command ? ` — ${c.fixes[0].command}` : ''}` : ''),
    check: c,
  }));
  const failing = report.counts.fail + report.counts.error;
  const picked = await vscode.window.showQuickPick(items, {
    title: `Go Debug Doctor: ${failing ? `${failing} failing` : report.counts.warn ? `${report.counts.warn} warnings` : 'all good'}`,
    placeHolder: 'Pick a check to run its fix (after asking) or copy its fix command',
    matchOnDetail: true,
  });
  if (!picked) return;
  const action = picked.check.fixes.find((f) => f.action === 'installDlv' || f.action === 'generateLaunch');
  if (action) {
    await vscode.commands.executeCommand(action.action === 'installDlv' ? 'goDebugDoctor.installDlv' : 'goDebugDoctor.generateLaunch');
    return;
  }
  const settingsFix = picked.check.fixes.find((f) => f.action === 'openSettings');
  if (settingsFix?.command) {
    await vscode.env.clipboard.writeText(settingsFix.command);
    await vscode.commands.executeCommand('workbench.action.openSettingsJson');
    void vscode.window.showInformationMessage(`Copied ${settingsFix.command}: paste it into your user settings.`);
    return;
  }
  const command = picked.check.fixes.find((f) => f.command)?.command;
  if (command) {
    await vscode.env.clipboard.writeText(command);
    void vscode.window.showInformationMessage(`Copied: ${command}`);
  }
}

export function deactivate(): void {}
