// UI tests of the installed .vsix in a real VS Code (code-server) driven through Chromium.
// `npm run test:e2e` runs them after the extension-host suite; each test gets the same window, in
// order. Add a case with test('…', async (wb) => { … }) — see workbench.mjs for the helpers.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from './workbench.mjs';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
/** Commands hidden from the palette (menus.commandPalette with "when": "false"). */
const hidden = new Set((manifest.contributes.menus?.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));
/** Palette titles of every contributed command the palette shows ("Go Debug Doctor: Run Checks", …). */
const COMMANDS = manifest.contributes.commands
  .filter((c) => !hidden.has(c.command))
  .map((c) => (c.category ? `${c.category}: ${c.title}` : c.title));
const HEALTH = 'Debug Health';

test('the workbench loads and the extension activates in the Go workspace', async (wb) => {
  // The status bar item appears once the extension has activated and found the Go workspace.
  const status = await wb.statusBarItem(/Go debug/, { timeoutMs: 60_000 });
  assert.equal(status.id, 'go-debug-doctor.go-debug-doctor.goDebugDoctor.status');
  assert.ok(COMMANDS.includes('Go Debug Doctor: Run Checks'));
  for (const title of COMMANDS) assert.ok(await wb.hasCommand(title), `the command palette has no "${title}"`);
  for (const id of hidden)
    assert.ok(
      !(await wb.hasCommand(`Go Debug Doctor: ${manifest.contributes.commands.find((c) => c.command === id).title}`, { timeoutMs: 1_000 })),
      `${id} should not be in the palette`,
    );
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

  // 2/2: kinds, what a first session needs checked, with the preset in the title; the headless
  // server (a task in tasks.json) is one tick away.
  const kinds = await wb.waitForQuickPick('Generate Debug Configurations (2/2)');
  assert.equal(kinds.title, 'Generate Debug Configurations (2/2): preset "fast"');
  assert.deepEqual(
    kinds.rows.map((r) => [r.label, r.checked]),
    [
      ['Launch', true],
      ['Test', true],
      ['Attach to local process', true],
      ['Headless dlv', false],
      ['Connect to dlv in a container / remote host', false],
    ],
  );
  await wb.toggleQuickPickRow('Headless dlv');
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
  // dlv came from PATH: the task names it so, not by this machine's path, so the file can be shared.
  assert.equal(tasks.tasks[0].command, 'dlv');

  await wb.runCommand('View: Close All Editors');
  const dropdown = await wb.readRunAndDebugConfigs({ screenshot: 'run-and-debug-configurations' });
  assert.equal(dropdown.selected, 'Launch e2e');
  for (const name of names)
    assert.ok(dropdown.names.includes(name), `"${name}" is not in Run and Debug's list: ${JSON.stringify(dropdown.names)}`);
});

test('without the Go extension, no nameless dynamic entry in Run and Debug (our go provider waits for a go debugger)', async (wb) => {
  // An onDebugDynamicConfigurations:go activation event alone would make VS Code list "undefined...".
  const { names } = await wb.readRunAndDebugConfigs();
  assert.ok(!names.some((n) => /^undefined/.test(n)), `a nameless entry: ${JSON.stringify(names)}`);
  await wb.escape();
});

test('Run Debug Self-Test reports a real dlv session from inside the extension host, and adds its row', async (wb) => {
  await wb.runCommand('Go Debug Doctor: Run Debug Self-Test');
  const done = await wb.waitForNotification(/^Debugging works here: dlv stopped at the breakpoint and read order\.ID = 7/, {
    timeoutMs: 120_000,
  });
  assert.deepEqual(done.buttons, ['Show Steps']);
  await wb.hideNotifications();
  await wb.runCommand('Go Debug Doctor: Show Health Panel');
  // The row joins the passing group; the tree renders it a moment after the notification.
  let rows = await wb.viewRows(HEALTH);
  for (let tries = 0; !rows.some((r) => r.label === 'Debug self-test') && tries < 20; tries++) {
    await wb.page.waitForTimeout(500);
    rows = await wb.viewRows(HEALTH);
  }
  const row = rows.find((r) => r.label === 'Debug self-test' && r.level === 1);
  assert.ok(row, `no self-test row in ${JSON.stringify(rows.map((r) => r.label))}`);
  assert.equal(row.icon, 'pass');
  assert.match(row.description, /dlv stopped at the breakpoint, listed \d+ goroutines and read order\.ID = 7/);
  await wb.screenshot('self-test-passed');
});

test('Copy Diagnostics Report copies Markdown and opens it for a last read', async (wb) => {
  await wb.runCommand('Go Debug Doctor: Copy Diagnostics Report');
  const copied = await wb.waitForNotification(/^Go Debug Doctor: diagnostics report copied\./);
  assert.deepEqual(copied.buttons, ['Open Report']);
  await wb.clickNotificationButton(/diagnostics report copied/, 'Open Report');
  await wb.waitForEditorText(/# Go Debug Doctor diagnostics/);
  await wb.screenshot('diagnostics-report');
  await wb.runCommand('View: Revert and Close Editor');
});

test('a broken setup: dlv removed from its folder turns the status bar red and the Delve row fails', async (wb) => {
  assert.ok(wb.env.dlv, 'the harness puts a dlv on PATH and says where');
  const aside = `${wb.env.dlv}.removed`;
  renameSync(wb.env.dlv, aside);
  try {
    // The extension watches the binaries it ran: the removal alone triggers a new run.
    const deadline = Date.now() + 60_000;
    let item = await wb.statusBarItem(/Go debug/);
    while (item.kind !== 'error' && Date.now() < deadline) {
      await wb.page.waitForTimeout(250);
      item = await wb.statusBarItem(/Go debug/);
    }
    assert.equal(item.kind, 'error', JSON.stringify(item));
    assert.match(item.text, /^Go debug: \d+$/);
    assert.equal(item.icons[0], 'error');
    await wb.clickStatusBar(/Go debug/);
    // The tree renders its new rows a moment after the status bar changes.
    let rows = await wb.viewRows(HEALTH);
    let dlv = rows.find((r) => r.label === 'Delve (dlv)' && r.level === 1);
    while (dlv?.icon !== 'error' && Date.now() < deadline) {
      await wb.page.waitForTimeout(250);
      rows = await wb.viewRows(HEALTH);
      dlv = rows.find((r) => r.label === 'Delve (dlv)' && r.level === 1);
    }
    assert.ok(dlv, JSON.stringify(rows.map((r) => r.label)));
    assert.equal(dlv.icon, 'error');
    assert.match(dlv.description, /^dlv was not found where the Go extension looks for it/);
    await wb.screenshot('broken-dlv-removed');
  } finally {
    renameSync(aside, wb.env.dlv);
  }
});

test("the extension's details page: the README renders from the installed package, with no broken image", async (wb) => {
  await wb.runCommand('Extensions: Show Installed Extensions');
  const entry = wb.page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'Go Debug Doctor' }).first();
  await entry.waitFor({ timeout: 30_000 });
  await entry.click();
  // The README renders in a webview (an iframe inside an iframe). VS Code shows README images only
  // from http(s) URLs, so the packaged README (scripts/package-readme.mjs) carries none until the
  // project has a public home: every image there must have loaded.
  const deadline = Date.now() + 60_000;
  let page;
  for (;;) {
    page = undefined;
    for (const frame of wb.page.frames()) {
      const found = await frame
        .evaluate(() => ({
          text: globalThis.document.body?.innerText ?? '',
          images: [...globalThis.document.querySelectorAll('img')].map((i) => ({
            src: (i.getAttribute('src') ?? '').slice(0, 80),
            ok: i.complete && i.naturalWidth > 0,
          })),
        }))
        .catch(() => undefined);
      if (found && /Getting started/.test(found.text) && /Set a breakpoint and press F5/.test(found.text)) page = found;
    }
    if (page && page.images.every((i) => i.ok)) break;
    if (Date.now() > deadline) assert.fail(`the README on the details page: ${page ? JSON.stringify(page.images) : 'not rendered'}`);
    await wb.page.waitForTimeout(500);
  }
  assert.doesNotMatch(page.text, /\]\(docs\//, 'no raw relative link');
  console.log(`    details page: README rendered, ${page.images.length} images, none broken`);
  await wb.screenshot('extension-details-page');
  await wb.runCommand('View: Close All Editors');
});
