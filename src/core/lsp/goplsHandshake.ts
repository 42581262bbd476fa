import * as path from 'node:path';
import { monotonicMs } from '../probes/clock';
import type { GoplsHandshakeOptions, GoplsHandshakeResult } from './handshakeTypes';
import { HandshakeRun, spawnGopls } from './handshakeRun';
import { initialize, sendInitialized, waitForFirstDiagnostics, reportLoadAndDiagnostics, shutdownAndExit } from './handshakeSteps';

/**
 * A gopls handshake over LSP stdio: start `gopls serve` in its own process group, `initialize` on
 * the given folder, `initialized`, wait for the first diagnostics (or the settle time), then
 * `shutdown` and `exit`. It never throws, every step has a time limit, and no process it started
 * outlives it (except a telemetry uploader gopls itself starts in a new session). The process is
 * started through the host, which owns its process group and its cleanup.
 */

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 20_000;
export const DEFAULT_SETTLE_MS = 1_500;

/** Runs the handshake. Never throws. */
export async function goplsHandshake(options: GoplsHandshakeOptions): Promise<GoplsHandshakeResult> {
  const started = monotonicMs();
  const result: GoplsHandshakeResult = { outcome: 'ok', steps: [], diagnostics: [], messages: [], stderrTail: '', durationMs: 0 };
  try {
    await handshake(options, started, result);
  } catch (err) {
    // A bug of ours, not gopls's: still a result.
    result.outcome = 'error';
    result.error = `internal error: ${err instanceof Error ? err.message : String(err)}`;
  }
  result.durationMs = Math.round(monotonicMs() - started);
  return result;
}

async function handshake(options: GoplsHandshakeOptions, started: number, result: GoplsHandshakeResult): Promise<void> {
  if (options.signal?.aborted) {
    result.outcome = 'cancelled';
    result.error = 'cancelled before gopls was started';
    return;
  }
  const gopls = await spawnGopls(options, result);
  if (!gopls) return;
  const run = new HandshakeRun(
    gopls,
    result,
    started + (options.timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS),
    options.timeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
  );
  const onAbort = () => run.stop({ outcome: 'cancelled', error: 'cancelled' });
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const server = run.connect(path.resolve(options.folder));
    if (!(await initialize(run, server))) return;
    const initializedAt = await sendInitialized(run, server);
    if (initializedAt === undefined) return;
    await waitForFirstDiagnostics(run, server, initializedAt, options.settleMs ?? DEFAULT_SETTLE_MS);
    if (run.stopped) return run.fail(run.stopped);
    reportLoadAndDiagnostics(run, server, initializedAt);
    await shutdownAndExit(run, server);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await run.close();
  }
}
