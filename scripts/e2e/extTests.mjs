// The extension-host mocha suite (test/vscode, bundled to out/vscode-test) run inside code-server's
// Node extension host: the workbench is opened with an extensionDevelopmentPath/extensionTestsPath
// payload, the suite's output comes back through window.codeAutomationLog and its result through
// window.codeAutomationExit (the hooks @vscode/test-web uses). Recipe step 6.
import { clearTimeout, setTimeout } from 'node:timers';
import { format } from 'node:util';
import { launchChromium, remoteUri, workbenchUrl } from './browser.mjs';
import { log, onCleanup } from './proc.mjs';

// The workbench's own chatter, relayed along with the suite's output.
const NOISE =
  /Ignoring fetching|AccountPolicyGate|socket \(renderer|Service Worker|grace-time|AgentHost|connection token|builtin extensions cache|Creating a socket|same-origin iframe|vsda|\[Extension Host\] \(node:\d+\) |ExperimentalWarning|--trace-warnings|Started local extension host|Dialog requested during smoke test/;

/** Resolves to the suite's exit code (0 = every test passed). */
export async function runExtensionTests({ url: base, workspace, extensionPath, testsPath, timeoutMs = 300_000 }) {
  const payload = [
    ['extensionDevelopmentPath', remoteUri(base, extensionPath)],
    ['extensionTestsPath', remoteUri(base, testsPath)],
  ];
  const browser = await launchChromium();
  const forget = onCleanup('chromium (extension tests)', () => browser.close());
  try {
    const page = await browser.newPage();
    let resolveExit;
    const exited = new Promise((resolve) => (resolveExit = resolve));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (NOISE.test(line)) return;
      (type === 'error' ? console.error : console.log)(`  ${line.replaceAll('\n', '\n  ')}`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => resolveExit(code));
    page.on('pageerror', (e) => console.error(`  PAGEERROR ${e.message}`));
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => {
        console.error(`  TIMEOUT: no result from the extension host after ${timeoutMs / 1000} s`);
        resolve(124);
      }, timeoutMs);
    });
    await page.goto(workbenchUrl(base, workspace, payload));
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    log(`extension tests exit code: ${code}`);
    return code;
  } finally {
    forget();
    await browser.close();
  }
}
