import type { CheckResult } from '../checks/types';
import { goplsHandshake } from '../lsp/goplsHandshake';
import type { GoplsHandshakeResult } from '../lsp/handshakeTypes';
import type { Session } from '../session/session';
import { goplsHandshakeCheck, selfTestInputs } from './selfTestCheck';
import { runSelfTest, type SelfTestOptions, type SelfTestResult } from './selftest';

export interface DebugSelfTestOptions {
  /** Also start gopls on the workspace (only when the session has one: in VS Code, a trusted one). */
  gopls: boolean;
  keep?: boolean;
  timeouts?: SelfTestOptions['timeouts'];
  signal?: AbortSignal;
  onStep?: SelfTestOptions['onStep'];
  /** The gopls handshake's row, as soon as it is known (it runs beside the debug session). */
  onGopls?: (result: GoplsHandshakeResult, row: CheckResult) => void;
}

export type DebugSelfTestOutcome =
  { missing: string } | { result: SelfTestResult; gopls?: { path: string; result: GoplsHandshakeResult; row: CheckResult } };

/**
 * "Can I debug here?": the debug session through the session's go and dlv and, beside it, the gopls
 * handshake on the workspace. The CLI and VS Code only present what this returns.
 */
export async function debugSelfTest(session: Session, options: DebugSelfTestOptions): Promise<DebugSelfTestOutcome> {
  const { facts, host, workspace } = session;
  const inputs = await selfTestInputs(facts);
  if ('missing' in inputs) return inputs;
  const goplsPath = options.gopls && workspace ? (await facts.goplsLocation()).found?.path : undefined;
  const signal = options.signal ? { signal: options.signal } : {};
  const handshake =
    goplsPath && workspace
      ? goplsHandshake({ host, gopls: goplsPath, folder: workspace, ...signal }).then((result) => {
          const row = goplsHandshakeCheck(result, goplsPath);
          options.onGopls?.(result, row);
          return { path: goplsPath, result, row };
        })
      : undefined;
  const backend = session.options.backend;
  const result = await runSelfTest({
    host,
    ...inputs,
    ...(backend !== 'default' ? { backend } : {}),
    ...(options.keep ? { keep: true } : {}),
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.onStep ? { onStep: options.onStep } : {}),
    ...signal,
  });
  const gopls = await handshake;
  return { result, ...(gopls ? { gopls } : {}) };
}
