import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseJsonc } from 'jsonc-parser';
import { runProcess } from '../../src/core/probes/runProcess';
import { startServer, type ServerHandle } from '../../src/core/probes/server';
import { hashTree, processesWith, readRss, rssPreload, tempDir, testTools, writeFile } from '../helpers';

// A hostile DAP server on loopback against the real CLI (`node dist/cli.js verify|lint`), run as a
// user runs it. Each fake server is a child process (this same file, started with GDD_HOSTILE_DAP
// set), so that building and sending a flood shares no event loop with the timing of other cases.
// Every case checks the exit code, the wall time against the timers on the code path it takes, the
// one line that says what went wrong, the CLI's own max RSS, that no file outside the workspace
// changed, and that launch.json changed only by a substitutePath whose local side is the workspace.

const SERVER_ENV = 'GDD_HOSTILE_DAP';
const CLI = path.resolve('dist/cli.js');
const GO_BIN = (process.env.PATH ?? '').split(':').find((dir) => dir.startsWith('/') && existsSync(path.join(dir, 'go')))!;
const GOROOT = path.dirname(GO_BIN);

// The timers on each path, read from the code: verify waits REQUEST_MS (src/core/verify/engine.ts)
// for each request and 5 s for each clean-up request of endSession; lint waits 3 s for each request
// of listServerSources (src/core/verify/remote.ts).
const VERIFY_REQUEST_MS = 15_000;
const VERIFY_CLEANUP_MS = 5_000;
const LINT_REQUEST_MS = 3_000;
/** On top of those timers, from the CLI's first connection to the server to its exit. */
const SLACK_MS = 1_000;
/**
 * Before that connection: node, the CLI's modules, the tool lookup and `go env`, 0.2 s on an idle
 * machine. Other work on the same two CPUs (the load average here reaches 10) stretches it to a
 * second and more, so it is bounded on its own instead of eating the slack above.
 */
const START_MS = 1_500;
/** Measured: 47-50 MB for a plain run, 90 MB through a flood of small events, 145-165 MB through 150 MiB of big events or a 25 MB `dlv sources` answer. */
const MAX_RSS_KB = 200 * 1024;

const FLOOD_EVENTS = 300_000;
const BIG_EVENTS = 150;
const MILLION_SOURCES = 1_500_000;
const MANY_SOURCES = 150_000;
/** Stands for bytes that are not UTF-8 in a file name the server lists. */
const NOT_UTF8 = '@@not-utf8@@';

type Behaviour =
  | 'good'
  | 'silent'
  | 'garbage'
  | 'not-json'
  | 'huge'
  | 'trickle'
  | 'flood-then-answer'
  | 'flood-instead'
  | 'big-events'
  | 'wrong-seq'
  | 'wrong-command'
  | 'close-mid'
  | 'reverse'
  | 'million-sources'
  | 'many-sources'
  | 'hostile-names'
  | 'lie';

interface ServerSpec {
  behaviour: Behaviour;
  /** Every message the client sends, one JSON line each. */
  log: string;
  /** Gets the time of the first connection (Date.now()). */
  connected: string;
  /** The folder the program was built in, as `dlv sources` says. */
  programDir: string;
  /** What `dlv sources` lists, when not the program's own few files. */
  names?: string[];
  /** What a reverse request would leave behind (marker.run, marker.start) if it were carried out. */
  marker: string;
}

interface DapMessage {
  seq: number;
  type: string;
  command?: string;
  request_seq?: number;
  success?: boolean;
  arguments?: Record<string, unknown>;
}

const framed = (body: Buffer): Buffer => Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
const frame = (message: object): Buffer => framed(Buffer.from(JSON.stringify(message), 'utf8'));

function outputEvents(count: number, text: (i: number) => string): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++)
    parts.push(frame({ seq: 1_000_000 + i, type: 'event', event: 'output', body: { category: 'stdout', output: text(i) } }));
  return Buffer.concat(parts);
}

/** The fake server, in its own process: prints its port, then behaves. */
function serve(spec: ServerSpec): void {
  let seq = 1;
  // Everything big is made before the server says it is ready: sending it is then one fast write.
  const flood =
    spec.behaviour === 'big-events'
      ? outputEvents(BIG_EVENTS, () => 'x'.repeat(1024 * 1024))
      : spec.behaviour.startsWith('flood')
        ? outputEvents(FLOOD_EVENTS, (i) => `line ${i}\n`)
        : Buffer.alloc(0);
  let names = spec.names ?? [`${spec.programDir}/main.go`, `${GOROOT}/src/runtime/proc.go`, `${GOROOT}/src/fmt/print.go`];
  if (spec.behaviour === 'million-sources') names = Array.from({ length: MILLION_SOURCES }, (_, i) => `/s/${i.toString(36)}/main.go`);
  if (spec.behaviour === 'many-sources')
    names = [`${spec.programDir}/main.go`, ...Array.from({ length: MANY_SOURCES }, (_, i) => `${spec.programDir}/pkg${i % 500}/f${i}.go`)];
  const listed = names.join('\n');
  let substitutePath: { from: string; to: string }[] = [];

  const response = (req: DapMessage, body?: object) => ({
    seq: seq++,
    type: 'response',
    request_seq: req.seq,
    success: true,
    command: req.command,
    ...(body ? { body } : {}),
  });

  /** What a Delve debugging a program built in programDir answers (and, for `lie`, what it claims). */
  const answer = (req: DapMessage): Buffer[] => {
    const args = req.arguments ?? {};
    switch (req.command) {
      case 'attach':
        substitutePath = (args.substitutePath as typeof substitutePath | undefined) ?? [];
        return [frame(response(req, {}))];
      case 'evaluate': {
        const json = JSON.stringify(response(req, { result: listed, variablesReference: 0 }));
        const bad = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]);
        return [framed(Buffer.concat(json.split(NOT_UTF8).flatMap((part, i) => (i ? [bad] : []).concat(Buffer.from(part, 'utf8')))))];
      }
      case 'setFunctionBreakpoints': {
        const asked = args.breakpoints as unknown[];
        return [frame(response(req, { breakpoints: asked.map((_, i) => ({ id: 100 + i, verified: true, line: 6 })) }))];
      }
      case 'setBreakpoints': {
        const file = (args.source as { path: string }).path;
        // Delve's rule: the first entry whose "from" is a prefix of the editor's name.
        const entry = substitutePath.find((e) => file === e.from || file.startsWith(`${e.from}/`));
        const own = (entry ? entry.to + file.slice(entry.from.length) : file).startsWith(`${spec.programDir}/`);
        const breakpoints = (args.breakpoints as { line: number }[]).map((b, i) =>
          spec.behaviour === 'lie'
            ? { id: 1 + i, verified: true, line: 9999, source: { path: '/nowhere/at/all.go' } }
            : own
              ? { id: 1 + i, verified: true, line: b.line }
              : { id: 1 + i, verified: false, message: `could not find file ${file}` },
        );
        return [frame(response(req, { breakpoints }))];
      }
      case 'configurationDone':
        return [
          frame(response(req)),
          frame({ seq: seq++, type: 'event', event: 'stopped', body: { reason: 'breakpoint', threadId: 1, hitBreakpointIds: [1] } }),
        ];
      default:
        return [frame(response(req, {}))];
    }
  };

  const onRequest = (req: DapMessage, first: boolean, socket: Socket, write: (b: Buffer) => void, later: (b: Buffer) => void) => {
    switch (spec.behaviour) {
      case 'silent':
        return;
      case 'garbage': {
        if (!first) return;
        // Bytes of every value but CR: the end of a header never comes.
        const noise = Buffer.alloc(64 * 1024);
        for (let i = 0, x = 12345; i < noise.length; i++) {
          x = (x * 1103515245 + 12345) & 0x7fffffff;
          noise[i] = (x >> 16) & 0xff;
          if (noise[i] === 0x0d) noise[i] = 0;
        }
        return write(noise);
      }
      case 'not-json':
        return first ? write(framed(Buffer.from('<html><body>502 Bad Gateway</body></html>'))) : undefined;
      case 'huge':
        if (first) write(Buffer.from('Content-Length: 2147483648\r\n\r\n{"seq":1,"type":"response","body":"'));
        return first ? later(Buffer.alloc(1024, 0x61)) : undefined;
      case 'trickle':
        return answer(req).forEach(later);
      case 'flood-then-answer':
      case 'big-events':
        if (first) write(flood);
        return answer(req).forEach(write);
      case 'flood-instead':
        return first ? write(flood) : undefined;
      case 'wrong-seq':
        return write(frame({ ...response(req, {}), request_seq: req.seq + 10_000 }));
      case 'wrong-command':
        return write(frame({ ...response(req, {}), command: req.command === 'disconnect' ? 'initialize' : 'disconnect' }));
      case 'close-mid':
        if (first) socket.end(Buffer.from('Content-Length: 200\r\n\r\n{"seq":1,"type":"response","request_seq":1,'));
        return;
      case 'reverse':
        if (first) {
          write(
            frame({
              seq: seq++,
              type: 'request',
              command: 'runInTerminal',
              arguments: { kind: 'integrated', cwd: '/', args: ['/bin/sh', '-c', `touch ${spec.marker}.run; exec sleep 8121.5`] },
            }),
          );
          write(
            frame({
              seq: seq++,
              type: 'request',
              command: 'startDebugging',
              arguments: {
                request: 'launch',
                configuration: {
                  type: 'go',
                  name: 'x',
                  request: 'launch',
                  mode: 'exec',
                  program: '/bin/sh',
                  args: ['-c', `touch ${spec.marker}.start`],
                },
              },
            }),
          );
        }
        return answer(req).forEach(write);
      default:
        return answer(req).forEach(write);
    }
  };

  const server = createServer((socket) => {
    if (!existsSync(spec.connected)) writeFileSync(spec.connected, String(Date.now()));
    socket.on('error', () => undefined);
    let closed = false;
    const timers: NodeJS.Timeout[] = [];
    socket.on('close', () => {
      closed = true;
      timers.forEach(clearInterval);
    });
    const write = (bytes: Buffer) => {
      if (!closed) socket.write(bytes);
    };
    // trickle: one byte every 200 ms of what is queued; huge: 1 KiB every 50 ms, without end.
    let queued = Buffer.alloc(0);
    const later = (bytes: Buffer) => {
      if (spec.behaviour === 'huge') return void timers.push(setInterval(() => write(bytes), 50));
      if (!timers.length)
        timers.push(
          setInterval(() => {
            if (queued.length) write(queued.subarray(0, 1));
            queued = queued.subarray(1);
          }, 200),
        );
      queued = Buffer.concat([queued, bytes]);
    };
    let requests = 0;
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/Content-Length: *(\d+)/i.exec(buffer.subarray(0, end).toString('ascii'))?.[1]);
        if (buffer.length < end + 4 + length) return;
        const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString('utf8')) as DapMessage;
        buffer = buffer.subarray(end + 4 + length);
        appendFileSync(spec.log, JSON.stringify(message) + '\n');
        if (message.type === 'request') onRequest(message, ++requests === 1, socket, write, later);
      }
    });
  });
  server.listen(0, '127.0.0.1', () => console.log(`fake dap listening on ${(server.address() as { port: number }).port}`));
}

async function startFake(spec: ServerSpec): Promise<{ port: number; handle: ServerHandle }> {
  const handle = await startServer([process.execPath, __filename], {
    env: { ...process.env, [SERVER_ENV]: JSON.stringify(spec) },
    ready: /^fake dap listening on \d+$/,
    timeoutMs: 20_000,
  });
  return { port: Number(/\d+$/.exec(handle.readyLine)![0]), handle };
}

const MAIN_GO = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n';
const LAUNCH = (port: number) =>
  `{\n  // the user's own comment\n  "version": "0.2.0",\n  "configurations": [\n    {\n      "name": "Remote",\n      "type": "go",\n      "request": "attach",\n      "mode": "remote",\n      "host": "127.0.0.1",\n      "port": ${port}\n    }\n  ]\n}\n`;

type Command = 'verify' | 'verify --fix' | 'lint' | 'lint --fix';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time, from spawn to exit. */
  ms: number;
  /** From the CLI's first connection to the server to its exit (undefined: it never connected). */
  sessionMs?: number;
  rssKb: number;
  /** launch.json before and after the run. */
  launchBefore: string;
  launch: string;
  /** What the client sent the server, in order. */
  sent: DapMessage[];
}

/**
 * Runs `node dist/cli.js COMMAND` in a fresh workspace whose launch.json points at a fake server that
 * behaves as `behaviour` says, and checks what every case must hold: it ends within `limitMs` of
 * its first connection to the server and START_MS + `limitMs` of its start, no stack trace or control character, max RSS under MAX_RSS_KB, no file but launch.json changed under
 * the case's folder (the canaries beside the workspace included), no process a reverse request named.
 */
async function runAgainst(
  behaviour: Behaviour,
  command: Command,
  limitMs: number,
  names?: (root: string, canary: string) => string[],
): Promise<Run> {
  const root = tempDir('gdd-hostile-dap-');
  const ws = path.join(root, 'ws');
  const canary = path.join(root, 'canary');
  writeFile(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.21\n');
  writeFile(path.join(ws, 'main.go'), MAIN_GO);
  writeFile(path.join(root, 'home', '.config', 'go', 'telemetry', 'mode'), 'off');
  // What a server may name: a copy of the workspace beside it, a FIFO and a device link named main.go.
  writeFile(path.join(canary, 'secret.txt'), 'do not touch\n');
  writeFile(path.join(canary, 'ws', 'main.go'), MAIN_GO);
  writeFile(path.join(canary, 'ws', '.vscode', 'launch.json'), '{ "configurations": [] }\n');
  writeFile(path.join(canary, 'zero', '.keep'), '');
  symlinkSync('/dev/zero', path.join(canary, 'zero', 'main.go'));
  writeFile(path.join(canary, 'fifo', '.keep'), '');
  assert.equal((await runProcess(['mkfifo', path.join(canary, 'fifo', 'main.go')])).outcome, 'ok');
  const rssFile = path.join(root, 'rss');
  const connected = path.join(root, 'connected');
  const log = writeFile(path.join(root, 'server.log'), '');
  const marker = path.join(root, 'RAN');
  const programDir = names ? '/srv/build/ws' : behaviour === 'many-sources' ? '/srv/big' : ws;
  const { port, handle } = await startFake({
    behaviour,
    log,
    connected,
    programDir,
    marker,
    ...(names ? { names: names(root, canary) } : {}),
  });
  try {
    const launchFile = writeFile(path.join(ws, '.vscode', 'launch.json'), LAUNCH(port));
    const skip = ['home', 'server.log', 'rss', 'connected', path.join('ws', '.vscode', 'launch.json')];
    const before = hashTree(root, skip);
    const env = {
      HOME: path.join(root, 'home'),
      XDG_CONFIG_HOME: path.join(root, 'home', '.config'),
      GOPATH: path.join(root, 'gopath'),
      GOCACHE: process.env.GOCACHE ?? path.join(process.env.HOME ?? root, '.cache', 'go-build'),
      GOTOOLCHAIN: 'local',
      GOFLAGS: '',
      PATH: [GO_BIN, '/usr/bin', '/bin'].join(':'),
      GDD_RSS_FILE: rssFile,
    };
    const [name, ...flags] = command.split(' ');
    const args =
      name === 'lint'
        ? ['lint', '--dlv-version', '1.27.2', ...flags]
        : ['verify', '--dlv', testTools()['dlv-new'], '--timeout', '5', ...flags];
    const started = Date.now();
    const probe = await runProcess([process.execPath, '--require', rssPreload(), CLI, ...args], {
      env,
      cwd: ws,
      timeoutMs: START_MS + limitMs + 10_000,
    });
    const ms = Date.now() - started;
    const out = `${probe.stdout}\n${probe.stderr}`;
    assert.notEqual(probe.outcome, 'timeout', `still running ${START_MS + limitMs + 10_000} ms later`);
    const { kb: rssKb, exitedAt } = readRss(rssFile);
    const sessionMs = existsSync(connected) ? exitedAt - Number(readFileSync(connected, 'utf8')) : undefined;
    assert.ok(
      sessionMs === undefined || sessionMs <= limitMs,
      `${sessionMs} ms from the first connection to the exit, limit ${limitMs} ms\n${out.slice(0, 2000)}`,
    );
    assert.ok(ms <= START_MS + limitMs, `took ${ms} ms, limit ${START_MS + limitMs} ms\n${out.slice(0, 2000)}`);
    assert.doesNotMatch(out, /internal error|\n\s+at .+:\d+:\d+\)?\n|\[object Object\]|Cannot read prop|is not a function|TypeError/, out);
    // Tabs and line ends only: a control character from the server could rewrite what a terminal shows.
    assert.doesNotMatch(out, /[^\P{Cc}\t\n]/u, JSON.stringify(out.slice(0, 2000)));
    assert.ok(rssKb > 0 && rssKb < MAX_RSS_KB, `max RSS ${rssKb} kB`);
    assert.deepEqual(hashTree(root, skip), before, 'no file but launch.json changed');
    assert.ok(!existsSync(`${marker}.run`) && !existsSync(`${marker}.start`), 'no reverse request was carried out');
    assert.deepEqual(processesWith('8121.5'), [], 'no process a reverse request asked for');
    const sent = readFileSync(log, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as DapMessage);
    const launch = readFileSync(launchFile, 'utf8');
    return {
      code: probe.exitCode,
      stdout: probe.stdout,
      stderr: probe.stderr,
      ms,
      ...(sessionMs === undefined ? {} : { sessionMs }),
      rssKb,
      launchBefore: LAUNCH(port),
      launch,
      sent,
    };
  } finally {
    await handle.stop();
  }
}

/** verify's human output on a failed session: the headline, then the error in one line, and nothing on stderr. */
function verifyFailed(r: Run, error: RegExp): void {
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, /^FAIL: "Remote" \(attach remote, server 127\.0\.0\.1:\d+\) in \d+\.\d s$/, r.stdout);
  assert.match(lines[1]!, error, r.stdout);
  assert.equal(lines.filter((l) => error.test(l)).length, 1, r.stdout);
  assert.equal(r.launch, r.launchBefore);
}

function verifyPassed(r: Run, breakpoint = /^ {2}main\.go:6: hit$/): void {
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  assert.match(lines[0]!, /^PASS: "Remote" \(attach remote, server 127\.0\.0\.1:\d+\) in \d+\.\d s$/, r.stdout);
  assert.match(lines[1]!, breakpoint, r.stdout);
  assert.equal(r.launch, r.launchBefore);
}

/** lint says nothing of a server it could not read: its one line is the verdict on the file. */
function lintClean(r: Run): void {
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, '.vscode/launch.json: clean.\n');
  assert.equal(r.launch, r.launchBefore);
}

function lintFinding(r: Run, root: string): void {
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2, r.stdout);
  assert.match(
    lines[0]!,
    new RegExp(
      String.raw`^\.vscode/launch\.json:\d+:\d+: warning \[remote-path-mapping\] "Remote": the dlv at 127\.0\.0\.1:\d+ debugs a program built in ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, outside this workspace`,
    ),
  );
  assert.equal(lines[1], '1 finding in 1 file.');
  assert.equal(r.launch, r.launchBefore);
}

/** The reverse requests were answered "not supported", as the client's responses in the server's log show. */
function refusedReverse(r: Run): void {
  for (const command of ['runInTerminal', 'startDebugging'])
    assert.ok(
      r.sent.some((m) => m.type === 'response' && m.command === command && m.success === false),
      `${command} answered with success false`,
    );
}

/** --fix wrote one substitutePath whose local side is the workspace, and nothing else. */
function fixedInWorkspace(r: Run, to: string): void {
  const before = parseJsonc(r.launchBefore) as { configurations: Record<string, unknown>[] };
  const after = parseJsonc(r.launch) as { configurations: Record<string, unknown>[] };
  const { substitutePath, ...rest } = after.configurations[0]!;
  assert.deepEqual(substitutePath, [{ from: '${workspaceFolder}', to }]);
  assert.deepEqual({ ...after, configurations: [rest] }, before);
  assert.ok(r.launch.includes("// the user's own comment"));
}

const limit = (...timers: number[]) => timers.reduce((a, b) => a + b, 0) + SLACK_MS;
/** A session that fails at its first request's timeout: verify then asks for a disconnect, which times out too. */
const VERIFY_TIMED_OUT = limit(VERIFY_REQUEST_MS, VERIFY_CLEANUP_MS);
const LINT_TIMED_OUT = limit(LINT_REQUEST_MS);
/** A session the client ends at once (a refused message, a closed connection, a wrong answer): no timer fires. */
const AT_ONCE = limit();

const HOSTILE_NAMES = (root: string, canary: string) => [
  '/srv/build/ws/main.go',
  `/srv/build/../..${root}/ws/main.go`,
  '../../../../etc/ws/main.go',
  'example.com/ws/../../../etc/passwd',
  '/srv/build/ws/ma\nin.go',
  `/srv/build/ws/${NOT_UTF8}.go`,
  '/srv/bu\rild/ws/\u001b[2J\u0007x.go',
  `${canary}/ws/main.go`,
  `${canary}/fifo/main.go`,
  `${canary}/zero/main.go`,
  `${canary}/ws/.vscode/launch.json`,
  '/etc/passwd',
  '/',
  `${GOROOT}/src/runtime/proc.go`,
];

interface Case {
  name: string;
  behaviour: Behaviour;
  command: Command;
  limitMs: number;
  /** The cases that only wait for a timer run side by side; the others two at a time. */
  waits?: boolean;
  names?: (root: string, canary: string) => string[];
  check(r: Run): void;
}

const TIMED_OUT_LINE = /^ {2}no answer to "initialize" within 15000 ms$/;

const CASES: Case[] = [
  // 1. Accepts and never answers.
  {
    name: 'never answers',
    behaviour: 'silent',
    command: 'verify',
    limitMs: VERIFY_TIMED_OUT,
    waits: true,
    check: (r) => verifyFailed(r, TIMED_OUT_LINE),
  },
  { name: 'never answers', behaviour: 'silent', command: 'lint', limitMs: LINT_TIMED_OUT, waits: true, check: lintClean },
  // 2. Garbage.
  {
    name: 'garbage bytes',
    behaviour: 'garbage',
    command: 'verify',
    limitMs: AT_ONCE,
    check: (r) => verifyFailed(r, /^ {2}the debug adapter sent a header of more than 8192 bytes$/),
  },
  { name: 'garbage bytes', behaviour: 'garbage', command: 'lint', limitMs: AT_ONCE, check: lintClean },
  {
    name: 'a framed body that is not JSON',
    behaviour: 'not-json',
    command: 'verify',
    limitMs: AT_ONCE,
    check: (r) => verifyFailed(r, /^ {2}the debug adapter sent a message that is not JSON$/),
  },
  { name: 'a framed body that is not JSON', behaviour: 'not-json', command: 'lint', limitMs: AT_ONCE, check: lintClean },
  // 3. Announces 2 GiB, then sends slowly.
  {
    name: 'Content-Length: 2147483648, then 1 KiB every 50 ms',
    behaviour: 'huge',
    command: 'verify',
    limitMs: AT_ONCE,
    check: (r) => verifyFailed(r, /^ {2}the debug adapter sent a message of 2147483648 bytes \(more than 32 MiB\)$/),
  },
  { name: 'Content-Length: 2147483648, then 1 KiB every 50 ms', behaviour: 'huge', command: 'lint', limitMs: AT_ONCE, check: lintClean },
  // 4. A valid answer, one byte every 200 ms: the timeout is for the whole answer.
  {
    name: 'a valid answer one byte every 200 ms',
    behaviour: 'trickle',
    command: 'verify',
    limitMs: VERIFY_TIMED_OUT,
    waits: true,
    check: (r) => verifyFailed(r, TIMED_OUT_LINE),
  },
  {
    name: 'a valid answer one byte every 200 ms',
    behaviour: 'trickle',
    command: 'lint',
    limitMs: LINT_TIMED_OUT,
    waits: true,
    check: lintClean,
  },
  // 5. Floods of events; the first answer's timer bounds the time to read them.
  {
    name: '300,000 output events before every answer',
    behaviour: 'flood-then-answer',
    command: 'verify',
    limitMs: limit(VERIFY_REQUEST_MS),
    check: (r) => verifyPassed(r),
  },
  {
    name: '300,000 output events before every answer',
    behaviour: 'flood-then-answer',
    command: 'lint',
    limitMs: LINT_TIMED_OUT,
    check: lintClean,
  },
  {
    name: '300,000 output events instead of an answer',
    behaviour: 'flood-instead',
    command: 'verify',
    limitMs: VERIFY_TIMED_OUT,
    waits: true,
    check: (r) => verifyFailed(r, TIMED_OUT_LINE),
  },
  {
    name: '300,000 output events instead of an answer',
    behaviour: 'flood-instead',
    command: 'lint',
    limitMs: LINT_TIMED_OUT,
    waits: true,
    check: lintClean,
  },
  {
    name: '150 output events of 1 MiB each before the answers',
    behaviour: 'big-events',
    command: 'verify',
    limitMs: limit(VERIFY_REQUEST_MS),
    check: (r) => verifyPassed(r),
  },
  {
    name: '150 output events of 1 MiB each before the answers',
    behaviour: 'big-events',
    command: 'lint',
    limitMs: LINT_TIMED_OUT,
    check: lintClean,
  },
  // 6. Answers that belong to no request, or to another command.
  {
    name: 'answers with a wrong request_seq',
    behaviour: 'wrong-seq',
    command: 'verify',
    limitMs: VERIFY_TIMED_OUT,
    waits: true,
    check: (r) => verifyFailed(r, TIMED_OUT_LINE),
  },
  {
    name: 'answers with a wrong request_seq',
    behaviour: 'wrong-seq',
    command: 'lint',
    limitMs: LINT_TIMED_OUT,
    waits: true,
    check: lintClean,
  },
  {
    name: 'answers with a wrong command',
    behaviour: 'wrong-command',
    command: 'verify',
    limitMs: AT_ONCE,
    check: (r) => verifyFailed(r, /^ {2}the debug adapter answered "initialize" with a "disconnect" response$/),
  },
  { name: 'answers with a wrong command', behaviour: 'wrong-command', command: 'lint', limitMs: AT_ONCE, check: lintClean },
  // 7. Closes mid-message.
  {
    name: 'closes in the middle of a message',
    behaviour: 'close-mid',
    command: 'verify',
    limitMs: AT_ONCE,
    check: (r) => verifyFailed(r, /^ {2}the debug adapter closed the connection$/),
  },
  { name: 'closes in the middle of a message', behaviour: 'close-mid', command: 'lint', limitMs: AT_ONCE, check: lintClean },
  // 8. Reverse requests: answered "not supported", never carried out (runAgainst checks the files and processes).
  {
    name: 'runInTerminal and startDebugging before its answers',
    behaviour: 'reverse',
    command: 'verify',
    limitMs: AT_ONCE,
    check: (r) => (verifyPassed(r), refusedReverse(r)),
  },
  {
    name: 'runInTerminal and startDebugging before its answers',
    behaviour: 'reverse',
    command: 'lint',
    limitMs: AT_ONCE,
    check: (r) => (lintClean(r), refusedReverse(r)),
  },
  // 9. Source lists: millions of names, a big but real one, and names no build records.
  {
    name: '1,500,000 source files (refused unread; the session goes on without them)',
    behaviour: 'million-sources',
    command: 'verify',
    limitMs: limit(VERIFY_REQUEST_MS),
    check: (r) => verifyPassed(r),
  },
  {
    name: '1,500,000 source files (refused unread)',
    behaviour: 'million-sources',
    command: 'lint',
    limitMs: LINT_TIMED_OUT,
    check: lintClean,
  },
  {
    name: '150,000 source files built elsewhere: --fix maps the workspace to them, then passes',
    behaviour: 'many-sources',
    command: 'verify --fix',
    limitMs: limit(VERIFY_REQUEST_MS),
    check: (r) => {
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /^after the fix: PASS: "Remote"/m);
      fixedInWorkspace(r, '/srv/big');
    },
  },
  {
    name: '150,000 source files built elsewhere',
    behaviour: 'many-sources',
    command: 'lint',
    limitMs: LINT_TIMED_OUT,
    check: (r) => lintFinding(r, '/srv/big'),
  },
  {
    name: 'names with ../, line ends, bytes that are not UTF-8, control characters, a FIFO, a device, paths outside the workspace: --fix writes only ${workspaceFolder} -> /srv/build/ws',
    behaviour: 'hostile-names',
    command: 'verify --fix',
    limitMs: AT_ONCE,
    names: HOSTILE_NAMES,
    check: (r) => {
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /^before the fix: FAIL: "Remote"/m);
      assert.match(r.stdout, /^after the fix: PASS: "Remote"/m);
      fixedInWorkspace(r, '/srv/build/ws');
    },
  },
  {
    name: 'names with ../, line ends, bytes that are not UTF-8, control characters, a FIFO, a device, paths outside the workspace',
    behaviour: 'hostile-names',
    command: 'lint',
    limitMs: AT_ONCE,
    names: HOSTILE_NAMES,
    check: (r) => lintFinding(r, '/'),
  },
  {
    name: 'lint has no --fix: a usage error, nothing asked of the server',
    behaviour: 'hostile-names',
    command: 'lint --fix',
    limitMs: AT_ONCE,
    names: HOSTILE_NAMES,
    check: (r) => {
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^go-debug-doctor: Unknown option '--fix'.*\nRun "go-debug-doctor help" for usage\.\n$/);
      assert.deepEqual(r.sent, []);
      assert.equal(r.launch, r.launchBefore);
    },
  },
  // 10. Breakpoint answers that claim what is not so: in mode remote the server is the only witness of
  // its program, and verify takes its word for "verified", the bound line and the hit (it ignores the
  // source the answer names): it says PASS, and shows the line the server named.
  {
    name: 'claims verified at line 9999 of /nowhere/at/all.go, and a hit',
    behaviour: 'lie',
    command: 'verify',
    limitMs: AT_ONCE,
    check: (r) => verifyPassed(r, /^ {2}main\.go:6 \(bound at 9999\): hit$/),
  },
  // A server that answers as Delve does: the fake itself is sound.
  { name: 'a server that answers as Delve does', behaviour: 'good', command: 'verify', limitMs: AT_ONCE, check: (r) => verifyPassed(r) },
  { name: 'a server that answers as Delve does', behaviour: 'good', command: 'lint', limitMs: AT_ONCE, check: lintClean },
];

/** At most `n` at a time. */
function pool(n: number) {
  let running = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((resolve) => queue.push(resolve));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      queue.shift()?.();
    }
  };
}

if (process.env[SERVER_ENV]) {
  serve(JSON.parse(process.env[SERVER_ENV]) as ServerSpec);
} else {
  describe('a hostile DAP server against the real CLI: in time, one line, bounded, nothing written', { concurrency: true }, () => {
    // Two CPUs, and a slack of one second for start-up: the cases that wait out a timer start first,
    // half a second apart, and wait side by side; the ones that work start once those are waiting,
    // two at a time.
    const STAGGER_MS = 500;
    const waiting = CASES.filter((c) => c.waits).length;
    const busy = pool(2);
    let next = 0;
    for (const c of CASES) {
      const at = c.waits ? next++ * STAGGER_MS : waiting * STAGGER_MS + 1_000;
      it(`${c.command}: ${c.name}`, async (t) => {
        await new Promise((resolve) => setTimeout(resolve, at));
        const run = () => runAgainst(c.behaviour, c.command, c.limitMs, c.names);
        const r = await (c.waits ? run() : busy(run));
        t.diagnostic(
          `exit ${r.code}, ${r.sessionMs ?? '-'} ms from connection to exit (limit ${c.limitMs}), ${r.ms} ms in all (limit ${START_MS + c.limitMs}), max RSS ${Math.round(r.rssKb / 1024)} MB`,
        );
        c.check(r);
      });
    }
  });
}
