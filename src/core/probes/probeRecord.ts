/** How a probe ended. A non-zero exit is a result, never an exception. */
export type ProbeOutcome = 'ok' | 'exit' | 'not-found' | 'timeout' | 'cancelled' | 'error';

export interface ProbeRecord {
  argv: string[];
  cwd?: string;
  outcome: ProbeOutcome;
  exitCode: number | null;
  signal?: string;
  stdout: string;
  stderr: string;
  /** True when output was cut at the byte limit (the process was then killed). */
  truncated?: boolean;
  /** Human-readable cause for not-found, timeout, cancelled and error. */
  error?: string;
  /**
   * Descendants that still held the output open after the process itself had ended (a background
   * child, or one that left the process group with setsid): what was killed and what could not be.
   */
  leftovers?: string;
  durationMs: number;
}
