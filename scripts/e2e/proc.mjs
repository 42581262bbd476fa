// Process helpers for the end-to-end run: timed phases, child processes, process groups, and one
// cleanup list that runs on every exit path (success, failure, exception, SIGINT/SIGTERM/SIGHUP).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

const t0 = performance.now();
export const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)}s`;
export const log = (msg) => console.log(`[e2e +${elapsed()}] ${msg}`);

/** Phase durations for the summary. */
export const timings = [];

/** Runs one named phase, printing its start and duration. */
export async function phase(name, fn) {
  log(`${name} …`);
  const start = performance.now();
  try {
    return await fn();
  } finally {
    const ms = performance.now() - start;
    timings.push({ name, ms });
    log(`${name}: ${(ms / 1000).toFixed(1)}s`);
  }
}

/**
 * Runs a command without a shell. Output is captured (and returned) unless `inherit`; a non-zero
 * exit rejects with the last lines of output.
 */
export function run(cmd, args, { cwd, env, inherit = false, timeoutMs = 10 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'] });
    const forget = onCleanup(
      `${cmd} ${args[0] ?? ''}`,
      () => child.exitCode === null && child.signalCode === null && child.kill('SIGTERM'),
    );
    let out = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr?.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      forget();
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      forget();
      if (code === 0) resolve(out);
      else
        reject(
          Object.assign(new Error(`${cmd} ${args.join(' ')}: ${signal ?? `exit ${code}`}\n${out.split('\n').slice(-40).join('\n')}`), {
            output: out,
          }),
        );
    });
  });
}

/** A copy of the environment without npm's per-script variables (npm_config_user_agent would make a nested npm claim the outer Node version). */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

// ---- process groups -------------------------------------------------------------------------

/** Live (non-zombie) processes as { pid, pgid, cmdline } read from /proc. */
export function processes() {
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ');
      found.push({ pid: Number(name), pgid: Number(fields[2]), cmdline });
    } catch {
      // gone while reading
    }
  }
  return found;
}

/** SIGTERM to a whole process group, then SIGKILL after `graceMs` if any member is still alive. */
export async function killGroup(pgid, graceMs = 3000) {
  if (!pgid || pgid === process.pid) return;
  const alive = () => processes().some((p) => p.pgid === pgid);
  if (!alive()) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  for (let waited = 0; waited < graceMs && alive(); waited += 100) await sleep(100);
  if (alive()) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
    for (let waited = 0; waited < 2000 && alive(); waited += 100) await sleep(100);
  }
}

/**
 * The safety net: every process whose command line names `marker` (the run folder: code-server's
 * --user-data-dir, Chromium's profile under the run's TMPDIR) is ours; kill its process group.
 */
export async function killProcessesMentioning(marker) {
  const ownGroup = processes().find((p) => p.pid === process.pid)?.pgid;
  const groups = new Set(
    processes()
      .filter((p) => p.pid !== process.pid && p.cmdline.includes(marker))
      .map((p) => p.pgid),
  );
  groups.delete(ownGroup);
  for (const pgid of groups) {
    log(`killing leftover process group ${pgid}`);
    await killGroup(pgid, 1000);
  }
  // Members of our own group (not detached) are killed one by one.
  for (const p of processes()) {
    if (p.pid !== process.pid && p.cmdline.includes(marker)) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }
}

// ---- cleanup --------------------------------------------------------------------------------

const cleanups = [];
let cleaning;
/** Set on SIGINT/SIGTERM/SIGHUP: runners stop starting new tests. */
export const interrupted = { signal: undefined };

/** Registers a cleanup step (run last-in first-out); returns a function that unregisters it. */
export function onCleanup(name, fn) {
  const entry = { name, fn };
  cleanups.push(entry);
  return () => {
    const i = cleanups.indexOf(entry);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

/** Runs every registered cleanup once, each bounded to 20 s; errors are printed, never thrown. */
export function runCleanups() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const { name, fn } = cleanups.pop();
      try {
        await Promise.race([Promise.resolve().then(fn), sleep(20_000).then(() => Promise.reject(new Error('timed out after 20 s')))]);
      } catch (err) {
        console.error(`[e2e] cleanup "${name}" failed: ${err.message}`);
      }
    }
  })();
  return cleaning;
}

/** Ctrl-C, kill, or a closed terminal: clean up, then exit 128+signal. A second signal is ignored while cleaning. */
export function handleSignals() {
  const numbers = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };
  for (const [signal, n] of Object.entries(numbers)) {
    process.on(signal, () => {
      if (cleaning) {
        console.error(`[e2e] ${signal} again: still cleaning up`);
        return;
      }
      interrupted.signal = signal;
      console.error(`\n[e2e] ${signal}: stopping code-server and Chromium, removing temporary folders`);
      runCleanups().finally(() => {
        console.error(`[e2e] ${signal}: cleaned up after ${elapsed()}; exit ${128 + n}`);
        process.exit(128 + n);
      });
    });
  }
}
