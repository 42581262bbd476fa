// UI tests of the installed .vsix in a real VS Code (code-server) driven through Chromium.
// `npm run test:e2e` runs them after the extension-host suite; each test gets the same window, in
// order. Add a case with test('…', async (wb) => { … }) — see workbench.mjs for the helpers.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from './workbench.mjs';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
/** Commands hidden from the palette (menus.commandPalette with "when": "false"). */
const hidden = new Set((manifest.contributes.menus?.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));
/** Palette titles of every contributed command the palette shows ("Go Debug Doctor: Run Checks", …). */
const COMMANDS = manifest.contributes.commands.filter((c) => !hidden.has(c.command)).map((c) => (c.category ? `${c.category}: ${c.title}` : c.title));
const HEALTH = 'Debug Health';

test('the workbench loads and the extension activates in the Go workspace', async (wb) => {
  // The status bar item appears once the extension has activated and found the Go workspace.
  const status = await wb.statusBarItem(/Go debug/, { timeoutMs: 60_000 });
  assert.equal(status.id, 'go-debug-doctor.go-debug-doctor.goDebugDoctor.status');
  assert.ok(COMMANDS.includes('Go Debug Doctor: Run Checks'));
  for (const title of COMMANDS) assert.ok(await wb.hasCommand(title), `the command palette has no "${title}"`);
  for (const id of hidden) assert.ok(!(await wb.hasCommand(`Go Debug Doctor: ${manifest.contributes.commands.find((c) => c.command === id).title}`, { timeoutMs: 1_000 })), `${id} should not be in the palette`);
  const running = await wb.runningExtensions();
  const ours = running.find((e) => e.name === 'Go Debug Doctor');
  assert.ok(ours, `Go Debug Doctor is not among the running extensions: ${running.map((e) => e.name).join(', ')}`);
  assert.equal(ours.version, manifest.version);
  await wb.screenshot('running-extensions');
  await wb.runCommand('View: Close All Editors');
});

test('Run Checks fills the health panel, and the status bar agrees with it', async (wb) => {
  await wb.runCommand('Go Debug Doctor: Run Checks');
  const rows = await wb.viewRows(HEALTH, { timeoutMs: 60_000 });
  // "checking…" while the doctor runs, then "checked <time>".
  assert.match(await wb.waitForViewDescription(HEALTH, /^checked /, { timeoutMs: 60_000 }), /^checked /);
  const row = (label) => {
    const found = rows.find((r) => r.label === label && r.level === 1);
    assert.ok(found, `no "${label}" row in ${JSON.stringify(rows.map((r) => r.label))}`);
    return found;
  };
  assert.equal(row('Go toolchain').icon, 'pass');
  assert.match(row('Go toolchain').description, /^go1\.\d+/);
  assert.equal(row('Delve (dlv)').icon, 'pass', row('Delve (dlv)').description);
  assert.match(row('Delve (dlv)').description, /^Delve 1\.27\.2 at /);
  if (wb.env.dlv) assert.ok(row('Delve (dlv)').description.includes(wb.env.dlv), row('Delve (dlv)').description);
  assert.equal(row('Delve supports this Go').icon, 'pass');
  assert.equal(row('Go that builds the program').icon, 'pass', row('Go that builds the program').description);
  await wb.screenshot('health-panel');

  // The status bar: failures first, else warnings, else a pass mark (statusBar.ts).
  const top = rows.filter((r) => r.level === 1);
  const failing = top.filter((r) => r.icon === 'error' || r.icon === 'question').length;
  const warnings = top.filter((r) => r.icon === 'warning').length;
  const status = await wb.statusBarItem(/Go debug/);
  if (failing) assert.deepEqual([status.text, status.icons[0], status.kind], [`Go debug: ${failing}`, 'error', 'error']);
  else if (warnings) assert.deepEqual([status.text, status.icons[0], status.kind], [`Go debug: ${warnings}`, 'warning', 'warning']);
  else assert.deepEqual([status.text, status.icons[0]], ['Go debug', 'pass']);

  // Clicking it opens the panel (here: brings it back after another view took the side bar).
  await wb.runCommand('View: Show Explorer');
  await wb.clickStatusBar(/Go debug/);
  assert.ok((await wb.viewRows(HEALTH)).length >= top.length);
});

test('Generate Debug Configurations writes launch.json and Run and Debug lists the configurations', async (wb) => {
  const vscodeDir = join(wb.workspace, '.vscode');
  rmSync(vscodeDir, { recursive: true, force: true });
  await wb.runCommand('Go Debug Doctor: Generate Debug Configurations');

  // One workspace folder: no folder pick. 1/2: packages, all checked.
  const packages = await wb.waitForQuickPick('Generate Debug Configurations (1/2)', { timeoutMs: 60_000 });
  assert.deepEqual(packages.rows, [{ label: 'e2e', description: 'command, tests', detail: 'example.com/e2e', checked: true }]);
  await wb.acceptQuickPick();

  // 2/2: kinds, all checked, with the preset in the title.
  const kinds = await wb.waitForQuickPick('Generate Debug Configurations (2/2)');
  assert.equal(kinds.title, 'Generate Debug Configurations (2/2): preset "fast"');
  assert.deepEqual(kinds.rows.map((r) => [r.label, r.checked]), [['Launch', true], ['Test', true], ['Attach to local process', true], ['Headless dlv', true]]);
  await wb.acceptQuickPick();

  // The diff preview opens, then the modal confirmation.
  const modal = await wb.waitForModal(/Write these changes\?/);
  assert.equal(modal.message, 'Write these changes? launch.json: 5 new; tasks.json: 1 new');
  assert.deepEqual(modal.buttons.sort(), ['Cancel', 'Write']);
  await wb.screenshot('generate-confirm');
  await wb.closeModalWith('Write');

  const written = await wb.waitForNotification(/^Wrote \.vscode\/launch\.json and \.vscode\/tasks\.json\./);
  assert.deepEqual(written.buttons, ['Open launch.json']);
  await wb.hideNotifications();
  assert.ok(existsSync(join(vscodeDir, 'launch.json')));
  const launch = JSON.parse(readFileSync(join(vscodeDir, 'launch.json'), 'utf8'));
  const names = launch.configurations.map((c) => c.name);
  assert.deepEqual(names, ['Launch e2e', 'Test e2e', 'Test current package', 'Attach to local process', 'Connect to headless dlv: e2e']);
  const tasks = JSON.parse(readFileSync(join(vscodeDir, 'tasks.json'), 'utf8'));
  assert.equal(tasks.tasks[0].label, 'Headless dlv for e2e');
  if (wb.env.dlv) assert.equal(tasks.tasks[0].command, wb.env.dlv);

  await wb.runCommand('View: Close All Editors');
  const dropdown = await wb.readRunAndDebugConfigs({ screenshot: 'run-and-debug-configurations' });
  assert.equal(dropdown.selected, 'Launch e2e');
  for (const name of names) assert.ok(dropdown.names.includes(name), `"${name}" is not in Run and Debug's list: ${JSON.stringify(dropdown.names)}`);
});

test("Run and Debug's dynamic entry for go lists the provider's configurations", async (wb) => {
  const { names } = await wb.readRunAndDebugConfigs();
  // After the launch.json entries: "Node.js...", one entry per debug type with a dynamic provider,
  // and "Add Configuration...". Without the Go extension no debugger contributes the type "go",
  // so VS Code has no label for ours and shows "undefined...".
  const dynamic = names.filter((n) => n.endsWith('...') && n !== 'Node.js...' && n !== 'Add Configuration...');
  assert.equal(dynamic.length, 1, `expected one dynamic entry besides Node.js: ${JSON.stringify(names)}`);
  await wb.pickRunAndDebugEntry(dynamic[0]);
  // VS Code asks our DebugConfigurationProvider (go list in the workspace) and lists what it returns.
  const pick = await wb.waitForQuickPick(undefined, { timeoutMs: 30_000 });
  assert.equal(pick.placeholder, 'Select Launch Configuration');
  assert.deepEqual(pick.rows.map((r) => [r.label, r.description]), [['Launch e2e', 'e2e'], ['Test e2e', 'e2e'], ['Test current package', 'e2e'], ['Attach to local process', 'e2e']]);
  await wb.screenshot('run-and-debug-dynamic-go');
  await wb.escape();
});
