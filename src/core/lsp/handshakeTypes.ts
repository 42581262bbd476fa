// What a gopls handshake is asked, and what it answers.
import type { Host } from '../probes/host';

export interface GoplsHandshakeOptions {
  /** Starts `gopls serve` (so it is recorded and listed); default: this machine with `env`. */
  host?: Host;
  /** The gopls binary (a path, or a name looked up on the PATH of `env`). */
  gopls: string;
  /** The workspace folder handed to gopls as rootUri and the only workspace folder. */
  folder: string;
  /** Without a host: the complete environment of gopls (default: this process's). Nothing is added to it. */
  env?: Record<string, string | undefined>;
  /** The whole probe, cleanup included except the last kill (default 20 000 ms). */
  timeoutMs?: number;
  /**
   * How long to wait for the first diagnostics after the initial workspace load ended (or, when
   * gopls reports no load progress, after `initialized`). Default 1500 ms.
   */
  settleMs?: number;
  signal?: AbortSignal;
}

export type GoplsHandshakeOutcome = 'ok' | 'not-found' | 'crashed' | 'timeout' | 'cancelled' | 'error';

export interface GoplsHandshakeStep {
  name: string;
  ok: boolean;
  ms: number;
  detail?: string;
}

export interface GoplsHandshakeMessage {
  type: 'error' | 'warning' | 'info' | 'log';
  text: string;
}

export interface GoplsHandshakeResult {
  /**
   * 'ok': gopls answered `initialize` and `shutdown` and exited after `exit`. The workspace-load
   * and diagnostics steps are reported in `steps` but do not decide the outcome.
   */
  outcome: GoplsHandshakeOutcome;
  /** As the server sent it; gopls puts its build information, as JSON, in `version`. */
  serverInfo?: { name: string; version?: string };
  /** The gopls release read from serverInfo.version, e.g. v0.23.0. */
  goplsVersion?: string;
  steps: GoplsHandshakeStep[];
  /** Latest diagnostic count per file, in the order the files were first reported. */
  diagnostics: { uri: string; count: number }[];
  /** window/showMessage, window/showMessageRequest and window/logMessage of type Error. */
  messages: GoplsHandshakeMessage[];
  /** gopls's own "Go too old" message, verbatim (see matchGoTooOld). */
  goTooOld?: string;
  /** The last ~8 KB gopls wrote to stderr. */
  stderrTail: string;
  error?: string;
  durationMs: number;
}
