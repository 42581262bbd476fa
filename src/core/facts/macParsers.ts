/**
 * Parsers for macOS commands. Their wording changes between releases (sw_vers spacing, firewall
 * sentences), so each matches stable words only and says "unrecognised" otherwise.
 */

/** `sysctl NAME` prints "NAME: value"; `sysctl -n NAME` prints the value. Undefined: no such key. */
export function parseSysctl(stdout: string, name: string): string | undefined {
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^([\w.]+):\s*(.*)$/.exec(line.trim());
    if (m && m[1] === name) return m[2]!.trim();
  }
  const plain = stdout.trim();
  return plain && !plain.includes(':') && !plain.includes('\n') ? plain : undefined;
}

/** `sw_vers -productVersion`: "14.2.1", "10.13". */
export function parseProductVersion(stdout: string): string | undefined {
  const v = stdout.trim();
  if (!/^\d{1,3}(\.\d{1,3}){0,2}$/.test(v)) return undefined;
  // Only numbers a macOS release can have: 10.0–10.15, 11–15, then year numbers from 26 (Tahoe,
  // 2025, which followed 15 Sequoia); room up to 40. Anything else is not believed.
  const [major, minor = 0] = v.split('.').map(Number) as [number, number?];
  const plausible = (major === 10 && minor <= 15) || (major >= 11 && major <= 15) || (major >= 26 && major <= 40);
  return plausible ? v : undefined;
}

/** "14.2.1" → [14, 2, 1] for comparisons; "10.13" → [10, 13, 0]. */
export function macOSParts(version: string): [number, number, number] {
  const [a = 0, b = 0, c = 0] = version.split('.').map(Number);
  return [a, b, c];
}

export function compareMacOS(a: string, b: string): number {
  const pa = macOSParts(a);
  const pb = macOSParts(b);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

/** `xcode-select -p`: the active developer directory; nothing when none is set (Homebrew/install#36). */
export function parseXcodeSelect(stdout: string): string | undefined {
  const line = stdout.trim().split(/\r?\n/)[0]?.trim();
  return line && line.startsWith('/') ? line : undefined;
}

export type Tri = 'enabled' | 'disabled' | 'unrecognised';

/** `DevToolsSecurity -status`: a sentence saying developer mode is enabled or disabled. */
export function parseDevToolsSecurity(text: string): Tri {
  if (/\bdisabled\b/i.test(text)) return 'disabled';
  if (/\benabled\b/i.test(text)) return 'enabled';
  return 'unrecognised';
}

/** `id -Gn` (or `groups`): names separated by spaces. */
export function parseGroups(stdout: string): string[] {
  return stdout.trim().split(/\s+/).filter(Boolean);
}

export interface Quarantine {
  state: 'quarantined' | 'clear' | 'unrecognised';
  /** The agent that downloaded the file (third field of the value), e.g. Safari. */
  agent?: string;
  value?: string;
}

/** `xattr -p com.apple.quarantine FILE`: the value ("0081;5f3c9a3b;Safari;UUID"), or "No such xattr". */
export function parseQuarantine(stdout: string, stderr: string, exitCode: number | null): Quarantine {
  if (/No such xattr/i.test(stderr + stdout)) return { state: 'clear' };
  // `xattr -p` prints the value; `xattr -l` prints "com.apple.quarantine: value".
  const value = stdout.trim().replace(/^com\.apple\.quarantine:\s*/, '');
  if (exitCode === 0 && /^[0-9a-f]{4};/i.test(value)) {
    const agent = value.split(';')[2];
    return { state: 'quarantined', value, ...(agent ? { agent } : {}) };
  }
  return { state: 'unrecognised' };
}

export type FirewallState = 'off' | 'on' | 'block-all' | 'unrecognised';

/**
 * `socketfilterfw --getglobalstate`: "Firewall is enabled. (State = 1)", "Firewall is disabled.
 * (State = 0)", or State = 2 (only essential services) in two wordings.
 */
export function parseFirewallGlobal(text: string): FirewallState {
  const state = /State\s*=\s*(\d)/.exec(text)?.[1];
  if (state === '0') return 'off';
  if (state === '1') return 'on';
  if (state === '2') return 'block-all';
  if (/blocking all/i.test(text)) return 'block-all';
  if (/\bdisabled\b/i.test(text)) return 'off';
  if (/\benabled\b/i.test(text)) return 'on';
  return 'unrecognised';
}

/** --getblockall, --getstealthmode: "… set to enabled.", "Stealth mode enabled", "… is on". */
export function parseOnOff(text: string): Tri {
  if (/\b(disabled|off)\b/i.test(text)) return 'disabled';
  if (/\b(enabled|on)\b/i.test(text)) return 'enabled';
  return 'unrecognised';
}

export type CodesignVerify = 'valid' | 'unsigned' | 'invalid' | 'unrecognised';

/** `codesign --verify --verbose=2 FILE`: exit 0 valid; "not signed at all"; "invalid signature". */
export function parseCodesignVerify(stderr: string, exitCode: number | null): CodesignVerify {
  if (exitCode === 0) return 'valid';
  if (/not signed at all/i.test(stderr)) return 'unsigned';
  if (/invalid signature|a sealed resource is missing or invalid|code or signature have been modified/i.test(stderr)) return 'invalid';
  return 'unrecognised';
}
