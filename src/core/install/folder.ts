import * as path from 'node:path';
import type { Host } from '../probes/host';

/**
 * Where the CLI installs when no --dir is given: the platform's place for per-user application data
 * (the extension uses its VS Code global storage instead). Apart from the installer so that
 * commands which only look for the pinned dlv do not load it.
 */
export function defaultInstallDir(host: Host): string {
  if (host.platform === 'darwin') return path.join(host.homedir, 'Library', 'Application Support', 'go-debug-doctor', 'bin');
  if (host.platform === 'win32')
    return path.join(host.env('LOCALAPPDATA') || path.join(host.homedir, 'AppData', 'Local'), 'go-debug-doctor', 'bin');
  return path.join(host.env('XDG_DATA_HOME') || path.join(host.homedir, '.local', 'share'), 'go-debug-doctor', 'bin');
}

export function binaryName(host: Host, tool: string): string {
  return host.platform === 'win32' ? `${tool}.exe` : tool;
}

/** Where the CLI's pinned dlv is when one is installed: DIR/dlv in the default folder. */
export function pinnedDlvPath(host: Host): string {
  return path.join(defaultInstallDir(host), binaryName(host, 'dlv'));
}

/** The CLI's pinned dlv, when one is installed. */
export async function installedPinnedDlv(host: Host): Promise<string | undefined> {
  const file = pinnedDlvPath(host);
  return (await host.stat(file)).isFile ? file : undefined;
}
