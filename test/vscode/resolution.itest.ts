// Differential fidelity (issue 21): the same launch configurations started through the real Go
// extension (golang.go) and resolved by `verify` (src/core/verify/config.ts) must agree on what
// reaches dlv. golang.go starts the real dlv (go.alternateTools.dlv, as the pinned install sets it);
// each session stops on entry, and the dlv process's argv, working folder and environment are read
// from /proc while it runs; a tracker records the launch request golang.go sends it. Differences
// are either fixed in our resolver or listed in DELIBERATE with the reason.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { LiveHost } from '../../src/core/probes/host';
import { runProcess } from '../../src/core/probes/runProcess';
import { startServer, type ServerHandle } from '../../src/core/probes/server';
import { resolveConfiguration, type GoSettings, type ResolvedConfig } from '../../src/core/verify/config';
import { waitFor, workspaceFolder } from './helpers';

interface Case {
  name: string;
  config: Record<string, unknown>;
  /** The editor's file, for ${file} and mode auto (relative to the workspace). */
  active?: string;
  settings?: { toolsEnvVars?: Record<string, string>; delveConfig?: Record<string, unknown> };
}

interface DlvStart {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

/** What golang.go does on purpose that verify leaves out, by compared field. */
const DELIBERATE: Record<string, string> = {
  'env.GOPATH':
    'golang.go always passes its own GOPATH (go.gopath or go env GOPATH); verify builds with the go env of the machine, which gives the same GOPATH',
};

/** The port of the headless dlv the remote cases attach to (started in before()). */
const REMOTE_PORT = 42_000 + (process.pid % 1000);

const launch = (extra: Record<string, unknown>) => ({ type: 'go', request: 'launch', debugAdapter: 'dlv-dap', ...extra });

const CASES: Case[] = [
  {
    name: 'program ${workspaceFolder}, mode auto, main.go open',
    config: launch({ mode: 'auto', program: '${workspaceFolder}' }),
    active: 'main.go',
  },
  { name: 'program ${workspaceFolder}, mode debug', config: launch({ mode: 'debug', program: '${workspaceFolder}' }) },
  { name: 'program ${file} (main.go), mode auto', config: launch({ mode: 'auto', program: '${file}' }), active: 'main.go' },
  { name: 'program ${file} (main_test.go), mode auto', config: launch({ mode: 'auto', program: '${file}' }), active: 'main_test.go' },
  { name: 'program ${fileDirname}, mode test', config: launch({ mode: 'test', program: '${fileDirname}' }), active: 'main_test.go' },
  { name: 'program "." (relative)', config: launch({ mode: 'debug', program: '.' }) },
  { name: 'program ./cmd/tool', config: launch({ mode: 'debug', program: './cmd/tool' }) },
  { name: 'program cmd/tool (no ./)', config: launch({ mode: 'debug', program: 'cmd/tool' }) },
  { name: 'program a file in cmd/tool', config: launch({ mode: 'debug', program: '${workspaceFolder}/cmd/tool/main.go' }) },
  { name: 'program main_test.go, mode test', config: launch({ mode: 'test', program: '${workspaceFolder}/main_test.go' }) },
  { name: 'mode test on the folder', config: launch({ mode: 'test', program: '${workspaceFolder}' }) },
  { name: 'mode exec of a built binary', config: launch({ mode: 'exec', program: '${workspaceFolder}/bin/e2e' }) },
  { name: 'cwd absolute', config: launch({ mode: 'debug', program: '${workspaceFolder}', cwd: '${workspaceFolder}/sub' }) },
  { name: 'cwd relative', config: launch({ mode: 'debug', program: '${workspaceFolder}', cwd: 'sub' }) },
  { name: 'args as an array', config: launch({ mode: 'debug', program: '${workspaceFolder}', args: ['-v', 'a b', ''] }) },
  { name: 'args as a string with quotes', config: launch({ mode: 'debug', program: '${workspaceFolder}', args: `-v 'a b' "c d" e\\ f` }) },
  { name: 'args with ${env:HOME}', config: launch({ mode: 'debug', program: '${workspaceFolder}', args: ['${env:HOME}'] }) },
  { name: 'env', config: launch({ mode: 'debug', program: '${workspaceFolder}', env: { FOO: 'bar', EMPTY: '' } }) },
  { name: 'envFile', config: launch({ mode: 'debug', program: '${workspaceFolder}', envFile: '${workspaceFolder}/.env' }) },
  {
    name: 'envFile under env (env wins)',
    config: launch({ mode: 'debug', program: '${workspaceFolder}', envFile: '${workspaceFolder}/.env', env: { FOO: 'from-env' } }),
  },
  {
    name: 'go.toolsEnvVars under envFile and env',
    config: launch({ mode: 'debug', program: '${workspaceFolder}', envFile: '${workspaceFolder}/.env', env: { BAR: 'from-env' } }),
    settings: { toolsEnvVars: { TOOLS: 'x', FOO: 'tools', BAR: 'tools' } },
  },
  { name: 'buildFlags -tags', config: launch({ mode: 'debug', program: '${workspaceFolder}', buildFlags: '-tags=integration' }) },
  {
    name: 'buildFlags with single quotes',
    config: launch({ mode: 'debug', program: '${workspaceFolder}', buildFlags: "-ldflags='-X main.v=1'" }),
  },
  {
    name: 'buildFlags as an array',
    config: launch({ mode: 'debug', program: '${workspaceFolder}', buildFlags: ['-tags=a', '-trimpath'] }),
  },
  {
    name: 'buildFlags with -gcflags (dropped)',
    config: launch({ mode: 'debug', program: '${workspaceFolder}', buildFlags: '-tags=a -gcflags=all=-N' }),
  },
  {
    name: 'GOFLAGS with -gcflags in env (dropped)',
    config: launch({ mode: 'debug', program: '${workspaceFolder}', env: { GOFLAGS: '-mod=mod -gcflags=-l' } }),
  },
  { name: 'dlvFlags', config: launch({ mode: 'debug', program: '${workspaceFolder}', dlvFlags: ['--check-go-version=false'] }) },
  {
    name: 'substitutePath',
    config: launch({ mode: 'debug', program: '${workspaceFolder}', substitutePath: [{ from: '${workspaceFolder}', to: '/app' }] }),
  },
  { name: 'output', config: launch({ mode: 'debug', program: '${workspaceFolder}', output: '${workspaceFolder}/out/dbg' }) },
  { name: 'output relative', config: launch({ mode: 'debug', program: '${workspaceFolder}', output: 'out/dbg2' }) },
  {
    name: 'go.delveConfig dlvFlags and substitutePath as defaults',
    config: launch({ mode: 'debug', program: '${workspaceFolder}' }),
    settings: { delveConfig: { dlvFlags: ['--check-go-version=false'], substitutePath: [{ from: '/x', to: '/y' }] } },
  },
  {
    name: 'the configuration wins over go.delveConfig',
    config: launch({ mode: 'debug', program: '${workspaceFolder}', dlvFlags: [] }),
    settings: { delveConfig: { dlvFlags: ['--check-go-version=false'] } },
  },
  { name: 'showLog and logOutput', config: launch({ mode: 'debug', program: '${workspaceFolder}', showLog: true, logOutput: 'dap' }) },
  { name: 'mode omitted', config: launch({ program: '${workspaceFolder}' }), active: 'main.go' },
  {
    name: 'attach remote with host and port',
    config: { type: 'go', request: 'attach', mode: 'remote', host: '127.0.0.1', port: REMOTE_PORT },
  },
  {
    name: 'attach remote, port only, substitutePath',
    config: {
      type: 'go',
      request: 'attach',
      mode: 'remote',
      port: REMOTE_PORT,
      substitutePath: [{ from: '${workspaceFolder}', to: '/app' }],
    },
  },
];

describe('verify resolves launch configurations as golang.go does (issue 21)', function () {
  this.timeout(900_000);
  const realDlv = process.env.GDD_E2E_DLV;
  const launched = new Map<string, DebugProtocol.LaunchRequestArguments>();
  const disposables: vscode.Disposable[] = [];
  const rows: string[] = [];
  let headless: ServerHandle | undefined;

  before(async function () {
    if (!realDlv) this.skip();
    const ws = workspaceFolder().uri.fsPath;
    fs.mkdirSync(path.join(ws, 'cmd', 'tool'), { recursive: true });
    fs.writeFileSync(path.join(ws, 'cmd', 'tool', 'main.go'), 'package main\n\nfunc main() {}\n');
    fs.mkdirSync(path.join(ws, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.env'), '# comment\nexport FOO=from-file\nBAR="two words"\nHOMEFROMFILE=${HOME}/x\n');
    fs.mkdirSync(path.join(ws, 'bin'), { recursive: true });
    const built = await runProcess(['go', 'build', '-gcflags=all=-N -l', '-o', path.join(ws, 'bin', 'e2e'), '.'], {
      cwd: ws,
      timeoutMs: 120_000,
    });
    assert.equal(built.outcome, 'ok', built.stderr);
    // A headless dlv that stays up for several clients: each remote case attaches and disconnects.
    headless = await startServer(
      [realDlv!, 'debug', '--headless', `--listen=127.0.0.1:${REMOTE_PORT}`, '--api-version=2', '--accept-multiclient'],
      { cwd: ws, ready: /API server listening at: /, timeoutMs: 120_000 },
    );
    disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('go', {
        createDebugAdapterTracker(session) {
          return {
            onWillReceiveMessage: (m: DebugProtocol.ProtocolMessage) => {
              const r = m as DebugProtocol.Request;
              if (r.type === 'request' && (r.command === 'launch' || r.command === 'attach'))
                launched.set(session.name, structuredClone(r.arguments) as DebugProtocol.LaunchRequestArguments);
            },
          };
        },
      }),
    );
    await vscode.workspace.getConfiguration('go').update('alternateTools', { dlv: realDlv }, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('goDebugDoctor').update('offerInstallOnF5', false, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const d of disposables) d.dispose();
    await headless?.stop();
    for (const key of ['alternateTools', 'toolsEnvVars', 'delveConfig'])
      await vscode.workspace.getConfiguration('go').update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('goDebugDoctor').update('offerInstallOnF5', undefined, vscode.ConfigurationTarget.Global);
    const ws = workspaceFolder().uri.fsPath;
    for (const p of ['cmd', 'sub', '.env', 'bin', 'out']) fs.rmSync(path.join(ws, p), { recursive: true, force: true });
    console.log(`      configuration → verify vs golang.go\n${rows.map((r) => `        ${r}`).join('\n')}`);
  });

  /** The dlv dap processes running now (Linux /proc), by pid. */
  const runningDlvs = (): Map<number, DlvStart> => {
    const found = new Map<number, DlvStart>();
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
        if (argv[0] !== realDlv || argv[1] !== 'dap') continue;
        const env = Object.fromEntries(
          fs
            .readFileSync(`/proc/${entry}/environ`, 'utf8')
            .split('\0')
            .filter(Boolean)
            .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
        );
        found.set(Number(entry), { argv: argv.slice(1), cwd: fs.readlinkSync(`/proc/${entry}/cwd`), env });
      } catch {
        // it ended meanwhile
      }
    }
    return found;
  };

  async function throughGolangGo(c: Case, name: string): Promise<{ args: Record<string, unknown>; dlv?: DlvStart }> {
    const ws = workspaceFolder();
    if (c.active) await vscode.window.showTextDocument(vscode.Uri.file(path.join(ws.uri.fsPath, c.active)));
    const go = vscode.workspace.getConfiguration('go');
    await go.update('toolsEnvVars', c.settings?.toolsEnvVars, vscode.ConfigurationTarget.Global);
    await go.update('delveConfig', c.settings?.delveConfig, vscode.ConfigurationTarget.Global);
    const before = new Set(runningDlvs().keys());
    const ended = new Promise<void>((resolve) => {
      const d = vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.name === name) {
          d.dispose();
          resolve();
        }
      });
    });
    // Stopped on entry, the session (and its dlv) waits while /proc is read.
    const config = { ...c.config, name, ...(c.config.request === 'launch' ? { stopOnEntry: true } : {}) } as vscode.DebugConfiguration;
    await vscode.debug.startDebugging(ws, config).then(undefined, () => undefined);
    const args = await waitFor(`the ${c.config.request} request of "${name}"`, () => launched.get(name), 60_000);
    const remote = c.config.mode === 'remote';
    // A launch that fails at once (#4 builds main_test.go alone, which does not compile) ends its
    // dlv before /proc can be read: then only the launch request is compared.
    const dlv = remote
      ? undefined
      : await waitFor(`dlv started for "${name}"`, () => [...runningDlvs()].find(([pid]) => !before.has(pid))?.[1], 15_000).catch(
          () => undefined,
        );
    for (const s of [vscode.debug.activeDebugSession].filter((x) => x?.name === name)) await vscode.debug.stopDebugging(s);
    await Promise.race([ended, new Promise((r) => setTimeout(r, 20_000))]);
    return { args: args as Record<string, unknown>, ...(dlv ? { dlv } : {}) };
  }

  function ours(c: Case): Promise<ResolvedConfig> {
    const ws = workspaceFolder().uri.fsPath;
    const settings: GoSettings = {
      ...(c.settings?.toolsEnvVars ? { toolsEnvVars: c.settings.toolsEnvVars } : {}),
      ...(c.settings?.delveConfig ? { delveConfig: c.settings.delveConfig } : {}),
    };
    return resolveConfiguration(c.config, {
      host: new LiveHost(),
      folder: ws,
      ...(c.active ? { activeFile: path.join(ws, c.active) } : {}),
      settings,
    });
  }

  /** Field-by-field differences (empty when the two agree). */
  function compare(theirs: { args: Record<string, unknown>; dlv?: DlvStart }, r: ResolvedConfig): string[] {
    const diffs: string[] = [];
    const a = theirs.args;
    const same = (field: string, x: unknown, y: unknown) => {
      if (JSON.stringify(x) !== JSON.stringify(y)) diffs.push(`${field}: golang.go ${JSON.stringify(x)}, verify ${JSON.stringify(y)}`);
    };
    same('mode', a.mode, r.mode);
    if (r.request === 'launch') {
      const buildDir = typeof a.__buildDir === 'string' ? a.__buildDir : undefined;
      const program = typeof a.program === 'string' ? path.resolve(buildDir ?? workspaceFolder().uri.fsPath, a.program) : undefined;
      same('program', program, r.program);
      if (theirs.dlv) same('buildDir (dlv working folder)', theirs.dlv.cwd, r.buildDir);
      else same('buildDir (__buildDir)', a.__buildDir, r.buildDir);
      same('cwd', a.cwd ?? undefined, r.cwd);
      same('args', a.args ?? [], r.args);
      same('buildFlags', a.buildFlags ?? undefined, r.buildFlags);
      same('output', a.output ?? undefined, r.output);
      const env = (a.env ?? {}) as Record<string, string>;
      for (const key of new Set([...Object.keys(env), ...Object.keys(r.env)])) {
        if (DELIBERATE[`env.${key}`] && !(key in r.env)) continue;
        same(`env.${key}`, env[key], r.env[key]);
      }
      if (theirs.dlv)
        same(
          'dlv flags',
          theirs.dlv.argv.slice(1).filter((f) => !/^--(listen|log-dest)=/.test(f)),
          [...r.dlvFlags, ...r.logFlags],
        );
    }
    if (r.mode === 'remote') {
      same('host', a.host ?? '127.0.0.1', r.host);
      same('port', a.port, r.port);
    }
    same('substitutePath', a.substitutePath ?? [], r.substitutePath);
    return diffs;
  }

  CASES.forEach((c, i) => {
    it(`#${i + 1} ${c.name}`, async () => {
      const name = `diff ${i + 1}`;
      const theirs = await throughGolangGo(c, name);
      const r = await ours(c);
      const diffs = compare(theirs, r);
      const seen =
        c.config.mode === 'remote'
          ? ' (attach request: golang.go starts no dlv for remote)'
          : theirs.dlv
            ? ''
            : ' (launch request only: dlv ended before it could be read)';
      rows.push(`#${i + 1} ${c.name}: ${diffs.length ? `DIFFERENT: ${diffs.join('; ')}` : 'identical'}${seen}`);
      assert.deepEqual(diffs, [], `${c.name}\n${JSON.stringify(theirs, null, 1).slice(0, 3000)}`);
    });
  });

  it(`covers at least 30 configurations (${CASES.length})`, () => {
    assert.ok(CASES.length >= 30);
  });
});
