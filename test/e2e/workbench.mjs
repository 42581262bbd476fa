// A small driver for code-server's VS Code workbench in headless Chromium (playwright-core), and the
// registry the UI tests add themselves to. Selectors are VS Code 1.139's (code-server 4.139.1).
//
//   import { test } from './workbench.mjs';
//   test('my case', async (wb) => { await wb.runCommand('Go Debug Doctor: Run Checks'); ... });
//
// Tests run in the order they are registered, in one window (state carries over from one test to
// the next); scripts/e2e/ui.mjs runs them and takes a FAILED-… screenshot when one fails.
// The window runs in smoke-test-driver mode: notification toasts are not shown, read the
// notification center (notifications()); modal dialogs are shown (closeModalWith()).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium, workbenchUrl } from '../../scripts/e2e/browser.mjs';

/** @typedef {(wb: Workbench) => Promise<void>} TestFn */
/** @type {{ name: string, fn: TestFn, timeoutMs: number, file: string }[]} */
export const registered = [];

/** Registers a UI test (default timeout 90 s) of the file that calls it (its name: the runner picks files per profile). */
export function test(name, fn, { timeoutMs = 90_000 } = {}) {
  const caller = new Error().stack?.split('\n').find((l) => /\.e2e\.mjs/.test(l)) ?? '';
  registered.push({ name, fn, timeoutMs, file: caller.match(/([\w.-]+\.e2e\.mjs)/)?.[1] ?? '' });
}

/** The Debug Health panel's group rows (src/vscode/health/tree.ts). */
export const HEALTH_SECTION = /^(All \d+ checks pass|\d+ checks? pass(es)?|\d+ checks? do(es)? not apply to this machine)$/;

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const SELECTORS = {
  workbench: '.monaco-workbench',
  statusBarItem: '#workbench\\.parts\\.statusbar .statusbar-item',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget input.input',
  quickInputTitle: '.quick-input-widget .quick-input-title',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  notificationItem: '.notifications-center .notification-list-item',
  notificationMessage: '.notification-list-item-message',
  notificationSource: '.notification-list-item-source',
  notificationButton: '.notification-list-item-buttons-container a.monaco-button',
  dialog: '.monaco-dialog-box',
  dialogMessage: '.monaco-dialog-box .dialog-message-text',
  dialogDetail: '.monaco-dialog-box .dialog-message-detail',
  dialogButton: '.monaco-dialog-box a.monaco-button',
  debugConfigDropdown: '.start-debug-action-item .start-debug-action-item-dropdown-label',
  debugConfigRow: '.context-view .action-widget .actionList .monaco-list-row',
  runningExtensionRow: '.runtime-extensions-editor .monaco-list-row',
  /** A view pane (Explorer section, Debug Health, …) by the title in its header; rows inside are tree rows. */
  viewPane: (title) => `.pane:has(> .pane-header h3.title:text-is("${title}"))`,
  viewRow: '.monaco-list-row[role="treeitem"]',
};

export class Workbench {
  /**
   * @param {import('playwright-core').Browser} browser
   * @param {import('playwright-core').Page} page
   * @param {{ base: string, workspace: string, artifacts: string, env?: Record<string, any>, prefix?: string }} options
   */
  constructor(browser, page, options) {
    this.browser = browser;
    this.page = page;
    /** code-server's URL, e.g. http://127.0.0.1:PORT */
    this.base = options.base;
    /** The workspace folder opened in the window (absolute path on this machine). */
    this.workspace = options.workspace;
    this.artifacts = options.artifacts;
    /** Facts from the runner, e.g. { dlv: '/tmp/…/dlv' }. */
    this.env = options.env ?? {};
    this.prefix = options.prefix ? `${options.prefix}-` : '';
    this.shots = 0;
  }

  /** Launches Chromium with one 1400x900 page. Call open() next, and close() at the end. */
  static async launch(options) {
    mkdirSync(options.artifacts, { recursive: true });
    const browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => console.error(`    PAGEERROR ${e.message}`));
    return new Workbench(browser, page, options);
  }

  async close() {
    await this.browser.close();
  }

  /** Opens `url` (default: the workspace, no payload: the installed extension runs) and waits until the workbench is restored. */
  async open(url = workbenchUrl(this.base, this.workspace)) {
    await this.page.goto(url);
    await this.page.locator(SELECTORS.workbench).waitFor({ timeout: 60_000 });
    // The smoke-test driver's own readiness signal (layout restored, editors and views open).
    await this.page.waitForFunction(() => globalThis.driver !== undefined, null, { timeout: 60_000 });
    await this.page.evaluate(() => globalThis.driver.whenWorkbenchRestored());
  }

  /** Closes whatever modal dialog, quick input, menu or dropdown is open. */
  async escape() {
    for (let i = 0; i < 3 && (await this.page.locator(`${SELECTORS.dialog}:visible`).count()); i++) {
      await this.page.keyboard.press('Escape');
      await this.page.waitForTimeout(200);
    }
    for (
      let i = 0;
      i < 3 && (await this.page.locator(`${SELECTORS.quickInput}:visible, .context-view .action-widget:visible`).count());
      i++
    ) {
      await this.page.keyboard.press('Escape');
      await this.page.waitForTimeout(150);
    }
  }

  /**
   * Opens the command palette and types `>title`. Right after another command the previous quick
   * input may still be closing (or an editor just closing takes the focus back), and F1 then opens
   * nothing or a palette that closes again: wait until the palette's box is visible and focused, and
   * open it once more if it is not.
   */
  async #palette(title) {
    const input = this.page.locator(SELECTORS.quickInputBox);
    const ready = async (timeout) =>
      input
        .waitFor({ state: 'visible', timeout })
        .then(() =>
          this.page.waitForFunction(
            (sel) => {
              const box = globalThis.document.querySelector(sel);
              return !!box && box === globalThis.document.activeElement && box.offsetParent !== null;
            },
            SELECTORS.quickInputBox,
            { timeout },
          ),
        )
        .then(
          () => true,
          () => false,
        );
    for (let attempt = 0; ; attempt++) {
      await this.escape();
      await this.page.keyboard.press('F1');
      if (await ready(attempt === 0 ? 5_000 : 15_000)) break;
      if (attempt === 1) throw new Error(`the command palette did not open (or lost the focus) for "${title}"`);
    }
    await input.fill(`>${title}`);
    return this.page
      .locator(SELECTORS.quickInputRow, { has: this.page.locator('.label-name', { hasText: new RegExp(`^${esc(title)}$`) }) })
      .first();
  }

  /** Runs a command by its palette title ("Category: Title"), exactly as typed in the command palette. */
  async runCommand(title, { timeoutMs = 20_000 } = {}) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = await this.#palette(title);
      await row.waitFor({ timeout: timeoutMs });
      if (await this.#choose(row, title)) return;
    }
    throw new Error(`the command palette lost the focus each time before "${title}" could run`);
  }

  /**
   * Runs a palette row; false when the palette lost the focus first (a debug session that pauses
   * moves it to the editor, where an Enter would type into the user's file), so the caller opens it
   * again. Enter runs the focused row; a click, only on a visible row, when the list re-sorted.
   */
  async #choose(row, title) {
    const inputHasFocus = () =>
      this.page.evaluate((sel) => {
        const box = globalThis.document.querySelector(sel);
        return !!box && box === globalThis.document.activeElement && box.offsetParent !== null;
      }, SELECTORS.quickInputBox);
    if (!(await inputHasFocus())) return false;
    const focused = this.page.locator(`${SELECTORS.quickInputRow}.focused .label-name`).first();
    if (((await focused.textContent().catch(() => '')) ?? '').trim() === title) {
      await this.page.keyboard.press('Enter');
      return true;
    }
    if (!(await row.isVisible())) return false;
    await row.click({ timeout: 5_000 });
    return true;
  }

  /** "Debug: Remove All Breakpoints" until the palette no longer lists it (it does only while there are breakpoints). */
  async removeAllBreakpoints() {
    const title = 'Debug: Remove All Breakpoints';
    for (let attempt = 0; attempt < 4; attempt++) {
      const row = await this.#palette(title);
      const listed = await row.waitFor({ timeout: attempt ? 2_000 : 5_000 }).then(
        () => true,
        () => false,
      );
      if (!listed) return this.escape();
      await this.#choose(row, title);
      await this.page.waitForTimeout(300);
    }
    throw new Error('breakpoints are still there after "Debug: Remove All Breakpoints"');
  }

  /** Whether the command palette lists a command with exactly this title. */
  async hasCommand(title, { timeoutMs = 5_000 } = {}) {
    const row = await this.#palette(title);
    const found = await row.waitFor({ timeout: timeoutMs }).then(
      () => true,
      () => false,
    );
    await this.escape();
    return found;
  }

  /** Waits for a status bar item whose text matches, returns its text (codicons are not text: "$(warning) Go debug: 2" reads "Go debug: 2"). */
  async waitForStatusBar(textRegex, { timeoutMs = 30_000 } = {}) {
    const item = this.page.locator(SELECTORS.statusBarItem, { hasText: textRegex }).first();
    await item.waitFor({ timeout: timeoutMs });
    return (await item.innerText()).trim();
  }

  /**
   * A status bar item by its text: { id, text, ariaLabel, icons, kind } (kind: "warning",
   * "error", … from VS Code's *-kind class, for items with a background colour).
   */
  async statusBarItem(textRegex, { timeoutMs = 30_000 } = {}) {
    const item = this.page.locator(SELECTORS.statusBarItem, { hasText: textRegex }).first();
    await item.waitFor({ timeout: timeoutMs });
    return item.evaluate((el) => ({
      id: el.id,
      text: el.textContent?.trim() ?? '',
      ariaLabel: el.getAttribute('aria-label') ?? '',
      icons: [...el.querySelectorAll('.codicon')].map((i) => [...i.classList].find((c) => c.startsWith('codicon-'))?.slice(8)),
      kind: [...el.classList].find((c) => c.endsWith('-kind'))?.slice(0, -5),
    }));
  }

  /** Clicks a status bar item by its text. */
  async clickStatusBar(textRegex) {
    await this.page.locator(SELECTORS.statusBarItem, { hasText: textRegex }).first().click();
  }

  /**
   * The rendered rows of a tree view, by the view's title ("Debug Health"): { label, description,
   * icon (codicon name), level, expanded, ariaLabel }. Virtual list: only rows on screen.
   */
  async viewRows(title, { timeoutMs = 30_000, raw = false } = {}) {
    const pane = this.page.locator(SELECTORS.viewPane(title));
    await pane.locator(SELECTORS.viewRow).first().waitFor({ timeout: timeoutMs });
    const read = () =>
      pane.locator(SELECTORS.viewRow).evaluateAll((rows) =>
        rows.map((row) => {
          const icon = row.querySelector('.custom-view-tree-node-item-icon');
          return {
            label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
            description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
            icon: icon ? [...icon.classList].find((c) => c.startsWith('codicon-'))?.slice(8) : undefined,
            level: Number(row.getAttribute('aria-level')),
            expanded: row.hasAttribute('aria-expanded') ? row.getAttribute('aria-expanded') === 'true' : undefined,
            ariaLabel: row.getAttribute('aria-label') ?? '',
          };
        }),
      );
    if (raw || title !== 'Debug Health') return read();
    // The Debug Health panel groups passing checks (and other systems' checks) below the problems:
    // open the groups, then list their checks as if they were top-level rows (section: true).
    for (const r of await read()) {
      if (r.level === 1 && HEALTH_SECTION.test(r.label) && r.expanded === false) {
        await this.clickViewRow(title, r.label, { level: 1 });
        await this.page.waitForTimeout(150);
      }
    }
    const flat = [];
    let inSection = false;
    for (const r of await read()) {
      if (r.level === 1) inSection = HEALTH_SECTION.test(r.label);
      if (r.level === 1 && inSection) continue;
      flat.push(inSection ? { ...r, level: r.level - 1, section: true } : r);
    }
    return flat;
  }

  /** The description next to a view's title (e.g. "checked 11:20:02 PM"), '' when none. */
  async viewDescription(title) {
    return ((await this.page.locator(`${SELECTORS.viewPane(title)} > .pane-header .description`).textContent()) ?? '').trim();
  }

  /** Polls a view's description until it matches; returns it. */
  async waitForViewDescription(title, regex, { timeoutMs = 30_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await this.viewDescription(title);
      if (regex.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`${title}: description "${text}" does not match ${regex} after ${timeoutMs} ms`);
      await this.page.waitForTimeout(200);
    }
  }

  /**
   * Waits for a quick pick with rows (and, if given, a title matching `title`); returns
   * { title, placeholder, rows }. Pass no title for picks that have none (VS Code's own).
   */
  async waitForQuickPick(title, { timeoutMs = 30_000 } = {}) {
    if (title) await this.page.locator(SELECTORS.quickInputTitle, { hasText: title }).first().waitFor({ timeout: timeoutMs });
    await this.page.locator(SELECTORS.quickInputRow).first().waitFor({ timeout: timeoutMs });
    return {
      title: (await this.page.locator(SELECTORS.quickInputTitle).innerText()).trim(),
      placeholder: (await this.page.locator(SELECTORS.quickInputBox).getAttribute('placeholder')) ?? '',
      rows: await this.quickPickRows(),
    };
  }

  /**
   * The quick pick's rendered rows: { label, description, detail, checked }. The list is virtual:
   * only rows on screen exist; type a filter (filterQuickPick) to reach others.
   */
  async quickPickRows() {
    return this.page.locator(SELECTORS.quickInputRow).evaluateAll((rows) =>
      rows.map((row) => {
        const text = (sel) => row.querySelector(sel)?.textContent?.trim() ?? '';
        const box = row.querySelector('.monaco-checkbox');
        return {
          label: text('.quick-input-list-row .label-name'),
          description: text('.label-description'),
          detail: text('.quick-input-list-label-meta .label-name'),
          checked: box ? box.getAttribute('aria-checked') === 'true' : undefined,
        };
      }),
    );
  }

  /** The user's settings.json (wb.env.settingsFile), as VS Code has it on disk. */
  userSettings() {
    // VS Code rewrites the file in place when an extension changes a setting: a read in between
    // sees it empty or cut. Read again until it parses (a few seconds at most).
    for (let attempt = 0; ; attempt++) {
      try {
        return JSON.parse(readFileSync(this.env.settingsFile, 'utf8'));
      } catch (err) {
        if (!(err instanceof SyntaxError) || attempt === 40) throw err;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
    }
  }

  /** Edits the user's settings.json as a user does in the editor (VS Code reloads it). */
  editUserSettings(change) {
    const settings = this.userSettings();
    change(settings);
    writeFileSync(this.env.settingsFile, `${JSON.stringify(settings, null, 2)}\n`);
  }

  /** Ticks or unticks one row of an open multi-select quick pick (its checkbox), by its label. */
  async toggleQuickPickRow(label) {
    const row = this.page
      .locator(SELECTORS.quickInputRow, { has: this.page.locator('.label-name', { hasText: new RegExp(`^${esc(label)}$`) }) })
      .first();
    await row.locator('.monaco-checkbox').click();
  }

  /** Types into the open quick pick's filter box. */
  async filterQuickPick(text) {
    await this.page.locator(SELECTORS.quickInputBox).fill(text);
    await this.page.waitForTimeout(200);
  }

  /** Accepts the quick pick (Enter: the focused row, or every checked row of a multi-select). */
  async acceptQuickPick() {
    await this.page.locator(SELECTORS.quickInputBox).press('Enter');
  }

  /** Opens the notification center and returns its items: { message, source, buttons }. */
  async notifications() {
    await this.escape();
    if (!(await this.page.locator('.notifications-center.visible').count())) await this.runCommand('Notifications: Show Notifications');
    await this.page.locator('.notifications-center.visible').waitFor({ timeout: 5_000 });
    return this.page.locator(SELECTORS.notificationItem).evaluateAll(
      (items, sel) =>
        items.map((item) => ({
          message: item.querySelector(sel.message)?.textContent?.trim() ?? '',
          source: item.querySelector(sel.source)?.textContent?.trim() ?? '',
          buttons: [...item.querySelectorAll(sel.button)].map((b) => b.textContent?.trim() ?? ''),
        })),
      { message: SELECTORS.notificationMessage, source: SELECTORS.notificationSource, button: SELECTORS.notificationButton },
    );
  }

  /** Polls the notification center until an item's message matches; returns it. */
  async waitForNotification(messageRegex, { timeoutMs = 30_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.notifications()).find((n) => messageRegex.test(n.message));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no notification matching ${messageRegex} after ${timeoutMs} ms`);
      await this.page.waitForTimeout(500);
    }
  }

  /** Clicks a button of the notification whose message matches (the center must show it). */
  async clickNotificationButton(messageRegex, buttonLabel) {
    await this.waitForNotification(messageRegex);
    const item = this.page
      .locator(SELECTORS.notificationItem)
      .filter({ has: this.page.locator(SELECTORS.notificationMessage, { hasText: messageRegex }) })
      .first();
    await item.locator(SELECTORS.notificationButton, { hasText: new RegExp(`^${esc(buttonLabel)}$`) }).click();
  }

  /** Waits until the active editor's visible text matches (Monaco renders lines as .view-line). */
  async waitForEditorText(regex, { timeoutMs = 30_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = (
        await this.page
          .locator('.editor-instance .monaco-editor .view-lines')
          .first()
          .innerText()
          .catch(() => '')
      ).replace(/\u00a0/g, ' ');
      if (regex.test(text)) return text;
      if (Date.now() > deadline)
        throw new Error(`no editor text matching ${regex} after ${timeoutMs} ms; saw ${JSON.stringify(text.slice(0, 300))}`);
      await this.page.waitForTimeout(250);
    }
  }

  /** Closes the notification center (its own hide button; the palette would close it without a trace). */
  async hideNotifications() {
    if (await this.page.locator('.notifications-center.visible').count()) {
      await this.page.locator('.notifications-center .codicon-notifications-hide').click();
      await this.page.locator('.notifications-center.visible').waitFor({ state: 'detached', timeout: 5_000 });
    }
  }

  /** Waits for a modal dialog (message matching `messageRegex`, if given); returns { message, detail, buttons }. */
  async waitForModal(messageRegex, { timeoutMs = 30_000 } = {}) {
    const box = this.page.locator(SELECTORS.dialog, messageRegex ? { hasText: messageRegex } : {}).first();
    await box.waitFor({ timeout: timeoutMs });
    return {
      message: (
        await this.page
          .locator(SELECTORS.dialogMessage)
          .innerText()
          .catch(() => '')
      ).trim(),
      detail: (
        await this.page
          .locator(SELECTORS.dialogDetail)
          .innerText()
          .catch(() => '')
      ).trim(),
      buttons: (await this.page.locator(SELECTORS.dialogButton).allInnerTexts()).map((b) => b.trim()),
    };
  }

  /** Clicks a modal dialog's button by its label (waits for the dialog first); returns what the dialog said. */
  async closeModalWith(buttonLabel, { timeoutMs = 30_000 } = {}) {
    const modal = await this.waitForModal(undefined, { timeoutMs });
    const button = this.page.locator(SELECTORS.dialogButton, { hasText: new RegExp(`^${esc(buttonLabel)}$`) });
    await button.click();
    // Done when this dialog is gone. The next modal may replace it at once (an install that finds its
    // dlv in place answers in milliseconds), so a dialog with another message also means done; the
    // same dialog still up after a while means the click was swallowed, and it is clicked again.
    const deadline = Date.now() + 10_000;
    let clickedAt = Date.now();
    for (;;) {
      if (!(await this.page.locator(SELECTORS.dialog).count())) return modal;
      const now = await this.page
        .locator(SELECTORS.dialogMessage)
        .innerText()
        .catch(() => '');
      if (now.trim() !== modal.message) return modal;
      if (Date.now() > deadline) throw new Error(`the dialog "${modal.message}" stayed open after "${buttonLabel}"`);
      if (Date.now() - clickedAt > 3_000 && (await button.count())) {
        await button.click().catch(() => {});
        clickedAt = Date.now();
      }
      await this.page.waitForTimeout(100);
    }
  }

  /**
   * The names in Run and Debug's configuration dropdown (launch.json entries, then "Node.js...",
   * dynamic providers and "Add Configuration..."; separators are left out). With `screenshot`,
   * the open dropdown is captured under that name.
   */
  async readRunAndDebugConfigs({ screenshot } = {}) {
    await this.runCommand('View: Show Run and Debug');
    const label = this.page.locator(SELECTORS.debugConfigDropdown);
    await label.waitFor({ timeout: 15_000 });
    await this.page.waitForTimeout(500); // the palette is still closing: a click now is swallowed
    const rows = this.page.locator(SELECTORS.debugConfigRow);
    for (let attempt = 0; attempt < 3 && !(await rows.first().isVisible()); attempt++) {
      await label.click();
      await rows
        .first()
        .waitFor({ timeout: 3_000 })
        .catch(() => {});
    }
    const names = (await rows.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
    if (screenshot) {
      await this.page.waitForTimeout(300); // let the dropdown finish fading in
      await this.screenshot(screenshot);
    }
    await this.escape();
    return { selected: (await label.innerText()).trim(), names };
  }

  /** Opens Run and Debug's configuration dropdown and clicks the entry named `name`. */
  async pickRunAndDebugEntry(name) {
    await this.runCommand('View: Show Run and Debug');
    const label = this.page.locator(SELECTORS.debugConfigDropdown);
    await label.waitFor({ timeout: 15_000 });
    await this.page.waitForTimeout(500);
    const row = this.page.locator(SELECTORS.debugConfigRow, { hasText: new RegExp(`^${esc(name)}$`) }).first();
    for (let attempt = 0; attempt < 3 && !(await row.isVisible()); attempt++) {
      await label.click();
      await row.waitFor({ timeout: 3_000 }).catch(() => {});
    }
    await row.click();
  }

  /** Clicks a row of a tree view (by its exact label; `level` picks among equal labels). */
  async clickViewRow(title, label, { level } = {}) {
    const rows = this.page.locator(`${SELECTORS.viewPane(title)} ${SELECTORS.viewRow}`, {
      has: this.page.locator('.label-name', { hasText: new RegExp(`^${esc(label)}$`) }),
    });
    const row = level ? rows.and(this.page.locator(`[aria-level="${level}"]`)).first() : rows.first();
    await row.click();
  }

  /** Opens a workspace file through Quick Open ("Go to File..."), by its path relative to the folder. */
  async openFile(rel) {
    await this.runCommand('Go to File...');
    const input = this.page.locator(SELECTORS.quickInputBox);
    await input.fill(rel);
    // Click the row with exactly this name: Enter takes the top row, which may be a recently opened
    // file that also matches (main_test.go for "main.go").
    const name = rel.split('/').pop();
    const row = this.page
      .locator(SELECTORS.quickInputRow, { has: this.page.locator('.label-name', { hasText: new RegExp(`^${esc(name)}$`) }) })
      .first();
    await row.waitFor({ timeout: 15_000 });
    await row.click();
    await this.page.locator(`.tabs-container .tab.active[aria-label^="${rel.split('/').pop()}"]`).waitFor({ timeout: 15_000 });
  }

  /** Moves the active editor's cursor to a 1-based line ("Go to Line/Column..."). */
  async goToLine(line) {
    await this.runCommand('Go to Line/Column...');
    const input = this.page.locator(SELECTORS.quickInputBox);
    await input.fill(`:${line}`);
    await input.press('Enter');
    await this.page.waitForTimeout(200);
  }

  /** Whether the active editor shows a breakpoint on a 1-based line (the glyph beside its line number). */
  async hasBreakpointAt(line) {
    return this.page.evaluate((n) => {
      const editor = globalThis.document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
      const number = [...(editor?.querySelectorAll('.margin-view-overlays .line-numbers') ?? [])].find(
        (e) => e.textContent?.trim() === String(n),
      );
      const top = number?.parentElement?.style.top;
      if (top === undefined) return false;
      return [...editor.querySelectorAll('.codicon-debug-breakpoint, .codicon-debug-breakpoint-unverified')].some(
        (g) => (g.closest('[style*="top"]')?.style.top ?? g.style.top) === top,
      );
    }, line);
  }

  /** Makes sure a breakpoint is set on a line, in the editor, as a user does: open the file, go to the line, toggle. */
  async setBreakpoint(rel, line) {
    for (let attempt = 0; ; attempt++) {
      // Each attempt starts from the editor again: another extension (golang.go installing gopls)
      // may have moved the focus to its Output panel since.
      await this.openFile(rel);
      await this.goToLine(line);
      if (await this.hasBreakpointAt(line)) return;
      if (attempt === 3) throw new Error(`no breakpoint on ${rel}:${line} after toggling`);
      await this.runCommand('Debug: Toggle Breakpoint');
      await this.page.waitForTimeout(500);
      if (await this.hasBreakpointAt(line)) return;
    }
  }

  /** Picks a configuration in Run and Debug and starts it (F5). */
  async startDebugging(configName) {
    await this.pickRunAndDebugEntry(configName);
    await this.page.waitForTimeout(300);
    await this.runCommand('Debug: Start Debugging');
  }

  /** Waits until the Call Stack says the session is paused; returns that text ("Paused on breakpoint", …). */
  async waitForPaused({ timeoutMs = 90_000, reason = /Paused on breakpoint/i } = {}) {
    // The pane header repeats the state (hidden while the pane is expanded): only a visible one counts.
    const label = this.page.locator(SELECTORS.viewPane('Call Stack')).getByText(reason).filter({ visible: true }).first();
    await label.waitFor({ timeout: timeoutMs });
    return (await label.innerText()).trim();
  }

  /** Whether a debug session is running (the debug toolbar is shown). */
  async debugging() {
    return (await this.page.locator('.debug-toolbar').count()) > 0 && (await this.page.locator('.debug-toolbar').isVisible());
  }

  /**
   * Stops the session with the debug toolbar's Stop button (a click cannot land in the editor the
   * way a palette Enter can when a pause takes the focus); the palette when there is no button.
   */
  async stopDebugging() {
    const stop = this.page.locator('.debug-toolbar .codicon-debug-stop').first();
    if (await stop.isVisible().catch(() => false)) await stop.click();
    else await this.runCommand('Debug: Stop');
  }

  /** Waits until no debug session runs. */
  async waitForNoSession({ timeoutMs = 30_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    while (await this.debugging()) {
      if (Date.now() > deadline) throw new Error(`a debug session still runs after ${timeoutMs} ms`);
      await this.page.waitForTimeout(250);
    }
  }

  /** The Debug Console's text (its rendered rows). */
  async debugConsoleText() {
    await this.runCommand('Debug Console: Focus on Debug Console View');
    const rows = this.page.locator('.repl .monaco-list-row');
    await rows.first().waitFor({ timeout: 15_000 });
    return (await rows.allInnerTexts()).join('\n').replace(/\u00a0/g, ' ');
  }

  /** The Problems panel's rows as text (file rows and their markers). */
  async problems() {
    await this.runCommand('Problems: Focus on Problems View');
    const panel = this.page.locator('.markers-panel');
    await panel.waitFor({ timeout: 10_000 });
    await this.page.waitForTimeout(300);
    return (await panel.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** "Developer: Show Running Extensions": [{ name, version, activation }] of every active extension. */
  async runningExtensions() {
    await this.runCommand('Developer: Show Running Extensions');
    const rows = this.page.locator(SELECTORS.runningExtensionRow);
    await rows.first().waitFor({ timeout: 20_000 });
    return rows.evaluateAll((els) =>
      els.map((row) => ({
        name: row.querySelector('.name')?.textContent?.trim() ?? '',
        version: row.querySelector('.version')?.textContent?.trim() ?? '',
        activation: row.querySelector('.activation-time')?.textContent?.trim() ?? '',
      })),
    );
  }

  /** Saves a PNG of the window into the artifacts folder as NN-name.png; returns its path. */
  async screenshot(name) {
    const file = join(this.artifacts, `${this.prefix}${String(++this.shots).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
