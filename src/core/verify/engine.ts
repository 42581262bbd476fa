import { dapListenAddress, loopbackAddress } from '../dap/loopback';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapClient } from '../dap/client';
import { Cancelled, stepRunner, type SessionStep } from '../dap/steps';
import { explainDelveOutput } from '../knowledge/delveErrors';
import { programsRunBy } from './programs';
import type { Host } from '../probes/host';
import { killProcessesRunning, ServerStartError, type ServerHandle } from '../probes/process';
import {
  buildTags,
  ConfigError,
  hasTrimpath,
  isLoopback,
  pickConfiguration,
  readLaunchJson,
  resolveConfiguration,
  type GoSettings,
  type LaunchJson,
  type ResolvedConfig,
} from './config';
import { checkConstraints, hostGoos, type ConstraintVerdict } from './constraints';
import { defaultBreakpoint, findModules, mainPackages, type BreakpointSpec } from './defaults';
import { analysePaths, applySubstitute, gorootOf, isUserSource, type PathMapping, type SubstituteEntry } from './pathMapping';

export type VerifyStepId =
  | 'resolve'
  | 'start'
  | 'connect'
  | 'initialize'
  | 'launch'
  | 'attach'
  | 'sources'
  | 'setBreakpoints'
  | 'configurationDone'
  | 'stopped'
  | 'disconnect'
  | 'diagnose';

export type VerifyStep = SessionStep<VerifyStepId>;

export type BreakpointReason =
  | 'symlink'
  | 'trimpath'
  | 'build-root'
  | 'build-tag'
  | 'goos-suffix'
  | 'test-file'
  | 'test-package'
  | 'no-statement'
  | 'stripped'
  | 'not-in-binary'
  | 'not-hit'
  | 'session-failed';

export interface VerifyBreakpoint {
  file: string;
  line: number;
  verified: boolean;
  hit: boolean;
  /** Delve's own words when it did not bind the breakpoint. */
  message?: string;
  reason?: BreakpointReason;
  /** The cause in one sentence. */
  cause?: string;
  /** The line Delve moved the breakpoint to, when it moved it. */
  boundLine?: number;
}

export interface VerifyFix {
  label: string;
  /** The launch.json attribute it changes: substitutePath, buildFlags, env.GOOS… */
  attribute: string;
  value: unknown;
  /** False when the change would overwrite something the user wrote: shown, never applied. */
  automatic: boolean;
}

export interface VerifyDiagnosis {
  id: string;
  cause: string;
  fix: string;
  source?: string;
}

export interface VerifyResult {
  config: string;
  request: string;
  mode: string;
  outcome: 'pass' | 'fail' | 'cancelled';
  steps: VerifyStep[];
  breakpoints: VerifyBreakpoint[];
  pathMapping: Omit<PathMapping, 'substitutePath' | 'missing' | 'kind'> & { substitutePath: SubstituteEntry[] };
  fixes: VerifyFix[];
  /** Set by the --fix flow: the configuration was changed and the second run passed. */
  fixed: boolean;
  diagnoses: VerifyDiagnosis[];
  /** What stopped the session early (a launch that failed, a server that did not answer). */
  error?: string;
  /** The configuration could not be read or run as written (launch.json, names, hosts): a usage error. */
  configError?: boolean;
  /** The remote server verify connected to (never stopped by verify). */
  server?: string;
  launchFile?: string;
  durationMs: number;
}

export interface VerifyOptions {
  host: Host;
  /** The workspace folder as the editor opened it. */
  folder: string;
  config?: string;
  /** launch.json already read (VS Code passes the editor's view); read from the folder otherwise. */
  launch?: LaunchJson;
  breakpoints?: BreakpointSpec[];
  dlv: string;
  go: string;
  settings?: GoSettings;
  activeFile?: string;
  /** Budget for the build inside launch and for reaching the breakpoint (default 120 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  onStep?: (step: VerifyStep) => void;
  /**
   * Asked when the configuration makes other programs run (programsRunBy: -toolexec, a CC, dlv's
   * --init…): true to go on. Without it, such a configuration is not run.
   */
  allowPrograms?: (what: readonly string[]) => Promise<boolean>;
}

const REQUEST_MS = 15_000;
const START_MS = 20_000;

class StepFailed extends Error {}

interface Session {
  config: ResolvedConfig;
  client?: DapClient;
  server?: ServerHandle;
  outputDir?: string;
  sources?: string[];
  stoppedThread?: number;
  /** Everything Delve said on its console and stderr. */
  said(): string;
}

/**
 * Runs the user's own debug configuration through Delve, the way the Go extension would, and says
 * for each breakpoint whether it binds and whether the program stops there; when not, why, and
 * which change of the configuration fixes it. Every process and file it starts is gone afterwards;
 * a remote server it only connected to is left running.
 */
export async function runVerify(options: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now();
  const steps: VerifyStep[] = [];
  const result: VerifyResult = {
    config: options.config ?? '',
    request: '',
    mode: '',
    outcome: 'fail',
    steps,
    breakpoints: [],
    pathMapping: { symlinks: [], trimpath: false, substitutePath: [], unmatched: [] },
    fixes: [],
    fixed: false,
    diagnoses: [],
    durationMs: 0,
  };
  const budget = options.timeoutMs ?? 120_000;
  const abort = new AbortController();
  const onCancel = () => abort.abort();
  if (options.signal?.aborted) abort.abort();
  options.signal?.addEventListener('abort', onCancel, { once: true });
  const step = stepRunner<VerifyStepId>(abort.signal, steps, options.onStep, (_id, message, err) =>
    err instanceof ConfigError ? err : new StepFailed(message),
  );

  let session: Session | undefined;
  let specs: BreakpointSpec[] = options.breakpoints ?? [];
  /** Function names of the default breakpoints: Delve itself then says where their first statement is. */
  let defaultFunction: string | undefined;
  const responses = new Map<number, DebugProtocol.Breakpoint>();
  let goEnv: GoEnv = { goos: hostGoos(options.host.platform), goarch: '', goroot: '', goflags: '' };
  let sessionError: string | undefined;
  let hitOrder: number[] = [];
  let singleClient = false;
  try {
    const config = await step(
      'resolve',
      async () => {
        const launch = options.launch ?? (await readLaunchJson(options.host, options.folder));
        result.launchFile = launch.file;
        const raw = pickConfiguration(launch.configurations, options.config);
        return resolveConfiguration(raw, {
          host: options.host,
          folder: options.folder,
          ...(options.activeFile ? { activeFile: options.activeFile } : {}),
          ...(options.settings ? { settings: options.settings } : {}),
        });
      },
      (c) => `${c.name}: ${c.request} ${c.mode}${c.program ? ` ${c.program}` : ''}${c.port ? ` ${c.host}:${c.port}` : ''}`,
    );
    result.config = config.name;
    result.request = config.request;
    result.mode = config.mode;
    const others = programsRunBy(config);
    if (others.length && !(await options.allowPrograms?.(others)))
      throw new ConfigError(
        `"${config.name}" makes other programs run: ${others.join('; ')}. Verify runs it only when you allow that (--allow-programs; in VS Code, answer Run).`,
      );
    if (config.mode === 'remote' && !isLoopback(config.host!)) {
      throw new ConfigError(
        `"${config.name}" connects to ${config.host}:${config.port}; Verify connects only to this machine (127.0.0.1, ::1, localhost). Forward the port first (ssh -L ${config.port}:127.0.0.1:${config.port} ${config.host}) and point the configuration at 127.0.0.1.`,
      );
    }
    goEnv = await readGoEnv(options.host, options.go, config);
    if (!specs.length && config.mode !== 'exec' && config.mode !== 'remote') {
      const bp = await defaultBreakpoint(options.host, config.program!, config.mode === 'test' ? 'test' : 'main');
      if (bp) {
        specs = [{ file: bp.file, line: bp.line }];
        defaultFunction = bp.function;
      }
    }
    result.breakpoints = specs.map((b) => ({ file: b.file, line: b.line, verified: false, hit: false }));
    // No PWD: the editor's dlv inherits the editor's PWD, not the folder's, so the go command asks the
    // system for the working directory and records real paths (a shell's PWD would keep a symlinked one).
    const spawnEnv = { PWD: undefined, ...config.env };
    const s: Session = { config, said: () => `${s.client?.output() ?? ''}\n${s.server?.output() ?? ''}` };
    session = s;
    if (config.mode === 'remote') {
      result.server = `${config.host}:${config.port}`;
      s.client = await step(
        'connect',
        () => DapClient.connect(loopbackAddress(config.host!)!, config.port!, REQUEST_MS),
        () => `${config.host}:${config.port} (a server you started: left running)`,
      );
    } else {
      s.outputDir = await fs.mkdtemp(path.join(tmpdir(), 'gdd-verify-'));
      s.server = await step(
        'start',
        async () => {
          try {
            return await options.host.startServer([options.dlv, 'dap', ...config.dlvFlags, '--listen=127.0.0.1:0'], {
              cwd: config.buildDir,
              envOverrides: spawnEnv,
              ready: /DAP server listening at: /,
              timeoutMs: START_MS,
              signal: abort.signal,
            });
          } catch (err) {
            throw new Error(
              err instanceof ServerStartError ? `${err.message}${err.output.trim() ? `\n${err.output.trim()}` : ''}` : String(err),
              { cause: err },
            );
          }
        },
        (srv) => `${srv.readyLine.trim()}; builds into ${s.outputDir}`,
      );
      const listen = dapListenAddress(s.server.readyLine);
      s.client = await step('connect', async () => {
        if (typeof listen === 'string') throw new Error(listen);
        return DapClient.connect(listen.address, listen.port, REQUEST_MS);
      });
    }
    const dap = s.client;
    const req = <R extends DebugProtocol.Response>(command: string, args?: unknown, timeoutMs = REQUEST_MS) =>
      dap.request<R>(command, args, timeoutMs);

    await step('initialize', () =>
      req('initialize', {
        adapterID: 'go',
        clientID: 'vscode',
        clientName: 'Go Debug Doctor',
        linesStartAt1: true,
        columnsStartAt1: true,
        pathFormat: 'path',
        supportsVariableType: true,
        supportsRunInTerminalRequest: false,
      }),
    );
    if (config.mode === 'remote') {
      // A server without --accept-multiclient closes its listener after the first client and ends when
      // that client leaves (go-delve/delve service/rpccommon/server.go Run): say so, we cannot avoid it.
      if (!(await acceptsAnotherClient(config.host!, config.port!))) singleClient = true;
      await step('attach', () => req('attach', attachArguments(config)));
    } else {
      await step(
        'launch',
        async () => {
          try {
            return await req('launch', launchArguments(config, s.outputDir!), budget);
          } catch (err) {
            sessionError = err instanceof Error ? err.message : String(err);
            throw err;
          }
        },
        () => `${config.mode} ${config.program}`,
      );
    }
    s.sources = await step(
      'sources',
      async () => {
        const r = await req<DebugProtocol.EvaluateResponse>('evaluate', { expression: 'dlv sources', context: 'repl' });
        return r.body.result
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
      },
      (list) => `${list.length} files, ${list.filter((f) => isUserSource(f, goEnv.goroot)).length} outside GOROOT and the module cache`,
    ).catch(() => undefined);
    // A remote program may come from another Go installation than ours.
    if (config.mode === 'remote' && s.sources) goEnv.goroot = gorootOf(s.sources) ?? goEnv.goroot;

    if (!specs.length) {
      specs = await defaultsFromSources(options.host, options.folder, config, s.sources ?? [], goEnv.goroot);
      if (specs.length) defaultFunction = 'main.main';
    }
    if (defaultFunction && specs.length === 1) {
      // Delve puts a function breakpoint after the prologue, on the first line it can stop at.
      const r = await req<DebugProtocol.SetFunctionBreakpointsResponse>('setFunctionBreakpoints', {
        breakpoints: [{ name: defaultFunction }],
      }).catch(() => undefined);
      const line = r?.body.breakpoints[0]?.verified ? r.body.breakpoints[0].line : undefined;
      if (line) specs = [{ file: specs[0]!.file, line }];
      await req('setFunctionBreakpoints', { breakpoints: [] }).catch(() => undefined);
    }
    result.breakpoints = specs.map((b) => ({ file: b.file, line: b.line, verified: false, hit: false }));

    await step(
      'setBreakpoints',
      async () => {
        const byFile = new Map<string, number[]>();
        specs.forEach((b, i) => byFile.set(b.file, [...(byFile.get(b.file) ?? []), i]));
        for (const [file, indexes] of byFile) {
          const r = await req<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', {
            source: { path: file, name: path.basename(file) },
            breakpoints: indexes.map((i) => ({ line: specs[i]!.line })),
            lines: indexes.map((i) => specs[i]!.line),
          });
          // One answer per breakpoint asked, in order: anything past them answers nothing we asked.
          r.body.breakpoints.slice(0, indexes.length).forEach((bp, k) => {
            const i = indexes[k]!;
            responses.set(i, bp);
            const row = result.breakpoints[i]!;
            row.verified = bp.verified;
            if (bp.message) row.message = bp.message;
            if (bp.verified && bp.line && bp.line !== row.line) row.boundLine = bp.line;
          });
        }
        return result.breakpoints.filter((b) => b.verified).length;
      },
      (n) => `${n} of ${specs.length} verified`,
    );

    // A remote program with no breakpoint of ours bound stays halted as we found it: running it would
    // spend the user's run for nothing.
    const run = config.mode !== 'remote' || result.breakpoints.some((b) => b.verified);
    if (run) await step('configurationDone', () => req('configurationDone'));
    if (run && result.breakpoints.some((b) => b.verified)) {
      hitOrder = await step(
        'stopped',
        () => waitForHits(dap, result.breakpoints, responses, budget, s),
        (hits) =>
          hits.length
            ? `stopped at ${hits.map((i) => `${path.basename(specs[i]!.file)}:${specs[i]!.line}`).join(', ')}`
            : 'the program ended without stopping',
      );
    }
  } catch (err) {
    if (err instanceof Cancelled) result.outcome = 'cancelled';
    else if (err instanceof ConfigError) {
      result.error = err.message;
      result.configError = true;
    } else sessionError ??= err instanceof Error ? err.message : String(err);
  } finally {
    options.signal?.removeEventListener('abort', onCancel);
    if (session) await endSession(session, steps, options.onStep);
  }
  if (result.outcome === 'cancelled') return finish(result, started);
  if (sessionError) result.error = sessionError;
  for (const i of hitOrder) result.breakpoints[i]!.hit = true;
  if (singleClient) {
    result.diagnoses.push({
      id: 'server-single-client',
      cause: `The server at ${result.server} runs without --accept-multiclient: Delve ends it when its one client disconnects, after Verify as after any VS Code session.`,
      fix: 'Start it with --accept-multiclient (dlv debug|exec --headless --listen=127.0.0.1:PORT --accept-multiclient --api-version=2) to keep it and its program across sessions.',
    });
  }
  if (session && !result.configError)
    await diagnose(result, session, specs, goEnv, options).catch((err: unknown) => {
      steps.push({ id: 'diagnose', ok: false, durationMs: 0, detail: err instanceof Error ? err.message : String(err) });
    });
  const first = result.breakpoints[0];
  if (!first && !result.error)
    result.diagnoses.push({
      id: 'no-breakpoint',
      cause:
        result.mode === 'exec' || result.mode === 'remote'
          ? `There was no breakpoint to check: in mode ${result.mode} Verify does not choose one.`
          : 'There was no breakpoint to check: main (or the first test) has no statement to stop at, and none was given.',
      fix: 'Name one on a line with code: --break FILE:LINE (in VS Code, set it in the editor before Verify).',
    });
  result.outcome = !result.error && first && result.breakpoints.every((b) => b.verified) && first.hit ? 'pass' : 'fail';
  return finish(result, started);
}

function finish(result: VerifyResult, started: number): VerifyResult {
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

/** The launch request the Go extension sends (program relative to the folder dlv starts in). */
function launchArguments(config: ResolvedConfig, outputDir: string): Record<string, unknown> {
  const program = config.mode === 'exec' ? config.program! : config.program!.endsWith('.go') ? `./${path.basename(config.program!)}` : '.';
  return {
    name: config.name,
    type: 'go',
    request: 'launch',
    mode: config.mode,
    program,
    // Our own file name in our own folder: the user's workspace gets no __debug_bin.
    output: path.join(outputDir, config.mode === 'test' ? 'verify.test' : 'verify.bin'),
    stopOnEntry: false,
    args: config.args,
    env: config.env,
    ...(config.cwd ? { cwd: config.cwd } : {}),
    ...(config.buildFlags !== undefined ? { buildFlags: config.buildFlags } : {}),
    ...(config.backend ? { backend: config.backend } : {}),
    ...(config.substitutePath.length ? { substitutePath: config.substitutePath } : {}),
  };
}

function attachArguments(config: ResolvedConfig): Record<string, unknown> {
  return {
    name: config.name,
    type: 'go',
    request: 'attach',
    mode: 'remote',
    stopOnEntry: false,
    ...(config.cwd ? { cwd: config.cwd } : {}),
    ...(config.substitutePath.length ? { substitutePath: config.substitutePath } : {}),
  };
}

/**
 * Waits for the program to stop; a stop at one of our breakpoints other than the first is noted
 * and the program continued, until the first is reached, the program ends or time runs out.
 */
async function waitForHits(
  dap: DapClient,
  rows: VerifyBreakpoint[],
  responses: Map<number, DebugProtocol.Breakpoint>,
  budgetMs: number,
  session: Session,
): Promise<number[]> {
  const hits: number[] = [];
  const deadline = Date.now() + budgetMs;
  for (let stops = 0; stops < 20; stops++) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const event = await Promise.race(
      [
        dap.waitForEvent<DebugProtocol.StoppedEvent>('stopped', left),
        dap.waitForEvent('terminated', left),
        dap.waitForEvent('exited', left),
      ].map((p) => p.catch(() => undefined)),
    ).catch(() => undefined);
    // No event because the connection is gone (the adapter crashed, or sent what is not DAP): that,
    // not "the program ended", is what happened.
    if (!event && dap.failure) throw dap.failure;
    if (!event || event.event !== 'stopped') break;
    const stopped = event as DebugProtocol.StoppedEvent;
    const thread = stopped.body.threadId ?? 1;
    session.stoppedThread = thread;
    const ids = stopped.body.hitBreakpointIds ?? [];
    let matched = rows.map((_, i) => i).filter((i) => responses.get(i)?.id !== undefined && ids.includes(responses.get(i)!.id!));
    if (!matched.length) {
      const frames = await dap
        .request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: thread, levels: 1 }, REQUEST_MS)
        .catch(() => undefined);
      const top = frames?.body.stackFrames[0];
      matched = rows
        .map((_, i) => i)
        .filter((i) => top && top.source?.path === rows[i]!.file && top.line === (responses.get(i)?.line ?? rows[i]!.line));
    }
    for (const i of matched) if (!hits.includes(i)) hits.push(i);
    if (hits.includes(0) || stopped.body.reason === 'exception' || stopped.body.reason === 'panic') break;
    session.stoppedThread = undefined;
    await dap.request('continue', { threadId: thread }, REQUEST_MS).catch(() => undefined);
  }
  return hits;
}

/** Disconnects: a program verify launched ends with dlv; a remote server is left running, its program continued. */
async function endSession(session: Session, steps: VerifyStep[], onStep?: (s: VerifyStep) => void): Promise<void> {
  const t0 = performance.now();
  const { client, server, config } = session;
  let detail = '';
  try {
    if (client) {
      if (config.mode === 'remote') {
        // Leave the user's program as we found it: no breakpoints of ours, running.
        const files = new Set<string>();
        for (const m of client.transcript)
          if (m.dir === '->' && (m.message as DebugProtocol.Request).command === 'setBreakpoints')
            files.add((m.message as DebugProtocol.SetBreakpointsRequest).arguments.source.path ?? '');
        for (const file of files)
          await client.request('setBreakpoints', { source: { path: file }, breakpoints: [] }, 5_000).catch(() => undefined);
        if (session.stoppedThread !== undefined)
          await client.request('continue', { threadId: session.stoppedThread }, 5_000).catch(() => undefined);
        await client.request('disconnect', { terminateDebuggee: false }, 5_000).catch(() => undefined);
        detail = 'disconnected; the server keeps running';
      } else {
        await client.request('disconnect', { terminateDebuggee: true }, 5_000).catch(() => undefined);
        detail = 'program ended';
      }
    }
  } finally {
    client?.close();
    await server?.stop();
    if (session.outputDir) {
      killProcessesRunning((exe) => exe.startsWith(`${session.outputDir}/`));
      await fs.rm(session.outputDir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  }
  if (client) {
    const s: VerifyStep = { id: 'disconnect', ok: true, durationMs: Math.round(performance.now() - t0), detail };
    steps.push(s);
    onStep?.(s);
  }
}

/** True when the server still accepts a connection besides ours (a multi-client Delve). */
function acceptsAnotherClient(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

interface GoEnv {
  goos: string;
  goarch: string;
  goroot: string;
  goflags: string;
}

async function readGoEnv(host: Host, go: string, config: ResolvedConfig): Promise<GoEnv> {
  const probe = await host.run([go, 'env', '-json', 'GOOS', 'GOARCH', 'GOROOT', 'GOFLAGS'], {
    cwd: config.buildDir,
    timeoutMs: 20_000,
    envOverrides: { ...config.env, GOTOOLCHAIN: 'local' },
  });
  try {
    const v = JSON.parse(probe.stdout) as Record<string, string>;
    return { goos: v.GOOS ?? '', goarch: v.GOARCH ?? '', goroot: v.GOROOT ?? '', goflags: v.GOFLAGS ?? '' };
  } catch {
    return {
      goos: config.env.GOOS ?? hostGoos(host.platform),
      goarch: config.env.GOARCH ?? '',
      goroot: '',
      goflags: config.env.GOFLAGS ?? host.env('GOFLAGS') ?? '',
    };
  }
}

/** For exec and remote: main of the workspace package whose files the debuggee was built from. */
async function defaultsFromSources(
  host: Host,
  folder: string,
  config: ResolvedConfig,
  sources: string[],
  goroot: string,
): Promise<BreakpointSpec[]> {
  const modules = await findModules(host, folder);
  const dirs = await mainPackages(host, modules);
  const user = sources.filter((s) => isUserSource(s, goroot));
  const score = (dir: string) => {
    const rel = path.relative(folder, dir).split(path.sep).filter(Boolean);
    const tail = [...rel.slice(-2)].join('/');
    return user.some((s) => s.startsWith(`${dir}/`)) ? 3 : user.some((s) => (tail ? s.includes(`/${tail}/`) : false)) ? 2 : 0;
  };
  const ranked = [...dirs].sort((a, b) => score(b) - score(a));
  for (const dir of ranked) {
    const bp = await defaultBreakpoint(host, dir, 'main');
    if (bp) return [{ file: bp.file, line: bp.line }];
  }
  void config;
  return [];
}

/** Why breakpoints did not bind or were not hit, and the configuration change that fixes it. */
async function diagnose(
  result: VerifyResult,
  session: Session,
  specs: BreakpointSpec[],
  goEnv: GoEnv,
  options: VerifyOptions,
): Promise<void> {
  const t0 = performance.now();
  const { config } = session;
  const rows = result.breakpoints;
  const said = session.said();
  const trimpathFrom = hasTrimpath(config, goEnv.goflags);

  // Build constraints, with the configuration's tags and environment.
  let verdicts: ConstraintVerdict[] = [];
  if (config.mode === 'debug' || config.mode === 'test') {
    const unbound = rows.filter((b) => !b.verified).map((b) => b.file);
    const files = result.error ? specs.map((b) => b.file) : [...new Set(unbound)];
    if (files.length) {
      verdicts = await checkConstraints(files, {
        host: options.host,
        go: options.go,
        env: config.env,
        tags: buildTags(config, goEnv.goflags),
        goos: goEnv.goos,
        goarch: goEnv.goarch,
        ...(config.mode === 'test' ? { testDir: config.program!.endsWith('.go') ? path.dirname(config.program!) : config.program! } : {}),
      });
    }
  }

  // Path names: what the editor sends against what the debuggee holds.
  let mapping: PathMapping | undefined;
  if (session.sources?.length) {
    const files = [...new Set(rows.map((b) => b.file))];
    const realFiles = await Promise.all(files.map((f) => options.host.realpath(f)));
    const modules = await findModules(options.host, options.folder);
    mapping = await analysePaths({
      files,
      realFiles,
      sources: session.sources,
      existing: config.substitutePath,
      modules,
      goroot: goEnv.goroot,
      realpath: (p) => options.host.realpath(p),
      sameContent: async (local, remote) => {
        const [a, b] = await Promise.all([options.host.readText(local), options.host.readText(remote)]);
        return b === undefined ? undefined : a === b;
      },
    });
    result.pathMapping = {
      localRoot: mapping.localRoot,
      debuggeeRoot: mapping.debuggeeRoot,
      symlinks: mapping.symlinks,
      trimpath: mapping.trimpath,
      substitutePath: mapping.missing,
      unmatched: mapping.unmatched,
    };
    if (!mapping.localRoot) delete result.pathMapping.localRoot;
    if (!mapping.debuggeeRoot) delete result.pathMapping.debuggeeRoot;
  } else if (trimpathFrom) {
    result.pathMapping.trimpath = true;
  }

  const tagsToAdd = new Set<string>();
  let goosFix: string | undefined;
  for (const [i, row] of rows.entries()) {
    if (row.verified && (row.hit || i > 0)) continue;
    const verdict = verdicts.find((v) => v.file === row.file && !v.included);
    if (verdict) {
      row.reason = verdict.reason === 'not-a-package' ? 'not-in-binary' : verdict.reason!;
      row.cause = verdict.cause!;
      verdict.tags?.forEach((t) => tagsToAdd.add(t));
      if (verdict.reason === 'goos-suffix' && verdict.goos === hostGoos(options.host.platform) && goEnv.goos !== verdict.goos)
        goosFix = verdict.goos;
      continue;
    }
    const sent = applySubstitute(row.file, config.substitutePath, 'toDebuggee');
    const mapped = mapping && applySubstitute(row.file, mapping.substitutePath, 'toDebuggee');
    if (mapping?.kind && mapped !== sent && session.sources?.includes(mapped!)) {
      row.reason = mapping.kind;
      row.cause = mapping.cause!;
      continue;
    }
    if (!row.verified) {
      if (/binary is stripped/.test(row.message ?? '')) {
        row.reason = 'stripped';
        row.cause = 'The binary was linked without DWARF (-ldflags=-w or -s), so Delve has no line table to place breakpoints with.';
      } else if (/could not find statement/.test(row.message ?? '')) {
        row.reason = 'no-statement';
        row.cause = `Line ${row.line} holds no statement Delve can stop at (a blank line, a comment, a declaration): move the breakpoint to a line with code.`;
      } else if (result.error) {
        row.reason = 'session-failed';
        row.cause = 'The debug session failed before the breakpoint could be set.';
      } else {
        row.reason = 'not-in-binary';
        row.cause = `${path.basename(row.file)} is not part of this program: its package is not imported by the program the configuration builds.`;
      }
    } else if (!row.hit && !result.error) {
      row.reason = 'not-hit';
      row.cause =
        config.mode === 'remote'
          ? "The breakpoint binds, but the program did not reach it in time: the server's program may already be past this line (start the server without --continue) or waits for input."
          : 'The breakpoint binds, but the program ended or ran out of time before it reached the line.';
    }
  }

  // A target another than this machine: the program cannot run here at all.
  const host = hostGoos(options.host.platform);
  if (result.error && config.mode !== 'remote' && goEnv.goos && goEnv.goos !== host) goosFix ??= host;

  if (mapping?.missing.length) {
    // Written with ${workspaceFolder} where it applies, so the configuration still works in another checkout.
    const folder = options.folder;
    const portable = mapping.missing.map((e) => ({
      from:
        e.from === folder
          ? '${workspaceFolder}'
          : e.from.startsWith(`${folder}/`)
            ? `\${workspaceFolder}${e.from.slice(folder.length)}`
            : e.from,
      to: e.to,
    }));
    result.fixes.push({
      label: `Add substitutePath ${portable.map((e) => `${e.from} -> ${e.to}`).join(', ')} so the editor's file names match the debuggee's`,
      attribute: 'substitutePath',
      value: portable,
      automatic: true,
    });
    result.diagnoses.push({
      id: `path-${mapping.kind}`,
      cause: mapping.cause!,
      fix:
        `Add to the configuration: "substitutePath": ${JSON.stringify(portable)}` +
        (mapping.kind === 'trimpath' ? ` (or build without -trimpath: remove it from ${trimpathFrom ?? 'the build flags'})` : ''),
    });
  }
  if (tagsToAdd.size) {
    const tags = [...tagsToAdd];
    result.fixes.push({
      label: `Build with -tags=${tags.join(',')} (add it to buildFlags)`,
      attribute: 'buildFlags',
      value: `-tags=${tags.join(',')}`,
      automatic: true,
    });
    const v = verdicts.find((x) => x.tags?.length);
    result.diagnoses.push({
      id: 'build-constraint',
      cause: v?.cause ?? 'A breakpoint file is excluded by a build constraint.',
      fix: `Add "-tags=${tags.join(',')}" to the configuration's buildFlags.`,
    });
  }
  if (goosFix) {
    const own = config.raw.env && typeof config.raw.env === 'object' && 'GOOS' in (config.raw.env as object);
    result.fixes.push({
      label: `Build for this machine: set env.GOOS to "${goosFix}" in the configuration`,
      attribute: 'env.GOOS',
      value: goosFix,
      automatic: !own,
    });
    result.diagnoses.push({
      id: 'goos',
      cause: `This configuration builds for GOOS=${goEnv.goos} (from ${own ? 'its env' : 'the environment: go env -w, the shell or go.toolsEnvVars'}), but Delve debugs programs for this machine (${host}); ${verdicts.find((v) => v.reason === 'goos-suffix')?.cause ?? 'files for this machine are left out and the program cannot run here.'}`,
      fix: own ? `Change "GOOS" in the configuration's env to "${goosFix}".` : `Add "GOOS": "${goosFix}" to the configuration's env.`,
    });
  }
  for (const v of verdicts.filter((x) => !x.included && (x.reason === 'test-package' || x.reason === 'test-file'))) {
    result.diagnoses.push({
      id: v.reason!,
      cause: v.cause!,
      fix:
        v.reason === 'test-package'
          ? `Debug that package's tests: a test configuration whose program is ${path.dirname(v.file)}.`
          : 'Use a configuration with "mode": "test" for breakpoints in _test.go files.',
    });
  }
  if (config.mode === 'exec' || config.mode === 'remote') {
    const optimised = /optimized function|debugging optimized/i.test(said);
    const stripped = rows.some((r) => r.reason === 'stripped') || /no debug info|binary is stripped/i.test(said);
    if (config.mode === 'exec') {
      const info = await buildSettings(options.host, options.go, config.program!);
      if (info && !/-N/.test(info['-gcflags'] ?? ''))
        result.diagnoses.push({
          id: 'optimised',
          cause: `${path.basename(config.program!)} was built with optimisations (no -gcflags=all="-N -l"): breakpoints may bind to other lines and variables read as "optimized away".`,
          fix: 'Build it with go build -gcflags=all="-N -l", or use mode "debug" and let Delve build it.',
        });
      if (info && /(^|\s)-[ws](\s|$)/.test(info['-ldflags'] ?? ''))
        result.diagnoses.push({
          id: 'stripped',
          cause: `${path.basename(config.program!)} was linked with ${info['-ldflags']}: without DWARF Delve cannot set breakpoints by line.`,
          fix: 'Build it without -ldflags=-w/-s for debugging.',
        });
    } else if (optimised) {
      result.diagnoses.push({
        id: 'optimised',
        cause: 'Delve says the program is optimised: breakpoints may bind to other lines and variables read as "optimized away".',
        fix: 'Start the server with dlv debug (it builds with -gcflags=all="-N -l"), or build with those flags before dlv exec.',
      });
    }
    if (stripped && !result.diagnoses.some((d) => d.id === 'stripped'))
      result.diagnoses.push({
        id: 'stripped',
        cause: 'The program has no DWARF line table (linked with -ldflags=-w or -s).',
        fix: 'Build it without -w/-s for debugging.',
      });
  }
  if (config.mode === 'remote' && /has exited with status/.test(result.error ?? '')) {
    result.diagnoses.push({
      id: 'remote-exited',
      cause:
        'The program under the headless server has already ended (an earlier session ran it to the end); dlv still listens, but there is nothing left to attach to.',
      fix: 'Restart the server (dlv debug|exec --headless --listen=127.0.0.1:PORT --accept-multiclient --api-version=2), then verify again.',
    });
  }
  for (const m of explainDelveOutput(`${result.error ?? ''}\n${said}`)) {
    // Delve's own words on missing DWARF say what our 'stripped' finding says: keep one, with its source.
    if (/debug-info|stripped/.test(m.id)) {
      const i = result.diagnoses.findIndex((d) => d.id === 'stripped');
      if (i >= 0) result.diagnoses.splice(i, 1);
    }
    if (!result.diagnoses.some((d) => d.id === m.id)) result.diagnoses.push({ id: m.id, cause: m.cause, fix: m.fix, source: m.source });
  }
  const step: VerifyStep = {
    id: 'diagnose',
    ok: true,
    durationMs: Math.round(performance.now() - t0),
    detail: `${result.diagnoses.length} finding(s), ${result.fixes.length} fix(es)`,
  };
  result.steps.push(step);
  options.onStep?.(step);
}

/** The build settings a Go binary records (`go version -m`: -gcflags, -ldflags, -trimpath…). */
async function buildSettings(host: Host, go: string, binary: string): Promise<Record<string, string> | undefined> {
  const probe = await host.run([go, 'version', '-m', binary], { timeoutMs: 20_000, envOverrides: { GOTOOLCHAIN: 'local' } });
  if (probe.outcome !== 'ok') return undefined;
  const settings: Record<string, string> = {};
  for (const line of probe.stdout.split('\n')) {
    const m = /^\s*build\s+([^=\s]+)=(.*)$/.exec(line);
    if (m) settings[m[1]!] = m[2]!.trim();
  }
  return settings;
}
