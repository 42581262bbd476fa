import * as path from 'node:path';
import * as vscode from 'vscode';
import { LiveHost } from '../core/probes/host';
import { describeProbe, shellQuote } from '../core/probes/display';
import { Session } from '../core/session/session';
import { dlvInstallFolder, goToolSettings, readSettings } from './config';

interface GoExtensionApi {
  settings?: { getExecutionCommand?(tool: string, resource?: vscode.Uri): { binPath: string } | undefined };
}

/** The exact binaries the Go extension will run, from its exported API (only when it is already active). */
function pathsFromGoExtension(folder: vscode.WorkspaceFolder | undefined): Record<string, string> {
  const ext = vscode.extensions.getExtension<GoExtensionApi>('golang.go');
  const api = ext?.isActive ? ext.exports : undefined;
  const paths: Record<string, string> = {};
  for (const tool of ['go', 'dlv', 'gopls']) {
    try {
      const binPath = api?.settings?.getExecutionCommand?.(tool, folder?.uri)?.binPath;
      if (binPath) paths[tool] = binPath;
    } catch {
      // an older Go extension without this API: fall back to our own search
    }
  }
  return paths;
}

/** One host for a use case, its processes logged (full output at trace level). */
function loggedHost(log: vscode.LogOutputChannel): LiveHost {
  const host = new LiveHost();
  host.onProbe((p) => {
    const line = `${shellQuote(p.argv)} → ${describeProbe(p)}`;
    if (p.outcome === 'ok') log.info(line);
    else log.warn(line);
    if (p.stdout || p.stderr) log.trace(`${p.stdout}${p.stderr}`.trim());
  });
  return host;
}

/**
 * A session that sees the machine as the Go extension does, for the first workspace folder: one per
 * command or run of the checks, so settings changed meanwhile always count.
 */
export function createSession(log: vscode.LogOutputChannel, context: vscode.ExtensionContext): Session {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const goExtension = vscode.extensions.getExtension('golang.go');
  const settings = readSettings();
  const trusted = vscode.workspace.isTrusted;
  return new Session(loggedHost(log), {
    trusted,
    // An untrusted workspace's go.mod is not read: it could name any toolchain.
    ...(folder && trusted ? { workspace: folder.uri.fsPath } : {}),
    settings: { ...goToolSettings(folder), fromGoExtension: pathsFromGoExtension(folder) },
    timeoutMs: settings.probeTimeoutMs,
    profile: settings.profile,
    ...(settings.customProfile ? { customProfile: settings.customProfile } : {}),
    backend: settings.backend,
    pinnedDlv: path.join(dlvInstallFolder(context, settings), 'dlv'),
    goExtension: goExtension ? { version: String(goExtension.packageJSON?.version ?? 'unknown'), path: goExtension.extensionPath } : null,
  });
}
