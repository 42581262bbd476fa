import * as vscode from 'vscode';
import type { DelveBlocker } from '../../core/checks/delveReadiness';
import { prepareDlvInstall, type PreparedInstall } from '../../core/install/prepare';
import type { Session } from '../../core/session/session';
import { COMMAND } from '../ids';
import { buildWithProgress, dlvReady, useForGoExtension } from '../install/installDlv';
import type { HealthModel } from '../health/model';

/** What F5's offer and Set Up Debugging work with. */
export interface GateContext {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  model: HealthModel;
  session: () => Promise<Session>;
}

export type ReadyInstall = Extract<PreparedInstall, { ok: true }>;

/** The recommended Delve for this workspace's Go, planned (nothing runs yet); problems go to the log. */
export async function planDelveRepair(gc: Pick<GateContext, 'log'>, session: Session): Promise<PreparedInstall> {
  const prepared = await prepareDlvInstall(session.facts, { kind: 'recommended' });
  for (const f of prepared.findings) gc.log.warn(`module settings: ${f.message}${f.fix ? ` Fix: ${f.fix}` : ''}`);
  return prepared;
}

/** What the one dialog says the repair will do, so that no second question follows. */
export function repairDetail(session: Session, prepared: ReadyInstall): string {
  const dlv = session.facts.pinnedDlv ?? 'dlv';
  return [
    `About a minute: \`go install\` builds Delve ${prepared.plan.version} (${prepared.plan.why}) into Go Debug Doctor's own folder, then "go.alternateTools": { "dlv": ${JSON.stringify(dlv)} } is set in your user settings so that the Go extension runs it. Your go.mod, GOPATH/bin and other settings stay as they are.`,
    prepared.plan.toolchainNote,
    ...prepared.plan.warnings,
  ].join('\n\n');
}

/**
 * Builds the planned dlv and points the Go extension at it (the user agreed to both in one dialog),
 * then refreshes the checks. False when the build failed or was cancelled: said in one line, the
 * previous dlv and the settings untouched.
 */
export async function repairDelve(gc: GateContext, session: Session, prepared: ReadyInstall): Promise<boolean> {
  const result = await buildWithProgress(gc, session, prepared);
  if (!dlvReady(result)) return false;
  const used = await useForGoExtension(result.path, gc.log);
  await gc.model.refresh('dlv installed');
  return used;
}

/** F5's offer: one dialog, "Install and Debug"; true when the session should go on. */
export async function offerDelveInstall(gc: GateContext, blockers: readonly DelveBlocker[], dlvExists: boolean): Promise<boolean> {
  const session = await gc.session();
  const first = blockers[0]!;
  const prepared = await planDelveRepair(gc, session);
  const anyway = dlvExists ? ['Debug Anyway'] : [];
  if (!prepared.ok) {
    gc.log.warn(`F5: ${first.headline} No install offered: ${prepared.reason}`);
    const pick = await vscode.window.showErrorMessage(`${first.headline} ${prepared.reason}`, ...anyway, 'Open Panel');
    if (pick === 'Open Panel') await vscode.commands.executeCommand(COMMAND.showPanel, first.check.id);
    return pick === 'Debug Anyway';
  }
  gc.log.info(`F5: ${first.headline} Offering Delve ${prepared.plan.version}.`);
  const answer = await vscode.window.showWarningMessage(
    `${first.headline} Install Delve ${prepared.plan.version} and debug?`,
    { modal: true, detail: repairDetail(session, prepared) },
    'Install and Debug',
    ...anyway,
  );
  if (answer === 'Debug Anyway') return true;
  if (answer !== 'Install and Debug') return false;
  return repairDelve(gc, session, prepared);
}
