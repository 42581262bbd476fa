import assert from 'node:assert/strict';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runProcess } from '../../src/core/probes/runProcess';
import { hashTree, settled, processesWith, tempDir, testTools, watchdogsOf, writeFile } from '../helpers';

// A "hostile machine": fake tools as small scripts (sleeping, escaping their process group, printing
// without end or printing garbage), special files where files are expected, a relative PATH with a
// bin/ in the workspace, kill -9 in the middle of an install. Every case asserts the outcome, a
// one-line message, the time, that no process of the case is left (/proc) and that no user file
// changed and no temporary file remains.

const CLI = path.resolve('dist/cli.js');
const GO_BIN = (process.env.PATH ?? '').split(':').find((dir) => dir.startsWith('/') && existsSync(path.join(dir, 'go')))!;
const REAL_GO = path.join(GO_BIN, 'go');

interface Case {
  name: string;
  /** Builds the case in `root`; returns the CLI arguments and what else differs. */
  setup(root: string, ws: string): { args: string[]; env?: Record<string, string>; cwd?: string; shell?: string };
  code: number;
  /** The one line on stderr (or the text on stdout when `stdout` is set). */
  message?: RegExp;
  stdout?: RegExp;
  /** Files the command may change (relative to root). */
  writes?: string[];
  /** The command's own limit plus one second. */
  limitMs: number;
  after?(root: string, ws: string): void;
}

function baseEnv(root: string, pathDirs: string[] = [GO_BIN, '/usr/bin', '/bin']): Record<string, string> {
  return {
    HOME: path.join(root, 'home'),
    XDG_CONFIG_HOME: path.join(root, 'home', '.config'),
    XDG_DATA_HOME: path.join(root, 'home', '.local', 'share'),
    GOPATH: path.join(root, 'gopath'),
    GOCACHE: process.env.GOCACHE ?? path.join(process.env.HOME ?? root, '.cache', 'go-build'),
    GOMODCACHE: process.env.GOMODCACHE ?? path.join(process.env.HOME ?? root, 'go', 'pkg', 'mod'),
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=mod',
    PATH: pathDirs.join(':'),
  };
}

/** A fake tool: a shell script that does `body` for some subcommands and runs the real go otherwise. */
function fakeGo(dir: string, body: string): string {
  return writeFile(path.join(dir, 'go'), `#!/bin/sh\n${body}\nexec ${REAL_GO} "$@"\n`, true);
}

function tmpFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory() && !entry.isSymbolicLink()) walk(full);
      else if (entry.name.endsWith('.tmp')) out.push(full);
    }
  };
  walk(dir);
  return out;
}

const LAUNCH = (configs: string) => `{\n  "version": "0.2.0",\n  "configurations": [${configs}]\n}\n`;

const CASES: Case[] = [
  {
    name: 'lint: a FIFO',
    setup: (root) => ({ args: ['lint', mkfifoSync(root, 'launch.json')] }),
    code: 1,
    message: /launch\.json: is a FIFO \(named pipe\), not a regular file$/,
    limitMs: 6000,
  },
  {
    name: 'lint: a device',
    setup: () => ({ args: ['lint', '/dev/zero'] }),
    code: 1,
    message: /^go-debug-doctor: \/dev\/zero: is a device, not a regular file$/,
    limitMs: 6000,
  },
  {
    name: 'inspect: a FIFO',
    setup: (root) => ({ args: ['inspect', mkfifoSync(root, 'dlv')] }),
    code: 1,
    message: /dlv: is a FIFO/,
    limitMs: 6000,
  },
  {
    name: 'inspect: a folder',
    setup: (root) => ({ args: ['inspect', root] }),
    code: 1,
    message: /is a folder, not a regular file$/,
    limitMs: 6000,
  },
  {
    name: 'check --replay: a FIFO',
    setup: (root) => ({ args: ['check', '--replay', mkfifoSync(root, 'rec.json')] }),
    code: 1,
    message: /--replay .*rec\.json: is a FIFO/,
    limitMs: 6000,
  },
  {
    name: 'check --replay: 100,000 nested levels',
    setup: (root) => ({ args: ['check', '--replay', writeFile(path.join(root, 'rec.json'), '['.repeat(100_000) + ']'.repeat(100_000))] }),
    code: 2,
    message: /--replay .*: not a go-debug-doctor recording/,
    limitMs: 6000,
  },
  {
    name: 'lint: launch.json that is a folder',
    setup: (root, ws) => (mkdirSync(path.join(ws, '.vscode', 'launch.json'), { recursive: true }), { args: ['lint', ws] }),
    code: 1,
    message: /launch\.json: is a folder, not a regular file$/,
    limitMs: 6000,
  },
  {
    name: 'lint: .vscode that is a file',
    setup: (root, ws) => (writeFile(path.join(ws, '.vscode'), 'x'), { args: ['lint', ws] }),
    code: 1,
    message: /a part of the path is a file, not a folder$/,
    limitMs: 6000,
  },
  {
    name: 'launch --write: .vscode that is a file',
    setup: (root, ws) => (writeFile(path.join(ws, '.vscode'), 'x'), { args: ['launch', '--write', '--workspace', ws] }),
    code: 1,
    message: /\.vscode: is a file, not a folder; launch\.json cannot go there$/,
    limitMs: 30_000,
  },
  {
    name: 'launch --write: tasks.json that is a folder',
    setup: (root, ws) => (
      mkdirSync(path.join(ws, '.vscode', 'tasks.json'), { recursive: true }),
      { args: ['launch', '--write', '--workspace', ws] }
    ),
    code: 1,
    message: /tasks\.json: is a folder, not a regular file$/,
    limitMs: 30_000,
  },
  {
    name: 'lint: 100,000 nested levels',
    setup: (root, ws) => ({
      args: [
        'lint',
        writeFile(path.join(ws, '.vscode', 'launch.json'), `{"configurations": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`),
      ],
    }),
    code: 1,
    stdout: /error \[syntax\] Not valid JSON with comments: nested more than 512 levels deep/,
    limitMs: 6000,
  },
  {
    name: 'lint: a port out of range',
    setup: (root, ws) => ({
      args: [
        'lint',
        writeFile(
          path.join(ws, '.vscode', 'launch.json'),
          LAUNCH('{"name": "r", "type": "go", "request": "attach", "mode": "remote", "port": 99999999}'),
        ),
      ],
    }),
    code: 1,
    stdout: /\[invalid-port\] "r": port 99999999 is not a TCP port/,
    limitMs: 6000,
  },
  {
    name: 'launch --write: a port out of range in launch.json',
    setup: (root, ws) => (
      writeFile(
        path.join(ws, '.vscode', 'launch.json'),
        LAUNCH('{"name": "Connect to headless dlv", "type": "go", "request": "attach", "mode": "remote", "port": 1e400}'),
      ),
      { args: ['launch', '--workspace', ws, '--kinds', 'remote'] }
    ),
    code: 0,
    stdout: /"port": \d+/,
    limitMs: 30_000,
  },
  {
    name: 'launch --write: a missing workspace creates nothing',
    setup: (root) => ({ args: ['launch', '--write', '--workspace', path.join(root, 'does', 'not', 'exist')] }),
    code: 1,
    message: /--workspace .*does\/not\/exist: no such folder$/,
    limitMs: 6000,
    after: (root) => assert.equal(existsSync(path.join(root, 'does')), false),
  },
  {
    name: 'check: a missing workspace says so',
    setup: (root) => ({ args: ['check', '--workspace', path.join(root, 'nope')] }),
    code: 1,
    message: /--workspace .*nope: no such folder$/,
    limitMs: 6000,
  },
  {
    name: 'check --record: a device is not replaced',
    setup: () => ({ args: ['check', '--record', '/dev/null', '--timeout', '3000'] }),
    code: 1,
    message: /--record \/dev\/null: is a device or special file; not replacing it$/,
    limitMs: 60_000,
    after: () => assert.ok(lstatSync('/dev/null').isCharacterDevice()),
  },
  {
    name: 'check --record: a symlink is followed, not replaced',
    setup: (root) => (
      writeFile(path.join(root, 'real.json'), 'old'),
      symlinkSync(path.join(root, 'real.json'), path.join(root, 'rec.json')),
      { args: ['check', '--json', '--no-fail-exit', '--record', path.join(root, 'rec.json'), '--timeout', '3000'] }
    ),
    code: 0,
    writes: ['real.json'],
    limitMs: 60_000,
    after: (root) => (
      assert.ok(lstatSync(path.join(root, 'rec.json')).isSymbolicLink()),
      assert.match(readFileSync(path.join(root, 'real.json'), 'utf8'), /go-debug-doctor-recording/)
    ),
  },
  {
    name: 'check --record: into a missing folder',
    setup: (root) => ({ args: ['check', '--record', path.join(root, 'no', 'rec.json'), '--timeout', '3000'] }),
    code: 1,
    message: /--record .*: the folder .* does not exist$/,
    limitMs: 60_000,
  },
  {
    name: 'explain: an endless stdin pipe',
    setup: () => ({ args: [], shell: `yes | ${process.execPath} ${CLI} explain` }),
    code: 1,
    message: /standard input: more than 4 MiB; give only the text to explain$/,
    limitMs: 10_000,
  },
  {
    name: 'explain: a pipe that ends',
    setup: () => ({
      args: [],
      shell: `printf 'could not launch process: decoding dwarf section info at offset 0x0: too short' | ${process.execPath} ${CLI} explain`,
    }),
    code: 0,
    stdout: /cause: /,
    limitMs: 6000,
  },
  {
    name: 'output piped into head (EPIPE)',
    setup: (root, ws) => ({
      args: [],
      shell: `${process.execPath} ${CLI} lint ${writeFile(path.join(ws, '.vscode', 'launch.json'), LAUNCH(Array.from({ length: 3000 }, (_, i) => `{"name": "c${i}", "type": "go", "request": "launch", "bogus${i}": 1}`).join(',')))} | head -1; exit "$(echo $?)"`,
    }),
    code: 0,
    stdout: /unknown-attribute/,
    limitMs: 10_000,
  },
  {
    name: 'relative PATH with a bin/ in the workspace: no workspace binary runs',
    setup: (root, ws) => {
      for (const tool of ['go', 'dlv', 'gopls', 'uname', 'id'])
        writeFile(path.join(ws, 'bin', tool), `#!/bin/sh\ntouch ${path.join(root, `RAN-${tool}`)}\n`, true);
      return {
        args: ['check', '--json', '--no-fail-exit', '--timeout', '5000'],
        cwd: ws,
        env: baseEnv(root, ['bin', '.', '', GO_BIN, '/usr/bin', '/bin']),
      };
    },
    code: 0,
    stdout: /relative \(it would mean another folder in every working directory\); ignored/,
    limitMs: 60_000,
    after: (root) =>
      assert.deepEqual(
        readdirSync(root).filter((f) => f.startsWith('RAN-')),
        [],
      ),
  },
  {
    name: 'absolute PATH entry inside the workspace: its go is not run',
    setup: (root, ws) => {
      writeFile(path.join(ws, 'bin', 'go'), `#!/bin/sh\ntouch ${path.join(root, 'RAN-go')}\n`, true);
      return { args: ['launch', '--workspace', ws], env: baseEnv(root, [path.join(ws, 'bin'), GO_BIN, '/usr/bin', '/bin']) };
    },
    code: 0,
    limitMs: 60_000,
    after: (root) => assert.equal(existsSync(path.join(root, 'RAN-go')), false),
  },
  {
    name: 'a go whose grandchild escapes with setsid and keeps stdout open',
    setup: (root) => {
      const tools = path.join(root, 'tools');
      fakeGo(tools, 'if [ "$1" = env ] || [ "$1" = version ]; then setsid sleep 8111.5 & echo partial; exit 0; fi');
      return {
        args: ['check', '--json', '--no-fail-exit', '--timeout', '2000', '--workspace', path.join(root, 'ws')],
        env: baseEnv(root, [tools, '/usr/bin', '/bin']),
      };
    },
    code: 0,
    limitMs: 20_000,
  },
  {
    name: 'a go that sleeps past the timeout',
    setup: (root) => {
      const tools = path.join(root, 'tools');
      fakeGo(tools, 'sleep 8112.5');
      return {
        args: ['check', '--json', '--no-fail-exit', '--timeout', '1000', '--workspace', path.join(root, 'ws')],
        env: baseEnv(root, [tools, '/usr/bin', '/bin']),
      };
    },
    code: 0,
    stdout: /timed out after 1000 ms and was killed/,
    limitMs: 20_000,
  },
  {
    name: 'a go that prints without end',
    setup: (root) => {
      const tools = path.join(root, 'tools');
      fakeGo(tools, 'if [ "$1" = env ]; then exec yes; fi');
      return {
        args: ['check', '--json', '--no-fail-exit', '--timeout', '5000', '--workspace', path.join(root, 'ws')],
        env: baseEnv(root, [tools, '/usr/bin', '/bin']),
      };
    },
    code: 0,
    stdout: /printed more than \d+ bytes and was stopped/,
    limitMs: 30_000,
  },
  {
    name: 'go list printing invalid JSON',
    setup: (root, ws) => {
      const tools = path.join(root, 'tools');
      fakeGo(tools, 'if [ "$1" = list ]; then echo \'{"ImportPath": "x", "Dir": }}}{{{\'; exit 0; fi');
      return { args: ['launch', '--workspace', ws, '--json'], env: baseEnv(root, [tools, '/usr/bin', '/bin']) };
    },
    code: 0,
    stdout: /printed something that is not JSON/,
    limitMs: 30_000,
  },
  {
    name: 'launch: a toolchain line does not make go list download a Go',
    setup: (root, ws) => (
      writeFile(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.21\n\ntoolchain go1.99.1\n'),
      { args: ['launch', '--workspace', ws, '--json'], env: { ...baseEnv(root), GOTOOLCHAIN: 'auto', GOPROXY: 'off' } }
    ),
    code: 0,
    limitMs: 30_000,
    after: (root) =>
      assert.equal(existsSync(path.join(root, 'gopath', 'pkg', 'mod', 'golang.org', 'toolchain@v0.0.1-go1.99.1.linux-amd64')), false),
  },
  {
    name: 'launch: a symlink to / in the workspace is not walked',
    setup: (root, ws) => (
      symlinkSync('/', path.join(ws, 'root')),
      symlinkSync(ws, path.join(ws, 'loop')),
      { args: ['launch', '--workspace', ws, '--json'] }
    ),
    code: 0,
    limitMs: 30_000,
  },
];

function mkfifoSync(root: string, name: string): string {
  const file = path.join(root, name);
  pendingFifos.push(file);
  return file;
}
const pendingFifos: string[] = [];

describe('hostile machine: every command ends in time with one clear line', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const root = tempDir('gdd-hostile-');
      const ws = path.join(root, 'ws');
      writeFile(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.21\n');
      writeFile(path.join(ws, 'main.go'), 'package main\n\nfunc main() {}\n');
      writeFile(path.join(root, 'home', '.config', 'go', 'telemetry', 'mode'), 'off');
      const { args, env, cwd, shell } = c.setup(root, ws);
      for (const fifo of pendingFifos.splice(0)) assert.equal((await runProcess(['mkfifo', fifo])).outcome, 'ok');
      const before = hashTree(root, ['home', 'gopath', ...(c.writes ?? [])]);
      const started = Date.now();
      const argv = shell ? ['/bin/sh', '-c', shell] : [process.execPath, CLI, ...args];
      const probe = await runProcess(argv, { env: env ?? baseEnv(root), cwd: cwd ?? root, timeoutMs: c.limitMs + 5000 });
      const took = Date.now() - started;
      assert.ok(took <= c.limitMs, `took ${took} ms, limit ${c.limitMs}`);
      assert.notEqual(probe.outcome, 'timeout');
      assert.equal(
        probe.exitCode,
        c.code,
        `exit ${probe.exitCode}\nstdout: ${probe.stdout.slice(0, 500)}\nstderr: ${probe.stderr.slice(0, 2000)}`,
      );
      assert.doesNotMatch(probe.stderr + probe.stdout, /internal error|\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
      if (c.message) {
        assert.match(probe.stderr.trim(), c.message);
        assert.equal(
          probe.stderr
            .trim()
            .split('\n')
            .filter((l) => l.startsWith('go-debug-doctor:')).length,
          1,
          probe.stderr,
        );
      }
      if (c.stdout) assert.match(probe.stdout, c.stdout);
      c.after?.(root, ws);
      assert.deepEqual(await settled(root), [], 'no process of this case is left');
      for (const unique of ['8111.5', '8112.5']) assert.deepEqual(await settled(`sleep ${unique}`), []);
      assert.deepEqual(tmpFiles(root), [], 'no temporary file is left');
      const after = hashTree(root, ['home', 'gopath', ...(c.writes ?? [])]);
      for (const [file, hash] of before) assert.equal(after.get(file), hash, `${file} is unchanged`);
    });
  }
});

describe('hostile machine: kill -9 of install-dlv', () => {
  it('go install dies with the CLI (3 kills), and no backup temp file is left', async () => {
    const root = tempDir('gdd-hostile-');
    const tools = path.join(root, 'tools');
    fakeGo(tools, 'if [ "$1" = install ]; then sleep 8113.5 & sleep 8113.5; exit 1; fi');
    writeFile(path.join(root, 'ws', 'go.mod'), 'module example.com/ws\n\ngo 1.21\n');
    const dir = path.join(root, 'install');
    const env = baseEnv(root, [tools, '/usr/bin', '/bin']);
    for (let kill = 0; kill < 3; kill++) {
      let cli = 0;
      const run = runProcess(
        [process.execPath, CLI, 'install-dlv', '--version', 'v1.27.2', '--force', '--dir', dir, '--workspace', path.join(root, 'ws')],
        { env, timeoutMs: 60_000, onSpawn: (pid) => (cli = pid) },
      );
      const until = Date.now() + 30_000;
      while (processesWith('sleep 8113.5').length < 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      assert.equal(processesWith('sleep 8113.5').length, 2, 'go install started');
      process.kill(cli, 'SIGKILL');
      const probe = await run;
      assert.equal(probe.signal, 'SIGKILL');
      assert.deepEqual(await settled('sleep 8113.5'), [], 'go install and its children died with the CLI');
    }
    assert.deepEqual(await settled(tools), []);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });
});

describe('hostile machine: kill -9 of verify', () => {
  /** Starts the CLI, waits until `ready` is true, and kills it with SIGKILL. */
  async function killWhen(args: string[], env: Record<string, string>, ready: (cli: number) => boolean): Promise<void> {
    let cli = 0;
    const run = runProcess([process.execPath, CLI, ...args], { env, timeoutMs: 60_000, onSpawn: (pid) => (cli = pid) });
    const until = Date.now() + 30_000;
    while (!ready(cli) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.ok(ready(cli), 'the case reached the moment to kill');
    process.kill(cli, 'SIGKILL');
    assert.equal((await run).signal, 'SIGKILL');
  }

  it('dlv dap ends itself and its program when verify dies: no watchdog was needed once connected', async () => {
    const root = tempDir('gdd-hostile-');
    const dlvDir = path.join(root, 'dlv-bin');
    mkdirSync(dlvDir);
    const dlv = path.join(dlvDir, 'dlv');
    copyFileSync(testTools()['dlv-new'], dlv);
    const ws = path.join(root, 'ws');
    writeFile(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.21\n');
    writeFile(
      path.join(ws, 'main.go'),
      'package main\n\nimport "time"\n\nfunc main() {\n\ttime.Sleep(time.Minute)\n\tprintln("late")\n}\n',
    );
    writeFile(
      path.join(ws, '.vscode', 'launch.json'),
      LAUNCH('{"name": "L", "type": "go", "request": "launch", "mode": "debug", "program": "${workspaceFolder}", "args": ["arg-8116.5"]}'),
    );
    const env = baseEnv(root);
    let sawWatchdog = false;
    await killWhen(['verify', '--workspace', ws, '--dlv', dlv, '--break', 'main.go:7'], env, (cli) => {
      if (cli && watchdogsOf(cli).length) sawWatchdog = true;
      return processesWith('arg-8116.5').length > 0;
    });
    assert.equal(sawWatchdog, false, 'verify started no watchdog for dlv dap');
    assert.deepEqual(await settled('arg-8116.5', 10_000), [], 'the program ended with dlv');
    assert.deepEqual(await settled(dlvDir, 10_000), [], 'dlv ended by itself');
  });

  it('a dlv that does not come up within a second is guarded: killed with the CLI', async () => {
    const root = tempDir('gdd-hostile-');
    const tools = path.join(root, 'tools');
    const dlv = writeFile(path.join(tools, 'dlv'), '#!/bin/sh\nsleep 8117.5\n', true);
    const ws = path.join(root, 'ws');
    writeFile(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.21\n');
    writeFile(path.join(ws, 'main.go'), 'package main\n\nfunc main() {\n\tprintln("hi")\n}\n');
    writeFile(
      path.join(ws, '.vscode', 'launch.json'),
      LAUNCH('{"name": "L", "type": "go", "request": "launch", "mode": "debug", "program": "${workspaceFolder}"}'),
    );
    let started = 0;
    await killWhen(['verify', '--workspace', ws, '--dlv', dlv, '--break', 'main.go:4'], baseEnv(root), () => {
      if (!started && processesWith('sleep 8117.5').length) started = Date.now();
      // The watchdog takes over after a second: kill after it has.
      return started > 0 && Date.now() - started > 1_500;
    });
    assert.deepEqual(await settled('sleep 8117.5', 5_000), [], 'the slow dlv died with the CLI');
  });
});
