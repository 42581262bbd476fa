/** What gopls says about itself and about the Go in use, parsed from its own words. */

/**
 * gopls's message when the Go it finds (or the Go it was built with) is older than it supports.
 *
 * Wording, identical at golang/tools tags gopls/v0.10.0 through gopls/v0.23.0 (and in the
 * gopls@v0.24.0 module): gopls/internal/util/goversion/goversion.go (func Message) from
 * gopls/v0.15.0, gopls/internal/lsp/general.go before that (v0.10.0 to v0.14.x; v0.10.0 and
 * v0.11.0 have only the "Found Go version" form). No such message at gopls/v0.9.5 and older.
 * It is sent as window/showMessage (Error when unsupported, Warning when only deprecated) from
 * `initialized`, after the workspace views are created (gopls/internal/server/general.go,
 * checkViewGoVersions, at gopls/v0.23.0). Its parts, as facts:
 *   "Found Go version 1.<N>"  or  "Gopls was built with Go version 1.<N>"
 *   then ", which is not supported by this version of gopls. "
 *     or ", which will be unsupported by gopls <version>. "
 *   then "Please upgrade to Go 1.<M> or later and reinstall gopls. "
 *   then "If you can't upgrade and want this message to go away, please install gopls <version>. "
 *   then "See https://go.dev/s/gopls-support-policy for more details."
 */
const GO_TOO_OLD =
  /^(Found Go version|Gopls was built with Go version) (1\.\d+), which (is not supported by this version of gopls|will be unsupported by gopls (v[\w.-]+))\.\s*(?:Please upgrade to Go (1\.\d+) or later and reinstall gopls\.\s*)?(?:If you can't upgrade and want this message to go away, please install gopls (v[\w.-]+)\.)?/;

export interface GoTooOld {
  /** The old Go, e.g. "1.20". */
  go: string;
  /** True for "Gopls was built with Go version…" (gopls's own build Go), false for the go command. */
  fromBuild: boolean;
  /** True for "not supported by this version of gopls", false for "will be unsupported by gopls X". */
  unsupported: boolean;
  /** The gopls release that will drop it, for the "will be unsupported" form. */
  droppedIn?: string;
  /** "Please upgrade to Go 1.M or later". */
  upgradeToGo?: string;
  /** "please install gopls vX" (the last gopls without the message for that Go). */
  lastGopls?: string;
}

/** Parses gopls's "Go too old" message (see GO_TOO_OLD for its source); undefined for any other text. */
export function matchGoTooOld(text: string): GoTooOld | undefined {
  const m = GO_TOO_OLD.exec(text.trim());
  if (!m) return undefined;
  const found: GoTooOld = { go: m[2]!, fromBuild: m[1] === 'Gopls was built with Go version', unsupported: m[4] === undefined };
  if (m[4]) found.droppedIn = m[4];
  if (m[5]) found.upgradeToGo = m[5];
  if (m[6]) found.lastGopls = m[6];
  return found;
}

/**
 * The gopls release in serverInfo.version: JSON with "Version" (gopls/v0.12.0 and later, also
 * "Main.Version") or "version" (older, e.g. gopls/v0.7.5: internal/lsp/debug/info.go).
 */
export function goplsVersionFromServerInfo(version: string | undefined): string | undefined {
  if (!version) return undefined;
  const candidates: unknown[] = [];
  try {
    const info = JSON.parse(version) as Record<string, unknown> | null;
    if (info && typeof info === 'object') {
      const main = info.Main as Record<string, unknown> | undefined;
      candidates.push(info.Version, main?.Version, info.version);
    }
  } catch {
    candidates.push(version);
  }
  for (const c of candidates) {
    const m = typeof c === 'string' ? /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(c.trim()) : null;
    if (m) return `v${m[1]}`;
  }
  return undefined;
}
