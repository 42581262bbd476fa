import * as path from 'node:path';
import { locateTool, parseGoEnvFile, resolveGoPaths, type GoPaths, type ToolLocation, type ToolSettings } from './discovery';
import type { BinaryInfo } from '../binary/inspect';
import type { Host } from '../probes/host';
import { once } from './once';
import {
  GO_ENV_KEYS,
  parseDlvVersion,
  parseGoEnvJson,
  parseGoMod,
  parseGoplsVersion,
  parseGoVersionM,
  parseGoVersionOutput,
  type DlvVersionOutput,
  type GoEnv,
  type GoModFacts,
  type GoplsVersionOutput,
  type GoVersionOutput,
} from './parsers';
import type { ProbeRecord } from '../probes/probeRecord';
import { resolveOptions, type Backend, type CustomProfile, type SessionInit, type SessionOptions } from '../session/options';
import { compareGo, compareModule, formatGoVersion, parseGoVersion, parseModuleVersion, type GoVersion } from './versions';

/** The environment every probe of the doctor runs with, on top of the user's (see Facts.run). */
const PROBE_ENV = { GO_TELEMETRY_CHILD: '2' } as const;

/** What Facts are gathered with: the session's options and the host that sees the machine. */
export type DoctorOptions = SessionInit & { host: Host };

/** A probe and what was understood from it (undefined: the output was not recognised). */
export interface Parsed<T> {
  probe: ProbeRecord;
  value?: T;
}

export interface BinaryRead {
  path: string;
  info?: BinaryInfo;
  error?: string;
}

export interface WorkspaceModule {
  file: string;
  kind: 'go.work' | 'go.mod';
  facts: GoModFacts;
}

export interface EffectiveGo {
  /** The Go that will build the program being debugged. */
  version: GoVersion;
  /** One sentence: why this Go. */
  reason: string;
  /** Set when the go command will refuse to build (GOTOOLCHAIN=local and go.mod needs newer). */
  blocked?: string;
  gotoolchain: string;
}

/**
 * Everything the checks know about the machine. Each fact is gathered at most once, on first use,
 * so checks that share a probe share its cost and independent probes run at the same time.
 */
export class Facts {
  readonly host: Host;
  readonly workspace: string | undefined;
  readonly settings: ToolSettings;
  readonly timeoutMs: number;
  readonly profile: string;
  readonly customProfile: CustomProfile | undefined;
  readonly backend: Backend;
  readonly pinnedDlv: string | undefined;
  /** False in an untrusted VS Code workspace: its go.mod is not read and golang.go is switched off. */
  readonly trusted: boolean;
  private readonly options: SessionOptions;

  /** Built by a Session (src/core/session), which parsed the options once; tests may build one directly. */
  constructor({ host, ...init }: DoctorOptions) {
    const options = resolveOptions(init);
    this.options = options;
    this.host = host;
    this.workspace = options.workspace;
    this.settings = options.settings;
    this.timeoutMs = options.timeoutMs;
    this.profile = options.profile;
    this.customProfile = options.customProfile;
    this.backend = options.backend;
    this.pinnedDlv = options.pinnedDlv;
    this.trusted = options.trusted;
  }

  /**
   * Runs a tool. go commands get GOTOOLCHAIN=local, so that a probe never downloads a toolchain.
   * Every probe gets GO_TELEMETRY_CHILD=2, which Go's telemetry library (golang.org/x/telemetry,
   * start.go) reads as "a process its own helper started": no probe starts the telemetry helper (a
   * second copy of the binary), and dlv and gopls do not count it as a use (the go command opens
   * its own counters, cmd/go/main.go).
   */
  run(argv: string[], goCommand = false): Promise<ProbeRecord> {
    return this.host.run(argv, {
      timeoutMs: this.timeoutMs,
      ...(this.workspace ? { cwd: this.workspace } : {}),
      envOverrides: { ...PROBE_ENV, ...(goCommand ? { GOTOOLCHAIN: 'local' } : {}) },
    });
  }

  readonly goPaths = once((): Promise<GoPaths> => resolveGoPaths(this.host));

  readonly goLocation = once((): Promise<ToolLocation> => locateTool(this.host, 'go', this.settings, this.goPaths(), this.locateOptions()));

  private toolLocation(tool: 'dlv' | 'gopls'): Promise<ToolLocation> {
    // The Go extension uses `go env GOROOT`; GOROOT from the environment or the go env file, else
    // the real path of the go binary, gives the same answer without waiting for a process. The
    // other folders are searched meanwhile.
    const goroot = this.settings.goroot
      ? undefined
      : this.goPaths().then(
          async (paths) =>
            paths.goroot ??
            this.goLocation().then(async (location) => {
              const real = location.found ? await this.host.realpath(location.found.path) : undefined;
              return real ? path.dirname(path.dirname(real)) : undefined;
            }),
        );
    return locateTool(this.host, tool, this.settings, this.goPaths(), { ...this.locateOptions(), ...(goroot ? { goroot } : {}) });
  }

  private locateOptions(): { workspaceFolder?: string; defaultGoFolders?: readonly string[] } {
    return {
      ...(this.workspace ? { workspaceFolder: this.workspace } : {}),
      ...(this.options.defaultGoFolders ? { defaultGoFolders: this.options.defaultGoFolders } : {}),
    };
  }

  readonly dlvLocation = once(() => this.toolLocation('dlv'));
  readonly goplsLocation = once(() => this.toolLocation('gopls'));

  /**
   * The local Go. `go env -json` already carries GOVERSION (Go 1.16+) and the host platform, so
   * `go version` runs only for older toolchains: one process fewer on every run.
   */
  readonly goVersion = once(async (): Promise<Parsed<GoVersionOutput> | undefined> => {
    const env = await this.goEnv();
    if (!env) return undefined;
    const version = env.value?.GOVERSION ? parseGoVersion(env.value.GOVERSION) : undefined;
    if (version) {
      const value: GoVersionOutput = { version, raw: `${env.value!.GOVERSION} ${env.value!.GOHOSTOS}/${env.value!.GOHOSTARCH}` };
      if (env.value!.GOHOSTOS) value.goos = env.value!.GOHOSTOS;
      if (env.value!.GOHOSTARCH) value.goarch = env.value!.GOHOSTARCH;
      return { probe: env.probe, value };
    }
    const go = (await this.goLocation()).found!;
    const probe = await this.run([go.path, 'version'], true);
    return withValue(probe, probe.outcome === 'ok' ? parseGoVersionOutput(probe.stdout) : undefined);
  });

  readonly goEnv = once(async (): Promise<Parsed<GoEnv> | undefined> => {
    const go = (await this.goLocation()).found;
    if (!go) return undefined;
    const probe = await this.run([go.path, 'env', '-json', ...GO_ENV_KEYS], true);
    return withValue(probe, probe.outcome === 'ok' ? parseGoEnvJson(probe.stdout) : undefined);
  });

  readonly dlvVersion = once(async (): Promise<Parsed<DlvVersionOutput> | undefined> => {
    const dlv = (await this.dlvLocation()).found;
    if (!dlv) return undefined;
    const probe = await this.run([dlv.path, 'version']);
    return withValue(probe, probe.outcome === 'ok' ? parseDlvVersion(probe.stdout) : undefined);
  });

  /**
   * Starts the version probes of the tools that exist, slowest first: gopls (a large binary that
   * initialises many packages), then dlv, then go. Starting a process holds this thread for a few
   * milliseconds, so the order of the starts decides when the slowest probe ends. Finding the
   * tools runs no process and is done for all three before the first start. The checks ask for
   * the same memoised facts, so nothing runs twice and nothing runs that they would not run.
   */
  async startVersionProbes(): Promise<void> {
    const [gopls, dlv, go] = await Promise.all([this.goplsLocation(), this.dlvLocation(), this.goLocation()]);
    // A failure surfaces where a check awaits the same promise; here it only must not go unhandled.
    const started = [gopls.found && this.goplsVersion(), dlv.found && this.dlvVersion(), go.found && this.goEnv()];
    for (const probe of started) if (probe) probe.catch(() => undefined);
  }

  private readonly binaries = new Map<string, Promise<BinaryRead>>();

  /** A binary's CPU types, signature and Go build info, read from the file once per run (no process). */
  readBinary(file: string): Promise<BinaryRead> {
    let read = this.binaries.get(file);
    if (!read) {
      // The binary reader loads on first use: the version probes start before it is needed.
      read = import('../binary/inspect')
        .then(({ inspectFile }) => inspectFile(file, (p) => this.host.openBytes(p)))
        .then(
          (info) => ({ path: file, info }),
          (err: unknown) => ({ path: file, error: err instanceof Error ? err.message : String(err) }),
        );
      this.binaries.set(file, read);
    }
    return read;
  }

  readonly dlvBinary = once(async (): Promise<BinaryRead | undefined> => {
    const dlv = (await this.dlvLocation()).found;
    return dlv ? this.readBinary(dlv.path) : undefined;
  });

  /** The Go that built dlv: from the binary, else from `go version -m` (a format our reader may not know). */
  readonly dlvBuildInfo = once(async (): Promise<{ goVersion: GoVersion; raw: string; via: string } | undefined> => {
    const binary = await this.dlvBinary();
    if (!binary) return undefined;
    const fromFile = binary.info?.slices.find((s) => s.goBuildInfo)?.goBuildInfo?.goVersion;
    const parsedFromFile = fromFile ? parseGoVersion(fromFile) : undefined;
    if (fromFile && parsedFromFile) return { goVersion: parsedFromFile, raw: fromFile, via: `build information in ${binary.path}` };
    const go = (await this.goLocation()).found;
    if (!go) return undefined;
    const probe = await this.run([go.path, 'version', '-m', binary.path], true);
    const parsed = probe.outcome === 'ok' ? parseGoVersionM(probe.stdout) : undefined;
    return parsed ? { goVersion: parsed.goVersion, raw: parsed.goVersionRaw, via: `go version -m ${binary.path}` } : undefined;
  });

  readonly goplsVersion = once(async (): Promise<Parsed<GoplsVersionOutput> | undefined> => {
    const gopls = (await this.goplsLocation()).found;
    if (!gopls) return undefined;
    const probe = await this.run([gopls.path, 'version', '-json']);
    const value = probe.outcome === 'ok' ? parseGoplsVersion(probe.stdout) : undefined;
    if (value || probe.outcome === 'timeout' || probe.outcome === 'not-found') return withValue(probe, value);
    // gopls releases before -json existed print plain text.
    const text = await this.run([gopls.path, 'version']);
    return withValue(text, text.outcome === 'ok' ? parseGoplsVersion(text.stdout) : undefined);
  });

  /** go.work wins over go.mod, as it does for the go command. */
  readonly workspaceModule = once(async (): Promise<WorkspaceModule | undefined> => {
    if (!this.workspace) return undefined;
    for (const kind of ['go.work', 'go.mod'] as const) {
      const file = path.join(this.workspace, kind);
      const text = await this.host.readText(file);
      if (text !== undefined) return { file, kind, facts: parseGoMod(text) };
    }
    return undefined;
  });

  /**
   * GOTOOLCHAIN as the user has it (our own go probes force "local"), with the go command's own
   * precedence (cmd/go/internal/cfg/cfg.go initEnvCache/readEnvFile): a non-empty environment
   * variable, then the user's go env file, then $GOROOT/go.env, which a Go distribution ships (Go's
   * own sets "auto"; some set "local"). A line in the user's file wins even when empty, and an empty
   * or missing value makes the go command keep itself (toolchain/select.go): "local".
   */
  readonly gotoolchain = once(async (): Promise<string> => {
    const fromEnv = this.host.env('GOTOOLCHAIN');
    if (fromEnv) return fromEnv;
    const paths = await this.goPaths();
    const read = async (file: string | undefined) => (file ? parseGoEnvFile((await this.host.readText(file)) ?? '') : {});
    const user = await read(paths.goEnvFile);
    if (Object.hasOwn(user, 'GOTOOLCHAIN')) return user.GOTOOLCHAIN || 'local';
    const goroot = (await this.goEnv())?.value?.GOROOT;
    return (await read(goroot ? path.join(goroot, 'go.env') : undefined)).GOTOOLCHAIN || 'local';
  });

  /**
   * The Go that builds the program being debugged: the local toolchain, unless go.mod/go.work asks
   * for a newer one and GOTOOLCHAIN lets the go command switch (https://go.dev/doc/toolchain).
   */
  readonly effectiveGo = once(async (): Promise<EffectiveGo | undefined> => {
    const [local, module, gotoolchain] = await Promise.all([this.goVersion(), this.workspaceModule(), this.gotoolchain()]);
    const localVersion = local?.value?.version;
    if (!localVersion) return undefined;
    const [mode, suffix] = gotoolchain.split('+') as [string, string | undefined];
    // The go line is the minimum the go command accepts; with GOTOOLCHAIN other than local it
    // switches to the newer of the go and toolchain lines (https://go.dev/doc/toolchain).
    const minimum = module?.facts.go;
    const toolchain = module?.facts.toolchain;
    const want =
      mode === 'local' ? minimum : minimum && toolchain && compareGo(toolchain, minimum) > 0 ? toolchain : (minimum ?? toolchain);
    const wantText = want
      ? formatGoVersion(
          want.patch === undefined && !want.prerelease && compareGo(want, { major: 1, minor: 21 }) >= 0 ? { ...want, patch: 0 } : want,
        )
      : undefined;
    const localText = formatGoVersion(localVersion);
    if (mode !== 'local' && mode !== 'auto' && mode !== 'path') {
      const pinned = parseGoVersion(mode);
      if (pinned) {
        if (suffix && want && compareGo(want, pinned) > 0) {
          return { version: want, reason: `${module!.kind} asks for ${wantText}, newer than GOTOOLCHAIN=${gotoolchain}.`, gotoolchain };
        }
        return { version: pinned, reason: `GOTOOLCHAIN=${gotoolchain} selects ${formatGoVersion(pinned)}.`, gotoolchain };
      }
    }
    if (!want || compareGo(want, localVersion) <= 0) {
      return {
        version: localVersion,
        reason: want
          ? `The local ${localText} satisfies ${module!.kind} (${wantText}).`
          : `No go.mod or go.work in the workspace: the local ${localText} builds it.`,
        gotoolchain,
      };
    }
    if (mode === 'local') {
      return {
        version: localVersion,
        reason: `${module!.kind} asks for ${wantText} but GOTOOLCHAIN=local keeps ${localText}.`,
        blocked: `go: ${path.basename(module!.file)} requires go >= ${wantText!.replace(/^go/, '')} (running go ${localText.replace(/^go/, '')}; GOTOOLCHAIN=local)`,
        gotoolchain,
      };
    }
    const how = mode === 'path' ? 'from PATH (GOTOOLCHAIN=path never downloads)' : 'and the go command switches to it (GOTOOLCHAIN=auto)';
    return { version: want, reason: `${module!.kind} asks for ${wantText}, newer than the local ${localText}, ${how}.`, gotoolchain };
  });

  /** The installed Go extension for VS Code (in the CLI: the newest golang.go-* in the usual folders). */
  readonly goExtension = once(async (): Promise<{ version: string; path?: string } | undefined> => {
    if (this.options.goExtension !== undefined) return this.options.goExtension ?? undefined;
    let best: { version: string; path: string } | undefined;
    for (const dir of ['.vscode', '.vscode-insiders', '.vscode-server', '.cursor', '.vscode-oss'].map((d) =>
      path.join(this.host.homedir, d, 'extensions'),
    )) {
      for (const entry of (await this.host.listDir(dir)) ?? []) {
        const m = /^golang\.go-(\d+\.\d+\.\d+(?:-[\w.]+)?)(?:-[a-z0-9-]+)?$/.exec(entry);
        const version = m?.[1] ? parseModuleVersion(m[1]) : undefined;
        if (version && (!best || compareModule(version, best.version) > 0)) best = { version, path: path.join(dir, entry) };
      }
    }
    return best;
  });
}

function withValue<T>(probe: ProbeRecord, value: T | undefined): Parsed<T> {
  return value === undefined ? { probe } : { probe, value };
}
