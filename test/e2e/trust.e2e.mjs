// Workspace trust on, the folder untrusted (the user answers "No" to VS Code's question), with
// golang.go installed next to us: nothing from the workspace may execute. A sampler reads /proc
// all along and records every process that runs in the workspace or names it on its command line.
import assert from 'node:assert/strict';
import { readlinkSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';
import { processes } from '../../scripts/e2e/proc.mjs';
import { test } from './workbench.mjs';

const HEALTH = 'Debug Health';

/** Every process seen so far whose working folder is inside the workspace or whose command line names it. */
function startSampler(workspace) {
  const seen = new Map();
  const look = () => {
    for (const p of processes()) {
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${p.pid}/cwd`);
      } catch {
        // gone, or not ours to read
      }
      if (cwd === workspace || cwd.startsWith(`${workspace}/`) || p.cmdline.includes(workspace))
        seen.set(`${p.pid} ${p.cmdline}`, { pid: p.pid, cwd, cmdline: p.cmdline.trim() });
    }
  };
  const timer = setInterval(look, 100);
  look();
  return { stop: () => clearInterval(timer), seen: () => [...seen.values()] };
}

let sampler;

test('the folder opens untrusted, in Restricted Mode (the user answers No if VS Code asks)', async (wb) => {
  sampler = startSampler(wb.workspace);
  // code-server 4.139 opens an untrusted folder straight in Restricted Mode; VS Code desktop asks first.
  const asked = await wb.waitForModal(/trust the authors/i, { timeoutMs: 8_000 }).catch(() => undefined);
  if (asked) await wb.closeModalWith(asked.buttons.find((b) => /^No/.test(b)) ?? 'Cancel');
  const restricted = await wb.statusBarItem(/Restricted Mode/, { timeoutMs: 30_000 });
  assert.match(restricted.text, /Restricted Mode/);
});

test(
  'the panel says Restricted Mode, and the machine-wide checks still run',
  async (wb) => {
    await wb.runCommand('Go Debug Doctor: Run Checks');
    const rows = await wb.viewRows(HEALTH, { timeoutMs: 60_000 });
    await wb.waitForViewDescription(HEALTH, /^checked /, { timeoutMs: 60_000 });
    const pane = (await wb.page.locator(`.pane:has(> .pane-header h3.title:text-is("${HEALTH}"))`).innerText()).replace(/\s+/g, ' ');
    assert.match(pane, /Restricted Mode: tool paths from this workspace's settings are ignored and nothing from the workspace is run/);
    const go = rows.find((r) => r.label === 'Go toolchain' && r.level === 1);
    assert.equal(go?.icon, 'pass', JSON.stringify(go));
    // What cannot be known before the folder is trusted is said so, not guessed ("No go.mod", "golang.go was not found").
    for (const label of ['Go that builds the program', 'Go extension for VS Code']) {
      const r = rows.find((x) => x.label === label && x.level === 1);
      assert.match(r?.description ?? '', /^Trust the folder to check /, JSON.stringify(r));
    }
    await wb.screenshot('restricted-mode-panel');
  },
  { timeoutMs: 120_000 },
);

test(
  'Generate Debug Configurations refuses (it would run go list) and the self-test starts no gopls on the workspace',
  async (wb) => {
    await wb.runCommand('Go Debug Doctor: Generate Debug Configurations');
    await wb.waitForNotification(/runs `go list` in the workspace; trust the workspace first/);
    await wb.hideNotifications();
    await wb.runCommand('Go Debug Doctor: Run Debug Self-Test');
    await wb.waitForNotification(/^Debugging works here/, { timeoutMs: 120_000 });
    await wb.hideNotifications();
  },
  { timeoutMs: 150_000 },
);

test('nothing from the workspace executed: no go list, no gopls, nothing started in the folder', async (wb) => {
  // Let golang.go and our start-up work settle, then look at everything the sampler saw.
  await wb.page.waitForTimeout(3_000);
  sampler.stop();
  const seen = sampler.seen();
  console.log(
    `    processes in or naming the workspace: ${seen.length ? seen.map((p) => `${p.cmdline} (cwd ${p.cwd})`).join('; ') : 'none'}`,
  );
  assert.deepEqual(
    seen.filter((p) => /\bgo\b.*\blist\b|gopls/.test(p.cmdline)),
    [],
    'go list or gopls ran on the workspace',
  );
  assert.deepEqual(
    seen.filter((p) => p.cmdline.startsWith(wb.workspace)),
    [],
    'a binary from the workspace ran',
  );
  assert.equal(processes().filter((p) => /gopls/.test(p.cmdline) && p.cmdline.includes(wb.env.gopath ?? '\0')).length, 0);
});
