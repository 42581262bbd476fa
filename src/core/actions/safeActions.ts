/**
 * Fixes Go Debug Doctor can carry out itself, after asking. Shared by the checks, the Delve error
 * table, the self-test and every view, so it depends on nothing.
 */
export const SAFE_ACTIONS = ['installDlv', 'generateLaunch', 'openSettings', 'runChecks'] as const;
export type SafeActionId = (typeof SAFE_ACTIONS)[number];

/** What an action needs to do exactly what its fix says. */
export interface ActionData {
  /** installDlv: this Delve release (e.g. 1.27.2), instead of asking which. */
  dlvVersion?: string;
}
