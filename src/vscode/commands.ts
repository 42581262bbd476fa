import * as vscode from 'vscode';
import type { DlvRequest } from '../core/install/plan';
import type { Session } from '../core/session/session';
import { COMMAND, HEALTH_VIEW_FOCUS, type CommandName } from './ids';
import type { HealthModel } from './health/model';
import { copyFixCommand, runFixCommand, type HealthView } from './health/view';
import type { Node } from './health/tree';
import type { PreviewProvider } from './launch/preview';

/** What the commands work with; activate() builds it once. */
export interface Features {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  model: HealthModel;
  view: HealthView;
  previews: PreviewProvider;
  /** A new session per command: settings changed meanwhile always count. */
  session: () => Promise<Session>;
}

type Handler = (features: Features) => (...args: unknown[]) => unknown;

/**
 * Every command this extension contributes, by its id in ids.ts. Heavy features (launch generation,
 * the installer, the DAP/LSP self-test) are loaded by import() when their command runs, never at
 * activation. Adding a command: its id in ids.ts and package.json, and one row here.
 */
export const COMMAND_HANDLERS: Record<CommandName, Handler> = {
  runChecks: (f) => async () => {
    await f.model.refresh('Run Checks');
    await showPanel(f);
  },
  showPanel: (f) => (checkId?: unknown) => showPanel(f, typeof checkId === 'string' ? checkId : undefined),
  installDlv: (f) => async (request?: unknown) => {
    const { installPinnedDlv } = await import('./install/installDlv');
    return installPinnedDlv(
      { context: f.context, log: f.log, session: f.session, afterInstall: () => f.model.refresh('dlv installed') },
      asDlvRequest(request),
    );
  },
  setUp: (f) => async () => {
    const { setUpDebugging } = await import('./setup/setUp');
    return setUpDebugging(f);
  },
  generateLaunch: (f) => async () => {
    const { generateDebugConfigurations } = await import('./launch/generate');
    const result = await generateDebugConfigurations(await f.session(), f.previews);
    void f.model.refresh('after a fix');
    return result;
  },
  selfTest: (f) => async () => {
    const [{ runDebugSelfTest }, { summarizeProbes }, { ObservedHost }] = await Promise.all([
      import('./selftest/selfTest'),
      import('../core/checks/doctor'),
      import('../core/probes/host'),
    ]);
    // Observed, so that go build, dlv dap and gopls serve show in the diagnostics report's command list.
    const session = await f.session();
    const observed = new ObservedHost(session.host);
    try {
      return await runDebugSelfTest(session.withHost(observed), f.log, (row) => f.model.setRow(row));
    } finally {
      f.model.setExtraProbes(summarizeProbes(observed.probes, true));
    }
  },
  copyReport: (f) => async () => {
    const { copyDiagnosticsReport } = await import('./health/copyReport');
    return copyDiagnosticsReport(f.model, f.log);
  },
  verify: (f) => async (configName?: unknown) => {
    const { verifyDebugConfiguration } = await import('./verify/verify');
    return verifyDebugConfiguration(
      await f.session(),
      f.context,
      f.log,
      (row) => f.model.setRow(row),
      typeof configName === 'string' ? configName : undefined,
    );
  },
  showLog: (f) => () => f.log.show(),
  runFix: () => (node?: unknown) => runFixCommand(node as Node | undefined),
  copyFixCommand: () => (node?: unknown) => copyFixCommand(node as Node | undefined),
};

export function registerCommands(features: Features): void {
  for (const [name, handler] of Object.entries(COMMAND_HANDLERS) as [CommandName, Handler][]) {
    features.context.subscriptions.push(vscode.commands.registerCommand(COMMAND[name], handler(features)));
  }
}

async function showPanel(f: Features, checkId?: string): Promise<void> {
  await vscode.commands.executeCommand(HEALTH_VIEW_FOCUS);
  if (checkId) await f.view.reveal(checkId);
}

/** A request passed by a fix, checked: anything else (a menu's own arguments) means "ask". */
function asDlvRequest(value: unknown): DlvRequest | undefined {
  const r = value as Partial<{ kind: string; version: unknown; profile: unknown }> | undefined;
  if (r?.kind === 'recommended') return { kind: 'recommended' };
  if (r?.kind === 'version' && typeof r.version === 'string') return { kind: 'version', version: r.version };
  if (r?.kind === 'profile' && typeof r.profile === 'string') return { kind: 'profile', profile: r.profile };
  return undefined;
}
