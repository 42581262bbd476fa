import * as os from 'node:os';
import * as vscode from 'vscode';
import { formatDiagnosticsReport } from '../../core/output/diagnosticsReport';
import type { HealthModel } from './model';

/** Markdown for a bug report, home folder and user name replaced; copied, and opened for a last read. */
export async function copyDiagnosticsReport(model: HealthModel, log: vscode.LogOutputChannel): Promise<string | undefined> {
  if (!model.state.report) await model.refresh('diagnostics report');
  const report = model.state.report;
  if (!report) {
    void vscode.window.showErrorMessage(`Go Debug Doctor: no report: ${model.state.error ?? 'the checks did not finish'}.`);
    return undefined;
  }
  const goExt = vscode.extensions.getExtension('golang.go');
  const text = formatDiagnosticsReport(report, {
    home: os.homedir(),
    user: safeUserName(),
    environment: {
      Editor: `${vscode.env.appName} ${vscode.version} (${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}${vscode.env.remoteName ? `, remote ${vscode.env.remoteName}` : ''})`,
      'Go extension': goExt ? String(goExt.packageJSON?.version ?? 'unknown') : 'not installed',
      'Workspace trust': vscode.workspace.isTrusted ? 'trusted' : 'restricted',
    },
    extraChecks: [...model.state.extra.values()],
    extraProbes: [...model.state.extraProbes],
  });
  await vscode.env.clipboard.writeText(text);
  log.info(`diagnostics report copied (${text.length} characters)`);
  void vscode.window
    .showInformationMessage(
      'Go Debug Doctor: diagnostics report copied. Home folder and user name are replaced; please read it before you share it.',
      'Open Report',
    )
    .then(async (pick) => {
      if (pick) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: text }));
    });
  return text;
}

function safeUserName(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined;
  }
}
