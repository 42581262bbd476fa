/**
 * The ids this extension contributes (package.json `contributes`), written once. Changing one here
 * means changing package.json too: they are the user's keybindings and settings.
 */
export const COMMAND = {
  runChecks: 'goDebugDoctor.runChecks',
  showPanel: 'goDebugDoctor.showPanel',
  generateLaunch: 'goDebugDoctor.generateLaunch',
  installDlv: 'goDebugDoctor.installDlv',
  selfTest: 'goDebugDoctor.selfTest',
  copyReport: 'goDebugDoctor.copyReport',
  showLog: 'goDebugDoctor.showLog',
  runFix: 'goDebugDoctor.runFix',
  copyFixCommand: 'goDebugDoctor.copyFixCommand',
  verify: 'goDebugDoctor.verify',
  setUp: 'goDebugDoctor.setUp',
} as const;

export type CommandName = keyof typeof COMMAND;

export const HEALTH_VIEW = 'goDebugDoctor.health';
/** VS Code's own command that focuses a view: `<view id>.focus`. */
export const HEALTH_VIEW_FOCUS = `${HEALTH_VIEW}.focus`;
export const STATUS_ITEM = 'goDebugDoctor.status';
/** The `when` context key for the panel's welcome text. */
export const GO_WORKSPACE_CONTEXT = 'goDebugDoctor.goWorkspace';
/** The configuration section of our settings. */
export const SETTINGS_SECTION = 'goDebugDoctor';
/** globalState: the user chose "Don't Show Again" on the failure notification. */
export const DONT_NOTIFY_KEY = 'goDebugDoctor.dontNotify';
