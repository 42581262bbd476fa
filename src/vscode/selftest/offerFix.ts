import * as vscode from 'vscode';
import type { ActionData, SafeActionId } from '../../core/actions/safeActions';
import { ACTION_LABELS, runAction } from '../actions';

/** One message with the fix as buttons: the safe action, the command to copy, the log. */
export async function offerFix(
  text: string,
  fix: { fixCommand?: string; action?: SafeActionId; data?: ActionData } | undefined,
  log: vscode.LogOutputChannel,
  level: 'error' | 'warning',
  extra: string[] = [],
): Promise<string | undefined> {
  const buttons = [...(fix?.action ? [ACTION_LABELS[fix.action]] : []), ...(fix?.fixCommand ? ['Copy Command'] : []), ...extra, 'Show Log'];
  const show = level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const pick = await show(text, ...buttons);
  if (pick === 'Copy Command' && fix?.fixCommand) {
    await vscode.env.clipboard.writeText(fix.fixCommand);
    void vscode.window.showInformationMessage(`Copied: ${fix.fixCommand}`);
  } else if (pick === 'Show Log') {
    log.show();
  } else if (fix?.action && pick === ACTION_LABELS[fix.action]) {
    await runAction(fix);
  }
  return pick;
}
