// The watchdog is Node itself, not a probe: it starts outside the runner (eslint allows it here).
// eslint-disable-next-line no-restricted-imports
import { spawn, type ChildProcess } from 'node:child_process';
import { MARK_VARIABLE } from './spawn';

/**
 * A tiny Node process that outlives us only to kill `group` once we are gone (its parent changes
 * when we die, even by SIGKILL), and ends by itself when the group has ended.
 */
const WATCHDOG = `
const [parent, group] = process.argv.slice(1).map(Number);
const alive = (id) => { try { process.kill(id, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
const tick = setInterval(() => {
  if (!alive(-group)) process.exit(0);
  if (process.ppid !== parent) {
    clearInterval(tick);
    try { process.kill(-group, 'SIGTERM'); } catch {}
    setTimeout(() => { try { process.kill(-group, 'SIGKILL'); } catch {} process.exit(0); }, 1000);
  }
}, 200);
`;

export function startWatchdog(group: number): ChildProcess | undefined {
  try {
    const dog = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid), String(group)], {
      stdio: 'ignore',
      detached: true,
      // Inside VS Code, execPath is Electron: this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', [MARK_VARIABLE]: undefined },
      windowsHide: true,
    });
    dog.once('error', () => undefined);
    dog.unref();
    return dog;
  } catch {
    return undefined;
  }
}
