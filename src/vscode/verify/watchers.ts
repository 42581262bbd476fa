import { readUserFile } from '../../core/io/read';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { CheckResult } from '../../core/checks/types';
import { COMMAND } from '../ids';

/** The last Verify result per configuration, for its panel row (marked stale when launch.json changes). */
export const rows = new Map<string, { row: CheckResult; at: number }>();

/**
 * Registered at activation (cheap): live help when a real `go` session comes back with an unverified
 * breakpoint, and the panel rows of earlier results marked stale when launch.json changes.
 */
export function registerVerifyWatchers(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  setRow: (row: CheckResult) => void,
): void {
  context.subscriptions.push(vscode.debug.registerDebugAdapterTrackerFactory('go', new UnverifiedBreakpointWatcher(log)));
  const watcher = vscode.workspace.createFileSystemWatcher('**/.vscode/launch.json');
  const stale = () => {
    for (const [id, { row, at }] of rows) {
      if (row.status === 'skip') continue;
      const marked: CheckResult = {
        ...row,
        status: 'skip',
        summary: `launch.json changed after this result (${new Date(at).toLocaleTimeString()}): verify again.`,
        detail: `Last result: ${row.summary}`,
      };
      rows.set(id, { row: marked, at });
      setRow(marked);
    }
  };
  watcher.onDidChange(stale);
  watcher.onDidDelete(stale);
  context.subscriptions.push(watcher);
}

/**
 * Live help: watches a real `go` session's setBreakpoints answers and breakpoint events; when a
 * breakpoint comes back unverified, says why in one line and offers Verify (which diagnoses the
 * cause and offers the fix). It only listens.
 */
export class UnverifiedBreakpointWatcher implements vscode.DebugAdapterTrackerFactory {
  private readonly offered = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    const requests = new Map<number, string>();
    const unverified = async (file: string | undefined, message: string | undefined) => {
      const key = `${session.configuration.name}\n${message ?? ''}`;
      if (this.offered.has(key)) return;
      this.offered.add(key);
      const why = await explainUnverified(message ?? '', session.configuration, file);
      this.log.warn(`session "${session.name}": breakpoint${file ? ` in ${file}` : ''} not verified: ${message ?? 'no message'} — ${why}`);
      const canVerify =
        typeof session.configuration.name === 'string' &&
        session.workspaceFolder &&
        (session.configuration.request === 'launch' || session.configuration.mode === 'remote');
      void vscode.window
        .showWarningMessage(
          `Breakpoint not bound${file ? ` in ${path.basename(file)}` : ''}: ${message ?? ''}. ${why}`,
          ...(canVerify ? ['Verify and Fix'] : []),
        )
        .then((pick) => {
          if (pick) void vscode.commands.executeCommand(COMMAND.verify, session.configuration.name);
        });
    };
    return {
      onWillReceiveMessage: (message: DebugProtocol.ProtocolMessage) => {
        if (message.type === 'request' && (message as DebugProtocol.Request).command === 'setBreakpoints') {
          requests.set(message.seq, (message as DebugProtocol.SetBreakpointsRequest).arguments.source.path ?? '');
        }
      },
      onDidSendMessage: (message: DebugProtocol.ProtocolMessage) => {
        if (message.type === 'response' && (message as DebugProtocol.Response).command === 'setBreakpoints') {
          const r = message as DebugProtocol.SetBreakpointsResponse;
          const file = requests.get(r.request_seq);
          requests.delete(r.request_seq);
          const bad = r.body?.breakpoints?.find((b) => !b.verified);
          if (bad) void unverified(file, bad.message);
        } else if (message.type === 'event' && (message as DebugProtocol.Event).event === 'breakpoint') {
          const e = message as DebugProtocol.BreakpointEvent;
          if (e.body.reason === 'changed' && !e.body.breakpoint.verified && e.body.breakpoint.message)
            void unverified(e.body.breakpoint.source?.path, e.body.breakpoint.message);
        }
      },
    };
  }
}

/**
 * What Delve's message and the configuration show, and no more: a cause is named only when the
 * facts at hand show it (Verify confirms or finds the real one against the debuggee's file names).
 */
export async function explainUnverified(message: string, configuration: vscode.DebugConfiguration, file?: string): Promise<string> {
  if (/could not find file/.test(message)) {
    if (configuration.mode === 'remote')
      return "The program was probably built under another folder (a container's /app, a remote host): the file names differ and substitutePath is missing.";
    // golang.go turns `program` into a path relative to `__buildDir`, the package folder it builds
    // in (extension/src/goDebugConfiguration.ts, resolveDebugConfigurationWithSubstitutedVariables).
    const buildDir = typeof configuration.__buildDir === 'string' ? configuration.__buildDir : undefined;
    const given = typeof configuration.program === 'string' ? configuration.program : undefined;
    const program = given && buildDir ? path.resolve(buildDir, given) : given;
    const programDir = program ? (program.endsWith('.go') ? path.dirname(program) : program) : undefined;
    if (file && programDir && path.isAbsolute(programDir) && path.dirname(file) !== path.resolve(programDir) && (await isMainPackage(file)))
      return `This file belongs to another program (${path.basename(path.dirname(file))}) than the one debugged (${path.basename(programDir)}): start a configuration for that program, or press F5 with that file open and no launch.json.`;
    return 'The program being debugged has no file by this name; Verify finds out why.';
  }
  if (/could not find statement/.test(message)) return 'That line holds no statement; put the breakpoint on a line with code.';
  if (/binary is stripped/.test(message)) return 'The binary has no debug information (-ldflags=-w/-s).';
  return 'Verify runs the configuration through Delve and names the cause.';
}

/** The file's package clause says `package main` (its first 8 KiB, through the one file reader; unreadable: false). */
async function isMainPackage(file: string): Promise<boolean> {
  try {
    const text = (await readUserFile(file, { maxBytes: 8192, prefix: true })).toString('utf8');
    return /^package\s+main\b/m.test(text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, ''));
  } catch {
    return false;
  }
}
