// The first-time journey of a new Go developer, through the real Go extension (golang.go), on a
// fresh profile with no dlv anywhere (the harness leaves every folder with a dlv off PATH and gives
// the profile an empty GOPATH). Each step leaves a screenshot (journey-NN-*.png). The tests run in
// order in one window: each starts where the previous one left the user.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { processes } from '../../scripts/e2e/proc.mjs';
import { test } from './workbench.mjs';

const HEALTH = 'Debug Health';
const DELVE_ROW = 'Delve (dlv)';

/** Polls the Debug Health panel until `label`'s top-level row satisfies `ok`; returns it. */
async function waitForRow(wb, label, ok, { timeoutMs = 60_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = (await wb.viewRows(HEALTH)).find((r) => r.label === label && r.level === 1);
    if (row && ok(row)) return row;
    if (Date.now() > deadline) throw new Error(`${label}: ${JSON.stringify(row)} after ${timeoutMs} ms`);
    await wb.page.waitForTimeout(300);
  }
}

async function waitForStatus(wb, ok, { timeoutMs = 90_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const item = await wb.statusBarItem(/Go debug/, { timeoutMs });
    if (ok(item)) return item;
    if (Date.now() > deadline) throw new Error(`status bar: ${JSON.stringify(item)} after ${timeoutMs} ms`);
    await wb.page.waitForTimeout(300);
  }
}

/** Waits until VS Code has written go.alternateTools.dlv = `dlv` into the user's settings.json. */
async function waitForSetting(wb, dlv) {
  const deadline = Date.now() + 10_000;
  while (wb.userSettings()['go.alternateTools']?.dlv !== dlv) {
    if (Date.now() > deadline) assert.equal(wb.userSettings()['go.alternateTools']?.dlv, dlv);
    await wb.page.waitForTimeout(200);
  }
}

/** The headless dlv the generated task runs (the pinned dlv, which lives in this run's profile), from /proc. */
const headlessDlvs = () => processes().filter((p) => p.cmdline.startsWith(`${pinnedDlv} debug . --headless --listen=127.0.0.1:`));

let pinnedDlv;

/**
 * After a fix asked for Install Pinned dlv: a fix that names its version goes straight to the
 * confirmation; otherwise the version pick comes first (the recommended row is on top). Returns the
 * confirmation dialog.
 */
async function answerInstall(wb) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await wb.page.locator('.monaco-dialog-box', { hasText: /Install Delve v?\d/ }).count())
      return wb.waitForModal(/Install Delve v?\d/);
    if (await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Install Pinned dlv' }).isVisible()) {
      const pick = await wb.waitForQuickPick('Install Pinned dlv');
      assert.equal(pick.rows[0].description, 'recommended');
      await wb.acceptQuickPick();
    }
    if (Date.now() > deadline) throw new Error('neither the version pick nor the install confirmation appeared');
    await wb.page.waitForTimeout(250);
  }
}

test(
  'no dlv anywhere: the status bar item turns red and the Delve row says why',
  async (wb) => {
    const item = await waitForStatus(wb, (i) => i.kind === 'error');
    assert.match(item.text, /^Go debug: \d+$/);
    await wb.clickStatusBar(/Go debug/);
    const row = await waitForRow(wb, DELVE_ROW, (r) => r.icon === 'error');
    assert.match(row.description, /^dlv was not found where the Go extension looks for it/);
    await wb.screenshot('no-dlv-red-status-bar');
  },
  { timeoutMs: 120_000 },
);

test(
  'Install Pinned dlv from the Delve row: a real go install, consent to go.alternateTools.dlv, the row turns green',
  async (wb) => {
    // The failing row is expanded; its first fix with a wrench runs the install.
    const rows = await wb.viewRows(HEALTH);
    const at = rows.findIndex((r) => r.label === DELVE_ROW && r.level === 1);
    const fix = rows.slice(at + 1).find((r) => r.level === 2 && r.icon === 'wrench');
    assert.ok(fix, `no fix with a wrench under the Delve row: ${JSON.stringify(rows.slice(at, at + 6))}`);
    await wb.clickViewRow(HEALTH, fix.label, { level: 2 });

    const confirm = await answerInstall(wb);
    const version = confirm.message.match(/^Install Delve v?(\d+\.\d+\.\d+) /)?.[1];
    assert.ok(version, confirm.message);
    await wb.screenshot('install-pinned-dlv-confirm');
    await wb.closeModalWith('Install');

    // go install through the module proxy, then the consent to point golang.go at it.
    const consent = await wb.waitForModal(/Make the Go extension use it\?/, { timeoutMs: 240_000 });
    pinnedDlv = consent.message.match(/^Delve is installed at (\S+)\. /)?.[1];
    assert.ok(pinnedDlv, consent.message);
    assert.match(consent.detail, /"go\.alternateTools": \{ "dlv": /);
    await wb.screenshot('use-pinned-dlv-consent');
    await wb.closeModalWith('Use It');
    await waitForSetting(wb, pinnedDlv);

    const row = await waitForRow(wb, DELVE_ROW, (r) => r.icon === 'pass');
    assert.equal(row.description, `Delve ${version} at ${pinnedDlv}.`);
    await waitForStatus(wb, (i) => i.kind !== 'error');
    await wb.screenshot('pinned-dlv-row-green');
  },
  { timeoutMs: 300_000 },
);

test('golang.go uses the pinned dlv ("Go: Locate Configured Go Tools"), and "Go: Install/Update Tools" does not offer to replace it', async (wb) => {
  await wb.runCommand('Go: Locate Configured Go Tools');
  await wb.waitForEditorText(/# Tools Configuration/, { timeoutMs: 30_000 });
  // The tools come last in golang.go's report: scroll there (the editor renders only what is on screen).
  const out = await wb.waitForEditorText(/dlv:/, { timeoutMs: 30_000 });
  // Long lines wrap on screen: compare without white space.
  assert.ok(
    out.replace(/\s+/g, '').includes(`dlv:${pinnedDlv}(version:v1.27.2`),
    `golang.go's tool report does not name ${pinnedDlv}:\n${out.slice(0, 1500)}`,
  );
  await wb.screenshot('golang-go-locate-tools');
  await wb.runCommand('View: Revert and Close Editor');

  // golang.go leaves a tool set in go.alternateTools out of its picker (goInstallTools.ts installAllTools).
  await wb.runCommand('Go: Install/Update Tools');
  await wb.page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: /gopls@/ })
    .first()
    .waitFor({ timeout: 30_000 });
  const tools = await wb.waitForQuickPick();
  assert.ok(
    tools.rows.some((r) => /^gopls@/.test(r.label)),
    JSON.stringify(tools.rows),
  );
  assert.ok(!tools.rows.some((r) => /^dlv@/.test(r.label)), `golang.go offers to replace dlv: ${JSON.stringify(tools.rows)}`);
  await wb.screenshot('install-update-tools-without-dlv');
  await wb.escape();
});

test(
  'Generate Debug Configurations: no Problems on launch.json or tasks.json',
  async (wb) => {
    await wb.runCommand('Go Debug Doctor: Generate Debug Configurations');
    await wb.waitForQuickPick('Generate Debug Configurations (1/2)', { timeoutMs: 60_000 });
    await wb.acceptQuickPick();
    const kinds = await wb.waitForQuickPick('Generate Debug Configurations (2/2)');
    // A first session's kinds are ticked; the headless server is one tick away.
    assert.deepEqual(
      kinds.rows.filter((r) => r.checked).map((r) => r.label),
      ['Launch', 'Test', 'Attach to local process'],
    );
    await wb.toggleQuickPickRow('Headless dlv');
    await wb.acceptQuickPick();
    await wb.closeModalWith('Write');
    await wb.clickNotificationButton(/^Wrote \.vscode\/launch\.json and \.vscode\/tasks\.json\./, 'Open launch.json');
    await wb.hideNotifications();
    await wb.runCommand('Notifications: Clear All Notifications');
    await wb.waitForEditorText(/"name": "Launch e2e"/);
    await wb.openFile('.vscode/tasks.json');
    const tasks = JSON.parse(readFileSync(join(wb.workspace, '.vscode', 'tasks.json'), 'utf8'));
    // The pinned dlv lives in this user's profile: the shared file names it through the setting.
    assert.equal(tasks.tasks[0].command, '${config:go.alternateTools.dlv}', 'the headless task runs the dlv of go.alternateTools');
    // Our linter and VS Code's schema checks run on open files; give them time to report.
    await wb.page.waitForTimeout(2_000);
    const problems = await wb.problems();
    const ours = problems.filter((p) => /launch\.json|tasks\.json|Go Debug Doctor|remote-no-server/.test(p));
    assert.deepEqual(ours, [], `Problems: ${JSON.stringify(problems)}`);
    await wb.screenshot('generated-no-problems');
    await wb.runCommand('View: Close All Editors');
  },
  { timeoutMs: 120_000 },
);

test(
  'F5 on "Launch e2e" stops at a breakpoint set in the editor, through golang.go with the pinned dlv',
  async (wb) => {
    await wb.setBreakpoint('main.go', wb.env.breakpoints.main);
    await wb.startDebugging('Launch e2e');
    await wb.waitForPaused();
    const console = await wb.debugConsoleText();
    assert.ok(
      console.includes(`Starting: ${pinnedDlv} dap --listen=127.0.0.1:`),
      `the Debug Console does not show golang.go starting the pinned dlv:\n${console.slice(0, 800)}`,
    );
    await wb.screenshot('launch-stopped-at-breakpoint');
    await wb.runCommand('Debug: Stop');
    await wb.waitForNoSession();
  },
  { timeoutMs: 150_000 },
);

// Verify runs while only main.go has a breakpoint (the tests below add one in main_test.go).
registerVerifyTests();

test(
  'the "Test e2e" configuration stops in the test',
  async (wb) => {
    await wb.setBreakpoint('main_test.go', wb.env.breakpoints.test);
    await wb.startDebugging('Test e2e');
    await wb.waitForPaused();
    await wb.screenshot('test-stopped-at-breakpoint');
    await wb.runCommand('Debug: Stop');
    await wb.waitForNoSession();
    await wb.removeAllBreakpoints();
  },
  { timeoutMs: 150_000 },
);

test(
  '"Connect to headless dlv" attaches and stops; Disconnect keeps the server for a re-attach; Stop ends dlv and the program',
  async (wb) => {
    await wb.setBreakpoint('main.go', wb.env.breakpoints.main);
    await wb.startDebugging('Connect to headless dlv: e2e');
    await wb.waitForPaused({ timeoutMs: 120_000 });
    assert.equal(headlessDlvs().length, 1, 'the preLaunchTask runs one headless dlv');
    await wb.screenshot('headless-attached-stopped');

    // Disconnect (the toolbar's button and Shift+F5 on an attach session): Delve keeps its server.
    await wb.runCommand('Debug: Disconnect');
    await wb.waitForNoSession();
    await wb.page.waitForTimeout(500);
    assert.equal(headlessDlvs().length, 1, 'Disconnect left the headless dlv running');
    // F5 again: the task is still running, so VS Code attaches straight away; the loop's next turn stops.
    await wb.startDebugging('Connect to headless dlv: e2e');
    await wb.waitForPaused({ timeoutMs: 60_000 });
    await wb.screenshot('headless-reattached-stopped');

    // Stop: VS Code asks Delve to end the program; Delve then ends its server, and the task ends.
    await wb.runCommand('Debug: Stop');
    await wb.waitForNoSession();
    const deadline = Date.now() + 15_000;
    while (headlessDlvs().length && Date.now() < deadline) await wb.page.waitForTimeout(250);
    assert.equal(headlessDlvs().length, 0, 'Stop ended the headless dlv');
    await wb.removeAllBreakpoints();
    await wb.screenshot('headless-stopped');
  },
  { timeoutMs: 240_000 },
);

test(
  'a real failing session: dlv v1.21.2 cannot debug this Go; the live help explains it once, and its fix works',
  async (wb) => {
    assert.ok(wb.env.dlvOld, 'the harness builds dlv v1.21.2');
    try {
      await failingSessionAndItsFix(wb);
    } finally {
      // Whatever happened, the next test runs with the pinned dlv again.
      if (wb.userSettings()['go.alternateTools']?.dlv !== pinnedDlv)
        wb.editUserSettings((s) => (s['go.alternateTools'] = { ...s['go.alternateTools'], dlv: pinnedDlv }));
    }
  },
  { timeoutMs: 300_000 },
);

async function failingSessionAndItsFix(wb) {
  const t0 = Date.now();
  const step = (what) => console.log(`      ${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);
  wb.editUserSettings((s) => (s['go.alternateTools'] = { ...s['go.alternateTools'], dlv: wb.env.dlvOld }));
  await wb.page.waitForTimeout(1_500); // VS Code reloads settings.json
  await wb.setBreakpoint('main.go', wb.env.breakpoints.main);
  await wb.startDebugging('Launch e2e');
  // F5's offer comes first (this dlv cannot debug this Go); "Debug Anyway" lets the real failure happen.
  const offer = await wb.waitForModal(/Install Delve v\d+\.\d+\.\d+ and debug\?/, { timeoutMs: 60_000 });
  assert.match(offer.message, /^Delve 1\.21\.2 cannot debug programs built by go1\.\d+/);
  step('F5 offered the install first');
  await wb.screenshot('f5-offer-old-dlv');
  await wb.closeModalWith('Debug Anyway');

  // VS Code's own modal for a failed launch comes first (debugService showError): the user closes it.
  const failed = await wb.waitForModal(/too old for Go version/, { timeoutMs: 120_000 });
  step('launch failed: VS Code shows its modal');
  await wb.screenshot('vscode-launch-failed-modal');
  await wb.closeModalWith(failed.buttons.includes('Cancel') ? 'Cancel' : failed.buttons[failed.buttons.length - 1]);
  const help = await wb.waitForNotification(/^Delve: /, { timeoutMs: 30_000 });
  // Delve's own words, then the cause; the fix is the first button.
  assert.match(
    help.message,
    /^Delve: "(Failed to launch: )?Version of Delve is too old for Go version go1\.\d+\S* \(maximum supported version 1\.21, suppress this error with --check-go-version=false\)" The program was compiled by a Go newer than/,
  );
  assert.ok(help.buttons.includes('Install Pinned dlv'), JSON.stringify(help));
  if (await wb.debugging()) await wb.runCommand('Debug: Stop');
  const all = await wb.notifications();
  assert.equal(all.filter((n) => /^Delve: /.test(n.message)).length, 1, `explained once: ${JSON.stringify(all)}`);
  await wb.screenshot('live-help-on-real-failure');

  await wb.runCommand('Go Debug Doctor: Show Health Panel');
  step('the live help shown once');
  const row = await waitForRow(wb, 'Last debug session', (r) => r.icon === 'error');
  assert.match(row.description, /compiled by a Go newer than the newest Go this Delve release knows/);
  const expanded = await wb.viewRows(HEALTH);
  assert.ok(
    expanded.some((r) => /Version of Delve is too old for Go version/.test(r.label)),
    JSON.stringify(expanded.map((r) => r.label)),
  );
  await wb.screenshot('live-help-panel-row');

  // The fix: the recommended dlv (already built: the installer finds it in place), and consent again.
  await wb.clickNotificationButton(/^Delve: /, 'Install Pinned dlv');
  step('the panel row');
  await answerInstall(wb);
  await wb.closeModalWith('Install');
  await wb.closeModalWith('Use It', { timeoutMs: 240_000 });
  await waitForSetting(wb, pinnedDlv);
  await wb.page.waitForTimeout(1_000);
  await wb.startDebugging('Launch e2e');
  step('the fix installed and consented');
  await wb.waitForPaused();
  await wb.screenshot('after-fix-stopped-at-breakpoint');
  await wb.runCommand('Debug: Stop');
  await wb.waitForNoSession();
  await wb.removeAllBreakpoints();
}

test(
  'Run Debug Self-Test in the same workspace',
  async (wb) => {
    await wb.runCommand('Go Debug Doctor: Run Debug Self-Test');
    const done = await wb.waitForNotification(/^Debugging works here: dlv stopped at the breakpoint/, { timeoutMs: 120_000 });
    assert.deepEqual(done.buttons, ['Show Steps']);
    await wb.hideNotifications();
    await wb.runCommand('Go Debug Doctor: Show Health Panel');
    await waitForRow(wb, 'Debug self-test', (r) => r.icon === 'pass');
    await wb.screenshot('self-test-passed');
  },
  { timeoutMs: 150_000 },
);

const VERIFY = 'Go Debug Doctor: Verify Debug Configuration';
const launchFile = (wb) => join(wb.workspace, '.vscode', 'launch.json');

/** Runs Verify and picks `name` in its quick pick of configurations. */
async function verifyConfiguration(wb, name) {
  await wb.runCommand('Notifications: Clear All Notifications');
  await wb.runCommand(VERIFY);
  // The palette's own list is still on screen until Verify's pick replaces it: wait for Verify's placeholder.
  await wb.page.locator('.quick-input-widget input.input[placeholder="Verify which debug configuration?"]').waitFor({ timeout: 30_000 });
  const pick = await wb.waitForQuickPick(undefined, { timeoutMs: 30_000 });
  assert.ok(
    pick.rows.some((r) => r.label === name),
    JSON.stringify(pick.rows),
  );
  await wb.filterQuickPick(name);
  await wb.page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      has: wb.page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }),
    })
    .first()
    .click();
}

/** The Debug Health panel's row for a verified configuration, once its icon is `icon`. */
async function waitForVerifyRow(wb, name, icon, { timeoutMs = 30_000 } = {}) {
  await wb.runCommand('Go Debug Doctor: Show Health Panel');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = (await wb.viewRows(HEALTH)).find((r) => r.label === `Verify "${name}"`);
    if (row?.icon === icon) return row;
    if (Date.now() > deadline) throw new Error(`Verify "${name}": ${JSON.stringify(row)} after ${timeoutMs} ms`);
    await wb.page.waitForTimeout(300);
  }
}

/** The Verify tests: registered after the F5 test, where the pinned dlv and the generated configurations are in use. */
function registerVerifyTests() {
  test(
    'Verify Debug Configuration on "Launch e2e" with an editor breakpoint: bound and hit',
    async (wb) => {
      // Verify takes every editor breakpoint in the program's module (a _test.go one would fail a debug build): main.go's only.
      await wb.removeAllBreakpoints();
      await wb.setBreakpoint('main.go', wb.env.breakpoints.main);
      await verifyConfiguration(wb, 'Launch e2e');
      const done = await wb.waitForNotification(/^"Launch e2e" works: /, { timeoutMs: 120_000 });
      assert.match(
        done.message,
        new RegExp(
          `^"Launch e2e" works: the breakpoint at main\\.go:${wb.env.breakpoints.main} bound and the program stopped there \\(\\d+\\.\\d s\\)\\.$`,
        ),
      );
      assert.deepEqual(done.buttons, ['Show Details']);
      await wb.screenshot('verify-launch-passed');
      await wb.hideNotifications();
      const row = await waitForVerifyRow(wb, 'Launch e2e', 'pass');
      assert.equal(row.description, `Breakpoint main.go:${wb.env.breakpoints.main} bound and hit.`);
      await wb.screenshot('verify-launch-panel-row');
    },
    { timeoutMs: 180_000 },
  );

  test(
    'Verify on a configuration built with -trimpath: says why the breakpoint does not bind; Apply Fix shows the diff, writes launch.json (comment kept), verifies again',
    async (wb) => {
      // The user builds like the release does, and says so in a comment.
      const before = readFileSync(launchFile(wb), 'utf8');
      const at = before.indexOf('"name": "Launch e2e",');
      assert.ok(at > 0, before);
      const lineEnd = before.indexOf('\n', at) + 1;
      const indent = before.slice(before.lastIndexOf('\n', at) + 1, at);
      const comment = '// build like the release: no local paths in the binary';
      const edited = `${before.slice(0, lineEnd)}${indent}${comment}\n${indent}"buildFlags": "-trimpath",\n${before.slice(lineEnd)}`;
      writeFileSync(launchFile(wb), edited);
      await wb.openFile('.vscode/launch.json');
      await wb.waitForEditorText(/"buildFlags": "-trimpath"/);
      await wb.screenshot('verify-trimpath-launch-json');

      // Verify takes every editor breakpoint in the program's module (a _test.go one would fail a debug build): main.go's only.
      await wb.removeAllBreakpoints();
      await wb.setBreakpoint('main.go', wb.env.breakpoints.main);
      await verifyConfiguration(wb, 'Launch e2e');
      const failed = await wb.waitForNotification(/^"Launch e2e": /, { timeoutMs: 120_000 });
      assert.match(failed.message, /trimpath/i);
      assert.match(failed.message, /Fix: Add to the configuration: "substitutePath": /);
      assert.deepEqual(failed.buttons, ['Apply Fix', 'Show Details']);
      await wb.screenshot('verify-trimpath-not-bound');
      const row = await waitForVerifyRow(wb, 'Launch e2e', 'error');
      assert.match(row.description, /trimpath/i);
      await wb.screenshot('verify-trimpath-panel-row');

      // Apply Fix: the diff first, then the confirmation.
      await wb.notifications();
      await wb.clickNotificationButton(/^"Launch e2e": /, 'Apply Fix');
      const confirm = await wb.waitForModal(/Write this change to launch\.json\?/, { timeoutMs: 30_000 });
      assert.deepEqual(
        confirm.buttons.filter((b) => b !== 'Cancel'),
        ['Write and Verify Again'],
      );
      await wb.page
        .locator('.tabs-container .tab', { hasText: /fixed "Launch e2e"/ })
        .first()
        .waitFor({ timeout: 15_000 });
      await wb.page.waitForTimeout(500); // the diff editor renders its two sides
      await wb.screenshot('verify-fix-diff-confirm');
      assert.equal(readFileSync(launchFile(wb), 'utf8'), edited, 'nothing is written before the confirmation');
      await wb.closeModalWith('Write and Verify Again');

      const fixed = await wb.waitForNotification(/^Fixed: "Launch e2e" now stops at /, { timeoutMs: 120_000 });
      assert.equal(fixed.message, `Fixed: "Launch e2e" now stops at main.go:${wb.env.breakpoints.main}.`);
      await wb.screenshot('verify-fixed-notification');
      await wb.hideNotifications();
      const after = readFileSync(launchFile(wb), 'utf8');
      assert.ok(after.includes(comment), `the comment is gone:\n${after}`);
      assert.ok(after.includes('"buildFlags": "-trimpath"'), after);
      assert.match(after, /"substitutePath":/);
      assert.equal(after.length > edited.length, true);
      await waitForVerifyRow(wb, 'Launch e2e', 'pass');

      // A second Verify, as the user checks again: it passes with the written configuration.
      await wb.runCommand('View: Close All Editors');
      await wb.openFile('.vscode/launch.json');
      await wb.waitForEditorText(/"substitutePath"/);
      await wb.screenshot('verify-fixed-launch-json');
      await verifyConfiguration(wb, 'Launch e2e');
      await wb.waitForNotification(/^"Launch e2e" works: /, { timeoutMs: 120_000 });
      await wb.screenshot('verify-after-fix-passed');
      await wb.hideNotifications();
      await wb.runCommand('View: Close All Editors');
      // The user takes the experiment out again: the journey goes on with the generated configuration.
      writeFileSync(launchFile(wb), before);
    },
    { timeoutMs: 400_000 },
  );

  test(
    'Verify on a configuration whose build runs another program (-toolexec): a modal names it; Cancel runs nothing, Run runs it and verifies',
    async (wb) => {
      const before = readFileSync(launchFile(wb), 'utf8');
      // A wrapper the user wrote for their builds: it notes each tool it runs, then runs it.
      const marker = join(wb.workspace, '.toolexec-ran');
      const wrapper = join(wb.workspace, 'toolexec.sh');
      writeFileSync(wrapper, `#!/bin/sh\necho "$1" >> '${marker}'\nexec "$@"\n`);
      chmodSync(wrapper, 0o755);
      rmSync(marker, { force: true });
      const at = before.indexOf('"name": "Launch e2e",');
      const lineEnd = before.indexOf('\n', at) + 1;
      const indent = before.slice(before.lastIndexOf('\n', at) + 1, at);
      writeFileSync(launchFile(wb), `${before.slice(0, lineEnd)}${indent}"buildFlags": "-toolexec=${wrapper}",\n${before.slice(lineEnd)}`);
      try {
        await wb.removeAllBreakpoints();
        await wb.setBreakpoint('main.go', wb.env.breakpoints.main);

        await verifyConfiguration(wb, 'Launch e2e');
        const ask = await wb.waitForModal(/this configuration makes other programs run/, { timeoutMs: 60_000 });
        assert.match(ask.message, /^Verify "Launch e2e": this configuration makes other programs run\./);
        assert.match(ask.detail ?? ask.message, /toolexec/);
        assert.ok(ask.buttons.includes('Run'), JSON.stringify(ask.buttons));
        await wb.screenshot('verify-programs-modal');
        await wb.closeModalWith('Cancel');
        const refused = await wb.waitForNotification(/makes other programs run/, { timeoutMs: 30_000 });
        assert.match(refused.message, /answer Run/);
        assert.equal(existsSync(marker), false, 'nothing ran after Cancel');
        await wb.hideNotifications();

        await verifyConfiguration(wb, 'Launch e2e');
        await wb.waitForModal(/this configuration makes other programs run/, { timeoutMs: 60_000 });
        await wb.closeModalWith('Run');
        await wb.waitForNotification(/^"Launch e2e" works: /, { timeoutMs: 180_000 });
        assert.match(readFileSync(marker, 'utf8'), /compile/, 'the wrapper ran the compiler');
        await wb.screenshot('verify-programs-allowed');
        await wb.hideNotifications();
      } finally {
        writeFileSync(launchFile(wb), before);
        rmSync(wrapper, { force: true });
        rmSync(marker, { force: true });
      }
    },
    { timeoutMs: 400_000 },
  );
}
