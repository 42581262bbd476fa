// The watchdog is Node itself, not a probe: it starts outside the runner (eslint allows it here).
// eslint-disable-next-line no-restricted-imports
import { spawn, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import type { Writable } from 'node:stream';
import { MARK_VARIABLE } from './spawn';

/**
 * A small Node process, one for all the process groups of ours that must not outlive us. We tell it
 * "+GROUP" and "-GROUP" on its stdin; when that pipe closes (we ended, even by SIGKILL) or its parent
 * changes, it ends every group it still holds: SIGTERM, then SIGKILL a second later.
 */
const WATCHDOG = `
const parent = Number(process.argv[1]);
const groups = new Set();
const signal = (s) => { for (const g of groups) { try { process.kill(-g, s); } catch {} } };
let ending = false;
const end = () => {
  if (ending) return;
  ending = true;
  signal('SIGTERM');
  setTimeout(() => { signal('SIGKILL'); process.exit(0); }, groups.size ? 1000 : 0);
};
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  const lines = (pending + text).split('\\n');
  pending = lines.pop();
  for (const line of lines) {
    const group = Number(line.slice(1));
    if (!Number.isInteger(group) || group <= 0) continue;
    if (line[0] === '+') groups.add(group); else groups.delete(group);
  }
});
process.stdin.on('end', end);
process.stdin.on('error', end);
const alive = (g) => { try { process.kill(-g, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
// A group that ended is forgotten: its number may come back as somebody else's.
setInterval(() => {
  if (process.ppid !== parent) return end();
  for (const g of groups) if (!alive(g)) groups.delete(g);
}, 1000);
`;

/** How long the watchdog stays with no group to hold before it is let go. */
const IDLE_MS = 5 * 60_000;

interface Dog {
  child: ChildProcess;
  stdin: Writable;
  held: number;
  idle?: NodeJS.Timeout;
}
let dog: Dog | undefined;

function startDog(): Dog | undefined {
  try {
    const child = spawn(process.execPath, ['-e', WATCHDOG, String(process.pid)], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      // Inside VS Code, execPath is Electron: this makes it behave as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', [MARK_VARIABLE]: undefined },
      windowsHide: true,
    });
    const stdin = child.stdin;
    if (!stdin) return undefined;
    const started: Dog = { child, stdin, held: 0 };
    child.once('error', () => undefined);
    stdin.on('error', () => undefined);
    child.once('exit', () => {
      if (dog === started) dog = undefined;
    });
    // After its start it only waits: nothing it does is urgent. What we tell it meanwhile waits in the pipe.
    if (child.pid)
      try {
        setPriority(child.pid, 19);
      } catch {
        // not allowed here: it starts at normal priority
      }
    // Neither the process nor its pipe keeps ours alive: our exit closes the pipe, which ends it.
    child.unref();
    (stdin as Writable & { unref?: () => void }).unref?.();
    return started;
  } catch {
    return undefined;
  }
}

/**
 * Ends `group` (SIGTERM, then SIGKILL) should this process end before the returned release is
 * called. The same watchdog serves every group, so only the first costs a process start.
 */
export function guardGroup(group: number): () => void {
  const current = (dog ??= startDog());
  if (!current) return () => undefined;
  clearTimeout(current.idle);
  current.held++;
  current.stdin.write(`+${group}\n`);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    current.stdin.write(`-${group}\n`);
    if (--current.held > 0) return;
    current.idle = setTimeout(() => {
      if (dog === current) dog = undefined;
      current.stdin.end();
    }, IDLE_MS);
    current.idle.unref();
  };
}
