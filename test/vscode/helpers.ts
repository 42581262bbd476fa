// Shared by the extension-host tests (test/vscode/*.itest.ts).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'go-debug-doctor.go-debug-doctor';

/** The repository root: the bundle runs from out/vscode-test/, and the extension is loaded from the checkout. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Polls `probe` every 100 ms until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not loaded`);
  return ext;
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder;
}

/**
 * Runs a command that ends in a quick pick (Run Checks shows its report in one) and dismisses the
 * pick as soon as it is up, so the command's own result comes back. Headless, there is no other
 * way to answer a quick pick from the extension host.
 */
export async function executeDismissingQuickPick<T>(command: string, ...args: unknown[]): Promise<T> {
  let done = false;
  const result = Promise.resolve(vscode.commands.executeCommand<T>(command, ...args)).finally(() => (done = true));
  void (async () => {
    while (!done) {
      await new Promise((r) => setTimeout(r, 250));
      if (!done) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    }
  })();
  return result;
}
