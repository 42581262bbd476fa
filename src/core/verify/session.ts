import { promises as fs } from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DapClient } from '../dap/client';
import { acceptsConnection } from '../dap/loopback';
import { killChildrenUntilDead, killProcessesRunning } from '../probes/processGroup';
import type { ServerHandle } from '../probes/server';
import type { ResolvedConfig } from './config';
import type { VerifyBreakpoint, VerifyStep } from './result';

export const REQUEST_MS = 15_000;

/** What one verify run holds open: the DAP connection, the dlv it started, its build folder. */
export interface Session {
  config: ResolvedConfig;
  client?: DapClient;
  server?: ServerHandle;
  outputDir?: string;
  sources?: string[];
  stoppedThread?: number;
  /** Everything Delve said on its console and stderr. */
  said(): string;
}

/**
 * Waits for the program to stop; a stop at one of our breakpoints other than the first is noted
 * and the program continued, until the first is reached, the program ends or time runs out.
 */
export async function waitForHits(
  dap: DapClient,
  rows: VerifyBreakpoint[],
  responses: Map<number, DebugProtocol.Breakpoint>,
  budgetMs: number,
  session: Session,
): Promise<number[]> {
  const hits: number[] = [];
  const deadline = Date.now() + budgetMs;
  for (let stops = 0; stops < 20; stops++) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const event = await dap
      .waitForEvent<DebugProtocol.StoppedEvent | DebugProtocol.TerminatedEvent | DebugProtocol.ExitedEvent>(
        ['stopped', 'terminated', 'exited'],
        left,
      )
      .catch(() => undefined);
    // No event because the connection is gone (the adapter crashed, or sent what is not DAP): that,
    // not "the program ended", is what happened.
    if (!event && dap.failure) throw dap.failure;
    if (!event || event.event !== 'stopped') break;
    const stopped = event as DebugProtocol.StoppedEvent;
    const thread = stopped.body.threadId ?? 1;
    session.stoppedThread = thread;
    const ids = stopped.body.hitBreakpointIds ?? [];
    let matched = rows.map((_, i) => i).filter((i) => responses.get(i)?.id !== undefined && ids.includes(responses.get(i)!.id!));
    if (!matched.length) {
      const frames = await dap
        .request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: thread, levels: 1 }, REQUEST_MS)
        .catch(() => undefined);
      const top = frames?.body.stackFrames[0];
      matched = rows
        .map((_, i) => i)
        .filter((i) => top && top.source?.path === rows[i]!.file && top.line === (responses.get(i)?.line ?? rows[i]!.line));
    }
    for (const i of matched) if (!hits.includes(i)) hits.push(i);
    if (hits.includes(0) || stopped.body.reason === 'exception' || stopped.body.reason === 'panic') break;
    session.stoppedThread = undefined;
    await dap.request('continue', { threadId: thread }, REQUEST_MS).catch(() => undefined);
  }
  return hits;
}

/** Disconnects: a program verify launched ends with dlv; a remote server is left running, its program continued. */
export async function endSession(session: Session, steps: VerifyStep[], onStep?: (s: VerifyStep) => void): Promise<void> {
  const t0 = performance.now();
  const { client, server, config } = session;
  let detail = '';
  // A peer that never answered anything gets a short goodbye, and a lost connection none at all.
  const answered = client?.transcript.some((m) => m.dir === '<-' && m.message.type === 'response');
  const goodbyeMs = answered ? 5_000 : 1_000;
  try {
    if (client?.failure) detail = 'the connection was already lost';
    else if (client) {
      if (config.mode === 'remote') {
        // Leave the user's program as we found it: no breakpoints of ours, running.
        const files = new Set<string>();
        for (const m of client.transcript)
          if (m.dir === '->' && (m.message as DebugProtocol.Request).command === 'setBreakpoints')
            files.add((m.message as DebugProtocol.SetBreakpointsRequest).arguments.source.path ?? '');
        for (const file of files)
          await client.request('setBreakpoints', { source: { path: file }, breakpoints: [] }, goodbyeMs).catch(() => undefined);
        if (session.stoppedThread !== undefined)
          await client.request('continue', { threadId: session.stoppedThread }, goodbyeMs).catch(() => undefined);
        await client.request('disconnect', { terminateDebuggee: false }, goodbyeMs).catch(() => undefined);
        detail = 'disconnected; the server keeps running';
      } else {
        // Delve kills the program, then polls wait4 with a 200 ms sleep whenever the program is not
        // a zombie yet at its first look (go-delve/delve pkg/proc/native/proc_linux.go, wait): 6 of 20
        // verifies paid 200 ms there. Killed here first, the program is reaped at once.
        if (server) await killChildrenUntilDead(server.pid, 200);
        await client.request('disconnect', { terminateDebuggee: true }, goodbyeMs).catch(() => undefined);
        detail = 'program ended';
      }
    }
  } finally {
    client?.close();
    await server?.stop();
    if (session.outputDir) {
      killProcessesRunning((exe) => exe.startsWith(`${session.outputDir}/`));
      await fs.rm(session.outputDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  }
  if (client) {
    const s: VerifyStep = { id: 'disconnect', ok: true, durationMs: Math.round(performance.now() - t0), detail };
    steps.push(s);
    onStep?.(s);
  }
}

/** True when the server still accepts a connection besides ours (a multi-client Delve). */
export function acceptsAnotherClient(address: string, port: number): Promise<boolean> {
  return acceptsConnection(address, port, 1_000);
}
