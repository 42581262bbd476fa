import * as vscode from 'vscode';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { Facts, type DoctorOptions } from '../core/facts/facts';
import { explainDelveOutput, type DelveErrorMatch } from '../core/knowledge/delveErrors';
import { goplsHandshake } from '../core/lsp/goplsHandshake';
import { formatSelfTest, goplsHandshakeCheck, selfTestCheck, selfTestInputs } from '../core/selftest/selfTestCheck';
import { runSelfTest, type SelfTestResult } from '../core/selftest/selftest';
import type { CheckResult, SafeActionId } from '../core/checks/types';

export const ACTION_COMMANDS: Record<SafeActionId, string> = {
  installDlv: 'goDebugDoctor.installDlv',
  generateLaunch: 'goDebugDoctor.generateLaunch',
  openSettings: 'workbench.action.openSettingsJson',
  runChecks: 'goDebugDoctor.runChecks',
};

const ACTION_LABELS: Record<SafeActionId, string> = {
  installDlv: 'Install Pinned dlv',
  generateLaunch: 'Generate Debug Configurations',
  openSettings: 'Open Settings',
  runChecks: 'Run Checks',
};

/**
 * "Run Debug Self-Test": the go and dlv the Go extension would run, a real session in a temporary
 * folder, each step shown in a cancellable progress notification; the outcome in one message.
 */
export async function runDebugSelfTest(options: DoctorOptions, log: vscode.LogOutputChannel, report: (row: CheckResult) => void): Promise<SelfTestResult | undefined> {
  const facts = new Facts(options);
  const inputs = await selfTestInputs(facts);
  if ('missing' in inputs) {
    const install = inputs.missing.startsWith('dlv') ? [ACTION_LABELS.installDlv] : [];
    const pick = await vscode.window.showErrorMessage(`Go Debug Doctor: cannot run the self-test: ${inputs.missing}.`, ...install);
    if (pick) await vscode.commands.executeCommand(ACTION_COMMANDS.installDlv);
    return undefined;
  }
  // gopls is started on the workspace only when it is trusted (options.workspace is set only then).
  const gopls = options.workspace ? (await facts.goplsLocation()).found?.path : undefined;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Go Debug Doctor: debug self-test', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const handshake = gopls && options.workspace
        ? goplsHandshake({ gopls, folder: options.workspace, signal: abort.signal }).then((r) => {
          log.info(`gopls handshake: ${r.outcome} in ${r.durationMs} ms (${r.goplsVersion ?? 'version unknown'})`);
          report(goplsHandshakeCheck(r, gopls));
        })
        : undefined;
      const session = await runSelfTest({
        ...inputs,
        ...(options.backend && options.backend !== 'default' ? { backend: options.backend } : {}),
        signal: abort.signal,
        onStep: (s) => {
          log.info(`self-test ${s.id}: ${s.ok ? 'ok' : 'FAILED'} in ${s.durationMs} ms${s.detail ? ` (${s.detail.split('\n', 1)[0]})` : ''}`);
          progress.report({ message: `${s.id} ${s.ok ? '✓' : '✗'}`, increment: 100 / 16 });
        },
      });
      await handshake;
      return session;
    },
  );
  report(selfTestCheck(result));
  log.info(formatSelfTest(result));
  void showSelfTestOutcome(result, log);
  return result;
}

async function showSelfTestOutcome(result: SelfTestResult, log: vscode.LogOutputChannel): Promise<void> {
  if (result.outcome === 'cancelled') return;
  if (result.outcome === 'pass') {
    const pick = await vscode.window.showInformationMessage(
      `Debugging works here: dlv stopped at the breakpoint and read order.ID = ${result.values['order.ID']} (${(result.durationMs / 1000).toFixed(1)} s).`,
      'Show Steps',
    );
    if (pick) log.show();
    return;
  }
  const failure = result.failure!;
  const first = failure.diagnoses[0];
  const text = `Debug self-test failed at "${failure.step}": ${first ? `${first.cause} ${first.fix}` : failure.message.split('\n', 1)[0]}`;
  await offerFix(text, first, log, 'error');
}

/** One message with the fix as buttons: the safe action, the command to copy, the log. */
async function offerFix(text: string, fix: { fixCommand?: string; action?: SafeActionId } | undefined, log: vscode.LogOutputChannel, level: 'error' | 'warning', extra: string[] = []): Promise<string | undefined> {
  const buttons = [
    ...(fix?.action ? [ACTION_LABELS[fix.action]] : []),
    ...(fix?.fixCommand ? ['Copy Command'] : []),
    ...extra,
    'Show Log',
  ];
  const show = level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const pick = await show(text, ...buttons);
  if (pick === 'Copy Command' && fix?.fixCommand) {
    await vscode.env.clipboard.writeText(fix.fixCommand);
    void vscode.window.showInformationMessage(`Copied: ${fix.fixCommand}`);
  } else if (pick === 'Show Log') {
    log.show();
  } else if (fix?.action && pick === ACTION_LABELS[fix.action]) {
    await vscode.commands.executeCommand(ACTION_COMMANDS[fix.action]);
  }
  return pick;
}

/**
 * Live help during real `go` sessions: watches what the Go extension's debug adapter says (error
 * responses, console and stderr output) for Delve messages we know, and explains each one once per
 * VS Code session. It only listens; it never changes a message.
 */
export class DelveMessageWatcher implements vscode.DebugAdapterTrackerFactory {
  private readonly explained = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel, private readonly onMatch: (row: CheckResult) => void = () => undefined) {}

  register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(vscode.debug.registerDebugAdapterTrackerFactory('go', this));
  }

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    // Output arrives in pieces; keep a short tail so a message split across events still matches.
    let tail = '';
    const look = (text: string) => {
      tail = (tail + text).slice(-4096);
      for (const match of explainDelveOutput(tail)) {
        if (this.explained.has(match.id)) continue;
        this.explained.add(match.id);
        tail = '';
        this.log.warn(`session "${session.name}": Delve said "${match.message}": ${match.cause} Fix: ${match.fix}${match.fixCommand ? ` (${match.fixCommand})` : ''} [${match.source}]`);
        this.onMatch(sessionRow(session.name, match));
        void offerFix(`Delve: ${match.cause} ${match.fix}`, match, this.log, 'warning', ['Open Health Panel']).then((pick) => {
          if (pick === 'Open Health Panel') void vscode.commands.executeCommand('goDebugDoctor.showPanel', SESSION_ROW);
        });
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
    fixes: [{ label: match.fix, ...(match.fixCommand ? { command: match.fixCommand } : {}), ...(match.action ? { action: match.action } : {}) }],
    sources: [match.source],
    durationMs: 0,
  };
}
