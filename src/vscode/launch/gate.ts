import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CheckResult } from '../../core/checks/types';
import { readSettings } from '../config';
import type { GateContext } from './offerInstall';

/**
 * F5's first step for `type: "go"`: when the dlv the Go extension would run cannot debug this
 * workspace (missing, too old for this Go, built with a pre-DWARF-5 Go), offer once to install the
 * pinned dlv and carry on; otherwise pass the configuration through untouched.
 *
 * It must run before the Go extension's own resolveDebugConfiguration, which stops the session
 * with its "install dlv" prompt (extension/src/goDebugConfiguration.ts). VS Code calls the
 * providers of a type in the order they were registered, and golang.go registers its provider only
 * after it has run `go env` and started gopls, so ours is registered synchronously in activate().
 */
export class DelveGate implements vscode.DebugConfigurationProvider {
  private pending: Promise<boolean> | undefined;

  constructor(private readonly gc: GateContext) {}

  async resolveDebugConfiguration(
    _folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    // Nothing of the workspace is run before it is trusted; a remote attach runs no local dlv.
    if (!vscode.workspace.isTrusted || (config.request === 'attach' && config.mode === 'remote') || !readSettings().offerInstallOnF5)
      return config;
    // Two quick presses of F5 share one offer.
    this.pending ??= this.ensureDelve().finally(() => (this.pending = undefined));
    return (await this.pending) ? config : undefined;
  }

  /** True when the session may go on: dlv is usable now, or the user chose to try anyway. */
  private async ensureDelve(): Promise<boolean> {
    const { delveBlockers } = await import('../../core/checks/delveReadiness');
    let blockers = delveBlockers(await this.gc.model.settled('F5'));
    // A pass is trusted only while the dlv it ran is still there (a file watcher can miss a removal).
    if (!blockers.length && (await dlvStillThere(this.gc.model.state.report?.probes ?? []))) return true;
    // The verdict may be older than the last install (golang.go's own, a terminal): look again first.
    await this.gc.model.refresh('F5 found dlv unusable');
    blockers = delveBlockers(this.gc.model.checks);
    if (!blockers.length) return true;
    const { offerDelveInstall } = await import('./offerInstall');
    return offerDelveInstall(this.gc, blockers, hasDlv(this.gc.model.checks));
  }
}

/** The dlv the last run asked for its version still exists (no dlv probe: nothing to doubt). */
async function dlvStillThere(probes: readonly { argv: string[] }[]): Promise<boolean> {
  const dlv = probes.find((p) => path.basename(p.argv[0] ?? '') === 'dlv' && p.argv[1] === 'version')?.argv[0];
  return (
    !dlv ||
    (await fs.stat(dlv).then(
      (st) => st.isFile(),
      () => false,
    ))
  );
}

const hasDlv = (checks: readonly CheckResult[]) => checks.find((c) => c.id === 'tools.dlv')?.status !== 'fail';
