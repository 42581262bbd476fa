import type { Fix } from '../core/checks/types';
import type { DlvRequest } from '../core/install/plan';

/** The arguments that make the action do what the fix says: "Install Delve 1.27.2" installs 1.27.2. */
export function actionArguments(fix: Pick<Fix, 'action' | 'data'>): unknown[] {
  if (fix.action === 'installDlv' && fix.data?.dlvVersion) {
    const request: DlvRequest = { kind: 'version', version: `v${fix.data.dlvVersion.replace(/^v/, '')}` };
    return [request];
  }
  return [];
}
