import * as vscode from 'vscode';
import type { HealthModel, HealthState } from './health';

export type StatusBarVisibility = 'always' | 'goWorkspaces' | 'never';

/**
 * One quiet item: `$(pass) Go debug` while all is well; a count and a warning or error background
 * only when something needs the user. Clicking opens the health panel.
 */
export class HealthStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('goDebugDoctor.status', vscode.StatusBarAlignment.Left, 0);

  constructor(private readonly model: HealthModel, private readonly isGoWorkspace: () => boolean) {
    this.item.name = 'Go Debug Doctor';
    this.item.command = 'goDebugDoctor.showPanel';
    model.onDidChange((s) => this.render(s));
    this.render(model.state);
  }

  visibility(): StatusBarVisibility {
    return vscode.workspace.getConfiguration('goDebugDoctor').get<StatusBarVisibility>('statusBar.visibility', 'goWorkspaces');
  }

  render(state: HealthState = this.model.state): void {
    const visibility = this.visibility();
    if (visibility === 'never' || (visibility === 'goWorkspaces' && !this.isGoWorkspace())) {
      this.item.hide();
      return;
    }
    const counts = this.model.counts();
    const failing = counts.fail + counts.error;
    const checked = this.model.checks.length > 0;
    if (state.running && !checked) {
      this.item.text = '$(sync~spin) Go debug';
      this.item.backgroundColor = undefined;
    } else if (failing) {
      this.item.text = `$(error) Go debug: ${failing}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    } else if (counts.warn) {
      this.item.text = `$(warning) Go debug: ${counts.warn}`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    } else {
      this.item.text = checked ? '$(pass) Go debug' : '$(circle-outline) Go debug';
      this.item.backgroundColor = undefined;
    }
    this.item.tooltip = this.tooltip(state);
    this.item.accessibilityInformation = { label: `Go debug health: ${failing ? `${failing} failing` : counts.warn ? `${counts.warn} warnings` : checked ? 'all checks pass' : 'not checked yet'}` };
    this.item.show();
  }

  private tooltip(state: HealthState): vscode.MarkdownString {
    const md = new vscode.MarkdownString('', true);
    md.isTrusted = { enabledCommands: ['goDebugDoctor.showPanel', 'goDebugDoctor.runChecks'] };
    const attention = this.model.checks.filter((c) => c.status === 'fail' || c.status === 'error' || c.status === 'warn');
    if (state.error) md.appendMarkdown(`**Go Debug Doctor could not finish:** ${escape(state.error)}\n\n`);
    if (!this.model.checks.length) md.appendMarkdown(state.running ? 'Checking the Go debugging chain…\n\n' : 'Not checked yet.\n\n');
    else if (!attention.length) md.appendMarkdown('**Go debugging:** every check passes.\n\n');
    for (const c of attention) {
      const icon = c.status === 'warn' ? '$(warning)' : '$(error)';
      const fix = c.fixes[0];
      md.appendMarkdown(`${icon} **${escape(c.title)}**: ${escape(c.summary)}${fix ? `  \n&nbsp;&nbsp;Fix: ${escape(fix.label)}` : ''}\n\n`);
    }
    if (state.checkedAt) md.appendMarkdown(`Checked at ${state.checkedAt.toLocaleTimeString()}. `);
    md.appendMarkdown('[Open panel](command:goDebugDoctor.showPanel) · [Run again](command:goDebugDoctor.runChecks)');
    return md;
  }

  dispose(): void {
    this.item.dispose();
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
