import * as vscode from 'vscode';
import type { Session } from '../../core/session/session';
import { readSettings } from '../config';
import { launchTools } from './tools';

/** Offers the generated launch, test and attach configurations in Run and Debug's dynamic list. */
export class GoConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly session: () => Promise<Session>) {}
  async provideDebugConfigurations(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.DebugConfiguration[]> {
    if (!folder || !vscode.workspace.isTrusted) return [];
    const session = await this.session();
    const { go, dlvVersion } = await launchTools(session);
    if (!go) return [];
    const [{ discoverWorkspace }, { generateConfigurations }] = await Promise.all([
      import('../../core/launch/workspace'),
      import('../../core/launch/generate'),
    ]);
    const ws = await discoverWorkspace(session.host, folder.uri.fsPath, go);
    // Headless configurations need their task in tasks.json: those come from the Generate command.
    const generated = await generateConfigurations({
      folderName: folder.name,
      packages: ws.packages,
      kinds: ['launch', 'test', 'attach'],
      preset: readSettings().debugPreset,
      ...(dlvVersion ? { dlvVersion } : {}),
    });
    return generated.configurations as vscode.DebugConfiguration[];
  }
}

/**
 * Run and Debug's dynamic list for `go`, once some extension (the Go extension) contributes a `go`
 * debugger: without one VS Code would show our entries under a nameless "undefined..." item.
 */
export function offerDynamicConfigurations(context: vscode.ExtensionContext, provider: vscode.DebugConfigurationProvider): void {
  let registration: vscode.Disposable | undefined;
  const update = () => {
    const goDebugger = vscode.extensions.all.some((e) =>
      (e.packageJSON?.contributes?.debuggers as { type?: string }[] | undefined)?.some((d) => d.type === 'go'),
    );
    if (goDebugger && !registration)
      registration = vscode.debug.registerDebugConfigurationProvider('go', provider, vscode.DebugConfigurationProviderTriggerKind.Dynamic);
    else if (!goDebugger && registration) {
      registration.dispose();
      registration = undefined;
    }
  };
  update();
  context.subscriptions.push(vscode.extensions.onDidChange(update), { dispose: () => registration?.dispose() });
}
