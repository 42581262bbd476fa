import * as vscode from 'vscode';
import { countStatuses, type CheckResult, type CheckStatus } from '../../core/checks/types';
import type { DoctorReport, ProbeSummary } from '../../core/checks/doctor';

export interface HealthState {
  report?: DoctorReport;
  /** Rows from outside the doctor's run, by id: the debug self-test, the gopls handshake, the last session's Delve error. */
  extra: ReadonlyMap<string, CheckResult>;
  /** Commands those rows ran (the self-test's), for the diagnostics report. */
  extraProbes: readonly ProbeSummary[];
  /** When the last run finished. */
  checkedAt?: Date;
  running: boolean;
  /** Why the last run could not finish (an exception in our code, never a failed probe). */
  error?: string;
}

/**
 * The last results, kept so that the panel and the status bar show them at once. A refresh
 * requested while one runs is folded into one more run after it, never run side by side.
 */
export class HealthModel implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HealthState>();
  readonly onDidChange = this.changed.event;
  private current: HealthState = { running: false, extra: new Map(), extraProbes: [] };
  private inFlight: Promise<void> | undefined;
  /** The run that follows the one in progress (a change came while it ran). */
  private queued: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Why a refresh is scheduled (refreshSoon) and has not started yet. */
  private scheduled: string | undefined;

  constructor(
    private readonly runChecks: () => Promise<DoctorReport>,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get state(): HealthState {
    return this.current;
  }

  /** All rows: the doctor's checks, then the others in the order they first came. */
  get checks(): CheckResult[] {
    return [...(this.current.report?.checks ?? []), ...this.current.extra.values()];
  }

  counts(): Record<CheckStatus, number> {
    return countStatuses(this.checks);
  }

  /** Runs the checks now (or right after the run in progress) and resolves when results are in. */
  refresh(reason: string): Promise<void> {
    clearTimeout(this.timer);
    this.scheduled = undefined;
    if (this.inFlight) {
      // The run in progress may have read the settings and files before this change: whoever asks
      // now waits for the run after it, which sees the change.
      return (this.queued ??= this.inFlight.then(() => {
        this.queued = undefined;
        return this.refresh(reason);
      }));
    }
    this.log.info(`checking (${reason})`);
    this.set({ running: true });
    this.inFlight = this.runChecks()
      .then((report) => this.set({ report, checkedAt: new Date(), running: false, error: undefined }))
      .catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        this.log.error(`checks failed: ${message}`);
        this.set({ running: false, error: message });
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /**
   * The checks of a finished run that saw every change so far: a scheduled run starts now, one in
   * progress is awaited, else the last one counts (or a first run starts).
   */
  async settled(reason: string): Promise<CheckResult[]> {
    if (this.scheduled) await this.refresh(this.scheduled);
    if (this.queued) await this.queued;
    else if (this.inFlight) await this.inFlight;
    if (!this.current.report) await this.refresh(reason);
    return this.checks;
  }

  /** Coalesces bursts (a save that touches go.mod and go.sum, a settings sync) into one run. */
  refreshSoon(reason: string, delayMs = 750): void {
    clearTimeout(this.timer);
    this.scheduled = reason;
    this.timer = setTimeout(() => void this.refresh(reason), delayMs);
  }

  /** The commands of the last self-test (they replace the previous one's). */
  setExtraProbes(probes: readonly ProbeSummary[]): void {
    this.set({ extraProbes: probes });
  }

  setRow(row: CheckResult): void {
    this.set({ extra: new Map(this.current.extra).set(row.id, row) });
  }

  private set(patch: Partial<HealthState>): void {
    this.current = { ...this.current, ...patch };
    this.changed.fire(this.current);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}
