// The north star of a new user: a fresh profile next to the real golang.go, Go but no dlv and no
// gopls anywhere, a real multi-package module (filippo.io/age v1.3.2 from the Go module proxy).
// The user opens a file and sets a breakpoint (their own steps); then every action of ours is
// counted, and the seconds from F5 to the program stopped at that breakpoint are printed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from './workbench.mjs';

/** The first statement of main() in cmd/age/age.go (v1.3.2), and one in another command. */
const BREAK = { file: 'cmd/age/age.go', line: 108 };
const OTHER_PROGRAM = { file: 'cmd/age-keygen/keygen.go' };
const OFFER = /Install Delve v\d+\.\d+\.\d+ and debug\?/;

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

let actions = 0;
/** One action of ours (a key or a click the user makes because of Go Debug Doctor). */
async function ours(what, fn) {
  actions++;
  console.log(`    action ${actions} of ours: ${what}`);
  return fn();
}

let pinnedDlv;

test(
  'north star: breakpoint set, F5 with no dlv anywhere, "Install and Debug", stopped at the breakpoint',
  async (wb) => {
    // The profile turns golang.go's language server off (scripts/e2e.mjs): golang.go would otherwise
    // spend ~2 min installing gopls first, which the measurement below would have to wait out.
    await wb.openFile(BREAK.file); // the user opens the file; golang.go activates on a Go file
    await wb.page.waitForTimeout(2_000);
    const funcMain = readFileSync(join(wb.workspace, BREAK.file), 'utf8').split('\n')[BREAK.line - 2];
    assert.equal(funcMain, 'func main() {', 'the breakpoint line is the first statement of main()');
    await wb.setBreakpoint(BREAK.file, BREAK.line);
    await wb.screenshot('breakpoint-set');

    const t0 = Date.now();
    await ours('F5', () => wb.page.keyboard.press('F5'));
    const offer = await wb.waitForModal(OFFER, { timeoutMs: 60_000 });
    const tOffer = Date.now();
    assert.match(offer.message, /^Delve \(dlv\) is not installed where the Go extension looks\. Install Delve v/);
    assert.match(offer.detail, /"go\.alternateTools": \{ "dlv": /, 'the one dialog says which setting changes');
    assert.ok(offer.buttons.includes('Install and Debug'), JSON.stringify(offer.buttons));
    await wb.screenshot('f5-offer');
    await ours('Install and Debug', () => wb.closeModalWith('Install and Debug'));
    const tClick = Date.now();
    await wb.waitForPaused({ timeoutMs: 300_000 });
    const tStop = Date.now();
    await wb.screenshot('stopped-at-breakpoint');

    pinnedDlv = wb.userSettings()['go.alternateTools']?.dlv;
    assert.ok(pinnedDlv && existsSync(pinnedDlv), `go.alternateTools.dlv: ${pinnedDlv}`);
    const console_ = await wb.debugConsoleText();
    assert.ok(console_.includes(`Starting: ${pinnedDlv} dap`), `golang.go did not start the pinned dlv:\n${console_.slice(0, 600)}`);
    assert.ok(actions <= 3, `${actions} actions of ours`);
    console.log(
      `    north star: ${actions} actions of ours; ${seconds(tStop - t0)} from F5 to stopped at ${BREAK.file}:${BREAK.line} ` +
        `(offer after ${seconds(tOffer - t0)}; install, build and start after the click ${seconds(tStop - tClick)}); ` +
        `one-time standard library builds before the test, excluded: ${wb.env.stdBuild}`,
    );
    await wb.stopDebugging();
    await wb.waitForNoSession();
  },
  { timeoutMs: 900_000 },
);

test(
  'Set Up Debugging with age.go open: one confirmation, Launch/Test for cmd/age only, no tasks.json',
  async (wb) => {
    await wb.openFile(BREAK.file);
    await ours('Set Up Debugging', () => wb.runCommand('Go Debug Doctor: Set Up Debugging'));
    const confirm = await wb.waitForModal(/Set up debugging: /, { timeoutMs: 120_000 });
    assert.equal(confirm.message, 'Set up debugging: add Launch cmd/age, Test cmd/age, Test current package to .vscode/launch.json?');
    assert.ok(confirm.buttons.includes('Show Changes'), JSON.stringify(confirm.buttons));
    await wb.screenshot('set-up-confirm');
    await ours('Set Up', () => wb.closeModalWith('Set Up'));
    await wb.waitForNotification(/^Debugging is set up\./);
    const launch = JSON.parse(readFileSync(join(wb.workspace, '.vscode', 'launch.json'), 'utf8'));
    assert.deepEqual(
      launch.configurations.map((c) => c.name),
      ['Launch cmd/age', 'Test cmd/age', 'Test current package'],
    );
    assert.ok(!existsSync(join(wb.workspace, '.vscode', 'tasks.json')), 'no tasks.json for a first session');
    await wb.hideNotifications();
    await wb.runCommand('Notifications: Clear All Notifications');
  },
  { timeoutMs: 120_000 },
);

test(
  'a breakpoint in another program: the live help says so, and blames no symlink, -trimpath or build tag',
  async (wb) => {
    await wb.removeAllBreakpoints();
    const text = readFileSync(join(wb.workspace, OTHER_PROGRAM.file), 'utf8').split('\n');
    const line = text.findIndex((l) => l === 'func main() {') + 2;
    await wb.setBreakpoint(OTHER_PROGRAM.file, line);
    await wb.startDebugging('Launch cmd/age');
    const note = await wb.waitForNotification(/^Breakpoint not bound in keygen\.go/, { timeoutMs: 120_000 });
    assert.match(note.message, /belongs to another program \(age-keygen\) than the one debugged \(age\)/);
    assert.doesNotMatch(note.message, /symlink|trimpath|build tag/);
    await wb.screenshot('live-help-other-program');
    if (await wb.debugging()) await wb.stopDebugging();
    await wb.waitForNoSession();
    await wb.removeAllBreakpoints();
    await wb.hideNotifications();
    await wb.runCommand('Notifications: Clear All Notifications');
  },
  { timeoutMs: 180_000 },
);

test(
  'the offer when the install cannot work: Cancel and a failed install each leave dlv and go.alternateTools as they were, F5 says why',
  async (wb) => {
    // The pinned dlv's folder is replaced by a file: the dlv golang.go was told to run is gone, and
    // no install can go there.
    const folder = dirname(pinnedDlv);
    const aside = `${folder}.aside`;
    const before = sha256(pinnedDlv);
    renameSync(folder, aside);
    writeFileSync(folder, 'not a folder\n');
    try {
      // launch.json exists now: F5 starts its selected "Launch cmd/age".
      await wb.page.keyboard.press('F5');
      const offer = await wb.waitForModal(OFFER, { timeoutMs: 60_000 });
      assert.match(offer.message, /^Delve \(dlv\) is not installed where the Go extension looks\./);
      await wb.escape();
      await wb.page.waitForTimeout(1_000);
      assert.equal(await wb.debugging(), false, 'Cancel starts no session');

      await wb.page.keyboard.press('F5');
      await wb.waitForModal(OFFER, { timeoutMs: 60_000 });
      await wb.closeModalWith('Install and Debug');
      const failure = await wb.waitForNotification(/^Cannot install into /, { timeoutMs: 120_000 });
      assert.match(failure.message, /is not a folder; nothing was changed\./);
      assert.ok(!/\n\s+at /.test(failure.message), `no stack trace: ${failure.message}`);
      assert.equal(await wb.debugging(), false, 'a failed install starts no session');
      assert.equal(wb.userSettings()['go.alternateTools'].dlv, pinnedDlv, "golang.go's setting is unchanged");
      await wb.screenshot('install-failed');
      console.log(`    failed install said: ${failure.message}`);
    } finally {
      rmSync(folder, { force: true });
      renameSync(aside, folder);
    }
    assert.equal(sha256(pinnedDlv), before, 'the previous dlv is untouched');
    await wb.removeAllBreakpoints();
    await wb.hideNotifications();
  },
  { timeoutMs: 240_000 },
);
