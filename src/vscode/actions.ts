import * as vscode from 'vscode';
import type { SafeActionId } from '../core/actions/safeActions';
import type { Fix } from '../core/checks/types';
import { actionArguments } from './actionArguments';
import { COMMAND } from './ids';

/** The command behind each safe action a fix may offer. */
export const ACTION_COMMANDS: Record<SafeActionId, string> = {
  installDlv: COMMAND.installDlv,
  generateLaunch: COMMAND.generateLaunch,
  openSettings: 'workbench.action.openSettingsJson',
  runChecks: COMMAND.runChecks,
};

export const ACTION_LABELS: Record<SafeActionId, string> = {
  installDlv: 'Install Pinned dlv',
  generateLaunch: 'Generate Debug Configurations',
  openSettings: 'Open Settings',
  runChecks: 'Run Checks',
};

/** Runs a fix's safe action (the command asks before it changes anything). */
export async function runAction(fix: Pick<Fix, 'action' | 'data'>): Promise<void> {
  if (!fix.action) return;
  await vscode.commands.executeCommand(ACTION_COMMANDS[fix.action], ...actionArguments(fix));
}
