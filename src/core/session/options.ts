import profileData from '../knowledge/profiles.json';
import type { ToolSettings } from '../facts/discovery';
import { DEFAULT_TIMEOUT_MS } from '../probes/limits';

/**
 * The options every use case runs with, their defaults and their allowed values, in one place.
 * The CLI flags and the VS Code settings are parsed into these once, by the functions below.
 */

/** Delve's backends (`dlv --backend`); package.json's goDebugDoctor.backend enum lists the same. */
export const BACKENDS = ['default', 'native', 'lldb', 'rr'] as const;
export type Backend = (typeof BACKENDS)[number];

/** 'recommended' is computed per workspace; the others are the named pins of knowledge/profiles.json. */
export const PROFILE_IDS: readonly string[] = ['recommended', ...profileData.profiles.map((p) => p.id)];
/** The settings also accept 'custom': the user's own pins in goDebugDoctor.customProfile. */
export const CUSTOM_PROFILE = 'custom';

export interface CustomProfile {
  go?: string;
  dlv?: string;
  gopls?: string;
}

export interface SessionOptions {
  /** The workspace folder whose go.mod decides the Go that builds the program (unset: untrusted or none). */
  workspace?: string;
  /** False in an untrusted VS Code workspace: nothing from the workspace is run or read. */
  trusted: boolean;
  /** The Go extension's tool settings (go.alternateTools, go.goroot, ...). */
  settings: ToolSettings;
  /** How long one probe may run. */
  timeoutMs: number;
  /** 'recommended', a named profile id, or 'custom' (then customProfile holds the pins). */
  profile: string;
  /** The user's own pins, for profile 'custom' (versions like 1.26.1, 1.27.2, 0.23.0). */
  customProfile?: CustomProfile;
  /** The Delve backend the user's configuration asks for. */
  backend: Backend;
  /** Folders searched for go when nothing else has it; the Go extension's own by default. */
  defaultGoFolders?: readonly string[];
  /** Where Go Debug Doctor's own installer puts dlv, so the checks can say when it is not the one in use. */
  pinnedDlv?: string;
  /** Set by the VS Code adapter from the extension API; the CLI looks in the usual folders. */
  goExtension?: { version: string; path?: string } | null;
}

/** What a caller may leave out: everything has a default. */
export type SessionInit = Partial<SessionOptions>;

export const DEFAULT_OPTIONS = {
  trusted: true,
  timeoutMs: DEFAULT_TIMEOUT_MS,
  profile: 'recommended',
  backend: 'default',
} as const satisfies Partial<SessionOptions>;

/** The probe timeout the CLI accepts (`check --timeout`), in milliseconds. */
export const TIMEOUT_RANGE_MS = { min: 100, max: 600_000 } as const;

/** A value that is not allowed; its message is one line for the user. */
export class OptionError extends Error {}

export function parseBackend(value: string | undefined): Backend | undefined {
  if (value === undefined) return undefined;
  if (!(BACKENDS as readonly string[]).includes(value)) throw new OptionError(`unknown backend "${value}" (${BACKENDS.join(', ')})`);
  return value as Backend;
}

/** A profile id; 'custom' only where the pins come with it (the settings). */
export function parseProfile(value: string | undefined, allowCustom = false): string | undefined {
  if (value === undefined) return undefined;
  const allowed = allowCustom ? [...PROFILE_IDS, CUSTOM_PROFILE] : PROFILE_IDS;
  if (!allowed.includes(value)) throw new OptionError(`unknown profile "${value}" (${allowed.join(', ')})`);
  return value;
}

export function parseTimeoutMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < TIMEOUT_RANGE_MS.min || ms > TIMEOUT_RANGE_MS.max) {
    throw new OptionError(`--timeout takes milliseconds from ${TIMEOUT_RANGE_MS.min} to ${TIMEOUT_RANGE_MS.max}`);
  }
  return ms;
}

/** Fills in the defaults and refuses values that are not allowed. */
export function resolveOptions(init: SessionInit): SessionOptions {
  const options: SessionOptions = {
    ...init,
    trusted: init.trusted ?? DEFAULT_OPTIONS.trusted,
    settings: init.settings ?? {},
    timeoutMs: init.timeoutMs ?? DEFAULT_OPTIONS.timeoutMs,
    profile: parseProfile(init.profile, true) ?? DEFAULT_OPTIONS.profile,
    backend: parseBackend(init.backend) ?? DEFAULT_OPTIONS.backend,
  };
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0)
    throw new OptionError(`timeout ${options.timeoutMs} ms is not a positive number`);
  return options;
}
