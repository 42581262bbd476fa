import * as vscode from 'vscode';
import { delveBlockers } from '../../core/checks/delveReadiness';
import { InputError, JsoncFileError } from '../../core/io/errors';
import { firstSession } from '../../core/launch/firstSession';
import { planLaunchFiles, writePlannedFiles, type LaunchPlan } from '../../core/launch/files';
import { discoverWorkspace } from '../../core/launch/workspace';
import { readSettings } from '../config';
import { planDelveRepair, repairDelve, repairDetail, type GateContext, type ReadyInstall } from '../launch/offerInstall';
import { showProposedChanges, type PreviewProvider } from '../launch/preview';
import { launchTools } from '../launch/tools';

export interface SetUpContext extends GateContext {
  previews: PreviewProvider;
}

/**
 * "Set Up Debugging": everything a first session needs, behind one confirmation: the pinned dlv
 * when the one in use cannot debug this workspace, and Launch/Test configurations for the active
 * editor's package (else the module's commands). The diff is one button away in that dialog.
 */
export async function setUpDebugging(sc: SetUpContext): Promise<boolean> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Setting up debugging runs go and dlv in this folder: trust the folder first.');
    return false;
  }
  const editor = vscode.window.activeTextEditor?.document.uri;
  const folder = (editor && vscode.workspace.getWorkspaceFolder(editor)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Open a folder with a go.mod to set up debugging.');
    return false;
  }
  const session = await sc.session();
  const { go, dlvVersion, dlvCommand } = await launchTools(session);
  if (!go) {
    void vscode.window.showErrorMessage(
      'go was not found: install Go from https://go.dev/dl/ (the Debug Health panel shows where it was looked for).',
    );
    return false;
  }
  const [checks, ws] = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'Go Debug Doctor: looking at the workspace' },
    () => Promise.all([sc.model.settled('Set Up Debugging'), discoverWorkspace(session.host, folder.uri.fsPath, go)]),
  );
  const blockers = delveBlockers(checks);
  let repair: ReadyInstall | undefined;
  if (blockers.length) {
    const prepared = await planDelveRepair(sc, session);
    if (!prepared.ok) {
      void vscode.window.showErrorMessage(`${blockers[0]!.headline} ${prepared.reason}`);
      return false;
    }
    repair = prepared;
  }
  const target = firstSession(ws.packages, editor?.fsPath);
  let plan: LaunchPlan | undefined;
  if (target) {
    try {
      plan = await planLaunchFiles({
        host: session.host,
        folder: folder.uri.fsPath,
        go,
        kinds: target.kinds,
        only: target.packages.map((p) => p.rel),
        workspace: ws,
        preset: readSettings().debugPreset,
        ...(repair ? { dlvVersion: repair.plan.version.replace(/^v/, '') } : dlvVersion ? { dlvVersion } : {}),
        ...(dlvCommand ? { dlvPath: dlvCommand } : {}),
      });
    } catch (err) {
      if (!(err instanceof InputError || err instanceof JsoncFileError)) throw err;
      void vscode.window.showErrorMessage(`Nothing was changed: ${err.message}`);
      return false;
    }
  }
  const changed = plan?.files.filter((f) => f.result.changed) ?? [];
  const added = changed.flatMap((f) => (f.kind === 'launch' ? [...f.result.added, ...f.result.renamed] : []));
  const firstConfig = plan?.generated.configurations.find((c) => !String(c.name).startsWith('Test current'))?.name as string | undefined;
  if (!repair && !changed.length) {
    const pick = await vscode.window.showInformationMessage(
      `Debugging is set up${firstConfig ? `: "${firstConfig}" is in launch.json` : ''}. Set a breakpoint and press F5.`,
      ...(firstConfig ? ['Debug Now'] : []),
    );
    if (pick && firstConfig) await vscode.debug.startDebugging(folder, firstConfig);
    return true;
  }

  const parts = [
    ...(repair ? [`install Delve ${repair.plan.version}`] : []),
    ...(added.length ? [`add ${added.join(', ')} to .vscode/launch.json`] : []),
  ];
  const detail = [
    ...(repair ? [repairDetail(session, repair)] : []),
    ...(added.length
      ? [`launch.json gets the configurations for ${target!.why}; comments, formatting and your own entries stay as they are.`]
      : []),
  ].join('\n\n');
  for (;;) {
    const answer = await vscode.window.showInformationMessage(
      `Set up debugging: ${parts.join(' and ')}?`,
      { modal: true, detail },
      'Set Up',
      ...(changed.length ? ['Show Changes'] : []),
    );
    if (answer === 'Show Changes') {
      await showProposedChanges(sc.previews, changed);
      continue;
    }
    if (answer !== 'Set Up') return false;
    break;
  }
  if (repair && !(await repairDelve(sc, session, repair))) return false;
  if (changed.length) {
    try {
      await writePlannedFiles(plan!);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      void vscode.window.showErrorMessage(`launch.json was not written: ${err.message}`);
      return false;
    }
    sc.log.info(`Set Up Debugging wrote ${changed.map((f) => f.file).join(', ')}`);
  }
  const pick = await vscode.window.showInformationMessage(
    `Debugging is set up.${firstConfig ? ` Set a breakpoint and press F5, or start "${firstConfig}" now.` : ''}`,
    ...(firstConfig ? ['Debug Now'] : []),
  );
  if (pick && firstConfig) await vscode.debug.startDebugging(folder, firstConfig);
  return true;
}
