import type { Facts } from '../facts/facts';
import type { GoEnv } from '../facts/parsers';
import { moduleSettingsFindings, type ModuleFinding } from './moduleSettings';
import { planDlvInstall, type DlvInstallPlan, type DlvRequest } from './plan';

export type PreparedInstall =
  | { ok: true; plan: DlvInstallPlan; go: string; goEnv: GoEnv; findings: ModuleFinding[] }
  | { ok: false; reason: string; alternative?: string; findings: ModuleFinding[] };

/** Everything an install needs from the doctor's facts: the go command, its settings, and the plan. */
export async function prepareDlvInstall(facts: Facts, request: DlvRequest, force = false): Promise<PreparedInstall> {
  const [location, env, local, effective] = await Promise.all([facts.goLocation(), facts.goEnv(), facts.goVersion(), facts.effectiveGo()]);
  const go = location.found?.path;
  if (!go)
    return {
      ok: false,
      reason: 'go was not found, and dlv is built with it.',
      alternative: 'Install Go from https://go.dev/dl/',
      findings: [],
    };
  const goEnv = env?.value;
  const localGo = local?.value?.version;
  if (!goEnv || !localGo || !effective)
    return { ok: false, reason: `${go} did not answer \`go env -json\` usefully, so the install cannot be planned.`, findings: [] };
  const findings = moduleSettingsFindings(goEnv);
  if (effective.blocked)
    return { ok: false, reason: `${effective.reason} The workspace cannot be built, so there is nothing to debug yet.`, findings };
  const planned = planDlvInstall(request, {
    programGo: effective.version,
    localGo,
    force,
    platform: facts.host.platform,
    backend: facts.backend,
  });
  return planned.ok ? { ok: true, plan: planned.plan, go, goEnv, findings } : { ...planned, findings };
}
