import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DapClient } from '../dap/client';
import { dapListenAddress } from '../dap/loopback';
import { Cancelled, stepRunner, type SessionStep } from '../dap/steps';
import { LiveHost, type Host } from '../probes/host';
import { monotonicMs } from '../probes/clock';
import { killProcessesRunning } from '../probes/processGroup';
import { ServerStartError, type ServerHandle } from '../probes/server';
import { explainDelveOutput } from '../knowledge/delveErrors';
import { inspectFile } from '../binary/inspect';
import { describePtraceFindings, ptraceFindings } from '../knowledge/ptraceHints';
import type { SafeActionId } from '../checks/types';
import { SELFTEST_BREAK_LINE, SELFTEST_MAIN, SELFTEST_MODULE } from './program';

export type SelfTestStepId =
  | 'prepare'
  | 'build'
  | 'start'
  | 'connect'
  | 'initialize'
  | 'launch'
  | 'setBreakpoints'
  | 'configurationDone'
  | 'stopped'
  | 'threads'
  | 'stackTrace'
  | 'scopes'
  | 'variables'
  | 'continue'
  | 'exited'
  | 'disconnect';

/** What a step saw (a value read, the address announced) or, when it failed, why. */
export type SelfTestStep = SessionStep<SelfTestStepId>;

/** Why a step failed and what to do: from the Delve error table, else from what the step does. */
export interface SelfTestDiagnosis {
  id: string;
  cause: string;
  fix: string;
  fixCommand?: string;
  action?: SafeActionId;
  source?: string;
}

export interface SelfTestResult {
  outcome: 'pass' | 'fail' | 'cancelled';
  steps: SelfTestStep[];
  /** The step that broke, the real message (Delve's or go's own words) and what it means. */
  failure?: { step: SelfTestStepId; message: string; diagnoses: SelfTestDiagnosis[] };
  /** Variables read at the breakpoint, as the debug adapter rendered them. */
  values: Record<string, string>;
  goroutines?: number;
  dlv: string;
  go: string;
  backend?: string;
  /** The debuggee is a Mach-O file without LC_UUID (built by Go < 1.24): macOS 26 refuses to start it. */
  debuggeeWithoutUuid?: boolean;
  /** The temporary folder, when kept with `keep`. */
  folder?: string;
  durationMs: number;
}

export interface SelfTestOptions {
  dlv: string;
  go: string;
  /** Runs go build and dlv dap (so they are timed, recorded and listed); default: this machine with `env`. */
  host?: Host;
  /** Without a host: the environment the workspace's Go runs with (GOTOOLCHAIN, GOFLAGS… as the user has them). */
  env?: Readonly<Record<string, string | undefined>>;
  /** A Delve backend (`default`, `native`, `lldb`, `rr`); passed in the launch request. */
  backend?: string;
  /** Keep the temporary folder (the program and its binary) for a look afterwards. */
  keep?: boolean;
  signal?: AbortSignal;
  timeouts?: Partial<typeof DEFAULT_TIMEOUTS>;
  /** The go directive of the program's go.mod (default 1.21, which every supported Go accepts). */
  goLine?: string;
  /** A toolchain line for go.mod (the workspace's), so GOTOOLCHAIN picks the Go the workspace builds with. */
  toolchainLine?: string;
  /** Replaces the program's source (to prove that a build failure is reported as one). */
  source?: string;
  onStep?: (step: SelfTestStep) => void;
}

export const DEFAULT_TIMEOUTS = {
  /** A first build of the program may compile the runtime with -N -l. */
  build: 180_000,
  /** dlv dap announcing its address. */
  start: 20_000,
  /** Any one DAP request. */
  request: 15_000,
  /** From configurationDone to the stop at the breakpoint (Delve loads the binary's DWARF first). */
  stopped: 30_000,
};

const STEP_HINTS: Partial<Record<SelfTestStepId, Omit<SelfTestDiagnosis, 'id'>>> = {
  build: {
    cause:
      'Go could not build a 30-line program that uses only the standard library, so the Go toolchain or its environment is broken, not your code.',
    fix: 'Run `go build` in any module to see the same error; check GOROOT, GOFLAGS and GOTOOLCHAIN in `go env`, and on macOS that the Command Line Tools are installed (`xcode-select --install`).',
  },
  start: {
    cause: 'dlv did not start its DAP server.',
    fix: 'Install a working, pinned dlv.',
    fixCommand: 'go-debug-doctor install-dlv --recommended',
    action: 'installDlv',
  },
  connect: {
    cause: 'dlv announced an address but refused the connection: something on this machine filters loopback connections.',
    fix: 'Check firewall or security software that intercepts connections to 127.0.0.1.',
  },
  stopped: {
    cause:
      'The program ran but never stopped at the breakpoint: its debug information did not map the line (GOFLAGS with -trimpath or -ldflags=-w, or a dlv that cannot read this Go’s DWARF).',
    fix: 'Remove -trimpath and -ldflags=-s/-w from GOFLAGS for debugging, and use a dlv that supports this Go.',
    fixCommand: 'go-debug-doctor install-dlv --recommended',
    action: 'installDlv',
  },
};

class StepFailed extends Error {
  constructor(
    readonly step: SelfTestStepId,
    message: string,
    readonly output = '',
  ) {
    super(message);
  }
}

/**
 * Answers "can I actually debug here?": builds a small program with the workspace's Go, starts
 * `dlv dap` on loopback and drives a real DAP session through a breakpoint, reading the variables.
 * Every step has a timeout; processes and files are removed on every path (unless `keep`).
 */
export async function runSelfTest(options: SelfTestOptions): Promise<SelfTestResult> {
  const started = monotonicMs();
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const steps: SelfTestStep[] = [];
  const values: Record<string, string> = {};
  const result: SelfTestResult = {
    outcome: 'pass',
    steps,
    values,
    dlv: options.dlv,
    go: options.go,
    durationMs: 0,
    ...(options.backend ? { backend: options.backend } : {}),
  };
  const abort = new AbortController();
  const onCancel = () => abort.abort();
  if (options.signal?.aborted) abort.abort();
  options.signal?.addEventListener('abort', onCancel, { once: true });

  let folder: string | undefined;
  let server: ServerHandle | undefined;
  let client: DapClient | undefined;
  let binary: string | undefined;

  const step = stepRunner<SelfTestStepId>(abort.signal, steps, options.onStep, (id, message, err) =>
    err instanceof StepFailed ? err : new StepFailed(id, message),
  );

  try {
    folder = await step(
      'prepare',
      async () => {
        const dir = await fs.mkdtemp(path.join(tmpdir(), 'gdd-selftest-'));
        const toolchain = options.toolchainLine ? `\ntoolchain ${options.toolchainLine}\n` : '';
        await fs.writeFile(path.join(dir, 'go.mod'), `module ${SELFTEST_MODULE}\n\ngo ${options.goLine ?? '1.21'}\n${toolchain}`);
        await fs.writeFile(path.join(dir, 'main.go'), options.source ?? SELFTEST_MAIN);
        return dir;
      },
      (dir) => dir,
    );
    const dir = folder;
    const out = path.join(dir, process.platform === 'win32' ? 'selftest.exe' : 'selftest');
    const machine = options.host ?? new LiveHost(options.env ?? process.env);
    // GOWORK=off: the temporary folder must not join a go.work the user has set in GOWORK.
    const envOverrides = { GOWORK: 'off', GO111MODULE: 'on' };

    await step(
      'build',
      async () => {
        // The flags Delve itself builds with: no optimisation, no inlining.
        const probe = await machine.run([options.go, 'build', '-gcflags=all=-N -l', '-o', out, '.'], {
          cwd: dir,
          envOverrides,
          timeoutMs: timeouts.build,
          signal: abort.signal,
        });
        if (probe.outcome !== 'ok')
          throw new StepFailed(
            'build',
            `${probe.error ?? `go build exited ${probe.exitCode}`}${probe.stderr ? `\n${probe.stderr.trim()}` : ''}`,
            probe.stderr,
          );
        binary = out;
        // Read, never run: a Mach-O debuggee without LC_UUID is refused by macOS 26 (go-delve/delve#4162).
        const info = await inspectFile(out, (p) => machine.openBytes(p)).catch(() => undefined);
        if (info?.format.startsWith('macho') && info.slices.some((slice) => slice.uuid === null)) result.debuggeeWithoutUuid = true;
        return result.debuggeeWithoutUuid
          ? 'the program has no LC_UUID load command (built by Go < 1.24): macOS 26 refuses to start it'
          : undefined;
      },
      (note) => note,
    );

    server = await step(
      'start',
      async () => {
        try {
          return await machine.startServer([options.dlv, 'dap', '--listen=127.0.0.1:0'], {
            cwd: dir,
            envOverrides,
            ready: /DAP server listening at: /,
            timeoutMs: timeouts.start,
            signal: abort.signal,
            endsWithClient: true,
          });
        } catch (err) {
          if (err instanceof ServerStartError) {
            const said = err.output.trim();
            throw new StepFailed('start', `${err.message}${said ? `\n${said}` : ''}`, err.output);
          }
          throw err;
        }
      },
      (s) => s.readyLine.trim(),
    );
    const listen = dapListenAddress(server.readyLine);
    if (typeof listen === 'string') throw new StepFailed('start', listen);

    client = await step('connect', () => DapClient.connect(listen.address, listen.port, timeouts.request, abort.signal));
    server.clientConnected();
    const dap = client;
    const req = <R extends DebugProtocol.Response>(command: string, args?: unknown) => dap.request<R>(command, args, timeouts.request);

    await step('initialize', () =>
      req('initialize', {
        adapterID: 'go',
        clientID: 'go-debug-doctor',
        clientName: 'Go Debug Doctor',
        linesStartAt1: true,
        columnsStartAt1: true,
        pathFormat: 'path',
        supportsVariableType: true,
      }),
    );
    await step('launch', () =>
      req('launch', {
        request: 'launch',
        mode: 'exec',
        program: binary,
        cwd: dir,
        ...(options.backend ? { backend: options.backend } : {}),
      }),
    );
    await step(
      'setBreakpoints',
      async () => {
        const r = await req<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', {
          source: { path: path.join(dir, 'main.go') },
          breakpoints: [{ line: SELFTEST_BREAK_LINE }],
        });
        const bp = r.body.breakpoints[0];
        if (!bp?.verified)
          throw new Error(`the breakpoint at main.go:${SELFTEST_BREAK_LINE} was not accepted${bp?.message ? `: ${bp.message}` : ''}`);
        return bp;
      },
      (bp) => `main.go:${bp.line ?? SELFTEST_BREAK_LINE}`,
    );
    await step('configurationDone', () => req('configurationDone'));
    const stop = await step(
      'stopped',
      () => dap.waitForEvent<DebugProtocol.StoppedEvent>('stopped', timeouts.stopped),
      (e) => e.body.reason,
    );
    if (stop.body.reason !== 'breakpoint')
      throw new StepFailed(
        'stopped',
        `stopped for "${stop.body.reason}" instead of the breakpoint${stop.body.text ? `: ${stop.body.text}` : ''}`,
      );

    const threads = await step(
      'threads',
      async () => {
        const r = await req<DebugProtocol.ThreadsResponse>('threads');
        if (r.body.threads.length < 2) throw new Error(`${r.body.threads.length} goroutine(s); the program's worker goroutine is missing`);
        return r.body.threads;
      },
      (t) => `${t.length} goroutines`,
    );
    result.goroutines = threads.length;
    const frame = await step(
      'stackTrace',
      async () => {
        const r = await req<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: stop.body.threadId ?? threads[0]!.id, levels: 20 });
        const top = r.body.stackFrames[0];
        if (!top || top.line !== SELFTEST_BREAK_LINE || !/main\.main$/.test(top.name))
          throw new Error(
            `expected main.main at line ${SELFTEST_BREAK_LINE}, got ${top ? `${top.name} at line ${top.line}` : 'no frames'}`,
          );
        return top;
      },
      (f) => `${f.name} main.go:${f.line}`,
    );
    const locals = await step(
      'scopes',
      async () => {
        const r = await req<DebugProtocol.ScopesResponse>('scopes', { frameId: frame.id });
        const scope = r.body.scopes.find((s) => /^locals$/i.test(s.name)) ?? r.body.scopes[0];
        if (!scope) throw new Error('no scopes');
        return scope;
      },
      (s) => s.name,
    );
    await step(
      'variables',
      async () => {
        const vars = async (ref: number) =>
          (await req<DebugProtocol.VariablesResponse>('variables', { variablesReference: ref })).body.variables;
        const top = await vars(locals.variablesReference);
        const order = top.find((v) => v.name === 'order');
        const long = top.find((v) => v.name === 'long');
        if (!order || !long) throw new Error(`locals "order" and "long" not found (saw: ${top.map((v) => v.name).join(', ') || 'none'})`);
        const fields = await vars(order.variablesReference);
        const id = fields.find((v) => v.name === 'ID');
        const items = fields.find((v) => v.name === 'Items');
        const entries = items ? await vars(items.variablesReference) : [];
        const apple = entries.find((v) => /apple/.test(v.name));
        values['order.ID'] = id?.value ?? '';
        values['order.Items["apple"]'] = apple?.value ?? '';
        values['order.Items'] = items?.value ?? '';
        values.long = long.value.length > 60 ? `${long.value.slice(0, 40)}…${long.value.slice(-20)}` : long.value;
        const problems = [
          id?.value !== '7' && `order.ID is ${id?.value ?? 'missing'}, expected 7`,
          apple?.value !== '3' && `order.Items["apple"] is ${apple?.value ?? 'missing'}, expected 3`,
          !long.value.startsWith('"0123456789') && `long is ${long.value.slice(0, 30)}, expected "0123456789…`,
        ].filter(Boolean);
        if (problems.length) throw new Error(`wrong values: ${problems.join('; ')}`);
      },
      () => `order.ID=${values['order.ID']}, order.Items["apple"]=${values['order.Items["apple"]']}`,
    );
    await step('continue', () => req('continue', { threadId: stop.body.threadId ?? threads[0]!.id }));
    await step(
      'exited',
      async () => {
        const e = await dap.waitForEvent<DebugProtocol.ExitedEvent>('exited', timeouts.stopped);
        if (e.body.exitCode !== 0) throw new Error(`the program exited with ${e.body.exitCode}`);
        return e;
      },
      (e) => `exit code ${e.body.exitCode}`,
    );
    await step('disconnect', () => req('disconnect', { terminateDebuggee: true }));
  } catch (err) {
    if (err instanceof Cancelled) {
      result.outcome = 'cancelled';
    } else {
      const failed = err instanceof StepFailed ? err : new StepFailed(steps.at(-1)?.id ?? 'prepare', String(err));
      result.outcome = 'fail';
      // Delve prints some refusals only on its console (output events) or its stderr.
      const said = [failed.message, failed.output, client?.output() ?? '', server?.output() ?? ''].join('\n');
      result.failure = { step: failed.step, message: failed.message, diagnoses: diagnose(failed.step, said) };
      // A refused ptrace on Linux: name the setting in the way (Yama, seccomp, CAP_SYS_PTRACE), read from /proc.
      if (/operation not permitted/.test(said)) {
        const here = describePtraceFindings(
          await ptraceFindings(options.host ?? new LiveHost(), failed.step === 'launch' ? 'launch' : 'attach').catch(() => []),
        );
        if (here)
          result.failure.diagnoses.push({
            id: 'ptrace-restrictions',
            cause: here,
            fix: 'Lift the setting marked BLOCKS or "may block" above (for a container: --cap-add=SYS_PTRACE --security-opt seccomp=unconfined).',
          });
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onCancel);
    client?.close();
    await server?.stop();
    if (binary && result.outcome !== 'pass') killProcessesRunning((exe) => exe === binary);
    if (folder) {
      if (options.keep) result.folder = folder;
      else await fs.rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
    result.durationMs = Math.round(monotonicMs() - started);
  }
  return result;
}

function diagnose(step: SelfTestStepId, text: string): SelfTestDiagnosis[] {
  // The self-test builds its own program: a compile error there is never about the user's code or tags.
  const known = explainDelveOutput(text)
    .filter((m) => !(step === 'build' && m.id === 'build-undefined'))
    .map((m) => ({
      id: m.id,
      cause: m.cause,
      fix: m.fix,
      source: m.source,
      ...(m.fixCommand ? { fixCommand: m.fixCommand } : {}),
      ...(m.action ? { action: m.action } : {}),
    }));
  if (known.length) return known;
  const notFound = step === 'start' && /not found/.test(text.split('\n', 1)[0] ?? '');
  if (notFound) {
    return [
      {
        id: 'dlv-not-found',
        cause: 'There is no dlv at this path.',
        fix: 'Install a pinned dlv that supports your Go.',
        fixCommand: 'go-debug-doctor install-dlv --recommended',
        action: 'installDlv',
      },
    ];
  }
  if (step === 'start' && /printed no ready line/.test(text)) {
    return [
      {
        id: 'dlv-hangs',
        cause:
          'dlv started but never announced its DAP server: it hangs before listening (a wrapper script that is not dlv, a stuck toolchain download, or security software holding the process).',
        fix: 'Run `dlv dap --listen=127.0.0.1:0` in a terminal to see where it stops, or install a pinned dlv and use that one.',
        fixCommand: 'go-debug-doctor install-dlv --recommended',
        action: 'installDlv',
      },
    ];
  }
  const hint = STEP_HINTS[step];
  return hint ? [{ id: `selftest-${step}`, ...hint }] : [];
}
