import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { delveErrors, explainDelveOutput, findDelveError } from '../../../src/core/knowledge/delveErrors';
import { delveReleases, delveSupportsGo } from '../../../src/core/knowledge';
import { parseGoVersion, type GoVersion } from '../../../src/core/facts/versions';
import { DELVE_ERROR_REPORTS } from '../../fixtures/delve-error-reports';
import { runProcess } from '../../../src/core/probes/runProcess';
import { testTools } from '../../helpers';
import { createServer } from 'node:net';

const go = (s: string): GoVersion => parseGoVersion(s)!;
const ids = (text: string): string[] => explainDelveOutput(text).map((m) => m.id);
const minor = (v: string, delta: number) => {
  const [maj, min] = v.split('.').map(Number) as [number, number];
  return `${maj}.${min + delta}`;
};

/**
 * Rows whose example is allowed to match other rows too, with the reason. Empty: every example
 * names exactly one row (the wordings are distinct, and listener-failed excludes the in-use case).
 */
const DELIBERATE_OVERLAPS: Record<string, string[]> = {};

describe('Delve error table', () => {
  it('has 15-40 rows, each complete and sourced', () => {
    assert.ok(delveErrors.length >= 15 && delveErrors.length <= 80, `${delveErrors.length} rows`);
    for (const e of delveErrors) {
      assert.match(e.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      // Delve's own source at a tag; the Go extension's for its own messages; dyld's text, from its public report.
      assert.match(
        e.source,
        /^(go-delve\/delve@v\d+\.\d+\.\d+: \S+\.go|golang\/vscode-go@v\d+\.\d+\.\d+: \S+\.(ts|md)|golang\/go@go\d+\.\d+\.\d+: src\/\S+|dyld on macOS \d+, quoted in https:\/\/github\.com\/\S+)/,
        e.id,
      );
      assert.ok(['darwin', 'linux', 'any'].includes(e.platform), e.id);
      assert.ok(e.versions.length > 5 && e.cause.endsWith('.') && e.fix.endsWith('.'), e.id);
      if (e.action === 'installDlv') assert.equal(e.fixCommand, 'go-debug-doctor install-dlv --recommended', e.id);
      if (e.fixCommand) assert.ok(e.fix.includes(e.fixCommand.split(' ')[0]!), `${e.id}: the fix sentence names its command`);
    }
    assert.equal(new Set(delveErrors.map((e) => e.id)).size, delveErrors.length);
  });

  for (const e of delveErrors) {
    it(`${e.id}: its example matches it${DELIBERATE_OVERLAPS[e.id] ? ' (and its documented overlaps)' : ' and no other row'}`, () => {
      assert.match(e.example, new RegExp(e.pattern));
      assert.deepEqual(ids(e.example), [e.id, ...(DELIBERATE_OVERLAPS[e.id] ?? [])]);
      const [m] = explainDelveOutput(e.example);
      assert.ok(
        e.example.split('\n').some((l) => l.trim() === m!.message),
        `${e.id}: the message is a line of the example`,
      );
      assert.equal(m!.cause, e.cause);
      assert.equal(m!.source, e.source);
    });
  }

  it('the macOS rows the doctor relies on are present', () => {
    for (const id of [
      'debugserver-exited-launch',
      'debugserver-not-found',
      'rosetta-dlv-translated',
      'native-backend-disabled',
      'dwarf5-needs-go125-dlv',
    ]) {
      assert.ok(findDelveError(id), id);
    }
  });
});

describe('explainDelveOutput', () => {
  it('finds nothing in empty or unrelated output', () => {
    assert.deepEqual(explainDelveOutput(''), []);
    assert.deepEqual(explainDelveOutput("API server listening at: 127.0.0.1:2345\nType 'help' for list of commands.\n"), []);
  });

  it('reports each row once, in order of first appearance, with the whole line as the message', () => {
    const text = [
      'DAP server listening at: 127.0.0.1:50123',
      'Warning: no debug info found, some functionality will be missing such as stack traces and variable evaluation.',
      '  Failed to launch: could not launch process: stub exited while waiting for connection: exit status 0  ',
      'could not launch process: stub exited while waiting for connection: signal: killed',
      "could not launch process: could not open debug info - debuggee must not be built with 'go run' or -ldflags='-s -w', which strip debug info",
    ].join('\n');
    const found = explainDelveOutput(text);
    assert.deepEqual(
      found.map((m) => m.id),
      ['no-debug-info-warning', 'debugserver-exited-launch', 'debug-info-stripped'],
    );
    assert.equal(found[1]!.message, 'Failed to launch: could not launch process: stub exited while waiting for connection: exit status 0');
    assert.deepEqual(found[1]!.groups, ['waiting for connection', 'exit status 0']);
  });

  it('reads Windows line ends', () => {
    const [m] = explainDelveOutput(
      'API server listening at: 127.0.0.1:2345\r\ncould not launch process: stub exited while waiting for connection: exit status 0\r\n',
    );
    assert.equal(m!.message, 'could not launch process: stub exited while waiting for connection: exit status 0');
    assert.deepEqual(m!.groups, ['waiting for connection', 'exit status 0']);
  });

  it('does not match across lines', () => {
    assert.deepEqual(ids('could not launch process: stub exited while waiting for connection: \nexit status 0'), []);
  });

  it("reads both spellings of the program's Go and groups that did not take part as empty strings", () => {
    const [a] = explainDelveOutput(
      'Go version go1.20 is too old for this version of Delve (minimum supported version 1.21, suppress this error with --check-go-version=false)',
    );
    assert.deepEqual(a!.groups, ['go1.20', '1.21']);
    const [b] = explainDelveOutput(
      'Go version 1.17.13 is too old for this version of Delve (minimum supported version 1.18, suppress this error with --check-go-version=false)',
    );
    assert.deepEqual(b!.groups, ['1.17.13', '1.18']);
    const [c] = explainDelveOutput(
      'Version of Delve is too old for Go version go1.23rc1 (maximum supported version 1.22, suppress this error with --check-go-version=false)',
    );
    assert.deepEqual(c!.groups, ['go1.23rc1', '1.22']);
  });

  it('tells the listener rows apart', () => {
    assert.deepEqual(ids("couldn't start listener: listen tcp 127.0.0.1:2345: bind: address already in use"), ['listen-address-in-use']);
    assert.deepEqual(ids("couldn't start listener: listen tcp 10.1.2.3:0: bind: can't assign requested address"), [
      'listen-address-not-local',
    ]);
    assert.deepEqual(ids("couldn't start listener: listen tcp: address 40000: missing port in address"), ['listener-failed']);
  });

  it('keeps the error and its --check-go-version=false warning apart', () => {
    assert.deepEqual(
      ids('WARNING: undefined behavior - Go version go1.21.13 is too old for this version of Delve (minimum supported version 1.22)'),
      ['go-too-old-for-delve-warning'],
    );
    assert.deepEqual(
      ids(
        'Version of Delve is too old for Go version go1.27.0 (maximum supported version 1.26, suppress this error with --check-go-version=false)',
      ),
      ['delve-too-old-for-go'],
    );
  });

  it('every refusal our compat verdicts quote is recognised', () => {
    for (const r of delveReleases) {
      const below = delveSupportsGo(r.version, go(`${minor(r.goMin, -1)}.5`)).delveMessage!;
      assert.deepEqual(ids(below), ['go-too-old-for-delve'], below);
      const above = delveSupportsGo(r.version, go(`${minor(r.goMax, 1)}.0`)).delveMessage!;
      assert.deepEqual(ids(above), ['delve-too-old-for-go'], above);
    }
    const dwarf5 = delveSupportsGo('1.26.3', go('1.26.2'), go('go1.24.13')).delveMessage!;
    assert.deepEqual(ids(dwarf5), ['dwarf5-needs-go125-dlv']);
  });
});

describe('Delve errors quoted in public reports', () => {
  for (const report of DELVE_ERROR_REPORTS) {
    it(`${report.provenance}: ${report.name}`, () => {
      const found = explainDelveOutput(report.text);
      assert.deepEqual(
        found.map((m) => m.id),
        report.expect,
      );
      if (report.groups) assert.deepEqual(found[0]!.groups, report.groups);
      for (const m of found) assert.ok(report.text.includes(m.message), `${m.id}: message is a line of the report`);
    });
  }
  it('cover at least four rows, macOS ones among them', () => {
    const covered = new Set(DELVE_ERROR_REPORTS.flatMap((r) => r.expect));
    assert.ok(covered.size >= 4);
    for (const id of ['debugserver-exited-launch', 'debugserver-exited-attach', 'rosetta-dlv-translated']) assert.ok(covered.has(id), id);
    for (const r of DELVE_ERROR_REPORTS) assert.match(r.url, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(issues|pull)\/\d+$/);
  });

  it('at least 90% of them get a specific cause (issue 21), the rest a generic answer or none, and each expectation says which', () => {
    const generic = new Set(delveErrors.filter((e) => e.generic).map((e) => e.id));
    const specific = DELVE_ERROR_REPORTS.filter((r) => r.expect.some((id) => !generic.has(id)));
    const share = specific.length / DELVE_ERROR_REPORTS.length;
    console.log(
      `      public reports: ${DELVE_ERROR_REPORTS.length}, a specific cause for ${specific.length} (${(share * 100).toFixed(0)}%), ` +
        `rows they cover: ${new Set(DELVE_ERROR_REPORTS.flatMap((r) => r.expect)).size} of ${delveErrors.length}`,
    );
    assert.ok(share >= 0.9, `${specific.length} of ${DELVE_ERROR_REPORTS.length}`);
  });
});

describe('the messages users hit now (issue 17)', () => {
  const NEW_ROWS = [
    'launch-eof-debugserver',
    'rodata-struct-member',
    'dap-server-start-timeout',
    'remote-no-debugger',
    'attach-failed',
    'macos-missing-lc-uuid',
    'build-undefined',
  ];
  it('each new row is quoted from a public report', () => {
    const covered = new Set(DELVE_ERROR_REPORTS.flatMap((r) => r.expect));
    for (const id of NEW_ROWS) assert.ok(covered.has(id), id);
  });

  it('remote attach to a port nobody listens on: the real dlv connect says "connection refused" (no public transcript; run here)', async () => {
    // A port that was free a moment ago: bind, read it, close.
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const probe = await runProcess([testTools()['dlv-new'], 'connect', `127.0.0.1:${port}`, '--log', '--log-output=rpc'], {
      timeoutMs: 30_000,
    });
    assert.equal(probe.exitCode, 1);
    const [m] = explainDelveOutput(probe.stdout + probe.stderr);
    assert.equal(m?.id, 'remote-connection-refused', probe.stdout + probe.stderr);
    assert.equal(m!.groups[0], `127.0.0.1:${port}`);
  });
});
