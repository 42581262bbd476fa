import { createHash } from 'node:crypto';
import { compareModule, isModuleVersion } from '../facts/versions';
import attributes from '../knowledge/goDebugAttributes.json';
import type { GoPackage } from './workspace';

export type PresetName = 'fast' | 'deep' | 'none';
export type Adapter = 'dlv-dap' | 'legacy';
export type ConfigKind = 'launch' | 'test' | 'attach' | 'remote' | 'container';

/** A launch.json configuration or a tasks.json task: plain JSON. */
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

export interface Preset {
  name: Exclude<PresetName, 'none'>;
  title: string;
  why: string;
  dap: { stackTraceDepth: number; maxStringLen: number; maxArrayValues: number; hideSystemGoroutines: boolean };
  legacy: { followPointers: boolean; maxVariableRecurse: number; maxStringLen: number; maxArrayValues: number; maxStructFields: number };
}

/**
 * Delve's own defaults are 50 frames, 512-byte strings and 64 elements (go-delve/delve@v1.27.1
 * service/dap/server.go defaultArgs; types.go). Each Variables request loads that much per
 * variable, so the limits trade stepping speed against what you can see without expanding.
 */
export const PRESETS: Record<Preset['name'], Preset> = {
  fast: {
    name: 'fast',
    title: 'Fast stepping',
    why: "Half of Delve's default string and array limits and a shorter stack: every stop loads less, so stepping through code with large locals stays quick. Expanding a value still loads the rest.",
    dap: { stackTraceDepth: 30, maxStringLen: 256, maxArrayValues: 32, hideSystemGoroutines: true },
    legacy: { followPointers: true, maxVariableRecurse: 1, maxStringLen: 256, maxArrayValues: 32, maxStructFields: -1 },
  },
  deep: {
    name: 'deep',
    title: 'Deep inspection',
    why: 'Strings up to 4 KiB (whole JSON payloads and SQL statements), 512 elements of slices and maps, 100 frames: for reading data, at the cost of slower stops.',
    dap: { stackTraceDepth: 100, maxStringLen: 4096, maxArrayValues: 512, hideSystemGoroutines: false },
    legacy: { followPointers: true, maxVariableRecurse: 3, maxStringLen: 4096, maxArrayValues: 512, maxStructFields: -1 },
  },
};

export interface GenerateOptions {
  folderName: string;
  packages: GoPackage[];
  kinds?: readonly ConfigKind[];
  preset?: PresetName;
  adapter?: Adapter;
  /** The dlv the configurations will run with (decides which knobs it honours). */
  dlvVersion?: string;
  /** The dlv binary for the headless task (absolute path of the selected or pinned dlv). */
  dlvPath?: string;
  /** Ports already used by existing configurations of the same name (kept, so a second run changes nothing). */
  existingPorts?: ReadonlyMap<string, number>;
  /** Decides whether a port is free right now (the generator prefers a stable port per package). */
  portFree?: (port: number) => boolean | Promise<boolean>;
  /** Caps the per-package entries (large repositories): the rest are reported, not written. */
  maxPerKind?: number;
  /** Kind "container": the folder the sources have inside the container or on the remote host (default /app). */
  remoteRoot?: string;
}

export interface Generated {
  configurations: JsonObject[];
  tasks: JsonObject[];
  /** What was left out and why, one sentence each. */
  notes: string[];
}

export const LISTEN_LINE = '^API server listening at: ';

const dapKnob = (name: 'maxStringLen' | 'maxArrayValues', dlv?: string) => {
  const min = attributes.delveMinimum[name].version;
  return dlv !== undefined && isModuleVersion(dlv) && compareModule(dlv, min) >= 0;
};

function tuning(preset: PresetName, adapter: Adapter, dlvVersion?: string): JsonObject {
  if (preset === 'none') return {};
  const p = PRESETS[preset];
  if (adapter === 'legacy') return { dlvLoadConfig: { ...p.legacy } };
  const out: JsonObject = { stackTraceDepth: p.dap.stackTraceDepth, hideSystemGoroutines: p.dap.hideSystemGoroutines };
  if (dapKnob('maxStringLen', dlvVersion)) out.maxStringLen = p.dap.maxStringLen;
  if (dapKnob('maxArrayValues', dlvVersion)) out.maxArrayValues = p.dap.maxArrayValues;
  return out;
}

const label = (folderName: string, pkg: GoPackage) => (pkg.rel === '.' ? folderName : pkg.rel);
const program = (pkg: GoPackage) => (pkg.rel === '.' ? '${workspaceFolder}' : `\${workspaceFolder}/${pkg.rel}`);
const relArg = (pkg: GoPackage) => (pkg.rel === '.' ? '.' : `./${pkg.rel}`);

/** A port in 40000-48999 that depends only on the package, so regenerating gives the same one. */
export function stablePort(key: string): number {
  return 40000 + (createHash('sha256').update(key).digest().readUInt32BE(0) % 9000);
}

/**
 * The configurations for a workspace: launch and test per package, attach to a local process, and
 * a headless dlv (a background task on 127.0.0.1) with the attach configuration that connects to it.
 */
export async function generateConfigurations(options: GenerateOptions): Promise<Generated> {
  const kinds = new Set(options.kinds ?? ['launch', 'test', 'attach', 'remote']);
  const adapter = options.adapter ?? 'dlv-dap';
  const tuned = tuning(options.preset ?? 'fast', adapter, options.dlvVersion);
  const common: JsonObject = { type: 'go', ...(adapter === 'legacy' ? { debugAdapter: 'legacy' } : {}) };
  const max = options.maxPerKind ?? 12;
  const notes: string[] = [];
  const configurations: JsonObject[] = [];
  const tasks: JsonObject[] = [];
  const mains = options.packages.filter((p) => p.isMain);
  const tested = options.packages.filter((p) => p.hasTests);
  const capped = (list: GoPackage[], what: string) => {
    if (list.length > max) notes.push(`${list.length - max} more ${what} left out (only the first ${max} get their own entry).`);
    return list.slice(0, max);
  };
  if (options.preset !== 'none' && adapter === 'dlv-dap' && !dapKnob('maxStringLen', options.dlvVersion)) {
    notes.push(
      `maxStringLen and maxArrayValues left out: dlv-dap reads them from Delve ${attributes.delveMinimum.maxStringLen.version} on, and ${options.dlvVersion ? `this dlv is ${options.dlvVersion}` : 'the dlv version is unknown'}.`,
    );
  }

  if (kinds.has('launch')) {
    if (!mains.length) notes.push('No package main found: no launch configuration.');
    for (const pkg of capped(mains, 'commands')) {
      configurations.push({
        name: `Launch ${label(options.folderName, pkg)}`,
        ...common,
        request: 'launch',
        mode: 'debug',
        program: program(pkg),
        ...tuned,
      });
    }
  }
  if (kinds.has('test')) {
    for (const pkg of capped(tested, 'packages with tests')) {
      configurations.push({
        name: `Test ${label(options.folderName, pkg)}`,
        ...common,
        request: 'launch',
        mode: 'test',
        program: program(pkg),
        ...tuned,
      });
    }
    if (tested.length)
      configurations.push({
        name: 'Test current package',
        ...common,
        request: 'launch',
        mode: 'test',
        program: '${fileDirname}',
        ...tuned,
      });
  }
  if (kinds.has('attach')) {
    configurations.push({ name: 'Attach to local process', ...common, request: 'attach', mode: 'local', processId: 0, ...tuned });
  }
  if (kinds.has('remote')) {
    for (const pkg of capped(mains, 'commands (headless)')) {
      const name = `Connect to headless dlv: ${label(options.folderName, pkg)}`;
      const port =
        options.existingPorts?.get(name) ?? (await freePort(stablePort(`${options.folderName}/${pkg.importPath}`), options.portFree));
      const task = `Headless dlv for ${label(options.folderName, pkg)}`;
      tasks.push(headlessTask(task, options.dlvPath ?? 'dlv', relArg(pkg), port));
      // Explicitly dlv-dap: for mode "remote" the Go extension otherwise falls back to the legacy
      // adapter when `dlv substitute-path-guess-helper` fails (older dlv), which ignores the knobs.
      configurations.push({ ...loopbackAttach(name, adapter, port), preLaunchTask: task, ...tuned });
    }
  }
  if (kinds.has('container')) {
    for (const pkg of capped(mains, 'commands (container)')) {
      const name = `Connect to dlv in a container: ${label(options.folderName, pkg)}`;
      const port = options.existingPorts?.get(name) ?? DLV_PORT;
      const remote = containerConfiguration(name, pkg, port, options.remoteRoot ?? '/app', adapter, tuned);
      configurations.push(remote.configuration);
      notes.push(...remote.notes);
    }
  }
  return { configurations, tasks, notes };
}

/**
 * Attaching to a dlv server (mode "remote") on this machine's loopback: a headless dlv accepts
 * unauthenticated connections, so a generated configuration never names another host.
 */
function loopbackAttach(name: string, adapter: Adapter, port: number): JsonObject {
  return { name, type: 'go', request: 'attach', mode: 'remote', debugAdapter: adapter, host: '127.0.0.1', port };
}

/** Delve's conventional headless port. */
export const DLV_PORT = 2345;

/**
 * A mode "remote" configuration for a dlv that runs where the program runs (a container, a remote
 * host), with substitutePath from the workspace to the folder the sources have there, and the server
 * commands that match it.
 */
export function containerConfiguration(
  name: string,
  pkg: GoPackage,
  port: number,
  remoteRoot: string,
  adapter: Adapter,
  tuned: JsonObject,
): { configuration: JsonObject; notes: string[] } {
  const root = remoteRoot.replace(/\/+$/, '') || '/';
  const pkgArg = relArg(pkg);
  const serve = (listen: string) => `dlv debug ${pkgArg} --headless --listen=${listen} --accept-multiclient --api-version=2`;
  return {
    configuration: {
      ...loopbackAttach(name, adapter, port),
      // The program's file names are the container's (/app/...); the editor's are the workspace's.
      substitutePath: [{ from: '${workspaceFolder}', to: root }],
      ...tuned,
    },
    notes: [
      `"${name}": start the server inside the container, from ${root}: docker run --rm -p 127.0.0.1:${port}:${DLV_PORT} --cap-add=SYS_PTRACE --security-opt seccomp=unconfined -v "$PWD":${root} -w ${root} IMAGE ${serve(`:${DLV_PORT}`)} ` +
        `(the port is published on 127.0.0.1 only because a headless dlv accepts unauthenticated connections; SYS_PTRACE lets dlv trace the program and the default seccomp profile blocks the personality() call Delve uses to turn off address randomisation).`,
      `"${name}" on a remote host over SSH: run ${serve(`127.0.0.1:${DLV_PORT}`)} in ${root} on the host, and here: ssh -N -L ${port}:127.0.0.1:${DLV_PORT} USER@HOST (the server stays on the host's loopback; the tunnel carries the connection). If the sources are not in ${root} there, change "to" in substitutePath.`,
    ],
  };
}

async function freePort(preferred: number, isFree?: (port: number) => boolean | Promise<boolean>): Promise<number> {
  if (!isFree) return preferred;
  for (let i = 0; i < 50; i++) {
    const port = 40000 + ((preferred - 40000 + i * 97) % 9000);
    if (await isFree(port)) return port;
  }
  return preferred;
}

/**
 * `dlv debug` as a headless server on loopback only (it accepts unauthenticated connections), kept
 * running for several sessions; VS Code waits for Delve's "API server listening at:" line.
 */
export function headlessTask(label: string, dlv: string, pkgArg: string, port: number): JsonObject {
  return {
    label,
    type: 'process',
    command: dlv,
    args: ['debug', pkgArg, '--headless', `--listen=127.0.0.1:${port}`, '--api-version=2', '--accept-multiclient'],
    options: { cwd: '${workspaceFolder}' },
    isBackground: true,
    problemMatcher: {
      owner: 'go-debug-doctor',
      source: 'dlv',
      // Compile errors from `dlv debug` land in the Problems panel; Delve's own errors stay in the terminal.
      fileLocation: ['relative', '${workspaceFolder}'],
      pattern: { regexp: '^(.+\\.go):(\\d+):(\\d+): (.*)$', file: 1, line: 2, column: 3, message: 4 },
      background: { activeOnStart: true, beginsPattern: LISTEN_LINE, endsPattern: LISTEN_LINE },
    },
  };
}
