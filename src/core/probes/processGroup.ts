import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { MARK_VARIABLE } from './mark';
import { OWN_GROUP } from './spawn';

/** Process groups still running, killed if this process exits first (a probe must not outlive us). */
export const live = new Set<number>();
process.once('exit', () => {
  for (const pid of live) killTree(pid, process.platform !== 'win32', 'SIGKILL');
});

export function killTree(pid: number | undefined, group: boolean, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(group ? -pid : pid, signal);
  } catch {
    // already gone
  }
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * After the process has exited: kills the rest of its group, and on Linux every process that still
 * carries its mark (found through /proc, which also finds those that left the group).
 * Returns a one-line account, or undefined when nothing was left.
 */
export function reapHolders(mark: string, pid: number | undefined): string | undefined {
  const inGroup = pid !== undefined && OWN_GROUP && groupRunning(pid);
  if (inGroup) killTree(pid, true, 'SIGKILL');
  const holders = markedProcesses(mark);
  for (const holder of holders) killTree(holder, false, 'SIGKILL');
  const parts = [];
  if (inGroup) parts.push('killed the rest of its process group');
  if (holders.length)
    parts.push(`killed ${holders.length} descendant${holders.length === 1 ? '' : 's'} outside its group (${holders.join(', ')})`);
  if (!parts.length)
    return 'a descendant outside its process group kept its output open and could not be found; output after the exit was ignored';
  return `${parts.join('; ')}: they kept its output open after it exited`;
}

/**
 * Processes (Linux /proc) that carry this probe's mark in their environment: its descendants, also
 * those that left the process group (the mark is inherited; a pipe's holder cannot be told apart
 * by its inode, because Node's pipes to a child are socket pairs).
 */
export function markedProcesses(mark: string): number[] {
  if (process.platform !== 'linux') return [];
  const needle = Buffer.from(`${MARK_VARIABLE}=${mark}\0`);
  const found: number[] = [];
  for (const pid of procPids() ?? []) {
    if (pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`).includes(needle)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * Whether anything in the process group still runs. A zombie (dead, waiting to be reaped) does not
 * count: an orphan's zombie belongs to init, and some container inits reap only about once a
 * second, so `kill(-pgid, 0)` alone would keep seeing the group.
 */
export function groupRunning(pgid: number): boolean {
  if (!groupAlive(pgid)) return false;
  if (process.platform !== 'linux') return true;
  const pids = procPids();
  if (!pids) return true;
  return pids.some((pid) => {
    const stat = procStat(pid); // undefined: ended meanwhile
    return stat?.pgrp === pgid && stat.state !== 'Z';
  });
}

/**
 * Linux: kills every process whose executable path `matches`. A debuggee that Delve started runs in
 * a process group of its own, so stopping dlv's group does not always reach it.
 */
export function killProcessesRunning(matches: (exe: string) => boolean): void {
  if (process.platform !== 'linux') return;
  for (const pid of procPids() ?? []) {
    try {
      if (matches(readlinkSync(`/proc/${pid}/exe`))) process.kill(pid, 'SIGKILL');
    } catch {
      // gone, or not ours to read
    }
  }
}

/** Linux: every process id in /proc, or undefined when /proc cannot be read. */
function procPids(): number[] | undefined {
  try {
    return readdirSync('/proc')
      .filter((e) => /^\d+$/.test(e))
      .map(Number);
  } catch {
    return undefined;
  }
}

/** Linux: the state letter, parent and process group of `pid` from /proc, or undefined once it is gone. */
function procStat(pid: number): { state: string; ppid: number; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state, ppid, pgrp, … (comm may hold spaces and parentheses).
    const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid), pgrp: Number(pgrp) };
  } catch {
    return undefined;
  }
}

/**
 * Linux: kills the processes `parent` started (with their process groups) and waits, at most
 * `limitMs`, until each is a zombie or gone. Elsewhere does nothing.
 */
export async function killChildrenUntilDead(parent: number, limitMs: number): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const children = (procPids() ?? []).flatMap((pid) => {
    const stat = procStat(pid);
    return stat?.ppid === parent ? [{ pid, leader: stat.pgrp === pid }] : [];
  });
  for (const { pid, leader } of children) killTree(pid, leader, 'SIGKILL');
  const until = performance.now() + limitMs;
  const dead = (pid: number) => {
    const s = procStat(pid);
    return !s || s.state === 'Z' || s.ppid !== parent;
  };
  while (!children.every(({ pid }) => dead(pid)) && performance.now() < until) await new Promise((r) => setTimeout(r, 2));
  return children.map(({ pid }) => pid);
}
