import * as vscode from 'vscode';
import type { CheckResult } from '../../core/checks/types';
import { debugSelfTest } from '../../core/selftest/debugSelfTest';
import { formatSelfTest, selfTestCheck } from '../../core/selftest/selfTestCheck';
import type { SelfTestResult } from '../../core/selftest/selftest';
import type { Session } from '../../core/session/session';
import { ACTION_LABELS, runAction } from '../actions';
import { offerFix } from './offerFix';

/**
 * "Run Debug Self-Test": the go and dlv the Go extension would run, a real session in a temporary
 * folder, each step shown in a cancellable progress notification; the outcome in one message.
 * gopls is started on the workspace only when it is trusted (the session has a workspace only then).
 */
export async function runDebugSelfTest(
  session: Session,
  log: vscode.LogOutputChannel,
  report: (row: CheckResult) => void,
): Promise<SelfTestResult | undefined> {
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Go Debug Doctor: debug self-test', cancellable: true },
    (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return debugSelfTest(session, {
        gopls: true,
        signal: abort.signal,
        onGopls: (r, row) => {
          log.info(`gopls handshake: ${r.outcome} in ${r.durationMs} ms (${r.goplsVersion ?? 'version unknown'})`);
          report(row);
        },
        onStep: (s) => {
          log.info(
            `self-test ${s.id}: ${s.ok ? 'ok' : 'FAILED'} in ${s.durationMs} ms${s.detail ? ` (${s.detail.split('\n', 1)[0]})` : ''}`,
          );
          progress.report({ message: `${s.id} ${s.ok ? '✓' : '✗'}`, increment: 100 / 16 });
        },
      });
    },
  );
  if ('missing' in outcome) {
    const install = outcome.missing.startsWith('dlv') ? [ACTION_LABELS.installDlv] : [];
    const pick = await vscode.window.showErrorMessage(`Go Debug Doctor: cannot run the self-test: ${outcome.missing}.`, ...install);
    if (pick) await runAction({ action: 'installDlv' });
    return undefined;
  }
  const { result } = outcome;
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
