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
