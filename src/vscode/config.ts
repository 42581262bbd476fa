import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ToolSettings } from '../core/facts/discovery';
import type { PresetName } from '../core/launch/generate';
import { BACKENDS, CUSTOM_PROFILE, DEFAULT_OPTIONS, PROFILE_IDS, type Backend, type CustomProfile } from '../core/session/options';
import { SETTINGS_SECTION } from './ids';

export type StatusBarVisibility = 'always' | 'goWorkspaces' | 'never';

/** Our settings (package.json `contributes.configuration`), read and checked in one place. */
export interface DoctorSettings {
  checkOnStartup: boolean;
  profile: string;
  customProfile?: CustomProfile;
  backend: Backend;
  probeTimeoutMs: number;
  /** Only the user's own value, never a workspace's (it decides where a binary is built and run from). */
  dlvInstallFolder?: string;
  debugPreset: PresetName;
  statusBarVisibility: StatusBarVisibility;
  /** F5 offers to install a dlv that can debug the workspace before the Go extension would fail. */
  offerInstallOnF5: boolean;
}

const VISIBILITY: readonly StatusBarVisibility[] = ['always', 'goWorkspaces', 'never'];
/** Checked against core/launch/generate's PresetName; written here so reading settings does not load launch generation. */
const PRESET_NAMES = ['fast', 'deep', 'none'] as const satisfies readonly PresetName[];

/** A value of the wrong type or outside the allowed ones counts as unset: the default applies. */
function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export function readSettings(): DoctorSettings {
  const ours = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const custom = ours.get<CustomProfile>('customProfile');
  const timeout = ours.get<number>('probeTimeoutMs');
  const folder = ours.inspect<string>('dlvInstallFolder')?.globalValue;
  return {
    checkOnStartup: ours.get<boolean>('checkOnStartup', true) !== false,
    profile: oneOf(ours.get('profile'), [...PROFILE_IDS, CUSTOM_PROFILE], DEFAULT_OPTIONS.profile),
    ...(custom && typeof custom === 'object' && Object.keys(custom).length ? { customProfile: custom } : {}),
    backend: oneOf(ours.get('backend'), BACKENDS, DEFAULT_OPTIONS.backend),
    probeTimeoutMs: typeof timeout === 'number' && Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_OPTIONS.timeoutMs,
    ...(folder ? { dlvInstallFolder: folder } : {}),
    debugPreset: oneOf<PresetName>(ours.get('debugPreset'), PRESET_NAMES, 'fast'),
    statusBarVisibility: oneOf(ours.get('statusBar.visibility'), VISIBILITY, 'goWorkspaces'),
    offerInstallOnF5: ours.get<boolean>('offerInstallOnF5', true) !== false,
  };
}

/** Our own folder for the pinned dlv: VS Code's global storage for this extension unless the user chose another. */
export function dlvInstallFolder(context: vscode.ExtensionContext, settings: DoctorSettings = readSettings()): string {
  const configured = settings.dlvInstallFolder;
  return configured ? configured.replace(/^~(?=$|\/)/, process.env.HOME ?? '~') : path.join(context.globalStorageUri.fsPath, 'bin');
}

/** The Go extension's settings that decide which binaries it runs; workspace values only when trusted. */
export function goToolSettings(folder: vscode.WorkspaceFolder | undefined): ToolSettings {
  const go = vscode.workspace.getConfiguration('go', folder?.uri);
  const pick = <T>(key: string): T | undefined => {
    const inspected = go.inspect<T>(key);
    if (!inspected) return undefined;
    if (vscode.workspace.isTrusted) return go.get<T>(key);
    // In an untrusted workspace, a workspace could point us at a binary of its choosing: use only
    // the user's own values.
    return inspected.globalValue ?? inspected.defaultValue;
  };
  const settings: ToolSettings = {};
  const alternateTools = pick<Record<string, string>>('alternateTools');
  if (alternateTools && Object.keys(alternateTools).length) settings.alternateTools = alternateTools;
  for (const key of ['goroot', 'toolsGopath', 'gopath'] as const) {
    const value = pick<string>(key);
    if (value) settings[key] = value;
  }
  return settings;
}
