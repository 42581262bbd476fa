import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapClient } from '../dap/client';
import { dapListenAddress, loopbackAddress } from '../dap/loopback';
import { Cancelled, stepRunner } from '../dap/steps';
import { ServerStartError } from '../probes/server';
import { ConfigError, isLoopback, pickConfiguration, readLaunchJson, resolveConfiguration } from './config';
import { hostGoos } from './constraints';
import { attachArguments, launchArguments } from './dapArguments';
import { defaultBreakpoint, defaultsFromSources, type BreakpointSpec } from './defaults';
import { readGoEnv, type GoEnv } from './goEnv';
import { throughLineDirectives } from './lineDirectives';
import { programsRunBy } from './programs';
import { gorootOf, isUserSource, sourceFiles } from './pathMapping';
import type { VerifyOptions, VerifyResult, VerifyStep, VerifyStepId } from './result';
import { acceptsAnotherClient, endSession, REQUEST_MS, waitForHits, type Session } from './session';

const START_MS = 20_000;

/** The diagnosis and its message table load while dlv builds, not after the program stopped. */
let diagnosis: Promise<typeof import('./diagnose')> | undefined;
const loadDiagnosis = () => (diagnosis ??= import('./diagnose'));

class StepFailed extends Error {}

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
  let goEnvRead: Promise<GoEnv> | undefined;
  let readEnv: (() => Promise<GoEnv>) | undefined;
  let goEnv: GoEnv = { goos: hostGoos(options.host.platform), goarch: '', goroot: '', goflags: '', cgoEnabled: '', cc: '' };
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
    readEnv = () => readGoEnv(options.host, options.go, config);
    if (!specs.length && config.mode !== 'exec' && config.mode !== 'remote') {
      const bp = await defaultBreakpoint(options.host, config.program!, config.mode === 'test' ? 'test' : 'main');
      if (bp) {
        specs = [await throughLineDirectives(options.host, { file: bp.file, line: bp.line })];
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
        () => DapClient.connect(loopbackAddress(config.host!)!, config.port!, REQUEST_MS, abort.signal),
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
              // dlv dap ends, and kills what it launched, when its client goes (Delve's dapCmd).
              endsWithClient: true,
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
        return DapClient.connect(listen.address, listen.port, REQUEST_MS, abort.signal);
      });
      s.server.clientConnected();
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
      if (!(await acceptsAnotherClient(loopbackAddress(config.host!)!, config.port!))) singleClient = true;
      goEnvRead = readEnv();
      await step('attach', () => req('attach', attachArguments(config)));
    } else {
      await step(
        'launch',
        async () => {
          try {
            const launched = req('launch', launchArguments(config, s.outputDir!), budget);
            // Read while dlv builds: nothing before the launch needs it, and starting a process takes
            // a few milliseconds of this thread that the build hides.
            goEnvRead = readEnv!();
            void loadDiagnosis();
            return await launched;
          } catch (err) {
            sessionError = err instanceof Error ? err.message : String(err);
            throw err;
          }
        },
        () => `${config.mode} ${config.program}`,
      );
    }
    goEnv = await (goEnvRead ??= readEnv());
    s.sources = await step(
      'sources',
      async () => {
        const r = await req<DebugProtocol.EvaluateResponse>('evaluate', { expression: 'dlv sources', context: 'repl' });
        return sourceFiles(r.body.result);
      },
      (list) => `${list.length} files, ${list.filter((f) => isUserSource(f, goEnv.goroot)).length} outside GOROOT and the module cache`,
    ).catch(() => undefined);
    // A remote program may come from another Go installation than ours.
    if (config.mode === 'remote' && s.sources) goEnv.goroot = gorootOf(s.sources) ?? goEnv.goroot;

    if (!specs.length) {
      specs = await Promise.all(
        (await defaultsFromSources(options.host, options.folder, s.sources ?? [], goEnv.goroot)).map((b) =>
          throughLineDirectives(options.host, b),
        ),
      );
      if (specs.length) defaultFunction = 'main.main';
    }
    if (defaultFunction && specs.length === 1) {
      // Delve puts a function breakpoint after the prologue, on the first line it can stop at.
      const r = await req<DebugProtocol.SetFunctionBreakpointsResponse>('setFunctionBreakpoints', {
        breakpoints: [{ name: defaultFunction }],
      }).catch(() => undefined);
      const bound = r?.body.breakpoints[0];
      // Only a line of the same file: under a //line directive Delve answers with the directive's file.
      const sameFile = !bound?.source?.path || path.basename(bound.source.path) === path.basename(specs[0]!.file);
      if (bound?.verified && bound.line && sameFile) specs = [{ file: specs[0]!.file, line: bound.line }];
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
            // The adapter's words are shown on one line: no control characters, no novel.
            if (bp.message)
              row.message = String(bp.message)
                .replace(/\p{Cc}+/gu, ' ')
                .slice(0, 500);
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
  // A session that failed before its launch still needs the environment to be diagnosed.
  if (!goEnvRead && readEnv && result.outcome !== 'cancelled') goEnvRead = readEnv();
  if (goEnvRead) goEnv = await goEnvRead;
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
  if (session && !result.configError) {
    const { diagnose } = await loadDiagnosis();
    await diagnose(result, session, specs, goEnv, options).catch((err: unknown) => {
      steps.push({ id: 'diagnose', ok: false, durationMs: 0, detail: err instanceof Error ? err.message : String(err) });
    });
  }
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
