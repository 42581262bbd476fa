import { isLoopbackHost } from '../dap/loopback';
import * as path from 'node:path';
import type { Host } from '../probes/host';
import { objectsAt, parseJsonc } from '../launch/merge';

/**
 * A launch.json configuration resolved the way the Go extension resolves it before it starts
 * `dlv dap` (golang/vscode-go@v0.58.0 extension/src/goDebugConfiguration.ts resolveDebugConfiguration
 * and resolveDebugConfigurationWithSubstitutedVariables; goDebugFactory.ts getSpawnConfig), held to
 * it by the e2e differential test against the real golang.go (test/vscode/resolution.itest.ts).
 */
export interface ResolvedConfig {
  name: string;
  request: 'launch' | 'attach';
  /** debug | test | exec | remote | local ("auto" is resolved: test when program ends in _test.go). */
  mode: string;
  /** Absolute package folder, .go file or binary (launch); absent for remote. */
  program?: string;
  /** Where the Go extension starts dlv: the program's folder (launch debug/test), else the workspace folder. */
  buildDir: string;
  cwd?: string;
  args: string[];
  /** The variables set on top of the environment: go.toolsEnvVars, then envFile, then env. */
  env: Record<string, string>;
  buildFlags?: string | string[];
  dlvFlags: string[];
  /** What showLog and logOutput add to dlv's command line (the Go extension's getSpawnConfig). */
  logFlags: string[];
  /** The configuration's output, absolute. Verify builds into a folder of its own instead, never over the user's binary. */
  output?: string;
  backend?: string;
  substitutePath: { from: string; to: string }[];
  host?: string;
  port?: number;
  /** The configuration as written in launch.json (before resolution), for the fixer. */
  raw: Record<string, unknown>;
  /** What the Go extension would have said or changed, e.g. a -gcflags it drops. */
  notes: string[];
}

export interface GoSettings {
  /** go.delveConfig: defaults for substitutePath, dlvFlags, showGlobalVariables… */
  delveConfig?: Record<string, unknown>;
  /** go.toolsEnvVars: merged under the configuration's env. */
  toolsEnvVars?: Record<string, string>;
}

export interface ResolveContext {
  host: Host;
  /** The workspace folder as VS Code opened it (not resolved through symbolic links). */
  folder: string;
  /** The file open in the editor, for ${file}, ${fileDirname}…; the CLI uses the first --break file. */
  activeFile?: string;
  settings?: GoSettings;
}

export class ConfigError extends Error {}

export interface LaunchJson {
  file: string;
  text: string;
  configurations: Record<string, unknown>[];
}

/** Reads .vscode/launch.json of a folder (JSONC); a missing or malformed file is a ConfigError. */
export async function readLaunchJson(host: Host, folder: string): Promise<LaunchJson> {
  const file = path.join(folder, '.vscode', 'launch.json');
  const text = await host.readText(file);
  if (text === undefined) throw new ConfigError(`no ${path.join('.vscode', 'launch.json')} in ${folder}`);
  let root;
  try {
    root = parseJsonc(text);
  } catch (err) {
    throw new ConfigError(`${file}: ${(err as Error).message}`);
  }
  const configurations = objectsAt(root, 'configurations').map((o) => o.value);
  return { file, text, configurations };
}

/** The Go configurations Verify can run (launch of any mode; attach remote). */
export function verifiableConfigurations(configs: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return configs.filter(
    (c) => c.type === 'go' && typeof c.name === 'string' && (c.request === 'launch' || (c.request === 'attach' && c.mode === 'remote')),
  );
}

/** Picks a configuration by name, or the only/first verifiable one. */
export function pickConfiguration(configs: readonly Record<string, unknown>[], name?: string): Record<string, unknown> {
  const usable = verifiableConfigurations(configs);
  if (name !== undefined) {
    const found = configs.find((c) => c.name === name);
    if (!found)
      throw new ConfigError(
        `no configuration named "${name}" (there are: ${configs.map((c) => JSON.stringify(c.name)).join(', ') || 'none'})`,
      );
    if (!usable.includes(found))
      throw new ConfigError(`"${name}" is not a Go launch configuration or a mode "remote" attach configuration; Verify cannot run it`);
    return found;
  }
  const first = usable[0];
  if (!first) throw new ConfigError('launch.json has no Go launch or remote configuration to verify');
  return first;
}

const DLV_PROPERTIES = [
  'substitutePath',
  'dlvFlags',
  'showLog',
  'logOutput',
  'hideSystemGoroutines',
  'showGlobalVariables',
  'showRegisters',
];

/** Resolves one configuration; throws ConfigError with a one-line reason when it cannot run. */
export async function resolveConfiguration(raw: Record<string, unknown>, ctx: ResolveContext): Promise<ResolvedConfig> {
  const notes: string[] = [];
  const config: Record<string, unknown> = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
  const name = String(config.name ?? '');
  const request = config.request === 'attach' ? 'attach' : 'launch';
  // go.delveConfig fills the dlv properties the configuration does not set.
  for (const p of DLV_PROPERTIES) {
    if (!(p in config) && ctx.settings?.delveConfig && p in ctx.settings.delveConfig) config[p] = ctx.settings.delveConfig[p];
  }
  const substitute = (value: string, attribute: string) => substituteVariables(value, attribute, ctx);
  const deep = (value: unknown, attribute: string): unknown => {
    if (typeof value === 'string') return substitute(value, attribute);
    if (Array.isArray(value)) return value.map((v) => deep(v, attribute));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deep(v, `${attribute}.${k}`)]));
    return value;
  };
  for (const key of Object.keys(config)) config[key] = deep(config[key], key);

  let mode = typeof config.mode === 'string' && config.mode ? config.mode : request === 'launch' ? 'auto' : 'local';
  if (request === 'launch' && mode === 'remote')
    throw new ConfigError(`"${name}": request "launch" with mode "remote" is deprecated in the Go extension; use request "attach"`);
  if (request === 'attach' && mode !== 'remote')
    throw new ConfigError(
      `"${name}": attach mode "${mode}" needs a running process chosen by hand; Verify runs launch configurations and mode "remote"`,
    );
  const folder = ctx.folder;
  const absolute = (p: string) => (path.isAbsolute(p) ? p : path.join(folder, expandHome(p, ctx.host.homedir)));

  let program: string | undefined;
  if (request === 'launch') {
    if (typeof config.program !== 'string' || !config.program) throw new ConfigError(`"${name}": the program attribute is missing`);
    program = absolute(config.program);
    // golang.go decides these two on program as written, before ${…} is substituted
    // (resolveDebugConfiguration): "${file}" is not a .go name there, so mode auto asks the open
    // editor, and a test program written as "${file}" stays a file while ".../x_test.go" becomes its folder.
    const written = typeof raw.program === 'string' ? raw.program : '';
    if (mode === 'auto') {
      const file = written.endsWith('.go') ? written : ctx.activeFile;
      mode = file?.endsWith('_test.go') ? 'test' : 'debug';
    }
    if (mode === 'test' && written.endsWith('_test.go')) program = path.dirname(program);
    if (!['debug', 'test', 'exec', 'replay', 'core'].includes(mode)) throw new ConfigError(`"${name}": unknown launch mode "${mode}"`);
    if (mode === 'replay' || mode === 'core')
      throw new ConfigError(`"${name}": mode "${mode}" replays a recording; Verify runs debug, test, exec and remote`);
    const st = await ctx.host.stat(program);
    if (!st.exists) throw new ConfigError(`"${name}": program ${program} does not exist`);
    if (mode !== 'exec' && !st.isDirectory && !program.endsWith('.go'))
      throw new ConfigError(`"${name}": program ${program} must be a folder or a .go file in mode ${mode}`);
  }

  const buildDir =
    request === 'launch' && mode !== 'exec' && program ? (program.endsWith('.go') ? path.dirname(program) : program) : folder;
  const cwd = typeof config.cwd === 'string' && config.cwd ? absolute(config.cwd) : undefined;

  let args: string[] = [];
  if (Array.isArray(config.args)) args = config.args.map(String);
  else if (typeof config.args === 'string') args = splitArgs(config.args);

  // No prototype: variable names come from the user ("constructor", "__proto__" are names too).
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  Object.assign(env, ctx.settings?.toolsEnvVars ?? {});
  const envFiles = typeof config.envFile === 'string' ? [config.envFile] : Array.isArray(config.envFile) ? config.envFile.map(String) : [];
  for (const file of envFiles) {
    const text = await ctx.host.readText(absolute(file));
    if (text === undefined) throw new ConfigError(`"${name}": cannot read envFile ${file}`);
    Object.assign(
      env,
      parseEnvFile(text, (k) => env[k] ?? ctx.host.env(k)),
    );
  }
  if (config.env && typeof config.env === 'object') {
    for (const [k, v] of Object.entries(config.env as Record<string, unknown>)) if (v !== null && v !== undefined) env[k] = String(v);
  }
  if (env.GOFLAGS && /(^|\s)-gcflags/.test(env.GOFLAGS)) {
    env.GOFLAGS = removeGcflags(env.GOFLAGS);
    notes.push('the Go extension drops -gcflags from env.GOFLAGS (Delve builds with -gcflags=all=-N -l itself)');
  }

  let buildFlags: string | string[] | undefined;
  if (typeof config.buildFlags === 'string') buildFlags = config.buildFlags;
  else if (Array.isArray(config.buildFlags)) buildFlags = config.buildFlags.map(String);
  if (typeof buildFlags === 'string' && /(^|\s)-gcflags/.test(buildFlags)) {
    buildFlags = removeGcflags(buildFlags);
    notes.push('the Go extension drops -gcflags from buildFlags');
  }

  const dlvFlags = Array.isArray(config.dlvFlags) ? config.dlvFlags.map(String) : [];
  const substitutePath = Array.isArray(config.substitutePath)
    ? (config.substitutePath as unknown[])
        .filter(
          (e): e is { from: string; to: string } =>
            !!e &&
            typeof e === 'object' &&
            typeof (e as { from?: unknown }).from === 'string' &&
            typeof (e as { to?: unknown }).to === 'string',
        )
        .map((e) => ({ from: e.from, to: e.to }))
    : [];

  const logFlags: string[] = [];
  if (config.showLog) {
    logFlags.push(`--log=${String(config.showLog)}`);
    if (config.logOutput) logFlags.push(`--log-output=${String(config.logOutput)}`);
  }

  const resolved: ResolvedConfig = { name, request, mode, buildDir, args, env: { ...env }, dlvFlags, logFlags, substitutePath, raw, notes };
  if (typeof config.output === 'string' && config.output) resolved.output = absolute(config.output);
  if (program) resolved.program = program;
  if (cwd) resolved.cwd = cwd;
  if (buildFlags !== undefined) resolved.buildFlags = buildFlags;
  if (typeof config.backend === 'string') resolved.backend = config.backend;
  if (mode === 'remote') {
    resolved.host = typeof config.host === 'string' && config.host ? config.host : '127.0.0.1';
    const port = Number(config.port);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new ConfigError(`"${name}": mode "remote" needs a port`);
    resolved.port = port;
  }
  return resolved;
}

/** True for the addresses that never leave this machine. */
/** This machine's loopback, however it is spelled (core/dap/loopback.ts). */
export const isLoopback = isLoopbackHost;

/** VS Code's predefined variables, as far as a configuration for Go uses them. */
function substituteVariables(value: string, attribute: string, ctx: ResolveContext): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
    const file = ctx.activeFile;
    const needFile = () => {
      if (!file) throw new ConfigError(`${attribute} uses \${${name}}: name the file (--break FILE:LINE stands for the open editor)`);
      return file;
    };
    if (name === 'workspaceFolder' || name === 'workspaceRoot' || name.startsWith('workspaceFolder:')) return ctx.folder;
    if (name === 'workspaceFolderBasename') return path.basename(ctx.folder);
    if (name === 'userHome') return ctx.host.homedir;
    if (name === 'pathSeparator' || name === '/') return path.sep;
    if (name === 'file') return needFile();
    if (name === 'fileDirname') return path.dirname(needFile());
    if (name === 'fileBasename') return path.basename(needFile());
    if (name === 'fileBasenameNoExtension') return path.basename(needFile(), path.extname(needFile()));
    if (name === 'fileExtname') return path.extname(needFile());
    if (name === 'relativeFile') return path.relative(ctx.folder, needFile());
    if (name === 'relativeFileDirname') return path.relative(ctx.folder, path.dirname(needFile()));
    if (name === 'fileWorkspaceFolder') return ctx.folder;
    if (name.startsWith('env:')) return ctx.host.env(name.slice(4)) ?? '';
    if (name.startsWith('config:') || name.startsWith('command:') || name.startsWith('input:')) {
      throw new ConfigError(`${attribute} uses ${whole}, which only the editor can resolve; run Verify from VS Code`);
    }
    return whole;
  });
}

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

/** vscode-go's env file reader (extension/src/utils/envUtils.ts parseEnvFile): KEY=VALUE, optional export, quotes. */
export function parseEnvFile(text: string, lookup: (name: string) => string | undefined): Record<string, string> {
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const line of text.replace(/^\uFEFF/, '').split('\n')) {
    const m = /^\s*(export\s+)?([\w.-]+)\s*=\s*(.*)?\s*$/.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    let value = m[3] ?? '';
    if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.replace(/\\n/g, '\n');
    value = value.replace(/(^['"]|['"]$)/g, '');
    value = value
      .replace(/(^|[^\\])\$\{([a-zA-Z]\w*)\}/g, (_, pre: string, v: string) => `${pre}${env[v] ?? lookup(v) ?? ''}`)
      .replace(/\\\$/g, '$');
    env[m[2]!] = value;
  }
  return { ...env };
}

/**
 * Splits an args string into words as the Go extension does before it starts dlv (the differential
 * test against golang.go v0.58.0 holds us to it): words end at spaces; '…' and "…" group, and inside
 * them \' and \" stand for the quote; outside quotes \' and \" stand for the quote and any other
 * backslash is kept as it is. No shell is involved, so nothing else is special.
 */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  const escapedQuote = (at: number) => text[at] === '\\' && (text[at + 1] === "'" || text[at + 1] === '"');
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      let k = i + 1;
      while (k < text.length && text[k] !== c) {
        if (escapedQuote(k)) {
          word += text[k + 1];
          k += 2;
        } else word += text[k++];
      }
      if (k >= text.length)
        throw new ConfigError(`args has unmatched ${c === "'" ? 'single' : 'double'} quotes (${c}). starting index: ${i}`);
      inWord = true;
      i = k + 1;
    } else if (escapedQuote(i)) {
      word += text[i + 1];
      inWord = true;
      i += 2;
    } else if (c === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

function removeGcflags(flags: string): string {
  return flags.replace(/(^|\s)(-gcflags)(=| )('[^']*'|"[^"]*"|[^'"\s]+)+/g, '').trim();
}

/** Every word of the build flags (a string is split like the go command splits GOFLAGS: on spaces). */
export function buildFlagWords(flags: string | string[] | undefined): string[] {
  if (flags === undefined) return [];
  return Array.isArray(flags) ? flags : splitLikeDelve(flags);
}

/**
 * A buildFlags string split as Delve splits it before go build (pkg/config/split.go,
 * SplitQuotedFields with the single quote): at white space, except inside '…', where a backslash
 * takes the next character as it is. Double quotes are ordinary characters there.
 */
export function splitLikeDelve(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let state: 'space' | 'field' | 'quote' | 'escaped' = 'space';
  for (const c of text) {
    if (state === 'escaped') {
      word += c;
      state = 'quote';
    } else if (state === 'quote') {
      if (c === "'") state = 'field';
      else if (c === '\\') state = 'escaped';
      else word += c;
    } else if (c === "'") state = 'quote';
    else if (/\s/.test(c)) {
      if (state === 'field') words.push(word);
      word = '';
      state = 'space';
    } else {
      word += c;
      state = 'field';
    }
  }
  if (state === 'field' || word) words.push(word);
  return words;
}

/** The build tags the configuration builds with: -tags in buildFlags, else in GOFLAGS. */
export function buildTags(config: ResolvedConfig, goflags: string | undefined): string[] {
  const fromWords = (words: string[]): string[] | undefined => {
    let tags: string[] | undefined;
    for (let i = 0; i < words.length; i++) {
      const m = /^--?tags(?:=(.*))?$/.exec(words[i]!);
      if (!m) continue;
      const value = m[1] ?? words[++i] ?? '';
      tags = value.split(/[\s,]+/).filter(Boolean);
    }
    return tags;
  };
  return fromWords(buildFlagWords(config.buildFlags)) ?? fromWords((goflags ?? '').split(/\s+/).filter(Boolean)) ?? [];
}

/** True when -trimpath is among the build flags or GOFLAGS. */
export function hasTrimpath(config: ResolvedConfig, goflags: string | undefined): 'buildFlags' | 'GOFLAGS' | undefined {
  const is = (w: string) => /^--?trimpath(=true)?$/.test(w);
  if (buildFlagWords(config.buildFlags).some(is)) return 'buildFlags';
  if ((goflags ?? '').split(/\s+/).some(is)) return 'GOFLAGS';
  return undefined;
}
