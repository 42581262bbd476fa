import * as path from 'node:path';
import * as vscode from 'vscode';

const PREVIEW_SCHEME = 'go-debug-doctor-preview';

/** Serves the proposed file contents to the diff editor. */
export class PreviewProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  show(file: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: file });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }
  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
  static readonly scheme = PREVIEW_SCHEME;
}

/** Opens a diff editor per planned file: what is on disk (or nothing) against the proposed text. */
export async function showProposedChanges(
  previews: PreviewProvider,
  files: readonly { file: string; before: string | undefined; result: { text: string } }[],
): Promise<void> {
  for (const f of files) {
    const proposed = previews.show(f.file, f.result.text);
    await vscode.commands.executeCommand(
      'vscode.diff',
      f.before === undefined ? previews.show(`${f.file}.empty`, '') : vscode.Uri.file(f.file),
      proposed,
      `${path.basename(f.file)}: proposed changes`,
      { preview: true },
    );
  }
}
