import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { isLoopbackHost } from '../dap/loopback';
import { compareModule, isModuleVersion } from '../facts/versions';
import type { LintFinding, LintOptions, LintSeverity } from './lintFinding';
import { SECURITY_SOURCE } from './lintRemote';
import { parseOrReport } from './lintSyntax';
import { lineColumn, objectsAt } from './merge';

const API_V2_DEFAULT_SINCE = '1.24.0';
const API_SOURCE = 'go-delve/delve cmd/dlv/cmds/commands.go: --api-version defaults to 1 up to v1.23.1 and to 2 from v1.24.0';
const CONTINUE_SOURCE = 'go-delve/delve cmd/dlv/cmds/commands.go: "Error: --continue requires --accept-multiclient"';

/** Headless dlv command lines in tasks.json: loopback, API version, --continue. */
export function lintTasksJson(text: string, options: LintOptions): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const { node, value: task } of objectsAt(parseOrReport(text, options.file, findings), 'tasks')) {
    const argv = commandLine(task);
    const dlvAt = argv.findIndex((a) => /(^|[/\\])dlv(\.exe)?$/.test(a));
    if (dlvAt < 0) continue;
    const args = argv.slice(dlvAt + 1);
    const label = typeof task.label === 'string' ? `task "${task.label}"` : 'a dlv task';
    const where = findNodeAtLocation(node, ['args']) ?? findNodeAtLocation(node, ['command']) ?? node;
    const add = (severity: LintSeverity, rule: string, message: string, source?: string) =>
      findings.push({
        file: options.file,
        ...lineColumn(text, where.offset),
        offset: where.offset,
        length: where.length,
        severity,
        rule,
        message,
        ...(source ? { source } : {}),
      });
    const has = (flag: string) => args.some((a) => a === flag || a.startsWith(`${flag}=`));
    const value = (flag: string) => {
      const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
      return i < 0 ? undefined : args[i]!.includes('=') ? args[i]!.slice(flag.length + 1) : args[i + 1];
    };
    const headless = has('--headless') || args[0] === 'dap';
    const listen = value('--listen') ?? value('-l');
    if (headless && listen !== undefined && !listen.startsWith('unix:')) {
      const host = listen.replace(/:\d*$/, '');
      if (!isLoopbackHost(host)) {
        add(
          'warning',
          'non-loopback',
          `${label}: dlv listens on ${listen.startsWith(':') ? `all interfaces (${listen})` : listen}; the headless server takes unauthenticated connections from anyone who can reach it, and on macOS the firewall asks about it. Use --listen=127.0.0.1:${listen.split(':').pop() || '2345'}.`,
          SECURITY_SOURCE,
        );
      }
    }
    if (has('--headless')) {
      const api = value('--api-version');
      if (api === '1')
        add(
          'warning',
          'api-version',
          `${label}: --api-version=1 is the old JSON-RPC API; clients expect 2 (and Delve 1.24.0 and later accept only 2).`,
          API_SOURCE,
        );
      else if (
        api === undefined &&
        (!options.dlvVersion || !isModuleVersion(options.dlvVersion) || compareModule(options.dlvVersion, API_V2_DEFAULT_SINCE) < 0)
      ) {
        add(
          options.dlvVersion ? 'warning' : 'info',
          'api-version',
          `${label}: without --api-version=2, Delve before ${API_V2_DEFAULT_SINCE} serves the old API v1${options.dlvVersion ? ` (this dlv is ${options.dlvVersion})` : ''}; add --api-version=2.`,
          API_SOURCE,
        );
      }
      if (has('--continue') && !has('--accept-multiclient')) {
        add(
          'error',
          'continue-multiclient',
          `${label}: --continue requires --accept-multiclient; Delve refuses to start ("Error: --continue requires --accept-multiclient").`,
          CONTINUE_SOURCE,
        );
      }
    }
  }
  return findings;
}

/** The labels of the tasks in a tasks.json, read as far as it parses (its own lint reports the rest). */
export function taskLabels(text: string): string[] {
  return objectsAt(parseTree(text, [], { allowTrailingComma: true }), 'tasks')
    .map((t) => t.value.label)
    .filter((l): l is string => typeof l === 'string');
}

/** The command line a task runs, as words (a shell task's command string is split on spaces). */
function commandLine(task: Record<string, unknown>): string[] {
  const command = typeof task.command === 'string' ? task.command : '';
  const words = task.type === 'shell' || !Array.isArray(task.args) ? command.split(/\s+/).filter(Boolean) : [command];
  const args = Array.isArray(task.args)
    ? task.args.map((a) =>
        typeof a === 'string' ? a : typeof a === 'object' && a && 'value' in a ? String((a as { value: unknown }).value) : '',
      )
    : [];
  return [...words, ...args.flatMap((a) => (task.type === 'shell' ? a.split(/\s+/) : [a]))].filter(Boolean);
}
