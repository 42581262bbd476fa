import { monotonicMs } from '../probes/clock';
import { goplsVersionFromServerInfo } from './goplsMessages';
import type { ServerEvents } from './serverEvents';
import { describeExit, elapsed, sleep, type HandshakeRun } from './handshakeRun';

/** Per-step caps; each is further cut to what is left of the whole deadline. */
const INITIALIZE_CAP_MS = 10_000;
const SHUTDOWN_CAP_MS = 5_000;
const EXIT_GRACE_MS = 2_000;
/** More diagnostics usually follow the first within milliseconds (one notification per file). */
const DIAGNOSTIC_BURST_MS = 150;
/** Time kept back from the deadline for shutdown and exit when waiting for a slow workspace load. */
const SHUTDOWN_RESERVE_MS = 3_000;

/** `initialize` on the folder; keeps the server's name and the gopls release it reports. */
export async function initialize(run: HandshakeRun, server: ServerEvents): Promise<boolean> {
  const t = monotonicMs();
  const init = await run.race(
    server.connection.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'go-debug-doctor' },
      rootUri: server.folderUri,
      workspaceFolders: [{ uri: server.folderUri, name: server.folderName }],
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, workspaceFolders: true },
        textDocument: { publishDiagnostics: {} },
      },
    }) as Promise<{ serverInfo?: { name?: string; version?: string } } | null>,
    INITIALIZE_CAP_MS,
    'no answer to initialize',
  );
  if ('stop' in init) {
    run.step('initialize', false, t, init.stop.error);
    run.fail(init.stop);
    return false;
  }
  const info = init.value?.serverInfo;
  const result = run.result;
  if (info && typeof info.name === 'string') {
    result.serverInfo = { name: info.name, ...(typeof info.version === 'string' ? { version: info.version } : {}) };
    const version = goplsVersionFromServerInfo(info.version);
    if (version) result.goplsVersion = version;
  }
  run.step('initialize', true, t, info ? `${info.name ?? 'server'} ${result.goplsVersion ?? ''}`.trim() : 'no serverInfo');
  return true;
}

/** The `initialized` notification; when it was sent, or undefined when the run stopped. */
export async function sendInitialized(run: HandshakeRun, server: ServerEvents): Promise<number | undefined> {
  run.phase = 'initialized';
  const t = monotonicMs();
  const sent = await run.race(server.connection.sendNotification('initialized', {}), 1_000, 'could not send initialized');
  if ('stop' in sent) {
    run.step('initialized', false, t, sent.stop.error);
    run.fail(sent.stop);
    return undefined;
  }
  run.step('initialized', true, t);
  return monotonicMs();
}

/** Waits for the initial workspace load, then the first diagnostics (and their burst) or the settle time. */
export async function waitForFirstDiagnostics(
  run: HandshakeRun,
  server: ServerEvents,
  initializedAt: number,
  settleMs: number,
): Promise<void> {
  run.phase = 'the wait for the workspace load and diagnostics';
  const loadLimit = () => run.deadline - Math.min(SHUTDOWN_RESERVE_MS, run.timeoutMs / 4);
  const { load } = server;
  for (;;) {
    if (run.stopped) return;
    const now = monotonicMs();
    let until: number;
    if (server.firstDiagnosticsAt !== undefined) {
      // Collect the burst of per-file notifications that follows the first.
      until = Math.min(server.lastDiagnosticsAt + DIAGNOSTIC_BURST_MS, server.firstDiagnosticsAt + settleMs);
    } else if (load.beganAt !== undefined && load.endedAt === undefined) {
      until = loadLimit();
    } else {
      until = (load.endedAt ?? initializedAt) + settleMs;
    }
    until = Math.min(until, loadLimit());
    if (now >= until) return;
    await run.race(server.nextEvent(), until - now, 'wait');
  }
}

export function reportLoadAndDiagnostics(run: HandshakeRun, server: ServerEvents, initializedAt: number): void {
  const { load } = server;
  if (load.beganAt !== undefined) {
    const ended = load.endedAt !== undefined;
    const failed = ended && /^error/i.test(load.endMessage ?? '');
    run.result.steps.push({
      name: 'workspace load',
      ok: ended && !failed,
      ms: Math.round((load.endedAt ?? monotonicMs()) - load.beganAt),
      detail: ended ? load.endMessage || 'done' : `still loading after ${elapsed(load.beganAt)} ms`,
    });
  }
  const files = [...server.diagnostics.entries()];
  run.result.diagnostics = files.map(([uri, count]) => ({ uri, count }));
  const total = files.reduce((sum, [, n]) => sum + n, 0);
  const first = server.firstDiagnosticsAt;
  run.result.steps.push({
    name: 'diagnostics',
    ok: true,
    ms: Math.round((first ?? monotonicMs()) - initializedAt),
    detail:
      first !== undefined
        ? `first after ${Math.round(first - initializedAt)} ms: ${total} in ${files.length} file(s)`
        : `none published within ${elapsed(initializedAt)} ms`,
  });
}

/** `shutdown`, then `exit`: gopls must end by itself, with code 0. */
export async function shutdownAndExit(run: HandshakeRun, server: ServerEvents): Promise<void> {
  run.phase = 'shutdown';
  let t = monotonicMs();
  const down = await run.race(server.connection.sendRequest('shutdown'), SHUTDOWN_CAP_MS, 'no answer to shutdown');
  if ('stop' in down) {
    run.step('shutdown', false, t, down.stop.error);
    return run.fail(down.stop);
  }
  run.step('shutdown', true, t);

  t = monotonicMs();
  run.exiting = true;
  try {
    await server.connection.sendNotification('exit');
  } catch {
    // the process may already be going: judged by its exit below
  }
  const grace = Math.max(0, Math.min(EXIT_GRACE_MS, run.remaining()));
  const exit = await Promise.race([run.gopls.exited, sleep(grace).then(() => undefined)]);
  if (!exit) {
    run.step('exit', false, t, `still running ${Math.round(grace)} ms after exit: killed`);
    return run.fail({ outcome: 'timeout', error: `gopls did not exit within ${Math.round(grace)} ms of the exit notification` });
  }
  const clean = exit.code === 0;
  run.step('exit', clean, t, describeExit(exit));
  if (!clean) run.fail({ outcome: 'error', error: `gopls ${describeExit(exit)} after shutdown and exit` });
}
