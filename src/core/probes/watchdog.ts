// The watchdog is Node itself, not a probe: it starts outside the runner (eslint allows it here).
// eslint-disable-next-line no-restricted-imports
import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import { MARK_VARIABLE } from './mark';

/**
 * A small Node process, one for all the processes of ours that must not outlive us. Each is known by
 * its mark (spawn.ts) from before it starts, "?MARK", and by its process group once it has, "+MARK
 * GROUP"; "-MARK" lets it go. When the pipe closes (we ended, even by SIGKILL) or its parent changes,
 * it ends what it still holds: SIGTERM, then SIGKILL a second later, to each group and, on Linux, to
 * each process whose environment carries a held mark. The mark covers the moment between the start
 * and "+": a kill then (a busy machine can stretch it to many milliseconds) would leave the process
 * with no group known.
 */
const WATCHDOG = `
const parent = Number(process.argv[1]);
const held = new Map();
const marked = () => {
  if (process.platform !== 'linux' || !held.size) return [];
  const fs = require('node:fs');
  const needles = [...held.keys()].map((m) => Buffer.from('${MARK_VARIABLE}=' + m + '\\0'));
  const found = [];
  let pids = [];
  try { pids = fs.readdirSync('/proc').filter((n) => /^[0-9]+$/.test(n)); } catch {}
  for (const pid of pids) {
    try {
      const env = fs.readFileSync('/proc/' + pid + '/environ');
      if (needles.some((n) => env.includes(n))) found.push(Number(pid));
    } catch {}
  }
  return found;
};
const signal = (s) => {
  for (const g of held.values()) if (g) { try { process.kill(-g, s); } catch {} }
  for (const pid of marked()) { try { process.kill(pid, s); } catch {} }
};
let ending = false;
const end = () => {
  if (ending) return;
  ending = true;
  signal('SIGTERM');
  setTimeout(() => { signal('SIGKILL'); process.exit(0); }, held.size ? 1000 : 0);
};
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (text) => {
  const lines = (pending + text).split('\\n');
  pending = lines.pop();
  for (const line of lines) {
    const [mark, group] = line.slice(1).split(' ');
    if (!mark) continue;
    if (line[0] === '?') held.set(mark, 0);
    else if (line[0] === '+' && Number.isInteger(Number(group)) && Number(group) > 0) held.set(mark, Number(group));
    else if (line[0] === '-') held.delete(mark);
  }
});
process.stdin.on('end', end);
process.stdin.on('error', end);
const alive = (g) => { try { process.kill(-g, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
// A group that ended is no longer signalled: its number may come back as somebody else's. Its
// mark, which is unique, stays held for descendants that left the group.
setInterval(() => {
  if (process.ppid !== parent) return end();
  for (const [mark, g] of held) if (g && !alive(g)) held.set(mark, 0);
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
    // Normal priority: nice 19 did not spare dlv's build beside it any time (measured), and on a busy
    // machine the watchdog would wait its turn while what it must kill runs on.
    // Neither the process nor its pipe keeps ours alive: our exit closes the pipe, which ends it.
    child.unref();
    (stdin as Writable & { unref?: () => void }).unref?.();
    return started;
  } catch {
    return undefined;
  }
}

/** What a caller holds for one guarded process: name its group once started, and let it go. */
export interface Guard {
  started(group: number): void;
  release(): void;
}

const UNGUARDED: Guard = { started: () => undefined, release: () => undefined };

/**
 * Guards the process that is about to start with `mark`: should this process end before release()
 * is called, the watchdog ends it (and its group, once started() has named it). Call before the
 * spawn. The same watchdog serves every process, so only the first costs a process start.
 */
export function guardMark(mark: string): Guard {
  if (/[\s]/.test(mark) || !mark) return UNGUARDED;
  const current = (dog ??= startDog());
  if (!current) return UNGUARDED;
  clearTimeout(current.idle);
  current.held++;
  current.stdin.write(`?${mark}\n`);
  let released = false;
  return {
    started(group) {
      if (!released) current.stdin.write(`+${mark} ${group}\n`);
    },
    release() {
      if (released) return;
      released = true;
      current.stdin.write(`-${mark}\n`);
      if (--current.held > 0) return;
      current.idle = setTimeout(() => {
        if (dog === current) dog = undefined;
        current.stdin.end();
      }, IDLE_MS);
      current.idle.unref();
    },
  };
}
