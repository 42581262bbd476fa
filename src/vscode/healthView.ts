import * as vscode from 'vscode';
import type { CheckResult, CheckStatus, Fix } from '../core/checks/types';
import type { HealthModel } from './health';
import { ACTION_COMMANDS } from './selfTest';

type Node =
  | { kind: 'check'; check: CheckResult }
  | { kind: 'fix'; check: CheckResult; fix: Fix }
  | { kind: 'group'; check: CheckResult; label: 'Evidence' | 'Sources' }
  | { kind: 'line'; label: string; description?: string; tooltip?: string; icon?: string };

const STATUS_ICON: Record<CheckStatus, [string, string | undefined]> = {
  pass: ['pass', 'testing.iconPassed'],
  warn: ['warning', 'problemsWarningIcon.foreground'],
  fail: ['error', 'problemsErrorIcon.foreground'],
  skip: ['circle-slash', undefined],
  error: ['question', 'problemsErrorIcon.foreground'],
};

const STATUS_WORD: Record<CheckStatus, string> = { pass: 'passes', warn: 'needs a look', fail: 'fails', skip: 'skipped', error: 'could not be checked' };

/**
 * The health panel: one row per check (status icon, title, summary), expanding to the detail, the
 * fixes (safe ones run after asking; privileged ones are copied) and the evidence behind the verdict.
 */
export class HealthView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Node>;

  constructor(private readonly model: HealthModel) {
    this.view = vscode.window.createTreeView('goDebugDoctor.health', { treeDataProvider: this, showCollapseAll: true });
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
      ? state.error ? `Could not finish: ${state.error}` : undefined
      : 'Restricted Mode: tool paths from this workspace\'s settings are ignored and nothing from the workspace is run. Trust the workspace to check it fully.';
    this.changed.fire(undefined);
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.model.checks.map((check) => ({ kind: 'check', check }));
    if (node.kind === 'check') {
      const c = node.check;
      return [
        ...(c.detail ? c.detail.split('\n').filter(Boolean).map((l): Node => ({ kind: 'line', label: l, tooltip: c.detail })) : []),
        ...c.fixes.map((fix): Node => ({ kind: 'fix', check: c, fix })),
        ...(c.evidence.length ? [{ kind: 'group', check: c, label: 'Evidence' } as const] : []),
        ...(c.sources?.length ? [{ kind: 'group', check: c, label: 'Sources' } as const] : []),
      ];
    }
    if (node.kind === 'group' && node.label === 'Evidence') {
      return node.check.evidence.map((e) => ({ kind: 'line', label: e.label, description: e.value.split('\n', 1)[0], tooltip: `${e.label}\n${e.value}`, icon: 'output' }));
    }
    if (node.kind === 'group') return (node.check.sources ?? []).map((s) => ({ kind: 'line', label: s, icon: 'book' }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    switch (node.kind) {
      case 'check': {
        const c = node.check;
        const expandable = c.detail || c.fixes.length || c.evidence.length || c.sources?.length;
        const item = new vscode.TreeItem(c.title, expandable ? (c.status === 'fail' || c.status === 'error' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed) : vscode.TreeItemCollapsibleState.None);
        const [icon, color] = STATUS_ICON[c.status];
        item.id = `check:${c.id}`;
        item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
        item.description = c.summary;
        item.tooltip = new vscode.MarkdownString(`**${c.title}** ${STATUS_WORD[c.status]}\n\n${c.summary}${c.detail ? `\n\n${c.detail}` : ''}`);
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
        // A safe action runs (it asks first); a command is only ever copied, never run for the user.
        item.contextValue = fix.action ? 'fix.action' : fix.command ? 'fix.command' : 'fix';
        if (fix.action) item.command = { command: 'goDebugDoctor.runFix', title: 'Run Fix', arguments: [node] };
        else if (fix.command) item.command = { command: 'goDebugDoctor.copyFixCommand', title: 'Copy Command', arguments: [node] };
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

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    this.view.dispose();
    this.changed.dispose();
  }
}

/** The fix commands behind the panel's inline actions. */
export function registerFixCommands(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('goDebugDoctor.runFix', async (node?: Node) => {
      if (node?.kind !== 'fix' || !node.fix.action) return;
      if (node.fix.action === 'openSettings' && node.fix.command) {
        await vscode.env.clipboard.writeText(node.fix.command);
        void vscode.window.showInformationMessage(`Copied ${node.fix.command}: paste it into your user settings.`);
      }
      await vscode.commands.executeCommand(ACTION_COMMANDS[node.fix.action]);
    }),
    vscode.commands.registerCommand('goDebugDoctor.copyFixCommand', async (node?: Node) => {
      if (node?.kind !== 'fix' || !node.fix.command) return;
      await vscode.env.clipboard.writeText(node.fix.command);
      void vscode.window.showInformationMessage(`Copied: ${node.fix.command}`);
    }),
  );
}
