import * as vscode from 'vscode';
import type { CheckStatus } from '../../core/checks/types';
import { runAction } from '../actions';
import { HEALTH_VIEW } from '../ids';
import type { HealthModel } from './model';
import { childrenOf, fixBehaviour, sectionOfCheck, STATUS_WORD, type Node } from './tree';

const STATUS_ICON: Record<CheckStatus, [string, string | undefined]> = {
  pass: ['pass', 'testing.iconPassed'],
  warn: ['warning', 'problemsWarningIcon.foreground'],
  fail: ['error', 'problemsErrorIcon.foreground'],
  skip: ['circle-slash', undefined],
  error: ['question', 'problemsErrorIcon.foreground'],
};

/**
 * The health panel: one row per check (status icon, title, summary), expanding to the detail, the
 * fixes (safe ones run after asking; privileged ones are copied) and the evidence behind the verdict.
 */
export class HealthView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Node>;

  constructor(private readonly model: HealthModel) {
    this.view = vscode.window.createTreeView(HEALTH_VIEW, { treeDataProvider: this, showCollapseAll: true });
    model.onDidChange(() => this.update());
    this.update();
  }

  private update(): void {
    const state = this.model.state;
    const counts = this.model.counts();
    const failing = counts.fail + counts.error;
    this.view.badge = failing ? { value: failing, tooltip: `${failing} failing` } : undefined;
    this.view.description = state.running ? 'checking…' : state.checkedAt ? `checked ${state.checkedAt.toLocaleTimeString()}` : undefined;
    this.view.message = vscode.workspace.isTrusted
      ? state.error
        ? `Could not finish: ${state.error}`
        : undefined
      : "Restricted Mode: tool paths from this workspace's settings are ignored and nothing from the workspace is run. Trust the workspace to check it fully.";
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    return childrenOf(node, this.model.checks);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'check': {
        const c = node.check;
        const expandable = c.detail || c.fixes.length || c.evidence.length || c.sources?.length;
        const item = new vscode.TreeItem(
          c.title,
          expandable
            ? c.status === 'fail' || c.status === 'error'
              ? vscode.TreeItemCollapsibleState.Expanded
              : vscode.TreeItemCollapsibleState.Collapsed
            : vscode.TreeItemCollapsibleState.None,
        );
        const [icon, color] = STATUS_ICON[c.status];
        item.id = `check:${c.id}`;
        item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
        item.description = c.summary;
        item.tooltip = new vscode.MarkdownString(
          `**${c.title}** ${STATUS_WORD[c.status]}\n\n${c.summary}${c.detail ? `\n\n${c.detail}` : ''}`,
        );
        item.accessibilityInformation = { label: `${c.title}: ${STATUS_WORD[c.status]}. ${c.summary}` };
        item.contextValue = `check.${c.status}`;
        return item;
      }
      case 'fix': {
        const { fix } = node;
        const item = new vscode.TreeItem(fix.label, vscode.TreeItemCollapsibleState.None);
        item.id = `fix:${node.check.id}:${fix.label}`;
        item.iconPath = new vscode.ThemeIcon(fix.action ? 'wrench' : 'terminal');
        item.description = fix.command;
        item.tooltip = fix.command ? `${fix.label}\n\n${fix.command}` : fix.label;
        const behaviour = fixBehaviour(fix);
        item.contextValue = behaviour.contextValue;
        if (behaviour.command) item.command = { command: behaviour.command.id, title: behaviour.command.title, arguments: [node] };
        return item;
      }
      case 'section': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `section:${node.section}`;
        item.iconPath = new vscode.ThemeIcon(
          node.section === 'fine' ? 'pass' : 'circle-slash',
          node.section === 'fine' ? new vscode.ThemeColor('testing.iconPassed') : undefined,
        );
        item.tooltip = node.checks.map((c) => `${c.title}: ${c.summary}`).join('\n');
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `${node.label}:${node.check.id}`;
        item.iconPath = new vscode.ThemeIcon(node.label === 'Evidence' ? 'list-unordered' : 'references');
        return item;
      }
      case 'line': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        if (node.description) item.description = node.description;
        if (node.tooltip) item.tooltip = node.tooltip;
        if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
        return item;
      }
    }
  }

  /** Reveals the row of one check (used by the live Delve help and notifications). */
  async reveal(checkId: string): Promise<void> {
    const check = this.model.checks.find((c) => c.id === checkId);
    if (check) await this.view.reveal({ kind: 'check', check }, { select: true, focus: true, expand: true });
  }

  /** Only a check inside a group has a parent that reveal needs; detail rows are never revealed. */
  getParent(node: Node): Node | undefined {
    return node.kind === 'check' ? sectionOfCheck(this.model.checks, node.check.id) : undefined;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}

/** "Run Fix" on a panel row: the fix's own action with its data ("Install Delve 1.27.2" installs 1.27.2). */
export async function runFixCommand(node?: Node): Promise<void> {
  if (node?.kind !== 'fix' || !node.fix.action) return;
  if (node.fix.action === 'openSettings' && node.fix.command) {
    await vscode.env.clipboard.writeText(node.fix.command);
    void vscode.window.showInformationMessage(`Copied ${node.fix.command}: paste it into your user settings.`);
  }
  await runAction(node.fix);
}

/** "Copy Command" on a panel row: a command is copied, never run for the user. */
export async function copyFixCommand(node?: Node): Promise<void> {
  if (node?.kind !== 'fix' || !node.fix.command) return;
  await vscode.env.clipboard.writeText(node.fix.command);
  void vscode.window.showInformationMessage(`Copied: ${node.fix.command}`);
}
