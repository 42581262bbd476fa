import { isLoopbackHost } from '../dap/loopback';
import { findNodeAtLocation, parseTree, type Node } from 'jsonc-parser';
import { compareModule, isModuleVersion } from '../facts/versions';
import attributes from '../knowledge/goDebugAttributes.json';
import dlvFlagData from '../knowledge/dlvFlags.json';
import { JsoncFileError } from '../io/errors';
import { lineColumn, objectsAt, parseJsonc } from './merge';
import { unmappedServerRoot } from '../verify/remote';

export type LintSeverity = 'error' | 'warning' | 'info';

/** A text edit in the linted file: replace [offset, offset+length) with text. */
export interface TextEdit {
  offset: number;
  length: number;
  text: string;
}

export interface LintFinding {
  file: string;
  line: number;
  column: number;
  offset: number;
  length: number;
  severity: LintSeverity;
  rule: string;
  /** One sentence: what is wrong and why. */
  message: string;
  /** A safe, mechanical fix. */
  fix?: { title: string; edits: TextEdit[] };
  source?: string;
}

export interface LintOptions {
  file: string;
  /** The Delve version the configurations run with (some knobs and defaults depend on it). */
  dlvVersion?: string;
  /** Labels of the tasks in tasks.json (for preLaunchTask). */
  taskLabels?: readonly string[];
  /** Whether something listens at host:port (for mode "remote" without a task); skipped when absent. */
  reachable?: (host: string, port: number) => Promise<boolean>;
  /** The source files a running headless dlv on loopback debugs (src/core/verify/remote.ts); skipped when absent. */
  serverSources?: (host: string, port: number) => Promise<string[] | undefined>;
  /** The workspace folder the file belongs to (for ${workspaceFolder} and "outside the workspace"). */
  workspaceFolder?: string;
}

const MANIFEST = `golang.go ${attributes.extensionVersion} manifest`;
/** Attributes VS Code itself understands for every debugger. */
const GENERIC = new Set([
  'name',
  'type',
  'request',
  'preLaunchTask',
  'postDebugTask',
  'internalConsoleOptions',
  'debugServer',
  'presentation',
  'serverReadyAction',
  'windows',
  'osx',
  'linux',
  'suppressMultipleSessionWarning',
]);
const API_V2_DEFAULT_SINCE = '1.24.0';
const API_SOURCE = 'go-delve/delve cmd/dlv/cmds/commands.go: --api-version defaults to 1 up to v1.23.1 and to 2 from v1.24.0';
const CONTINUE_SOURCE = 'go-delve/delve cmd/dlv/cmds/commands.go: "Error: --continue requires --accept-multiclient"';
const GCFLAGS_SOURCE =
  'go-delve/delve pkg/gobuild/gobuild.go (adds -gcflags "all=-N -l"); golang/vscode-go extension/src/goDebugConfiguration.ts (drops -gcflags from buildFlags)';
const SECURITY_SOURCE = 'go-delve/delve Documentation/usage/dlv.md (--listen; the headless server has no authentication)';
/** Flags the Go extension sets itself when it starts `dlv dap` (goDebugFactory.ts getSpawnConfig). */
const ADAPTER_OWNED_FLAGS = ['--listen', '--headless', '--api-version', '--accept-multiclient', '--log-dest', '--client-addr'];

export async function lintLaunchJson(text: string, options: LintOptions): Promise<LintFinding[]> {
  const findings: LintFinding[] = [];
  for (const { node, value: config } of objectsAt(parseOrReport(text, options.file, findings), 'configurations')) {
    if (config.type !== 'go') continue;
    await lintConfiguration(text, node, config, options, findings);
  }
  return findings;
}

async function lintConfiguration(
  text: string,
  node: Node,
  config: Record<string, unknown>,
  options: LintOptions,
  findings: LintFinding[],
): Promise<void> {
  const request = config.request === 'attach' ? 'attach' : 'launch';
  const known = attributes[request] as Record<string, string>;
  const adapter = config.debugAdapter === 'legacy' ? 'legacy' : 'dlv-dap';
  const name = typeof config.name === 'string' ? `"${config.name}"` : 'a configuration';
  const at = (key: string, valueNode = false) => {
    const prop = node.children?.find((p) => p.children?.[0]?.value === key);
    const target = valueNode ? prop?.children?.[1] : prop;
    return target ?? node;
  };
  const add = (target: Node, severity: LintSeverity, rule: string, message: string, extra: Partial<LintFinding> = {}) => {
    findings.push({
      file: options.file,
      ...lineColumn(text, target.offset),
      offset: target.offset,
      length: target.length,
      severity,
      rule,
      message,
      ...extra,
    });
  };
  const removeFix = (key: string) => ({ title: `Remove "${key}"`, edits: [removalEdit(text, at(key))] });

  for (const key of Object.keys(config)) {
    if (GENERIC.has(key)) continue;
    if (key === 'dlvToolPath') {
      add(
        at(key),
        'warning',
        'overwritten-attribute',
        `${name}: the Go extension overwrites "dlvToolPath" with the dlv it finds; set go.alternateTools.dlv in settings instead.`,
        { fix: removeFix(key) },
      );
      continue;
    }
    // Own keys only: a user's "constructor" or "__proto__" must not find Object.prototype's members.
    const reader = Object.hasOwn(known, key) ? known[key] : undefined;
    if (!reader) {
      const guess = closest(key, Object.keys(known));
      add(
        at(key),
        'warning',
        'unknown-attribute',
        `${name}: "${key}" is not an attribute of the Go debugger for request "${request}" (${MANIFEST})${guess ? `; did you mean "${guess}"?` : '.'}`,
        { fix: removeFix(key), source: attributes.source },
      );
      continue;
    }
    if (reader !== 'both' && reader !== adapter) {
      const hint = key === 'dlvLoadConfig' ? ' dlv-dap has its own: maxStringLen, maxArrayValues (Delve 1.27.1+), stackTraceDepth.' : '';
      add(
        at(key),
        'warning',
        'ignored-by-adapter',
        `${name}: "${key}" is read only by the ${reader} adapter, and this configuration uses ${adapter}${adapter === 'dlv-dap' && config.debugAdapter === undefined ? ' (the default)' : ''}, so it is ignored.${hint}`,
        { fix: removeFix(key), source: attributes.source },
      );
      continue;
    }
    const minima = attributes.delveMinimum as Record<string, { version: string; source: string }>;
    const minimum = Object.hasOwn(minima, key) ? minima[key] : undefined;
    if (minimum && options.dlvVersion && isModuleVersion(options.dlvVersion) && compareModule(options.dlvVersion, minimum.version) < 0) {
      add(
        at(key),
        'warning',
        'dlv-too-old',
        `${name}: Delve ${options.dlvVersion} ignores "${key}"; dlv-dap reads it from Delve ${minimum.version} on.`,
        { source: minimum.source },
      );
    }
  }

  if (typeof config.host === 'string' && !isLoopbackHost(config.host)) {
    add(
      at('host', true),
      'warning',
      'non-loopback',
      `${name}: host ${config.host} is not loopback; Delve's headless server takes unauthenticated connections, so reach a remote one through an SSH tunnel to 127.0.0.1 instead.`,
      { source: SECURITY_SOURCE },
    );
  }
  const buildFlags = config.buildFlags;
  const flagText = Array.isArray(buildFlags) ? buildFlags.join(' ') : typeof buildFlags === 'string' ? buildFlags : '';
  if (/(^|\s)--?gcflags(=|\s|$)/.test(flagText)) {
    add(
      at('buildFlags', true),
      'warning',
      'gcflags',
      `${name}: -gcflags in buildFlags is dropped by the Go extension, and Delve already builds with -gcflags "all=-N -l" (no optimisation, no inlining).`,
      {
        source: GCFLAGS_SOURCE,
        ...(stripGcflags(buildFlags) !== undefined
          ? { fix: { title: 'Remove -gcflags', edits: [replaceValueEdit(at('buildFlags', true), stripGcflags(buildFlags))] } }
          : {}),
      },
    );
  }
  const dlvFlags = Array.isArray(config.dlvFlags) ? config.dlvFlags.filter((f): f is string => typeof f === 'string') : [];
  for (const flag of dlvFlags) {
    const flagName = flag.split('=')[0]!;
    if (ADAPTER_OWNED_FLAGS.includes(flagName)) {
      add(
        at('dlvFlags', true),
        'warning',
        'dlvflags-conflict',
        `${name}: dlvFlags has ${flagName}, which the Go extension sets itself when it starts dlv; two values conflict.`,
      );
    } else if (flagName === '--backend' && config.backend !== undefined) {
      add(
        at('dlvFlags', true),
        'warning',
        'dlvflags-conflict',
        `${name}: dlvFlags has ${flag} and the configuration also sets "backend": "${String(config.backend)}"; keep one.`,
      );
    }
  }
  lintInsideObjects(config, name, at, add, options);
  if (request === 'attach' && config.mode === 'remote') {
    const task = typeof config.preLaunchTask === 'string' ? config.preLaunchTask : undefined;
    // "go: build package" and the like come from extensions, not tasks.json.
    const contributed = task !== undefined && /^[a-z][\w.-]*: /.test(task);
    if (task && !contributed && options.taskLabels && !options.taskLabels.includes(task)) {
      add(
        at('preLaunchTask', true),
        'warning',
        'remote-no-server',
        `${name}: preLaunchTask "${task}" is not a task in tasks.json, so nothing starts the headless dlv.`,
      );
    } else if (!task && options.reachable) {
      const host = typeof config.host === 'string' ? config.host : '127.0.0.1';
      const port = typeof config.port === 'number' ? config.port : 2345;
      // Only loopback is ever probed: linting a file must not open connections to hosts it names.
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        add(at('port', true), 'warning', 'invalid-port', `${name}: port ${String(config.port)} is not a TCP port (1 to 65535).`);
      } else if (isLoopbackHost(host) && !(await options.reachable(host, port))) {
        add(
          at('port', true),
          'warning',
          'remote-no-server',
          `${name}: nothing listens at ${host}:${port} and no preLaunchTask starts a headless dlv; start one first (for example with a background task).`,
        );
      } else if (options.serverSources && options.workspaceFolder && isLoopbackHost(host)) {
        await lintServerPaths(config, host, port, options.serverSources, options.workspaceFolder, (message) =>
          add(at('substitutePath' in config ? 'substitutePath' : 'port', true), 'warning', 'remote-path-mapping', `${name}: ${message}`, {
            source: PATHS_SOURCE,
          }),
        );
      }
    }
  }
}

const PATHS_SOURCE =
  'go-delve/delve service/dap/server.go (substitutePath), service/dap/command.go (sources); golang/vscode-go docs/debugging.md (remote debugging)';

/** A server on loopback whose program was built outside the workspace, with no substitutePath that maps it back. */
async function lintServerPaths(
  config: Record<string, unknown>,
  host: string,
  port: number,
  serverSources: NonNullable<LintOptions['serverSources']>,
  folder: string,
  report: (message: string) => void,
): Promise<void> {
  const sources = await serverSources(host, port);
  if (!sources) return;
  const entries = Array.isArray(config.substitutePath)
    ? (config.substitutePath as { from?: unknown; to?: unknown }[])
        .filter((e) => typeof e?.from === 'string' && typeof e.to === 'string')
        .map((e) => ({ from: String(e.from).replace(/\$\{workspaceFolder\}/g, folder), to: String(e.to) }))
    : [];
  const root = unmappedServerRoot(sources, folder, entries);
  if (!root) return;
  report(
    `the dlv at ${host}:${port} debugs a program built in ${root}, outside this workspace, and no substitutePath maps it here, so breakpoints set in the editor will not bind. Add "substitutePath": [{ "from": "\${workspaceFolder}", "to": "${root}" }] (go-debug-doctor verify --config ${JSON.stringify(String(config.name ?? ''))} --fix computes and writes it).`,
  );
}

/** The fields of dlvLoadConfig (golang/vscode-go extension/package.json, contributes.debuggers[go] launch.dlvLoadConfig.properties, v0.57.2). */
const DLV_LOAD_CONFIG_KEYS = ['followPointers', 'maxVariableRecurse', 'maxStringLen', 'maxArrayValues', 'maxStructFields'];
const DLV_LOAD_CONFIG_SOURCE =
  "golang/vscode-go@v0.57.2 extension/package.json (dlvLoadConfig.properties); the legacy adapter passes these to Delve's LoadConfig";
const SUBSTITUTE_PATH_SOURCE =
  'golang/vscode-go@v0.57.2 extension/package.json (substitutePath items: from, the absolute local path; to, the remote path) and docs/debugging.md "Trimpath tips" (to may be a module path or "")';
const ENV_SOURCE = 'go-delve/delve@v1.27.2 service/dap/types.go (Env map[string]*string: a string sets, null unsets)';
const DLV_FLAGS = dlvFlagData.flags as ReadonlyArray<{ name: string; short?: string; since: string; until?: string }>;
/** A variable VS Code or the Go extension expands, which may stand for an absolute path. */
const EXPANDS = /^\$\{(workspaceFolder|workspaceRoot|fileDirname|env:[^}]+|userHome|cwd)[^}]*\}/;
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

type Locate = (key: string, valueNode?: boolean) => Node;
type Report = (target: Node, severity: LintSeverity, rule: string, message: string, extra?: Partial<LintFinding>) => void;

/** dlvLoadConfig fields, substitutePath entries, env values and dlvFlags entries. */
function lintInsideObjects(config: Record<string, unknown>, name: string, at: Locate, add: Report, options: LintOptions): void {
  const valueNode = (key: string) => at(key, true);
  const member = (parent: Node, key: string | number): Node =>
    (typeof key === 'number' ? parent.children?.[key] : parent.children?.find((p) => p.children?.[0]?.value === key)) ?? parent;

  const load = config.dlvLoadConfig;
  if (load && typeof load === 'object' && !Array.isArray(load)) {
    for (const key of Object.keys(load)) {
      if (DLV_LOAD_CONFIG_KEYS.includes(key)) continue;
      const guess = closest(key, DLV_LOAD_CONFIG_KEYS) ?? DLV_LOAD_CONFIG_KEYS.find((k) => key.toLowerCase().startsWith(k.toLowerCase()));
      add(
        member(valueNode('dlvLoadConfig'), key),
        'warning',
        'unknown-load-config',
        `${name}: dlvLoadConfig has no field "${key}" (it has ${DLV_LOAD_CONFIG_KEYS.join(', ')})${guess ? `; did you mean "${guess}"?` : '; it is ignored.'}`,
        { source: DLV_LOAD_CONFIG_SOURCE },
      );
    }
  }

  const substitute = config.substitutePath;
  if (substitute !== undefined && !Array.isArray(substitute)) {
    add(
      valueNode('substitutePath'),
      'warning',
      'substitute-path',
      `${name}: substitutePath must be an array of { "from": ..., "to": ... } objects.`,
      { source: SUBSTITUTE_PATH_SOURCE },
    );
  } else if (Array.isArray(substitute)) {
    const seen = new Map<string, number>();
    substitute.forEach((entry, i) => {
      const node = member(valueNode('substitutePath'), i);
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
        add(node, 'warning', 'substitute-path', `${name}: substitutePath entry ${i + 1} is not an object with "from" and "to".`, {
          source: SUBSTITUTE_PATH_SOURCE,
        });
        return;
      }
      const e = entry as Record<string, unknown>;
      for (const key of Object.keys(e)) {
        if (key !== 'from' && key !== 'to')
          add(
            member(node, key),
            'warning',
            'substitute-path',
            `${name}: substitutePath entry ${i + 1} has "${key}"; only "from" (local) and "to" (remote) are read${closest(key, ['from', 'to']) ? `; did you mean "${closest(key, ['from', 'to'])}"?` : '.'}`,
            { source: SUBSTITUTE_PATH_SOURCE },
          );
      }
      for (const key of ['from', 'to'] as const) {
        const v = e[key];
        if (typeof v !== 'string') {
          add(
            v === undefined ? node : member(node, key),
            'warning',
            'substitute-path',
            `${name}: substitutePath entry ${i + 1} needs "${key}" as a string (the ${key === 'from' ? 'local' : 'remote'} path).`,
            { source: SUBSTITUTE_PATH_SOURCE },
          );
        } else if (key === 'from' && !ABSOLUTE.test(v) && !EXPANDS.test(v)) {
          // "to" may be a module path or "" for -trimpath builds (docs/debugging.md "Trimpath tips"); "from" is a folder here.
          add(
            member(node, key),
            'warning',
            'substitute-path',
            `${name}: substitutePath entry ${i + 1} "from": "${v}" is not an absolute path (or a variable such as \${workspaceFolder}); it is matched as a prefix of the editor's absolute paths, so it never matches.`,
            { source: SUBSTITUTE_PATH_SOURCE },
          );
        }
      }
      if (typeof e.from === 'string') {
        const first = seen.get(e.from);
        if (first !== undefined)
          add(
            node,
            'warning',
            'substitute-path',
            `${name}: substitutePath entry ${i + 1} repeats "from": "${e.from}" of entry ${first + 1}; only the first rule that matches is used.`,
            { source: SUBSTITUTE_PATH_SOURCE },
          );
        else seen.set(e.from, i);
      }
    });
  }

  const env = config.env;
  if (env && typeof env === 'object' && !Array.isArray(env)) {
    for (const [key, v] of Object.entries(env)) {
      if (typeof v === 'string' || v === null) continue;
      const fix =
        typeof v === 'number' || typeof v === 'boolean'
          ? {
              fix: {
                title: `Quote ${JSON.stringify(v)}`,
                edits: [replaceValueEdit(member(valueNode('env'), key).children?.[1] ?? member(valueNode('env'), key), String(v))],
              },
            }
          : {};
      add(
        member(valueNode('env'), key),
        'warning',
        'env-value',
        `${name}: env "${key}" is ${Array.isArray(v) ? 'an array' : typeof v}; environment values must be strings (null unsets a variable), and Delve refuses the launch request otherwise.`,
        { source: ENV_SOURCE, ...fix },
      );
    }
  }

  if (Array.isArray(config.dlvFlags)) {
    config.dlvFlags.forEach((flag, i) => {
      if (typeof flag !== 'string' || !flag.startsWith('-')) return;
      const flagName = flag.replace(/^--?/, '').split('=')[0]!;
      const long = flag.startsWith('--');
      const row = DLV_FLAGS.find((f) => (long ? f.name === flagName : f.short === flagName || f.name === flagName));
      const node = member(valueNode('dlvFlags'), i);
      if (!row) {
        const guess = closest(
          flagName,
          DLV_FLAGS.map((f) => f.name),
        );
        add(
          node,
          'warning',
          'dlvflags-unknown',
          `${name}: dlvFlags has ${flag.split('=')[0]}, which dlv dap does not accept (dlv exits with "unknown flag")${guess ? `; did you mean --${guess}?` : '.'}`,
          { source: dlvFlagData.source },
        );
        return;
      }
      const v = options.dlvVersion && isModuleVersion(options.dlvVersion) ? options.dlvVersion : undefined;
      if (v && row.until && compareModule(v, row.until) > 0) {
        add(
          node,
          'warning',
          'dlvflags-unknown',
          `${name}: dlvFlags has --${row.name}, which Delve ${v} no longer has (last in ${row.until}).`,
          { source: dlvFlagData.source },
        );
      }
    });
  }
}

/** Headless dlv command lines in tasks.json: loopback, API version, --continue. */
export function lintTasksJson(text: string, options: LintOptions): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const { node, value: task } of objectsAt(parseOrReport(text, options.file, findings), 'tasks')) {
    const argv = commandLine(task);
    const dlvAt = argv.findIndex((a) => /(^|[/\\])dlv(\.exe)?$/.test(a));
    if (dlvAt < 0) continue;
    const args = argv.slice(dlvAt + 1);
    const label = typeof task.label === 'string' ? `task "${task.label}"` : 'a dlv task';
    const where = findNodeAtLocation(node, ['args']) ?? findNodeAtLocation(node, ['command']) ?? node;
    const add = (severity: LintSeverity, rule: string, message: string, source?: string) =>
      findings.push({
        file: options.file,
        ...lineColumn(text, where.offset),
        offset: where.offset,
        length: where.length,
        severity,
        rule,
        message,
        ...(source ? { source } : {}),
      });
    const has = (flag: string) => args.some((a) => a === flag || a.startsWith(`${flag}=`));
    const value = (flag: string) => {
      const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
      return i < 0 ? undefined : args[i]!.includes('=') ? args[i]!.slice(flag.length + 1) : args[i + 1];
    };
    const headless = has('--headless') || args[0] === 'dap';
    const listen = value('--listen') ?? value('-l');
    if (headless && listen !== undefined && !listen.startsWith('unix:')) {
      const host = listen.replace(/:\d*$/, '');
      if (!isLoopbackHost(host)) {
        add(
          'warning',
          'non-loopback',
          `${label}: dlv listens on ${listen.startsWith(':') ? `all interfaces (${listen})` : listen}; the headless server takes unauthenticated connections from anyone who can reach it, and on macOS the firewall asks about it. Use --listen=127.0.0.1:${listen.split(':').pop() || '2345'}.`,
          SECURITY_SOURCE,
        );
      }
    }
    if (has('--headless')) {
      const api = value('--api-version');
      if (api === '1')
        add(
          'warning',
          'api-version',
          `${label}: --api-version=1 is the old JSON-RPC API; clients expect 2 (and Delve 1.24.0 and later accept only 2).`,
          API_SOURCE,
        );
      else if (
        api === undefined &&
        (!options.dlvVersion || !isModuleVersion(options.dlvVersion) || compareModule(options.dlvVersion, API_V2_DEFAULT_SINCE) < 0)
      ) {
        add(
          options.dlvVersion ? 'warning' : 'info',
          'api-version',
          `${label}: without --api-version=2, Delve before ${API_V2_DEFAULT_SINCE} serves the old API v1${options.dlvVersion ? ` (this dlv is ${options.dlvVersion})` : ''}; add --api-version=2.`,
          API_SOURCE,
        );
      }
      if (has('--continue') && !has('--accept-multiclient')) {
        add(
          'error',
          'continue-multiclient',
          `${label}: --continue requires --accept-multiclient; Delve refuses to start ("Error: --continue requires --accept-multiclient").`,
          CONTINUE_SOURCE,
        );
      }
    }
  }
  return findings;
}

/** The labels of the tasks in a tasks.json, read as far as it parses (its own lint reports the rest). */
export function taskLabels(text: string): string[] {
  return objectsAt(parseTree(text, [], { allowTrailingComma: true }), 'tasks')
    .map((t) => t.value.label)
    .filter((l): l is string => typeof l === 'string');
}

/** The command line a task runs, as words (a shell task's command string is split on spaces). */
function commandLine(task: Record<string, unknown>): string[] {
  const command = typeof task.command === 'string' ? task.command : '';
  const words = task.type === 'shell' || !Array.isArray(task.args) ? command.split(/\s+/).filter(Boolean) : [command];
  const args = Array.isArray(task.args)
    ? task.args.map((a) =>
        typeof a === 'string' ? a : typeof a === 'object' && a && 'value' in a ? String((a as { value: unknown }).value) : '',
      )
    : [];
  return [...words, ...args.flatMap((a) => (task.type === 'shell' ? a.split(/\s+/) : [a]))].filter(Boolean);
}

function parseOrReport(text: string, file: string, findings: LintFinding[]): Node | undefined {
  try {
    return parseJsonc(text);
  } catch (err) {
    if (!(err instanceof JsoncFileError)) throw err;
    findings.push({
      file,
      line: err.line,
      column: err.column,
      offset: 0,
      length: 0,
      severity: 'error',
      rule: 'syntax',
      message: err.message.replace(/^line \d+, column \d+: /, 'Not valid JSON with comments: '),
    });
    return undefined;
  }
}

/** Removes a property and its separating comma, leaving the rest of the line layout alone. */
function removalEdit(text: string, prop: Node): TextEdit {
  let start = prop.offset;
  let end = prop.offset + prop.length;
  // Scans, not regular expressions over slices of the text: one fix per finding must stay cheap
  // in a file of 10,000 configurations.
  let next = end;
  while (next < text.length && /\s/.test(text[next]!)) next++;
  if (text[next] === ',') end = next + 1;
  else {
    let previous = start - 1;
    while (previous >= 0 && /\s/.test(text[previous]!)) previous--;
    if (text[previous] === ',') start = previous;
  }
  // Take the whole line when the property had it to itself.
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  if (/^[ \t]*$/.test(text.slice(lineStart, start)) && /^[ \t]*\r?$/.test(text.slice(end, lineEnd < 0 ? text.length : lineEnd))) {
    start = lineStart;
    end = lineEnd < 0 ? text.length : lineEnd + 1;
  }
  return { offset: start, length: end - start, text: '' };
}

function replaceValueEdit(node: Node, value: unknown): TextEdit {
  return { offset: node.offset, length: node.length, text: JSON.stringify(value) };
}

function stripGcflags(flags: unknown): unknown {
  const gc = /^--?gcflags(=|$)/;
  if (Array.isArray(flags)) {
    const out: unknown[] = [];
    for (let i = 0; i < flags.length; i++) {
      const f = flags[i];
      if (typeof f === 'string' && gc.test(f)) {
        if (!f.includes('=')) i++;
        continue;
      }
      out.push(f);
    }
    return out;
  }
  if (typeof flags !== 'string') return undefined;
  return flags.replace(/(^|\s)--?gcflags(=('[^']*'|"[^"]*"|\S+)|\s+('[^']*'|"[^"]*"|\S+))/g, '').trim();
}

/** A known name within two edits (a likely typo), else undefined. */
function closest(word: string, candidates: string[]): string | undefined {
  // Edit distance costs length × length: a pasted kilobyte-long key is no typo.
  if (word.length > 64) return undefined;
  // The same misspelling in many configurations is looked up once.
  const key = `${candidates.length}:${candidates[0] ?? ''}:${word}`;
  if (guesses.has(key)) return guesses.get(key);
  if (guesses.size > 10_000) guesses.clear();
  const found = closestUncached(word, candidates);
  guesses.set(key, found);
  return found;
}

const guesses = new Map<string, string | undefined>();

function closestUncached(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((x, y) => y.offset - x.offset)
    .reduce((t, e) => t.slice(0, e.offset) + e.text + t.slice(e.offset + e.length), text);
}
