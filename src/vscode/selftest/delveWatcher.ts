import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { CheckResult } from '../../core/checks/types';
import type { DelveErrorMatch, explainDelveOutput } from '../../core/knowledge/delveErrors';
import { COMMAND } from '../ids';
import { offerFix } from './offerFix';

/**
 * Live help during real `go` sessions: watches what the Go extension's debug adapter says (error
 * responses, console and stderr output) for Delve messages we know, and explains each one once per
 * VS Code session. It only listens; it never changes a message.
 */
export class DelveMessageWatcher implements vscode.DebugAdapterTrackerFactory {
  private readonly explained = new Set<string>();

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly onMatch: (row: CheckResult) => void = () => undefined,
  ) {}

  register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(vscode.debug.registerDebugAdapterTrackerFactory('go', this));
  }

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    // Output arrives in pieces; keep a short tail so a message split across events still matches.
    let tail = '';
    // Delve's "Build error: Check the debug console" follows the go command's own words: once those
    // were explained, the generic row adds nothing.
    let specific = false;
    // The message table (its own chunk) loads when the first session starts, not at activation;
    // what arrives meanwhile waits in the tail.
    let explain: typeof explainDelveOutput | undefined;
    void import('../../core/knowledge/delveErrors').then((m) => {
      explain = m.explainDelveOutput;
      look('');
    });
    const look = (text: string) => {
      tail = (tail + text).slice(-4096);
      if (!explain) return;
      for (const match of explain(tail)) {
        if (this.explained.has(match.id) || (match.generic && specific)) continue;
        specific ||= !match.generic;
        this.explained.add(match.id);
        tail = '';
        this.log.warn(
          `session "${session.name}": Delve said "${match.message}": ${match.cause} Fix: ${match.fix}${match.fixCommand ? ` (${match.fixCommand})` : ''} [${match.source}]`,
        );
        this.onMatch(sessionRow(session.name, match));
        void offerFix(`Delve: "${match.message}" ${match.cause} ${match.fix}`, match, this.log, 'warning', ['Open Health Panel']).then(
          (pick) => {
            if (pick === 'Open Health Panel') void vscode.commands.executeCommand(COMMAND.showPanel, SESSION_ROW);
          },
        );
      }
    };
    return {
      onDidSendMessage: (message: DebugProtocol.ProtocolMessage) => {
        if (message.type === 'response' && !(message as DebugProtocol.Response).success) {
          const r = message as DebugProtocol.ErrorResponse;
          look(`${r.message ?? ''}\n${r.body?.error?.format ?? ''}\n`);
        } else if (message.type === 'event' && (message as DebugProtocol.Event).event === 'output') {
          const body = (message as DebugProtocol.OutputEvent).body;
          if (body.category !== 'stdout') look(body.output);
        }
      },
      onError: (error) => look(`${error.message}\n`),
    };
  }
}

export const SESSION_ROW = 'session.delve';

/** What Delve said in the last debug session, as a panel row with its fix. */
function sessionRow(sessionName: string, match: DelveErrorMatch): CheckResult {
  return {
    id: SESSION_ROW,
    title: 'Last debug session',
    status: 'fail',
    summary: match.cause,
    detail: `Delve said in "${sessionName}": ${match.message}`,
    evidence: [{ label: 'Delve versions that print it', value: match.versions }],
    fixes: [
      { label: match.fix, ...(match.fixCommand ? { command: match.fixCommand } : {}), ...(match.action ? { action: match.action } : {}) },
    ],
    sources: [match.source],
    durationMs: 0,
  };
}
