import type { Check, CheckResult } from './types';

const PASSING = new Set(['pass', 'warn']);

const PLATFORM_NAMES: Partial<Record<NodeJS.Platform, string>> = { darwin: 'macOS', linux: 'Linux', win32: 'Windows' };

export interface RunContext {
  /** The platform of the machine checked (a replayed Mac is darwin on any machine). */
  platform: NodeJS.Platform;
}

/**
 * Runs every check concurrently. A check waits only for the checks it requires; the probes behind
 * them are shared through the context, so each runs once. A check that throws becomes an `error`
 * result: one broken check never stops the others.
 */
export async function runChecks<Ctx>(
  checks: readonly Check<Ctx>[],
  ctx: Ctx,
  run: RunContext = { platform: process.platform },
): Promise<CheckResult[]> {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const running = new Map<string, Promise<CheckResult>>();
  const start = (check: Check<Ctx>): Promise<CheckResult> => {
    let result = running.get(check.id);
    if (!result) {
      result = runOne(check);
      running.set(check.id, result);
    }
    return result;
  };
  const runOne = async (check: Check<Ctx>): Promise<CheckResult> => {
    if (check.platforms && !check.platforms.includes(run.platform)) {
      const names = check.platforms.map((p) => PLATFORM_NAMES[p] ?? p).join(' and ');
      return {
        id: check.id,
        title: check.title,
        status: 'skip',
        summary: `${names} only; this machine runs ${run.platform}.`,
        applies: false,
        evidence: [],
        fixes: [],
        durationMs: 0,
      };
    }
    const needed = (check.requires ?? []).map((id) => byId.get(id)).filter((c): c is Check<Ctx> => c !== undefined);
    const prerequisites = await Promise.all(needed.map(start));
    const blocked = prerequisites.filter((r) => !PASSING.has(r.status));
    const started = performance.now();
    const base = { id: check.id, title: check.title };
    if (blocked.length > 0) {
      return {
        ...base,
        status: 'skip',
        summary: `Skipped: needs ${blocked.map((r) => `"${r.title}"`).join(' and ')} to pass first.`,
        evidence: [],
        fixes: [],
        durationMs: 0,
      };
    }
    try {
      const outcome = await check.run(ctx);
      return { ...base, evidence: [], fixes: [], ...outcome, durationMs: Math.round(performance.now() - started) };
    } catch (err) {
      return {
        ...base,
        status: 'error',
        summary: `The check itself failed: ${err instanceof Error ? err.message : String(err)}`,
        evidence: [],
        fixes: [],
        durationMs: Math.round(performance.now() - started),
      };
    }
  };
  return Promise.all(checks.map(start));
}
