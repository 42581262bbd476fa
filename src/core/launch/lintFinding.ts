import type { Node } from 'jsonc-parser';
import type { TextEdit } from './lintEdits';

export type LintSeverity = 'error' | 'warning' | 'info';

export interface LintFinding {
  file: string;
  line: number;
  column: number;
  offset: number;
  length: number;
  severity: LintSeverity;
  rule: string;
  /** One sentence: what is wrong and why. */
  message: string;
  /** A safe, mechanical fix. */
  fix?: { title: string; edits: TextEdit[] };
  source?: string;
}

export interface LintOptions {
  file: string;
  /** The Delve version the configurations run with (some knobs and defaults depend on it). */
  dlvVersion?: string;
  /** Labels of the tasks in tasks.json (for preLaunchTask). */
  taskLabels?: readonly string[];
  /** Whether something listens at host:port (for mode "remote" without a task); skipped when absent. */
  reachable?: (host: string, port: number) => Promise<boolean>;
  /** The source files a running headless dlv on loopback debugs (src/core/verify/remote.ts); skipped when absent. */
  serverSources?: (host: string, port: number) => Promise<string[] | undefined>;
  /** The workspace folder the file belongs to (for ${workspaceFolder} and "outside the workspace"). */
  workspaceFolder?: string;
}

export type Locate = (key: string, valueNode?: boolean) => Node;
export type Report = (target: Node, severity: LintSeverity, rule: string, message: string, extra?: Partial<LintFinding>) => void;
