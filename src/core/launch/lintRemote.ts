import { isLoopbackHost } from '../dap/loopback';
import { unmappedServerRoot } from '../verify/remote';
import type { LintOptions, Locate, Report } from './lintFinding';

export const SECURITY_SOURCE = 'go-delve/delve Documentation/usage/dlv.md (--listen; the headless server has no authentication)';
const PATHS_SOURCE =
  'go-delve/delve service/dap/server.go (substitutePath), service/dap/command.go (sources); golang/vscode-go docs/debugging.md (remote debugging)';

/** A host that is not loopback: Delve's headless server has no authentication. */
export function lintHost(config: Record<string, unknown>, name: string, at: Locate, add: Report): void {
  if (typeof config.host === 'string' && !isLoopbackHost(config.host)) {
    add(
      at('host', true),
      'warning',
      'non-loopback',
      `${name}: host ${config.host} is not loopback; Delve's headless server takes unauthenticated connections, so reach a remote one through an SSH tunnel to 127.0.0.1 instead.`,
      { source: SECURITY_SOURCE },
    );
  }
}

/** Attach in mode "remote": something must start the headless dlv, and its program's paths must map to the workspace. */
export async function lintRemoteAttach(
  config: Record<string, unknown>,
  name: string,
  at: Locate,
  add: Report,
  options: LintOptions,
): Promise<void> {
  const task = typeof config.preLaunchTask === 'string' ? config.preLaunchTask : undefined;
  // "go: build package" and the like come from extensions, not tasks.json.
  const contributed = task !== undefined && /^[a-z][\w.-]*: /.test(task);
  if (task && !contributed && options.taskLabels && !options.taskLabels.includes(task)) {
    add(
      at('preLaunchTask', true),
      'warning',
      'remote-no-server',
      `${name}: preLaunchTask "${task}" is not a task in tasks.json, so nothing starts the headless dlv.`,
    );
  } else if (!task && options.reachable) {
    const host = typeof config.host === 'string' ? config.host : '127.0.0.1';
    const port = typeof config.port === 'number' ? config.port : 2345;
    // Only loopback is ever probed: linting a file must not open connections to hosts it names.
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      add(at('port', true), 'warning', 'invalid-port', `${name}: port ${String(config.port)} is not a TCP port (1 to 65535).`);
    } else if (isLoopbackHost(host) && !(await options.reachable(host, port))) {
      add(
        at('port', true),
        'warning',
        'remote-no-server',
        `${name}: nothing listens at ${host}:${port} and no preLaunchTask starts a headless dlv; start one first (for example with a background task).`,
      );
    } else if (options.serverSources && options.workspaceFolder && isLoopbackHost(host)) {
      await lintServerPaths(config, host, port, options.serverSources, options.workspaceFolder, (message) =>
        add(at('substitutePath' in config ? 'substitutePath' : 'port', true), 'warning', 'remote-path-mapping', `${name}: ${message}`, {
          source: PATHS_SOURCE,
        }),
      );
    }
  }
}

/** A server on loopback whose program was built outside the workspace, with no substitutePath that maps it back. */
async function lintServerPaths(
  config: Record<string, unknown>,
  host: string,
  port: number,
  serverSources: NonNullable<LintOptions['serverSources']>,
  folder: string,
  report: (message: string) => void,
): Promise<void> {
  const sources = await serverSources(host, port);
  if (!sources) return;
  const entries = Array.isArray(config.substitutePath)
    ? (config.substitutePath as { from?: unknown; to?: unknown }[])
        .filter((e) => typeof e?.from === 'string' && typeof e.to === 'string')
        .map((e) => ({ from: String(e.from).replace(/\$\{workspaceFolder\}/g, folder), to: String(e.to) }))
    : [];
  const root = unmappedServerRoot(sources, folder, entries);
  if (!root) return;
  report(
    `the dlv at ${host}:${port} debugs a program built in ${root}, outside this workspace, and no substitutePath maps it here, so breakpoints set in the editor will not bind. Add "substitutePath": [{ "from": "\${workspaceFolder}", "to": "${root}" }] (go-debug-doctor verify --config ${JSON.stringify(String(config.name ?? ''))} --fix computes and writes it).`,
  );
}
