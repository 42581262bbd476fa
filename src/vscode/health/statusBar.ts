import * as vscode from 'vscode';
import { readSettings } from '../config';
import { COMMAND, STATUS_ITEM } from '../ids';
import type { HealthModel, HealthState } from './model';
import { statusTooltip, statusView, TOOLTIP_COMMANDS } from './statusText';

/**
 * One quiet item: `$(pass) Go debug` while all is well; a count and a warning or error background
 * only when something needs the user. Clicking opens the health panel.
 */
export class HealthStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem(STATUS_ITEM, vscode.StatusBarAlignment.Left, 0);

  constructor(
    private readonly model: HealthModel,
    private readonly isGoWorkspace: () => boolean,
  ) {
    this.item.name = 'Go Debug Doctor';
    this.item.command = COMMAND.showPanel;
    model.onDidChange((s) => this.render(s));
    this.render(model.state);
  }

  render(state: HealthState = this.model.state): void {
    const visibility = readSettings().statusBarVisibility;
    if (visibility === 'never' || (visibility === 'goWorkspaces' && !this.isGoWorkspace())) {
      this.item.hide();
      return;
    }
    const input = {
      checks: this.model.checks,
      running: state.running,
      ...(state.error ? { error: state.error } : {}),
      ...(state.checkedAt ? { checkedAt: state.checkedAt } : {}),
    };
    const view = statusView(input);
    this.item.text = view.text;
    this.item.backgroundColor = view.background ? new vscode.ThemeColor(`statusBarItem.${view.background}Background`) : undefined;
    const md = new vscode.MarkdownString(statusTooltip(input), true);
    md.isTrusted = { enabledCommands: [...TOOLTIP_COMMANDS] };
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: view.label };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
