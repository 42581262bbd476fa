import type { Node } from 'jsonc-parser';
import { compareModule, isModuleVersion } from '../facts/versions';
import dlvFlagData from '../knowledge/dlvFlags.json';
import { closest } from './closestName';
import { replaceValueEdit } from './lintEdits';
import type { LintOptions, Locate, Report } from './lintFinding';

/** Flags the Go extension sets itself when it starts `dlv dap` (goDebugFactory.ts getSpawnConfig). */
const ADAPTER_OWNED_FLAGS = ['--listen', '--headless', '--api-version', '--accept-multiclient', '--log-dest', '--client-addr'];

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

/** dlvFlags entries that the Go extension sets itself, or that repeat "backend". */
export function lintDlvFlagConflicts(config: Record<string, unknown>, name: string, at: Locate, add: Report): void {
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
}

/** dlvLoadConfig fields, substitutePath entries, env values and dlvFlags entries. */
export function lintInsideObjects(config: Record<string, unknown>, name: string, at: Locate, add: Report, options: LintOptions): void {
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
