// Go Debug Doctor next to the real Go extension (golang.go, installed by the e2e harness from
// ../shared/vscode-extensions or $GOLANG_GO_VSIX): real `type: "go"` sessions through golang.go's
// resolveDebugConfiguration and its dlv-dap adapter, watched by a tracker of our own and by the
// extension's live help. Runs inside code-server's extension host (`npm run test:e2e`).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { generateConfigurations } from '../../src/core/launch/generate';
import type { GoDebugDoctorApi } from '../../src/vscode/extension';
import { extension, waitFor, workspaceFolder } from './helpers';

const GOLANG_GO = 'golang.go';
/** The e2e workspace's main.go: the loop body (scripts/e2e/server.mjs BREAKPOINTS.main), 0-based. */
const MAIN_LINE = 8;

/** What one session's adapter said, seen from a tracker registered by the test (not the extension's). */
interface Seen {
  session: vscode.DebugSession;
  messages: DebugProtocol.ProtocolMessage[];
  text: () => string;
}

describe('with the Go extension (golang.go)', function () {
  this.timeout(120_000);
  const seen = new Map<string, Seen>();
  const disposables: vscode.Disposable[] = [];

  before(async () => {
    disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('go', {
        createDebugAdapterTracker(session) {
          const entry: Seen = {
            session,
            messages: [],
            text: () =>
              entry.messages
                .map((m) =>
                  m.type === 'event' && (m as DebugProtocol.Event).event === 'output'
                    ? (m as DebugProtocol.OutputEvent).body.output
                    : m.type === 'response' && !(m as DebugProtocol.Response).success
                      ? `${(m as DebugProtocol.ErrorResponse).message}: ${(m as DebugProtocol.ErrorResponse).body?.error?.format ?? ''}\n`
                      : '',
                )
                .join(''),
          };
          seen.set(session.id, entry);
          return { onDidSendMessage: (m: DebugProtocol.ProtocolMessage) => entry.messages.push(m) };
        },
      }),
    );
    const go = vscode.extensions.getExtension(GOLANG_GO);
    assert.ok(go, 'golang.go is not installed in this profile');
    await go.activate();
  });

  after(async () => {
    for (const d of disposables) d.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    await vscode.workspace.getConfiguration('go').update('alternateTools', undefined, vscode.ConfigurationTarget.Global);
  });

  /** Starts `config` through golang.go; resolves with the session once it started (or undefined when it did not). */
  async function start(config: vscode.DebugConfiguration): Promise<vscode.DebugSession | undefined> {
    let session: vscode.DebugSession | undefined;
    const d = vscode.debug.onDidStartDebugSession((s) => {
      if (s.name === config.name) session ??= s;
    });
    try {
      // A failed launch rejects here in a test run (VS Code refuses to show its error dialog).
      await vscode.debug
        .startDebugging(workspaceFolder(), config)
        .then(undefined, (err: Error) => console.log(`      startDebugging: ${err.message.slice(0, 200)}`));
      return session;
    } finally {
      d.dispose();
    }
  }

  const ended = (session: vscode.DebugSession) =>
    new Promise<void>((resolve) => {
      const d = vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.id === session.id) {
          d.dispose();
          resolve();
        }
      });
    });

  async function generatedLaunch(): Promise<vscode.DebugConfiguration> {
    const folder = workspaceFolder();
    const { configurations } = await generateConfigurations({
      folderName: folder.name,
      packages: [{ importPath: 'example.com/e2e', dir: folder.uri.fsPath, rel: '.', isMain: true, hasTests: true }],
      kinds: ['launch'],
      preset: 'fast',
      dlvVersion: '1.27.2',
    });
    assert.equal(configurations.length, 1);
    return configurations[0] as vscode.DebugConfiguration;
  }

  it('golang.go is active next to us and contributes the go debugger', () => {
    const go = vscode.extensions.getExtension(GOLANG_GO)!;
    assert.ok(go.isActive);
    assert.ok(extension().isActive);
    const debuggers = (go.packageJSON.contributes?.debuggers ?? []) as { type: string }[];
    assert.ok(debuggers.some((d) => d.type === 'go'));
  });

  it('our generated Launch goes through golang.go untouched by us, and stops at a breakpoint; the tracker sees the real adapter', async () => {
    const config = await generatedLaunch();
    const main = vscode.Uri.file(path.join(workspaceFolder().uri.fsPath, 'main.go'));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(main, new vscode.Position(MAIN_LINE, 0)))]);
    const session = await start(config);
    assert.ok(session, 'golang.go did not start the session');
    const done = ended(session);
    const stopped = await waitFor(
      'the session to stop at the breakpoint',
      () =>
        seen
          .get(session.id)
          ?.messages.find((m): m is DebugProtocol.StoppedEvent => m.type === 'event' && (m as DebugProtocol.Event).event === 'stopped'),
      60_000,
    );
    assert.equal(stopped.body.reason, 'breakpoint');
    // golang.go resolved it (its resolveDebugConfiguration sets the adapter and the dlv it runs);
    // every attribute we generated arrived as we wrote it (we register no resolver of our own).
    const resolved = session.configuration;
    assert.equal(resolved.debugAdapter, 'dlv-dap');
    for (const [key, value] of Object.entries(config))
      if (key !== 'program') assert.deepEqual(resolved[key], value, `${key} changed on the way`);
    // golang.go substitutes ${workspaceFolder}, and may shorten it to the folder it runs dlv from.
    assert.ok(['.', workspaceFolder().uri.fsPath].includes(resolved.program), resolved.program);
    // golang.go's adapter announces the dlv it started; here it is the dlv v1.27.2 on PATH.
    const text = seen.get(session.id)!.text();
    assert.match(text, /Starting: \S*dlv dap --listen=127\.0\.0\.1:\d+/);
    if (process.env.GDD_E2E_DLV) assert.ok(text.includes(`Starting: ${process.env.GDD_E2E_DLV} dap`), text.slice(0, 400));
    const frames = await session.customRequest('stackTrace', { threadId: stopped.body.threadId, startFrame: 0, levels: 1 });
    assert.equal(frames.stackFrames[0].name, 'main.main');
    assert.equal(frames.stackFrames[0].line, MAIN_LINE + 1);
    await vscode.debug.stopDebugging(session);
    await done;
  });

  it('the live help explains a real failure: dlv v1.21.2 through go.alternateTools cannot debug this Go', async function () {
    const old = process.env.GDD_E2E_DLV_OLD;
    if (!old) this.skip();
    const api = (await extension().activate()) as GoDebugDoctorApi;
    await vscode.workspace.getConfiguration('go').update('alternateTools', { dlv: old }, vscode.ConfigurationTarget.Global);
    // The user turned F5's install offer off (tests cannot answer its dialog): the failure happens for real.
    const ours = vscode.workspace.getConfiguration('goDebugDoctor');
    await ours.update('offerInstallOnF5', false, vscode.ConfigurationTarget.Global);
    try {
      const config = { ...(await generatedLaunch()), name: 'Launch with dlv v1.21.2' };
      // The launch request fails in Delve, so VS Code never reports the session as started; the
      // trackers (ours and the test's) still see the adapter's messages.
      await start(config);
      const row = await waitFor('the panel row of the last session', () => api.checks().find((c) => c.id === 'session.delve'), 60_000);
      assert.equal(row.status, 'fail');
      assert.match(row.detail ?? '', /Version of Delve is too old for Go version/);
      assert.match(row.detail ?? '', /Launch with dlv v1\.21\.2/);
      assert.equal(row.fixes[0]?.action, 'installDlv', JSON.stringify(row.fixes));
      const adapter = [...seen.values()].find((e) => e.session.name === config.name);
      assert.ok(adapter, 'the test tracker saw no session of that name');
      assert.match(adapter.text(), new RegExp(`Starting: ${old.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} dap`));
      assert.match(adapter.text(), /Version of Delve is too old for Go version/);
    } finally {
      await vscode.workspace.getConfiguration('go').update('alternateTools', undefined, vscode.ConfigurationTarget.Global);
      await ours.update('offerInstallOnF5', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('the live help names the cause of a real build failure: "program" is one file of a two-file package (not the generic build error)', async () => {
    const api = (await extension().activate()) as GoDebugDoctorApi;
    const dir = path.join(workspaceFolder().uri.fsPath, 'onefile');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'main.go'), 'package main\n\nfunc main() {\n\thelper()\n}\n');
    fs.writeFileSync(path.join(dir, 'helper.go'), 'package main\n\nfunc helper() {}\n');
    // golang.go keeps the dlv path it resolved from go.alternateTools after the setting is removed
    // (binPathCache, cleared only when go.toolsGopath changes), so the test before this one leaves
    // dlv v1.21.2 in use: name the current dlv explicitly.
    const dlv = process.env.GDD_E2E_DLV;
    if (dlv) await vscode.workspace.getConfiguration('go').update('alternateTools', { dlv }, vscode.ConfigurationTarget.Global);
    try {
      const config = { ...(await generatedLaunch()), name: 'Launch one file', program: path.join(dir, 'main.go') };
      await start(config);
      const row = await waitFor(
        'the panel row of the one-file session',
        () => api.checks().find((c) => c.id === 'session.delve' && /Launch one file/.test(c.detail ?? '')),
        120_000,
      );
      assert.match(row.summary, /"program" names one file/);
      assert.equal(row.fixes[0]?.action, 'generateLaunch', JSON.stringify(row.fixes));
      // Delve's "Build error: Check the debug console" came after the go command's words: not explained again.
      await new Promise((r) => setTimeout(r, 1_000));
      const latest = api.checks().find((c) => c.id === 'session.delve');
      assert.match(latest?.summary ?? '', /"program" names one file/);
      const adapter = [...seen.values()].find((e) => e.session.name === config.name);
      assert.match(adapter?.text() ?? '', /# command-line-arguments/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await vscode.workspace.getConfiguration('go').update('alternateTools', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  describe('launch.json diagnostics follow tasks.json', () => {
    const vscodeDir = () => path.join(workspaceFolder().uri.fsPath, '.vscode');
    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(vscodeDir(), { recursive: true, force: true });
    });

    it('a preLaunchTask missing from tasks.json is flagged, and the flag goes when tasks.json is written (as Generate does, just after launch.json)', async () => {
      fs.mkdirSync(vscodeDir(), { recursive: true });
      const launch = path.join(vscodeDir(), 'launch.json');
      fs.writeFileSync(
        launch,
        `{
  "version": "0.2.0",
  "configurations": [
    { "name": "Connect to headless dlv: e2e", "type": "go", "request": "attach", "mode": "remote", "debugAdapter": "dlv-dap", "host": "127.0.0.1", "port": 41234, "preLaunchTask": "Headless dlv for e2e" }
  ]
}
`,
      );
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(launch));
      await vscode.window.showTextDocument(doc);
      const missing = () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'remote-no-server');
      await waitFor('the remote-no-server warning', missing);
      fs.writeFileSync(
        path.join(vscodeDir(), 'tasks.json'),
        `{
  "version": "2.0.0",
  "tasks": [{ "label": "Headless dlv for e2e", "type": "process", "command": "dlv", "args": ["debug", ".", "--headless", "--listen=127.0.0.1:41234", "--api-version=2", "--accept-multiclient"], "isBackground": true }]
}
`,
      );
      // launch.json itself did not change: only the tasks.json watcher can clear it.
      await waitFor('the warning to go once tasks.json has the task', () => !missing() || undefined, 15_000);
    });

    it('a copy of launch.json in another scheme (the Generate diff preview) gets no diagnostics', async () => {
      const scheme = 'gdd-test-preview';
      const launch = path.join(vscodeDir(), 'launch.json');
      const text = `{ "configurations": [ { "name": "x", "type": "go", "request": "attach", "mode": "remote", "port": 41235, "preLaunchTask": "not a task", "dlvToolPath": "/x/dlv" } ] }`;
      const provider = vscode.workspace.registerTextDocumentContentProvider(scheme, { provideTextDocumentContent: () => text });
      try {
        const uri = vscode.Uri.from({ scheme, path: launch });
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc);
        // The real file with the same text is flagged (so the rules do fire on this text)…
        fs.writeFileSync(launch, text);
        const real = await vscode.workspace.openTextDocument(vscode.Uri.file(launch));
        await waitFor('diagnostics on the real launch.json', () =>
          vscode.languages.getDiagnostics(real.uri).find((d) => d.code === 'overwritten-attribute'),
        );
        // …and the preview, opened first, still has none.
        assert.deepEqual(
          vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Go Debug Doctor'),
          [],
        );
      } finally {
        provider.dispose();
      }
    });
  });
});
