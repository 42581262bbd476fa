import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runDoctor } from '../../../src/core/checks/doctor';
import { parseRecording, ReplayHost } from '../../../src/core/probes/recording';

// Hostile recordings (check --replay): any JSON in any field. parseRecording refuses with one line,
// or the checks run and every row has a status; nothing throws past them.

const anyJson = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.string(), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const tool = fc.constantFrom('go', 'dlv', 'gopls', '/usr/local/go/bin/go', '~/go/bin/dlv', 'uname', 'sw_vers', 'sysctl');
const probe = fc.record(
  {
    argv: fc.oneof(
      fc.tuple(tool, fc.constantFrom('env', 'version', '-json', '-m', 'list')).map((a) => [...a]),
      anyJson,
    ),
    stdout: fc.oneof(
      fc.string(),
      fc.constantFrom(
        '{"GOVERSION": "go1.22.1", "GOOS": "darwin", "GOARCH": "amd64"}',
        'Delve Debugger\nVersion: 1.21.2\n',
        '{"GoVersion": 7}',
        'x'.repeat(100_000),
      ),
      anyJson,
    ),
    stderr: fc.oneof(fc.string(), anyJson),
    exitCode: fc.oneof(fc.constant(0), fc.integer(), fc.constant(null), anyJson),
    outcome: fc.oneof(fc.constantFrom('ok', 'exit', 'timeout', 'weird'), anyJson),
  },
  { requiredKeys: ['argv'] },
);
const file = fc.record(
  {
    exists: fc.oneof(fc.boolean(), anyJson),
    isFile: fc.oneof(fc.boolean(), anyJson),
    text: fc.oneof(fc.string(), anyJson),
    entries: fc.oneof(fc.array(fc.string()), anyJson),
    size: fc.oneof(fc.nat(), anyJson),
    chunks: fc.oneof(fc.array(fc.record({ offset: fc.integer(), base64: fc.base64String() }), { maxLength: 2 }), anyJson),
  },
  { requiredKeys: [] },
);
const recording = fc.record(
  {
    format: fc.constant('go-debug-doctor-recording'),
    version: fc.constant(1),
    platform: fc.oneof(fc.constantFrom('darwin', 'linux', 'win32', 'plan9'), anyJson),
    arch: fc.oneof(fc.constantFrom('x64', 'arm64'), anyJson),
    env: fc.oneof(
      fc.dictionary(
        fc.constantFrom('PATH', 'HOME', 'GOPATH', 'GOROOT', 'GOBIN', 'GOENV', 'GOFLAGS', 'GOTOOLCHAIN'),
        fc.oneof(fc.string(), anyJson),
      ),
      anyJson,
    ),
    probes: fc.oneof(fc.array(probe, { maxLength: 6 }), anyJson),
    files: fc.oneof(fc.dictionary(fc.constantFrom('~/ws/go.mod', '~/go/bin/dlv', '/usr/local/go/bin/go', '~/ws'), file), anyJson),
    workspace: fc.oneof(fc.constant('~/ws'), anyJson),
  },
  { requiredKeys: ['format', 'version'] },
);

describe('recordings under fuzz', () => {
  it('parseRecording refuses with one line, or the doctor answers every check', async () => {
    await fc.assert(
      fc.asyncProperty(recording, async (r) => {
        let parsed;
        try {
          parsed = parseRecording(JSON.stringify(r));
        } catch (err) {
          assert.ok(err instanceof Error && !err.message.includes('\n'), String(err));
          return;
        }
        const report = await runDoctor({
          host: new ReplayHost(parsed),
          workspace: typeof parsed.workspace === 'string' ? parsed.workspace : '~/ws',
          timeoutMs: 1000,
        });
        for (const row of report.checks) assert.ok(['pass', 'warn', 'fail', 'skip', 'error'].includes(row.status));
        assert.doesNotMatch(
          JSON.stringify(report),
          /TypeError|ReferenceError|RangeError|Maximum call stack/,
          'no crash text in the report',
        );
      }),
      {
        numRuns: 150,
        // Found by this property in CI: an environment variable that is not text.
        examples: [
          [{ format: 'go-debug-doctor-recording', version: 1, platform: 'darwin', arch: 'x64', env: { PATH: [] }, probes: [], files: {} }],
        ],
      },
    );
  });
  it('text that is not a recording: one line', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.nat({ max: 200_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
        ),
        (t) => {
          try {
            parseRecording(t);
          } catch (err) {
            assert.ok(err instanceof Error && !err.message.includes('\n'));
          }
        },
      ),
    );
  });
});
