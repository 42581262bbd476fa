// The extension as VS Code runs it: activation, contributed commands and settings, Run Checks
// against the real go and dlv on PATH, and launch.json diagnostics with their quick fix.
// Runs inside code-server's extension host (`npm run test:e2e`), not under node:test.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import * as os from 'node:os';
import type { SelfTestResult } from '../../src/core/selftest/selftest';
import type { GoDebugDoctorApi } from '../../src/vscode/extension';
import { extension, REPO_ROOT, waitFor, workspaceFolder } from './helpers';

interface ContributedCommand {
  command: string;
  title: string;
}

describe('extension host', () => {
  it('loads this checkout (extensionDevelopmentPath) in a Node extension host', () => {
    const ext = extension();
    assert.equal(fs.realpathSync(ext.extensionPath), fs.realpathSync(REPO_ROOT));
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
    assert.ok(typeof process.versions.node === 'string');
    assert.equal(vscode.env.appName, 'code-server');
  });

  it('activates by itself in a Go workspace (workspaceContains:**/go.mod)', async () => {
    const ext = extension();
    assert.ok(fs.existsSync(path.join(workspaceFolder().uri.fsPath, 'go.mod')));
    await waitFor('the extension to activate', () => ext.isActive);
  });

  it('runs trusted here: the harness starts code-server with --disable-workspace-trust', () => {
    // Untrusted behaviour (workspace tool paths ignored, go.mod not read) needs trust enabled and
    // a fresh window; it is covered by the unit tests of the options, not here.
    assert.equal(vscode.workspace.isTrusted, true);
  });

  it('registers every command package.json contributes, and contributes every command it registers', async () => {
    const contributes = extension().packageJSON.contributes;
    const contributed = (contributes.commands as ContributedCommand[]).map((c) => c.command).sort();
    assert.ok(contributed.includes('goDebugDoctor.runChecks'));
    // VS Code adds <view id>.focus, .open, .removeView, … for every contributed view.
    const viewIds = Object.values((contributes.views ?? {}) as Record<string, { id: string }[]>)
      .flat()
      .map((v) => v.id);
    const registered = (await vscode.commands.getCommands(true))
      .filter((c) => c.startsWith('goDebugDoctor.') && !viewIds.some((v) => c.startsWith(`${v}.`)))
      .sort();
    assert.deepEqual(registered, contributed);
  });

  it('has the documented setting defaults', () => {
    const config = vscode.workspace.getConfiguration('goDebugDoctor');
    assert.equal(config.inspect('probeTimeoutMs')?.defaultValue, 10000);
    assert.equal(config.inspect('debugPreset')?.defaultValue, 'fast');
    assert.equal(config.inspect('dlvInstallFolder')?.defaultValue, '');
    assert.equal(config.get('debugPreset'), 'fast');
  });

  it('Run Checks finds the go and the dlv v1.27.2 on PATH and reads the workspace (exported API)', async () => {
    const api = (await extension().activate()) as GoDebugDoctorApi;
    assert.equal(typeof api?.checks, 'function', 'the extension exports no checks()');
    await vscode.commands.executeCommand('goDebugDoctor.runChecks');
    const checks = api.checks();
    const check = (id: string) => {
      const found = checks.find((c) => c.id === id);
      assert.ok(found, `no ${id} check among ${checks.map((c) => c.id).join(', ')}`);
      return found;
    };
    assert.equal(check('tools.go').status, 'pass', check('tools.go').summary);
    // Trusted: the workspace's go.mod was read.
    assert.match(check('workspace.go').summary, /go\.mod \(go1\.21(\.0)?\)/);
    const dlv = check('tools.dlv');
    assert.equal(dlv.status, 'pass', dlv.summary);
    assert.match(dlv.summary, /Delve 1\.27\.2 at /);
    if (process.env.GDD_E2E_DLV) assert.ok(dlv.summary.includes(process.env.GDD_E2E_DLV), dlv.summary);
    assert.equal(check('compat.delveGo').status, 'pass', check('compat.delveGo').summary);
  });

  it('Run Debug Self-Test drives a real dlv session from the extension host and adds a passing row', async () => {
    const api = (await extension().activate()) as GoDebugDoctorApi;
    const result = await vscode.commands.executeCommand<SelfTestResult>('goDebugDoctor.selfTest');
    assert.equal(result?.outcome, 'pass', JSON.stringify(result?.failure));
    assert.equal(result.values['order.ID'], '7');
    assert.equal(result.steps.length, 16);
    const row = api.checks().find((c) => c.id === 'selftest');
    assert.equal(row?.status, 'pass');
  });

  it('Copy Diagnostics Report returns (and copies) Markdown with every check and command, the home folder replaced', async () => {
    const text = await vscode.commands.executeCommand<string>('goDebugDoctor.copyReport');
    assert.match(text, /^<!-- Please read this report before you share it/);
    assert.match(text, /# Go Debug Doctor diagnostics/);
    assert.match(text, /- Editor: code-server 1\.\d+/);
    assert.match(text, /### PASS: Debug self-test/);
    assert.match(text, /<code>[^<]*dlv version<\/code>: ok/);
    assert.match(text, /<code>[^<]*dlv dap --listen=127\.0\.0\.1:0<\/code>: ok/, "the self-test's processes are listed too");
    const home = os.homedir();
    if (home.length > 1) assert.ok(!text.includes(`${home}/`), 'the home folder is replaced by ~');
    assert.equal(await vscode.env.clipboard.readText(), text);
  });

  it('a settings change re-runs the checks: profile golden-triangle makes the profile row a warning', async () => {
    const api = (await extension().activate()) as GoDebugDoctorApi;
    const config = vscode.workspace.getConfiguration('goDebugDoctor');
    await config.update('profile', 'golden-triangle', vscode.ConfigurationTarget.Global);
    try {
      const row = await waitFor(
        'the profile row to follow the setting',
        () => api.checks().find((c) => c.id === 'profile' && /golden/i.test(c.summary)),
        30_000,
      );
      assert.equal(row.status, 'warn', row.summary);
    } finally {
      await config.update('profile', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the profile row to go back', () => api.checks().find((c) => c.id === 'profile' && !/golden/i.test(c.summary)), 30_000);
  });

  it('reports how long activate() took (a measurement for the closing note, not a timed assertion)', async () => {
    const api = (await extension().activate()) as GoDebugDoctorApi;
    assert.equal(typeof api.activationMs, 'number');
    console.log(`activate() took ${api.activationMs} ms`);
  });

  describe('launch.json diagnostics', () => {
    const vscodeDir = () => path.join(workspaceFolder().uri.fsPath, '.vscode');
    after(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(vscodeDir(), { recursive: true, force: true });
    });

    it('flags dlvToolPath and removes it with the quick fix', async () => {
      const file = path.join(vscodeDir(), 'launch.json');
      fs.mkdirSync(vscodeDir(), { recursive: true });
      fs.writeFileSync(
        file,
        `{
  "version": "0.2.0",
  "configurations": [
    { "name": "Launch e2e", "type": "go", "request": "launch", "mode": "debug", "program": "\${workspaceFolder}", "dlvToolPath": "/usr/bin/dlv" }
  ]
}
`,
      );
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(doc);
      const diagnostic = await waitFor('a Go Debug Doctor diagnostic on launch.json', () =>
        vscode.languages.getDiagnostics(doc.uri).find((d) => d.source === 'Go Debug Doctor' && d.code === 'overwritten-attribute'),
      );
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(doc.getText(diagnostic.range), /^"dlvToolPath"/);

      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        doc.uri,
        diagnostic.range,
      );
      const fix = actions.find((a) => a.edit && a.isPreferred);
      assert.ok(fix?.edit, `no quick fix among: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.doesNotMatch(doc.getText(), /dlvToolPath/);
      assert.match(doc.getText(), /"program": "\$\{workspaceFolder\}"/);
      await waitFor(
        'the diagnostic to go away',
        () => !vscode.languages.getDiagnostics(doc.uri).some((d) => d.code === 'overwritten-attribute'),
      );
    });
  });
});
