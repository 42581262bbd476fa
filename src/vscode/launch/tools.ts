import type { Session } from '../../core/session/session';

/** The go and dlv the doctor selected (go.alternateTools.dlv, so a pinned dlv when installed). */
export async function launchTools(session: Session): Promise<{ go?: string; dlv?: string; dlvVersion?: string }> {
  const facts = session.facts;
  const [go, dlv, version] = await Promise.all([facts.goLocation(), facts.dlvLocation(), facts.dlvVersion()]);
  return { go: go.found?.path, dlv: dlv.found?.path, dlvVersion: version?.value?.version };
}
