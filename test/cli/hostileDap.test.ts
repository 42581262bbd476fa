import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { runProcess } from '../../src/core/probes/runProcess';
import { startServer } from '../../src/core/probes/server';
import { goTestEnv, settled, tempDir, writeFile } from '../helpers';

// A hostile debug adapter: the real CLI (dist/cli.js, its own process) against
// test/fixtures/hostile-dap-adapter.mjs over real TCP on 127.0.0.1, once as the `dlv dap` verify and
// selftest start, once as the headless server verify and lint connect to. The adapter plays a
// well-behaved Delve (the "good" rows pass) with one thing done wrong per row. Each row asserts the
// exit code, the one line that names what happened, the time, the CLI's peak memory and CPU time
// (from /proc while it runs), that no control character reaches the terminal, that launch.json is
// unchanged, and that no process or temporary file of the row is left.

const CLI = path.resolve('dist/cli.js');
const ADAPTER = path.resolve('test/fixtures/hostile-dap-adapter.mjs');
const MAIN_GO = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tx := 1\n\tfmt.Println(x)\n}\n';

interface Row {
  name: string;
  /** GDD_PEER: how the adapter misbehaves. */
  peer: string;
  command: 'verify' | 'lint' | 'selftest';
  /** The adapter as the dlv the command starts, or as a headless server already running (mode remote). */
  as: 'dlv' | 'server';
  code: number;
  /** A whole line of the output. */
  says?: RegExp;
  limitMs: number;
  /** Run the CLI in a V8 heap of this many MiB: holding what the peer floods it with would not fit. */
  heapMiB?: number;
  maxCpuMs?: number;
  args?: string[];
  after?(run: { root: string; received: Request[]; serverAlive?: boolean }): void;
}

interface Request {
  command: string;
  type: string;
  success?: boolean;
  arguments?: Record<string, unknown>;
}

const line = (text: string) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm');

const ROWS: Row[] = [
  { name: 'a well-behaved adapter (the baseline)', peer: 'good', command: 'verify', as: 'dlv', code: 0, says: /^PASS/m, limitMs: 15_000 },
  {
    name: 'never answers initialize',
    peer: 'silent',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line('no answer to "initialize" within 15000 ms'),
    limitMs: 30_000,
  },
  {
    name: 'closes the connection at once',
    peer: 'close',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line('the debug adapter closed the connection'),
    limitMs: 15_000,
  },
  {
    name: 'announces a 2 GB message and trickles it',
    peer: 'huge-length',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line('the debug adapter sent a message of 2147483648 bytes (more than 32 MiB)'),
    limitMs: 15_000,
  },
  {
    name: 'a header that never ends (4 MiB of X)',
    peer: 'endless-header',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line('the debug adapter sent a header of more than 8192 bytes'),
    limitMs: 15_000,
  },
  {
    name: 'a body that is not JSON',
    peer: 'not-json',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line('the debug adapter sent a message that is not JSON'),
    limitMs: 15_000,
  },
  {
    name: 'a body that is JSON null',
    peer: 'json-null',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line('the debug adapter sent a message that is not a DAP message (no "type")'),
    limitMs: 15_000,
  },
  {
    name: 'an error answer whose body.error.format is a number',
    peer: 'error-format-number',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line('initialize failed: no message'),
    limitMs: 15_000,
  },
  {
    name: 'setBreakpoints answered without a body',
    peer: 'no-body',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line('the debug adapter answered "setBreakpoints" without body.breakpoints list'),
    limitMs: 15_000,
  },
  {
    name: '100,000 breakpoints answered for one',
    peer: 'extra-breakpoints',
    command: 'verify',
    as: 'dlv',
    code: 0,
    says: line('main.go:6: hit'),
    limitMs: 20_000,
  },
  {
    name: 'a stopped event without a body',
    peer: 'stopped-no-body',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line('the debug adapter sent a "stopped" event without body.reason'),
    limitMs: 15_000,
  },
  {
    name: 'hitBreakpointIds that is not a list',
    peer: 'hit-ids-not-a-list',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line('the debug adapter sent a "stopped" event without a numeric body.hitBreakpointIds list'),
    limitMs: 15_000,
  },
  {
    name: '320 MiB of output events before the answer, in a 256 MiB heap',
    peer: 'big-output',
    command: 'verify',
    as: 'dlv',
    code: 0,
    says: /^PASS/m,
    heapMiB: 256,
    limitMs: 60_000,
  },
  {
    name: '1,000,000 events nobody waits for',
    peer: 'event-flood',
    command: 'verify',
    as: 'dlv',
    code: 0,
    says: /^PASS/m,
    maxCpuMs: 15_000,
    limitMs: 60_000,
  },
  {
    name: 'a 30 MiB message in 4 KiB writes',
    peer: 'trickle',
    command: 'verify',
    as: 'dlv',
    code: 0,
    says: /^PASS/m,
    maxCpuMs: 8_000,
    limitMs: 60_000,
  },
  {
    name: 'runInTerminal and startDebugging asked: answered "not supported", never run',
    peer: 'reverse-requests',
    command: 'verify',
    as: 'dlv',
    code: 0,
    says: /^PASS/m,
    limitMs: 15_000,
    after: ({ root, received }) => {
      assert.equal(existsSync(path.join(root, 'MARKER')), false, 'runInTerminal ran nothing');
      const answers = received.filter((m) => m.type === 'response');
      assert.deepEqual(
        answers.map((m) => [m.command, m.success]),
        [
          ['runInTerminal', false],
          ['startDebugging', false],
        ],
      );
    },
  },
  {
    name: '1,000,000 reverse requests while it never reads',
    peer: 'reverse-flood',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line('the debug adapter does not read what it is sent (more than 8 MiB waiting)'),
    limitMs: 60_000,
  },
  {
    name: 'terminal escapes in file names and breakpoint messages',
    peer: 'escapes',
    command: 'verify',
    as: 'dlv',
    code: 1,
    // Verify shows the adapter's words on one line: every run of control characters becomes one space.
    says: /Delve: could not find {2}\]0;PWNED \[2J \[1;1H PASS 31m$/m,
    limitMs: 15_000,
  },
  {
    name: 'terminal escapes in an error answer',
    peer: 'escapes-error',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: /^ {2}initialize failed: refused \^\[\]0;PWNED/m,
    limitMs: 15_000,
  },
  {
    name: 'dlv says it listens beyond loopback (192.0.2.1)',
    peer: 'far-ready-line',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line(`dlv says it listens at 192.0.2.1:2345, which is not this machine's loopback; not connecting there`),
    limitMs: 15_000,
  },
  {
    name: 'dlv says it listens at a host name (no lookup)',
    peer: 'name-ready-line',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line(`dlv says it listens at gdd-peer.invalid:2345, which is not this machine's loopback; not connecting there`),
    limitMs: 15_000,
  },
  {
    name: 'stops again and again where no breakpoint is',
    peer: 'stopped-storm',
    command: 'verify',
    as: 'dlv',
    code: 1,
    says: line('main.go:6: verified, not hit'),
    limitMs: 20_000,
    after: ({ received }) => assert.ok(received.filter((m) => m.command === 'continue').length <= 20, 'at most 20 continues'),
  },
  {
    name: 'dlv sources: 400,000 files (~23 MB)',
    peer: 'sources-huge',
    command: 'verify',
    as: 'dlv',
    code: 0,
    says: /^PASS/m,
    maxCpuMs: 10_000,
    limitMs: 60_000,
  },
  {
    name: 'every answer twice, and one to a request never sent',
    peer: 'duplicate-answers',
    command: 'verify',
    as: 'dlv',
    code: 0,
    says: /^PASS/m,
    limitMs: 15_000,
  },
  {
    name: 'never answers disconnect',
    peer: 'disconnect-hangs',
    command: 'verify',
    as: 'dlv',
    code: 0,
    says: /^PASS/m,
    limitMs: 20_000,
  },
  {
    name: 'a dlv that ignores SIGTERM and never answers launch',
    peer: 'stubborn',
    command: 'verify',
    as: 'dlv',
    args: ['--timeout', '2'],
    code: 1,
    says: line('no answer to "launch" within 2000 ms'),
    limitMs: 20_000,
  },
  {
    name: 'mode remote: a well-behaved server is left running, its breakpoints cleared',
    peer: 'good',
    command: 'verify',
    as: 'server',
    code: 0,
    says: /^PASS/m,
    limitMs: 15_000,
    after: ({ received, serverAlive }) => {
      assert.equal(serverAlive, true, 'the server still runs');
      const cleared = received.find((m) => m.command === 'setBreakpoints' && (m.arguments?.breakpoints as unknown[]).length === 0);
      assert.ok(cleared, 'its breakpoints were cleared');
      assert.deepEqual(received.find((m) => m.command === 'disconnect')?.arguments, { terminateDebuggee: false });
    },
  },
  {
    name: 'mode remote: JSON null',
    peer: 'json-null',
    command: 'verify',
    as: 'server',
    code: 1,
    says: line('the debug adapter sent a message that is not a DAP message (no "type")'),
    limitMs: 15_000,
  },
  { name: 'a well-behaved server', peer: 'good', command: 'lint', as: 'server', code: 0, says: /: clean\.$/m, limitMs: 10_000 },
  {
    name: 'JSON null from the server',
    peer: 'json-null',
    command: 'lint',
    as: 'server',
    code: 0,
    says: /: clean\.$/m,
    limitMs: 10_000,
  },
  {
    name: 'a server that never answers (3 s)',
    peer: 'silent',
    command: 'lint',
    as: 'server',
    code: 0,
    says: /: clean\.$/m,
    limitMs: 10_000,
  },
  {
    // File names with control characters are never taken as a build folder: nothing to map, nothing printed.
    name: 'terminal escapes in the server’s file names',
    peer: 'escapes',
    command: 'lint',
    as: 'server',
    code: 0,
    says: /^\.vscode\/launch\.json: clean\.$/m,
    limitMs: 10_000,
  },
  {
    name: 'dlv says it listens beyond loopback',
    peer: 'far-ready-line',
    command: 'selftest',
    as: 'dlv',
    code: 1,
    says: line(`| dlv says it listens at 192.0.2.1:2345, which is not this machine's loopback; not connecting there`),
    limitMs: 60_000,
  },
  {
    name: 'JSON null',
    peer: 'json-null',
    command: 'selftest',
    as: 'dlv',
    code: 1,
    says: line('| the debug adapter sent a message that is not a DAP message (no "type")'),
    limitMs: 60_000,
  },
];

interface Usage {
  peakRssMiB: number;
  cpuMs: number;
}

/** Samples a running process's peak resident memory (VmHWM) and CPU time until it ends. */
function sampleUsage(pid: number): { stop(): Usage } {
  const usage: Usage = { peakRssMiB: 0, cpuMs: 0 };
  const ticksPerMs = 100 / 1000; // USER_HZ
  const sample = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (hwm) usage.peakRssMiB = Math.max(usage.peakRssMiB, Math.round(Number(hwm) / 1024));
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      usage.cpuMs = Math.max(usage.cpuMs, (Number(fields[11]) + Number(fields[12])) / ticksPerMs);
    } catch {
      // ended
    }
  };
  const timer = setInterval(sample, 20);
  sample();
  return { stop: () => (clearInterval(timer), usage) };
}

const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const measured: string[] = [];
after(() => {
  if (measured.length)
    console.log(`\n| row | exit | ms | peak RSS MiB | CPU ms |\n| --- | --- | --- | --- | --- |\n${measured.join('\n')}`);
});

describe('hostile debug adapter: the real CLI ends in time, with one line, bounded, leaving nothing', { timeout: 900_000 }, () => {
  for (const row of ROWS) {
    it(`${row.command}: ${row.name}`, async () => {
      const root = tempDir('gdd-hostile-dap-');
      const ws = path.join(root, 'ws');
      const tmp = path.join(root, 'tmp');
      mkdirSync(tmp);
      writeFile(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.21\n');
      writeFile(path.join(ws, 'main.go'), MAIN_GO);
      // The row's folder in the fake dlv's command line: a process of this row left behind is found by it.
      const dlv = writeFile(path.join(root, 'bin', 'dlv'), `#!/bin/sh\nexec ${process.execPath} ${ADAPTER} "$@" ${root}\n`, true);
      const log = path.join(root, 'received.jsonl');
      const env = goTestEnv('gdd-hostile-dap-home-', {
        NO_COLOR: '1',
        TMPDIR: tmp,
        GDD_PEER: row.peer,
        GDD_PEER_LOG: log,
        GDD_PEER_MARKER: path.join(root, 'MARKER'),
      });
      const server =
        row.as === 'server'
          ? await startServer([process.execPath, ADAPTER, 'serve'], { cwd: ws, env, ready: /listening at: /, timeoutMs: 20_000 })
          : undefined;
      try {
        const port = server ? Number(/:(\d+)$/.exec(server.readyLine)![1]) : 0;
        const config = server
          ? { name: 'Remote', type: 'go', request: 'attach', mode: 'remote', host: '127.0.0.1', port }
          : { name: 'Launch', type: 'go', request: 'launch', mode: 'debug', program: '${workspaceFolder}' };
        const launch = writeFile(path.join(ws, '.vscode', 'launch.json'), JSON.stringify({ version: '0.2.0', configurations: [config] }));
        const before = hash(launch);
        const args = {
          verify: ['verify', '--workspace', ws, '--dlv', dlv, '--break', 'main.go:6', ...(row.args ?? [])],
          lint: ['lint', ws, '--dlv-version', '1.27.2'],
          selftest: ['selftest', '--workspace', ws, '--dlv', dlv, '--no-gopls'],
        }[row.command];
        let usage: { stop(): Usage } | undefined;
        const started = Date.now();
        const probe = await runProcess([process.execPath, ...(row.heapMiB ? [`--max-old-space-size=${row.heapMiB}`] : []), CLI, ...args], {
          env,
          cwd: ws,
          timeoutMs: row.limitMs + 10_000,
          onSpawn: (pid) => (usage = sampleUsage(pid)),
        });
        const took = Date.now() - started;
        const { peakRssMiB, cpuMs } = usage!.stop();
        measured.push(`| ${row.command}: ${row.name} | ${probe.exitCode} | ${took} | ${peakRssMiB} | ${Math.round(cpuMs)} |`);
        const output = probe.stdout + probe.stderr;
        const shown = `exit ${probe.exitCode} after ${took} ms\n${output.slice(0, 3000)}`;

        assert.notEqual(probe.outcome, 'timeout', shown);
        assert.ok(took <= row.limitMs, `took ${took} ms, limit ${row.limitMs}\n${shown}`);
        assert.equal(probe.exitCode, row.code, shown);
        assert.doesNotMatch(output, /internal error|\n\s+at .+:\d+:\d+\)?\n|FATAL ERROR|heap out of memory/, `no crash\n${shown}`);
        if (row.says) assert.match(output, row.says, shown);
        // eslint-disable-next-line no-control-regex
        assert.doesNotMatch(output, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/, 'no control character reaches the terminal');
        if (row.maxCpuMs) assert.ok(cpuMs <= row.maxCpuMs, `${Math.round(cpuMs)} ms of CPU, at most ${row.maxCpuMs}`);

        assert.equal(hash(launch), before, 'launch.json is unchanged');
        const received = existsSync(log)
          ? readFileSync(log, 'utf8')
              .split('\n')
              .filter(Boolean)
              .map((l) => JSON.parse(l) as Request)
          : [];
        const serverAlive = server ? await Promise.race([server.exited.then(() => false), delay(200, true)]) : undefined;
        row.after?.({ root, received, ...(serverAlive === undefined ? {} : { serverAlive }) });
        assert.deepEqual(await settled(root, 5_000), [], 'no process of this row is left');
        assert.deepEqual(readdirSync(tmp), [], 'no temporary file or folder is left');
      } finally {
        await server?.stop();
      }
    });
  }
});

const delay = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
