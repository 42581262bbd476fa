import type { SessionStep } from '../dap/steps';
import type { Host } from '../probes/host';
import type { GoSettings, LaunchJson } from './config';
import type { BreakpointSpec } from './defaults';
import type { PathMapping, SubstituteEntry } from './pathMapping';

export type VerifyStepId =
  | 'resolve'
  | 'start'
  | 'connect'
  | 'initialize'
  | 'launch'
  | 'attach'
  | 'sources'
  | 'setBreakpoints'
  | 'configurationDone'
  | 'stopped'
  | 'disconnect'
  | 'diagnose';

export type VerifyStep = SessionStep<VerifyStepId>;

export type BreakpointReason =
  | 'symlink'
  | 'trimpath'
  | 'build-root'
  | 'build-tag'
  | 'goos-suffix'
  | 'test-file'
  | 'test-package'
  | 'no-statement'
  | 'line-directive'
  | 'stripped'
  | 'not-in-binary'
  | 'not-hit'
  | 'session-failed';

export interface VerifyBreakpoint {
  file: string;
  line: number;
  verified: boolean;
  hit: boolean;
  /** Delve's own words when it did not bind the breakpoint. */
  message?: string;
  reason?: BreakpointReason;
  /** The cause in one sentence. */
  cause?: string;
  /** The line Delve moved the breakpoint to, when it moved it. */
  boundLine?: number;
}

export interface VerifyFix {
  label: string;
  /** The launch.json attribute it changes: substitutePath, buildFlags, env.GOOS… */
  attribute: string;
  value: unknown;
  /** False when the change would overwrite something the user wrote: shown, never applied. */
  automatic: boolean;
}

export interface VerifyDiagnosis {
  id: string;
  cause: string;
  fix: string;
  source?: string;
}

export interface VerifyResult {
  config: string;
  request: string;
  mode: string;
  outcome: 'pass' | 'fail' | 'cancelled';
  steps: VerifyStep[];
  breakpoints: VerifyBreakpoint[];
  pathMapping: Omit<PathMapping, 'substitutePath' | 'missing' | 'kind'> & { substitutePath: SubstituteEntry[] };
  fixes: VerifyFix[];
  /** Set by the --fix flow: the configuration was changed and the second run passed. */
  fixed: boolean;
  diagnoses: VerifyDiagnosis[];
  /** What stopped the session early (a launch that failed, a server that did not answer). */
  error?: string;
  /** The configuration could not be read or run as written (launch.json, names, hosts): a usage error. */
  configError?: boolean;
  /** The remote server verify connected to (never stopped by verify). */
  server?: string;
  launchFile?: string;
  durationMs: number;
}

export interface VerifyOptions {
  host: Host;
  /** The workspace folder as the editor opened it. */
  folder: string;
  config?: string;
  /** launch.json already read (VS Code passes the editor's view); read from the folder otherwise. */
  launch?: LaunchJson;
  breakpoints?: BreakpointSpec[];
  dlv: string;
  go: string;
  settings?: GoSettings;
  activeFile?: string;
  /** Budget for the build inside launch and for reaching the breakpoint (default 120 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  onStep?: (step: VerifyStep) => void;
  /**
   * Asked when the configuration makes other programs run (programsRunBy: -toolexec, a CC, dlv's
   * --init…): true to go on. Without it, such a configuration is not run.
   */
  allowPrograms?: (what: readonly string[]) => Promise<boolean>;
}
