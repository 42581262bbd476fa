import { TOOLS } from '../knowledge/tools';
import type { GoEnv } from '../facts/parsers';

/** One problem with the settings the go command downloads modules with. */
export interface ModuleFinding {
  severity: 'fail' | 'warn';
  variable: string;
  /** One sentence: what happens and why. */
  message: string;
  /** A command that fixes it, to copy. */
  fix?: string;
}

export const MODULE_SOURCES = [
  'https://go.dev/ref/mod#environment-variables',
  'https://go.dev/ref/mod#goproxy-protocol',
  'https://go.dev/ref/mod#private-modules',
];

const DEFAULT_PROXY = 'https://proxy.golang.org,direct';

/**
 * GOPROXY, GOFLAGS, GOPRIVATE, GONOPROXY, GONOSUMDB, GOINSECURE, GOSUMDB and GO111MODULE as the go
 * command sees them (`go env -json`), judged for one job: downloading Delve's module.
 */
export function moduleSettingsFindings(env: GoEnv, modulePath: string = TOOLS.dlv.module): ModuleFinding[] {
  const findings: ModuleFinding[] = [];
  const proxyHosts: string[] = [];
  const entries = (env.GOPROXY ?? '')
    .split(/[,|]/)
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (entry === 'off') {
      if (entry === entries[0]) {
        findings.push({
          severity: 'fail',
          variable: 'GOPROXY',
          message:
            "GOPROXY=off forbids every module lookup, and `go install pkg@version` always makes one (it asks for the module's deprecation notice even when the source is in the module cache), so no dlv or gopls can be installed.",
          fix: `go env -w GOPROXY=${DEFAULT_PROXY}`,
        });
      }
      break; // the go command never looks past "off"
    }
    if (entry === 'direct') continue;
    const scheme = /^([A-Za-z][\w+.-]*):\/\//.exec(entry)?.[1];
    if (scheme && !['https', 'http', 'file'].includes(scheme.toLowerCase())) {
      findings.push({
        severity: 'fail',
        variable: 'GOPROXY',
        message: `GOPROXY entry "${entry}" has the scheme "${scheme}"; the go command accepts only https, http and file ("invalid proxy URL scheme").`,
        fix: `go env -w GOPROXY=${DEFAULT_PROXY}`,
      });
      continue;
    }
    if (scheme?.toLowerCase() === 'file') continue;
    // Without a scheme the go command assumes https:// (golang/go#32191).
    const host = hostOf(scheme ? entry : `https://${entry}`);
    if (!host || /\s/.test(entry)) {
      findings.push({
        severity: 'fail',
        variable: 'GOPROXY',
        message: `GOPROXY entry "${entry}" is not a URL the go command can use.`,
        fix: `go env -w GOPROXY=${DEFAULT_PROXY}`,
      });
      continue;
    }
    proxyHosts.push(host);
    if (!looksLikeHost(host)) {
      const hint = /^(dir|dr|drect|direc|dierct|diret)/i.test(entry)
        ? ' (did you mean "direct"?)'
        : /^of+$/i.test(entry)
          ? ' (did you mean "off"?)'
          : '';
      findings.push({
        severity: 'fail',
        variable: 'GOPROXY',
        message: `GOPROXY entry "${entry}" is neither "direct", "off" nor a host name${hint}: the go command will try https://${host}/ and fail to reach it.`,
        fix: `go env -w GOPROXY=${DEFAULT_PROXY}`,
      });
    } else if (scheme?.toLowerCase() === 'http' && !isLoopback(host)) {
      findings.push({
        severity: 'warn',
        variable: 'GOPROXY',
        message: `GOPROXY entry "${entry}" uses plain http: module downloads can be read and altered on the way (checksums still protect public modules).`,
      });
    }
  }
  if (entries.length > 0 && entries.every((e) => e === 'direct')) {
    findings.push({
      severity: 'warn',
      variable: 'GOPROXY',
      message:
        'GOPROXY=direct fetches every module with git from its origin: installing dlv needs git and access to github.com, and is slower than through a proxy.',
    });
  }

  const flags = env.GOFLAGS ?? '';
  if (/(^|\s)-mod=vendor(\s|$)/.test(flags)) {
    findings.push({
      severity: 'warn',
      variable: 'GOFLAGS',
      message:
        'GOFLAGS=-mod=vendor makes `go install pkg@version` fail ("cannot query module due to -mod=vendor"): Go Debug Doctor drops it for its own installs, but the Go extension\'s Install/Update Tools will fail.',
      fix: 'go env -u GOFLAGS',
    });
  }
  if ((env.GO111MODULE ?? '') === 'off') {
    findings.push({
      severity: 'warn',
      variable: 'GO111MODULE',
      message:
        'GO111MODULE=off disables modules, so `go install pkg@version` fails ("modules disabled by GO111MODULE=off"): Go Debug Doctor turns modules on for its own installs, but other tool installs will fail.',
      fix: 'go env -u GO111MODULE',
    });
  }

  const privateBy = (variable: 'GOPRIVATE' | 'GONOPROXY' | 'GONOSUMDB' | 'GOINSECURE', target: string) =>
    matchingPattern(env[variable] ?? '', target);
  for (const variable of ['GOPRIVATE', 'GONOPROXY'] as const) {
    const pattern = privateBy(variable, modulePath);
    if (pattern !== undefined) {
      findings.push({
        severity: 'warn',
        variable,
        message: `${variable} pattern "${pattern}" covers ${modulePath}: it is fetched with git straight from GitHub, bypassing the proxy${variable === 'GOPRIVATE' ? ' and the checksum database' : ''}, which needs git and access to github.com.`,
        fix: `go env -w ${variable}=${withoutPattern(env[variable]!, pattern)}`,
      });
    }
    for (const host of proxyHosts) {
      const p = privateBy(variable, host);
      if (p !== undefined && p !== pattern)
        findings.push({
          severity: 'warn',
          variable,
          message: `${variable} pattern "${p}" also matches the proxy host ${host}: a pattern that broad treats almost every module as private.`,
        });
    }
  }
  const insecure = privateBy('GOINSECURE', modulePath);
  if (insecure !== undefined) {
    findings.push({
      severity: 'warn',
      variable: 'GOINSECURE',
      message: `GOINSECURE pattern "${insecure}" covers ${modulePath}: when it is fetched directly, HTTPS certificates are not checked.`,
      fix: `go env -w GOINSECURE=${withoutPattern(env.GOINSECURE!, insecure)}`,
    });
  }
  const noSum = privateBy('GONOSUMDB', modulePath);
  if (noSum !== undefined) {
    findings.push({
      severity: 'warn',
      variable: 'GONOSUMDB',
      message: `GONOSUMDB pattern "${noSum}" covers ${modulePath}: the dlv source you install is not checked against the public checksum database.`,
      fix: `go env -w GONOSUMDB=${withoutPattern(env.GONOSUMDB!, noSum)}`,
    });
  } else if ((env.GONOSUMDB ?? '').trim() && !(env.GOPRIVATE ?? '').trim()) {
    findings.push({
      severity: 'warn',
      variable: 'GONOSUMDB',
      message: `GONOSUMDB is set (${env.GONOSUMDB}) without GOPRIVATE: those modules skip checksum checks but still go through the public proxy, which cannot fetch private code; GOPRIVATE is usually what was meant.`,
    });
  }
  if ((env.GOSUMDB ?? '') === 'off') {
    findings.push({
      severity: 'warn',
      variable: 'GOSUMDB',
      message: "GOSUMDB=off turns off checksum verification for every module, dlv's source included.",
      fix: 'go env -u GOSUMDB',
    });
  }
  return findings;
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

function looksLikeHost(host: string): boolean {
  return host.includes('.') || host === 'localhost' || host.startsWith('[');
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '[::1]';
}

/**
 * The first comma-separated glob in `patterns` that matches a prefix of `target` with as many
 * path elements as the pattern has; the rule of GOPRIVATE and friends (`go help private`).
 */
export function matchingPattern(patterns: string, target: string): string | undefined {
  const parts = target.split('/');
  for (const raw of patterns.split(',')) {
    const pattern = raw.trim().replace(/\/+$/, '');
    if (!pattern) continue;
    const n = pattern.split('/').length;
    if (n > parts.length) continue;
    if (globToRegExp(pattern).test(parts.slice(0, n).join('/'))) return pattern;
  }
  return undefined;
}

/** path.Match syntax: * and ? never cross a slash; [...] classes; \ escapes. */
function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) return /(?!)/; // malformed: path.Match reports an error and the go command skips it
      const body = glob.slice(i + 1, end).replace(/^\^/, '!');
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else if (c === '\\' && i + 1 < glob.length) re += escapeRe(glob[++i]!);
    else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function withoutPattern(patterns: string, drop: string): string {
  return patterns
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p && p.replace(/\/+$/, '') !== drop)
    .join(',');
}
