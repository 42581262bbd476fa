import * as vscode from 'vscode';
import type { CheckResult } from '../core/checks/types';
import { registerCommands } from './commands';
import { readSettings } from './config';
import { GO_WORKSPACE_CONTEXT } from './ids';
import { HealthModel } from './health/model';
import { HealthStatusBar } from './health/statusBar';
import { HealthView } from './health/view';
import { isGoWorkspace, notifyOnceOnFailure, watchForChanges } from './health/watch';
import { LaunchDiagnostics } from './launch/diagnostics';
import { PreviewProvider } from './launch/preview';
import { DelveGate } from './launch/gate';
import { GoConfigurationProvider, offerDynamicConfigurations } from './launch/provider';
import { DelveMessageWatcher } from './selftest/delveWatcher';
import { registerVerifyWatchers } from './verify/watchers';

/** What the extension exports: for our own integration tests and for other extensions that want the verdicts. */
export interface GoDebugDoctorApi {
  checks(): CheckResult[];
  refresh(): Promise<void>;
  /** How long activate() took, in milliseconds (it defers all probing). */
  activationMs: number;
}

/** The one place that wires the features together; each feature lives in its folder. */
export function activate(context: vscode.ExtensionContext): GoDebugDoctorApi {
  const activationStarted = performance.now();
  const log = vscode.window.createOutputChannel('Go Debug Doctor', { log: true });
  // The core (the host, the process runner, the facts) loads with the first command or run of the
  // checks, never while VS Code activates the extension.
  const session = async () => (await import('./session')).createSession(log, context);
  const model = new HealthModel(async () => {
    // The checks load on the first run (their own chunk), not while VS Code activates the extension.
    const { runDoctor } = await import('../core/checks/doctor');
    const report = await runDoctor(await session(), { probeOutput: true });
    log.info(`checks done in ${report.durationMs} ms: ${JSON.stringify(report.counts)}`);
    return report;
  }, log);
  // Synchronously, in activate(): F5's dlv check must be registered before the Go extension's
  // provider (see DelveGate).
  context.subscriptions.push(vscode.debug.registerDebugConfigurationProvider('go', new DelveGate({ context, log, model, session })));
  let goWorkspace = false;
  const statusBar = new HealthStatusBar(model, () => goWorkspace);
  const view = new HealthView(model);
  const previews = new PreviewProvider();
  context.subscriptions.push(log, model, statusBar, view);

  registerCommands({ context, log, model, view, previews, session });
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PreviewProvider.scheme, previews));
  offerDynamicConfigurations(context, new GoConfigurationProvider(session));
  new LaunchDiagnostics(session).register(context);
  new DelveMessageWatcher(log, (row) => model.setRow(row)).register(context);
  registerVerifyWatchers(context, log, (row) => model.setRow(row));
  watchForChanges(context, model, statusBar);
  notifyOnceOnFailure(context, model, () => goWorkspace);

  // Deferred: activation returns at once; the first run starts when VS Code has settled.
  const startup = setTimeout(() => {
    void isGoWorkspace().then((yes) => {
      goWorkspace = yes;
      void vscode.commands.executeCommand('setContext', GO_WORKSPACE_CONTEXT, yes);
      statusBar.render();
      if (readSettings().checkOnStartup) void model.refresh('start-up');
    });
  }, 500);
  context.subscriptions.push({ dispose: () => clearTimeout(startup) });

  const activationMs = Math.round((performance.now() - activationStarted) * 10) / 10;
  log.info(`activated in ${activationMs} ms`);
  return { checks: () => model.checks, refresh: () => model.refresh('API'), activationMs };
}

export function deactivate(): void {}
