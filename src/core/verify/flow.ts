import * as path from 'node:path';
import type { Host } from '../probes/host';
import { parseJsonc } from '../launch/merge';
import { getNodeValue } from 'jsonc-parser';
import { readLaunchJson, type GoSettings } from './config';
import { runVerify } from './engine';
import type { VerifyOptions, VerifyResult } from './result';
import type { FixPlan } from './fix';

export interface VerifyOutcome {
  before: VerifyResult;
  /** The second run, after the fix was written. */
  after?: VerifyResult;
  /** What was changed in launch.json (or would be, without --fix). */
  edit?: { file: string; diff: string; applied: string[]; manual: string[] };
  /** A one-line reason the configuration cannot be verified as given (exit 2). */
  usage?: string;
}

/** Verifies; with `fix`, applies the automatic fixes to that configuration only and verifies again. */
export async function verifyAndFix(options: VerifyOptions & { fix?: boolean }): Promise<VerifyOutcome> {
  const before = await runVerify(options);
  if (before.configError) return { before, usage: before.error! };
  const outcome: VerifyOutcome = { before };
  if (before.outcome !== 'fail' || !before.fixes.length || !before.launchFile) return outcome;
  const plan = await planFor(options.host, before);
  if (!plan) return outcome;
  outcome.edit = {
    file: before.launchFile,
    diff: plan.diff,
    applied: plan.applied.map((f) => f.label),
    manual: plan.manual.map((f) => f.label),
  };
  if (!options.fix || !plan.changed) return outcome;
  const { writeFix } = await import('./fix');
  await writeFix(before.launchFile, plan);
  const { launch: _unused, ...rest } = options;
  const after = await runVerify({ ...rest, config: before.config });
  after.fixed = after.outcome === 'pass';
  outcome.after = after;
  return outcome;
}

/** The insert-only edit of launch.json that the result's fixes call for. */
export async function planFor(host: Host, result: VerifyResult): Promise<FixPlan | undefined> {
  if (!result.launchFile) return undefined;
  const text = await host.readText(result.launchFile);
  if (text === undefined) return undefined;
  // Loaded only when there is something to fix: a pass does not pay for the editor (or node:crypto).
  const { planFix } = await import('./fix');
  return planFix(text, result.config, result.fixes, path.join('.vscode', 'launch.json'));
}

/** go.delveConfig and go.toolsEnvVars from the folder's .vscode/settings.json (the CLI has no editor to ask). */
export async function readGoSettings(host: Host, folder: string): Promise<GoSettings> {
  const text = await host.readText(path.join(folder, '.vscode', 'settings.json'));
  if (!text) return {};
  let value: unknown;
  try {
    const root = parseJsonc(text);
    value = root ? getNodeValue(root) : undefined;
  } catch {
    return {};
  }
  if (!value || typeof value !== 'object') return {};
  const settings = value as Record<string, unknown>;
  const object = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const delveConfig = object(settings['go.delveConfig']);
  const tools = object(settings['go.toolsEnvVars']);
  return {
    ...(delveConfig ? { delveConfig } : {}),
    ...(tools
      ? { toolsEnvVars: Object.fromEntries(Object.entries(tools).filter(([, v]) => typeof v === 'string')) as Record<string, string> }
      : {}),
  };
}

export { readLaunchJson };
