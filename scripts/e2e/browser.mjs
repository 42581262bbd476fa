// Debian's headless Chromium through playwright-core (no browser download). Loopback only: every
// other host name resolves to nothing, so Chromium's own update checks cannot leave the machine.
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/**
 * Launches Chromium; the caller closes it (the e2e runner's cleanup also kills its process group).
 * With GDD_E2E_BROWSER_HOME set (the runner sets it inside its run folder), Chromium's config and
 * cache folders (crash reports, ~/.config/chromium) go there instead of the home folder.
 */
export function launchChromium() {
  const home = process.env.GDD_E2E_BROWSER_HOME;
  return chromium.launch({
    ...(home ? { env: { ...process.env, XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache') } } : {}),
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    // The runner handles signals itself and closes the browser in its cleanup.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/** The workbench URL for a folder, with an optional extension-development payload (needs enable-smoke-test-driver). */
export function workbenchUrl(base, folder, payload) {
  let url = `${base}/?folder=${encodeURIComponent(folder)}`;
  if (payload?.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** An absolute path on the code-server machine as the workbench sees it. */
export const remoteUri = (base, path) => `vscode-remote://${new URL(base).host}${path}`;
