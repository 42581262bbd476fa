import type { Session } from '../../core/session/session';

/**
 * The go and dlv the doctor selected (go.alternateTools.dlv, so a pinned dlv when installed), and
 * `dlvCommand`: how a file meant to be shared (tasks.json) names that dlv. A path inside this
 * user's VS Code profile breaks for anyone else once the file is committed, so the setting's
 * variable is written for go.alternateTools, the bare name for PATH and the absolute path only
 * when nothing portable finds it.
 */
export async function launchTools(session: Session): Promise<{ go?: string; dlv?: string; dlvVersion?: string; dlvCommand?: string }> {
  const facts = session.facts;
  const [go, dlv, version] = await Promise.all([facts.goLocation(), facts.dlvLocation(), facts.dlvVersion()]);
  const found = dlv.found;
  const alternate = session.options.settings?.alternateTools?.dlv;
  const dlvCommand = !found
    ? undefined
    : found.source === 'go.alternateTools' || found.path === alternate
      ? '${config:go.alternateTools.dlv}'
      : found.source === 'PATH'
        ? 'dlv'
        : found.path;
  return {
    ...(go.found ? { go: go.found.path } : {}),
    ...(found ? { dlv: found.path } : {}),
    ...(version?.value ? { dlvVersion: version.value.version } : {}),
    ...(dlvCommand ? { dlvCommand } : {}),
  };
}
